import { ChatResponse } from "../chat/response.js";
import { ProtoWrapper } from "../core/wrapper.js";
import type { BatchRequest, BatchResult as BatchResultProto } from "../gen/xai/api/v1/batch_pb.js";
import { BatchResultSchema } from "../gen/xai/api/v1/batch_pb.js";
import type { GetChatCompletionResponse } from "../gen/xai/api/v1/chat_pb.js";
import type { ImageResponse as ImageResponseProto } from "../gen/xai/api/v1/image_pb.js";
import type { VideoResponse as VideoResponseProto } from "../gen/xai/api/v1/video_pb.js";
import { ImageResponse } from "../image/response.js";
import { errorFromStatus, type XaiError } from "../transport/errors.js";
import { Status } from "../transport/status.js";
import { VideoResponse } from "../video/response.js";

/** What every kind of batch result has: the request's id, `.proto` and (from `getResult`) the request. */
abstract class BatchResultBase extends ProtoWrapper<typeof BatchResultSchema> {
  /** The request that produced this result, when it was fetched with `getResult` (undefined in listings). */
  readonly request: BatchRequest | undefined;

  protected constructor(proto: BatchResultProto, request: BatchRequest | undefined) {
    super(BatchResultSchema, proto);
    this.request = request;
  }

  /** The request's id in the batch (yours, or the one the server assigned). */
  get id(): string {
    return this.proto.batchRequestId;
  }
}

/**
 * A chat request of a batch that succeeded; `response` is the same wrapper `chat.sample()` returns.
 *
 * @example
 * ```ts
 * if (result.kind === "chat") console.log(result.response.content);
 * ```
 */
export class ChatBatchResult extends BatchResultBase {
  /** Tells results apart. */
  readonly kind = "chat" as const;
  /** Always true for a response. */
  readonly succeeded = true as const;
  /** The completion. */
  readonly response: ChatResponse;
  /** @internal */
  constructor(proto: BatchResultProto, completion: GetChatCompletionResponse, request?: BatchRequest) {
    super(proto, request);
    this.response = ChatResponse.fromProto(completion);
  }
}

/**
 * An image request of a batch that succeeded; `response` is its first image and `images` all of them.
 *
 * @example
 * ```ts
 * if (result.kind === "image") await result.response.save(`${result.id}.png`);
 * ```
 */
export class ImageBatchResult extends BatchResultBase {
  /** Tells results apart. */
  readonly kind = "image" as const;
  /** Always true for a response. */
  readonly succeeded = true as const;
  /** The first generated image (with the request's model, usage and cost). */
  readonly response: ImageResponse;
  /** Every generated image (several when the request asked for `n > 1`). */
  readonly images: ImageResponse[];
  /** @internal */
  constructor(proto: BatchResultProto, images: ImageResponseProto, request?: BatchRequest) {
    super(proto, request);
    this.response = new ImageResponse(images, 0);
    this.images = ImageResponse.all(images);
  }
}

/**
 * A video request (generation or extension) of a batch that succeeded.
 *
 * @example
 * ```ts
 * if (result.kind === "video") await result.response.save(`${result.id}.mp4`);
 * ```
 */
export class VideoBatchResult extends BatchResultBase {
  /** Tells results apart. */
  readonly kind = "video" as const;
  /** Always true for a response. */
  readonly succeeded = true as const;
  /** The video. */
  readonly response: VideoResponse;
  /** @internal */
  constructor(proto: BatchResultProto, video: VideoResponseProto, request?: BatchRequest) {
    super(proto, request);
    this.response = new VideoResponse(video);
  }
}

/**
 * A request of a batch that failed; `error` is the typed error the same request would have thrown on its own
 * (e.g. `InvalidArgumentError`, `NotFoundError`), with the server's code and message.
 *
 * @example
 * ```ts
 * if (result.kind === "error") console.error(result.id, result.error.statusName, result.error.details);
 * ```
 */
export class FailedBatchResult extends BatchResultBase {
  /** Tells results apart. */
  readonly kind = "error" as const;
  /** Always false for an error. */
  readonly succeeded = false as const;
  /** What went wrong. */
  readonly error: XaiError;
  /** @internal */
  constructor(proto: BatchResultProto, error: XaiError, request?: BatchRequest) {
    super(proto, request);
    this.error = error;
  }
}

/**
 * The result of one request of a batch: a chat, image or video response, or an error. Discriminate on
 * `kind` (or test `succeeded`).
 *
 * @example
 * ```ts
 * for await (const result of client.batch.listResults(batchId)) {
 *   switch (result.kind) {
 *     case "chat": console.log(result.response.content); break;
 *     case "image": await result.response.save(`${result.id}.png`); break;
 *     case "video": console.log(result.response.url); break;
 *     case "error": console.error(result.error.message); break;
 *   }
 * }
 * ```
 */
export type BatchResult = ChatBatchResult | ImageBatchResult | VideoBatchResult | FailedBatchResult;

/**
 * Wraps a BatchResult message in the class of its kind.
 * @internal
 */
export function wrapBatchResult(proto: BatchResultProto, request?: BatchRequest): BatchResult {
  const result = proto.result;
  if (result.case === "error") {
    const status = result.value;
    const error = errorFromStatus({
      code: status.code === Status.OK ? Status.UNKNOWN : status.code,
      details: status.message || "the request failed without details",
    });
    return new FailedBatchResult(proto, error, request);
  }
  if (result.case === "response") {
    const data = result.value.response;
    switch (data.case) {
      case "completionResponse":
        return new ChatBatchResult(proto, data.value, request);
      case "imageResponse":
        return new ImageBatchResult(proto, data.value, request);
      case "videoResponse":
        return new VideoBatchResult(proto, data.value, request);
    }
  }
  // Neither a response nor an error: keep it visible as a failure rather than dropping it.
  const error = errorFromStatus({
    code: Status.UNKNOWN,
    details: `batch request ${proto.batchRequestId} has a result with neither a response nor an error`,
  });
  return new FailedBatchResult(proto, error, request);
}
