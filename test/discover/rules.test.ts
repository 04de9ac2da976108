/**
 * Each exclusion rule next to its positive twin: the same code without the excluding feature is a
 * candidate, so an absent candidate proves the rule, not a blind spot.
 */
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { runDiscovery } from "../../src/discover/run.js";
import { cluster, discoverProject, makeProject } from "./helpers.js";

const SYNC = (marker: string) => `def sync_inventory(store, items):
    """Push ${marker} stock levels to the store."""
    changed = 0
    for item in items:
        if store.level(item["sku"]) != item["qty"]:
            store.set_level(item["sku"], item["qty"])
            changed += 1
    return changed
`;

async function names(files: Record<string, string>, paths?: string[]): Promise<string[]> {
  return (await discoverProject(files, paths, { useConfig: true })).map(
    (c) => `${c.kind} ${c.name}: ${c.definitions.map((d) => `${d.file}::${d.symbol}`).join(", ")}`,
  );
}

describe("same-name clusters", () => {
  it("need two production modules", async () => {
    expect(await names({ "a.py": SYNC("a"), "b.py": SYNC("b") })).toEqual([
      "same-name sync_inventory: a.py::sync_inventory, b.py::sync_inventory",
    ]);
    expect(
      await names({ "a.py": `${SYNC("a")}\n\nclass X:\n    ${SYNC("x").replace(/\n/g, "\n    ").replace("(store", "(self, store")}` }),
    ).toEqual([]);
  });

  it("leave out copies in tests (config globs and test folders the globs miss) and test doubles", async () => {
    expect(
      await names({ "a.py": SYNC("a"), "tests/b.py": SYNC("b"), "test_framework/c.py": SYNC("c"), "pkg/conftest.py": SYNC("d") }),
    ).toEqual([]);
    expect(
      await names({
        "a.py": SYNC("a"),
        "b.py": `class FakeStore:\n    def sync_inventory(self, store, items):\n        return len(items)\n`,
      }),
    ).toEqual([]);
  });

  it("follow the config's tests globs when there is a config", async () => {
    const root = makeProject({ "a.py": SYNC("a"), "specs/b.py": SYNC("b"), "ssot-audit.config.yaml": 'tests: ["specs/**"]\n' });
    try {
      const withConfig = await runDiscovery({ paths: ["."], cwd: root, jobs: 1, cache: false });
      expect(withConfig.report.discovery.candidates).toEqual([]);
      const without = await runDiscovery({ paths: ["."], cwd: root, jobs: 1, cache: false, ignoreConfig: true });
      expect(without.report.discovery.candidates.map((c) => c.name)).toEqual(["sync_inventory"]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("leave out Protocol, abstract and stub signatures", async () => {
    const ports = `from abc import ABC, abstractmethod
from typing import Protocol


class Syncer(Protocol):
    def sync_inventory(self, store, items) -> int: ...


class BaseSyncer(ABC):
    @abstractmethod
    def sync_inventory(self, store, items) -> int:
        raise NotImplementedError
`;
    const stub = "def sync_inventory(store, items) -> int: ...\n";
    expect(await names({ "a.py": SYNC("a"), "ports.py": ports, "stubs.py": stub })).toEqual([]);
    expect(await names({ "a.py": SYNC("a"), "b.py": SYNC("b"), "ports.py": ports, "stubs.py": stub })).toEqual([
      "same-name sync_inventory: a.py::sync_inventory, b.py::sync_inventory",
    ]);
  });

  it("leave out overrides of a shared base class or framework base, not methods of unrelated classes", async () => {
    const method = (
      cls: string,
      base: string,
    ) => `${base ? "from base import Base\nfrom framework import PluginBase\nfrom pydantic import BaseModel\n\n" : ""}class ${cls}${base ? `(${base})` : ""}:
    def sync_inventory(self, store, items):
        return [store.push(i) for i in items]
`;
    const base = "class Base:\n    def describe_it(self):\n        return 1\n";
    expect(await names({ "base.py": base, "a.py": method("A", "Base"), "b.py": method("B", "Base") })).toEqual([]);
    expect(await names({ "a.py": method("A", "PluginBase"), "b.py": method("B", "PluginBase") })).toEqual([]);
    expect(await names({ "a.py": method("A", "BaseModel"), "b.py": method("B", "BaseModel") })).toEqual([
      "same-name sync_inventory: a.py::A.sync_inventory, b.py::B.sync_inventory",
    ]);
    expect(await names({ "a.py": method("A", ""), "b.py": method("B", "") })).toEqual([
      "same-name sync_inventory: a.py::A.sync_inventory, b.py::B.sync_inventory",
    ]);
  });

  it("leave out very common names and framework hooks", async () => {
    const common = (tag: string) => `import sys


def main():
    return run(sys.argv)


def run(argv):
    return len(argv) + ${tag.length}


class ${tag.toUpperCase()}Handler:
    def __init__(self):
        self.tag = "${tag}"

    def __repr__(self):
        return self.tag

    def to_dict(self):
        return {"tag": self.tag}

    def on_connect(self, conn):
        conn.send(self.tag)

    def setUp(self):
        self.ready = True
`;
    expect(await names({ "a.py": common("a"), "b.py": common("bb") })).toEqual([]);
    // Outside a class, on_connect is a plain function name.
    const fn = "def on_connect(conn):\n    conn.open()\n    return conn\n";
    expect(await names({ "a.py": fn, "b.py": fn })).toEqual(["same-name on_connect: a.py::on_connect, b.py::on_connect"]);
  });

  it("leave out closures and count same-named thin delegates as support for the canonical, not as copies", async () => {
    const closure = (outer: string) =>
      `def ${outer}(items):\n    def sync_inventory(x):\n        return x * 2\n    return [sync_inventory(i) for i in items]\n`;
    expect(await names({ "a.py": closure("doubled"), "b.py": closure("twice") })).toEqual([]);
    const forwarder = "import a\n\n\ndef sync_inventory(store, items):\n    return a.sync_inventory(store, items)\n";
    expect(await names({ "a.py": SYNC("a"), "b.py": forwarder })).toEqual([]);
    const [c] = await discoverProject({ "a.py": SYNC("a"), "b.py": forwarder, "c.py": SYNC("c") });
    expect(c && cluster(c)).toEqual({
      kind: "same-name",
      name: "sync_inventory",
      definitions: ["a.py:1 sync_inventory", "c.py:1 sync_inventory"],
      canonical: "a.py::sync_inventory",
    });
    expect(c?.suggestedCanonical.why).toBe("1 definition already delegates to it (sync_inventory (in b.py)); 1 call site resolves to it");
  });
});

describe("classes", () => {
  const cls = (name: string, base = "") =>
    `class ${name}${base ? `(${base})` : ""}:\n    def read_chunk(self, size):\n        return self.stream.read(size)\n`;

  it("are reported when one name is defined in several modules", async () => {
    expect(await names({ "a.py": cls("StreamReader"), "b.py": cls("StreamReader") })).toEqual([
      "class StreamReader: a.py::StreamReader, b.py::StreamReader",
    ]);
  });

  it("are not when they specialize a class of their own name (a framework convention), or are per-module `Error`s", async () => {
    const sub = (base: string) => `import codecs\n\n\n${cls("StreamReader", base)}`;
    expect(
      await names({ "codecs.py": cls("StreamReader"), "a.py": sub("codecs.StreamReader"), "b.py": sub("codecs.StreamReader") }),
    ).toEqual([]);
    expect(await names({ "a.py": "class Error(Exception):\n    pass\n", "b.py": "class Error(Exception):\n    pass\n" })).toEqual([]);
  });
});

describe("fallbacks", () => {
  it("pair an import fallback only with the import binding the same name", async () => {
    const files = {
      "fast.py": "def load_table(path):\n    return open(path).read().split()\n",
      "slow.py": "def read_table(path):\n    with open(path) as fh:\n        return fh.read().split()\n",
      "helpers.py": "def namedtuple_like(name):\n    return type(name, (), {})\n",
    };
    expect(
      await names({
        ...files,
        "use.py": "try:\n    from fast import load_table\nexcept ImportError:\n    from slow import read_table as load_table\n",
      }),
    ).toEqual(["fallback load_table: fast.py::load_table, slow.py::read_table"]);
    expect(
      await names({
        ...files,
        "use.py": "try:\n    from fast import load_table\nexcept ImportError:\n    from helpers import namedtuple_like\n",
      }),
    ).toEqual([]);
  });

  it("are calls to leftover copies, not to a helper that happens to be called deprecated()", async () => {
    const base = "def deprecated(msg):\n    print(msg)\n\n\ndef _legacy_total(x):\n    return sum(x)\n\n\n";
    const logging = `${base}def total(x):\n    try:\n        return x.total()\n    except AttributeError:\n        deprecated("no total")\n        return 0\n`;
    const leftover = `${base}def total(x):\n    try:\n        return x.total()\n    except AttributeError:\n        return _legacy_total(x)\n`;
    const quiet = await discoverProject({ "a.py": logging });
    expect(quiet.map(cluster)).toEqual([
      { kind: "fallback", name: "total", definitions: ["a.py:5 _legacy_total", "a.py:9 total"], canonical: "a.py::total" },
    ]);
    expect(quiet.flatMap((c) => c.evidence).some((e) => e.includes("falls back"))).toBe(false);
    const loud = await discoverProject({ "a.py": leftover });
    expect(loud.flatMap((c) => c.evidence)).toContain("except AttributeError at a.py:10 falls back to _legacy_total()");
  });
});

describe("if/else fallbacks", () => {
  const defs = "def compute_total(x):\n    return sum(x)\n\n\ndef _legacy_compute_total(x):\n    return sum(x) + 0\n\n\n";
  const evidenceOf = async (body: string) => (await discoverProject({ "a.py": defs + body })).flatMap((c) => c.evidence);

  it("are a choice between two implementations of one thing", async () => {
    expect(
      await evidenceOf(
        "def total(x, new):\n    if new:\n        return compute_total(x)\n    else:\n        return _legacy_compute_total(x)\n",
      ),
    ).toContain("if/else at a.py:10 falls back to _legacy_compute_total()");
  });

  it("are not any branch that happens to call a legacy-named function", async () => {
    const evidence = await evidenceOf("def total(x):\n    if not x:\n        return _legacy_compute_total(x)\n    return 0\n");
    expect(evidence).toContain("legacy name _legacy_compute_total");
    expect(evidence.some((e) => e.startsWith("if/else"))).toBe(false);
  });
});

describe("families", () => {
  it("group variants of one head noun across modules, but not qualifiers that name what a class is", async () => {
    const cls = (name: string) => `class ${name}:\n    def lookup_${name.toLowerCase()}(self, key):\n        return self.data.get(key)\n`;
    expect(await names({ "a.py": cls("PriceCache"), "b.py": cls("UnifiedPriceCache"), "c.py": cls("PriceCacheWrapper") })).toEqual([
      "family PriceCache: a.py::PriceCache, b.py::UnifiedPriceCache, c.py::PriceCacheWrapper",
    ]);
    expect(
      await names({
        "a.py": cls("PriceCache"),
        "b.py": cls("RedisPriceCache"),
        "c.py": cls("PriceCacheFactory"),
        "d.py": cls("BasePriceCache"),
      }),
    ).toEqual([]);
  });

  it("leave out abstract roots", async () => {
    const root = "from abc import ABC, abstractmethod\n\n\nclass PriceCache(ABC):\n    @abstractmethod\n    def lookup(self, key): ...\n";
    const impl = "from a import PriceCache\n\n\nclass UnifiedPriceCache(PriceCache):\n    def lookup(self, key):\n        return key\n";
    expect(await names({ "a.py": root, "b.py": impl })).toEqual([]);
  });
});

describe("ranking", () => {
  it("is deterministic and breaks score ties by name", async () => {
    const files = {
      "a.py": SYNC("a").replace(/sync_inventory/g, "beta_sync_job") + SYNC("a").replace(/sync_inventory/g, "alpha_sync_job"),
      "b.py": SYNC("b").replace(/sync_inventory/g, "alpha_sync_job") + SYNC("b").replace(/sync_inventory/g, "beta_sync_job"),
    };
    const first = await discoverProject(files);
    const second = await discoverProject(files);
    expect(JSON.stringify(first)).toBe(JSON.stringify(second));
    expect(first.map((c) => [c.rank, c.name, c.score])).toEqual([
      [1, "alpha_sync_job", first[0]?.score],
      [2, "beta_sync_job", first[0]?.score],
    ]);
  });

  it("reports only candidates with a definition under the requested paths (the config's folder is the root)", async () => {
    const files = {
      "ssot-audit.config.yaml": "concepts: {}\n",
      "pkg_a/x.py": SYNC("a"),
      "pkg_b/x.py": SYNC("b"),
      "pkg_b/y.py": SYNC("c").replace(/sync_inventory/g, "reindex_catalog"),
      "pkg_c/y.py": SYNC("d").replace(/sync_inventory/g, "reindex_catalog"),
    };
    expect(await names(files, ["pkg_a"])).toEqual(["same-name sync_inventory: pkg_a/x.py::sync_inventory, pkg_b/x.py::sync_inventory"]);
    expect((await names(files, ["pkg_c"])).map((n) => n.split(":")[0])).toEqual(["same-name reindex_catalog"]);
  });
});
