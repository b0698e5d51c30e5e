import { open, stat } from "node:fs/promises";
import { basename } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, requireText } from "../core/check.js";
import { extensionForMimeType } from "../core/mime.js";
import { XaiInputError } from "../transport/errors.js";

/**
 * 3 MiB: the size of every data message of an upload except the last.
 *
 * @example
 * ```ts
 * const messages = 1 + Math.ceil(fileSize / UPLOAD_CHUNK_BYTES); // init + data chunks
 * ```
 */
export const UPLOAD_CHUNK_BYTES = 3 * 1024 * 1024;

/**
 * What can be uploaded: a path (string or `file:` URL), bytes (`Buffer`, `Uint8Array`, `ArrayBuffer`),
 * a `Blob` or `File`, a Node `Readable`, a web `ReadableStream`, or any async iterable of byte chunks.
 * Paths and streams are read as they are sent, never whole into memory.
 *
 * @example
 * ```ts
 * await client.files.upload("data/report.pdf");
 * await client.files.upload(Buffer.from("hello"), { filename: "hello.txt" });
 * await client.files.upload(fs.createReadStream("big.csv"));
 * await client.files.upload((await fetch(url)).body!, { filename: "page.html" });
 * ```
 */
export type UploadSource =
  | string
  | URL
  | Uint8Array
  | ArrayBuffer
  | Blob
  | Readable
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>;

/**
 * Progress of an upload, reported after each chunk is handed to the connection.
 *
 * @example
 * ```ts
 * const onProgress = (p: UploadProgress) =>
 *   console.log(`${p.filename}: ${p.bytesSent} / ${p.totalBytes ?? "?"} bytes`);
 * ```
 */
export interface UploadProgress {
  /** The name the file is uploaded under. */
  filename: string;
  /** Bytes sent so far. */
  bytesSent: number;
  /** The total size, when known in advance (paths, bytes, blobs); undefined for streams. */
  totalBytes: number | undefined;
}

/**
 * Options of `client.files.upload`.
 *
 * @example
 * ```ts
 * await client.files.upload(stream, { filename: "log.txt", expiresAfter: 86_400, onProgress: (p) => console.log(p.bytesSent) });
 * ```
 */
export interface UploadOptions {
  /**
   * The name to store the file under. Defaults to the path's base name, a `File`'s name or a file stream's
   * path; required for bytes and other streams. Unlike the Python SDK, it also applies to paths.
   */
  filename?: string;
  /**
   * The media type of the content, e.g. `application/pdf`. The Files API has no MIME-type field: it derives
   * the type from the file name, so this only adds the matching extension to a `filename` that has none
   * (`"report"` + `application/pdf` → `report.pdf`). A `Blob`'s own `type` is used the same way.
   */
  mimeType?: string;
  /** Seconds until the file is deleted automatically (the API accepts 3600 to 2592000); omitted: kept until deleted. */
  expiresAfter?: number;
  /** Called after each chunk is sent. */
  onProgress?: (progress: UploadProgress) => void;
}

/** A source checked and ready to be read. */
export interface ResolvedUpload {
  filename: string;
  totalBytes: number | undefined;
  /** Opens the source; may be called once. */
  open(): AsyncIterable<Uint8Array>;
}

function isNodeReadable(value: unknown): value is Readable {
  return (
    value instanceof Readable ||
    (typeof value === "object" &&
      value !== null &&
      typeof (value as Readable).pipe === "function" &&
      typeof (value as Readable).read === "function" &&
      typeof (value as Readable).on === "function")
  );
}

function isWebStream(value: unknown): value is ReadableStream<Uint8Array> {
  return (
    typeof value === "object" && value !== null && typeof (value as ReadableStream).getReader === "function"
  );
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function"
  );
}

/** Bytes of one chunk from a stream, which may yield strings (a stream with an encoding) or views. */
function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === "string") return Buffer.from(chunk);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new XaiInputError(`an upload stream yielded ${describe(chunk)}; streams must yield bytes or strings`);
}

async function* fromIterable(source: AsyncIterable<unknown>): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) yield toBytes(chunk);
}

async function* fromWebStream(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield toBytes(value);
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/**
 * Reads a file in {@link UPLOAD_CHUNK_BYTES} pieces, each only when the previous one was taken (no
 * read-ahead, so at most one piece is held here), and closes it however the reading ends.
 */
async function* readFileChunks(path: string): AsyncGenerator<Uint8Array> {
  const handle = await open(path, "r");
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(UPLOAD_CHUNK_BYTES);
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      if (filled > 0) yield filled === buffer.length ? buffer : buffer.subarray(0, filled);
      if (filled < buffer.length) return;
    }
  } finally {
    await handle.close();
  }
}

function* fromBytes(bytes: Uint8Array): Generator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += UPLOAD_CHUNK_BYTES) {
    yield bytes.subarray(offset, offset + UPLOAD_CHUNK_BYTES);
  }
}

/**
 * Regroups byte chunks of any sizes into chunks of exactly `size` bytes (the last may be shorter), without
 * copying chunks that are already large enough and holding at most one group in memory.
 *
 * @example
 * ```ts
 * for await (const chunk of rechunk(stream, 3 * 1024 * 1024)) send(chunk);
 * ```
 */
export async function* rechunk(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  size: number,
): AsyncGenerator<Uint8Array> {
  let parts: Uint8Array[] = [];
  let held = 0;
  for await (const piece of source) {
    let rest = piece;
    while (rest.length > 0) {
      if (held === 0 && rest.length >= size) {
        yield rest.subarray(0, size);
        rest = rest.subarray(size);
        continue;
      }
      const take = Math.min(size - held, rest.length);
      parts.push(rest.subarray(0, take));
      held += take;
      rest = rest.subarray(take);
      if (held === size) {
        yield Buffer.concat(parts, held);
        parts = [];
        held = 0;
      }
    }
  }
  if (held > 0) yield parts.length === 1 ? parts[0] : Buffer.concat(parts, held);
}

/** Adds the extension of `mimeType` to a name that has none. */
function withExtension(name: string, mimeType: string | undefined): string {
  if (!mimeType || /\.[A-Za-z0-9]{1,8}$/.test(name)) return name;
  const ext = extensionForMimeType(mimeType);
  return ext ? `${name}.${ext}` : name;
}

/**
 * Checks an upload source and its options without reading it (a path is `stat`ed): names the file and
 * learns its size when it can. Bad input throws {@link XaiInputError}.
 * @internal
 */
export async function resolveUpload(source: UploadSource, options: UploadOptions): Promise<ResolvedUpload> {
  if (
    options.mimeType !== undefined &&
    (typeof options.mimeType !== "string" || !options.mimeType.includes("/"))
  ) {
    throw new XaiInputError(`mimeType must look like "type/subtype", got ${describe(options.mimeType)}`);
  }
  const explicit = options.filename === undefined ? undefined : requireText(options.filename, "filename");
  const name = (fallback: string | undefined, what: string): string => {
    const chosen = explicit ?? fallback;
    if (chosen === undefined || chosen === "") {
      throw new XaiInputError(`uploading ${what} needs a file name: pass { filename: "data.bin" }`);
    }
    return withExtension(chosen, options.mimeType);
  };

  if (typeof source === "string" || source instanceof URL) {
    let path: string;
    try {
      path = typeof source === "string" ? source : fileURLToPath(source);
    } catch {
      throw new XaiInputError(`only file: URLs can be uploaded as paths, got ${String(source)}`);
    }
    if (path === "") throw new XaiInputError("the path to upload is empty");
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new XaiInputError(
        code === "ENOENT"
          ? `no file at ${JSON.stringify(path)}: check the path (relative paths start at ${process.cwd()})`
          : `cannot read ${JSON.stringify(path)} (${code ?? String(err)}); check its permissions`,
      );
    }
    if (!info.isFile()) {
      throw new XaiInputError(`${JSON.stringify(path)} is not a regular file; pass the path of a file`);
    }
    return {
      filename: name(basename(path), "a path"),
      totalBytes: info.size,
      open: () => readFileChunks(path),
    };
  }
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
    const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
    return {
      filename: name(undefined, "bytes"),
      totalBytes: bytes.length,
      open: () => toAsync(fromBytes(bytes)),
    };
  }
  if (typeof Blob !== "undefined" && source instanceof Blob) {
    const blobName = (source as Blob & { name?: unknown }).name;
    const filename = withExtension(
      name(typeof blobName === "string" ? blobName : undefined, "a Blob"),
      source.type || undefined,
    );
    return { filename, totalBytes: source.size, open: () => fromWebStream(source.stream()) };
  }
  if (isNodeReadable(source)) {
    const streamPath = (source as Readable & { path?: unknown }).path;
    const fallback =
      typeof streamPath === "string"
        ? basename(streamPath)
        : Buffer.isBuffer(streamPath)
          ? basename(streamPath.toString())
          : undefined;
    if (source.readableEnded || source.destroyed) {
      throw new XaiInputError("the stream to upload was already read or destroyed; pass a fresh stream");
    }
    return { filename: name(fallback, "a stream"), totalBytes: undefined, open: () => fromIterable(source) };
  }
  if (isWebStream(source)) {
    if (source.locked) throw new XaiInputError("the ReadableStream to upload is locked (already being read)");
    return {
      filename: name(undefined, "a ReadableStream"),
      totalBytes: undefined,
      open: () => fromWebStream(source),
    };
  }
  if (isAsyncIterable(source)) {
    return {
      filename: name(undefined, "an async iterable"),
      totalBytes: undefined,
      open: () => fromIterable(source),
    };
  }
  throw new XaiInputError(
    `cannot upload ${describe(source)}: pass a path, a Buffer/Uint8Array, a Blob, a Node Readable, a web ReadableStream or an async iterable of bytes`,
  );
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}
