// Token-level helpers: truncation by `max_tokens` and `stop`, the pieces a stream is cut into, and the usage
// of a text-only call.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { FinishReason } from "../../gen/xai/api/v1/sample_pb.js";
import type { SamplingUsageSchema } from "../../gen/xai/api/v1/usage_pb.js";
import type { CatalogModel, EmulatorContext, EmulatorToken } from "../types.js";

/** A piece of streamed text, with its token when the text is exactly one token of the tokenizer. */
export interface Piece {
  text: string;
  token?: EmulatorToken;
}

/**
 * Cuts text into stream pieces: one token each when the tokenizer's tokens spell the text exactly,
 * otherwise words with their trailing spaces.
 *
 * @example
 * ```ts
 * pieces(ctx, "Hello there").map((p) => p.text); // ["Hello", " there"]
 * ```
 */
export function pieces(ctx: EmulatorContext, text: string): Piece[] {
  if (text.length === 0) return [];
  const tokens = ctx.tokenize(text);
  let joined = "";
  for (const token of tokens) joined += token.text;
  if (joined === text) return tokens.map((token) => ({ text: token.text, token }));
  return (text.match(/\s*\S+\s*|\s+/g) ?? [text]).map((t) => ({ text: t }));
}

/**
 * Applies `stop` sequences (the content ends before the first one, finish STOP) and `max_tokens`
 * (the content keeps that many tokens, finish MAX_LEN).
 *
 * @example
 * ```ts
 * truncateOutput(ctx, "one two three", [], 2); // { content: "one two", finishReason: REASON_MAX_LEN }
 * ```
 */
export function truncateOutput(
  ctx: EmulatorContext,
  content: string,
  stop: readonly string[],
  maxTokens: number | undefined,
): { content: string; finishReason: FinishReason } {
  let out = content;
  let cut = -1;
  for (const sequence of stop) {
    const at = out.indexOf(sequence);
    if (at >= 0 && (cut < 0 || at < cut)) cut = at;
  }
  if (cut >= 0) out = out.slice(0, cut);
  if (maxTokens !== undefined && ctx.countTokens(out) > maxTokens) {
    const parts = pieces(ctx, out);
    let kept = "";
    if (parts.length > 0 && parts[0].token) {
      kept = parts
        .slice(0, maxTokens)
        .map((p) => p.text)
        .join("");
    } else {
      for (const part of parts) {
        if (ctx.countTokens(kept + part.text) > maxTokens) break;
        kept += part.text;
      }
    }
    return { content: kept, finishReason: FinishReason.REASON_MAX_LEN };
  }
  return { content: out, finishReason: FinishReason.REASON_STOP };
}

/**
 * The usage of a text-only call (no images, cache, reasoning or tools): token counts and the cost in ticks
 * at the model's text prices.
 *
 * @example
 * ```ts
 * const usage = textUsage(model, ctx.countTokens(prompt), ctx.countTokens(answer));
 * ```
 */
export function textUsage(
  model: CatalogModel,
  promptTokens: number,
  completionTokens: number,
): MessageInitShape<typeof SamplingUsageSchema> {
  return {
    promptTokens,
    promptTextTokens: promptTokens,
    completionTokens,
    totalTokens: promptTokens + completionTokens,
    costInUsdTicks:
      BigInt(promptTokens) * BigInt(model.promptTextTokenPrice) +
      BigInt(completionTokens) * BigInt(model.completionTextTokenPrice),
  };
}
