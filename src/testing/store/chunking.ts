// Splits a document's text into chunks as a collection's chunk configuration says (characters, tokens of
// the emulator's tokenizer, or UTF-8 bytes, each with an overlap), and scores chunks against a query.
import type { ChunkConfiguration } from "../../gen/xai/api/v1/types_pb.js";
import type { EmulatorContext } from "../types.js";

/** What goes into a chunk besides the text window. */
export interface ChunkContext {
  /** The document's name, injected when the configuration asks for it. */
  name: string;
  /** Field values injected into every chunk (`key: value` lines). */
  injectedFields: [string, string][];
}

function windows<T>(items: T[], size: number, overlap: number): T[][] {
  const out: T[][] = [];
  const step = Math.max(1, size - overlap);
  for (let start = 0; start < items.length; start += step) {
    out.push(items.slice(start, start + size));
    if (start + size >= items.length) break;
  }
  return out;
}

function byteWindows(bytes: Uint8Array, size: number, overlap: number): string[] {
  const decoder = new TextDecoder();
  const out: string[] = [];
  const step = Math.max(1, size - overlap);
  // Never cut inside a UTF-8 sequence: move cut points back to a character start.
  const align = (at: number) => {
    let i = Math.min(at, bytes.length);
    while (i > 0 && i < bytes.length && (bytes[i] & 0xc0) === 0x80) i--;
    return i;
  };
  for (let start = 0; start < bytes.length; ) {
    const end = align(start + size);
    const safeEnd = end > start ? end : Math.min(bytes.length, start + size);
    out.push(decoder.decode(bytes.subarray(start, safeEnd)));
    if (safeEnd >= bytes.length) break;
    const next = align(start + step);
    start = next > start ? next : safeEnd;
  }
  return out;
}

/**
 * Splits text into chunks per the configuration.
 *
 * @example
 * ```ts
 * chunkText(ctx, "a long text…", config, { name: "notes.txt", injectedFields: [] });
 * ```
 */
export function chunkText(
  ctx: EmulatorContext,
  text: string,
  config: ChunkConfiguration,
  context: ChunkContext,
): string[] {
  let pieces: string[];
  const c = config.config;
  if (c.case === "tokensConfiguration") {
    const tokens = ctx.tokenize(text).map((token) => token.text);
    pieces = windows(tokens, c.value.maxChunkSizeTokens, c.value.chunkOverlapTokens).map((w) => w.join(""));
  } else if (c.case === "bytesConfiguration") {
    pieces = byteWindows(
      new TextEncoder().encode(text),
      c.value.maxChunkSizeBytes,
      c.value.chunkOverlapBytes,
    );
  } else {
    const size = c.case === "charsConfiguration" ? c.value.maxChunkSizeChars : 2000;
    const overlap = c.case === "charsConfiguration" ? c.value.chunkOverlapChars : 0;
    pieces = windows([...text], size, overlap).map((w) => w.join(""));
  }
  const prefix = [
    ...(config.injectNameIntoChunks ? [context.name] : []),
    ...context.injectedFields.map(([key, value]) => `${key}: ${value}`),
  ].join("\n");
  return pieces
    .map((piece) => (config.stripWhitespace ? piece.trim() : piece))
    .filter((piece) => piece.trim().length > 0)
    .map((piece) => (prefix ? `${prefix}\n${piece}` : piece));
}

/**
 * The lower-case words (letters and digits) of a text.
 *
 * @example
 * ```ts
 * termsOf("The quick, brown fox!"); // ["the", "quick", "brown", "fox"]
 * ```
 */
export function termsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Common English words keyword scoring ignores (unless the query has nothing else). */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "a an and are as at be but by for from has have he her his i in into is it its me my no not of on or our " +
    "she so than that the their them then there these they this to too us was we were what when where which who " +
    "why will with you your can do does did how all any"
  ).split(" "),
);

/** How chunks are scored: keyword (BM25 on words), semantic (character trigram cosine), or both. */
export type RetrievalMode = "keyword" | "semantic" | "hybrid";

/** A chunk to score. */
export interface ScoredChunk {
  terms: string[];
  text: string;
}

const TRIGRAM_DIMENSIONS = 512;

function trigramVector(text: string): Float64Array {
  const vector = new Float64Array(TRIGRAM_DIMENSIONS);
  const padded = ` ${termsOf(text).join(" ")} `;
  for (let i = 0; i + 3 <= padded.length; i++) {
    let hash = 0x811c9dc5;
    for (let j = i; j < i + 3; j++) hash = Math.imul(hash ^ padded.charCodeAt(j), 0x01000193);
    vector[(hash >>> 0) % TRIGRAM_DIMENSIONS] += 1;
  }
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < vector.length; i++) vector[i] /= norm;
  return vector;
}

/**
 * Scores every chunk against the query, each score in [0, 1] (0 = unrelated).
 *
 * @example
 * ```ts
 * const scores = scoreChunks("red fox", chunks, "keyword");
 * ```
 */
export function scoreChunks(
  query: string,
  chunks: ScoredChunk[],
  mode: RetrievalMode,
  weights: { keyword: number; semantic: number } = { keyword: 0.5, semantic: 0.5 },
): number[] {
  const allTerms = [...new Set(termsOf(query))];
  const meaningful = allTerms.filter((term) => !STOP_WORDS.has(term));
  const queryTerms = meaningful.length > 0 ? meaningful : allTerms;
  const count = chunks.length;
  const averageLength = chunks.reduce((total, chunk) => total + chunk.terms.length, 0) / (count || 1) || 1;
  const documentFrequency = new Map<string, number>();
  for (const chunk of chunks) {
    for (const term of new Set(chunk.terms))
      documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const k1 = 1.2;
  const b = 0.75;
  const idf = (term: string) => Math.log(1 + (count + 1) / ((documentFrequency.get(term) ?? 0) + 0.5));
  const best = queryTerms.reduce((total, term) => total + idf(term) * (k1 + 1), 0) || 1;
  const queryVector = mode === "keyword" ? undefined : trigramVector(query);
  return chunks.map((chunk) => {
    let keyword = 0;
    if (mode !== "semantic") {
      const frequency = new Map<string, number>();
      for (const term of chunk.terms) frequency.set(term, (frequency.get(term) ?? 0) + 1);
      const lengthNorm = 1 - b + (b * chunk.terms.length) / averageLength;
      for (const term of queryTerms) {
        const tf = frequency.get(term) ?? 0;
        if (tf > 0) keyword += (idf(term) * tf * (k1 + 1)) / (tf + k1 * lengthNorm);
      }
      keyword = Math.min(1, keyword / best);
    }
    let semantic = 0;
    if (queryVector) {
      const vector = trigramVector(chunk.text);
      for (let i = 0; i < TRIGRAM_DIMENSIONS; i++) semantic += queryVector[i] * vector[i];
    }
    if (mode === "keyword") return keyword;
    if (mode === "semantic") return semantic;
    const total = weights.keyword + weights.semantic || 1;
    return (keyword * weights.keyword + semantic * weights.semantic) / total;
  });
}
