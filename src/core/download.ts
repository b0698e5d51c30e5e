import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { DownloadError } from "../errors.js";
import { UserAbortError, XaiError, XaiInputError } from "../transport/errors.js";
import { USER_AGENT } from "../transport/options.js";
import { Status } from "../transport/status.js";
import { writeFileAtomic } from "./atomic-write.js";

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
