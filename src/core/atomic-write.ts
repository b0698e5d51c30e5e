import { createWriteStream } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

let partialCounter = 0;
function partialName(path: string): string {
  partialCounter += 1;
  return `${path}.${process.pid}-${partialCounter}.part`;
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
