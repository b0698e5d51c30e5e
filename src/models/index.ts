/**
 * The model catalogue, with prices in USD: `client.models`.
 *
 * @example
 * ```ts
 * for (const model of await client.models.listLanguageModels()) console.log(model.name, model.prices);
 * ```
 * @module
 */
export type {
  EmbeddingModelInfo,
  EmbeddingModelPrices,
  ImageModelInfo,
  LanguageModelInfo,
  LanguageModelPrices,
  Modality,
  ModelInfo,
  ModelsClient,
} from "./client.js";
