// The transport's one hook for tracing and logging: an observer sees each call start (method and request),
// each response message, and the end (status, attempts, sizes). The transport knows no service and no
// tracing library; what a call means (a chat, an image...) is the observer's business.
import type { HeaderList } from "./channel.js";

/** A method as the observer sees it; one object per method and kind, reused by every call. */
export interface ObservedMethod {
  /** The full path, e.g. `/xai_api.Chat/GetCompletion`. */
  readonly path: string;
  /** The service's full name, e.g. `xai_api.Chat`. */
  readonly service: string;
  /** The method's name, e.g. `GetCompletion`. */
  readonly name: string;
  readonly kind: "unary" | "server_stream" | "client_stream";
}

/** How a call ended. */
export interface CallEnd {
  /** The gRPC status code: 0 when it succeeded, 1 (CANCELLED) when the caller stopped a stream. */
  readonly code: number;
  /** What the call rejected with (undefined when it succeeded or the caller stopped a stream). */
  readonly error: unknown;
  /** The caller stopped a stream before its end (`break`, `cancel()`): not a failure. */
  readonly cancelled: boolean;
  /** Attempts made (grpc-js retries included): 1 unless the call was retried. */
  readonly attempts: number;
  /** Bytes of request messages serialized. */
  readonly sentBytes: number;
  /** Bytes of response messages received. */
  readonly receivedBytes: number;
  /** Response messages received. */
  readonly messages: number;
}

/** What an observer keeps for one call. */
export interface CallObservation {
  /** Headers to send with the call (e.g. W3C `traceparent`), replacing the call's own of the same name. */
  readonly headers?: HeaderList | undefined;
  /** Each response message, as it arrives (one for a unary call). */
  received?(message: unknown): void;
  /** Called once, when the call ended however it ended. */
  end(outcome: CallEnd): void;
}

/**
 * Sees every call of a channel. `start` runs synchronously when the call is made (so an observer may read
 * the caller's async context); returning undefined leaves the call unobserved, at no further cost.
 */
export interface CallObserver {
  start(method: ObservedMethod, request: unknown): CallObservation | undefined;
}

/** The `grpc-previous-rpc-attempts` header grpc-js adds to what a retried call received. */
const PREVIOUS_ATTEMPTS = "grpc-previous-rpc-attempts";

/** Counters of one observed call, updated by the transport. */
export class CallCounters {
  sentBytes = 0;
  receivedBytes = 0;
  messages = 0;
  attempts = 1;

  /** Reads the attempts from received metadata (headers, or the trailers of a call that got none). */
  readAttempts(metadata: { get(key: string): unknown[] } | undefined): void {
    const previous = Number(metadata?.get(PREVIOUS_ATTEMPTS)[0]);
    if (Number.isInteger(previous) && previous > 0) this.attempts = previous + 1;
  }

  outcome(code: number, error: unknown, cancelled = false): CallEnd {
    return {
      code,
      error,
      cancelled,
      attempts: this.attempts,
      sentBytes: this.sentBytes,
      receivedBytes: this.receivedBytes,
      messages: this.messages,
    };
  }
}
