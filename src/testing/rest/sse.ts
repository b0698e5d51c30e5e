// Server-sent events for the REST face's streams: `data: <json>` frames, batched into few writes while the
// producer runs synchronously (flushed at the latest on the next turn of the event loop), with backpressure.
import type { ServerResponse } from "node:http";

/** Flush once this many characters are buffered. */
const FLUSH_AT = 16 * 1024;

/**
 * Writes SSE frames to a response.
 *
 * @example
 * ```ts
 * const sse = new SseWriter(response);
 * await sse.data(JSON.stringify(chunk));
 * await sse.end("[DONE]");
 * ```
 */
export class SseWriter {
  readonly #response: ServerResponse;
  #buffer: string[] = [];
  #size = 0;
  #scheduled = false;
  #blocked: Promise<void> | undefined;
  /** Bytes written so far (frames only). */
  bytes = 0;

  constructor(response: ServerResponse) {
    this.#response = response;
    response.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    response.flushHeaders();
  }

  /** Queues a frame (`event:` line optional); resolves when the socket can take more. */
  frame(text: string, event?: string): Promise<void> | undefined {
    const frame = event === undefined ? `data: ${text}\n\n` : `event: ${event}\ndata: ${text}\n\n`;
    this.#buffer.push(frame);
    this.#size += frame.length;
    if (this.#size >= FLUSH_AT) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
    }
    return this.#blocked;
  }

  /** Writes what is buffered. */
  flush(): void {
    this.#scheduled = false;
    if (this.#buffer.length === 0 || this.#response.destroyed) return;
    const text = this.#buffer.join("");
    this.#buffer = [];
    this.#size = 0;
    this.bytes += Buffer.byteLength(text);
    if (!this.#response.write(text) && !this.#blocked) {
      this.#blocked = new Promise<void>((resolve) => {
        const done = () => {
          this.#response.off("drain", done);
          this.#response.off("close", done);
          this.#blocked = undefined;
          resolve();
        };
        this.#response.on("drain", done);
        this.#response.on("close", done);
      });
    }
  }

  /** Flushes and ends the response. */
  end(): void {
    this.flush();
    this.#response.end();
  }
}
