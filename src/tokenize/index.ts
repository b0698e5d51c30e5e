/**
 * Tokenization of a text for a model: `client.tokenize`.
 *
 * @example
 * ```ts
 * const tokens = await client.tokenize.tokenize("Hello, Grok!", { model: "grok-4" });
 * console.log(tokens.length);
 * ```
 * @module
 */
export type { Token, TokenizeClient, TokenizedText, TokenizeOptions } from "./client.js";
