// A raw node:http2 server that speaks (possibly broken) gRPC by hand: no grpc-js on the server side, so a test
// can send what no well-behaved gRPC server would — a `grpc-message` or trailers that echo the request's
// headers, a stream that ends early with status OK, a compressed frame without `grpc-encoding`, two messages
// on a unary call.
import { once } from "node:events";
import {
  constants,
  createServer,
  type Http2Server,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type ServerHttp2Stream,
} from "node:http2";
import type { AddressInfo } from "node:net";

/** One gRPC call as the raw server sees it: its path, request headers and the request body (all frames). */
export interface RawCall {
  path: string;
  headers: IncomingHttpHeaders;
  /** The HTTP/2 stream, to answer with {@link respond} or by hand. */
  stream: ServerHttp2Stream;
}

/** What a test's handler does with a call. */
export type RawHandler = (call: RawCall) => void;

export interface RawHttp2Server {
  /** `127.0.0.1:port`, for `apiHost`. */
  address: string;
  /** Every call received, in order. */
  calls: RawCall[];
  /** The handler of the next calls. */
  handler: RawHandler;
  stop(): Promise<void>;
}

/** One gRPC length-prefixed message: the compressed flag, the 4-byte length, the bytes. */
export function grpcFrame(message: Uint8Array, compressed = false): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(compressed ? 1 : 0, 0);
  header.writeUInt32BE(message.byteLength, 1);
  return Buffer.concat([header, Buffer.from(message.buffer, message.byteOffset, message.byteLength)]);
}

/** Percent-encodes a `grpc-message` value as the gRPC spec asks (bytes outside 0x20–0x7E and `%`). */
export function encodeGrpcMessage(text: string): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    out +=
      byte >= 0x20 && byte <= 0x7e && byte !== 0x25
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** How {@link respond} answers a call. */
export interface RawResponse {
  /** Extra response headers (initial metadata). */
  headers?: OutgoingHttpHeaders;
  /** Messages, each already framed (see {@link grpcFrame}). */
  frames?: Buffer[];
  /** The gRPC status in the trailers; default 0 (OK). */
  status?: number;
  /** `grpc-message`, percent-encoded here unless `rawMessage` is set. */
  message?: string;
  /** Sent as the `grpc-message` trailer exactly as given. */
  rawMessage?: string;
  /** Extra trailers (trailing metadata). */
  trailers?: OutgoingHttpHeaders;
  /** Leave the stream open after the frames (no trailers): the client has to act on its own. */
  keepOpen?: boolean;
}

/** Answers a call: headers, frames, then trailers with the status (unless `keepOpen`). */
export function respond(call: RawCall, response: RawResponse): void {
  const { stream } = call;
  stream.respond(
    {
      [constants.HTTP2_HEADER_STATUS]: 200,
      [constants.HTTP2_HEADER_CONTENT_TYPE]: "application/grpc",
      ...response.headers,
    },
    { waitForTrailers: !response.keepOpen },
  );
  if (!response.keepOpen) {
    stream.once("wantTrailers", () => {
      const message =
        response.rawMessage ??
        (response.message === undefined ? undefined : encodeGrpcMessage(response.message));
      stream.sendTrailers({
        "grpc-status": String(response.status ?? 0),
        ...(message === undefined ? {} : { "grpc-message": message }),
        ...response.trailers,
      });
    });
  }
  for (const frame of response.frames ?? []) stream.write(frame);
  if (!response.keepOpen) stream.end();
}

/** Starts the server on a free loopback port; `handler` answers each call (replace it per test). */
export async function startRawHttp2Server(handler: RawHandler): Promise<RawHttp2Server> {
  const server: Http2Server = createServer();
  const state: RawHttp2Server = {
    address: "",
    calls: [],
    handler,
    stop: async () => {
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const sessions = new Set<import("node:http2").ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });
  server.on("stream", (stream, headers) => {
    // A client that cancels resets the stream: nothing to report.
    stream.on("error", () => {});
    const call: RawCall = { path: String(headers[constants.HTTP2_HEADER_PATH]), headers, stream };
    state.calls.push(call);
    // The request is read to its end before answering, as a unary server would.
    stream.resume();
    stream.once("end", () => state.handler(call));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  state.address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
