import { costUsdOf } from "../core/cost.js";
import { type DownloadOptions, downloadBytes, downloadToFile } from "../core/download.js";
import { ProtoWrapper } from "../core/wrapper.js";
import { GeneratedFileOutput } from "../files/stored-file.js";
import type { SamplingUsage } from "../gen/xai/api/v1/usage_pb.js";
import { type VideoResponse as VideoResponseProto, VideoResponseSchema } from "../gen/xai/api/v1/video_pb.js";
import { ContentModeratedError } from "../image/response.js";
import { XaiError } from "../transport/errors.js";
import { Status } from "../transport/status.js";

const STATUS_BY_NAME = new Map<string, number>(Object.entries(Status));

/**
 * Details of a {@link VideoGenerationError} besides the server's code and message.
 *
 * @example
 * ```ts
 * new VideoGenerationError("content_policy", "blocked", { requestId: "req-1", operation: "video extension" });
 * ```
 */
export interface VideoGenerationErrorContext {
  /** The deferred request id, when known. */
  requestId?: string | undefined;
  /** What failed, for the message; default `video generation`. */
  operation?: string;
  /** The gRPC status to report; default: the status named by the server's code, else UNKNOWN. */
  code?: number;
}

/**
 * A video generation or extension did not produce a video: the server reported it FAILED (`serverCode` and
 * `serverMessage` are what it said), or reported it done without a video. `code` is the gRPC status
 * matching `serverCode` when it names one, else UNKNOWN. (A video withheld by moderation is a
 * `ContentModeratedError`, raised when its URL is read.)
 *
 * @example
 * ```ts
 * try {
 *   await client.video.generate({ prompt, model: "grok-imagine-video" });
 * } catch (err) {
 *   if (err instanceof VideoGenerationError) console.error(err.serverCode, err.serverMessage);
 * }
 * ```
 */
export class VideoGenerationError extends XaiError {
  /** The error code reported by the server (a string such as `"INVALID_ARGUMENT"` or `"content_policy"`). */
  readonly serverCode: string;
  /** The server's explanation. */
  readonly serverMessage: string;
  /** The deferred request id, when known. */
  readonly requestId: string | undefined;
  constructor(serverCode: string, serverMessage: string, context: VideoGenerationErrorContext = {}) {
    const code = context.code ?? STATUS_BY_NAME.get(serverCode.toUpperCase()) ?? Status.UNKNOWN;
    const where = context.requestId ? ` (request ${context.requestId})` : "";
    super({
      code,
      details: `${context.operation ?? "video generation"} failed${where} [${serverCode}]: ${serverMessage}`,
    });
    this.serverCode = serverCode;
    this.serverMessage = serverMessage;
    this.requestId = context.requestId;
  }
}

/**
 * The deferred video request expired on the server before its result was fetched (code DEADLINE_EXCEEDED,
 * `serverCode` `"EXPIRED"`); start a new one.
 *
 * @example
 * ```ts
 * if (err instanceof VideoExpiredError) await client.video.generate(options);
 * ```
 */
export class VideoExpiredError extends VideoGenerationError {
  constructor(requestId: string, operation = "video generation") {
    super("EXPIRED", "the request expired on the server before it finished; start a new one", {
      requestId,
      operation,
      code: Status.DEADLINE_EXCEEDED,
    });
  }
}

/**
 * A generated video: its temporary URL, duration, moderation flag, stored file and cost.
 * `save(path)` downloads it to a file.
 *
 * @example
 * ```ts
 * const video = await client.video.generate({ prompt: "A cat surfing", model: "grok-imagine-video" });
 * console.log(video.url, video.duration, video.costUsd);
 * await video.save("cat.mp4");
 * ```
 */
export class VideoResponse extends ProtoWrapper<typeof VideoResponseSchema> {
  /** The deferred request id this video came from, when known. */
  readonly requestId: string | undefined;

  constructor(proto: VideoResponseProto, requestId?: string) {
    super(VideoResponseSchema, proto);
    this.requestId = requestId;
  }

  /** The model that generated the video. */
  get model(): string {
    return this.proto.model;
  }

  /**
   * The video's URL (temporary; download it or use `storageOptions` to keep it).
   * Throws `ContentModeratedError` when the video was withheld by moderation, and
   * {@link VideoGenerationError} when no URL was returned.
   */
  get url(): string {
    const video = this.proto.video;
    if (video?.url) return video.url;
    if (video && !video.respectModeration) throw new ContentModeratedError("the video");
    throw new VideoGenerationError("NO_URL", "the response holds no video URL", {
      requestId: this.requestId,
    });
  }

  /** Length of the video in seconds. */
  get duration(): number {
    return this.proto.video?.duration ?? 0;
  }

  /** Whether the video passed moderation (when false, there is no URL). */
  get respectModeration(): boolean {
    return this.proto.video?.respectModeration ?? false;
  }

  /** Progress reported by the server, 0–100. */
  get progress(): number {
    return this.proto.progress;
  }

  /** Where the video was stored in your files, when `storageOptions` were given. */
  get fileOutput(): GeneratedFileOutput | undefined {
    const output = this.proto.video?.fileOutput;
    return output ? new GeneratedFileOutput(output) : undefined;
  }

  /** Why storing the video failed, if it did (the video is still reachable through `url`). */
  get storageError(): string | undefined {
    return this.proto.video?.storageError;
  }

  /** The public URL of the stored video, when one was asked for. */
  get publicUrl(): string | undefined {
    return this.proto.video?.fileOutput?.publicUrl;
  }

  /** Why the public URL could not be created, if it failed. */
  get publicUrlError(): string | undefined {
    return this.proto.video?.fileOutput?.publicUrlError;
  }

  /** Token and cost accounting. */
  get usage(): SamplingUsage | undefined {
    return this.proto.usage;
  }

  /** Cost in USD, when the server reported it. */
  get costUsd(): number | undefined {
    return costUsdOf(this.proto.usage);
  }

  /**
   * Downloads the video into memory.
   *
   * @example
   * ```ts
   * const mp4 = await video.bytes({ timeout: 30_000 });
   * ```
   */
  async bytes(options?: DownloadOptions): Promise<Buffer> {
    return downloadBytes(this.url, options);
  }

  /**
   * Streams the video into a file (not held in memory; the file appears only once complete) and resolves
   * with the path.
   *
   * @example
   * ```ts
   * await video.save("out/cat.mp4", { timeout: 120_000 });
   * ```
   */
  async save(path: string, options?: DownloadOptions): Promise<string> {
    await downloadToFile(this.url, path, options);
    return path;
  }
}
