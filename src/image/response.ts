import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { type Usage, usageOf } from "../chat/types.js";
import { writeFileAtomic } from "../core/atomic-write.js";
import { costUsdOf } from "../core/cost.js";
import { DEFAULT_DOWNLOAD_TIMEOUT_MS, type DownloadOptions, downloadBytes } from "../core/download.js";
import { mimeTypeFromName, sniffMimeType } from "../core/mime.js";
import { ProtoWrapper } from "../core/wrapper.js";
import { ContentModeratedError } from "../errors.js";
import { GeneratedFileOutput } from "../files/stored-file.js";
import {
  type GeneratedImage,
  type ImageResponse as ImageResponseProto,
  ImageResponseSchema,
} from "../gen/xai/api/v1/image_pb.js";
import { XaiError } from "../transport/errors.js";
import { Status } from "../transport/status.js";

/** Splits `data:<type>;base64,<payload>` (or a bare base64 string). */
function parseBase64(value: string): { mimeType: string | undefined; payload: string } {
  const match = /^data:([^;,]*)(?:;[^,]*)?,(.*)$/s.exec(value);
  if (match) return { mimeType: match[1] || undefined, payload: match[2] };
  const marker = value.indexOf("base64,");
  return { mimeType: undefined, payload: marker >= 0 ? value.slice(marker + 7) : value };
}

/**
 * The prompt the model actually used, when the server sends it. The current schema reserves field 2 of
 * GeneratedImage (`up_sampled_prompt` in older versions), so it is read from the message's unknown fields.
 */
function upsampledPrompt(image: GeneratedImage): string | undefined {
  const field = image.$unknown?.find((f) => f.no === 2 && f.wireType === WireType.LengthDelimited);
  if (!field) return undefined;
  try {
    return new BinaryReader(field.data).string() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * One generated image, with the request's model, usage and cost. Returned by `client.image.sample`
 * (one) and `sampleBatch` (several); batch results use it too.
 *
 * @example
 * ```ts
 * const image = await client.image.sample({ prompt: "a lighthouse at dusk", model: "grok-imagine-image" });
 * console.log(image.url, image.mimeType, image.costUsd);
 * await image.save("lighthouse.jpg");
 * ```
 */
export class ImageResponse extends ProtoWrapper<typeof ImageResponseSchema> {
  /** `image` is the raw message of `url`/`base64`; `dataUrl` repeats `base64`. */
  protected static override readonly hiddenFields: readonly string[] = ["image", "dataUrl"];
  /** The position of this image in the response. */
  readonly index: number;
  #bytes: Promise<Buffer> | undefined;
  #sniffedType: string | undefined;

  /**
   * Wraps image `index` of a GenerateImage response (for batch results and custom transports).
   *
   * @example
   * ```ts
   * const image = new ImageResponse(result.proto.response.value, 0);
   * ```
   */
  constructor(proto: ImageResponseProto, index = 0) {
    super(ImageResponseSchema, proto);
    if (!Number.isInteger(index) || index < 0 || index >= Math.max(proto.images.length, 1)) {
      throw new RangeError(
        `image index ${index} is out of range: the response has ${proto.images.length} image(s)`,
      );
    }
    this.index = index;
  }

  /**
   * One wrapper per image of a response.
   *
   * @example
   * ```ts
   * const images = ImageResponse.all(batchResult.proto.response.value);
   * ```
   */
  static all(proto: ImageResponseProto): ImageResponse[] {
    return proto.images.map((_, i) => new ImageResponse(proto, i));
  }

  /** The generated image message this object describes (`.proto` is the whole response). */
  get image(): GeneratedImage | undefined {
    return this.proto.images[this.index];
  }
  /** The model that generated the image (its canonical name). */
  get model(): string {
    return this.proto.model;
  }
  /** Usage of the whole request (all its images), as plain numbers (zeros when not reported). */
  get usage(): Usage {
    return usageOf(this.proto.usage);
  }
  /** Cost of the whole request (all its images) in USD, when the server reports it. */
  get costUsd(): number | undefined {
    return costUsdOf(this.proto.usage);
  }
  /** Whether the image passed moderation. When false, the content is withheld or a placeholder. */
  get respectModeration(): boolean {
    return this.image?.respectModeration ?? false;
  }
  /** The temporary URL of the image (format `"url"`). */
  get url(): string | undefined {
    const image = this.image?.image;
    return image?.case === "url" && image.value !== "" ? image.value : undefined;
  }
  /** The image as base64, without any `data:` prefix (format `"base64"`). */
  get base64(): string | undefined {
    const image = this.image?.image;
    return image?.case === "base64" && image.value !== "" ? parseBase64(image.value).payload : undefined;
  }
  /** The image as a `data:` URL (format `"base64"`), ready for an `<img src>` or another request's input. */
  get dataUrl(): string | undefined {
    const base64 = this.base64;
    return base64 === undefined
      ? undefined
      : `data:${this.mimeType ?? "application/octet-stream"};base64,${base64}`;
  }
  /**
   * The image's media type, e.g. `image/png`: from the base64 data URL, the URL's extension, or the
   * downloaded bytes once `bytes()` or `save()` ran; undefined when none says.
   */
  get mimeType(): string | undefined {
    const image = this.image?.image;
    if (image?.case === "base64") {
      const declared = parseBase64(image.value).mimeType;
      if (declared) return declared;
    }
    if (this.#sniffedType) return this.#sniffedType;
    if (image?.case === "url") return mimeTypeFromName(image.value);
    return undefined;
  }
  /** The prompt the model actually used (rewritten from yours), when the server sends it. */
  get revisedPrompt(): string | undefined {
    const image = this.image;
    return image ? upsampledPrompt(image) : undefined;
  }
  /** Where the image was stored in your files, when the request had `storageOptions`. */
  get fileOutput(): GeneratedFileOutput | undefined {
    const output = this.image?.fileOutput;
    return output ? new GeneratedFileOutput(output) : undefined;
  }
  /** Why storing the image failed, when it did. */
  get storageError(): string | undefined {
    return this.image?.storageError;
  }
  /** The public URL of the stored image, when one was asked for and created. */
  get publicUrl(): string | undefined {
    return this.image?.fileOutput?.publicUrl;
  }
  /** Why the public URL could not be created, when it could not. */
  get publicUrlError(): string | undefined {
    return this.image?.fileOutput?.publicUrlError;
  }

  /**
   * The image's bytes: decoded from base64, or downloaded from the URL (timeout 60 s by default).
   * Rejects with {@link ContentModeratedError} when moderation withheld the image, and with
   * `DownloadError` when the download fails. The result is kept, so calling it again costs nothing.
   *
   * @example
   * ```ts
   * const png = new PNG().parse(await image.bytes());
   * ```
   */
  bytes(options?: DownloadOptions): Promise<Buffer> {
    if (!this.#bytes) {
      this.#bytes = this.#load(options);
      this.#bytes.catch(() => {
        this.#bytes = undefined;
      });
    }
    return this.#bytes;
  }

  async #load(options: DownloadOptions | undefined): Promise<Buffer> {
    const image = this.image?.image;
    let bytes: Buffer;
    if (image?.case === "base64" && image.value !== "") {
      bytes = Buffer.from(parseBase64(image.value).payload, "base64");
    } else if (image?.case === "url" && image.value !== "") {
      bytes = await downloadBytes(image.value, { timeout: DEFAULT_DOWNLOAD_TIMEOUT_MS, ...options });
    } else if (!this.respectModeration) {
      throw new ContentModeratedError(`image ${this.index}`);
    } else {
      throw new XaiError({
        code: Status.DATA_LOSS,
        details: `image ${this.index} came back with neither a URL nor base64 data`,
      });
    }
    this.#sniffedType = sniffMimeType(bytes);
    return bytes;
  }

  /**
   * Writes the image to `path` (completely or not at all) and resolves with the path.
   *
   * @example
   * ```ts
   * await image.save(`fox-${image.index}.${image.mimeType === "image/png" ? "png" : "jpg"}`);
   * ```
   */
  async save(path: string, options?: DownloadOptions): Promise<string> {
    await writeFileAtomic(path, await this.bytes(options));
    return path;
  }
}
