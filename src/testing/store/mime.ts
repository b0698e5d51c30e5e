// Content types the emulator infers from file names and magic bytes.

const byExtension: Record<string, string> = {
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  html: "text/html",
  htm: "text/html",
  xml: "application/xml",
  json: "application/json",
  jsonl: "application/jsonl",
  pdf: "application/pdf",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  mp4: "video/mp4",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  js: "text/javascript",
  ts: "text/x-typescript",
  py: "text/x-python",
};

/**
 * The content type of a file name, from its extension (`application/octet-stream` when unknown).
 *
 * @example
 * ```ts
 * mimeTypeOf("notes.md"); // "text/markdown"
 * ```
 */
export function mimeTypeOf(filename: string): string {
  const dot = filename.lastIndexOf(".");
  const extension = dot >= 0 ? filename.slice(dot + 1).toLowerCase() : "";
  return byExtension[extension] ?? "application/octet-stream";
}

/**
 * The image type of some bytes from their signature, or undefined when they are not a known image format.
 *
 * @example
 * ```ts
 * imageTypeOf(pngBytes); // "image/png"
 * ```
 */
export function imageTypeOf(bytes: Uint8Array): string | undefined {
  const starts = (...signature: number[]) => signature.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42) {
    return "image/webp";
  }
  return undefined;
}
