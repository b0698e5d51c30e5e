import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { PreparedRequest } from "../batch/requests.js";
import { checkEnum, checkSeconds, describe, requireText } from "../core/check.js";
import { lazy } from "../core/lazy.js";
import { type GeneratedFileStorage, storageOptionsProto } from "../files/storage.js";
import {
  type ExtendVideoRequest,
  ExtendVideoRequestSchema,
  type GenerateVideoRequest,
  GenerateVideoRequestSchema,
  VideoAspectRatio as VideoAspectRatioProto,
  VideoResolution as VideoResolutionProto,
  type VideoUrlContentSchema,
} from "../gen/xai/api/v1/video_pb.js";
import { type ImageInput, imageContent } from "../image/input.js";
import { XaiInputError } from "../transport/errors.js";

/**
 * Video generation models. Any other string is accepted too (new models work without an SDK update).
 *
 * @example
 * ```ts
 * const model: VideoModel = "grok-imagine-video";
 * ```
 */
export type VideoModel = "grok-imagine-video" | "grok-imagine-video-1.5" | (string & {});

/**
 * Aspect ratios a video can be generated in.
 *
 * @example
 * ```ts
 * await client.video.generate({ prompt: "a wave", model: "grok-imagine-video", aspectRatio: "16:9" });
 * ```
 */
export type VideoAspectRatio = "1:1" | "16:9" | "9:16" | "4:3" | "3:4" | "3:2" | "2:3";

/**
 * Resolutions a video can be generated in.
 *
 * @example
 * ```ts
 * await client.video.generate({ prompt: "a wave", model: "grok-imagine-video", resolution: "720p" });
 * ```
 */
export type VideoResolution = "480p" | "720p" | "1080p";

/**
 * A video given to a generation: a URL as a plain string or `{ url }`, or `{ fileId }` of a file uploaded
 * with `client.files.upload`.
 *
 * @example
 * ```ts
 * const fromUrl: VideoInput = "https://example.com/clip.mp4";
 * const fromFile: VideoInput = { fileId: uploaded.id };
 * ```
 */
export type VideoInput = string | { url: string } | { fileId: string };

/**
 * What to generate: the prompt, the model and the optional inputs and settings of a video.
 *
 * @example
 * ```ts
 * const options: VideoGenerateOptions = {
 *   prompt: "The cat jumps onto the table",
 *   model: "grok-imagine-video",
 *   image: { fileId: photo.id },
 *   duration: 6,
 *   aspectRatio: "16:9",
 *   resolution: "720p",
 * };
 * ```
 */
export interface VideoGenerateOptions {
  /** What the video should show. */
  prompt: string;
  /** The video model, e.g. `grok-imagine-video`. */
  model: VideoModel;
  /** A starting image (image-to-video), by URL or file id. Not together with `video`. */
  image?: ImageInput;
  /** A video to edit (video-to-video), by URL or file id. Not together with `image`. */
  video?: VideoInput;
  /** Length in whole seconds. */
  duration?: number;
  /** Aspect ratio; the model's default when omitted. */
  aspectRatio?: VideoAspectRatio;
  /** Resolution; the model's default when omitted. */
  resolution?: VideoResolution;
  /** Images whose subjects or style the video should reuse (reference-to-video). */
  referenceImages?: ImageInput[];
  /** Voices to use, by voice id (a string or `{ voiceId }`). */
  referenceAudios?: (string | { voiceId: string })[];
  /** Whether to generate a soundtrack; the model's default when omitted. */
  generateAudio?: boolean;
  /** Also store the video in your files (and optionally publish it). */
  storageOptions?: GeneratedFileStorage;
}

/**
 * What to extend: an existing video (by URL or file id), continued according to the prompt.
 *
 * @example
 * ```ts
 * const options: VideoExtendOptions = { prompt: "The camera pulls back", model: "grok-imagine-video", video: first.url, duration: 4 };
 * ```
 */
export interface VideoExtendOptions {
  /** How the video should continue. */
  prompt: string;
  /** The video model. */
  model: VideoModel;
  /** The video to extend, by URL or file id. */
  video: VideoInput;
  /** Length of the added part in whole seconds. */
  duration?: number;
  /** Also store the result in your files. */
  storageOptions?: GeneratedFileStorage;
}

/**
 * Options of `prepare()` / `prepareExtend()`.
 *
 * @example
 * ```ts
 * const request = client.video.prepare({ prompt: "a wave", model: "grok-imagine-video" }, { batchRequestId: "wave-1" });
 * ```
 */
export interface VideoPrepareOptions {
  /** Your id for this request in the batch (results carry it back); assigned by the server when omitted. */
  batchRequestId?: string;
}

const ASPECT_RATIOS = lazy(
  (): Record<VideoAspectRatio, VideoAspectRatioProto> => ({
    "1:1": VideoAspectRatioProto.VIDEO_ASPECT_RATIO_1_1,
    "16:9": VideoAspectRatioProto.VIDEO_ASPECT_RATIO_16_9,
    "9:16": VideoAspectRatioProto.VIDEO_ASPECT_RATIO_9_16,
    "4:3": VideoAspectRatioProto.VIDEO_ASPECT_RATIO_4_3,
    "3:4": VideoAspectRatioProto.VIDEO_ASPECT_RATIO_3_4,
    "3:2": VideoAspectRatioProto.VIDEO_ASPECT_RATIO_3_2,
    "2:3": VideoAspectRatioProto.VIDEO_ASPECT_RATIO_2_3,
  }),
);

const RESOLUTIONS = lazy(
  (): Record<VideoResolution, VideoResolutionProto> => ({
    "480p": VideoResolutionProto.VIDEO_RESOLUTION_480P,
    "720p": VideoResolutionProto.VIDEO_RESOLUTION_720P,
    "1080p": VideoResolutionProto.VIDEO_RESOLUTION_1080P,
  }),
);

function requireOptions(options: unknown, method: string): void {
  if (typeof options !== "object" || options === null) {
    throw new XaiInputError(
      `${method} takes an options object, e.g. ${method}({ prompt: "a wave", model: "grok-imagine-video" })`,
    );
  }
}

function videoContent(input: unknown, name: string): MessageInitShape<typeof VideoUrlContentSchema> {
  if (typeof input === "string" && input.trim() !== "") return { source: { case: "url", value: input } };
  if (typeof input === "object" && input !== null) {
    const { url, fileId } = input as { url?: unknown; fileId?: unknown };
    if (url !== undefined && fileId !== undefined) {
      throw new XaiInputError(`${name} takes either { url } or { fileId }, not both`);
    }
    if (typeof url === "string" && url.trim() !== "") return { source: { case: "url", value: url } };
    if (typeof fileId === "string" && fileId.trim() !== "")
      return { source: { case: "fileId", value: fileId } };
  }
  throw new XaiInputError(
    `${name} must be a video URL, { url: "https://…" } or { fileId: "file-…" }, got ${describe(input)}`,
  );
}

/**
 * Builds and validates the GenerateVideo request for `options` (no network).
 * @internal
 */
export function buildGenerateVideoRequest(options: VideoGenerateOptions): GenerateVideoRequest {
  requireOptions(options, "video.generate");
  const init: MessageInitShape<typeof GenerateVideoRequestSchema> = {
    prompt: requireText(options.prompt, "prompt"),
    model: requireText(options.model, "model"),
  };
  if (options.image !== undefined && options.video !== undefined) {
    throw new XaiInputError(
      "give either `image` (image-to-video) or `video` (video-to-video), not both; to continue a video use extend()",
    );
  }
  if (options.image !== undefined) init.image = imageContent(options.image, "image");
  if (options.video !== undefined) init.video = videoContent(options.video, "video");
  init.duration = checkSeconds(options.duration, "duration");
  init.aspectRatio = checkEnum(ASPECT_RATIOS(), options.aspectRatio, "aspectRatio");
  init.resolution = checkEnum(RESOLUTIONS(), options.resolution, "resolution");
  if (options.referenceImages !== undefined) {
    if (!Array.isArray(options.referenceImages)) {
      throw new XaiInputError("referenceImages must be an array of URLs, { url } or { fileId } objects");
    }
    init.referenceImages = options.referenceImages.map((img, i) =>
      imageContent(img, `referenceImages[${i}]`),
    );
  }
  if (options.referenceAudios !== undefined) {
    if (!Array.isArray(options.referenceAudios)) {
      throw new XaiInputError(
        'referenceAudios must be an array of voice ids, e.g. ["voice-1"] or [{ voiceId: "voice-1" }]',
      );
    }
    init.referenceAudios = options.referenceAudios.map((audio, i) => {
      const raw = typeof audio === "string" ? audio : (audio as { voiceId?: unknown } | null)?.voiceId;
      if (typeof raw !== "string" || raw.trim() === "") {
        throw new XaiInputError(
          `referenceAudios[${i}] must be a voice id string or { voiceId: "…" }, got ${describe(audio)}`,
        );
      }
      return { source: { case: "voiceId", value: raw.trim() } };
    });
  }
  if (options.generateAudio !== undefined) {
    if (typeof options.generateAudio !== "boolean") {
      throw new XaiInputError(`generateAudio must be true or false, got ${describe(options.generateAudio)}`);
    }
    init.generateAudio = options.generateAudio;
  }
  if (options.storageOptions !== undefined) init.storageOptions = storageOptionsProto(options.storageOptions);
  return create(GenerateVideoRequestSchema, init);
}

/**
 * Builds and validates the ExtendVideo request for `options` (no network).
 * @internal
 */
export function buildExtendVideoRequest(options: VideoExtendOptions): ExtendVideoRequest {
  requireOptions(options, "video.extend");
  const init: MessageInitShape<typeof ExtendVideoRequestSchema> = {
    prompt: requireText(options.prompt, "prompt"),
    model: requireText(options.model, "model"),
  };
  if (options.video === undefined) {
    throw new XaiInputError(
      "extend needs the video to continue: pass `video` as a URL or { fileId }, e.g. { video: first.url }",
    );
  }
  init.video = videoContent(options.video, "video");
  init.duration = checkSeconds(options.duration, "duration");
  if (options.storageOptions !== undefined) init.storageOptions = storageOptionsProto(options.storageOptions);
  return create(ExtendVideoRequestSchema, init);
}

/**
 * A video generation request built for a batch by `client.video.prepare()`; pass it to `client.batch.add()`.
 *
 * @example
 * ```ts
 * const request = client.video.prepare({ prompt: "Rain on a window", model: "grok-imagine-video" }, { batchRequestId: "rain" });
 * await client.batch.add(batch.id, [request]);
 * ```
 */
export class PreparedVideoRequest extends PreparedRequest<typeof GenerateVideoRequestSchema> {
  /** Tells batch entries apart: always `"video"`. */
  readonly kind = "video" as const;

  /** @internal */
  constructor(proto: GenerateVideoRequest, options?: VideoPrepareOptions) {
    super(GenerateVideoRequestSchema, proto, options?.batchRequestId);
  }
}

/**
 * A video extension request built for a batch by `client.video.prepareExtend()`.
 *
 * @example
 * ```ts
 * const request = client.video.prepareExtend({ prompt: "It snows", model: "grok-imagine-video", video: { fileId } });
 * await client.batch.add(batch.id, [request]);
 * ```
 */
export class PreparedVideoExtension extends PreparedRequest<typeof ExtendVideoRequestSchema> {
  /** Tells batch entries apart: always `"videoExtension"`. */
  readonly kind = "videoExtension" as const;

  /** @internal */
  constructor(proto: ExtendVideoRequest, options?: VideoPrepareOptions) {
    super(ExtendVideoRequestSchema, proto, options?.batchRequestId);
  }
}
