// The REST endpoints other than chat: models, embeddings, images, tokenize, api-key. Each translates its JSON
// into the engine's request and the engine's response back into xAI's REST JSON.
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type { ApiKey } from "../../gen/xai/api/v1/auth_pb.js";
import {
  EmbedEncodingFormat,
  type EmbedRequestSchema,
  type EmbedResponse,
} from "../../gen/xai/api/v1/embed_pb.js";
import {
  type GenerateImageRequestSchema,
  ImageAspectRatio,
  ImageFormat,
  ImageQuality,
  ImageResolution,
  type ImageResponse,
} from "../../gen/xai/api/v1/image_pb.js";
import {
  type EmbeddingModel,
  type ImageGenerationModel,
  type LanguageModel,
  Modality,
} from "../../gen/xai/api/v1/models_pb.js";
import type { TokenizeTextRequestSchema, TokenizeTextResponse } from "../../gen/xai/api/v1/tokenize_pb.js";
import { countTokens } from "../tokenizer.js";
import { Code, EmulatorError } from "../types.js";
import type { Fields } from "./body.js";
import { badField } from "./errors.js";

const seconds = (t: Timestamp | undefined) => Number(t?.seconds ?? 0n);

const MODALITY_TEXT: Record<number, string> = {
  [Modality.TEXT]: "text",
  [Modality.IMAGE]: "image",
  [Modality.EMBEDDING]: "embedding",
};
const modalities = (list: readonly Modality[]) => list.map((m) => MODALITY_TEXT[m] ?? "text");

/** A model of any kind the Models service describes. */
export type AnyModel = LanguageModel | EmbeddingModel | ImageGenerationModel;

/** An entry of `GET /v1/models` (the OpenAI-compatible list). */
export function modelEntry(model: AnyModel): Record<string, unknown> {
  return { id: model.name, object: "model", created: seconds(model.created), owned_by: "xai" };
}

/** An entry of `GET /v1/language-models` (xAI's detailed list). */
export function languageModelJson(model: LanguageModel): Record<string, unknown> {
  return {
    id: model.name,
    fingerprint: model.systemFingerprint,
    created: seconds(model.created),
    object: "model",
    owned_by: "xai",
    version: model.version,
    input_modalities: modalities(model.inputModalities),
    output_modalities: modalities(model.outputModalities),
    prompt_text_token_price: Number(model.promptTextTokenPrice),
    cached_prompt_text_token_price: Number(model.cachedPromptTokenPrice),
    prompt_image_token_price: Number(model.promptImageTokenPrice),
    completion_text_token_price: Number(model.completionTextTokenPrice),
    search_price: Number(model.searchPrice),
    aliases: model.aliases,
  };
}

/** The engine's request for `POST /v1/embeddings`. */
export function embedRequest(body: Fields): MessageInitShape<typeof EmbedRequestSchema> {
  const input = body.strings("input");
  if (!input)
    throw new EmulatorError(Code.INVALID_ARGUMENT, "input is required: a string or an array of strings.");
  const format = body.choice("encoding_format", {
    float: EmbedEncodingFormat.FORMAT_FLOAT,
    base64: EmbedEncodingFormat.FORMAT_BASE64,
  });
  return {
    model: body.string("model") ?? "",
    input: input.map((text) => ({ input: { case: "string", value: text } })),
    encodingFormat: format ?? EmbedEncodingFormat.FORMAT_FLOAT,
    user: body.string("user") ?? "",
  };
}

/** The JSON of `POST /v1/embeddings`; usage counts the inputs' tokens with the engine's tokenizer. */
export function embeddingsJson(response: EmbedResponse, inputs: readonly string[]): Record<string, unknown> {
  const tokens = inputs.reduce((sum, text) => sum + countTokens(text), 0);
  return {
    object: "list",
    data: response.embeddings.map((e) => {
      const vector = e.embeddings[0];
      return {
        object: "embedding",
        index: e.index,
        embedding: vector?.base64Array ? vector.base64Array : (vector?.floatArray ?? []),
      };
    }),
    model: response.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

const ASPECT: Record<string, ImageAspectRatio> = {
  "1:1": ImageAspectRatio.IMG_ASPECT_RATIO_1_1,
  "3:4": ImageAspectRatio.IMG_ASPECT_RATIO_3_4,
  "4:3": ImageAspectRatio.IMG_ASPECT_RATIO_4_3,
  "9:16": ImageAspectRatio.IMG_ASPECT_RATIO_9_16,
  "16:9": ImageAspectRatio.IMG_ASPECT_RATIO_16_9,
  "2:3": ImageAspectRatio.IMG_ASPECT_RATIO_2_3,
  "3:2": ImageAspectRatio.IMG_ASPECT_RATIO_3_2,
  auto: ImageAspectRatio.IMG_ASPECT_RATIO_AUTO,
  "9:19.5": ImageAspectRatio.IMG_ASPECT_RATIO_9_19_5,
  "19.5:9": ImageAspectRatio.IMG_ASPECT_RATIO_19_5_9,
  "9:20": ImageAspectRatio.IMG_ASPECT_RATIO_9_20,
  "20:9": ImageAspectRatio.IMG_ASPECT_RATIO_20_9,
  "1:2": ImageAspectRatio.IMG_ASPECT_RATIO_1_2,
  "2:1": ImageAspectRatio.IMG_ASPECT_RATIO_2_1,
};

/** The engine's request for `POST /v1/images/generations` (`response_format` "url", the default, or "b64_json"). */
export function imageRequest(body: Fields): MessageInitShape<typeof GenerateImageRequestSchema> {
  const format = body.choice("response_format", {
    url: ImageFormat.IMG_FORMAT_URL,
    b64_json: ImageFormat.IMG_FORMAT_BASE64,
  });
  const image = body.object("image");
  const images = body.objects("images");
  const source = (f: Fields) => ({ source: { case: "imageUrl" as const, value: f.string("url") ?? "" } });
  return {
    prompt: body.string("prompt") ?? "",
    model: body.string("model") ?? "",
    n: body.integer("n"),
    user: body.string("user") ?? "",
    format: format ?? ImageFormat.IMG_FORMAT_URL,
    quality: body.choice("quality", {
      low: ImageQuality.IMG_QUALITY_LOW,
      medium: ImageQuality.IMG_QUALITY_MEDIUM,
      high: ImageQuality.IMG_QUALITY_HIGH,
    }),
    aspectRatio: body.choice("aspect_ratio", ASPECT),
    resolution: body.choice("resolution", {
      "1k": ImageResolution.IMG_RESOLUTION_1K,
      "2k": ImageResolution.IMG_RESOLUTION_2K,
    }),
    image: image ? source(image) : undefined,
    images: images?.map(source) ?? [],
  };
}

/** The JSON of `POST /v1/images/generations`: `b64_json` is the bare base64 (no `data:` prefix). */
export function imagesJson(response: ImageResponse): Record<string, unknown> {
  return {
    data: response.images.map((image) =>
      image.image.case === "base64"
        ? { b64_json: image.image.value.replace(/^data:[^,]*,/, ""), revised_prompt: "" }
        : { url: image.image.value ?? "", revised_prompt: "" },
    ),
    ...(response.usage?.costInUsdTicks !== undefined
      ? { usage: { cost_in_usd_ticks: Number(response.usage.costInUsdTicks) } }
      : {}),
  };
}

/** The engine's request for `POST /v1/tokenize-text`. */
export function tokenizeRequest(body: Fields): MessageInitShape<typeof TokenizeTextRequestSchema> {
  const text = body.string("text");
  if (text === undefined) throw badField("text", "a string");
  return { text, model: body.string("model") ?? "", user: body.string("user") ?? "" };
}

/** The JSON of `POST /v1/tokenize-text`. */
export function tokensJson(response: TokenizeTextResponse): Record<string, unknown> {
  return {
    token_ids: response.tokens.map((t) => ({
      token_id: t.tokenId,
      string_token: t.stringToken,
      token_bytes: [...t.tokenBytes],
    })),
  };
}

const iso = (t: Timestamp | undefined) => new Date(seconds(t) * 1000).toISOString();

/** The JSON of `GET /v1/api-key`. */
export function apiKeyJson(key: ApiKey): Record<string, unknown> {
  return {
    redacted_api_key: key.redactedApiKey,
    user_id: key.userId,
    name: key.name,
    create_time: iso(key.createTime),
    modify_time: iso(key.modifyTime),
    modified_by: key.modifiedBy,
    team_id: key.teamId,
    acls: key.acls,
    api_key_id: key.apiKeyId,
    team_blocked: key.teamBlocked,
    api_key_blocked: key.apiKeyBlocked,
    api_key_disabled: key.disabled,
  };
}
