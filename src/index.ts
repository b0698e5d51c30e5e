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
export * from "./auth.js";
export * from "./batch.js";
export * from "./chat/index.js";
export { Client, type ClientOptions } from "./client.js";
export * from "./collections.js";
export type { Page } from "./core/paginate.js";
export { type PollOptions, PollTimeoutError } from "./core/poll.js";
export * from "./embeddings.js";
export * from "./files.js";
export * from "./image.js";
export * from "./models.js";
export * from "./tokenize.js";
export {
  AuthenticationError,
  CancelledError,
  DataLossError,
  DeadlineExceededError,
  InternalError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnavailableError,
  UserAbortError,
  XaiError,
  type XaiErrorInit,
  XaiInputError,
} from "./transport/errors.js";
export {
  type CallOptions,
  DEFAULT_SERVICE_CONFIG,
  DEFAULT_TIMEOUT_MS,
  type MetadataInit,
  USER_AGENT,
} from "./transport/options.js";
export { Status, type StatusCode, type StatusName, statusName } from "./transport/status.js";
export { VERSION } from "./version.js";
export * from "./video.js";
