import type { MessageInitShape } from "@bufbuild/protobuf";
import { ProtoWrapper } from "../core/wrapper.js";
import {
  Embedder,
  EmbedEncodingFormat,
  type EmbedInputSchema,
  type EmbedResponse,
  EmbedResponseSchema,
  type FeatureVector,
} from "../gen/xai/api/v1/embed_pb.js";
import { type ImageReference, imageContent } from "../image/input.js";
import { XaiInputError } from "../transport/errors.js";
import type { CallOptions } from "../transport/options.js";
import type { Transport } from "../transport/transport.js";

/**
 * One input to embed: a text, or an image given as `{ url }` (http(s) or `data:` URL) or `{ fileId }`.
 *
 * @example
 * ```ts
 * const inputs: EmbeddingInput[] = ["a red apple", { url: "https://example.com/apple.jpg" }, { fileId: photo.id }];
 * ```
 */
export type EmbeddingInput = string | ImageReference;

/**
 * Options of `client.embeddings.create`.
 *
 * @example
 * ```ts
 * const params: EmbeddingsCreateOptions = { model: "v1", input: ["first text", "second text"] };
 * ```
 */
export interface EmbeddingsCreateOptions {
  /** The embedding model, e.g. `v1`. */
  model: string;
  /** One text, or a list of texts and images; one vector comes back per input, in order. */
  input: EmbeddingInput | EmbeddingInput[];
  /** An id of your end user, kept in xAI's logs. */
  user?: string;
}

/**
 * What an embeddings call used.
 *
 * @example
 * ```ts
 * const { textEmbeddings, imageEmbeddings } = (await client.embeddings.create({ model: "v1", input: "hi" })).usage;
 * ```
 */
export interface EmbeddingsUsage {
  /** Number of texts embedded. */
  textEmbeddings: number;
  /** Number of images embedded. */
  imageEmbeddings: number;
}

/**
 * The vectors of one input. Models normally return one vector per input; all are kept here.
 *
 * @example
 * ```ts
 * for (const { index, vectors } of result.embeddings) console.log(index, vectors.length);
 * ```
 */
export interface InputEmbedding {
  /** The position of the input in the request. */
  index: number;
  /** The input's vectors (usually one). */
  vectors: Float32Array[];
}

/** Decodes a FeatureVector: floats, or base64 of little-endian float32 values. */
function decodeVector(vector: FeatureVector): Float32Array {
  if (vector.floatArray.length > 0 || vector.base64Array === "") return Float32Array.from(vector.floatArray);
  const bytes = Buffer.from(vector.base64Array, "base64");
  const out = new Float32Array(Math.floor(bytes.length / 4));
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

/**
 * The embeddings of a request: one `Float32Array` per input, in input order, with usage.
 *
 * @example
 * ```ts
 * const result = await client.embeddings.create({ model: "v1", input: ["cat", "dog"] });
 * const [cat, dog] = result.vectors;
 * console.log(result.dimension, cosine(cat, dog));
 * ```
 */
export class Embeddings extends ProtoWrapper<typeof EmbedResponseSchema> {
  /** `vectors` repeats the first vector of each of `embeddings`. */
  protected static override readonly hiddenFields: readonly string[] = ["vectors"];
  #embeddings: InputEmbedding[] | undefined;

  /** @internal */
  constructor(proto: EmbedResponse) {
    super(EmbedResponseSchema, proto);
  }
  /** Every input's vectors, ordered by input position. */
  get embeddings(): InputEmbedding[] {
    this.#embeddings ??= this.proto.embeddings
      .map((e) => ({ index: e.index, vectors: e.embeddings.map(decodeVector) }))
      .sort((a, b) => a.index - b.index);
    return this.#embeddings;
  }
  /** One vector per input, in input order (the first vector of each input). */
  get vectors(): Float32Array[] {
    return this.embeddings.map((e) => e.vectors[0] ?? new Float32Array(0));
  }
  /** The length of the vectors (0 when there are none). */
  get dimension(): number {
    return this.vectors[0]?.length ?? 0;
  }
  /** How many texts and images were embedded. */
  get usage(): EmbeddingsUsage {
    return {
      textEmbeddings: this.proto.usage?.numTextEmbeddings ?? 0,
      imageEmbeddings: this.proto.usage?.numImageEmbeddings ?? 0,
    };
  }
  /** The model that computed the vectors. */
  get model(): string {
    return this.proto.model;
  }
  /** The request's id. */
  get id(): string {
    return this.proto.id;
  }
  /** Identifies the model's exact configuration. */
  get systemFingerprint(): string {
    return this.proto.systemFingerprint;
  }
}

function embedInput(input: unknown, name: string): MessageInitShape<typeof EmbedInputSchema> {
  if (typeof input === "string") return { input: { case: "string", value: input } };
  if (typeof input === "object" && input !== null && !Array.isArray(input)) {
    return { input: { case: "imageUrl", value: imageContent(input, name) } };
  }
  throw new XaiInputError(
    `${name} must be a text string, or an image as { url } or { fileId }; got ${input === null ? "null" : typeof input}`,
  );
}

/**
 * Embedding vectors (Embedder service). Reached as `client.embeddings`. (The Python SDK does not expose
 * this service.)
 *
 * @example
 * ```ts
 * const { vectors } = await client.embeddings.create({ model: "v1", input: ["first", "second"] });
 * ```
 */
export class EmbeddingsClient {
  /** @internal */
  constructor(protected readonly transport: Transport) {}

  /**
   * Embeds texts and images; resolves with one `Float32Array` per input, in order.
   *
   * @example
   * ```ts
   * const result = await client.embeddings.create({ model: "v1", input: ["a cat", { url: catPhotoUrl }] });
   * console.log(result.vectors.length, result.dimension, result.usage);
   * ```
   */
  async create(params: EmbeddingsCreateOptions, options?: CallOptions): Promise<Embeddings> {
    if (typeof params !== "object" || params === null) {
      throw new XaiInputError(
        'embeddings.create takes { model, input }, e.g. { model: "v1", input: "hello" }',
      );
    }
    if (typeof params.model !== "string" || params.model.trim() === "") {
      throw new XaiInputError(
        `model must be a non-empty model name such as "v1", got ${JSON.stringify(params.model)}`,
      );
    }
    const inputs = Array.isArray(params.input) ? params.input : [params.input];
    if (params.input === undefined || inputs.length === 0) {
      throw new XaiInputError("input must be a text or a non-empty list of texts and images");
    }
    if (params.user !== undefined && typeof params.user !== "string")
      throw new XaiInputError("user must be a string");
    const request = {
      model: params.model,
      input: inputs.map((input, i) =>
        embedInput(input, Array.isArray(params.input) ? `input[${i}]` : "input"),
      ),
      encodingFormat: EmbedEncodingFormat.FORMAT_FLOAT,
      user: params.user ?? "",
    };
    return new Embeddings(await this.transport.api.unary(Embedder.method.embed, request, options));
  }
}
