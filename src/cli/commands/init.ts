import fs from "node:fs";
import path from "node:path";
import type { Readable, Writable } from "node:stream";
import type { Command } from "commander";
import { CONFIG_FILE_NAMES } from "../../config/load.js";
import { isConfigurable, renderInitConfig } from "../../discover/init-config.js";
import { promptSelection } from "../../discover/prompt.js";
import { DiscoveryView } from "../../discover/view.js";
import { UsageError } from "../../files/errors.js";
import { displayPath } from "../../files/paths.js";
import { writeFileAtomic } from "../output.js";
import { addEngineFlags, parseCount } from "../engine-flags.js";
import type { SetExit } from "../program.js";
import { type DiscoverFlags, discoverWithFlags } from "./discover.js";

interface InitFlags extends Pick<DiscoverFlags, "quiet" | "cache" | "cacheLocation" | "jobs" | "progress"> {
  top: number;
  yes?: boolean;
  force?: boolean;
}

/** Where the dialogue happens; a TTY on both ends means the user can be asked. */
export interface InitIo {
  input: Readable & { isTTY?: boolean };
  output: Writable & { isTTY?: boolean };
}

/** How many candidates the prompt lists at least. */
const LISTED = 10;

/**
 * `ssot-audit init [folder]`: runs discovery on the folder (ignoring any config), lets the user
 * pick candidates (or takes the top N with `--yes` / without a terminal) and writes
 * `ssot-audit.config.yaml` there. Refuses to replace an existing config without `--force`.
 */
export async function init(
  paths: string[],
  flags: InitFlags,
  io: InitIo = { input: process.stdin, output: process.stdout },
): Promise<number> {
  const cwd = process.cwd();
  const target = path.resolve(cwd, paths[0] ?? ".");
  if (!fs.existsSync(target)) throw new UsageError(`path not found: ${paths[0] ?? "."}`);
  if (!fs.statSync(target).isDirectory()) throw new UsageError(`init expects a folder, found the file ${displayPath(target, cwd)}`);
  const existing = CONFIG_FILE_NAMES.map((n) => path.join(target, n)).filter((f) => fs.existsSync(f));
  const first = existing[0];
  if (first && !flags.force) throw new UsageError(`${displayPath(first, cwd)} already exists; use --force to overwrite it`);

  const { report, project } = await discoverWithFlags([target], flags, { ignoreConfig: true });
  const all = report.discovery.candidates;
  const offered = all.filter(isConfigurable);
  const defaults = offered.slice(0, flags.top).map((_, i) => i + 1);
  let chosen = defaults;
  if (!flags.yes && io.input.isTTY && io.output.isTTY && offered.length > 0) {
    chosen = await promptSelection({
      input: io.input,
      output: io.output,
      candidates: offered.slice(0, Math.max(LISTED, flags.top)),
      defaults,
    });
    if (chosen.length === 0) {
      io.output.write("No candidates chosen; nothing written.\n");
      return 0;
    }
  }
  const picked = chosen.flatMap((i) => offered.slice(i - 1, i));
  const text = renderInitConfig(picked, new DiscoveryView(project.model), { candidates: all.length });
  const file = path.join(target, "ssot-audit.config.yaml");
  writeFileAtomic(file, text);
  // A replaced .json/.yml config would still win over the new file (see CONFIG_FILE_NAMES): remove it.
  for (const old of existing) if (old !== file) fs.rmSync(old, { force: true });
  const ids = picked.length;
  io.output.write(
    `Wrote ${displayPath(file, cwd)} with ${ids} concept${ids === 1 ? "" : "s"} from ${all.length} candidate${all.length === 1 ? "" : "s"}` +
      `${existing.length > 0 ? ` (replaced ${existing.map((f) => path.basename(f)).join(", ")})` : ""}. Review it, then run: ssot-audit check\n`,
  );
  return 0;
}

/** `ssot-audit init [folder]`. */
export function registerInit(program: Command, setExit: SetExit): void {
  const command = program
    .command("init")
    .description("write ssot-audit.config.yaml from discovery's best candidates")
    .argument("[folder]", "the project folder to write the config into (default: .)")
    .option("--top <n>", "how many candidates become concepts", parseCount, 5)
    .option("-y, --yes", "do not ask: take the top candidates")
    .option("--force", "overwrite an existing config in the folder")
    .option("--quiet", "no diagnostics on stderr");
  addEngineFlags(command)
    .action(async (folder: string | undefined, flags: InitFlags) => {
      setExit(await init(folder ? [folder] : [], flags));
    });
}
