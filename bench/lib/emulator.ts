// Starts the emulator in a child process (bench/lib/emulator-process.ts) and talks to it over IPC.
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { EmulatorReply, EmulatorRequest } from "./emulator-process.js";

/** An emulator running in its own process. */
export interface EmulatorProcess {
  readonly apiHost: string;
  readonly managementApiHost: string;
  readonly apiKey: string;
  readonly managementApiKey: string;
  readonly pid: number;
  /** Options for `new Client(...)`. */
  clientOptions(): { apiKey: string; managementApiKey: string; apiHost: string; managementApiHost: string };
  /** The emulator process's CPU time so far (ms) and RSS (bytes). */
  usage(): Promise<{ cpuMs: number; rss: number }>;
  /** Clears its call log and stored data. */
  reset(): Promise<void>;
  /** Stops the emulator and waits for the process to exit. */
  stop(): Promise<void>;
  /** Kills the process at once (SIGKILL). */
  kill(): void;
}

const script = fileURLToPath(new URL("./emulator-process.ts", import.meta.url));

/**
 * Forks an emulator process and resolves once it serves.
 *
 * @example
 * ```ts
 * const emu = await startEmulatorProcess();
 * const client = new Client(emu.clientOptions());
 * ```
 */
export async function startEmulatorProcess(env: Record<string, string> = {}): Promise<EmulatorProcess> {
  const child: ChildProcess = fork(script, [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let nextId = 1;
  const pending = new Map<number, (m: EmulatorReply) => void>();
  let hasExited = false;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      hasExited = true;
      // Requests still waiting for an answer will not get one.
      for (const answer of pending.values()) answer({ type: "done", id: -1 });
      pending.clear();
      resolve();
    }),
  );
  const ready = await new Promise<Extract<EmulatorReply, { type: "ready" }>>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the emulator process exited early (code ${code})`)));
    child.on("message", (m: EmulatorReply) => {
      if (m.type === "ready") resolve(m);
      else pending.get(m.id)?.(m);
    });
  });
  const ask = (type: EmulatorRequest["type"]) =>
    new Promise<EmulatorReply>((resolve) => {
      if (hasExited) {
        resolve({ type: "done", id: -1 });
        return;
      }
      const id = nextId++;
      pending.set(id, (m) => {
        pending.delete(id);
        resolve(m);
      });
      child.send({ type, id } satisfies EmulatorRequest);
    });
  return {
    apiHost: ready.apiHost,
    managementApiHost: ready.managementApiHost,
    apiKey: ready.apiKey,
    managementApiKey: ready.managementApiKey,
    pid: ready.pid,
    clientOptions: () => ({
      apiKey: ready.apiKey,
      managementApiKey: ready.managementApiKey,
      apiHost: ready.apiHost,
      managementApiHost: ready.managementApiHost,
    }),
    async usage() {
      const m = await ask("cpu");
      return m.type === "cpu" ? { cpuMs: m.cpuMs, rss: m.rss } : { cpuMs: Number.NaN, rss: Number.NaN };
    },
    async reset() {
      await ask("reset");
    },
    async stop() {
      if (hasExited) return;
      await ask("stop");
      await exited;
    },
    kill() {
      child.kill("SIGKILL");
    },
  };
}
