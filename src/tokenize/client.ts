import { ProtoWrapper } from "../core/wrapper.js";
import {
  Tokenize,
  type TokenizeTextResponse,
  TokenizeTextResponseSchema,
} from "../gen/xai/api/v1/tokenize_pb.js";
import { XaiInputError } from "../transport/errors.js";
import type { CallOptions } from "../transport/options.js";
import type { Transport } from "../transport/transport.js";

/**
 * One token of a tokenized text.
 *
 * @example
 * ```ts
 * const { tokens } = await client.tokenize.tokenize("Hello world", { model: "grok-4" });
 * console.log(tokens.map((t) => `${t.id}:${JSON.stringify(t.text)}`).join(" "));
 * ```
 */
export interface Token {
  /** The token's id in the model's vocabulary. */
  id: number;
  /** The token as text (may be a partial character for multi-byte text; see `bytes`). */
  text: string;
  /** The token's exact bytes. */
  bytes: Uint8Array;
}

/**
 * The tokens of a text, as the model sees them.
 *
 * @example
 * ```ts
 * const result = await client.tokenize.tokenize("Hello world", { model: "grok-4" });
 * console.log(result.length, result.ids, [...result].map((t) => t.text));
 * ```
 */
export class TokenizedText
  extends ProtoWrapper<typeof TokenizeTextResponseSchema>
  implements Iterable<Token>
{
  /** `ids` repeats the ids of `tokens`. */
  protected static override readonly hiddenFields: readonly string[] = ["ids"];
  /** The tokens, in order. */
  readonly tokens: readonly Token[];

  /** @internal */
  constructor(proto: TokenizeTextResponse) {
    super(TokenizeTextResponseSchema, proto);
    this.tokens = proto.tokens.map((t) => ({ id: t.tokenId, text: t.stringToken, bytes: t.tokenBytes }));
  }
  /** How many tokens the text has. */
  get length(): number {
    return this.tokens.length;
  }
  /** The token ids, in order. */
  get ids(): number[] {
    return this.tokens.map((t) => t.id);
  }
  /** The model whose tokenizer was used (its canonical name). */
  get model(): string {
    return this.proto.model;
  }
  [Symbol.iterator](): Iterator<Token> {
    return this.tokens[Symbol.iterator]();
  }
}

/**
 * Options of `client.tokenize.tokenize`.
 *
 * @example
 * ```ts
 * const params: TokenizeOptions = { model: "grok-4" };
 * ```
 */
export interface TokenizeOptions {
  /** The model whose tokenizer to use, e.g. `grok-4`. */
  model: string;
  /** An id of your end user, kept in xAI's logs. */
  user?: string;
}

/**
 * Tokenization (Tokenize service). Reached as `client.tokenize`.
 *
 * @example
 * ```ts
 * const { length } = await client.tokenize.tokenize("How many tokens is this?", { model: "grok-4" });
 * ```
 */
export class TokenizeClient {
  /** @internal */
  constructor(protected readonly transport: Transport) {}

  /**
   * Splits `text` into the tokens of `model`'s tokenizer.
   *
   * @example
   * ```ts
   * const result = await client.tokenize.tokenize("Hello world", { model: "grok-4" }, { timeout: 10_000 });
   * for (const token of result) console.log(token.id, token.text);
   * ```
   */
  async tokenize(text: string, params: TokenizeOptions, options?: CallOptions): Promise<TokenizedText> {
    if (typeof text !== "string") {
      throw new XaiInputError(
        `tokenize takes the text as a string, got ${text === null ? "null" : typeof text}`,
      );
    }
    if (typeof params !== "object" || params === null) {
      throw new XaiInputError('tokenize needs the model: tokenize(text, { model: "grok-4" })');
    }
    if (typeof params.model !== "string" || params.model.trim() === "") {
      throw new XaiInputError(
        `model must be a non-empty model name, e.g. tokenize(text, { model: "grok-4" }); got ${JSON.stringify(params.model)}`,
      );
    }
    if (params.user !== undefined && typeof params.user !== "string") {
      throw new XaiInputError("user must be a string");
    }
    const response = await this.transport.api.unary(
      Tokenize.method.tokenizeText,
      { text, model: params.model, user: params.user ?? "" },
      options,
    );
    return new TokenizedText(response);
  }
}
