/**
 * xai-grpc: a TypeScript SDK for xAI's gRPC API.
 *
 * @example
 * ```ts
 * import { Client, user } from "xai-grpc";
 * await using client = new Client();
 * const chat = client.chat.create({ model: "grok-4", messages: [user("Hi")] });
 * console.log((await chat.sample()).content);
 * ```
 * @packageDocumentation
 */
export * from "./auth/index.js";
export * from "./batch/index.js";
export * from "./chat/index.js";
export { Client, type ClientOptions } from "./client.js";
export * from "./collections/index.js";
export type { Page, PagePromise } from "./core/paginate.js";
export type { WaitOptions } from "./core/poll.js";
export * from "./embeddings/index.js";
export {
  ContentModeratedError,
  DeferredCompletionError,
  DocumentIndexingError,
  DownloadError,
  IncompleteResponseError,
  PollTimeoutError,
  StructuredOutputError,
  ToolRoundsExceededError,
  VideoExpiredError,
  VideoGenerationError,
} from "./errors.js";
export * from "./files/index.js";
export * from "./image/index.js";
export * from "./models/index.js";
export type { Logger, LogLevel, TelemetryOptions, TracerProviderLike } from "./telemetry/options.js";
export * from "./tokenize/index.js";
export {
  AuthenticationError,
  CancelledError,
  DataLossError,
  DeadlineExceededError,
  InternalError,
  InvalidArgumentError,
  MessageTooLargeError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  StreamIdleTimeoutError,
  UnavailableError,
  UserAbortError,
  XaiError,
  type XaiErrorInit,
  XaiInputError,
} from "./transport/errors.js";
export {
  type CallOptions,
  DEFAULT_TIMEOUT_MS,
  IDEMPOTENT_METHODS,
  type MetadataInit,
  type RetryOptions,
} from "./transport/options.js";
export { Status, type StatusCode, type StatusName, statusName } from "./transport/status.js";
export { VERSION } from "./version.js";
export * from "./video/index.js";
