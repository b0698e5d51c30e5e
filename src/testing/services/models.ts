// The emulator's Models service: lists and describes the catalogue's language, embedding and image models.

import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
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

/** The fields every model message has: names, version, modalities, creation date and fingerprint. */
function catalogueFields(model: CatalogModel) {
  return {
    name: model.name,
    aliases: model.aliases,
    version: model.version,
    inputModalities: modalities(model.inputModalities),
    outputModalities: modalities(model.outputModalities),
    created: timestampFromDate(model.created),
    systemFingerprint: model.systemFingerprint ?? "",
  };
}

/** The `LanguageModel` message of a catalogue model. */
export function languageModelMessage(model: CatalogModel): MessageInitShape<typeof LanguageModelSchema> {
  return {
    ...catalogueFields(model),
    promptTextTokenPrice: BigInt(model.promptTextTokenPrice),
    promptImageTokenPrice: BigInt(model.promptImageTokenPrice),
    cachedPromptTokenPrice: BigInt(model.cachedPromptTokenPrice),
    completionTextTokenPrice: BigInt(model.completionTextTokenPrice),
    searchPrice: BigInt(model.searchPrice),
    maxPromptLength: model.maxPromptLength,
  };
}

/** The `EmbeddingModel` message of a catalogue model. */
export function embeddingModelMessage(model: CatalogModel): MessageInitShape<typeof EmbeddingModelSchema> {
  return {
    ...catalogueFields(model),
    promptTextTokenPrice: BigInt(model.promptTextTokenPrice),
    promptImageTokenPrice: BigInt(model.promptImageTokenPrice),
  };
}

/** The `ImageGenerationModel` message of a catalogue model. */
export function imageModelMessage(model: CatalogModel): MessageInitShape<typeof ImageGenerationModelSchema> {
  return {
    ...catalogueFields(model),
    imagePrice: BigInt(model.imagePrice),
    maxPromptLength: model.maxPromptLength,
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
