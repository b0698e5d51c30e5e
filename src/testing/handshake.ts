// A handshake timeout for the emulator's gRPC servers: a connection that has not sent its HTTP/2 preface
// (the connection magic and a SETTINGS frame) within the limit is destroyed, so a slow or silent client
// cannot hold sockets and memory forever. grpc-js has no such option; it keeps its node:http2 servers in a
// private map, read here (grpc-js is pinned, and test/emulator-hardening.test.ts fails if that changes).
import type { Http2Server, ServerHttp2Session } from "node:http2";
import type { Server } from "@grpc/grpc-js";

/** Milliseconds a new connection has to send its HTTP/2 preface; the emulator's default. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

/** The longest delay setTimeout takes (longer ones fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

function http2ServersOf(server: Server): Http2Server[] {
  const servers = (server as unknown as { http2Servers?: unknown }).http2Servers;
  if (!(servers instanceof Map)) {
    throw new Error(
      "The emulator cannot set its handshake timeout: this version of @grpc/grpc-js no longer keeps its HTTP/2 servers where the emulator looks. Pass handshakeTimeoutMs: 0 to start without it.",
    );
  }
  return [...servers.keys()] as Http2Server[];
}

/**
 * Destroys every new connection to `server` (already bound) that has not sent the HTTP/2 preface within `ms`.
 * `ms` 0 does nothing.
 *
 * @example
 * ```ts
 * await bind(server, "127.0.0.1:0");
 * enforceHandshakeTimeout(server, 10_000);
 * ```
 */
export function enforceHandshakeTimeout(server: Server, ms: number): void {
  if (ms === 0) return;
  for (const http2 of http2ServersOf(server)) {
    http2.on("session", (session: ServerHttp2Session) => {
      const timer = setTimeout(() => session.destroy(), Math.min(ms, MAX_TIMER_MS));
      timer.unref();
      const settle = () => clearTimeout(timer);
      session.once("remoteSettings", settle);
      session.once("close", settle);
    });
  }
}
