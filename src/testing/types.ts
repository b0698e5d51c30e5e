// The contract between the emulator's server (server.ts) and its service modules (services/*.ts).
// Service modules depend only on this file, the generated schema and each other's pure helpers,
// never on the SDK's wrappers.
import type {
  DescMethod,
  DescMethodClientStreaming,
  DescMethodServerStreaming,
  DescMethodUnary,
  DescService,
  MessageInitShape,
  MessageShape,
} from "@bufbuild/protobuf";

/**
 * gRPC status codes used by the emulator (same numbers as grpc-js `status`).
 *
 * @example
 * ```ts
 * emulator.script.chat({ kind: "error", code: Code.RESOURCE_EXHAUSTED, details: "slow down" });
 * ```
 */
export const Code = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

/**
 * Thrown by a handler to end the call with a gRPC status. `details` is a clear sentence, as the real API's.
 *
 * @example
 * ```ts
 * throw new EmulatorError(Code.NOT_FOUND, `The model "${name}" does not exist or your team does not have access to it.`);
 * ```
 */
export class EmulatorError extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(details);
    this.name = "EmulatorError";
  }
}

/**
 * An INVALID_ARGUMENT error with a sentence that names the bad field and a valid value.
 *
 * @example
 * ```ts
 * if (request.n > 10) throw invalidArgument(`n must be at most 10; got ${request.n}.`);
 * ```
 */
export function invalidArgument(details: string): EmulatorError {
  return new EmulatorError(Code.INVALID_ARGUMENT, details);
}

/**
 * What a handler knows about the call it serves.
 *
 * @example
 * ```ts
 * register(Auth, { get_api_key_info: (_request, call: HandlerContext) => ({ name: call.method }) });
 * ```
 */
export interface HandlerContext {
  /** Request headers (lower-case names, first value of each). */
  readonly headers: Readonly<Record<string, string>>;
  /** Fires when the client cancels or the deadline passes. */
  readonly signal: AbortSignal;
  /** The full method path, e.g. `/xai_api.Chat/GetCompletion`. */
  readonly method: string;
}

type Result<T> = T | Promise<T>;

/**
 * The implementation of one method, by kind. Handlers may return plain init objects.
 *
 * @example
 * ```ts
 * const getInfo: MethodImpl<typeof Auth.method.get_api_key_info> = () => ({ name: "test key" });
 * ```
 */
export type MethodImpl<M extends DescMethod> =
  M extends DescMethodUnary<infer I, infer O>
    ? (request: MessageShape<I>, ctx: HandlerContext) => Result<MessageInitShape<O>>
    : M extends DescMethodServerStreaming<infer I, infer O>
      ? (request: MessageShape<I>, ctx: HandlerContext) => AsyncIterable<MessageInitShape<O>>
      : M extends DescMethodClientStreaming<infer I, infer O>
        ? (requests: AsyncIterable<MessageShape<I>>, ctx: HandlerContext) => Result<MessageInitShape<O>>
        : never;

/**
 * Every method of a generated service, keyed by its local name (`Chat.method.getCompletion` → `getCompletion`).
 *
 * @example
 * ```ts
 * const auth: ServiceImpl<typeof Auth> = { get_api_key_info: () => ({ name: "test key" }) };
 * ```
 */
export type ServiceImpl<S extends DescService & { method: Record<string, DescMethod> }> = {
  [K in keyof S["method"]]: MethodImpl<S["method"][K]>;
};

/**
 * A service and its implementation, as registered with the emulator's server.
 *
 * @example
 * ```ts
 * const registration: ServiceRegistration = register(Auth, { get_api_key_info: () => ({ name: "test key" }) });
 * ```
 */
export interface ServiceRegistration {
  service: DescService;
  impl: Record<string, (...args: never[]) => unknown>;
  /** Served on the management port (collections) instead of the API port. */
  management?: boolean;
}

/**
 * Type-checks an implementation against its service and erases it for the registry.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({
 *   services: [() => register(Auth, { get_api_key_info: () => ({ name: "test key" }) })],
 * });
 * ```
 */
export function register<S extends DescService & { method: Record<string, DescMethod> }>(
  service: S,
  impl: ServiceImpl<S>,
  management = false,
): ServiceRegistration {
  return { service, impl: impl as unknown as ServiceRegistration["impl"], management };
}

/**
 * A model of the emulator's catalogue (the Models service answers from these).
 *
 * @example
 * ```ts
 * const names = EMULATOR_CATALOG.map((model: CatalogModel) => model.name);
 * ```
 */
export interface CatalogModel {
  kind: "language" | "embedding" | "image" | "video";
  name: string;
  aliases: string[];
  version: string;
  inputModalities: ("text" | "image" | "embedding")[];
  outputModalities: ("text" | "image" | "embedding")[];
  /** Language models: whether it returns reasoning content. */
  reasoning: boolean;
  maxPromptLength: number;
  /**
   * Prices in USD cents per 100 million tokens (the API's unit), which is 1e-10 USD (one "USD tick", the unit
   * of `cost_in_usd_ticks`) per token: cost in ticks = tokens × price. `searchPrice` uses the same unit per
   * search source and `imagePrice` per generated image (700000000 = $0.07).
   */
  promptTextTokenPrice: number;
  promptImageTokenPrice: number;
  completionTextTokenPrice: number;
  cachedPromptTokenPrice: number;
  searchPrice: number;
  imagePrice: number;
  /** Embedding models: vector dimension. */
  dimension: number;
  created: Date;
  /** Video models: price of one second of generated video, in the same unit (1e-10 USD). */
  videoSecondPrice?: number;
  /** The `system_fingerprint` responses of this model carry, e.g. `fp_3c7a91e2`. */
  systemFingerprint?: string;
}

/**
 * One token of the emulator's deterministic tokenizer.
 *
 * @example
 * ```ts
 * const ids = tokenize("Hello Grok").map((token: EmulatorToken) => token.id);
 * ```
 */
export interface EmulatorToken {
  id: number;
  text: string;
  bytes: Uint8Array;
}

/**
 * Shared state and helpers every service module receives. Implemented in context.ts; only additions are
 * allowed, so that service modules written against it keep compiling.
 *
 * @example
 * ```ts
 * const auth: ServiceFactory = (ctx: EmulatorContext) =>
 *   register(Auth, { get_api_key_info: () => ({ name: `key made ${ctx.now().toISOString()}` }) });
 * ```
 */
export interface EmulatorContext {
  /** Resolves a model name or alias of the given kind; throws NOT_FOUND (a clear sentence) when unknown. */
  resolveModel(name: string, kind: CatalogModel["kind"]): CatalogModel;
  /** Every model of the catalogue. */
  readonly models: readonly CatalogModel[];
  /** Tokenizes text deterministically; usage counts use the same function. */
  tokenize(text: string): EmulatorToken[];
  /** Number of tokens of `text` (same as `tokenize(text).length`, faster). */
  countTokens(text: string): number;
  /** A fresh id with a prefix, e.g. `file_0001`; deterministic per emulator run. */
  newId(prefix: string): string;
  /** Current time (the emulator's clock; tests may advance it). */
  now(): Date;
  /**
   * Serves bytes over the emulator's HTTP endpoint; returns the absolute `http://127.0.0.1:port/...` URL.
   * With `expiresAt`, the URL answers 404 once the emulator's clock passes that time.
   */
  serveBlob(bytes: Uint8Array, mimeType: string, name?: string, options?: { expiresAt?: Date }): string;
  /** Stops serving a blob (e.g. a revoked public URL); returns whether it was served. */
  removeBlob(url: string): boolean;
  /** Reads back a blob served by {@link serveBlob} (for image edits that reference emulator URLs). */
  readBlob(url: string): { bytes: Uint8Array; mimeType: string } | undefined;
  /** How many GetDeferred* polls a deferred chat or video stays PENDING before DONE. */
  readonly deferredPolls: number;
  /** Milliseconds a document stays PROCESSING before it is indexed, and a batch request before it finishes. */
  readonly processingDelayMs: number;
  /**
   * Takes the next scripted chat reply queued by a test (`emulator.script.chat(...)`), if any.
   * The chat service must honour it before generating its own reply.
   */
  takeScriptedChatReply(): ScriptedChatReply | undefined;
  /**
   * Aborted when this context ends: the emulator stops, or `reset()` replaces it with a fresh one (every
   * service factory is then called again). Background work (timers, pending jobs) should stop on it.
   */
  readonly lifetime: AbortSignal;
}

/**
 * A chat reply queued by a test, returned instead of the generated one.
 *
 * @example
 * ```ts
 * const reply: ScriptedChatReply = { kind: "text", content: "Scripted answer" };
 * emulator.script.chat(reply);
 * ```
 */
export type ScriptedChatReply =
  | { kind: "text"; content: string; reasoningContent?: string }
  | { kind: "toolCalls"; toolCalls: { name: string; arguments: unknown; id?: string }[] }
  | { kind: "error"; code: number; details: string };
