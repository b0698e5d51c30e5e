import type { ChildProcess } from "node:child_process";

/** How a child process ended and what it wrote. */
export interface ChildOutput {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Collects a spawned child's stdout and stderr (both piped) as text until it closes; rejects if it could not
 * be spawned.
 *
 * @example
 * ```ts
 * const run = await outputOf(spawn("npm", ["run", "demo"], { stdio: ["ignore", "pipe", "pipe"] }));
 * assert.equal(run.code, 0, run.stderr);
 * ```
 */
export function outputOf(child: ChildProcess): Promise<ChildOutput> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr?.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
