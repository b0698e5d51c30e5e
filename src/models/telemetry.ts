// The model a catalogue or tokenizer call is about, as `gen_ai.request.model` on its span (named after the
// method: these calls are not GenAI operations).
import type { MethodDescriber } from "../telemetry/describe.js";

/** A call whose request names a model in `field`; the span keeps the method's name. */
function modelOf(field: "name" | "model"): MethodDescriber {
  return {
    operation: undefined,
    request: (request) => ({
      attributes: { "gen_ai.request.model": (request as Record<string, string>)[field] || undefined },
    }),
    response: () => ({ add: () => {}, attributes: () => ({}) }),
  };
}

/** The models and tokenize services' describers, by method path. */
export const modelDescribers: Record<string, MethodDescriber> = {
  "/xai_api.Models/GetLanguageModel": modelOf("name"),
  "/xai_api.Models/GetEmbeddingModel": modelOf("name"),
  "/xai_api.Models/GetImageGenerationModel": modelOf("name"),
  "/xai_api.Tokenize/TokenizeText": modelOf("model"),
};
