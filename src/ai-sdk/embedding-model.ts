// The AI SDK's embedding model (specification v3) over `client.embeddings`.
import type {
  EmbeddingModelV3,
  EmbeddingModelV3CallOptions,
  EmbeddingModelV3Result,
  SharedV3Warning,
} from "@ai-sdk/provider";
import type { CallOptions, Client } from "../index.js";
import { toAiSdkError } from "./errors.js";
import { checkedOwnOptions, metadataOf, PROVIDER_KEY } from "./options.js";

/**
 * Options of an embedding call for xAI, under `providerOptions.xaiGrpc`.
 *
 * @example
 * ```ts
 * await embedMany({ model: xaiGrpc.embeddingModel("v1"), values, providerOptions: { xaiGrpc: { user: "u-42" } } });
 * ```
 */
export interface XaiGrpcEmbeddingOptions {
  /** An id of your end user. */
  user?: string;
  /** Deadline of the call in milliseconds. */
  timeout?: number;
}

/** The most inputs one Embed request takes. */
const MAX_EMBEDDINGS_PER_CALL = 128;

/**
 * An xAI embedding model for the AI SDK (`embed`, `embedMany`). Made by `xaiGrpc.embeddingModel(modelId)`.
 * xAI's gRPC Embed reports how many texts and images it embedded, not tokens: the result has no `usage`
 * (the AI SDK shows `tokens: NaN`, "unknown", rather than a made-up 0); the counts are in
 * `providerMetadata.xaiGrpc.textEmbeddings`.
 *
 * @example
 * ```ts
 * const { embeddings } = await embedMany({ model: xaiGrpc.embeddingModel("v1"), values: ["a cat", "a dog"] });
 * ```
 */
export class XaiGrpcEmbeddingModel implements EmbeddingModelV3 {
  readonly specificationVersion = "v3";
  readonly provider = "xai-grpc.embedding";
  readonly modelId: string;
  readonly maxEmbeddingsPerCall = MAX_EMBEDDINGS_PER_CALL;
  readonly supportsParallelCalls = true;
  // Not a #private field: ai 7 wraps v3 models in a Proxy, and calls their methods on it.
  private readonly client: () => Client;

  /** @internal Use `xaiGrpc.embeddingModel(modelId)`. */
  constructor(modelId: string, client: () => Client) {
    this.modelId = modelId;
    this.client = client;
  }

  async doEmbed(options: EmbeddingModelV3CallOptions): Promise<EmbeddingModelV3Result> {
    try {
      const own = checkedOwnOptions(options.providerOptions, ["user", "timeout"]);
      const warnings: SharedV3Warning[] = [];
      const call: CallOptions = {};
      if (options.abortSignal) call.signal = options.abortSignal;
      if (own.timeout !== undefined) call.timeout = own.timeout as number;
      const metadata = metadataOf(options.headers, warnings);
      if (metadata) call.metadata = metadata;
      const result = await this.client().embeddings.create(
        {
          model: this.modelId,
          input: [...options.values],
          ...(own.user !== undefined && { user: own.user as string }),
        },
        call,
      );
      return {
        embeddings: result.vectors.map((vector) => Array.from(vector)),
        providerMetadata: {
          [PROVIDER_KEY]: {
            id: result.id,
            model: result.model,
            systemFingerprint: result.systemFingerprint,
            textEmbeddings: result.usage.textEmbeddings,
          },
        },
        warnings,
      };
    } catch (err) {
      throw toAiSdkError(err, options.abortSignal);
    }
  }
}
