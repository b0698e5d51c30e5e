import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { PreparedRequest } from "../batch/requests.js";
import { checkEnum, describe, requireText } from "../core/check.js";
import { lazy } from "../core/lazy.js";
import { type GeneratedFileStorage, storageOptionsProto } from "../files/storage.js";
import {
  ImageAspectRatio as AspectRatioProto,
  type GenerateImageRequest,
  GenerateImageRequestSchema,
  ImageFormat,
  ImageQuality as QualityProto,
  ImageResolution as ResolutionProto,
} from "../gen/xai/api/v1/image_pb.js";
import { XaiInputError } from "../transport/errors.js";
import { type ImageInput, imageContent } from "./input.js";

/**
 * Image generation models. Any other string is accepted too, so new models work without an SDK update.
 *
 * @example
 * ```ts
 * const model: ImageModel = "grok-imagine-image";
 * ```
 */
export type ImageModel =
  | "grok-imagine-image"
  | "grok-imagine-image-2.0"
  | "grok-imagine-image-quality"
  | "grok-2-image"
  | (string & {});

/**
 * Aspect ratios of a generated image. `"auto"` lets the model choose (only some models support it).
 *
 * @example
 * ```ts
 * await client.image.sample({ prompt: "a skyline", model: "grok-imagine-image", aspectRatio: "16:9" });
 * ```
 */
export type ImageAspectRatio =
  | "1:1"
  | "3:4"
  | "4:3"
  | "9:16"
  | "16:9"
  | "2:3"
  | "3:2"
  | "9:19.5"
  | "19.5:9"
  | "9:20"
  | "20:9"
  | "1:2"
  | "2:1"
  | "auto";

/**
 * Resolution of a generated image: `"1k"` (about one megapixel) or `"2k"` (upscaled).
 *
 * @example
 * ```ts
 * const resolution: ImageResolution = "2k";
 * ```
 */
export type ImageResolution = "1k" | "2k";

/**
 * Quality of a generated image, on models that support it (e.g. `grok-imagine-image-2.0`).
 *
 * @example
 * ```ts
 * const quality: ImageQuality = "medium";
 * ```
 */
export type ImageQuality = "low" | "medium" | "high";

/**
 * How the image comes back: a temporary `"url"` (the default) or inline `"base64"` data.
 *
 * @example
 * ```ts
 * const image = await client.image.sample({ prompt: "a fox", model: "grok-imagine-image", format: "base64" });
 * ```
 */
export type ImageFormatName = "url" | "base64";

/**
 * What to generate: the prompt and model, and optionally input images (edits), size, quality, format and
 * storage.
 *
 * @example
 * ```ts
 * const params: ImageGenerateOptions = {
 *   prompt: "A watercolor fox",
 *   model: "grok-imagine-image",
 *   aspectRatio: "3:2",
 *   resolution: "1k",
 *   format: "base64",
 *   storageOptions: { filename: "fox.png", publicUrl: true },
 * };
 * ```
 */
export interface ImageGenerateOptions {
  /** What the image should show (or, with input images, how to change them). */
  prompt: string;
  /** The image model. */
  model: ImageModel;
  /** How many images to generate, 1 to 10 (for `prepare`; `sample` makes one, `sampleBatch(n)` several). */
  n?: number;
  /** `"url"` (default) or `"base64"`. */
  format?: ImageFormatName;
  /** Aspect ratio; the model's default when omitted. */
  aspectRatio?: ImageAspectRatio;
  /** Resolution; the model's default when omitted. */
  resolution?: ImageResolution;
  /** Quality; the model's default when omitted. */
  quality?: ImageQuality;
  /** One image to edit. Not together with `images`. */
  image?: ImageInput;
  /** Several images to combine or edit. Not together with `image`. */
  images?: ImageInput[];
  /** Also store the images in your files (and optionally publish them). */
  storageOptions?: GeneratedFileStorage;
  /** An id of your end user, kept in xAI's logs. */
  user?: string;
}

const FORMATS = lazy(
  (): Record<ImageFormatName, ImageFormat> => ({
    url: ImageFormat.IMG_FORMAT_URL,
    base64: ImageFormat.IMG_FORMAT_BASE64,
  }),
);

const ASPECT_RATIOS = lazy(
  (): Record<ImageAspectRatio, AspectRatioProto> => ({
    "1:1": AspectRatioProto.IMG_ASPECT_RATIO_1_1,
    "3:4": AspectRatioProto.IMG_ASPECT_RATIO_3_4,
    "4:3": AspectRatioProto.IMG_ASPECT_RATIO_4_3,
    "9:16": AspectRatioProto.IMG_ASPECT_RATIO_9_16,
    "16:9": AspectRatioProto.IMG_ASPECT_RATIO_16_9,
    "2:3": AspectRatioProto.IMG_ASPECT_RATIO_2_3,
    "3:2": AspectRatioProto.IMG_ASPECT_RATIO_3_2,
    "9:19.5": AspectRatioProto.IMG_ASPECT_RATIO_9_19_5,
    "19.5:9": AspectRatioProto.IMG_ASPECT_RATIO_19_5_9,
    "9:20": AspectRatioProto.IMG_ASPECT_RATIO_9_20,
    "20:9": AspectRatioProto.IMG_ASPECT_RATIO_20_9,
    "1:2": AspectRatioProto.IMG_ASPECT_RATIO_1_2,
    "2:1": AspectRatioProto.IMG_ASPECT_RATIO_2_1,
    auto: AspectRatioProto.IMG_ASPECT_RATIO_AUTO,
  }),
);

const RESOLUTIONS = lazy(
  (): Record<ImageResolution, ResolutionProto> => ({
    "1k": ResolutionProto.IMG_RESOLUTION_1K,
    "2k": ResolutionProto.IMG_RESOLUTION_2K,
  }),
);

const QUALITIES = lazy(
  (): Record<ImageQuality, QualityProto> => ({
    low: QualityProto.IMG_QUALITY_LOW,
    medium: QualityProto.IMG_QUALITY_MEDIUM,
    high: QualityProto.IMG_QUALITY_HIGH,
  }),
);

/**
 * The most images one request may ask for.
 *
 * @example
 * ```ts
 * const images = await client.image.sampleBatch(MAX_IMAGES_PER_REQUEST, { prompt: "variations", model: "grok-imagine-image" });
 * ```
 */
export const MAX_IMAGES_PER_REQUEST = 10;

/** Checks an image count: a whole number from 1 to 10. @internal */
export function checkImageCount(n: unknown, name: string): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > MAX_IMAGES_PER_REQUEST) {
    throw new XaiInputError(
      `${name} must be a whole number from 1 to ${MAX_IMAGES_PER_REQUEST}, got ${describe(n)}`,
    );
  }
  return n;
}

/**
 * Builds and checks the GenerateImage request (no network). `n` and `format` are always set, with
 * presence (1 and URL by default), as the Python SDK sends them.
 * @internal
 */
export function buildGenerateImageRequest(params: ImageGenerateOptions, n?: number): GenerateImageRequest {
  if (typeof params !== "object" || params === null) {
    throw new XaiInputError(
      'image requests take { prompt, model }, e.g. { prompt: "a fox", model: "grok-imagine-image" }',
    );
  }
  const init: MessageInitShape<typeof GenerateImageRequestSchema> = {
    prompt: requireText(params.prompt, "prompt", '"a watercolor fox"'),
    model: requireText(params.model, "model", '"grok-imagine-image"'),
    n: n ?? (params.n === undefined ? 1 : checkImageCount(params.n, "n")),
    format: checkEnum(FORMATS(), params.format, "format") ?? ImageFormat.IMG_FORMAT_URL,
    quality: checkEnum(QUALITIES(), params.quality, "quality"),
    aspectRatio: checkEnum(ASPECT_RATIOS(), params.aspectRatio, "aspectRatio"),
    resolution: checkEnum(RESOLUTIONS(), params.resolution, "resolution"),
  };
  if (params.user !== undefined) {
    if (typeof params.user !== "string") throw new XaiInputError("user must be a string");
    init.user = params.user;
  }
  if (params.image !== undefined && params.images !== undefined) {
    throw new XaiInputError("give either `image` (one input image) or `images` (several), not both");
  }
  if (params.image !== undefined) init.image = imageContent(params.image, "image");
  if (params.images !== undefined) {
    if (!Array.isArray(params.images) || params.images.length === 0) {
      throw new XaiInputError(
        "images must be a non-empty array of image URLs, { url } or { fileId } objects",
      );
    }
    init.images = params.images.map((img, i) => imageContent(img, `images[${i}]`));
  }
  if (params.storageOptions !== undefined) init.storageOptions = storageOptionsProto(params.storageOptions);
  return create(GenerateImageRequestSchema, init);
}

/**
 * An image generation request built for a batch (`client.batch.add`), with an optional id of yours.
 *
 * @example
 * ```ts
 * const request = client.image.prepare({ prompt: "a fox", model: "grok-imagine-image" }, { batchRequestId: "fox" });
 * console.log(request.kind, request.batchRequestId, request.proto.prompt);
 * await client.batch.add(batch.id, [request]);
 * ```
 */
export class PreparedImageRequest extends PreparedRequest<typeof GenerateImageRequestSchema> {
  /** Tells batch entries apart: always `"image"`. */
  readonly kind = "image" as const;

  /** @internal */
  constructor(proto: GenerateImageRequest, batchRequestId: string | undefined) {
    super(GenerateImageRequestSchema, proto, batchRequestId);
  }
}
