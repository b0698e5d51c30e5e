// The emulator's `xai_api.Video` service. GenerateVideo and ExtendVideo validate the request and return a
// request id; GetDeferredVideo then answers PENDING (with increasing `progress`) for ctx.deferredPolls polls,
// then DONE with the URL of a small real MP4 served by the emulator (see ../media/video-clips.ts: 1 second
// long whatever the reported duration, in the requested aspect ratio).
//
// Outcomes tests can ask for through the prompt: "[moderated]" → DONE with respect_moderation = false and no
// URL; "[fail]" → FAILED with a VideoError; "[expire]" → EXPIRED.
// Defaults: duration 6 s (1 to 15 allowed), aspect ratio 16:9 (or the input image's nearest ratio),
// resolution 480p. An extension's reported duration is the input's (when the emulator made it) plus the
// extension's.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { DeferredStatus } from "../../gen/xai/api/v1/deferred_pb.js";
import type { StorageOptions } from "../../gen/xai/api/v1/image_pb.js";
import {
  type ExtendVideoRequest,
  type GenerateVideoRequest,
  Video,
  VideoAspectRatio,
  VideoResolution,
  type VideoResponseSchema,
  type VideoUrlContent,
} from "../../gen/xai/api/v1/video_pb.js";
import { type ResolvedMedia, requireImage, resolveMedia } from "../media/inputs.js";
import { decodePng } from "../media/png.js";
import { VIDEO_CLIPS } from "../media/video-clips.js";
import { perEmulator } from "../store/per-emulator.js";
import {
  type CatalogModel,
  Code,
  type EmulatorContext,
  EmulatorError,
  invalidArgument,
  register,
  type ServiceRegistration,
} from "../types.js";
import { checkStorageOptions, isModeratedPrompt, storeOutput } from "./image.js";

/** Allowed durations in seconds, and the default. */
export const VIDEO_DURATION = { min: 1, max: 15, default: 6 } as const;
/** Most reference images of one request. */
export const MAX_REFERENCE_IMAGES = 7;

const RATIO_NAMES: Record<number, string> = {
  [VideoAspectRatio.VIDEO_ASPECT_RATIO_1_1]: "1:1",
  [VideoAspectRatio.VIDEO_ASPECT_RATIO_16_9]: "16:9",
  [VideoAspectRatio.VIDEO_ASPECT_RATIO_9_16]: "9:16",
  [VideoAspectRatio.VIDEO_ASPECT_RATIO_4_3]: "4:3",
  [VideoAspectRatio.VIDEO_ASPECT_RATIO_3_4]: "3:4",
  [VideoAspectRatio.VIDEO_ASPECT_RATIO_3_2]: "3:2",
  [VideoAspectRatio.VIDEO_ASPECT_RATIO_2_3]: "2:3",
};

type Outcome = "done" | "moderated" | "failed" | "expired";

/** A video request accepted by the emulator, waiting to be polled. */
export interface VideoJob {
  id: string;
  model: CatalogModel;
  prompt: string;
  promptTokens: number;
  duration: number;
  ratio: string;
  outcome: Outcome;
  storage?: StorageOptions;
  polls: number;
  response?: MessageInitShape<typeof VideoResponseSchema>;
}

interface VideoStore {
  jobs: Map<string, VideoJob>;
  /** Durations of the videos the emulator served, by URL and by stored file id (for extensions). */
  durations: Map<string, number>;
}

const videoStore = perEmulator<VideoStore>(() => ({ jobs: new Map(), durations: new Map() }));

function outcomeOf(prompt: string): Outcome {
  const lower = prompt.toLowerCase();
  if (lower.includes("[fail]")) return "failed";
  if (lower.includes("[expire]")) return "expired";
  if (isModeratedPrompt(prompt)) return "moderated";
  return "done";
}

function checkDuration(duration: number | undefined): number {
  if (duration === undefined) return VIDEO_DURATION.default;
  if (!Number.isInteger(duration) || duration < VIDEO_DURATION.min || duration > VIDEO_DURATION.max) {
    throw invalidArgument(
      `duration must be a whole number of seconds between ${VIDEO_DURATION.min} and ${VIDEO_DURATION.max}; got ${duration}.`,
    );
  }
  return duration;
}

function checkPrompt(ctx: EmulatorContext, model: CatalogModel, prompt: string): number {
  if (!prompt.trim()) throw invalidArgument("The prompt is empty: describe the video to generate.");
  const tokens = ctx.countTokens(prompt);
  if (tokens > model.maxPromptLength) {
    throw invalidArgument(
      `The prompt has ${tokens} tokens, more than the ${model.maxPromptLength} that ${model.name} accepts.`,
    );
  }
  return tokens;
}

function isVideo(bytes: Uint8Array): boolean {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  return (
    ascii(4, 8) === "ftyp" ||
    (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3)
  );
}

function resolveVideo(
  ctx: EmulatorContext,
  content: VideoUrlContent | undefined,
  field: string,
): ResolvedMedia {
  if (!content || content.source.case === undefined) {
    throw invalidArgument(`${field} is required: set its url or the file_id of an uploaded video.`);
  }
  const media = resolveMedia(ctx, content.source, field);
  if (media.bytes && !isVideo(media.bytes)) {
    throw invalidArgument(`${field} is not a video the API can read: send an MP4 or WebM file.`);
  }
  return media;
}

function nearestRatio(width: number, height: number): string {
  let best = "16:9";
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const clip of Object.values(VIDEO_CLIPS)) {
    const distance = Math.abs(Math.log(width / height) - Math.log(clip.width / clip.height));
    if (distance < bestDistance) {
      best = clip.ratio;
      bestDistance = distance;
    }
  }
  return best;
}

function newJob(
  ctx: EmulatorContext,
  fields: Omit<VideoJob, "id" | "polls" | "outcome" | "response">,
): VideoJob {
  const job: VideoJob = { ...fields, id: ctx.newId("video"), polls: 0, outcome: outcomeOf(fields.prompt) };
  videoStore.of(ctx).jobs.set(job.id, job);
  return job;
}

/**
 * Validates a GenerateVideoRequest and records the job GetDeferredVideo will report on.
 *
 * @example
 * ```ts
 * const job = planGeneration(ctx, request); // job.id is the request id
 * ```
 */
export function planGeneration(ctx: EmulatorContext, request: GenerateVideoRequest): VideoJob {
  const model = ctx.resolveModel(request.model, "video");
  const promptTokens = checkPrompt(ctx, model, request.prompt);
  const duration = checkDuration(request.duration);
  if (request.aspectRatio !== undefined && request.aspectRatio !== 0 && !RATIO_NAMES[request.aspectRatio]) {
    throw invalidArgument(`aspect_ratio ${request.aspectRatio} is not a valid video aspect ratio.`);
  }
  if (request.resolution !== undefined && !Object.values(VideoResolution).includes(request.resolution)) {
    throw invalidArgument(
      `resolution ${request.resolution} is not a valid video resolution (480p, 720p or 1080p).`,
    );
  }
  if (request.image && request.video) {
    throw invalidArgument("Set either image (animate a picture) or video (edit a video), not both.");
  }
  const image = request.image
    ? requireImage(resolveMedia(ctx, request.image.source, "image"), "image")
    : undefined;
  if (request.video) resolveVideo(ctx, request.video, "video");
  if (request.referenceImages.length > MAX_REFERENCE_IMAGES) {
    throw invalidArgument(
      `reference_images holds ${request.referenceImages.length} images; at most ${MAX_REFERENCE_IMAGES} are allowed.`,
    );
  }
  request.referenceImages.forEach((reference, i) => {
    requireImage(resolveMedia(ctx, reference.source, `reference_images[${i}]`), `reference_images[${i}]`);
  });
  request.referenceAudios.forEach((audio, i) => {
    if (audio.source.case !== "voiceId" || !audio.source.value.trim()) {
      throw invalidArgument(`reference_audios[${i}] needs a voice_id.`);
    }
  });
  checkStorageOptions(request.storageOptions);
  let ratio = request.aspectRatio ? RATIO_NAMES[request.aspectRatio] : undefined;
  if (!ratio && image?.bytes) {
    const raster = decodePng(image.bytes);
    if (raster) ratio = nearestRatio(raster.width, raster.height);
  }
  return newJob(ctx, {
    model,
    prompt: request.prompt,
    promptTokens,
    duration,
    ratio: ratio ?? "16:9",
    storage: request.storageOptions,
  });
}

/**
 * Validates an ExtendVideoRequest and records the job GetDeferredVideo will report on.
 *
 * @example
 * ```ts
 * const job = planExtension(ctx, request);
 * ```
 */
export function planExtension(ctx: EmulatorContext, request: ExtendVideoRequest): VideoJob {
  const model = ctx.resolveModel(request.model, "video");
  const promptTokens = checkPrompt(ctx, model, request.prompt);
  const duration = checkDuration(request.duration);
  const input = resolveVideo(ctx, request.video, "video");
  checkStorageOptions(request.storageOptions);
  const store = videoStore.of(ctx);
  const inputKey = request.video?.source.case === "fileId" ? request.video.source.value : input.url;
  const inputDuration = inputKey ? (store.durations.get(inputKey) ?? 0) : 0;
  const clip = Object.values(VIDEO_CLIPS).find(
    (c) => input.bytes && Buffer.from(c.base64, "base64").equals(input.bytes),
  );
  return newJob(ctx, {
    model,
    prompt: request.prompt,
    promptTokens,
    duration: inputDuration + duration,
    ratio: clip?.ratio ?? "16:9",
    storage: request.storageOptions,
  });
}

/**
 * The finished response of a job (built once: the video is served and stored on first use).
 *
 * @example
 * ```ts
 * const response = finishJob(ctx, job);
 * ```
 */
export function finishJob(ctx: EmulatorContext, job: VideoJob): MessageInitShape<typeof VideoResponseSchema> {
  if (job.response) return job.response;
  const usage = {
    promptTokens: job.promptTokens,
    promptTextTokens: job.promptTokens,
    totalTokens: job.promptTokens,
    costInUsdTicks: BigInt(job.model.videoSecondPrice ?? 0) * BigInt(job.duration),
  };
  if (job.outcome === "failed") {
    job.response = {
      model: job.model.name,
      progress: 100,
      error: {
        code: "generation_failed",
        message: "The video could not be generated (the prompt asked the emulator to fail with [fail]).",
      },
    };
  } else if (job.outcome === "moderated") {
    job.response = {
      model: job.model.name,
      progress: 100,
      usage,
      video: {
        url: "",
        duration: job.duration,
        respectModeration: false,
        storageError: job.storage
          ? "The video was not stored because it did not pass moderation."
          : undefined,
      },
    };
  } else {
    const clip = VIDEO_CLIPS[job.ratio] ?? VIDEO_CLIPS["16:9"];
    const bytes = new Uint8Array(Buffer.from(clip.base64, "base64"));
    const url = ctx.serveBlob(bytes, "video/mp4", `${job.id}.mp4`);
    const store = videoStore.of(ctx);
    store.durations.set(url, job.duration);
    const fileOutput = job.storage ? storeOutput(ctx, job.storage, bytes, "video/mp4", 0, 1) : undefined;
    if (fileOutput) store.durations.set(fileOutput.fileId, job.duration);
    job.response = {
      model: job.model.name,
      progress: 100,
      usage,
      video: { url, duration: job.duration, respectModeration: true, fileOutput },
    };
  }
  return job.response;
}

/**
 * The emulator's Video service.
 *
 * @example
 * ```ts
 * const registration = videoService(ctx);
 * ```
 */
export function videoService(ctx: EmulatorContext): ServiceRegistration {
  return register(Video, {
    generateVideo: (request) => ({ requestId: planGeneration(ctx, request).id }),
    extendVideo: (request) => ({ requestId: planExtension(ctx, request).id }),
    getDeferredVideo(request) {
      if (!request.requestId)
        throw invalidArgument("request_id is required: pass the id GenerateVideo returned.");
      const job = videoStore.of(ctx).jobs.get(request.requestId);
      if (!job) {
        throw new EmulatorError(Code.NOT_FOUND, `No video request with id "${request.requestId}" exists.`);
      }
      job.polls += 1;
      if (job.polls <= ctx.deferredPolls) {
        const progress = Math.floor((100 * job.polls) / (ctx.deferredPolls + 1));
        return { status: DeferredStatus.PENDING, response: { model: job.model.name, progress } };
      }
      if (job.outcome === "expired") return { status: DeferredStatus.EXPIRED };
      const response = finishJob(ctx, job);
      return { status: job.outcome === "failed" ? DeferredStatus.FAILED : DeferredStatus.DONE, response };
    },
  });
}
