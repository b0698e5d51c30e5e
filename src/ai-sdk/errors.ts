// How our errors reach the AI SDK: a failed call becomes its APICallError (with an HTTP-like status and
// whether a retry may help, which `maxRetries` of generateText and friends reads), an aborted call an
// "AbortError" (what streamText treats as an abort), bad input its InvalidArgumentError. Our error stays
// reachable as `cause`.
import { APICallError, InvalidArgumentError } from "@ai-sdk/provider";
import {
  CancelledError,
  InternalError,
  MessageTooLargeError,
  RateLimitError,
  Status,
  UnavailableError,
  UserAbortError,
  XaiError,
  XaiInputError,
} from "../index.js";

/** The HTTP status closest to each gRPC status (the mapping of google.rpc.Code). */
const HTTP_STATUS: Record<number, number> = {
  [Status.CANCELLED]: 499,
  [Status.UNKNOWN]: 500,
  [Status.INVALID_ARGUMENT]: 400,
  [Status.DEADLINE_EXCEEDED]: 504,
  [Status.NOT_FOUND]: 404,
  [Status.ALREADY_EXISTS]: 409,
  [Status.PERMISSION_DENIED]: 403,
  [Status.RESOURCE_EXHAUSTED]: 429,
  [Status.FAILED_PRECONDITION]: 400,
  [Status.ABORTED]: 409,
  [Status.OUT_OF_RANGE]: 400,
  [Status.UNIMPLEMENTED]: 501,
  [Status.INTERNAL]: 500,
  [Status.UNAVAILABLE]: 503,
  [Status.DATA_LOSS]: 500,
  [Status.UNAUTHENTICATED]: 401,
};

/**
 * Whether the AI SDK may retry after this error: rate limits (not a message over a size limit), an
 * unreachable or overloaded service and server failures. A deadline is the caller's budget, spent: not retried.
 */
function isRetryable(err: XaiError): boolean {
  if (err instanceof MessageTooLargeError) return false;
  return err instanceof RateLimitError || err instanceof UnavailableError || err instanceof InternalError;
}

/** The text headers of the metadata the server sent with the error (binary `-bin` headers are left out). */
function headersOf(err: XaiError): Record<string, string> | undefined {
  const metadata = err.metadata;
  if (!metadata) return undefined;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata.getMap())) {
    if (typeof value === "string") headers[name] = value;
  }
  return Object.keys(headers).length > 0 ? headers : undefined;
}

/** An error named like the one `fetch` rejects with when its signal aborts, with our error as its cause. */
function abortError(err: CancelledError, signal: AbortSignal | undefined): Error {
  const reason = signal?.reason ?? (err instanceof UserAbortError ? err.reason : undefined);
  const name = reason instanceof Error && reason.name === "TimeoutError" ? "TimeoutError" : "AbortError";
  const error = new Error(
    reason instanceof Error ? reason.message : "the request was aborted by its AbortSignal",
    { cause: err },
  );
  error.name = name;
  return error;
}

/**
 * The error the AI SDK expects for what a call of ours failed with. `argument` names what bad input
 * concerned (for XaiInputError).
 */
export function toAiSdkError(err: unknown, signal?: AbortSignal, argument = "options"): unknown {
  if (err instanceof XaiInputError) {
    return new InvalidArgumentError({ argument, message: err.message, cause: err });
  }
  if (err instanceof UserAbortError || (err instanceof CancelledError && signal?.aborted)) {
    return abortError(err, signal);
  }
  if (err instanceof XaiError) {
    return new APICallError({
      message: err.message,
      // gRPC has no URL: the method path stands for it.
      url: err.method ?? "xai-grpc",
      requestBodyValues: undefined,
      statusCode: HTTP_STATUS[err.code],
      responseHeaders: headersOf(err),
      responseBody: err.details,
      isRetryable: isRetryable(err),
      cause: err,
      data: { code: err.code, statusName: err.statusName },
    });
  }
  return err;
}
