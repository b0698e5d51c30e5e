// Resolves the images and videos a request references (by URL or by uploaded file id) to bytes.
// Data URLs and URLs the emulator itself serves are read back; other http(s) URLs cannot be fetched
// offline, so the emulator accepts them and derives its output from the URL text instead.
import { createHash } from "node:crypto";
import { fileBytes, getStoredFile } from "../store/files.js";
import { imageTypeOf, mimeTypeOf } from "../store/mime.js";
import { Code, type EmulatorContext, EmulatorError } from "../types.js";

/** A referenced image or video: its bytes when the emulator can read them, and a stable identity. */
export interface ResolvedMedia {
  bytes?: Uint8Array;
  mimeType?: string;
  /** What identifies the input (file id, URL, or data URL digest), for deterministic derivations. */
  key: string;
  /** The URL as given, when the input was a URL. */
  url?: string;
}

/** A media reference as the wire carries it (ImageUrlContent's or VideoUrlContent's `source`). */
export type MediaSource =
  | { case: "imageUrl" | "url"; value: string }
  | { case: "fileId"; value: string }
  | { case: undefined; value?: undefined };

function parseDataUrl(url: string, field: string): { bytes: Uint8Array; mimeType: string } {
  const match = /^data:([^;,]*)((?:;[^;,]*)*?)(;base64)?,(.*)$/s.exec(url);
  if (!match) {
    throw new EmulatorError(
      Code.INVALID_ARGUMENT,
      `${field} is a malformed data URL: write it as data:<mime type>;base64,<data>.`,
    );
  }
  const [, mimeType, , base64, payload] = match;
  const bytes = base64
    ? new Uint8Array(Buffer.from(payload, "base64"))
    : new Uint8Array(Buffer.from(decodeURIComponent(payload), "utf8"));
  return { bytes, mimeType: mimeType || "text/plain" };
}

/**
 * Reads the image or video a request references.
 *
 * @example
 * ```ts
 * const input = resolveMedia(ctx, request.image?.source ?? { case: undefined }, "image");
 * ```
 */
export function resolveMedia(ctx: EmulatorContext, source: MediaSource, field: string): ResolvedMedia {
  if (source.case === "fileId") {
    const file = getStoredFile(ctx, source.value, `${field}.file_id`);
    const bytes = fileBytes(file);
    return { bytes, mimeType: imageTypeOf(bytes) ?? file.mimeType, key: `file:${file.id}` };
  }
  if (source.case === undefined || !source.value) {
    throw new EmulatorError(
      Code.INVALID_ARGUMENT,
      `${field} is empty: set its URL (http(s) or data URL) or the id of an uploaded file.`,
    );
  }
  const url = source.value;
  if (url.startsWith("data:")) {
    const { bytes, mimeType } = parseDataUrl(url, field);
    return {
      bytes,
      mimeType: imageTypeOf(bytes) ?? mimeType,
      key: `data:${createHash("sha256").update(url).digest("hex")}`,
      url,
    };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EmulatorError(
      Code.INVALID_ARGUMENT,
      `${field} "${url.slice(0, 80)}" is not a valid URL: pass an http(s) URL, a data URL, or a file id.`,
    );
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new EmulatorError(
      Code.INVALID_ARGUMENT,
      `${field} must be an http(s) URL or a data URL; "${parsed.protocol}" URLs are not supported.`,
    );
  }
  const served = ctx.readBlob(url);
  if (served) {
    return {
      bytes: served.bytes,
      mimeType: imageTypeOf(served.bytes) ?? served.mimeType,
      key: `url:${url}`,
      url,
    };
  }
  return { key: `url:${url}`, url, mimeType: mimeTypeOf(parsed.pathname) };
}

/**
 * Checks that resolved bytes, when known, are an image; INVALID_ARGUMENT otherwise.
 *
 * @example
 * ```ts
 * requireImage(resolveMedia(ctx, source, "image"), "image");
 * ```
 */
export function requireImage(media: ResolvedMedia, field: string): ResolvedMedia {
  if (media.bytes && !imageTypeOf(media.bytes)) {
    throw new EmulatorError(
      Code.INVALID_ARGUMENT,
      `${field} is not an image the API can read: send a PNG, JPEG, GIF or WebP image.`,
    );
  }
  return media;
}
