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
export { DEFAULT_DOWNLOAD_TIMEOUT_MS, type DownloadOptions } from "../core/download.js";
export { ContentModeratedError, DownloadError } from "../errors.js";
export { ImageClient, type PrepareImageOptions } from "./client.js";
export { type ImageDetailLevel, type ImageInput, type ImageReference, imageContent } from "./input.js";
export {
  type ImageAspectRatio,
  type ImageFormatName,
  type ImageGenerateOptions,
  type ImageModel,
  type ImageQuality,
  type ImageResolution,
  MAX_IMAGES_PER_REQUEST,
  PreparedImageRequest,
} from "./request.js";
export { ImageResponse } from "./response.js";
