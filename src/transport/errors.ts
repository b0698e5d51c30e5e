import type { Metadata } from "@grpc/grpc-js";
import { isStatusCode, Status, type StatusCode, type StatusName, statusName } from "./status.js";

/**
 * What an {@link XaiError} is built from.
 *
 * @example
 * ```ts
 * const init: XaiErrorInit = { code: Status.UNAVAILABLE, details: "try again", method: "/xai_api.Models/ListModels" };
 * throw new XaiError(init);
 * ```
 */
export interface XaiErrorInit {
  /** The status code; a number outside the gRPC enum becomes `UNKNOWN` (kept in {@link XaiError.rawCode}). */
  code: number;
  details: string;
  /** The full method path, e.g. `/xai_api.Chat/GetCompletion`, or undefined for errors raised before a call. */
  method?: string | undefined;
  /** Response metadata (headers and trailers) sent by the server, if any. */
  metadata?: Metadata | undefined;
  cause?: unknown;
}

/**
 * The error every failed xAI call rejects with. `code` is the gRPC status (compatible with grpc-js's
 * `status`), `statusName` its name, `details` the server's explanation and `method` the RPC that failed.
 * Subclasses exist for the statuses worth branching on; check with `instanceof`.
 *
 * @example
 * ```ts
 * try {
 *   await chat.sample();
 * } catch (err) {
 *   if (err instanceof RateLimitError) await sleep(1_000);
 *   else if (err instanceof XaiError) console.error(err.statusName, err.details);
 *   else throw err;
 * }
 * ```
 */
export class XaiError extends Error {
  /** The gRPC status code; always one of {@link Status} (a number outside the enum is reported as `UNKNOWN`). */
  readonly code: StatusCode;
  /**
   * The status number as received: equal to {@link code}, except when a server or library reported a number
   * outside the gRPC enum (e.g. 42), which `code` reports as `UNKNOWN`.
   */
  readonly rawCode: number;
  /** The server's explanation, without grpc-js's timing diagnostics. */
  readonly details: string;
  /** The full path of the method that failed, e.g. `/xai_api.Chat/GetCompletion`. */
  readonly method: string | undefined;
  /** Response metadata the server sent with the error. */
  readonly metadata: Metadata | undefined;

  constructor(init: XaiErrorInit) {
    const code: StatusCode = isStatusCode(init.code) ? init.code : Status.UNKNOWN;
    const name =
      code === init.code ? statusName(code) : `UNKNOWN (unrecognised status code ${String(init.code)})`;
    const where = init.method ? ` (${init.method.replace(/^\//, "")})` : "";
    const hint = hintFor(code);
    super(`${name}: ${init.details || "no details"}${where}${hint ? `. ${hint}` : ""}`, {
      cause: init.cause,
    });
    this.name = new.target.name;
    this.code = code;
    this.rawCode = init.code;
    this.details = init.details;
    this.method = init.method;
    this.metadata = init.metadata;
  }

  /** The name of {@link code}, e.g. `"DEADLINE_EXCEEDED"`. */
  get statusName(): StatusName {
    return statusName(this.code);
  }
}

/**
 * INVALID_ARGUMENT: the request is malformed (empty conversation, out-of-range value, bad schema). Fix the request; retrying will not help.
 *
 * @example
 * ```ts
 * if (err instanceof InvalidArgumentError) console.error(`fix the request: ${err.details}`);
 * ```
 */
export class InvalidArgumentError extends XaiError {}
/**
 * UNAUTHENTICATED: the API key is missing, malformed or unknown. Set `apiKey` or `XAI_API_KEY`.
 *
 * @example
 * ```ts
 * if (err instanceof AuthenticationError) console.error("set XAI_API_KEY");
 * ```
 */
export class AuthenticationError extends XaiError {}
/**
 * PERMISSION_DENIED: the key is valid but blocked, disabled, or lacks the ACL for this model or endpoint.
 *
 * @example
 * ```ts
 * if (err instanceof PermissionDeniedError) console.error(`key not allowed: ${err.details}`);
 * ```
 */
export class PermissionDeniedError extends XaiError {}
/**
 * NOT_FOUND: the model, file, batch, collection or stored response id does not exist (for this team).
 *
 * @example
 * ```ts
 * if (err instanceof NotFoundError) return undefined; // e.g. a deleted file id
 * ```
 */
export class NotFoundError extends XaiError {}
/**
 * RESOURCE_EXHAUSTED: a rate limit or quota was hit. Back off and retry. (A message over the size limit is a
 * {@link MessageTooLargeError} instead, which retrying does not help.)
 *
 * @example
 * ```ts
 * if (err instanceof RateLimitError) await new Promise((r) => setTimeout(r, 2_000));
 * ```
 */
export class RateLimitError extends XaiError {}
/**
 * A message exceeded a size limit (code RESOURCE_EXHAUSTED, but not a {@link RateLimitError}: waiting and
 * retrying does not help). `direction` is `"send"` for a request over the client's send limit (make it smaller,
 * or raise `channelOptions["grpc.max_send_message_length"]`) and `"receive"` for a message over a receive
 * limit (raise `channelOptions["grpc.max_receive_message_length"]`); both default to 20 MiB. `size` and `limit`
 * are in bytes, when reported.
 *
 * @example
 * ```ts
 * const client = new Client({ channelOptions: { "grpc.max_receive_message_length": 64 * 1024 * 1024 } });
 * try { await client.chat.create({ model: "grok-4", messages }).sample(); }
 * catch (err) { if (err instanceof MessageTooLargeError) console.error(err.direction, err.size, err.limit); }
 * ```
 */
export class MessageTooLargeError extends XaiError {
  /** Which limit was hit: the client's send limit, or a receive limit. */
  readonly direction: "send" | "receive";
  /** The size of the message in bytes, if reported. */
  readonly size: number | undefined;
  /** The limit in bytes, if reported. */
  readonly limit: number | undefined;
  constructor(init: XaiErrorInit & { direction: "send" | "receive"; size?: number; limit?: number }) {
    super(init);
    this.direction = init.direction;
    this.size = init.size;
    this.limit = init.limit;
  }
}
/**
 * DEADLINE_EXCEEDED: the call took longer than its timeout (`timeout` on the client or the call).
 *
 * @example
 * ```ts
 * await chat.sample({ timeout: 5_000 }).catch((e) => { if (e instanceof DeadlineExceededError) return retryLater(); throw e; });
 * ```
 */
export class DeadlineExceededError extends XaiError {}
/**
 * A streaming call was cancelled because no message arrived for its `idleTimeout` (code DEADLINE_EXCEEDED,
 * so it is also a {@link DeadlineExceededError}). `idleTimeout` is the wait that passed, in milliseconds;
 * what arrived before stays readable (for chat streams: `stream.response`, `partialResponseOf(err)`).
 *
 * @example
 * ```ts
 * try {
 *   for await (const [, chunk] of chat.stream({ idleTimeout: 20_000 })) process.stdout.write(chunk.content);
 * } catch (err) {
 *   if (err instanceof StreamIdleTimeoutError) console.error(`stalled: ${partialResponseOf(err)?.content}`);
 *   else throw err;
 * }
 * ```
 */
export class StreamIdleTimeoutError extends DeadlineExceededError {
  /** The wait without a message that ended the call, in milliseconds. */
  readonly idleTimeout: number;
  constructor(method: string | undefined, idleTimeout: number) {
    super({
      code: Status.DEADLINE_EXCEEDED,
      details:
        `no message arrived for ${idleTimeout} ms (the call's idleTimeout), so the stream was cancelled; ` +
        "raise idleTimeout, or leave it out to wait until the call's timeout",
      method,
    });
    this.idleTimeout = idleTimeout;
  }
}
/**
 * UNAVAILABLE: the service could not be reached or is overloaded. Already retried by the default policy for idempotent methods (reads, lists, polls); a billed call (a completion, an upload) is made once.
 *
 * @example
 * ```ts
 * if (err instanceof UnavailableError) console.error("xAI is unreachable; check the host and network");
 * ```
 */
export class UnavailableError extends XaiError {}
/**
 * INTERNAL (or UNKNOWN): the server failed, or a response could not be decoded.
 *
 * @example
 * ```ts
 * if (err instanceof InternalError) report(err.method, err.details);
 * ```
 */
export class InternalError extends XaiError {}
/**
 * DATA_LOSS: xAI could not fetch content the request pointed at, such as an image URL.
 *
 * @example
 * ```ts
 * if (err instanceof DataLossError) console.error("xAI could not fetch the image URL you sent");
 * ```
 */
export class DataLossError extends XaiError {}
/**
 * CANCELLED or ABORTED: the call was cancelled by the client or aborted by the server.
 *
 * @example
 * ```ts
 * if (err instanceof CancelledError) return; // cancelled on purpose
 * ```
 */
export class CancelledError extends XaiError {}
/**
 * The call was cancelled because the caller's `AbortSignal` fired (code CANCELLED).
 * `reason` is the signal's reason.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * setTimeout(() => controller.abort("too slow"), 1_000);
 * await chat.sample({ signal: controller.signal }).catch((e) => e instanceof UserAbortError && console.log(e.reason));
 * ```
 */
export class UserAbortError extends CancelledError {
  /** The reason the signal was aborted with. */
  readonly reason: unknown;
  constructor(method: string | undefined, reason: unknown) {
    super({ code: Status.CANCELLED, details: "the request was aborted by its AbortSignal", method });
    this.reason = reason;
  }
}

/**
 * Bad input detected by the SDK before any call was made (code INVALID_ARGUMENT, `method` undefined).
 * The message names the problem and how to fix it.
 *
 * @example
 * ```ts
 * try { client.chat.create({ model: "grok-4", temperature: 5 }); } catch (e) { if (e instanceof XaiInputError) console.error(e.message); }
 * ```
 */
export class XaiInputError extends InvalidArgumentError {
  constructor(message: string) {
    super({ code: Status.INVALID_ARGUMENT, details: message });
    this.message = message;
  }
}

type XaiErrorClass = new (init: XaiErrorInit) => XaiError;

const classByCode: Partial<Record<number, XaiErrorClass>> = {
  [Status.INVALID_ARGUMENT]: InvalidArgumentError,
  [Status.UNAUTHENTICATED]: AuthenticationError,
  [Status.PERMISSION_DENIED]: PermissionDeniedError,
  [Status.NOT_FOUND]: NotFoundError,
  [Status.RESOURCE_EXHAUSTED]: RateLimitError,
  [Status.DEADLINE_EXCEEDED]: DeadlineExceededError,
  [Status.UNAVAILABLE]: UnavailableError,
  [Status.INTERNAL]: InternalError,
  [Status.UNKNOWN]: InternalError,
  [Status.DATA_LOSS]: DataLossError,
  [Status.CANCELLED]: CancelledError,
  [Status.ABORTED]: CancelledError,
};

function hintFor(code: number): string {
  switch (code) {
    case Status.UNAUTHENTICATED:
      return "Check the API key: pass `apiKey` to the Client or set XAI_API_KEY";
    case Status.UNAVAILABLE:
      return "Check the host (`apiHost` or XAI_API_HOST) and your network connection";
    default:
      return "";
  }
}

/** Removes the diagnostics grpc-js appends to some details (timings, LB pick, remote address). */
export function cleanDetails(details: string): string {
  return details
    .replace(/^(Deadline exceeded) after [\d.]+s.*$/s, "$1")
    .replace(/,\s*(LB pick|remote_addr|name resolution)\b.*$/s, "")
    .replace(/\s*Resolution note:\s*$/, "")
    .replace(/Last error: Error: /, "Last error: ")
    .trim();
}

/** Shape of the errors grpc-js emits. */
interface GrpcErrorLike {
  code?: unknown;
  details?: unknown;
  message?: unknown;
  metadata?: Metadata;
}

/** Builds the {@link XaiError} subclass that matches a status code. */
export function errorFromStatus(init: XaiErrorInit): XaiError {
  const Cls = classByCode[isStatusCode(init.code) ? init.code : Status.UNKNOWN] ?? XaiError;
  return new Cls(init);
}

/** What a server-provided text becomes once the API key (and `Bearer <key>`, percent-encoded or not) is removed. */
export type Redactor = (text: string) => string;

/** What replaces the key in redacted text. */
const REDACTED = "[redacted]";
/** Keys shorter than this are not redacted: replacing every "ab" of a message would only garble it. */
const MIN_REDACTED_KEY = 6;

/**
 * A redactor for the key `apiKey()` returns: every occurrence of the key, each of its characters as it is or
 * percent-encoded (hex digits in either case), becomes `[redacted]` (so `Bearer <key>` reads `Bearer [redacted]`).
 * The pattern is built on first use, on the error path only, and lives in this closure, not on an object.
 *
 * @example
 * ```ts
 * redactorFor(() => "xai-secret")("bad key Bearer xai-secret"); // "bad key Bearer [redacted]"
 * ```
 */
export function redactorFor(apiKey: () => string): Redactor {
  let pattern: RegExp | null | undefined;
  return (text) => {
    if (pattern === undefined) {
      const key = apiKey();
      pattern =
        typeof key === "string" && key.length >= MIN_REDACTED_KEY
          ? new RegExp(
              Array.from(key, (c) => {
                const encoded = Array.from(
                  Buffer.from(c, "utf8"),
                  (b) => `%${b.toString(16).padStart(2, "0")}`,
                );
                return `(?:${c.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&")}|${encoded.join("")})`;
              }).join(""),
              "gi",
            )
          : null;
    }
    return pattern === null || typeof text !== "string" ? text : text.replace(pattern, REDACTED);
  };
}

/** Redacts every value of a grpc-js Metadata in place (text values, and `-bin` values read as bytes). */
function redactMetadata(metadata: Metadata, redact: Redactor): void {
  for (const name of Object.keys(metadata.toJSON())) {
    const values = metadata.get(name);
    let changed = false;
    const redacted = values.map((value) => {
      const text = typeof value === "string" ? value : value.toString("latin1");
      const clean = redact(text);
      if (clean === text) return value;
      changed = true;
      return typeof value === "string" ? clean : Buffer.from(clean, "latin1");
    });
    if (changed) {
      metadata.remove(name);
      for (const value of redacted) metadata.add(name, value);
    }
  }
}

/** Redacts the texts of the grpc-js error a call failed with, in place: it becomes the XaiError's `cause`. */
function redactCause(err: unknown, redact: Redactor): void {
  if (typeof err !== "object" || err === null) return;
  const e = err as { message?: unknown; details?: unknown; stack?: unknown; metadata?: unknown };
  for (const field of ["message", "details", "stack"] as const) {
    const value = e[field];
    if (typeof value === "string") {
      const clean = redact(value);
      if (clean !== value) e[field] = clean;
    }
  }
  const metadata = e.metadata as Metadata | undefined;
  if (metadata && typeof metadata.toJSON === "function" && typeof metadata.get === "function") {
    redactMetadata(metadata, redact);
  }
}

const DEFAULT_LIMIT_TEXT = "default 20 MiB, 20971520 bytes";

/** The size-limit failure grpc-js (or a server) reported, with a hint naming the option that raises the limit. */
function messageTooLarge(
  details: string,
  init: Omit<XaiErrorInit, "code" | "details">,
): MessageTooLargeError | undefined {
  let direction: "send" | "receive";
  let size: number | undefined;
  let limit: number | undefined;
  const larger = TOO_LARGE.exec(details);
  const send = larger ? undefined : SEND_TOO_LARGE.exec(details);
  if (larger) {
    direction = larger[1].toLowerCase() === "sent" ? "send" : "receive";
    size = larger[2] === undefined ? undefined : Number(larger[2]);
    limit = larger[3] === undefined ? undefined : Number(larger[3]);
  } else if (send) {
    direction = "send";
    limit = Number(send[1]);
  } else {
    return undefined;
  }
  const sizes = limit === undefined ? "" : ` of ${limit} bytes`;
  const hint =
    direction === "send"
      ? `the request is larger than the client's send limit${sizes}: make it smaller, or raise the limit with ` +
        `channelOptions { "grpc.max_send_message_length": n } (${DEFAULT_LIMIT_TEXT})`
      : `a message is larger than the receive limit${sizes}: for a response, raise the client's limit with ` +
        `channelOptions { "grpc.max_receive_message_length": n } (${DEFAULT_LIMIT_TEXT}); ` +
        "a request over the server's limit must be made smaller";
  return new MessageTooLargeError({
    ...init,
    code: Status.RESOURCE_EXHAUSTED,
    details: `${details}; ${hint}. Waiting and retrying will not help`,
    direction,
    size,
    limit,
  });
}

/** grpc-js's (and grpc-go's) size-limit messages: "Received message larger than max (300 vs 100)". */
const TOO_LARGE = /\b(received|sent) message larger than max(?: \((\d+) vs\.? (\d+)\))?/i;
/** grpc-js's message for a request over the send limit. */
const SEND_TOO_LARGE = /attempted to send message with a size larger than (\d+)/i;

/**
 * What grpc-js reports when a filter of the received messages fails with a plain Error (a frame marked
 * compressed that cannot be decompressed): a status without code or details.
 */
const FILTER_FAILURE = /^undefined undefined: undefined/;

/**
 * Converts whatever a grpc-js call failed with into an {@link XaiError}. With `redact` (the channel's, see
 * {@link redactorFor}), the API key is removed from every server-provided text the error carries: its details,
 * its metadata and its cause.
 */
export function toXaiError(err: unknown, method: string | undefined, redact?: Redactor): XaiError {
  if (err instanceof XaiError) return err;
  if (redact) redactCause(err, redact);
  const e = (err ?? {}) as GrpcErrorLike;
  let code = typeof e.code === "number" ? e.code : Status.UNKNOWN;
  const raw =
    typeof e.details === "string" ? e.details : typeof e.message === "string" ? e.message : String(err);
  let details = cleanDetails(raw);
  if (typeof e.code !== "number" && e.details === undefined && FILTER_FAILURE.test(details)) {
    code = Status.INTERNAL;
    details =
      "protocol error: the server sent a message marked as compressed that the client could not decompress " +
      '(a compressed frame without a "grpc-encoding" header, an unsupported encoding, or corrupt data); ' +
      "the server is misbehaving or is not a gRPC server";
  }
  const init = { method, metadata: e.metadata, cause: err };
  if (code === Status.RESOURCE_EXHAUSTED) {
    const tooLarge = messageTooLarge(details, init);
    if (tooLarge) return tooLarge;
  }
  return errorFromStatus({ code, details, ...init });
}
