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
export type { DownloadOptions } from "../core/download.js";
export type { ImageClient, PrepareImageOptions } from "./client.js";
export type { ImageDetailLevel, ImageInput, ImageReference } from "./input.js";
export { imageContent } from "./input.js";
export type {
  ImageAspectRatio,
  ImageFormatName,
  ImageGenerateOptions,
  ImageModel,
  ImageQuality,
  ImageResolution,
  PreparedImageRequest,
} from "./request.js";
export type { ImageResponse } from "./response.js";
