import { type PollStep, poll, type WaitOptions } from "../core/poll.js";
import { protoToJson } from "../core/wrapper.js";
import { PollTimeoutError, VideoExpiredError, VideoGenerationError } from "../errors.js";
import { DeferredStatus } from "../gen/xai/api/v1/deferred_pb.js";
import {
  type GetDeferredVideoResponse,
  GetDeferredVideoResponseSchema,
  Video,
} from "../gen/xai/api/v1/video_pb.js";
import { XaiInputError } from "../transport/errors.js";
import type { CallOptions } from "../transport/options.js";
import type { Transport } from "../transport/transport.js";
import {
  buildExtendVideoRequest,
  buildGenerateVideoRequest,
  PreparedVideoExtension,
  PreparedVideoRequest,
  type VideoExtendOptions,
  type VideoGenerateOptions,
  type VideoPrepareOptions,
} from "./request.js";
import { VideoResponse } from "./response.js";

/**
 * Default interval between polls of a video job: 1 s (as the Python SDK).
 *
 * @example
 * ```ts
 * await client.video.generate({ prompt: "A comet", model: "grok-imagine-video" }, { pollInterval: 2 * DEFAULT_VIDEO_POLL_INTERVAL_MS });
 * ```
 */
export const DEFAULT_VIDEO_POLL_INTERVAL_MS = 1_000;
/**
 * Default time to wait for a video: 10 minutes (as the Python SDK).
 *
 * @example
 * ```ts
 * await client.video.generate({ prompt: "A comet", model: "grok-imagine-video" }, { timeout: 2 * DEFAULT_VIDEO_TIMEOUT_MS });
 * ```
 */
export const DEFAULT_VIDEO_TIMEOUT_MS = 600_000;

/**
 * Progress of a video job, reported to `onProgress` after every poll that finds it still running.
 *
 * @example
 * ```ts
 * await client.video.generate(params, { onProgress: (p) => console.log(`${p.requestId}: ${p.progress}%`) });
 * ```
 */
export interface VideoProgress {
  /** The deferred request id. */
  requestId: string;
  /** Percentage done as reported by the server (0–100; 0 when the server does not say). */
  progress: number;
}

/**
 * The state of a video job, as `get()` reports it. Discriminate on `status`.
 *
 * @example
 * ```ts
 * const state = await client.video.get(requestId);
 * if (state.status === "done") await state.video.save("clip.mp4");
 * else if (state.status === "pending") console.log(`${state.progress}%`);
 * ```
 */
export type VideoJobState =
  | { status: "pending"; requestId: string; progress: number; proto: GetDeferredVideoResponse }
  | { status: "done"; requestId: string; video: VideoResponse; proto: GetDeferredVideoResponse }
  | { status: "failed"; requestId: string; error: VideoGenerationError; proto: GetDeferredVideoResponse }
  | { status: "expired"; requestId: string; error: VideoExpiredError; proto: GetDeferredVideoResponse };

function requireRequestId(requestId: unknown): string {
  if (typeof requestId !== "string" || requestId.trim() === "") {
    throw new XaiInputError(
      `requestId must be the non-empty id returned by start() or startExtend(), got ${JSON.stringify(requestId)}`,
    );
  }
  return requestId;
}

/** Gives a job state a `toJSON()` (not enumerable), so that `JSON.stringify(state)` works despite int64 fields. */
function withJson(state: VideoJobState): VideoJobState {
  const toJSON = () => ({
    status: state.status,
    requestId: state.requestId,
    ...(state.status === "pending" ? { progress: state.progress } : {}),
    ...(state.status === "done" ? { video: state.video.toJSON() } : {}),
    ...(state.status === "failed" || state.status === "expired"
      ? { error: { name: state.error.name, message: state.error.message } }
      : {}),
    proto: protoToJson(GetDeferredVideoResponseSchema, state.proto),
  });
  Object.defineProperty(state, "toJSON", { value: toJSON, enumerable: false });
  return state;
}

/** Interprets one GetDeferredVideo answer. Unknown statuses count as still pending. */
function jobState(requestId: string, proto: GetDeferredVideoResponse, operation: string): VideoJobState {
  return withJson(interpretJob(requestId, proto, operation));
}

function interpretJob(requestId: string, proto: GetDeferredVideoResponse, operation: string): VideoJobState {
  switch (proto.status) {
    case DeferredStatus.DONE:
      if (!proto.response) {
        return {
          status: "failed",
          requestId,
          proto,
          error: new VideoGenerationError("NO_RESPONSE", "the server reported DONE but sent no video", {
            requestId,
            operation,
          }),
        };
      }
      return { status: "done", requestId, proto, video: new VideoResponse(proto.response, requestId) };
    case DeferredStatus.FAILED: {
      const error = proto.response?.error;
      return {
        status: "failed",
        requestId,
        proto,
        error: error
          ? new VideoGenerationError(error.code || "UNKNOWN", error.message || "no details given", {
              requestId,
              operation,
            })
          : new VideoGenerationError("UNKNOWN", "the server reported FAILED without details", {
              requestId,
              operation,
            }),
      };
    }
    case DeferredStatus.EXPIRED:
      return { status: "expired", requestId, proto, error: new VideoExpiredError(requestId, operation) };
    default:
      return { status: "pending", requestId, proto, progress: proto.response?.progress ?? 0 };
  }
}

/**
 * Video generation and extension (Video service). Reached as `client.video`.
 *
 * Generation is deferred: `start()` returns a request id and `get()` reports its state; `generate()` does
 * both and waits, polling with {@link DEFAULT_VIDEO_POLL_INTERVAL_MS} until {@link DEFAULT_VIDEO_TIMEOUT_MS}.
 *
 * @example
 * ```ts
 * const video = await client.video.generate(
 *   { prompt: "A paper boat on a stream", model: "grok-imagine-video", duration: 5 },
 *   { onProgress: (p) => console.log(p.progress) },
 * );
 * await video.save("boat.mp4");
 * ```
 */
export class VideoClient {
  /** @internal */
  constructor(protected readonly transport: Transport) {}

  /**
   * Starts generating a video and returns its request id without waiting.
   *
   * @example
   * ```ts
   * const requestId = await client.video.start({ prompt: "A comet", model: "grok-imagine-video" });
   * ```
   */
  async start(params: VideoGenerateOptions, options?: CallOptions): Promise<string> {
    const request = buildGenerateVideoRequest(params);
    const started = await this.transport.api.unary(Video.method.generateVideo, request, options);
    return started.requestId;
  }

  /**
   * Starts extending a video and returns its request id without waiting.
   *
   * @example
   * ```ts
   * const requestId = await client.video.startExtend({ prompt: "It rains", model: "grok-imagine-video", video: url });
   * ```
   */
  async startExtend(params: VideoExtendOptions, options?: CallOptions): Promise<string> {
    const request = buildExtendVideoRequest(params);
    const started = await this.transport.api.unary(Video.method.extendVideo, request, options);
    return started.requestId;
  }

  /**
   * Reports the state of a video job once (no waiting): pending with progress, done with the video,
   * failed with the server's error, or expired.
   *
   * @example
   * ```ts
   * const state = await client.video.get(requestId);
   * ```
   */
  async get(requestId: string, options?: CallOptions): Promise<VideoJobState> {
    const id = requireRequestId(requestId);
    const proto = await this.transport.api.unary(Video.method.getDeferredVideo, { requestId: id }, options);
    return jobState(id, proto, "video generation");
  }

  /**
   * Generates a video and waits for it. `options.timeout` is the whole wait's budget, the start call included
   * (default {@link DEFAULT_VIDEO_TIMEOUT_MS}); `pollInterval` defaults to {@link DEFAULT_VIDEO_POLL_INTERVAL_MS};
   * `signal` aborts the wait and the call in flight; `metadata` goes on every call. Rejects with
   * {@link VideoGenerationError} if the server reports a failure, {@link VideoExpiredError} if the job expired,
   * and `PollTimeoutError` if `timeout` passes first (the job may still finish: the error's `what` ends with
   * its request id, for `get()`).
   *
   * @example
   * ```ts
   * const video = await client.video.generate(
   *   { prompt: "Fireworks", model: "grok-imagine-video" },
   *   { timeout: 300_000, onProgress: (p) => console.log(`${p.progress}%`) },
   * );
   * console.log(video.url);
   * ```
   */
  async generate(params: VideoGenerateOptions, options?: WaitOptions<VideoProgress>): Promise<VideoResponse> {
    const request = buildGenerateVideoRequest(params);
    return this.run("video generation", options, (call) =>
      this.transport.api.unary(Video.method.generateVideo, request, call),
    );
  }

  /**
   * Extends a video and waits for the result; options and errors as {@link VideoClient.generate}.
   *
   * @example
   * ```ts
   * const longer = await client.video.extend(
   *   { prompt: "The sun sets", model: "grok-imagine-video", video: first.url },
   *   { pollInterval: 2_000 },
   * );
   * ```
   */
  async extend(params: VideoExtendOptions, options?: WaitOptions<VideoProgress>): Promise<VideoResponse> {
    const request = buildExtendVideoRequest(params);
    return this.run("video extension", options, (call) =>
      this.transport.api.unary(Video.method.extendVideo, request, call),
    );
  }

  /**
   * Builds a generation request for a batch (no network): pass the result to `client.batch.add()`.
   *
   * @example
   * ```ts
   * await client.batch.add(batch.id, [client.video.prepare({ prompt: "Rain", model: "grok-imagine-video" }, { batchRequestId: "rain" })]);
   * ```
   */
  prepare(params: VideoGenerateOptions, prepareOptions?: VideoPrepareOptions): PreparedVideoRequest {
    return new PreparedVideoRequest(buildGenerateVideoRequest(params), prepareOptions);
  }

  /**
   * Builds an extension request for a batch (no network).
   *
   * @example
   * ```ts
   * const entry = client.video.prepareExtend({ prompt: "Snow", model: "grok-imagine-video", video: { fileId } });
   * ```
   */
  prepareExtend(params: VideoExtendOptions, prepareOptions?: VideoPrepareOptions): PreparedVideoExtension {
    return new PreparedVideoExtension(buildExtendVideoRequest(params), prepareOptions);
  }

  /**
   * Starts a job, then polls it until done. The first poll follows the start call immediately; the
   * timeout covers the start call too.
   */
  private async run(
    operation: string,
    options: WaitOptions<VideoProgress> | undefined,
    startCall: (call: CallOptions) => Promise<{ requestId: string }>,
  ): Promise<VideoResponse> {
    let requestId: string | undefined;
    try {
      return await poll<VideoResponse, VideoProgress>(
        operation,
        async (call): Promise<PollStep<VideoResponse, VideoProgress>> => {
          if (requestId === undefined) requestId = (await startCall(call())).requestId;
          const proto = await this.transport.api.unary(Video.method.getDeferredVideo, { requestId }, call());
          const state = jobState(requestId, proto, operation);
          switch (state.status) {
            case "done":
              return { done: true, value: state.video };
            case "pending":
              return { done: false, progress: { requestId, progress: state.progress } };
            default:
              throw state.error;
          }
        },
        options,
        { pollInterval: DEFAULT_VIDEO_POLL_INTERVAL_MS, timeout: DEFAULT_VIDEO_TIMEOUT_MS },
      );
    } catch (err) {
      // Name the job in the timeout error once its id is known, so that the caller can keep polling it.
      if (err instanceof PollTimeoutError && requestId !== undefined) {
        throw new PollTimeoutError(
          `${operation} ${requestId}`,
          err.elapsedMs,
          options?.timeout ?? DEFAULT_VIDEO_TIMEOUT_MS,
        );
      }
      throw err;
    }
  }
}
