import type { ChannelOptions, Metadata } from "@grpc/grpc-js";
import { VERSION } from "../version.js";

/**
 * Header values: plain strings, or a grpc-js `Metadata` object (needed for `-bin` headers, whose values are bytes).
 *
 * @example
 * ```ts
 * const metadata: MetadataInit = { "x-request-id": "42" };
 * ```
 */
export type MetadataInit = Record<string, string> | Metadata;

/**
 * Options accepted by every SDK method, as its last argument.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const response = await chat.sample({ timeout: 30_000, signal: controller.signal, metadata: { "x-trace": "abc" } });
 * ```
 */
export interface CallOptions {
  /** Deadline of this call in milliseconds, replacing the client's `timeout`. */
  timeout?: number;
  /** Cancels the call when aborted; the promise rejects with `UserAbortError` and the server sees the cancellation. */
  signal?: AbortSignal;
  /** Extra headers for this call, added after the client's `metadata`. */
  metadata?: MetadataInit;
}

/**
 * The retry policy of the Python SDK: up to 5 attempts on UNAVAILABLE, backoff 0.1 s doubling to 1 s.
 *
 * @example
 * ```ts
 * const policy = structuredClone(DEFAULT_SERVICE_CONFIG);
 * policy.methodConfig[0].retryPolicy.maxAttempts = 3;
 * new Client({ channelOptions: { "grpc.service_config": JSON.stringify(policy) } });
 * ```
 */
export const DEFAULT_SERVICE_CONFIG = {
  methodConfig: [
    {
      name: [{}],
      retryPolicy: {
        maxAttempts: 5,
        initialBackoff: "0.1s",
        maxBackoff: "1s",
        backoffMultiplier: 2,
        retryableStatusCodes: ["UNAVAILABLE"],
      },
    },
  ],
};

/** 20 MiB, the largest message sent or received by default. */
export const DEFAULT_MAX_MESSAGE_BYTES = 20 * 1024 * 1024;

/**
 * 15 minutes: the default deadline of every call, in milliseconds.
 *
 * @example
 * ```ts
 * new Client({ timeout: DEFAULT_TIMEOUT_MS * 2 });
 * ```
 */
export const DEFAULT_TIMEOUT_MS = 900_000;

/**
 * The user agent the SDK announces, e.g. `xai-grpc/0.1.0`.
 *
 * @example
 * ```ts
 * console.log(USER_AGENT); // "xai-grpc/0.1.0"
 * ```
 */
export const USER_AGENT = `xai-grpc/${VERSION}`;

/**
 * The channel options every client starts from. A user's `channelOptions` replace entries of the same name.
 * (The Python SDK also sets `grpc.http2.max_pings_without_data`; grpc-js has no such option.)
 */
export function defaultChannelOptions(): ChannelOptions {
  return {
    "grpc.max_send_message_length": DEFAULT_MAX_MESSAGE_BYTES,
    "grpc.max_receive_message_length": DEFAULT_MAX_MESSAGE_BYTES,
    "grpc.enable_retries": 1,
    "grpc.service_config": JSON.stringify(DEFAULT_SERVICE_CONFIG),
    "grpc.keepalive_time_ms": 30_000,
    "grpc.keepalive_timeout_ms": 10_000,
    "grpc.keepalive_permit_without_calls": 1,
    "grpc.primary_user_agent": USER_AGENT,
  };
}

/** Headers that identify the SDK on every call (the Python SDK sends the same two names). */
export function sdkHeaders(): Record<string, string> {
  return {
    "xai-sdk-version": `typescript/${VERSION}`,
    "xai-sdk-language": `node/${process.versions.node}`,
  };
}
