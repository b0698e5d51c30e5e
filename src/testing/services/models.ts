// The emulator's Models service: lists and describes the catalogue's language, embedding and image models.

import type { MessageInitShape } from "@bufbuild/protobuf";
import { type Timestamp, timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  type EmbeddingModelSchema,
  type ImageGenerationModelSchema,
  type LanguageModelSchema,
  Modality,
  Models,
} from "../../gen/xai/api/v1/models_pb.js";
import { type CatalogModel, type EmulatorContext, register, type ServiceRegistration } from "../types.js";

const MODALITY: Record<CatalogModel["inputModalities"][number], Modality> = {
  text: Modality.TEXT,
  image: Modality.IMAGE,
  embedding: Modality.EMBEDDING,
};

const modalities = (list: CatalogModel["inputModalities"]): Modality[] => list.map((m) => MODALITY[m]);
const created = (model: CatalogModel): Timestamp => timestampFromDate(model.created);
const fingerprint = (model: CatalogModel): string => model.systemFingerprint ?? "";

/** The `LanguageModel` message of a catalogue model. */
export function languageModelMessage(model: CatalogModel): MessageInitShape<typeof LanguageModelSchema> {
  return {
    name: model.name,
    aliases: model.aliases,
    version: model.version,
    inputModalities: modalities(model.inputModalities),
    outputModalities: modalities(model.outputModalities),
    promptTextTokenPrice: BigInt(model.promptTextTokenPrice),
    promptImageTokenPrice: BigInt(model.promptImageTokenPrice),
    cachedPromptTokenPrice: BigInt(model.cachedPromptTokenPrice),
    completionTextTokenPrice: BigInt(model.completionTextTokenPrice),
    searchPrice: BigInt(model.searchPrice),
    created: created(model),
    maxPromptLength: model.maxPromptLength,
    systemFingerprint: fingerprint(model),
  };
}

/** The `EmbeddingModel` message of a catalogue model. */
export function embeddingModelMessage(model: CatalogModel): MessageInitShape<typeof EmbeddingModelSchema> {
  return {
    name: model.name,
    aliases: model.aliases,
    version: model.version,
    inputModalities: modalities(model.inputModalities),
    outputModalities: modalities(model.outputModalities),
    promptTextTokenPrice: BigInt(model.promptTextTokenPrice),
    promptImageTokenPrice: BigInt(model.promptImageTokenPrice),
    created: created(model),
    systemFingerprint: fingerprint(model),
  };
}

/** The `ImageGenerationModel` message of a catalogue model. */
export function imageModelMessage(model: CatalogModel): MessageInitShape<typeof ImageGenerationModelSchema> {
  return {
    name: model.name,
    aliases: model.aliases,
    version: model.version,
    inputModalities: modalities(model.inputModalities),
    outputModalities: modalities(model.outputModalities),
    imagePrice: BigInt(model.imagePrice),
    created: created(model),
    maxPromptLength: model.maxPromptLength,
    systemFingerprint: fingerprint(model),
  };
}

/**
 * The emulator's `xai_api.Models` service: answers from the catalogue; a name or an alias finds a model;
 * an unknown name gets NOT_FOUND.
 *
 * @example
 * ```ts
 * const registration = modelsService(ctx);
 * ```
 */
export function modelsService(ctx: EmulatorContext): ServiceRegistration {
  const ofKind = (kind: CatalogModel["kind"]) => ctx.models.filter((m) => m.kind === kind);
  return register(Models, {
    listLanguageModels: () => ({ models: ofKind("language").map(languageModelMessage) }),
    listEmbeddingModels: () => ({ models: ofKind("embedding").map(embeddingModelMessage) }),
    listImageGenerationModels: () => ({ models: ofKind("image").map(imageModelMessage) }),
    getLanguageModel: (request) => languageModelMessage(ctx.resolveModel(request.name, "language")),
    getEmbeddingModel: (request) => embeddingModelMessage(ctx.resolveModel(request.name, "embedding")),
    getImageGenerationModel: (request) => imageModelMessage(ctx.resolveModel(request.name, "image")),
  });
}
