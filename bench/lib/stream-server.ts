// Starts bench/lib/stream-server-process.ts (pre-encoded chat replies, replayed over gRPC and REST) in a child
// process.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { StreamServerReply } from "./stream-server-process.js";

/** A replay server running in its own process. */
export interface StreamServer {
  /** `127.0.0.1:<port>` (gRPC). */
  readonly address: string;
  /** `http://127.0.0.1:<port>/v1`: the same replies over REST (chat completions, JSON and SSE). */
  readonly restUrl: string;
  /** Encodes the chunks of a `!chunks n` stream ahead of the measurement. */
  prepare(n: number): Promise<void>;
  /** The server process's CPU time so far, in milliseconds. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

const script = fileURLToPath(new URL("./stream-server-process.ts", import.meta.url));

/**
 * Forks the replay server and resolves once it listens.
 *
 * @example
 * ```ts
 * const replay = await startStreamServer();
 * await replay.prepare(100_000);
 * ```
 */
export async function startStreamServer(): Promise<StreamServer> {
  const child = fork(script, [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const next = () =>
    new Promise<StreamServerReply>((resolve, reject) => {
      const onExit = () => reject(new Error("the stream server exited"));
      child.once("exit", onExit);
      child.once("message", (m: StreamServerReply) => {
        child.off("exit", onExit);
        resolve(m);
      });
    });
  const ready = await next();
  if (ready.type !== "ready") throw new Error("unexpected message from the stream server");
  return {
    address: ready.address,
    restUrl: ready.restUrl,
    async prepare(n) {
      const answer = next();
      child.send({ type: "prepare", n });
      await answer;
    },
    async cpuMs() {
      const answer = next();
      child.send({ type: "cpu" });
      const m = await answer;
      return m.type === "cpu" ? m.cpuMs : Number.NaN;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: "stop" });
      await exited;
    },
  };
}
