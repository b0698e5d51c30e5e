import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { requireText } from "../core/check.js";
import { ticksToUsd, usdPerMillion } from "../core/cost.js";
import { optionalDate } from "../core/dates.js";
import { lazy } from "../core/lazy.js";
import { ProtoWrapper } from "../core/wrapper.js";
import {
  type EmbeddingModel,
  EmbeddingModelSchema,
  type ImageGenerationModel,
  ImageGenerationModelSchema,
  type LanguageModel,
  LanguageModelSchema,
  Modality as ModalityProto,
  Models,
} from "../gen/xai/api/v1/models_pb.js";
import type { CallOptions } from "../transport/options.js";
import type { Transport } from "../transport/transport.js";

/**
 * What a model takes in or gives out. `"unknown"` stands for a modality newer than this SDK (the raw
 * value stays in `.proto`).
 *
 * @example
 * ```ts
 * const model = await client.models.getLanguageModel("grok-4");
 * if (model.inputModalities.includes("image")) console.log("accepts images");
 * ```
 */
export type Modality = "text" | "image" | "embedding" | "unknown";

const MODALITIES = lazy(
  (): Partial<Record<number, Modality>> => ({
    [ModalityProto.TEXT]: "text",
    [ModalityProto.IMAGE]: "image",
    [ModalityProto.EMBEDDING]: "embedding",
  }),
);

function modalities(values: ModalityProto[]): Modality[] {
  return values.map((v) => MODALITIES()[v] ?? "unknown");
}

/**
 * Prices of a language model, in USD per million tokens (`search`: USD per search source).
 *
 * @example
 * ```ts
 * const { promptText, completionText } = (await client.models.getLanguageModel("grok-4")).prices;
 * const usd = (promptTokens * promptText + completionTokens * completionText) / 1e6;
 * ```
 */
export interface LanguageModelPrices {
  /** USD per million text prompt tokens. */
  promptText: number;
  /** USD per million image prompt tokens. */
  promptImage: number;
  /** USD per million cached text prompt tokens. */
  cachedPromptText: number;
  /** USD per million completion tokens (reasoning tokens are billed as completion tokens). */
  completionText: number;
  /** USD per source used by server-side search, e.g. `0.025`. */
  search: number;
}

/**
 * Prices of an embedding model, in USD per million tokens.
 *
 * @example
 * ```ts
 * console.log((await client.models.getEmbeddingModel("v1")).prices.promptText);
 * ```
 */
export interface EmbeddingModelPrices {
  /** USD per million text input tokens. */
  promptText: number;
  /** USD per million image input tokens. */
  promptImage: number;
}

function checkName(name: unknown): string {
  return requireText(name, "a model name", '"grok-4"');
}

/** The fields every model of the catalogue has, whatever its kind. */
interface CatalogueFields {
  name: string;
  aliases: string[];
  version: string;
  inputModalities: ModalityProto[];
  outputModalities: ModalityProto[];
  created?: Timestamp;
  systemFingerprint: string;
}

/**
 * What every model of the catalogue tells: its names, version, modalities, creation date and fingerprint.
 * Base of {@link LanguageModelInfo}, {@link EmbeddingModelInfo} and {@link ImageModelInfo}.
 *
 * @example
 * ```ts
 * const models: ModelInfo[] = [
 *   ...(await client.models.listLanguageModels()),
 *   ...(await client.models.listEmbeddingModels()),
 * ];
 * for (const model of models) console.log(model.name, model.aliases.join(", "), model.inputModalities);
 * ```
 */
export abstract class ModelInfo<S extends DescMessage = DescMessage> extends ProtoWrapper<S> {
  readonly #fields: CatalogueFields;

  /** @internal */
  protected constructor(schema: S, proto: MessageShape<S> & CatalogueFields) {
    super(schema, proto);
    this.#fields = proto;
  }
  /** The model's name, used in requests. */
  get name(): string {
    return this.#fields.name;
  }
  /** Other names that can be used in requests instead of `name`. */
  get aliases(): string[] {
    return this.#fields.aliases;
  }
  /** The version, which changes with minor updates under the same name. */
  get version(): string {
    return this.#fields.version;
  }
  /** What the model accepts (for image models: text, and images for edits). */
  get inputModalities(): Modality[] {
    return modalities(this.#fields.inputModalities);
  }
  /** What the model produces. */
  get outputModalities(): Modality[] {
    return modalities(this.#fields.outputModalities);
  }
  /** When the model was created. */
  get created(): Date | undefined {
    return optionalDate(this.#fields.created);
  }
  /** Identifies the model's exact configuration. */
  get systemFingerprint(): string {
    return this.#fields.systemFingerprint;
  }
}

/**
 * A language (chat) model of the catalogue.
 *
 * @example
 * ```ts
 * const model = await client.models.getLanguageModel("grok-4");
 * console.log(model.name, model.aliases, model.maxPromptLength, model.prices.completionText);
 * ```
 */
export class LanguageModelInfo extends ModelInfo<typeof LanguageModelSchema> {
  /** @internal */
  constructor(proto: LanguageModel) {
    super(LanguageModelSchema, proto);
  }
  /** Prices in USD per million tokens (converted from the API's unit, 10⁻¹⁰ USD per token). */
  get prices(): LanguageModelPrices {
    const p = this.proto;
    return {
      promptText: usdPerMillion(p.promptTextTokenPrice),
      promptImage: usdPerMillion(p.promptImageTokenPrice),
      cachedPromptText: usdPerMillion(p.cachedPromptTokenPrice),
      completionText: usdPerMillion(p.completionTextTokenPrice),
      search: ticksToUsd(p.searchPrice),
    };
  }
  /** The longest prompt in tokens (the context length). */
  get maxPromptLength(): number {
    return this.proto.maxPromptLength;
  }
}

/**
 * An embedding model of the catalogue.
 *
 * @example
 * ```ts
 * const model = await client.models.getEmbeddingModel("v1");
 * console.log(model.name, model.inputModalities, model.prices.promptText);
 * ```
 */
export class EmbeddingModelInfo extends ModelInfo<typeof EmbeddingModelSchema> {
  /** @internal */
  constructor(proto: EmbeddingModel) {
    super(EmbeddingModelSchema, proto);
  }
  /** Prices in USD per million tokens (converted from the API's unit, 10⁻¹⁰ USD per token). */
  get prices(): EmbeddingModelPrices {
    return {
      promptText: usdPerMillion(this.proto.promptTextTokenPrice),
      promptImage: usdPerMillion(this.proto.promptImageTokenPrice),
    };
  }
}

/**
 * An image generation model of the catalogue.
 *
 * @example
 * ```ts
 * const model = await client.models.getImageGenerationModel("grok-imagine-image");
 * console.log(model.name, model.imagePrice, model.maxPromptLength);
 * ```
 */
export class ImageModelInfo extends ModelInfo<typeof ImageGenerationModelSchema> {
  /** @internal */
  constructor(proto: ImageGenerationModel) {
    super(ImageGenerationModelSchema, proto);
  }
  /**
   * USD per generated image. The API sends an integer in the unit of all its prices, 10⁻¹⁰ USD per item
   * (USD cents per 100 million images, the same tick as costs): `200000000` → `0.02`.
   */
  get imagePrice(): number {
    return ticksToUsd(this.proto.imagePrice);
  }
  /** The longest prompt in tokens. */
  get maxPromptLength(): number {
    return this.proto.maxPromptLength;
  }
}

/**
 * The model catalogue (Models service). Reached as `client.models`.
 *
 * @example
 * ```ts
 * for (const model of await client.models.listLanguageModels()) console.log(model.name, model.prices.promptText);
 * ```
 */
export class ModelsClient {
  /** @internal */
  constructor(protected readonly transport: Transport) {}

  /**
   * Every language model your key can use.
   *
   * @example
   * ```ts
   * const names = (await client.models.listLanguageModels()).map((m) => m.name);
   * ```
   */
  async listLanguageModels(options?: CallOptions): Promise<LanguageModelInfo[]> {
    const response = await this.transport.api.unary(Models.method.listLanguageModels, {}, options);
    return response.models.map((m) => new LanguageModelInfo(m));
  }

  /**
   * One language model, by name or alias; rejects with `NotFoundError` when unknown.
   *
   * @example
   * ```ts
   * const model = await client.models.getLanguageModel("grok-4-latest");
   * ```
   */
  async getLanguageModel(name: string, options?: CallOptions): Promise<LanguageModelInfo> {
    const request = { name: checkName(name) };
    return new LanguageModelInfo(
      await this.transport.api.unary(Models.method.getLanguageModel, request, options),
    );
  }

  /**
   * Every embedding model your key can use.
   *
   * @example
   * ```ts
   * const models = await client.models.listEmbeddingModels();
   * ```
   */
  async listEmbeddingModels(options?: CallOptions): Promise<EmbeddingModelInfo[]> {
    const response = await this.transport.api.unary(Models.method.listEmbeddingModels, {}, options);
    return response.models.map((m) => new EmbeddingModelInfo(m));
  }

  /**
   * One embedding model, by name or alias.
   *
   * @example
   * ```ts
   * const model = await client.models.getEmbeddingModel("v1");
   * ```
   */
  async getEmbeddingModel(name: string, options?: CallOptions): Promise<EmbeddingModelInfo> {
    const request = { name: checkName(name) };
    return new EmbeddingModelInfo(
      await this.transport.api.unary(Models.method.getEmbeddingModel, request, options),
    );
  }

  /**
   * Every image generation model your key can use.
   *
   * @example
   * ```ts
   * const models = await client.models.listImageGenerationModels();
   * ```
   */
  async listImageGenerationModels(options?: CallOptions): Promise<ImageModelInfo[]> {
    const response = await this.transport.api.unary(Models.method.listImageGenerationModels, {}, options);
    return response.models.map((m) => new ImageModelInfo(m));
  }

  /**
   * One image generation model, by name or alias.
   *
   * @example
   * ```ts
   * const model = await client.models.getImageGenerationModel("grok-2-image");
   * ```
   */
  async getImageGenerationModel(name: string, options?: CallOptions): Promise<ImageModelInfo> {
    const request = { name: checkName(name) };
    return new ImageModelInfo(
      await this.transport.api.unary(Models.method.getImageGenerationModel, request, options),
    );
  }
}
