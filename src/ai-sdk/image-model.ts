// The AI SDK's image model (specification v3) over `client.image`: prompt, n, aspect ratio, input images to edit,
// and quality and resolution as provider options.
import type {
  ImageModelV3,
  ImageModelV3CallOptions,
  ImageModelV3File,
  SharedV3Warning,
} from "@ai-sdk/provider";
import type {
  CallOptions,
  Client,
  ImageAspectRatio,
  ImageGenerateOptions,
  ImageInput,
  ImageQuality,
  ImageResolution,
} from "../index.js";
import { XaiInputError } from "../index.js";
import { toAiSdkError } from "./errors.js";
import { checkedOwnOptions, metadataOf, PROVIDER_KEY } from "./options.js";

/**
 * Options of an image call for xAI, under `providerOptions.xaiGrpc`.
 *
 * @example
 * ```ts
 * await generateImage({
 *   model: xaiGrpc.imageModel("grok-imagine-image"),
 *   prompt: "A lighthouse at dusk",
 *   providerOptions: { xaiGrpc: { resolution: "2k" } satisfies XaiGrpcImageOptions },
 * });
 * ```
 */
export interface XaiGrpcImageOptions {
  /** `"low"`, `"medium"` or `"high"`, on models that support it. */
  quality?: ImageQuality;
  /** `"1k"` or `"2k"`. */
  resolution?: ImageResolution;
  /** An id of your end user. */
  user?: string;
  /** Deadline of the call in milliseconds. */
  timeout?: number;
}

/** The most images one GenerateImage request makes. */
const MAX_IMAGES_PER_CALL = 10;

/** An input image of the AI SDK as ours: a URL, or its bytes as a data URL. */
function inputImage(image: ImageModelV3File): ImageInput {
  if (image.type === "url") return image.url;
  const base64 = typeof image.data === "string" ? image.data : Buffer.from(image.data).toString("base64");
  return `data:${image.mediaType};base64,${base64}`;
}

/**
 * An xAI image model for the AI SDK (`generateImage`). Made by `xaiGrpc.imageModel(modelId)`.
 *
 * @example
 * ```ts
 * const { images } = await generateImage({ model: xaiGrpc.imageModel("grok-imagine-image"), prompt: "A red bicycle", n: 2 });
 * ```
 */
export class XaiGrpcImageModel implements ImageModelV3 {
  readonly specificationVersion = "v3";
  readonly provider = "xai-grpc.image";
  readonly modelId: string;
  readonly maxImagesPerCall = MAX_IMAGES_PER_CALL;
  // Not a #private field: ai 7 wraps v3 models in a Proxy, and calls their methods on it.
  private readonly client: () => Client;

  /** @internal Use `xaiGrpc.imageModel(modelId)`. */
  constructor(modelId: string, client: () => Client) {
    this.modelId = modelId;
    this.client = client;
  }

  async doGenerate(
    options: ImageModelV3CallOptions,
  ): Promise<Awaited<ReturnType<ImageModelV3["doGenerate"]>>> {
    const warnings: SharedV3Warning[] = [];
    try {
      const own = checkedOwnOptions(options.providerOptions, ["quality", "resolution", "user", "timeout"]);
      if (options.prompt === undefined) {
        throw new XaiInputError("xAI image models need a prompt (also to edit images)");
      }
      if (options.size !== undefined) {
        warnings.push({
          type: "unsupported",
          feature: "size",
          details:
            "xAI images take an aspect ratio (aspectRatio) and a resolution (providerOptions.xaiGrpc.resolution)",
        });
      }
      if (options.seed !== undefined) warnings.push({ type: "unsupported", feature: "seed" });
      if (options.mask !== undefined) warnings.push({ type: "unsupported", feature: "mask" });
      const params: ImageGenerateOptions = { prompt: options.prompt, model: this.modelId, format: "base64" };
      if (options.aspectRatio !== undefined) params.aspectRatio = options.aspectRatio as ImageAspectRatio;
      if (own.quality !== undefined) params.quality = own.quality as ImageQuality;
      if (own.resolution !== undefined) params.resolution = own.resolution as ImageResolution;
      if (own.user !== undefined) params.user = own.user as string;
      const files = options.files ?? [];
      if (files.length === 1) params.image = inputImage(files[0]);
      else if (files.length > 1) params.images = files.map(inputImage);
      const call: CallOptions = {};
      if (options.abortSignal) call.signal = options.abortSignal;
      if (own.timeout !== undefined) call.timeout = own.timeout as number;
      const metadata = metadataOf(options.headers, warnings);
      if (metadata) call.metadata = metadata;
      const responses = await this.client().image.sampleBatch(options.n, params, call);
      // Base64 was asked for; bytes() rejects with ContentModeratedError for an image moderation withheld.
      const images = await Promise.all(
        responses.map(async (image) => image.base64 ?? (await image.bytes()).toString("base64")),
      );
      const first = responses[0];
      return {
        images,
        warnings,
        providerMetadata: {
          [PROVIDER_KEY]: {
            images: responses.map((image) => ({
              revisedPrompt: image.revisedPrompt ?? null,
              mimeType: image.mimeType ?? null,
            })),
            ...(first?.costUsd !== undefined && { costUsd: first.costUsd }),
          },
        },
        response: { timestamp: new Date(), modelId: first?.model || this.modelId, headers: undefined },
      };
    } catch (err) {
      throw toAiSdkError(err, options.abortSignal);
    }
  }
}
