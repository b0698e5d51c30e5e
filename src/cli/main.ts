#!/usr/bin/env node
// Entry point of the `xai` command line (package.json `bin`). Everything happens in ./program.ts.
import { runCli } from "./program.js";

// `xai models | head` closes stdout early: that is not an error.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

process.exitCode = await runCli(process.argv.slice(2));
