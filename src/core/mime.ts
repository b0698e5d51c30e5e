// MIME types of generated media and uploads: sniffed from the first bytes, or from a file name.

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
