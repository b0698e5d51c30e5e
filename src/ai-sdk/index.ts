/**
 * xai-grpc/ai-sdk: a provider for the Vercel AI SDK (`ai` 6, and `ai` 7 through its support of specification
 * v3 models) over xAI's gRPC API: chat models, embeddings, images and xAI's server-side tools.
 *
 * @example
 * ```ts
 * import { generateText } from "ai";
 * import { xaiGrpc } from "xai-grpc/ai-sdk";
 *
 * const { text } = await generateText({ model: xaiGrpc("grok-4"), prompt: "Hello!" });
 * ```
 * @packageDocumentation
 */
import type { ProviderV3 } from "@ai-sdk/provider";
import { type ChatModel, Client, type ClientOptions, type ImageModel } from "../index.js";
import { XaiGrpcEmbeddingModel } from "./embedding-model.js";
import { XaiGrpcImageModel } from "./image-model.js";
import { XaiGrpcLanguageModel } from "./language-model.js";
import { xaiGrpcTools } from "./tools.js";

export type { XaiGrpcEmbeddingOptions } from "./embedding-model.js";
export { XaiGrpcEmbeddingModel } from "./embedding-model.js";
export type { XaiGrpcImageOptions } from "./image-model.js";
export { XaiGrpcImageModel } from "./image-model.js";
export type { XaiGrpcChatOptions } from "./language-model.js";
export { XaiGrpcLanguageModel } from "./language-model.js";
export type { XaiGrpcServerTool } from "./tools.js";
export { xaiGrpcTools } from "./tools.js";

/**
 * The provider: call it with a chat model id, or pick a model kind. Its client is made on first use (from
 * the options given to {@link createXaiGrpc}, else from `XAI_API_KEY` and `XAI_API_HOST`); `close()` closes a
 * client it made (one passed in stays yours to close).
 *
 * @example
 * ```ts
 * const provider: XaiGrpcProvider = createXaiGrpc({ timeout: 60_000 });
 * const model = provider("grok-4");
 * provider.close();
 * ```
 */
export interface XaiGrpcProvider extends ProviderV3 {
  (modelId: ChatModel): XaiGrpcLanguageModel;
  /** A chat model. */
  languageModel(modelId: ChatModel): XaiGrpcLanguageModel;
  /** A chat model (the name older AI SDK code uses). */
  chat(modelId: ChatModel): XaiGrpcLanguageModel;
  /** An embedding model, e.g. `"v1"`. */
  embeddingModel(modelId: string): XaiGrpcEmbeddingModel;
  /** An embedding model (the name of the slot before `ai` 6). */
  textEmbeddingModel(modelId: string): XaiGrpcEmbeddingModel;
  /** An image model, e.g. `"grok-imagine-image"`. */
  imageModel(modelId: ImageModel): XaiGrpcImageModel;
  /** An image model (short name). */
  image(modelId: ImageModel): XaiGrpcImageModel;
  /** xAI's server-side tools, for `tools` of generateText and streamText. */
  readonly tools: typeof xaiGrpcTools;
  /** Closes the client the provider made, if it made one; a later call makes a new one. */
  close(): void;
}

/** A Client (also one of the package's other module format, which is another class object). */
function isClient(value: unknown): value is Client {
  if (value instanceof Client) return true;
  const candidate = value as { chat?: { create?: unknown }; close?: unknown } | null;
  return typeof candidate?.chat?.create === "function" && typeof candidate.close === "function";
}

/**
 * Makes a provider over an existing {@link Client}, or over a client made (on first use) from
 * {@link ClientOptions}.
 *
 * @example
 * ```ts
 * import { Client } from "xai-grpc";
 * import { createXaiGrpc } from "xai-grpc/ai-sdk";
 *
 * const provider = createXaiGrpc(new Client({ timeout: 120_000 }));
 * const fromOptions = createXaiGrpc({ apiKey: process.env.MY_XAI_KEY });
 * ```
 */
export function createXaiGrpc(clientOrOptions: Client | ClientOptions = {}): XaiGrpcProvider {
  const given = isClient(clientOrOptions) ? clientOrOptions : undefined;
  const options: ClientOptions | undefined = isClient(clientOrOptions) ? undefined : { ...clientOrOptions };
  let made: Client | undefined;
  const client = (): Client => {
    if (given) return given;
    made ??= new Client(options);
    return made;
  };
  const languageModel = (modelId: ChatModel) => new XaiGrpcLanguageModel(modelId, client);
  const embeddingModel = (modelId: string) => new XaiGrpcEmbeddingModel(modelId, client);
  const imageModel = (modelId: ImageModel) => new XaiGrpcImageModel(modelId, client);
  const provider = ((modelId: ChatModel) => languageModel(modelId)) as XaiGrpcProvider;
  Object.assign(provider, {
    specificationVersion: "v3",
    languageModel,
    chat: languageModel,
    embeddingModel,
    textEmbeddingModel: embeddingModel,
    imageModel,
    image: imageModel,
    tools: xaiGrpcTools,
    close() {
      made?.close();
      made = undefined;
    },
  });
  return provider;
}

/**
 * The default provider: its client reads `XAI_API_KEY` (and `XAI_API_HOST`) when the first model call is made.
 *
 * @example
 * ```ts
 * const { text } = await generateText({ model: xaiGrpc("grok-4"), prompt: "Hello!" });
 * xaiGrpc.close(); // lets the process exit without waiting for the connection to time out
 * ```
 */
export const xaiGrpc: XaiGrpcProvider = createXaiGrpc();
