import { Image } from "../gen/xai/api/v1/image_pb.js";
import { XaiInputError } from "../transport/errors.js";
import type { CallOptions } from "../transport/options.js";
import type { Transport } from "../transport/transport.js";
import {
  buildGenerateImageRequest,
  checkImageCount,
  type ImageGenerateOptions,
  MAX_IMAGES_PER_REQUEST,
  PreparedImageRequest,
} from "./request.js";
import { ImageResponse } from "./response.js";

/**
 * Options of `client.image.prepare`.
 *
 * @example
 * ```ts
 * client.image.prepare({ prompt: "a fox", model: "grok-imagine-image" }, { batchRequestId: "fox-1" });
 * ```
 */
export interface PrepareImageOptions {
  /** Your id for the request in the batch (results carry it back); the server assigns one when omitted. */
  batchRequestId?: string;
}

/**
 * Image generation and editing (Image service). Reached as `client.image`.
 *
 * @example
 * ```ts
 * const image = await client.image.sample({ prompt: "A red bicycle", model: "grok-imagine-image" });
 * await image.save("bicycle.jpg");
 * ```
 */
export class ImageClient {
  /** @internal */
  constructor(protected readonly transport: Transport) {}

  /**
   * Generates one image (or edits `image`/`images`). For several images of one prompt use `sampleBatch`.
   *
   * @example
   * ```ts
   * const image = await client.image.sample({ prompt: "A cat in a tree", model: "grok-imagine-image", format: "base64" });
   * console.log(image.mimeType, (await image.bytes()).length);
   * ```
   */
  async sample(params: ImageGenerateOptions, options?: CallOptions): Promise<ImageResponse> {
    if (params?.n !== undefined && params.n !== 1) {
      const n = params.n;
      const valid = Number.isInteger(n) && n >= 2 && n <= MAX_IMAGES_PER_REQUEST;
      throw new XaiInputError(
        valid
          ? `sample() generates one image; for ${n} use sampleBatch(${n}, params)`
          : `n must be a whole number from 1 to ${MAX_IMAGES_PER_REQUEST}, got ${String(n)}; sample() makes one image, sampleBatch(n, params) several`,
      );
    }
    const request = buildGenerateImageRequest(params, 1);
    const response = await this.transport.api.unary(Image.method.generateImage, request, options);
    return new ImageResponse(response, 0);
  }

  /**
   * Generates `n` images (1 to 10) of one prompt in a single request.
   *
   * @example
   * ```ts
   * const images = await client.image.sampleBatch(4, { prompt: "Logo ideas for a bakery", model: "grok-imagine-image" });
   * await Promise.all(images.map((img, i) => img.save(`logo-${i}.jpg`)));
   * ```
   */
  async sampleBatch(
    n: number,
    params: ImageGenerateOptions,
    options?: CallOptions,
  ): Promise<ImageResponse[]> {
    const count = checkImageCount(n, "n");
    if (params?.n !== undefined && params.n !== count) {
      throw new XaiInputError(
        `sampleBatch(${count}, …) was also given n: ${String(params.n)}; give the count once`,
      );
    }
    const request = buildGenerateImageRequest(params, count);
    const response = await this.transport.api.unary(Image.method.generateImage, request, options);
    return ImageResponse.all(response);
  }

  /**
   * Builds an image request for a batch without sending it (`params.n` images, 1 by default).
   *
   * @example
   * ```ts
   * const requests = prompts.map((prompt, i) => client.image.prepare({ prompt, model: "grok-imagine-image" }, { batchRequestId: `img-${i}` }));
   * await client.batch.add(batch.id, requests);
   * ```
   */
  prepare(params: ImageGenerateOptions, prepareOptions: PrepareImageOptions = {}): PreparedImageRequest {
    if (typeof prepareOptions !== "object" || prepareOptions === null) {
      throw new XaiInputError('prepare options must be an object like { batchRequestId: "img-1" }');
    }
    return new PreparedImageRequest(buildGenerateImageRequest(params), prepareOptions.batchRequestId);
  }
}
