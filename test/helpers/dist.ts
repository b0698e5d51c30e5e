// dist/ for the tests that run what users run (the package test, the built CLI, the suite against dist/):
// built once, and again only when a source, build script or package setting is newer than the last build.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const root = new URL("../..", import.meta.url).pathname;
/** Written last by scripts/build.mjs, so its time is the end of the last complete build. */
const lastWritten = join(root, "dist/THIRD_PARTY_NOTICES.md");

function newestInput(): number {
  const files = [join(root, "package.json"), join(root, "tsconfig.build.json")];
  for (const dir of ["src", "scripts"]) {
    for (const e of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (e.isFile()) files.push(join(e.parentPath, e.name));
    }
  }
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

/** Whether dist/ is newer than everything it is built from. */
export function distIsFresh(): boolean {
  return existsSync(lastWritten) && statSync(lastWritten).mtimeMs >= newestInput();
}

/** Builds dist/ unless it is fresh (a fresh clone has none: build rather than skip). */
export function ensureDist(): void {
  if (!distIsFresh()) execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { stdio: "ignore" });
}

if (process.argv[1] === new URL(import.meta.url).pathname) ensureDist();
