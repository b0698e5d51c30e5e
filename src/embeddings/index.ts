/**
 * Embedding vectors of texts and images: `client.embeddings`.
 *
 * @example
 * ```ts
 * const result = await client.embeddings.create({ model: "v1", input: ["a cat", "a dog"] });
 * console.log(result.dimension);
 * ```
 * @module
 */
export type {
  EmbeddingInput,
  Embeddings,
  EmbeddingsClient,
  EmbeddingsCreateOptions,
  EmbeddingsUsage,
  InputEmbedding,
} from "./client.js";
