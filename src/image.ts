/**
 * Image generation and editing: `client.image.sample`, `sampleBatch` and `prepare` (for batches).
 *
 * @example
 * ```ts
 * const image = await client.image.sample({ prompt: "A red bicycle", model: "grok-imagine-image" });
 * await image.save("bicycle.jpg");
 * ```
 * @module
 */
export {
  DEFAULT_DOWNLOAD_TIMEOUT_MS,
  DownloadError,
  type DownloadOptions,
} from "./core/download.js";
export { ImageClient, type PrepareImageOptions } from "./image/client.js";
export { type ImageDetailLevel, type ImageInput, type ImageReference, imageContent } from "./image/input.js";
export {
  type ImageAspectRatio,
  type ImageFormatName,
  type ImageGenerateOptions,
  type ImageModel,
  type ImageQuality,
  type ImageResolution,
  MAX_IMAGES_PER_REQUEST,
  PreparedImageRequest,
} from "./image/request.js";
export { ContentModeratedError, ImageResponse } from "./image/response.js";
