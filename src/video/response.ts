import { type Usage, usageOf } from "../chat/types.js";
import { costUsdOf } from "../core/cost.js";
import { type DownloadOptions, downloadBytes, downloadToFile } from "../core/download.js";
import { ProtoWrapper } from "../core/wrapper.js";
import { ContentModeratedError, VideoGenerationError } from "../errors.js";
import { GeneratedFileOutput } from "../files/stored-file.js";
import { type VideoResponse as VideoResponseProto, VideoResponseSchema } from "../gen/xai/api/v1/video_pb.js";

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

  /** Token and cost accounting as plain numbers (zeros when not reported). */
  get usage(): Usage {
    return usageOf(this.proto.usage);
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
