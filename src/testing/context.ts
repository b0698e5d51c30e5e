// The EmulatorContext every service module receives: catalogue, tokenizer, ids, clock, blobs, scripted
// chat replies and timing settings. One context lives until `reset()` or `stop()`; reset makes a new one.
import { lookupModel } from "./catalog.js";
import { countTokens, tokenize } from "./tokenizer.js";
import {
  type CatalogModel,
  Code,
  type EmulatorContext,
  EmulatorError,
  type EmulatorToken,
  type ScriptedChatReply,
} from "./types.js";

/** A blob served over the emulator's HTTP endpoint. */
export interface ServedBlob {
  bytes: Uint8Array;
  mimeType: string;
  name: string;
  expiresAt?: Date;
}

/** What a context is made from. */
export interface ContextSettings {
  models: readonly CatalogModel[];
  deferredPolls: number;
  processingDelayMs: number;
  /** Base URL of the HTTP endpoint, e.g. `http://127.0.0.1:40123`. */
  httpUrl: string;
  /** Distinguishes the blobs of successive contexts (reset) so that an old URL never serves new bytes. */
  generation: number;
}

const BLOB_PATH = "/blobs/";

/**
 * The emulator's shared state for one run (until reset or stop).
 *
 * @example
 * ```ts
 * const ctx = new EmulatorState({ models: EMULATOR_CATALOG, deferredPolls: 2, processingDelayMs: 50, httpUrl, generation: 1 });
 * ctx.newId("file"); // "file_0001"
 * ```
 */
export class EmulatorState implements EmulatorContext {
  readonly models: readonly CatalogModel[];
  readonly deferredPolls: number;
  readonly processingDelayMs: number;
  readonly lifetime: AbortSignal;
  /** Blobs by id (the path segment after `/blobs/`). */
  readonly blobs = new Map<string, ServedBlob>();
  /** Scripted chat replies, oldest first. */
  readonly scriptedChatReplies: ScriptedChatReply[] = [];

  readonly #httpUrl: string;
  readonly #generation: number;
  readonly #ids = new Map<string, number>();
  readonly #ending = new AbortController();
  #clockOffsetMs = 0;
  #blobCount = 0;

  constructor(settings: ContextSettings) {
    this.models = settings.models;
    this.deferredPolls = settings.deferredPolls;
    this.processingDelayMs = settings.processingDelayMs;
    this.#httpUrl = settings.httpUrl;
    this.#generation = settings.generation;
    this.lifetime = this.#ending.signal;
  }

  resolveModel(name: string, kind: CatalogModel["kind"]): CatalogModel {
    const found = lookupModel(this.models, name, kind);
    if ("model" in found) return found.model;
    throw new EmulatorError(found.error === "empty" ? Code.INVALID_ARGUMENT : Code.NOT_FOUND, found.message);
  }

  tokenize(text: string): EmulatorToken[] {
    return tokenize(text);
  }

  countTokens(text: string): number {
    return countTokens(text);
  }

  newId(prefix: string): string {
    const next = (this.#ids.get(prefix) ?? 0) + 1;
    this.#ids.set(prefix, next);
    const separator = /[_\-.:]$/.test(prefix) || prefix === "" ? "" : "_";
    return `${prefix}${separator}${String(next).padStart(4, "0")}`;
  }

  now(): Date {
    return new Date(Date.now() + this.#clockOffsetMs);
  }

  /** Moves the emulator's clock forward (expiry of files, public URLs, batches…). */
  advanceClock(ms: number): void {
    this.#clockOffsetMs += ms;
  }

  serveBlob(bytes: Uint8Array, mimeType: string, name?: string, options?: { expiresAt?: Date }): string {
    this.#blobCount++;
    const id = `g${this.#generation}-${String(this.#blobCount).padStart(4, "0")}`;
    const fileName = name && name.trim() !== "" ? name : "blob";
    const blob: ServedBlob = { bytes, mimeType, name: fileName };
    if (options?.expiresAt) blob.expiresAt = options.expiresAt;
    this.blobs.set(id, blob);
    return `${this.#httpUrl}${BLOB_PATH}${id}/${encodeURIComponent(fileName)}`;
  }

  /** The live blob a URL path (or absolute URL) points to, if any. */
  blobAt(urlOrPath: string): ServedBlob | undefined {
    const id = this.#blobId(urlOrPath);
    const blob = id === undefined ? undefined : this.blobs.get(id);
    if (!blob) return undefined;
    if (blob.expiresAt && blob.expiresAt.getTime() <= this.now().getTime()) return undefined;
    return blob;
  }

  readBlob(url: string): { bytes: Uint8Array; mimeType: string } | undefined {
    const blob = this.blobAt(url);
    return blob ? { bytes: blob.bytes, mimeType: blob.mimeType } : undefined;
  }

  removeBlob(url: string): boolean {
    const id = this.#blobId(url);
    return id !== undefined && this.blobs.delete(id);
  }

  takeScriptedChatReply(): ScriptedChatReply | undefined {
    return this.scriptedChatReplies.shift();
  }

  /** Ends this context: aborts `lifetime` and drops stored blobs. */
  end(reason: string): void {
    this.blobs.clear();
    this.scriptedChatReplies.length = 0;
    this.#ending.abort(new Error(reason));
  }

  #blobId(urlOrPath: string): string | undefined {
    let path = urlOrPath;
    if (!urlOrPath.startsWith("/")) {
      if (!urlOrPath.startsWith(`${this.#httpUrl}/`)) return undefined;
      path = urlOrPath.slice(this.#httpUrl.length);
    }
    if (!path.startsWith(BLOB_PATH)) return undefined;
    const id = path.slice(BLOB_PATH.length).split(/[/?#]/, 1)[0];
    return id === "" ? undefined : id;
  }
}
