// Large uploads go to disk: an emulator running inside a test or benchmark process should not grow that
// process's memory by the size of every file it receives. Files up to SPILL_THRESHOLD_BYTES stay in memory;
// bigger ones are written, as they arrive, to a temporary folder of the emulator, removed when the emulator
// stops or resets (or, failing that, when the process exits).
import { mkdtempSync, rmSync, unlinkSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EmulatorContext } from "../types.js";
import { perEmulator } from "./per-emulator.js";

/** Uploads larger than this are kept on disk instead of in memory (16 MiB). */
export const SPILL_THRESHOLD_BYTES = 16 * 1024 * 1024;

/** Where a file's bytes are: in memory as the chunks they arrived in, or in a temporary file. */
export type FileContent = { kind: "memory"; chunks: Uint8Array[] } | { kind: "disk"; path: string };

const liveFolders = new Set<string>();
let exitHookInstalled = false;

function removeFolder(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
  liveFolders.delete(folder);
}

const spillFolder = perEmulator<{ path?: string; files: number }>(() => ({ files: 0 }));

function folderOf(ctx: EmulatorContext): string {
  const state = spillFolder.of(ctx);
  if (!state.path) {
    const folder = mkdtempSync(join(tmpdir(), "xai-emulator-files-"));
    state.path = folder;
    liveFolders.add(folder);
    ctx.lifetime.addEventListener("abort", () => removeFolder(folder), { once: true });
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.once("exit", () => {
        for (const path of liveFolders) rmSync(path, { recursive: true, force: true });
      });
    }
  }
  return state.path;
}

/**
 * Collects an upload's chunks in memory, moving them to a temporary file once they pass the threshold.
 *
 * @example
 * ```ts
 * const buffer = new UploadBuffer(ctx);
 * for await (const data of chunks) await buffer.append(data);
 * const content = await buffer.finish();
 * ```
 */
export class UploadBuffer {
  #chunks: Uint8Array[] = [];
  #size = 0;
  #handle: FileHandle | undefined;
  #path: string | undefined;

  constructor(private readonly ctx: EmulatorContext) {}

  /** Bytes received so far. */
  get size(): number {
    return this.#size;
  }

  async append(chunk: Uint8Array): Promise<void> {
    if (chunk.byteLength === 0) return;
    this.#size += chunk.byteLength;
    if (this.#handle) {
      await this.#handle.write(chunk);
      return;
    }
    this.#chunks.push(chunk);
    if (this.#size > SPILL_THRESHOLD_BYTES) {
      const state = spillFolder.of(this.ctx);
      this.#path = join(folderOf(this.ctx), `upload-${++state.files}`);
      this.#handle = await open(this.#path, "w");
      for (const pending of this.#chunks) await this.#handle.write(pending);
      this.#chunks = [];
    }
  }

  /** Ends the upload and returns where its bytes are. */
  async finish(): Promise<FileContent> {
    if (!this.#handle || !this.#path) return { kind: "memory", chunks: this.#chunks };
    await this.#handle.close();
    this.#handle = undefined;
    return { kind: "disk", path: this.#path };
  }

  /** Drops what was received (a failed upload). */
  async discard(): Promise<void> {
    this.#chunks = [];
    if (this.#handle) await this.#handle.close();
    this.#handle = undefined;
    if (this.#path) discardContent({ kind: "disk", path: this.#path });
  }
}

/**
 * Frees the disk space of a file's content, if it has any.
 *
 * @example
 * ```ts
 * discardContent(file.content);
 * ```
 */
export function discardContent(content: FileContent): void {
  if (content.kind !== "disk") return;
  try {
    unlinkSync(content.path);
  } catch {
    // Already gone (the emulator's folder was removed).
  }
}
