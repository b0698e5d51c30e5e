// The emulator's file store: what UploadFile feeds and what images, videos, batches and collections read.
import { createHash } from "node:crypto";
import { Code, type EmulatorContext, EmulatorError } from "../types.js";
import { mimeTypeOf } from "./mime.js";
import { perEmulator } from "./per-emulator.js";

/** Shortest and longest lifetime of a file, in seconds (1 hour to 30 days, as the real API). */
export const FILE_TTL_RANGE = { min: 3600, max: 2_592_000 } as const;
/** Largest file the emulator accepts, as the real API (512 MiB). */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

/** A file held by the emulator. Its bytes are kept as the chunks they arrived in. */
export interface StoredFile {
  id: string;
  filename: string;
  /** Order of creation, for stable sorting by creation time. */
  seq: number;
  chunks: Uint8Array[];
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

/**
 * Checks a lifetime in seconds against the allowed range and returns the expiry instant.
 *
 * @example
 * ```ts
 * const expiresAt = expiryFrom(ctx, 7200n, "expires_after");
 * ```
 */
export function expiryFrom(
  ctx: EmulatorContext,
  seconds: bigint | undefined,
  field: string,
  range: { min: number; max: number } = FILE_TTL_RANGE,
): Date | undefined {
  if (seconds === undefined) return undefined;
  if (seconds < BigInt(range.min) || seconds > BigInt(range.max)) {
    throw new EmulatorError(
      Code.INVALID_ARGUMENT,
      `${field} must be between ${range.min} and ${range.max} seconds; got ${seconds}.`,
    );
  }
  return new Date(ctx.now().getTime() + Number(seconds) * 1000);
}

/**
 * Adds a file to the emulator's store (as UploadFile does) and returns it.
 *
 * @example
 * ```ts
 * const file = storeFile(ctx, { filename: "cat.png", chunks: [png] });
 * ```
 */
export function storeFile(
  ctx: EmulatorContext,
  init: { filename: string; chunks: Uint8Array[]; expiresAt?: Date; mimeType?: string },
): StoredFile {
  const store = fileStore.of(ctx);
  const size = init.chunks.reduce((total, chunk) => total + chunk.byteLength, 0);
  const file: StoredFile = {
    id: ctx.newId("file"),
    filename: init.filename,
    seq: ++store.seq,
    chunks: init.chunks,
    size,
    mimeType: init.mimeType ?? mimeTypeOf(init.filename),
    createdAt: ctx.now(),
    expiresAt: init.expiresAt,
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

/** Every live file. */
export function allStoredFiles(ctx: EmulatorContext): StoredFile[] {
  const store = fileStore.of(ctx);
  return [...store.files.values()].filter((file) => findStoredFile(ctx, file.id) !== undefined);
}

/** Removes a file (and stops serving its public URL); returns whether it existed. */
export function deleteStoredFile(ctx: EmulatorContext, id: string): boolean {
  const file = findStoredFile(ctx, id);
  if (file) unpublishFile(ctx, file);
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

/** Replaces the content (and optionally the name) of a stored file. */
export function replaceFileContent(file: StoredFile, bytes: Uint8Array, filename?: string): void {
  file.chunks = [bytes];
  file.size = bytes.byteLength;
  if (filename !== undefined) {
    file.filename = filename;
    file.mimeType = mimeTypeOf(filename);
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
  if (file.chunks.length === 1) return file.chunks[0];
  const all = new Uint8Array(file.size);
  let offset = 0;
  for (const chunk of file.chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  file.chunks = [all];
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
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  for (const chunk of file.chunks) {
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

/** SHA-256 of a file's content, as hex. */
export function fileHash(file: StoredFile): string {
  const hash = createHash("sha256");
  for (const chunk of file.chunks) hash.update(chunk);
  return hash.digest("hex");
}

/**
 * Serves a file at a public URL of the emulator's HTTP endpoint (replacing a previous one).
 *
 * @example
 * ```ts
 * const { url } = publishFile(ctx, file, new Date(Date.now() + 3600_000));
 * ```
 */
export function publishFile(
  ctx: EmulatorContext,
  file: StoredFile,
  expiresAt?: Date,
): { url: string; expiresAt?: Date } {
  if (file.publicUrl) ctx.removeBlob(file.publicUrl.url);
  const url = ctx.serveBlob(fileBytes(file), file.mimeType, file.filename, { expiresAt });
  file.publicUrl = { url, expiresAt };
  return file.publicUrl;
}
