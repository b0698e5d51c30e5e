/**
 * The model catalogue, with prices in USD: `client.models`.
 *
 * @example
 * ```ts
 * for (const model of await client.models.listLanguageModels()) console.log(model.name, model.prices);
 * ```
 * @module
 */
export {
  EmbeddingModelInfo,
  type EmbeddingModelPrices,
  ImageModelInfo,
  LanguageModelInfo,
  type LanguageModelPrices,
  type Modality,
  ModelInfo,
  ModelsClient,
} from "./client.js";
