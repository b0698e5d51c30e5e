import type { MessageInitShape } from "@bufbuild/protobuf";
import { describe } from "../core/check.js";
import { lazy } from "../core/lazy.js";
import { ImageDetail, type ImageUrlContentSchema } from "../gen/xai/api/v1/image_pb.js";
import { XaiInputError } from "../transport/errors.js";

/**
 * How finely a model looks at an input image: `"auto"` (the default), `"low"` (cheaper) or `"high"`.
 *
 * @example
 * ```ts
 * const input: ImageReference = { url: "https://example.com/plan.png", detail: "high" };
 * ```
 */
export type ImageDetailLevel = "auto" | "low" | "high";

/**
 * An image by reference: `{ url }` (an http(s) URL or a `data:image/…;base64,…` URL) or `{ fileId }`
 * (a file uploaded with `client.files.upload`).
 *
 * @example
 * ```ts
 * const a: ImageReference = { url: "https://example.com/cat.png" };
 * const b: ImageReference = { fileId: uploaded.id };
 * ```
 */
export type ImageReference =
  | { url: string; detail?: ImageDetailLevel }
  | { fileId: string; detail?: ImageDetailLevel };

/**
 * An input image: a URL string, or an {@link ImageReference}.
 *
 * @example
 * ```ts
 * await client.image.sample({ prompt: "make it blue", model: "grok-imagine-image", image: "https://example.com/cat.png" });
 * await client.image.sample({ prompt: "make it blue", model: "grok-imagine-image", image: { fileId: photo.id } });
 * ```
 */
export type ImageInput = string | ImageReference;

const DETAILS = lazy(
  (): Record<ImageDetailLevel, ImageDetail> => ({
    auto: ImageDetail.DETAIL_AUTO,
    low: ImageDetail.DETAIL_LOW,
    high: ImageDetail.DETAIL_HIGH,
  }),
);

/**
 * Converts an input image to the wire message, checking it; `name` is used in error messages.
 *
 * @example
 * ```ts
 * imageContent({ fileId: "file-1" }, "image"); // { source: { case: "fileId", value: "file-1" }, detail: DETAIL_AUTO }
 * ```
 */
export function imageContent(input: unknown, name: string): MessageInitShape<typeof ImageUrlContentSchema> {
  let url: unknown;
  let fileId: unknown;
  let detail: unknown;
  if (typeof input === "string") {
    url = input;
  } else if (typeof input === "object" && input !== null && !Array.isArray(input)) {
    ({ url, fileId, detail } = input as { url?: unknown; fileId?: unknown; detail?: unknown });
    if (url !== undefined && fileId !== undefined) {
      throw new XaiInputError(`${name} takes either { url } or { fileId }, not both`);
    }
  }
  let level = ImageDetail.DETAIL_AUTO;
  if (detail !== undefined) {
    if (typeof detail !== "string" || !Object.hasOwn(DETAILS(), detail)) {
      throw new XaiInputError(`${name}.detail must be "auto", "low" or "high", got ${describe(detail)}`);
    }
    level = DETAILS()[detail as ImageDetailLevel];
  }
  if (typeof url === "string" && url.trim() !== "")
    return { source: { case: "imageUrl", value: url }, detail: level };
  if (typeof fileId === "string" && fileId.trim() !== "") {
    return { source: { case: "fileId", value: fileId }, detail: level };
  }
  throw new XaiInputError(
    `${name} must be an image URL, { url: "https://…" } or { fileId: "file-…" }, got ${describe(input)}`,
  );
}
