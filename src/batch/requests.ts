import { clone, create, type DescMessage, isMessage, type MessageShape } from "@bufbuild/protobuf";
import { describe, requireText } from "../core/check.js";
import { lazy } from "../core/lazy.js";
import { ProtoWrapper } from "../core/wrapper.js";
import { type BatchRequest, BatchRequestSchema } from "../gen/xai/api/v1/batch_pb.js";
import { type GetCompletionsRequest, GetCompletionsRequestSchema } from "../gen/xai/api/v1/chat_pb.js";
import { type GenerateImageRequest, GenerateImageRequestSchema } from "../gen/xai/api/v1/image_pb.js";
import {
  type ExtendVideoRequest,
  ExtendVideoRequestSchema,
  type GenerateVideoRequest,
  GenerateVideoRequestSchema,
} from "../gen/xai/api/v1/video_pb.js";
import { XaiInputError } from "../transport/errors.js";

/** A request message that can go into a batch. */
type BatchableMessage =
  | BatchRequest
  | GetCompletionsRequest
  | GenerateImageRequest
  | GenerateVideoRequest
  | ExtendVideoRequest;

/**
 * One request for a batch:
 * - a chat (`client.chat.create(...)`) or the request it would send;
 * - a prepared image request (`client.image.prepare(...)`);
 * - a prepared video request (`client.video.prepare(...)` / `prepareExtend(...)`), which may carry its id;
 * - any of these wrapped as `{ batchRequestId, request }` to give it your own id (results carry it back).
 *
 * @example
 * ```ts
 * const items: BatchItem[] = [
 *   client.chat.create({ model: "grok-4", messages: [user("Hi")] }),
 *   { batchRequestId: "cat", request: client.image.prepare({ prompt: "a cat", model: "grok-2-image" }) },
 * ];
 * ```
 */
export type BatchItem = BatchRequestSource | { batchRequestId: string; request: BatchRequestSource };

/**
 * What a batch entry can be built from: a request message, an object that builds its entry
 * (`toBatchRequest()`, as prepared image and video requests do), one holding its request in `.proto`, or a
 * chat exposing its request (`toRequest()`, with its `batchRequestId`).
 *
 * @example
 * ```ts
 * const source: BatchRequestSource = client.video.prepare({ prompt: "rain", model: "grok-imagine-video" });
 * ```
 */
export type BatchRequestSource =
  | BatchableMessage
  | { toBatchRequest(): BatchRequest }
  | { readonly proto: BatchableMessage }
  | { readonly request: GetCompletionsRequest }
  | { toRequest(): GetCompletionsRequest; readonly batchRequestId?: string | undefined };

const schemas = lazy((): DescMessage[] => [
  BatchRequestSchema,
  GetCompletionsRequestSchema,
  GenerateImageRequestSchema,
  GenerateVideoRequestSchema,
  ExtendVideoRequestSchema,
]);

function asMessage(value: unknown): BatchableMessage | undefined {
  for (const schema of schemas()) {
    if (isMessage(value, schema)) return value as MessageShape<typeof schema> as BatchableMessage;
  }
  return undefined;
}

/** Finds the request message in a source: itself, `.proto`, `toRequest()` or `.request`. */
function messageOf(source: unknown): BatchableMessage | undefined {
  const direct = asMessage(source);
  if (direct) return direct;
  if (typeof source !== "object" || source === null) return undefined;
  const holder = source as {
    proto?: unknown;
    request?: unknown;
    toRequest?: unknown;
    toBatchRequest?: unknown;
  };
  if (typeof holder.toBatchRequest === "function") {
    const built = asMessage((holder.toBatchRequest as () => unknown).call(source));
    if (built) return built;
  }
  if (typeof holder.toRequest === "function") {
    const built = asMessage((holder.toRequest as () => unknown).call(source));
    if (built) return built;
  }
  return asMessage(holder.proto) ?? asMessage(holder.request);
}

/** `{ batchRequestId, request }` written by the caller (a plain object, not a chat or a message). */
function isWrapper(item: unknown): boolean {
  if (typeof item !== "object" || item === null || !("request" in item) || !("batchRequestId" in item)) {
    return false;
  }
  const prototype = Object.getPrototypeOf(item);
  return (prototype === Object.prototype || prototype === null) && asMessage(item) === undefined;
}

/**
 * Converts one batch item to a BatchRequest (copying messages, never changing the caller's).
 * @internal
 */
export function toBatchRequest(item: BatchItem, index: number): BatchRequest {
  let id: string | undefined;
  let source: unknown = item;
  if (isWrapper(item)) {
    const wrapped = item as { batchRequestId: unknown; request: unknown };
    if (typeof wrapped.batchRequestId !== "string" || wrapped.batchRequestId.trim() === "") {
      throw new XaiInputError(`requests[${index}].batchRequestId must be a non-empty string`);
    }
    id = wrapped.batchRequestId;
    source = wrapped.request;
  } else if (typeof item === "object" && item !== null && !asMessage(item)) {
    // A chat (or another holder) may carry its own id, e.g. client.chat.create({ ..., batchRequestId }).
    const own = (item as { batchRequestId?: unknown }).batchRequestId;
    if (typeof own === "string" && own !== "") id = own;
  }
  let message: BatchableMessage | undefined;
  try {
    message = messageOf(source);
  } catch (err) {
    // A chat or prepared request that cannot build its request (e.g. a chat with no messages).
    if (err instanceof XaiInputError) throw new XaiInputError(`requests[${index}]: ${err.message}`);
    throw err;
  }
  if (!message) {
    throw new XaiInputError(
      `requests[${index}] is not a batchable request (got ${describe(source)}); pass a chat from client.chat.create(), ` +
        "client.image.prepare(...), client.video.prepare(...), or { batchRequestId, request: <one of those> }",
    );
  }
  if (message.$typeName !== "xai_api.BatchRequest") return batchEntryOf(message, id);
  const entry = clone(BatchRequestSchema, message);
  if (entry.request.case === undefined) {
    throw new XaiInputError(`requests[${index}] is a BatchRequest with no request in it`);
  }
  if (id !== undefined) entry.batchRequestId = id;
  return entry;
}

/** A request message a batch entry can carry. */
type EntryRequest = Exclude<BatchableMessage, BatchRequest>;

function requestCase(message: EntryRequest): BatchRequest["request"] {
  switch (message.$typeName) {
    case "xai_api.GetCompletionsRequest":
      return { case: "completionRequest", value: message };
    case "xai_api.GenerateImageRequest":
      return { case: "imageRequest", value: message };
    case "xai_api.GenerateVideoRequest":
      return { case: "videoRequest", value: message };
    case "xai_api.ExtendVideoRequest":
      return { case: "videoExtensionRequest", value: message };
  }
}

/**
 * The batch entry carrying one request message (not copied), with the caller's id when one is given; used by
 * `toBatchRequest` and by prepared image and video requests.
 * @internal
 */
export function batchEntryOf(message: EntryRequest, batchRequestId?: string): BatchRequest {
  const entry = create(BatchRequestSchema, { request: requestCase(message) });
  if (batchRequestId !== undefined) entry.batchRequestId = batchRequestId;
  return entry;
}

/**
 * Base of the requests built for a batch without being sent (`client.image.prepare()`, `client.video.prepare()`,
 * `client.video.prepareExtend()`): the request message in `.proto`, your optional `batchRequestId`, and the
 * batch entry carrying both.
 *
 * @example
 * ```ts
 * const prepared: PreparedRequest[] = [client.image.prepare({ prompt: "a fox", model: "grok-2-image" }, { batchRequestId: "fox" })];
 * await client.batch.add(batch.id, prepared);
 * ```
 */
export abstract class PreparedRequest<S extends DescMessage = DescMessage> extends ProtoWrapper<S> {
  /** Your id for this request in the batch; undefined: `batch.add` gives it a random UUID. */
  readonly batchRequestId: string | undefined;
  readonly #request: EntryRequest;

  /** @internal */
  protected constructor(
    schema: S,
    proto: MessageShape<S> & EntryRequest,
    batchRequestId: string | undefined,
  ) {
    super(schema, proto);
    if (batchRequestId !== undefined) requireText(batchRequestId, "batchRequestId", '"fox-1"');
    this.batchRequestId = batchRequestId;
    this.#request = proto;
  }

  /** The batch entry carrying this request (with `batchRequestId` when one was given). */
  toBatchRequest(): BatchRequest {
    return batchEntryOf(this.#request, this.batchRequestId);
  }
}
