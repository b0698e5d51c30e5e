// Real PNG images drawn by the emulator with pngjs, deterministic from a seed (a hash of the prompt):
// a diagonal two-colour gradient with a few discs and a frame. Edits resize the input image to the
// output size, tint it with the prompt's colour and draw the same frame, so the output visibly derives
// from the input.
import { createHash } from "node:crypto";
import { PNG } from "pngjs";

/** An RGBA raster. */
export interface Raster {
  width: number;
  height: number;
  /** width × height × 4 bytes, row-major RGBA. */
  data: Uint8Array;
}

type Rgb = [number, number, number];

/**
 * 32 bytes derived from the given parts (SHA-256), the seed of everything drawn.
 *
 * @example
 * ```ts
 * const seed = seedOf("a red fox", 0);
 * ```
 */
export function seedOf(...parts: (string | number | Uint8Array)[]): Uint8Array {
  const hash = createHash("sha256");
  for (const part of parts) {
    hash.update(typeof part === "number" ? String(part) : part);
    hash.update("\u0000");
  }
  return new Uint8Array(hash.digest());
}

function colour(seed: Uint8Array, at: number): Rgb {
  // Keep colours away from the extremes so discs and frames stay visible on the gradient.
  return [40 + (seed[at] % 176), 40 + (seed[at + 1] % 176), 40 + (seed[at + 2] % 176)];
}

function blankRaster(width: number, height: number): Raster {
  return { width, height, data: new Uint8Array(width * height * 4) };
}

function drawFrame(raster: Raster, rgb: Rgb): void {
  const { width, height, data } = raster;
  const thickness = Math.max(1, Math.round(Math.min(width, height) / 32));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x >= thickness && y >= thickness && x < width - thickness && y < height - thickness) continue;
      const i = (y * width + x) * 4;
      data[i] = rgb[0];
      data[i + 1] = rgb[1];
      data[i + 2] = rgb[2];
      data[i + 3] = 255;
    }
  }
}

/**
 * Draws a fresh image: a gradient between two seed colours, discs placed by the seed, and a frame.
 *
 * @example
 * ```ts
 * const png = encodePng(drawPicture(256, 256, seedOf("a lighthouse")));
 * ```
 */
export function drawPicture(width: number, height: number, seed: Uint8Array): Raster {
  const raster = blankRaster(width, height);
  const { data } = raster;
  const from = colour(seed, 0);
  const to = colour(seed, 3);
  const discColour = colour(seed, 6);
  const discs = Array.from({ length: 2 + (seed[9] % 4) }, (_, k) => ({
    cx: (seed[10 + k * 3] / 255) * width,
    cy: (seed[11 + k * 3] / 255) * height,
    r: (0.08 + (seed[12 + k * 3] / 255) * 0.2) * Math.min(width, height),
  }));
  const span = width + height - 2 || 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x + y) / span;
      let rgb: Rgb = [
        from[0] + (to[0] - from[0]) * t,
        from[1] + (to[1] - from[1]) * t,
        from[2] + (to[2] - from[2]) * t,
      ];
      for (const disc of discs) {
        const dx = x - disc.cx;
        const dy = y - disc.cy;
        if (dx * dx + dy * dy <= disc.r * disc.r) rgb = discColour;
      }
      const i = (y * width + x) * 4;
      data[i] = rgb[0];
      data[i + 1] = rgb[1];
      data[i + 2] = rgb[2];
      data[i + 3] = 255;
    }
  }
  drawFrame(raster, colour(seed, 24));
  return raster;
}

/**
 * Derives an edited image from an input: resized (nearest neighbour) to the output size, blended 35 %
 * towards the seed's colour, and framed.
 *
 * @example
 * ```ts
 * const edited = drawEdit(decodePng(input)!, 256, 256, seedOf("make it blue"));
 * ```
 */
export function drawEdit(source: Raster, width: number, height: number, seed: Uint8Array): Raster {
  const raster = blankRaster(width, height);
  const { data } = raster;
  const tint = colour(seed, 0);
  const mix = 0.35;
  for (let y = 0; y < height; y++) {
    const sy = Math.min(source.height - 1, Math.floor((y * source.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(source.width - 1, Math.floor((x * source.width) / width));
      const si = (sy * source.width + sx) * 4;
      const i = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) data[i + c] = Math.round(source.data[si + c] * (1 - mix) + tint[c] * mix);
      data[i + 3] = 255;
    }
  }
  drawFrame(raster, colour(seed, 24));
  return raster;
}

/**
 * Blends several rasters (inputs of a multi-image edit) into one of the given size.
 *
 * @example
 * ```ts
 * const combined = blendRasters([a, b], 256, 256);
 * ```
 */
export function blendRasters(sources: Raster[], width: number, height: number): Raster {
  const raster = blankRaster(width, height);
  const { data } = raster;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (const source of sources) {
          const sy = Math.min(source.height - 1, Math.floor((y * source.height) / height));
          const sx = Math.min(source.width - 1, Math.floor((x * source.width) / width));
          sum += source.data[(sy * source.width + sx) * 4 + c];
        }
        data[i + c] = Math.round(sum / sources.length);
      }
      data[i + 3] = 255;
    }
  }
  return raster;
}

/**
 * Encodes a raster as PNG bytes.
 *
 * @example
 * ```ts
 * const bytes = encodePng(drawPicture(64, 64, seedOf("x")));
 * ```
 */
export function encodePng(raster: Raster): Uint8Array {
  // One filter and a middle compression level: several times faster than pngjs's exhaustive defaults.
  const png = new PNG({ width: raster.width, height: raster.height, filterType: 1, deflateLevel: 6 });
  png.data = Buffer.from(raster.data.buffer, raster.data.byteOffset, raster.data.byteLength);
  return new Uint8Array(PNG.sync.write(png));
}

/**
 * Decodes PNG bytes, or returns undefined when they are not a valid PNG.
 *
 * @example
 * ```ts
 * const raster = decodePng(bytes);
 * ```
 */
export function decodePng(bytes: Uint8Array): Raster | undefined {
  try {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, data: new Uint8Array(png.data) };
  } catch {
    return undefined;
  }
}
