import { createWriteStream } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { UserAbortError, XaiError, XaiInputError } from "../transport/errors.js";
import { USER_AGENT } from "../transport/options.js";
import { Status } from "../transport/status.js";

/**
 * 60 seconds: how long a download of generated media may take by default, in milliseconds.
 *
 * @example
 * ```ts
 * await image.save("out.png", { timeout: 2 * DEFAULT_DOWNLOAD_TIMEOUT_MS });
 * ```
 */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 60_000;

/**
 * Options of a download of generated media (an image or video URL).
 *
 * @example
 * ```ts
 * const bytes = await image.bytes({ timeout: 10_000, signal: AbortSignal.timeout(5_000) });
 * ```
 */
export interface DownloadOptions {
  /** Milliseconds the whole download may take; default {@link DEFAULT_DOWNLOAD_TIMEOUT_MS}. */
  timeout?: number;
  /** Cancels the download; it rejects with `UserAbortError`. */
  signal?: AbortSignal;
}

/**
 * Fetching generated media over HTTP failed: a non-2xx answer (`httpStatus` set), a network failure or the
 * timeout (code DEADLINE_EXCEEDED). `url` is the address that was fetched.
 *
 * @example
 * ```ts
 * try {
 *   await image.save("cat.png");
 * } catch (err) {
 *   if (err instanceof DownloadError && err.httpStatus === 404) console.error("the URL expired; generate again");
 * }
 * ```
 */
export class DownloadError extends XaiError {
  /** The URL that was fetched. */
  readonly url: string;
  /** The HTTP status of the answer, or undefined when no answer arrived. */
  readonly httpStatus: number | undefined;
  constructor(url: string, code: number, details: string, httpStatus?: number, cause?: unknown) {
    super({ code, details, cause });
    this.url = url;
    this.httpStatus = httpStatus;
  }
}

function codeForHttpStatus(status: number): number {
  if (status === 401) return Status.UNAUTHENTICATED;
  if (status === 403) return Status.PERMISSION_DENIED;
  if (status === 404 || status === 410) return Status.NOT_FOUND;
  if (status === 408) return Status.DEADLINE_EXCEEDED;
  if (status === 429) return Status.RESOURCE_EXHAUSTED;
  if (status >= 500) return Status.UNAVAILABLE;
  return Status.UNKNOWN;
}

/** Host and path of a URL without its query (signed URLs carry tokens there). */
function shortUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url.slice(0, 80);
  }
}

function checkTimeout(timeout: unknown): number {
  if (timeout === undefined) return DEFAULT_DOWNLOAD_TIMEOUT_MS;
  if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout <= 0) {
    throw new XaiInputError(
      `timeout must be a positive number of milliseconds, got ${String(timeout)}; e.g. { timeout: 30_000 }`,
    );
  }
  return timeout;
}

/**
 * Starts an HTTP GET of `url` with the SDK's user agent, a whole-transfer timeout and the caller's signal.
 * Resolves once the headers arrived with a 2xx status; `body` then streams the content.
 */
async function open(
  url: string,
  options: DownloadOptions | undefined,
): Promise<{ response: Response; signal: AbortSignal; timeoutSignal: AbortSignal }> {
  const timeout = checkTimeout(options?.timeout);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new XaiInputError(`cannot download ${JSON.stringify(url.slice(0, 80))}: not an absolute URL`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new XaiInputError(`cannot download a ${parsed.protocol} URL; only http(s) URLs can be fetched`);
  }
  const user = options?.signal;
  if (user?.aborted) throw new UserAbortError(undefined, user.reason);
  const timeoutSignal = AbortSignal.timeout(timeout);
  const signal = user ? AbortSignal.any([user, timeoutSignal]) : timeoutSignal;
  let response: Response;
  try {
    response = await fetch(parsed, { headers: { "user-agent": USER_AGENT }, signal, redirect: "follow" });
  } catch (err) {
    throw failure(url, err, user, timeoutSignal, timeout);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new DownloadError(
      url,
      codeForHttpStatus(response.status),
      `downloading ${shortUrl(url)} failed with HTTP ${response.status} ${response.statusText}`.trim(),
      response.status,
    );
  }
  return { response, signal, timeoutSignal };
}

function failure(
  url: string,
  err: unknown,
  user: AbortSignal | undefined,
  timeoutSignal: AbortSignal,
  timeout: number,
): Error {
  if (err instanceof XaiError) return err;
  if (err instanceof Error && typeof (err as NodeJS.ErrnoException).syscall === "string") return err;
  if (user?.aborted) return new UserAbortError(undefined, user.reason);
  if (timeoutSignal.aborted) {
    return new DownloadError(
      url,
      Status.DEADLINE_EXCEEDED,
      `downloading ${shortUrl(url)} took longer than ${timeout} ms; pass a larger { timeout }`,
      undefined,
      err,
    );
  }
  const reason =
    err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
  return new DownloadError(
    url,
    Status.UNAVAILABLE,
    `downloading ${shortUrl(url)} failed: ${reason}`,
    undefined,
    err,
  );
}

let partialCounter = 0;
function partialName(path: string): string {
  partialCounter += 1;
  return `${path}.${process.pid}-${partialCounter}.part`;
}

/**
 * Downloads `url` into memory. For generated images and other small media; use {@link downloadToFile}
 * for large files.
 *
 * @example
 * ```ts
 * const png = await downloadBytes(image.url!, { timeout: 10_000 });
 * ```
 */
export async function downloadBytes(url: string, options?: DownloadOptions): Promise<Buffer> {
  const timeout = checkTimeout(options?.timeout);
  const { response, timeoutSignal } = await open(url, options);
  try {
    return Buffer.from(await response.arrayBuffer());
  } catch (err) {
    throw failure(url, err, options?.signal, timeoutSignal, timeout);
  }
}

/**
 * Streams `url` to the file at `path` without holding it in memory. The file appears only when the
 * download is complete (written to a temporary name first, then renamed).
 *
 * @example
 * ```ts
 * await downloadToFile(video.url, "clip.mp4", { timeout: 120_000 });
 * ```
 */
export async function downloadToFile(url: string, path: string, options?: DownloadOptions): Promise<void> {
  const timeout = checkTimeout(options?.timeout);
  const { response, timeoutSignal } = await open(url, options);
  try {
    if (!response.body) throw new Error("the answer has no body");
    await writeFileAtomic(path, Readable.fromWeb(response.body as WebReadableStream<Uint8Array>));
  } catch (err) {
    throw failure(url, err, options?.signal, timeoutSignal, timeout);
  }
}

/**
 * Writes bytes, or a stream of byte chunks, to `path` atomically: to a temporary name first, renamed when
 * complete, so readers never see half a file and a failure leaves nothing behind.
 *
 * @example
 * ```ts
 * await writeFileAtomic("out.png", await image.bytes());
 * await writeFileAtomic("data.bin", client.files.contentStream(id));
 * ```
 */
export async function writeFileAtomic(
  path: string,
  content: Uint8Array | AsyncIterable<Uint8Array> | Readable,
): Promise<void> {
  const partial = partialName(path);
  try {
    if (content instanceof Uint8Array) await writeFile(partial, content);
    else await pipeline(content, createWriteStream(partial));
    await rename(partial, path);
  } catch (err) {
    await rm(partial, { force: true }).catch(() => {});
    throw err;
  }
}

const SIGNATURES: { mimeType: string; test: (b: Uint8Array) => boolean }[] = [
  {
    mimeType: "image/png",
    test: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
  },
  { mimeType: "image/jpeg", test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mimeType: "image/gif", test: (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38 },
  {
    mimeType: "image/webp",
    test: (b) =>
      b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45,
  },
  {
    mimeType: "video/mp4",
    test: (b) => b[4] === 0x66 && b[5] === 0x74 && b[6] === 0x79 && b[7] === 0x70,
  },
  { mimeType: "video/webm", test: (b) => b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3 },
];

/**
 * The media type of bytes, from their first bytes (PNG, JPEG, GIF, WebP, MP4, WebM), or undefined.
 *
 * @example
 * ```ts
 * sniffMimeType(await image.bytes()); // "image/png"
 * ```
 */
export function sniffMimeType(bytes: Uint8Array): string | undefined {
  if (bytes.length < 12) return undefined;
  return SIGNATURES.find((s) => s.test(bytes))?.mimeType;
}

const EXTENSION_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  mp4: "video/mp4",
  webm: "video/webm",
  mov: "video/quicktime",
  pdf: "application/pdf",
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  json: "application/json",
  jsonl: "application/jsonl",
  html: "text/html",
};

/**
 * The media type implied by a file name's or URL path's extension, or undefined.
 *
 * @example
 * ```ts
 * mimeTypeFromName("https://cdn.example/x/cat.jpeg?sig=1"); // "image/jpeg"
 * ```
 */
export function mimeTypeFromName(name: string): string | undefined {
  let path = name;
  try {
    path = new URL(name).pathname;
  } catch {
    // a plain file name
  }
  const match = /\.([a-z0-9]+)$/i.exec(path);
  return match ? EXTENSION_TYPES[match[1].toLowerCase()] : undefined;
}

/**
 * The usual extension (without the dot) of a media type, or undefined.
 *
 * @example
 * ```ts
 * extensionForMimeType("image/jpeg"); // "jpg"
 * ```
 */
export function extensionForMimeType(mimeType: string): string | undefined {
  const base = mimeType.split(";")[0].trim().toLowerCase();
  if (base === "image/jpeg") return "jpg";
  for (const [ext, type] of Object.entries(EXTENSION_TYPES)) if (type === base) return ext;
  return undefined;
}
