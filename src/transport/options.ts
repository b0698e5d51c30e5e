import type { ChannelOptions, Metadata } from "@grpc/grpc-js";
import { VERSION } from "../version.js";
import { XaiInputError } from "./errors.js";
import { Status, type StatusName } from "./status.js";

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
 * for await (const [, chunk] of chat.stream({ idleTimeout: 20_000 })) process.stdout.write(chunk.content);
 * ```
 */
export interface CallOptions {
  /** Deadline of this call in milliseconds, replacing the client's `timeout`. */
  timeout?: number;
  /** Cancels the call when aborted; the promise rejects with `UserAbortError` and the server sees the cancellation. */
  signal?: AbortSignal;
  /** Extra headers for this call, added after the client's `metadata`. */
  metadata?: MetadataInit;
  /**
   * `false`: make this call once, without the client's retries (e.g. a request that must not run twice).
   * The first such call of a client opens a second connection, without retries, used by these calls only.
   * `true` or omitted: the client's `retry` policy.
   */
  retry?: boolean;
  /**
   * Streaming responses only (`chat.stream()`, file downloads…): the longest wait in milliseconds for the next
   * message, counted from the start of the call and then from each message (1 to 2147483647). When it passes,
   * the call is cancelled and the iteration rejects with a `StreamIdleTimeoutError`; what arrived before stays
   * readable (`stream.response`, `partialResponseOf(err)`). Waits while the reader itself is behind (the stream
   * is paused) do not count. Calls with a single response ignore it: use `timeout`.
   */
  idleTimeout?: number;
}

/**
 * How a client retries failed calls (the `retry` option of `new Client`). Every field is optional; the
 * defaults: 5 attempts in all, waits of 100 ms doubling up to 1 s (with ±20 % jitter), on `UNAVAILABLE` only
 * (the Python SDK's policy), for the idempotent methods only ({@link IDEMPOTENT_METHODS}: reads, lists, gets,
 * tokenize, models, auth, deferred polls, deletes and cancels). A call that creates or bills work (chat
 * `sample`/`stream`, deferred starts, image and video generation, embeddings, search, uploads, `batch.add`,
 * collection changes) is made once unless `methods: "all"` opts it in: a server that did the work and then
 * answered `UNAVAILABLE` would otherwise do (and bill) it again. One deadline (`timeout`) spans every attempt.
 * A server stream is retried only until its first message arrives.
 *
 * @example
 * ```ts
 * new Client({ retry: { maxAttempts: 8, retryOn: ["UNAVAILABLE", "RESOURCE_EXHAUSTED"] } });
 * new Client({ retry: { methods: "all" } }); // chat.sample, uploads… are retried too
 * new Client({ retry: false }); // every call is made once
 * ```
 */
export interface RetryOptions {
  /** Attempts in all, the first included: a whole number from 1 (no retries) to 100; default 5. */
  maxAttempts?: number;
  /** The wait before the first retry, in whole milliseconds from 1 to 3600000; default 100. */
  initialBackoffMs?: number;
  /** The longest wait between two attempts, in whole milliseconds from `initialBackoffMs` to 3600000; default 1000. */
  maxBackoffMs?: number;
  /** The factor by which the wait grows after each retry, a number from 1 to 100; default 2. */
  multiplier?: number;
  /** The statuses that are retried (not `OK`), e.g. `["UNAVAILABLE", "RESOURCE_EXHAUSTED"]`; default `["UNAVAILABLE"]`. */
  retryOn?: readonly StatusName[];
  /**
   * Which methods are retried: `"idempotent"` (default; the methods of {@link IDEMPOTENT_METHODS}, which
   * neither create nor bill anything) or `"all"` (every method, as the Python SDK does: a retried
   * `chat.sample` or upload may then run, and be billed, more than once).
   */
  methods?: "idempotent" | "all";
}

/**
 * The methods the default retry policy covers, by full gRPC name (`package.Service/Method`; `Service/*` for
 * every method of a service): they read, list, poll, delete or cancel, so that running one twice neither
 * creates nor bills anything. Every other method is made once unless `retry: { methods: "all" }`.
 *
 * @example
 * ```ts
 * IDEMPOTENT_METHODS.includes("xai_api.Models/*"); // true
 * IDEMPOTENT_METHODS.includes("xai_api.Chat/GetCompletion"); // false: sampling is billed
 * ```
 */
export const IDEMPOTENT_METHODS: readonly string[] = Object.freeze([
  "xai_api.Models/*",
  "xai_api.Tokenize/*",
  "xai_api.Auth/*",
  "xai_api.Chat/GetDeferredCompletion",
  "xai_api.Chat/GetStoredCompletion",
  "xai_api.Chat/DeleteStoredCompletion",
  "xai_api.Video/GetDeferredVideo",
  "xai_api.Files/ListFiles",
  "xai_api.Files/RetrieveFile",
  "xai_api.Files/RetrieveFileContent",
  "xai_api.Files/DeleteFile",
  "xai_api.Files/RevokePublicUrl",
  "xai_api.BatchMgmt/GetBatch",
  "xai_api.BatchMgmt/ListBatches",
  "xai_api.BatchMgmt/CancelBatch",
  "xai_api.BatchMgmt/ListBatchRequestMetadata",
  "xai_api.BatchMgmt/ListBatchResults",
  "xai_api.BatchMgmt/GetBatchRequestResult",
  "collections.Collections/ListCollections",
  "collections.Collections/GetCollectionMetadata",
  "collections.Collections/DeleteCollection",
  "collections.Collections/ListDocuments",
  "collections.Collections/GetDocumentMetadata",
  "collections.Collections/BatchGetDocuments",
  "collections.Collections/RemoveDocumentFromCollection",
]);

/** grpc-js service config names of {@link IDEMPOTENT_METHODS}. */
function idempotentNames(): { service: string; method?: string }[] {
  return IDEMPOTENT_METHODS.map((full) => {
    const [service, method] = full.split("/");
    return method === "*" ? { service } : { service, method };
  });
}

/** The policy every client uses unless told otherwise (the Python SDK's). */
const DEFAULT_RETRY: Required<RetryOptions> = {
  maxAttempts: 5,
  initialBackoffMs: 100,
  maxBackoffMs: 1000,
  multiplier: 2,
  retryOn: ["UNAVAILABLE"],
  methods: "idempotent",
};

/** The most attempts grpc-js makes unless `grpc-node.retry_max_attempts_limit` is raised. */
const GRPC_MAX_ATTEMPTS_LIMIT = 5;

/** A grpc-js service config holding one retry policy for the policy's methods. */
function serviceConfigFor(policy: Required<RetryOptions>) {
  // grpc-js accepts durations in seconds only ("0.1s"; "100ms" throws at channel creation); whole
  // milliseconds give at most three decimals, which its format allows.
  return {
    methodConfig: [
      {
        name: policy.methods === "all" ? [{}] : idempotentNames(),
        retryPolicy: {
          maxAttempts: policy.maxAttempts,
          initialBackoff: `${policy.initialBackoffMs / 1000}s`,
          maxBackoff: `${policy.maxBackoffMs / 1000}s`,
          backoffMultiplier: policy.multiplier,
          retryableStatusCodes: [...new Set(policy.retryOn)],
        },
      },
    ],
  };
}

/**
 * The grpc-js service config of the default retry policy: up to 5 attempts on UNAVAILABLE, backoff 0.1 s
 * doubling to 1 s, for the idempotent methods. Internal: users set the policy with the Client's `retry` option.
 */
const DEFAULT_SERVICE_CONFIG = serviceConfigFor(DEFAULT_RETRY);

function checkWhole(value: unknown, field: string, min: number, max: number, unit: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new XaiInputError(
      `retry.${field} must be a whole number${unit} from ${min} to ${max}, got ${String(value)}; e.g. new Client({ retry: { ${field}: ${String((DEFAULT_RETRY as unknown as Record<string, unknown>)[field])} } })`,
    );
  }
  return value;
}

/**
 * Checks the Client's `retry` option and turns it into the grpc-js channel options that implement it:
 * `grpc.enable_retries`, `grpc.service_config` and, above 5 attempts, `grpc-node.retry_max_attempts_limit`
 * (grpc-js would otherwise cap the attempts at 5). `false` or one attempt turns retries off.
 *
 * @example
 * ```ts
 * retryChannelOptions({ maxAttempts: 3 }); // { "grpc.enable_retries": 1, "grpc.service_config": "{…}" }
 * retryChannelOptions(false); // { "grpc.enable_retries": 0 }
 * ```
 */
export function retryChannelOptions(retry: RetryOptions | false | undefined): ChannelOptions {
  if (retry === false) return { "grpc.enable_retries": 0 };
  if (retry !== undefined && (typeof retry !== "object" || retry === null || Array.isArray(retry))) {
    throw new XaiInputError(
      `retry must be an object such as { maxAttempts: 3 } or false (no retries), got ${String(retry)}`,
    );
  }
  const given = retry ?? {};
  const known = new Set(Object.keys(DEFAULT_RETRY));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) {
      throw new XaiInputError(
        `retry.${key} is not a retry option; use maxAttempts, initialBackoffMs, maxBackoffMs, multiplier, retryOn or methods`,
      );
    }
  }
  const policy: Required<RetryOptions> = { ...DEFAULT_RETRY };
  for (const [key, value] of Object.entries(given)) {
    if (value !== undefined) (policy as unknown as Record<string, unknown>)[key] = value;
  }
  checkWhole(policy.maxAttempts, "maxAttempts", 1, 100, "");
  checkWhole(policy.initialBackoffMs, "initialBackoffMs", 1, 3_600_000, " of milliseconds");
  checkWhole(policy.maxBackoffMs, "maxBackoffMs", 1, 3_600_000, " of milliseconds");
  if (policy.maxBackoffMs < policy.initialBackoffMs) {
    throw new XaiInputError(
      `retry.maxBackoffMs (${policy.maxBackoffMs}) must be at least retry.initialBackoffMs (${policy.initialBackoffMs})`,
    );
  }
  const m = policy.multiplier;
  if (typeof m !== "number" || !Number.isFinite(m) || m < 1 || m > 100) {
    throw new XaiInputError(
      `retry.multiplier must be a number from 1 to 100 (the factor by which the wait grows), got ${String(m)}`,
    );
  }
  const methods = policy.methods as unknown;
  if (methods !== "idempotent" && methods !== "all") {
    throw new XaiInputError(
      `retry.methods must be "idempotent" (the default: reads, lists, polls, deletes) or "all" (every method, billed ones such as chat.sample included), got ${JSON.stringify(methods) ?? String(methods)}`,
    );
  }
  const names = policy.retryOn as readonly unknown[];
  const valid = Object.keys(Status).filter((n) => n !== "OK");
  if (!Array.isArray(names) || names.length === 0) {
    throw new XaiInputError(
      `retry.retryOn must be a non-empty array of status names, e.g. ["UNAVAILABLE", "RESOURCE_EXHAUSTED"]; for no retries pass retry: false`,
    );
  }
  for (const name of names) {
    if (typeof name !== "string" || !valid.includes(name)) {
      throw new XaiInputError(
        `retry.retryOn: ${JSON.stringify(name)} is not a status name that can be retried; use some of ${valid.join(", ")}`,
      );
    }
  }
  if (policy.maxAttempts === 1) return { "grpc.enable_retries": 0 };
  const options: ChannelOptions = {
    "grpc.enable_retries": 1,
    "grpc.service_config": JSON.stringify(serviceConfigFor(policy)),
  };
  if (policy.maxAttempts > GRPC_MAX_ATTEMPTS_LIMIT) {
    options["grpc-node.retry_max_attempts_limit"] = policy.maxAttempts;
  }
  return options;
}

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
