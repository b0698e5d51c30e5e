// The emulator's deterministic tokenizer: text is split into pieces the way BPE tokenizers roughly do
// (a word with its leading space, up to 8 letters; up to 3 digits; one punctuation mark; whitespace runs),
// and each piece gets a stable id from a hash. Concatenating the pieces gives back the text exactly.
import type { EmulatorToken } from "./types.js";

/**
 * One piece per match, tried in order at each position:
 * - an optional space and 1–8 letters (with combining marks);
 * - an optional space and 1–3 digits;
 * - an optional space and one other visible character (punctuation, symbol, emoji code point);
 * - a whitespace run that leaves its last space to the word after it;
 * - any other whitespace run.
 * Every code point matches one of them, so the pieces cover the text with no gap.
 */
const PIECE = / ?[\p{L}\p{M}]{1,8}| ?\p{N}{1,3}| ?[^\s\p{L}\p{M}\p{N}]|\s+(?!\S)|\s+/uy;

/** Size of the emulator's vocabulary; ids are in [FIRST_ID, VOCABULARY_SIZE). */
export const VOCABULARY_SIZE = 131_072;
const FIRST_ID = 1_000;

const encoder = new TextEncoder();

/** FNV-1a over UTF-16 code units: fast, stable across runs and platforms. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The id of a piece: stable, in [1000, 131072). */
export function tokenId(piece: string): number {
  return FIRST_ID + (fnv1a(piece) % (VOCABULARY_SIZE - FIRST_ID));
}

/** Splits text into its pieces (strings whose concatenation is `text`). */
export function splitPieces(text: string): string[] {
  const pieces: string[] = [];
  let at = 0;
  while (at < text.length) {
    PIECE.lastIndex = at;
    const match = PIECE.exec(text);
    // Unreachable by construction of PIECE; take one code point rather than loop forever.
    const piece = match ? match[0] : String.fromCodePoint(text.codePointAt(at) ?? 0xfffd);
    pieces.push(piece);
    at += piece.length;
  }
  return pieces;
}

/**
 * Tokenizes text deterministically: the same text always gives the same tokens, ids and bytes.
 *
 * @example
 * ```ts
 * tokenize("Hello, world!").map((t) => t.text); // ["Hello", ",", " world", "!"]
 * ```
 */
export function tokenize(text: string): EmulatorToken[] {
  return splitPieces(text).map((piece) => ({
    id: tokenId(piece),
    text: piece,
    bytes: encoder.encode(piece),
  }));
}

/**
 * Counts the tokens of `text` without building them (same result as `tokenize(text).length`).
 *
 * @example
 * ```ts
 * countTokens("Hello, world!"); // 4
 * ```
 */
export function countTokens(text: string): number {
  let count = 0;
  let at = 0;
  while (at < text.length) {
    PIECE.lastIndex = at;
    const match = PIECE.exec(text);
    at += match ? match[0].length : String.fromCodePoint(text.codePointAt(at) ?? 0xfffd).length;
    count++;
  }
  return count;
}
