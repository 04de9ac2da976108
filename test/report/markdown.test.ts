import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { escapeMarkdown, renderMarkdown, sparkline, textBar } from "../../src/report/markdown.js";
import {
  GOLDEN_MARKDOWN,
  HISTORY_FIXTURE,
  PIPE_FILE,
  STABLE,
  XSS_FILE,
  checkFixture,
  exampleHistory,
  makeXssProject,
  reportInput,
  runCli,
  tempDir,
} from "./migration-fixtures.js";

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

/** Cells of a Markdown table row: split on pipes that are not escaped (there should be none escaped by backslash). */
function cells(row: string): string[] {
  return row.replace(/^\|/, "").replace(/\|$/, "").split("|");
}

/** Every table in the text has the same number of cells in each row as in its header. */
function expectWellFormedTables(markdown: string): void {
  const lines = markdown.split("\n");
  for (const [i, line] of lines.entries()) {
    if (!/^\| :?-/.test(line)) continue;
    const header = lines[i - 1] ?? "";
    const width = cells(header).length;
    expect(cells(line)).toHaveLength(width);
    for (let j = i + 1; j < lines.length && lines[j]?.startsWith("|"); j++) expect(cells(lines[j] ?? "")).toHaveLength(width);
  }
}

describe("markdown report", () => {
  it("matches the golden file for fixtures/python-broadcast (stable date, commit and duration)", async () => {
    const input = await reportInput(await checkFixture("fixtures/python-broadcast"), exampleHistory());
    const markdown = renderMarkdown(input);
    if (process.env.UPDATE_GOLDEN) fs.writeFileSync(GOLDEN_MARKDOWN, markdown);
    expect(markdown).toBe(fs.readFileSync(GOLDEN_MARKDOWN, "utf8"));
    expectWellFormedTables(markdown);
    expect(markdown.match(/<details>/g)?.length).toBe(2);
    expect(markdown.match(/<\/details>/g)?.length).toBe(2);
  });

  it("prints the same report from the CLI (only the commit and the duration differ)", () => {
    const dir = tempDir();
    temps.push(dir);
    const history = path.join(dir, "history.jsonl");
    fs.copyFileSync(HISTORY_FIXTURE, history);
    const r = runCli(["report", "fixtures/python-broadcast", "--history", history, "--quiet"], {
      env: { SOURCE_DATE_EPOCH: String(Date.parse(STABLE.date) / 1000) },
    });
    expect([r.status, r.stderr]).toEqual([0, ""]);
    const normalized = r.stdout
      .replace(/ · commit <code>[0-9a-f]{10}<\/code>/, ` · commit <code>${STABLE.commit.slice(0, 10)}</code>`)
      .replace(/ · [\d.]+ m?s<\/sub>/, " · 812 ms</sub>");
    expect(normalized).toBe(fs.readFileSync(GOLDEN_MARKDOWN, "utf8"));
  });

  it("escapes analysed text: tags, pipes, backticks, emphasis, links; keeps intra-word underscores readable", () => {
    expect(escapeMarkdown("a|b`c`<img src=x>*d*_e_[f](g)\\h")).toBe(
      "a&#124;b&#96;c&#96;&#60;img src=x&#62;&#42;d&#42;&#95;e&#95;&#91;f&#93;(g)&#92;h",
    );
    expect(escapeMarkdown("netra_backend/app/x_y.py")).toBe("netra_backend/app/x_y.py");
    expect(escapeMarkdown("_legacy_broadcast_to_user")).toBe("&#95;legacy_broadcast_to_user");
    expect(escapeMarkdown("line1\nline2\u2028x")).toBe("line1 line2 x");
  });

  it("renders hostile file names, concept ids and code as text (fixtures/report-xss)", async () => {
    const dir = makeXssProject();
    temps.push(dir);
    const markdown = renderMarkdown(await reportInput(await checkFixture(dir, dir), []));
    expect(markdown).not.toMatch(/<(?!\/?(code|details|summary|b|sub)>)/);
    expect(markdown).not.toContain("</script>");
    expect(markdown).not.toContain("`");
    expect(markdown).toContain("<code>app/&#60;img src=x onerror=alert(1)&#62;.py</code>");
    expect(markdown).toContain("<code>app/we&#124;ird&#96;name&#96;.py</code>");
    expect(markdown).toContain("<code>notify&#34;&#62;&#60;img src=x onerror=&#34;window.&#95;&#95;xss=3&#34;&#62;</code>");
    expectWellFormedTables(markdown);
    // The sink table lists both odd files, one row each.
    const sinkRows = markdown.split("\n").filter((l) => l.startsWith("| <code>app/"));
    expect(sinkRows.map((l) => cells(l).length)).toEqual([3, 3]);
    expect(XSS_FILE).toContain("<img");
    expect(PIPE_FILE).toContain("|");
  });

  it("cuts at --max-size on a line boundary, closes open sections and says so", async () => {
    const input = await reportInput(await checkFixture("fixtures/python-broadcast"), exampleHistory());
    const full = renderMarkdown(input);
    for (const maxSize of [2_000, 3_500, 6_000, full.length - 1]) {
      const cut = renderMarkdown(input, { maxSize });
      expect(cut.length).toBeLessThanOrEqual(maxSize);
      expect(cut).toMatch(/> \[!NOTE\]\n> Report cut at [\d,]+ characters \(GitHub's comment limit\): \d+ more lines? not shown\./);
      expect(cut.match(/<details>/g)?.length ?? 0).toBe(cut.match(/<\/details>/g)?.length ?? 0);
      expectWellFormedTables(cut);
      // Everything kept is the full report's beginning.
      const kept = cut.slice(0, cut.search(/(<\/details>\n)*\n> \[!NOTE\]/));
      expect(full.startsWith(kept)).toBe(true);
    }
    expect(renderMarkdown(input, { maxSize: full.length })).toBe(full);
  });

  it("defaults to GitHub's comment limit, and rejects --max-size too small or with html", () => {
    const small = runCli(["report", "fixtures/python-broadcast", "--max-size", "100"]);
    expect(small.status).toBe(2);
    expect(small.stderr).toContain("--max-size");
    const html = runCli(["report", "fixtures/python-broadcast", "-f", "html", "--max-size", "5000"]);
    expect(html.status).toBe(2);
    expect(html.stderr).toContain("--max-size applies to the markdown format only");
    expect(html.stdout).toBe("");
  });

  it("draws text bars and sparklines", () => {
    expect(textBar(0.35)).toBe("███████░░░░░░░░░░░░░ 35%");
    expect(textBar(0.999)).toBe(`${"█".repeat(20)} 99%`);
    expect(textBar(undefined)).toBe("no call sites");
    expect(sparkline([46, 40, 36, 32, 29, 0])).toBe("█▇▆▆▅▁");
    expect(sparkline([0, 0])).toBe("▁▁");
  });
});

describe("ssot-audit report (the real binary)", () => {
  it("exits 0 with findings, writes -o and infers html from the extension", () => {
    const dir = tempDir();
    temps.push(dir);
    const md = runCli(["report", "fixtures/python-broadcast", "-o", path.join(dir, "r.md"), "--quiet"]);
    expect([md.status, md.stdout, md.stderr]).toEqual([0, "", ""]);
    expect(fs.readFileSync(path.join(dir, "r.md"), "utf8")).toMatch(/^## SSOT migration report/);
    const html = runCli(["report", "fixtures/python-broadcast", "-o", path.join(dir, "r.html"), "--quiet"]);
    expect(html.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, "r.html"), "utf8")).toMatch(/^<!doctype html>/);
  });

  it.each([
    [["report", "fixtures/python-broadcast", "-f", "pdf"], "argument 'pdf' is invalid"],
    [["report", "fixtures/bad-config"], "concepts.websocket-broadcast.sinkz"],
    [["report", "no/such/dir"], "path not found: no/such/dir"],
  ])("exits 2 with one clear line for %j", (args, message) => {
    const r = runCli(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
