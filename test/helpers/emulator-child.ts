// An emulator in a child process with a capped heap, for attacks that could crash the process running it:
// the parent sends the attack over gRPC and asks the child for its memory; a crash ends only the child.
//
// Child side (run as a script): starts an emulator with the options given as JSON in argv[2], prints one JSON
// line { apiHost, managementApiHost, apiKey }, then answers stdin lines: "rss" (after a full GC) with
// { rss, heapUsed, calls, bodies }, "reset" with { ok }, "stop" by stopping and exiting. The parent's `stop()` kills it.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** Memory and log figures of the child's emulator. */
export interface ChildMemory {
  rss: number;
  heapUsed: number;
  calls: number;
  /** Logged records that still hold their request body. */
  bodies: number;
}

/** A running emulator child and a way to talk to it. */
export interface EmulatorChild {
  readonly apiHost: string;
  readonly managementApiHost: string;
  readonly apiKey: string;
  readonly process: ChildProcess;
  /** Everything the child wrote on stderr so far. */
  stderr(): string;
  /** RSS and heap after a full GC; rejects when the child died. */
  memory(): Promise<ChildMemory>;
  /** Sends a line and waits for the child's JSON answer (rejects when the child died). */
  ask<T>(line: string): Promise<T>;
  /** Whether the child is still running. */
  alive(): boolean;
  stop(): Promise<void>;
}

const SELF = fileURLToPath(import.meta.url);

/**
 * Spawns an emulator child with `--max-old-space-size=heapMiB` and waits until it listens.
 *
 * @example
 * ```ts
 * const child = await spawnEmulatorChild({ heapMiB: 256 });
 * const before = await child.memory();
 * // ... attack child.apiHost ...
 * assert.ok((await child.memory()).rss < 2 * before.rss);
 * await child.stop();
 * ```
 */
export async function spawnEmulatorChild(
  options: { heapMiB?: number; emulator?: Record<string, unknown>; env?: NodeJS.ProcessEnv } = {},
): Promise<EmulatorChild> {
  const child = spawn(
    process.execPath,
    [
      `--max-old-space-size=${options.heapMiB ?? 256}`,
      "--expose-gc",
      "--import",
      "tsx",
      SELF,
      JSON.stringify(options.emulator ?? {}),
    ],
    { stdio: ["pipe", "pipe", "pipe"], env: options.env ?? process.env },
  );
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  let exited = false;
  const exit = once(child, "exit").then(() => {
    exited = true;
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const queue: ((line: string) => void)[] = [];
  lines.on("line", (line) => queue.shift()?.(line));
  const next = () =>
    new Promise<string>((resolve, reject) => {
      queue.push(resolve);
      exit.then(() =>
        reject(new Error(`the emulator child exited (${child.exitCode ?? child.signalCode}): ${stderr}`)),
      );
    });
  const hello = JSON.parse(await next()) as { apiHost: string; managementApiHost: string; apiKey: string };
  const ask = async <T>(line: string): Promise<T> => {
    const answer = next();
    child.stdin?.write(`${line}\n`);
    return JSON.parse(await answer) as T;
  };
  return {
    ...hello,
    process: child,
    stderr: () => stderr,
    ask,
    memory: () => ask<ChildMemory>("rss"),
    alive: () => !exited,
    async stop() {
      if (exited) return;
      // A child frozen by an attack cannot read "stop": end it without asking.
      child.kill("SIGKILL");
      await exit;
    },
  };
}

async function runChild(): Promise<void> {
  const { startEmulator } = await import("../../src/testing/index.js");
  const emulator = await startEmulator(JSON.parse(process.argv[2] ?? "{}"));
  const gc = (globalThis as { gc?: () => void }).gc;
  process.stdout.write(
    `${JSON.stringify({ apiHost: emulator.apiHost, managementApiHost: emulator.managementApiHost, apiKey: emulator.apiKey })}\n`,
  );
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === "rss") {
      gc?.();
      await new Promise((resolve) => setImmediate(resolve));
      gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      const bodies = emulator.calls.filter((call) => call.bodyDropped !== true).length;
      process.stdout.write(`${JSON.stringify({ rss, heapUsed, calls: emulator.calls.length, bodies })}\n`);
    } else if (line === "reset") {
      emulator.reset();
      process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
    } else if (line === "stop") {
      break;
    }
  }
  await emulator.stop();
  process.exit(0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runChild();
