// The GenAI attributes of embedding calls (`embeddings`).
import type { EmbedRequest, EmbedResponse } from "../gen/xai/api/v1/embed_pb.js";
import { genAiRequest, jsonAttribute, type MethodDescriber, singleResponse } from "../telemetry/describe.js";

/** `Embed`: model and input count; the texts only with content capture. */
const embed: MethodDescriber = {
  operation: "embeddings",
  request: (request, content) => {
    const r = request as EmbedRequest;
    return genAiRequest("embeddings", r.model, {
      "xai.request.input.count": r.input.length,
      "gen_ai.input.messages": content
        ? jsonAttribute(r.input.map((i) => (i.input.case === "string" ? i.input.value : "(image)")))
        : undefined,
    });
  },
  response: singleResponse((response: EmbedResponse) => {
    const first = response.embeddings[0]?.embeddings[0];
    // A base64 vector holds 4 bytes per float, 3 bytes per 4 characters.
    const dimensions = first ? first.floatArray.length || Math.floor((first.base64Array.length * 3) / 16) : 0;
    return {
      "gen_ai.response.id": response.id || undefined,
      "gen_ai.response.model": response.model || undefined,
      "gen_ai.embeddings.dimension.count": dimensions || undefined,
      "xai.usage.text_embeddings": response.usage?.numTextEmbeddings,
      "xai.usage.image_embeddings": response.usage?.numImageEmbeddings,
    };
  }),
};

/** The embeddings service's describers, by method path. */
export const embeddingsDescribers: Record<string, MethodDescriber> = {
  "/xai_api.Embedder/Embed": embed,
};
