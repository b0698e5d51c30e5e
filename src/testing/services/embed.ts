// The emulator's Embedder service: deterministic unit vectors of the model's dimension. Texts are embedded
// as a bag of their tokens (each token has a fixed pseudo-random direction), so texts sharing words get
// close vectors; images by a hash of their content (or URL, or file id).
import { Embedder, EmbedEncodingFormat, type EmbedInput } from "../../gen/xai/api/v1/embed_pb.js";
import { fnv1a } from "../tokenizer.js";
import { Code, type EmulatorContext, EmulatorError, register, type ServiceRegistration } from "../types.js";

/** At most this many inputs per request, as the real API caps batches. */
export const MAX_EMBED_INPUTS = 128;

/** Adds to `into` the pseudo-random direction (components in [-1, 1)) seeded by `seed`. */
function addDirection(into: Float64Array, seed: number): void {
  let state = seed >>> 0 || 0x9e3779b9;
  for (let i = 0; i < into.length; i++) {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    into[i] += ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
}

function normalize(vector: Float64Array): number[] {
  let sum = 0;
  for (const v of vector) sum += v * v;
  const norm = Math.sqrt(sum) || 1;
  return Array.from(vector, (v) => v / norm);
}

/**
 * The embedding of a text: the normalized sum of its tokens' directions (case-insensitive, spaces ignored).
 *
 * @example
 * ```ts
 * const v = embedText(ctx, "hello world", 256); // length 256, unit norm
 * ```
 */
export function embedText(ctx: EmulatorContext, text: string, dimension: number): number[] {
  const vector = new Float64Array(dimension);
  let words = 0;
  for (const token of ctx.tokenize(text.toLowerCase())) {
    const word = token.text.trim();
    if (word === "") continue;
    addDirection(vector, fnv1a(`token:${word}`));
    words++;
  }
  if (words === 0) addDirection(vector, fnv1a(`text:${text}`));
  return normalize(vector);
}

/** The embedding of anything identified by a string (image content, URL, file id). */
export function embedKey(key: string, dimension: number): number[] {
  const vector = new Float64Array(dimension);
  addDirection(vector, fnv1a(key));
  return normalize(vector);
}

function imageKey(ctx: EmulatorContext, input: EmbedInput, index: number): string {
  if (input.input.case !== "imageUrl") throw new Error("not an image input");
  const source = input.input.value.source;
  if (source.case === "fileId" && source.value !== "") return `file:${source.value}`;
  if (source.case === "imageUrl" && source.value !== "") {
    const served = ctx.readBlob(source.value);
    if (served) return `image:${Buffer.from(served.bytes).toString("base64")}`;
    return `image:${source.value}`;
  }
  throw new EmulatorError(
    Code.INVALID_ARGUMENT,
    `Input ${index} is an image without a source: set its image_url (an https or data URL) or its file_id.`,
  );
}

function toBase64(values: number[]): string {
  const floats = Float32Array.from(values);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString("base64");
}

/**
 * The emulator's `xai_api.Embedder` service: `Embed` returns one unit vector per input, of the model's
 * dimension, as floats or base64 (little-endian float32), with usage counting text and image inputs.
 *
 * @example
 * ```ts
 * const registration = embedService(ctx);
 * ```
 */
export function embedService(ctx: EmulatorContext): ServiceRegistration {
  return register(Embedder, {
    embed: (request) => {
      const model = ctx.resolveModel(request.model, "embedding");
      if (request.input.length === 0) {
        throw new EmulatorError(
          Code.INVALID_ARGUMENT,
          "The request has no input: give at least one text or image.",
        );
      }
      if (request.input.length > MAX_EMBED_INPUTS) {
        throw new EmulatorError(
          Code.INVALID_ARGUMENT,
          `The request has ${request.input.length} inputs; at most ${MAX_EMBED_INPUTS} are allowed per request. Split it into several requests.`,
        );
      }
      const format = request.encodingFormat;
      if (format !== EmbedEncodingFormat.FORMAT_INVALID && !(format in EmbedEncodingFormat)) {
        throw new EmulatorError(
          Code.INVALID_ARGUMENT,
          `Unknown encoding_format ${format}: use FORMAT_FLOAT (1) or FORMAT_BASE64 (2).`,
        );
      }
      const base64 = format === EmbedEncodingFormat.FORMAT_BASE64;
      let texts = 0;
      let images = 0;
      const embeddings = request.input.map((input, index) => {
        let values: number[];
        if (input.input.case === "string") {
          const tokens = ctx.countTokens(input.input.value);
          if (tokens > model.maxPromptLength) {
            throw new EmulatorError(
              Code.INVALID_ARGUMENT,
              `Input ${index} has ${tokens} tokens; the model ${model.name} accepts at most ${model.maxPromptLength} per input.`,
            );
          }
          values = embedText(ctx, input.input.value, model.dimension);
          texts++;
        } else if (input.input.case === "imageUrl") {
          values = embedKey(imageKey(ctx, input, index), model.dimension);
          images++;
        } else {
          throw new EmulatorError(
            Code.INVALID_ARGUMENT,
            `Input ${index} is empty: set either its string (a text) or its image_url.`,
          );
        }
        return {
          index,
          embeddings: [base64 ? { base64Array: toBase64(values) } : { floatArray: values }],
        };
      });
      return {
        id: ctx.newId("embedding"),
        model: model.name,
        systemFingerprint: model.systemFingerprint ?? "",
        embeddings,
        usage: { numTextEmbeddings: texts, numImageEmbeddings: images },
      };
    },
  });
}
