import { createWriteStream } from "node:fs";
import { lstat, readlink, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { XaiInputError } from "../transport/errors.js";

let partialCounter = 0;
function partialName(path: string): string {
  partialCounter += 1;
  return `${path}.${process.pid}-${partialCounter}.part`;
}

/** How many symbolic links a destination may go through (Linux's own limit is 40). */
const MAX_LINKS = 40;

type Entry = Awaited<ReturnType<typeof lstat>>;

function kindOf(info: Entry): string {
  if (info.isDirectory()) return "a directory";
  if (info.isFIFO()) return "a FIFO (named pipe)";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "a device";
  if (info.isSocket()) return "a socket";
  return "not a regular file";
}

async function entryAt(path: string): Promise<Entry | undefined> {
  try {
    return await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/**
 * The path a save to `path` really writes: `path` itself when it is missing or a regular file; through
 * symbolic links to the file they name (so the link stays a link and its target gets the content). A
 * directory, FIFO, device or socket at the end is refused: renaming over it would replace it with a file.
 */
async function destinationOf(path: string): Promise<string> {
  let current = resolve(path);
  for (let links = 0; links <= MAX_LINKS; links += 1) {
    const info = await entryAt(current);
    if (info === undefined || info.isFile()) return current;
    if (!info.isSymbolicLink()) {
      throw new XaiInputError(
        `${JSON.stringify(path)} is ${kindOf(info)}: a save never replaces one with a file; give the path of a regular file (or a new one).`,
      );
    }
    current = resolve(dirname(current), await readlink(current));
  }
  await stat(path); // raises ELOOP with the system's own wording
  return current;
}

/**
 * Writes bytes, or a stream of byte chunks, to `path` atomically: to a temporary name first, renamed when
 * complete, so readers never see half a file and a failure leaves nothing behind. A symbolic link is
 * written through (its target gets the content, the link stays); a directory, FIFO, device or socket is
 * refused with an XaiInputError before anything is read.
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
  const target = await destinationOf(path);
  const partial = partialName(target);
  try {
    if (content instanceof Uint8Array) await writeFile(partial, content);
    else await pipeline(content, createWriteStream(partial));
    await rename(partial, target);
  } catch (err) {
    await rm(partial, { force: true }).catch(() => {});
    throw err;
  }
}
