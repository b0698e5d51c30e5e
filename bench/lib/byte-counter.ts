// A TCP relay that counts the bytes each way, for the "bytes on the wire" figures: clients are pointed at it in
// a separate pass (never in a timed run), so that what it costs is not measured.
import { connect, createServer, type Server, type Socket } from "node:net";

/** A running relay to one target port. */
export interface ByteCounter {
  /** `127.0.0.1:<port>` to dial instead of the target. */
  readonly address: string;
  /** Bytes sent by clients (requests) and by the server (responses) since the last reset. */
  readonly up: number;
  readonly down: number;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts a relay to `127.0.0.1:targetPort`.
 *
 * @example
 * ```ts
 * const counter = await startByteCounter(8080);
 * // ... point a client at counter.address, run a workload ...
 * console.log(counter.down);
 * ```
 */
export async function startByteCounter(targetPort: number): Promise<ByteCounter> {
  let up = 0;
  let down = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, "127.0.0.1");
    sockets.add(client);
    sockets.add(upstream);
    client.on("data", (d: Buffer) => {
      up += d.byteLength;
    });
    upstream.on("data", (d: Buffer) => {
      down += d.byteLength;
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    address: `127.0.0.1:${port}`,
    get up() {
      return up;
    },
    get down() {
      return down;
    },
    reset() {
      up = 0;
      down = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
