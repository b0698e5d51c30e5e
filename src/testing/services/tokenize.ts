// The emulator's Tokenize service: the deterministic tokenizer that usage counts are made with.
import { Tokenize } from "../../gen/xai/api/v1/tokenize_pb.js";
import { type EmulatorContext, register, type ServiceRegistration } from "../types.js";

/**
 * The emulator's `xai_api.Tokenize` service: `TokenizeText` splits the text with the emulator's tokenizer
 * (the same one chat usage counts with); the model must be a language model of the catalogue.
 *
 * @example
 * ```ts
 * const registration = tokenizeService(ctx);
 * ```
 */
export function tokenizeService(ctx: EmulatorContext): ServiceRegistration {
  return register(Tokenize, {
    tokenizeText: (request) => {
      const model = ctx.resolveModel(request.model, "language");
      return {
        model: model.name,
        tokens: ctx.tokenize(request.text).map((token) => ({
          tokenId: token.id,
          stringToken: token.text,
          tokenBytes: token.bytes,
        })),
      };
    },
  });
}
