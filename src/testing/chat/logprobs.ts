// Token log probabilities for the emulator's outputs: the chosen token gets a deterministic log
// probability, and `top_logprobs` alternatives (the chosen token first) get lower ones.
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { LogProbSchema } from "../../gen/xai/api/v1/chat_pb.js";
import type { EmulatorContext, EmulatorToken } from "../types.js";
import { hash } from "./random.js";

/** A log probability entry (protobuf init shape). */
export type LogProbInit = MessageInitShape<typeof LogProbSchema>;

const ALTERNATIVES = [" the", " a", " and", " of", " to", " it", " is", ".", ",", " this"];
const alternativeCache = new WeakMap<EmulatorContext, EmulatorToken[]>();

function alternatives(ctx: EmulatorContext): EmulatorToken[] {
  let tokens = alternativeCache.get(ctx);
  if (!tokens) {
    tokens = ALTERNATIVES.map((text) => ctx.tokenize(text)[0]).filter((t) => t !== undefined);
    alternativeCache.set(ctx, tokens);
  }
  return tokens;
}

/**
 * The log probability entry for the token at `position` of an output.
 *
 * @example
 * ```ts
 * tokenLogprob(ctx, token, 0, 3, 42).topLogprobs?.length; // 3
 * ```
 */
export function tokenLogprob(
  ctx: EmulatorContext,
  token: EmulatorToken,
  position: number,
  topLogprobs: number,
  seed: number,
): LogProbInit {
  const logprob = -((hash(token.text, position, seed) % 1500) / 1000);
  const top: { token: string; logprob: number; bytes: Uint8Array }[] = [];
  if (topLogprobs > 0) {
    top.push({ token: token.text, logprob, bytes: token.bytes });
    const pool = alternatives(ctx).filter((t) => t.text !== token.text);
    const start = hash(position, seed) % Math.max(1, pool.length);
    for (let k = 0; top.length < topLogprobs && k < pool.length; k++) {
      const alt = pool[(start + k) % pool.length];
      top.push({ token: alt.text, logprob: logprob - 0.7 * top.length - 0.3, bytes: alt.bytes });
    }
  }
  return { token: token.text, logprob, bytes: token.bytes, topLogprobs: top };
}
