// `xai image`: generate images from a prompt, saved to files or shown as URLs.
import { extname } from "node:path";
import type { Command } from "commander";
import type {
  ImageAspectRatio,
  ImageGenerateOptions,
  ImageQuality,
  ImageResolution,
} from "../../image/index.js";
import type { CliContext } from "../context.js";
import { DEFAULT_IMAGE_MODEL } from "../defaults.js";
import { UsageError } from "../errors.js";
import { examples } from "../help.js";
import { parseModelName, parsePositiveInteger } from "../parsers.js";

interface ImageCommandOptions {
  model: string;
  out?: string;
  n?: number;
  aspectRatio?: string;
  resolution?: string;
  quality?: string;
  json?: boolean;
}

/**
 * The file names for `n` images saved under `out`: `out` itself for one, `name-1.ext`, `name-2.ext`… for more.
 *
 * @example
 * ```ts
 * outputPaths("cat.png", 2); // ["cat-1.png", "cat-2.png"]
 * ```
 */
export function outputPaths(out: string, n: number): string[] {
  if (n === 1) return [out];
  const ext = extname(out);
  const stem = ext ? out.slice(0, -ext.length) : out;
  return Array.from({ length: n }, (_, i) => `${stem}-${i + 1}${ext}`);
}

/**
 * Registers `xai image`.
 *
 * @example
 * ```ts
 * registerImageCommand(program, ctx); // then: xai image --help
 * ```
 */
export function registerImageCommand(program: Command, ctx: CliContext): void {
  program
    .command("image")
    .summary("generate images from a prompt")
    .description(
      "Generate images from a prompt. With --out, the images are saved (several: name-1.png, name-2.png…); " +
        "without it, their URLs are printed.",
    )
    .argument("<prompt...>", "what to draw (several words are joined with spaces)")
    .option("-m, --model <name>", "the image model", parseModelName, DEFAULT_IMAGE_MODEL)
    .option("-o, --out <file>", "save the image to this file (e.g. cat.png)")
    .option("-n, --n <count>", "how many images", parsePositiveInteger)
    .option("--aspect-ratio <ratio>", "e.g. 1:1, 16:9, 9:16, 4:3, 3:2")
    .option("--resolution <res>", "1k or 2k")
    .option("--quality <quality>", "low, medium or high")
    .option("--json", "print {url, revisedPrompt, path} for each image as JSON")
    .addHelpText(
      "after",
      examples([
        ['xai image "a lighthouse at dawn" --out lighthouse.png', "save one image"],
        ['xai image "a cat, watercolour" -n 3 --out cat.png', "cat-1.png, cat-2.png, cat-3.png"],
        ['xai image "a logo" --aspect-ratio 16:9', "print the image's URL"],
      ]),
    )
    .action(async (words: string[], options: ImageCommandOptions, command: Command) => {
      const { term } = ctx;
      const prompt = words.join(" ");
      if (prompt.trim() === "") throw new UsageError("the prompt is empty: describe the image to generate");
      const n = options.n ?? 1;
      const client = ctx.client(command);
      // The SDK checks these values (a bad one is a usage error naming the accepted ones).
      const request: ImageGenerateOptions = {
        prompt,
        model: options.model,
        format: options.out ? "base64" : "url",
        ...(options.aspectRatio !== undefined
          ? { aspectRatio: options.aspectRatio as ImageAspectRatio }
          : {}),
        ...(options.resolution !== undefined ? { resolution: options.resolution as ImageResolution } : {}),
        ...(options.quality !== undefined ? { quality: options.quality as ImageQuality } : {}),
      };
      const waiting = term.wait(n === 1 ? "drawing…" : `drawing ${n} images…`);
      let images: Awaited<ReturnType<typeof client.image.sampleBatch>>;
      try {
        images = n === 1 ? [await client.image.sample(request)] : await client.image.sampleBatch(n, request);
      } finally {
        waiting.stop();
      }
      const paths = options.out ? outputPaths(options.out, images.length) : [];
      const results: { url?: string; revisedPrompt?: string; path?: string }[] = [];
      for (const [i, image] of images.entries()) {
        const path = paths[i];
        if (path !== undefined) await image.save(path);
        const url = path === undefined ? image.url : undefined;
        const revisedPrompt = image.revisedPrompt || undefined;
        results.push({
          ...(url ? { url } : {}),
          ...(revisedPrompt ? { revisedPrompt } : {}),
          ...(path ? { path } : {}),
        });
        if (options.json) continue;
        term.out(path !== undefined ? `saved ${term.style.cyan(path)}` : (url ?? ""));
        if (revisedPrompt) term.err(term.errStyle.dim(`revised prompt: ${revisedPrompt}`));
      }
      if (options.json) term.out(JSON.stringify(results, null, 2));
    });
}
