import { cleanUpOnInterrupt } from "../util/atomic-write.js";
import { main } from "./program.js";

// Ctrl-C or SIGTERM while files are being written: finish the file at hand, leave no temp file.
cleanUpOnInterrupt();
process.exitCode = await main(process.argv.slice(2));
