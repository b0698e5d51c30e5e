// Transport lifecycle over real gRPC on loopback, against the emulator: close() with calls in flight, server
// streams read by several pending next() calls, user interceptors, and unix socket targets.
import assert from "node:assert/strict";
import { createConnection, createServer, type Server as NetServer, type Socket } from "node:net";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Client } from "../src/index.js";
import { useEmulator } from "./helpers/emulator.js";
import { useTempDir } from "./helpers/temp-dir.js";

/** Fails with `what` when `promise` has not settled within `ms` (a bound for a wait, never an assertion on time). */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, bound]);
  } finally {
    clearTimeout(timer);
  }
}

describe("unix socket targets", () => {
  const env = useEmulator({ resetBeforeEach: true });
  const tmp = useTempDir("xai-unix-");

  test("a unix: target connects (through a unix socket forwarded to the emulator), plaintext by default", async () => {
    // The emulator listens on TCP only; a byte-for-byte forwarder puts it behind a unix socket.
    const port = Number(env.emulator.apiHost.split(":").at(-1));
    const sockets = new Set<Socket>();
    const forwarder: NetServer = createServer((incoming) => {
      const outgoing = createConnection({ host: "127.0.0.1", port });
      sockets.add(incoming).add(outgoing);
      incoming.pipe(outgoing).pipe(incoming);
      const drop = () => {
        incoming.destroy();
        outgoing.destroy();
      };
      incoming.on("error", drop).on("close", drop);
      outgoing.on("error", drop).on("close", drop);
    });
    const path = join(tmp.path, "xai.sock");
    await new Promise<void>((resolve, reject) => forwarder.listen(path, resolve).once("error", reject));
    try {
      for (const apiHost of [`unix:${path}`, `unix://${path}`]) {
        const client = new Client({ ...env.emulator.clientOptions(), apiHost });
        try {
          const info = await within(client.auth.apiKeyInfo(), 10_000, `a call over ${apiHost}`);
          assert.ok(info.name);
        } finally {
          client.close();
        }
      }
      assert.deepEqual(
        env.emulator.calls.map((c) => c.method),
        ["/xai_api.Auth/get_api_key_info", "/xai_api.Auth/get_api_key_info"],
      );
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => forwarder.close(resolve));
    }
  });
});
