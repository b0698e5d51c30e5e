// The emulator's HTTP endpoint on loopback: serves blobs (generated images and videos, public file URLs)
// that the gRPC services hand out as URLs (no authentication, as the real API's public URLs), and the REST
// face under /v1/ (rest/router.ts), when given.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ServedBlob } from "./context.js";
import { sendError } from "./rest/errors.js";

/** A running HTTP endpoint. */
export interface BlobServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the HTTP endpoint; `lookup` resolves a request path to a live blob (the current context's).
 *
 * @example
 * ```ts
 * const http = await startBlobServer("127.0.0.1", (path) => state.blobAt(path));
 * ```
 */
export async function startBlobServer(
  host: string,
  lookup: (path: string) => ServedBlob | undefined,
  rest?: (request: IncomingMessage, response: ServerResponse) => void | Promise<void>,
): Promise<BlobServer> {
  const server: Server = createServer((request, response) => {
    if (rest && request.url?.startsWith("/v1/")) {
      // The REST face answers its own errors; whatever still escapes it (a bug) fails this one request, never
      // the process (Node ends on an unhandled rejection).
      (async () => rest(request, response))().catch((error: unknown) => lastResort(response, error));
    } else serve(request, response, lookup);
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostPart = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${hostPart}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Answers a request whose handler failed: a 500 in the REST error shape, or a cut connection mid-answer. */
function lastResort(response: ServerResponse, error: unknown): void {
  try {
    if (!response.headersSent) {
      sendError(response, error);
      return;
    }
  } catch {
    // Falls through: the connection goes.
  }
  response.destroy();
}

function serve(
  request: IncomingMessage,
  response: ServerResponse,
  lookup: (path: string) => ServedBlob | undefined,
): void {
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" });
    response.end("Only GET and HEAD are supported.\n");
    return;
  }
  const blob = lookup(request.url ?? "/");
  if (!blob) {
    response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    response.end("No such blob: it never existed, has expired, or was revoked.\n");
    return;
  }
  response.writeHead(200, {
    "content-type": blob.mimeType,
    "content-length": blob.bytes.byteLength,
    "content-disposition": `inline; filename="${blob.name.replace(/[^\x20-\x7e]|["\\]/g, "_")}"`,
    "cache-control": "no-store",
  });
  if (request.method === "HEAD") {
    response.end();
    return;
  }
  response.end(blob.bytes);
}
