// The emulator's file store: what UploadFile feeds and what images, videos, batches and collections read.
import { createHash } from "node:crypto";
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { Code, type EmulatorContext, EmulatorError } from "../types.js";
import { mimeTypeOf } from "./mime.js";
import { perEmulator } from "./per-emulator.js";
import { discardContent, type FileContent } from "./spill.js";

/** Shortest and longest lifetime of a file, in seconds (1 hour to 30 days, as the real API). */
export const FILE_TTL_RANGE = { min: 3600, max: 2_592_000 } as const;
/** Largest file the emulator accepts, as the real API (512 MiB). */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

/** A file held by the emulator: in memory as the chunks it arrived in, or on disk when large. */
export interface StoredFile {
  id: string;
  filename: string;
  /** Order of creation, for stable sorting by creation time. */
  seq: number;
  content: FileContent;
  size: number;
  mimeType: string;
  createdAt: Date;
  expiresAt?: Date;
  publicUrl?: { url: string; expiresAt?: Date };
}

interface FileStore {
  files: Map<string, StoredFile>;
  seq: number;
}

const fileStore = perEmulator<FileStore>(() => ({ files: new Map(), seq: 0 }));

function isLive(ctx: EmulatorContext, file: StoredFile): boolean {
  const now = ctx.now().getTime();
  if (file.publicUrl?.expiresAt && file.publicUrl.expiresAt.getTime() <= now) unpublishFile(ctx, file);
  return file.expiresAt === undefined || file.expiresAt.getTime() > now;
}

/** Shortest and longest lifetime of a public URL, in seconds (1 second to 30 days). */
export const PUBLIC_URL_TTL_RANGE = { min: 1, max: 2_592_000 } as const;

/**
 * Checks a lifetime in seconds against the allowed range; INVALID_ARGUMENT (a clear sentence) outside it.
 *
 * @example
 * ```ts
 * const lifetimeSeconds = checkLifetime(request.expiresAfter, "expires_after");
 * ```
 */
export function checkLifetime(
  seconds: bigint | undefined,
  field: string,
  range: { min: number; max: number } = FILE_TTL_RANGE,
): number | undefined {
  if (seconds === undefined) return undefined;
  if (seconds < BigInt(range.min) || seconds > BigInt(range.max)) {
    throw new EmulatorError(
      Code.INVALID_ARGUMENT,
      `${field} must be between ${range.min} and ${range.max} seconds; got ${seconds}.`,
    );
  }
  return Number(seconds);
}

const after = (from: Date, seconds: number | undefined): Date | undefined =>
  seconds === undefined ? undefined : new Date(from.getTime() + seconds * 1000);

/**
 * Adds a file to the emulator's store (as UploadFile does) and returns it.
 *
 * @example
 * ```ts
 * const file = storeFile(ctx, { filename: "cat.png", chunks: [png], lifetimeSeconds: 3600 });
 * ```
 */
export function storeFile(
  ctx: EmulatorContext,
  init: { filename: string; lifetimeSeconds?: number; mimeType?: string } & (
    | { chunks: Uint8Array[] }
    | { content: FileContent; size: number }
  ),
): StoredFile {
  const store = fileStore.of(ctx);
  const content: FileContent = "chunks" in init ? { kind: "memory", chunks: init.chunks } : init.content;
  const size =
    "chunks" in init ? init.chunks.reduce((total, chunk) => total + chunk.byteLength, 0) : init.size;
  const createdAt = ctx.now();
  const file: StoredFile = {
    id: ctx.newId("file"),
    filename: init.filename,
    seq: ++store.seq,
    content,
    size,
    mimeType: init.mimeType ?? mimeTypeOf(init.filename),
    createdAt,
    expiresAt: after(createdAt, init.lifetimeSeconds),
  };
  store.files.set(file.id, file);
  return file;
}

/**
 * The stored file with this id, or undefined when there is none (or it expired).
 *
 * @example
 * ```ts
 * const file = findStoredFile(ctx, "file_0001");
 * ```
 */
export function findStoredFile(ctx: EmulatorContext, id: string): StoredFile | undefined {
  const store = fileStore.of(ctx);
  const file = store.files.get(id);
  if (file && !isLive(ctx, file)) {
    unpublishFile(ctx, file);
    discardContent(file.content);
    store.files.delete(id);
    return undefined;
  }
  return file;
}

/**
 * The stored file with this id; NOT_FOUND (a clear sentence) when there is none.
 *
 * @example
 * ```ts
 * const bytes = fileBytes(getStoredFile(ctx, request.fileId));
 * ```
 */
export function getStoredFile(ctx: EmulatorContext, id: string, field = "file_id"): StoredFile {
  if (!id)
    throw new EmulatorError(Code.INVALID_ARGUMENT, `${field} is required: pass the id of an uploaded file.`);
  const file = findStoredFile(ctx, id);
  if (!file) {
    throw new EmulatorError(Code.NOT_FOUND, `The file "${id}" does not exist or has been deleted.`);
  }
  return file;
}

/**
 * Every live (not deleted, not expired) file.
 *
 * @example
 * ```ts
 * const count = allStoredFiles(ctx).length;
 * ```
 */
export function allStoredFiles(ctx: EmulatorContext): StoredFile[] {
  const store = fileStore.of(ctx);
  return [...store.files.values()].filter((file) => findStoredFile(ctx, file.id) !== undefined);
}

/**
 * Removes a file (and stops serving its public URL); returns whether it existed.
 *
 * @example
 * ```ts
 * deleteStoredFile(ctx, "file_0001"); // true
 * ```
 */
export function deleteStoredFile(ctx: EmulatorContext, id: string): boolean {
  const file = findStoredFile(ctx, id);
  if (file) {
    unpublishFile(ctx, file);
    discardContent(file.content);
  }
  fileStore.of(ctx).files.delete(id);
  return file !== undefined;
}

/**
 * Stops serving a file's public URL; returns the URL it had, if any.
 *
 * @example
 * ```ts
 * const revoked = unpublishFile(ctx, file);
 * ```
 */
export function unpublishFile(ctx: EmulatorContext, file: StoredFile): string | undefined {
  const previous = file.publicUrl;
  if (!previous) return undefined;
  ctx.removeBlob(previous.url);
  file.publicUrl = undefined;
  return previous.url;
}

/**
 * Replaces the content (when given) and the name (when given) of a stored file.
 *
 * @example
 * ```ts
 * updateStoredFile(file, { bytes: new TextEncoder().encode("new text"), filename: "notes.txt" });
 * ```
 */
export function updateStoredFile(file: StoredFile, change: { bytes?: Uint8Array; filename?: string }): void {
  if (change.bytes) {
    discardContent(file.content);
    file.content = { kind: "memory", chunks: [change.bytes] };
    file.size = change.bytes.byteLength;
  }
  if (change.filename !== undefined) {
    file.filename = change.filename;
    file.mimeType = mimeTypeOf(change.filename);
  }
}

/**
 * The whole content of a file as one byte array.
 *
 * @example
 * ```ts
 * const text = new TextDecoder().decode(fileBytes(file));
 * ```
 */
export function fileBytes(file: StoredFile): Uint8Array {
  const content = file.content;
  if (content.kind === "disk") return new Uint8Array(readFileSync(content.path));
  if (content.chunks.length === 1) return content.chunks[0];
  const all = new Uint8Array(file.size);
  let offset = 0;
  for (const chunk of content.chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  content.chunks = [all];
  return all;
}

/**
 * The file's content in slices of at most `size` bytes, without copying the whole file.
 *
 * @example
 * ```ts
 * for (const slice of fileSlices(file, 1 << 20)) yield { data: slice };
 * ```
 */
export function* fileSlices(file: StoredFile, size: number): Generator<Uint8Array> {
  const content = file.content;
  if (content.kind === "disk") {
    const fd = openSync(content.path, "r");
    try {
      for (;;) {
        const buffer = Buffer.allocUnsafe(size);
        const read = readSync(fd, buffer, 0, size, null);
        if (read === 0) return;
        yield new Uint8Array(buffer.buffer, buffer.byteOffset, read);
      }
    } finally {
      closeSync(fd);
    }
  }
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  for (const chunk of content.chunks) {
    let offset = 0;
    while (offset < chunk.byteLength) {
      const take = Math.min(size - pendingBytes, chunk.byteLength - offset);
      pending.push(chunk.subarray(offset, offset + take));
      pendingBytes += take;
      offset += take;
      if (pendingBytes === size) {
        yield join(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
      }
    }
  }
  if (pendingBytes > 0) yield join(pending, pendingBytes);
}

function join(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/**
 * SHA-256 of a file's content, as hex.
 *
 * @example
 * ```ts
 * const hash = fileHash(file); // "9f86d08…"
 * ```
 */
export function fileHash(file: StoredFile): string {
  const hash = createHash("sha256");
  for (const slice of fileSlices(file, 1024 * 1024)) hash.update(slice);
  return hash.digest("hex");
}

/**
 * Serves a file at a public URL of the emulator's HTTP endpoint (replacing a previous one).
 *
 * @example
 * ```ts
 * const { url } = publishFile(ctx, file, 3600);
 * ```
 */
export function publishFile(
  ctx: EmulatorContext,
  file: StoredFile,
  lifetimeSeconds?: number,
): { url: string; expiresAt?: Date } {
  const expiresAt = after(ctx.now(), lifetimeSeconds);
  if (file.publicUrl) ctx.removeBlob(file.publicUrl.url);
  const url = ctx.serveBlob(fileBytes(file), file.mimeType, file.filename, { expiresAt });
  file.publicUrl = { url, expiresAt };
  return file.publicUrl;
}
