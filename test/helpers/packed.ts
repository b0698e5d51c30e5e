// The package as users get it: dist/ built, `npm pack`ed, and the tarball installed in an empty app folder.
// Shared by the package test and the README test; each file packs its own copy (in a temporary folder removed
// after its last test).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { ensureDist, root } from "./dist.js";

/** The packed and installed package (read inside tests, after `before` ran). */
export interface PackedApp {
  /** The temporary folder holding the tarball and the app. */
  readonly work: string;
  /** The tarball `npm pack` wrote. */
  readonly tarball: string;
  /** The app folder: a private package.json and node_modules/xai-grpc installed from the tarball. */
  readonly app: string;
  /** What `npm install <tarball>` printed (stdout and stderr). */
  readonly installOutput: string;
}

/** A binary of the repository's own node_modules (tsc, tsx, attw, esbuild…). */
export const bin = (name: string): string => join(root, "node_modules/.bin", name);

/** Runs a command synchronously and returns its stdout; throws with its output when it fails. */
export function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/**
 * Builds dist/ (unless fresh), packs it and installs the tarball in an empty app folder with
 * `--engine-strict` (a dependency whose `engines` excludes this Node fails the install), once for the
 * enclosing file.
 *
 * @example
 * ```ts
 * const packed = usePackedApp();
 * test("imports", () => run("node", ["-e", 'require("xai-grpc")'], packed.app));
 * ```
 */
export function usePackedApp(): PackedApp {
  let current: PackedApp | undefined;
  before(() => {
    ensureDist();
    const work = mkdtempSync(join(tmpdir(), "xai-pack-"));
    run("npm", ["pack", "--ignore-scripts", "--pack-destination", work], root);
    const tarball = join(work, readdirSync(work).find((f) => f.endsWith(".tgz"))!);
    const app = join(work, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true }));
    const install = spawnSync(
      "npm",
      [
        "install",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        "--engine-strict",
        tarball,
      ],
      { cwd: app, encoding: "utf8" },
    );
    const installOutput = `${install.stdout}${install.stderr}`;
    if (install.status !== 0) throw new Error(`npm install of the tarball failed:\n${installOutput}`);
    current = { work, tarball, app, installOutput };
  });
  after(() => {
    if (current) rmSync(current.work, { recursive: true, force: true });
    current = undefined;
  });
  const get = (): PackedApp => {
    if (!current) throw new Error("the packed app exists only between the before and after hooks");
    return current;
  };
  return {
    get work() {
      return get().work;
    },
    get tarball() {
      return get().tarball;
    },
    get app() {
      return get().app;
    },
    get installOutput() {
      return get().installOutput;
    },
  };
}
