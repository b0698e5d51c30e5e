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

export { VideoExpiredError, VideoGenerationError, type VideoGenerationErrorContext } from "../errors.js";
export {
  DEFAULT_VIDEO_POLL_INTERVAL_MS,
  DEFAULT_VIDEO_TIMEOUT_MS,
  VideoClient,
  type VideoJobState,
  type VideoProgress,
} from "./client.js";
export {
  PreparedVideoExtension,
  PreparedVideoRequest,
  type VideoAspectRatio,
  type VideoExtendOptions,
  type VideoGenerateOptions,
  type VideoInput,
  type VideoModel,
  type VideoPrepareOptions,
  type VideoResolution,
} from "./request.js";
export { VideoResponse } from "./response.js";
