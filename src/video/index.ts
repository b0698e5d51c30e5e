/**
 * Video generation and extension: `client.video`.
 *
 * @example
 * ```ts
 * const video = await client.video.generate({ prompt: "A paper boat on a stream", model: "grok-imagine-video" });
 * await video.save("boat.mp4");
 * ```
 * @module
 */

export type { VideoClient, VideoJobState, VideoProgress } from "./client.js";
export type {
  PreparedVideoExtension,
  PreparedVideoRequest,
  VideoAspectRatio,
  VideoExtendOptions,
  VideoGenerateOptions,
  VideoInput,
  VideoModel,
  VideoPrepareOptions,
  VideoResolution,
} from "./request.js";
export type { VideoResponse } from "./response.js";
