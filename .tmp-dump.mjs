import { Parser, Language } from "web-tree-sitter";
import { createRequire } from "node:module";
import fs from "node:fs";
const require = createRequire(import.meta.url);
await Parser.init();
const lang = await Language.load(require.resolve("tree-sitter-python/tree-sitter-python.wasm"));
const p = new Parser(); p.setLanguage(lang);
const text = fs.readFileSync(process.argv[2], "utf8");
const t = p.parse(text);
const c = t.walk();
function walk(d){ const s=text.slice(c.startIndex,c.endIndex); console.log(" ".repeat(d)+(c.currentFieldName?c.currentFieldName+": ":"")+c.nodeType+(c.nodeIsMissing?" MISSING":"")+(c.nodeIsNamed?"":" (anon)")+"  "+JSON.stringify(s.length>40?s.slice(0,40)+"…":s)); if(c.gotoFirstChild()){ do walk(d+1); while(c.gotoNextSibling()); c.gotoParent(); } }
walk(0);
