// Real PNG images drawn by the emulator with pngjs, deterministic from a seed (a hash of the prompt) and
// the prompt: a diagonal two-colour gradient with a few discs and a frame, in the colours the prompt names
// ("a red fox" is red) or colours drawn from the seed, and the prompt's words written across the bottom in
// a tiny built-in bitmap font. Edits resize the input image to the output size, tint it with the prompt's
// colour and draw the same frame and words, so the output visibly derives from the input and the prompt.
import { createHash } from "node:crypto";
import { PNG } from "pngjs";
import { COLOURS, promptFacts } from "../chat/prompt-facts.js";

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

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  Math.round(a[0] + (b[0] - a[0]) * t),
  Math.round(a[1] + (b[1] - a[1]) * t),
  Math.round(a[2] + (b[2] - a[2]) * t),
];

/** The colours a prompt names, in order ("a red and gold banner" → red, gold). */
function namedColours(prompt: string): Rgb[] {
  if (!prompt) return [];
  const out: Rgb[] = [];
  for (const m of promptFacts(prompt).colours) out.push([...COLOURS[m.value]] as Rgb);
  return out;
}

// A 3×5 bitmap font: five rows of three pixels per glyph ("#" on). Letters are drawn upper case.
const FONT_ROWS: Record<string, string> = {
  A: ".#. #.# ### #.# #.#",
  B: "##. #.# ##. #.# ##.",
  C: ".## #.. #.. #.. .##",
  D: "##. #.# #.# #.# ##.",
  E: "### #.. ##. #.. ###",
  F: "### #.. ##. #.. #..",
  G: ".## #.. #.# #.# .##",
  H: "#.# #.# ### #.# #.#",
  I: "### .#. .#. .#. ###",
  J: "..# ..# ..# #.# .#.",
  K: "#.# #.# ##. #.# #.#",
  L: "#.. #.. #.. #.. ###",
  M: "#.# ### #.# #.# #.#",
  N: "##. #.# #.# #.# #.#",
  O: ".#. #.# #.# #.# .#.",
  P: "##. #.# ##. #.. #..",
  Q: ".#. #.# #.# ##. .##",
  R: "##. #.# ##. #.# #.#",
  S: ".## #.. .#. ..# ##.",
  T: "### .#. .#. .#. .#.",
  U: "#.# #.# #.# #.# ###",
  V: "#.# #.# #.# #.# .#.",
  W: "#.# #.# ### ### #.#",
  X: "#.# #.# .#. #.# #.#",
  Y: "#.# #.# .#. .#. .#.",
  Z: "### ..# .#. #.. ###",
  "0": "### #.# #.# #.# ###",
  "1": ".#. ##. .#. .#. ###",
  "2": "##. ..# .#. #.. ###",
  "3": "##. ..# .#. ..# ##.",
  "4": "#.# #.# ### ..# ..#",
  "5": "### #.. ##. ..# ##.",
  "6": ".## #.. ### #.# ###",
  "7": "### ..# .#. .#. .#.",
  "8": "### #.# ### #.# ###",
  "9": "### #.# ### ..# ##.",
  " ": "... ... ... ... ...",
  "?": "##. ..# .#. ... .#.",
  "!": ".#. .#. .#. ... .#.",
  "-": "... ... ### ... ...",
  ".": "... ... ... ... .#.",
  ",": "... ... ... .#. #..",
  "'": ".#. .#. ... ... ...",
};
const FONT: Record<string, boolean[]> = Object.fromEntries(
  Object.entries(FONT_ROWS).map(([char, rows]) => [char, [...rows.replace(/ /g, "")].map((c) => c === "#")]),
);

/** The prompt as the font can write it: upper case, accents dropped, other characters skipped. */
function writable(prompt: string): string {
  return prompt
    .replace(/\[[a-z]+\]/gi, " ")
    .normalize("NFD")
    .toUpperCase()
    .split("")
    .filter((c) => FONT[c] !== undefined)
    .join("")
    .replace(/\s+/g, " ")
    .trim();
}

/** Word-wraps text into at most `maxLines` lines of `width` characters (the last one cut). */
function wrap(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= width) {
      line = next;
      continue;
    }
    if (line) lines.push(line);
    line = word.slice(0, width);
    if (lines.length === maxLines) break;
  }
  if (line && lines.length < maxLines) lines.push(line);
  return lines.slice(0, maxLines);
}

/**
 * Writes the prompt's words across the bottom of the raster on a darkened (or lightened) band, in the
 * 3×5 font scaled to the image: at most two lines, about 14 characters each.
 */
function drawCaption(raster: Raster, prompt: string): void {
  const text = writable(prompt);
  if (!text) return;
  const { width, height, data } = raster;
  const margin = Math.max(1, Math.round(Math.min(width, height) / 16));
  const scale = Math.max(1, Math.floor((width - 2 * margin) / (4 * 14)));
  const perLine = Math.max(1, Math.floor((width - 2 * margin + scale) / (4 * scale)));
  const lines = wrap(text, perLine, 2);
  const lineHeight = 6 * scale;
  const bandTop = height - margin - lines.length * lineHeight - scale;
  if (bandTop < 0) return;
  let luminance = 0;
  let samples = 0;
  for (let y = bandTop; y < height - margin; y += 4) {
    for (let x = margin; x < width - margin; x += 4) {
      const i = (y * width + x) * 4;
      luminance += 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
      samples++;
    }
  }
  const light = luminance / Math.max(1, samples) > 140;
  const ink: Rgb = light ? [15, 15, 15] : [250, 250, 250];
  const shade: Rgb = light ? [255, 255, 255] : [0, 0, 0];
  for (let y = bandTop; y < height - margin; y++) {
    for (let x = margin; x < width - margin; x++) {
      const i = (y * width + x) * 4;
      const [r, g, b] = mix([data[i], data[i + 1], data[i + 2]], shade, 0.35);
      data[i] = r;
      data[i + 1] = g;
      data[i + 2] = b;
    }
  }
  lines.forEach((line, row) => {
    const top = bandTop + scale + row * lineHeight;
    const left = Math.floor((width - (line.length * 4 - 1) * scale) / 2);
    for (let c = 0; c < line.length; c++) {
      const glyph = FONT[line[c]];
      for (let gy = 0; gy < 5; gy++) {
        for (let gx = 0; gx < 3; gx++) {
          if (!glyph[gy * 3 + gx]) continue;
          for (let dy = 0; dy < scale; dy++) {
            const y = top + gy * scale + dy;
            if (y < 0 || y >= height) continue;
            for (let dx = 0; dx < scale; dx++) {
              const x = left + (c * 4 + gx) * scale + dx;
              if (x < 0 || x >= width) continue;
              const i = (y * width + x) * 4;
              data[i] = ink[0];
              data[i + 1] = ink[1];
              data[i + 2] = ink[2];
            }
          }
        }
      }
    }
  });
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
 * Draws a fresh image: a gradient, discs placed by the seed, a frame, and the prompt's words. The
 * colours are those the prompt names (the first for the gradient, the second, or a lighter first, for
 * the discs), else drawn from the seed.
 *
 * @example
 * ```ts
 * const png = encodePng(drawPicture(256, 256, seedOf("a red lighthouse"), "a red lighthouse"));
 * ```
 */
export function drawPicture(width: number, height: number, seed: Uint8Array, prompt = ""): Raster {
  const raster = blankRaster(width, height);
  const { data } = raster;
  const named = namedColours(prompt);
  const from = named[0] ?? colour(seed, 0);
  const to = named[0] ? mix(named[0], [0, 0, 0], 0.35) : colour(seed, 3);
  const discColour = named[1] ?? (named[0] ? mix(named[0], [255, 255, 255], 0.4) : colour(seed, 6));
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
  drawCaption(raster, prompt);
  return raster;
}

/**
 * Derives an edited image from an input: resized (nearest neighbour) to the output size, blended 35 %
 * towards the colour the prompt names (else the seed's), framed, and captioned with the prompt.
 *
 * @example
 * ```ts
 * const edited = drawEdit(decodePng(input)!, 256, 256, seedOf("make it blue"), "make it blue");
 * ```
 */
export function drawEdit(
  source: Raster,
  width: number,
  height: number,
  seed: Uint8Array,
  prompt = "",
): Raster {
  const raster = blankRaster(width, height);
  const { data } = raster;
  const tint = namedColours(prompt)[0] ?? colour(seed, 0);
  const blend = 0.35;
  for (let y = 0; y < height; y++) {
    const sy = Math.min(source.height - 1, Math.floor((y * source.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(source.width - 1, Math.floor((x * source.width) / width));
      const si = (sy * source.width + sx) * 4;
      const i = (y * width + x) * 4;
      for (let c = 0; c < 3; c++)
        data[i + c] = Math.round(source.data[si + c] * (1 - blend) + tint[c] * blend);
      data[i + 3] = 255;
    }
  }
  drawFrame(raster, colour(seed, 24));
  drawCaption(raster, prompt);
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
