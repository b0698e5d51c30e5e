// The REST face of the emulator: xAI's REST API (OpenAI-compatible chat completions, Responses, models,
// embeddings, images, tokenize, api-key) on the emulator's HTTP port, under /v1. Every route is served by a
// gRPC method of the engine (see REST_ROUTES) through the same authentication, call log, faults and scripted
// replies as gRPC: a route's body is translated into that method's request message, its response back into
// JSON. Errors are xAI's REST errors: an HTTP status and `{ "code", "error" }`.
import type { IncomingMessage, ServerResponse } from "node:http";
import { create, type DescMessage, type Message } from "@bufbuild/protobuf";
import type { ApiKey } from "../../gen/xai/api/v1/auth_pb.js";
import type { GetChatCompletionChunk, GetChatCompletionResponse } from "../../gen/xai/api/v1/chat_pb.js";
import type { EmbedResponse } from "../../gen/xai/api/v1/embed_pb.js";
import type { ImageResponse } from "../../gen/xai/api/v1/image_pb.js";
import type {
  EmbeddingModel,
  ImageGenerationModel,
  LanguageModel,
  ListLanguageModelsResponse,
} from "../../gen/xai/api/v1/models_pb.js";
import type { TokenizeTextResponse } from "../../gen/xai/api/v1/tokenize_pb.js";
import type { MethodIndex } from "../controls.js";
import { type LocalCall, localStream, localUnary, type ServerRuntime, StreamDropped } from "../server.js";
import { Code, EmulatorError } from "../types.js";
import { Fields, jsonOf, type ParsedBody, parseBody, readBody } from "./body.js";
import {
  type AnyModel,
  apiKeyJson,
  embeddingsJson,
  embedRequest,
  imageRequest,
  imagesJson,
  languageModelJson,
  modelEntry,
  tokenizeRequest,
  tokensJson,
} from "./catalog-and-tools.js";
import {
  chatChunkJson,
  chatCompletionJson,
  chatRequest,
  headerOf,
  readableChunk,
  type StreamHeader,
  ToolCallIndexes,
} from "./chat-completions.js";
import { restError, sendError, sendJson } from "./errors.js";
import { deletedJson, ResponseEvents, responseObject, responsesRequest } from "./responses.js";
import { SseWriter } from "./sse.js";

/** What the REST face needs from the running emulator. */
export interface RestRuntime extends ServerRuntime {
  readonly methods: MethodIndex;
}

/**
 * One REST route and the gRPC method(s) that serve it: `faults.failNext`, `faults.latency` and
 * `faults.cutStream` name these methods, and `emulator.calls` records them (with `route` set).
 *
 * @example
 * ```ts
 * const chat = REST_ROUTES.find((r) => r.path === "/v1/chat/completions");
 * chat?.grpc; // ["/xai_api.Chat/GetCompletion", "/xai_api.Chat/GetCompletionChunk"]
 * ```
 */
export interface RestRoute {
  readonly method: "GET" | "POST" | "DELETE";
  /** Path under the emulator's HTTP URL; `{id}` is a path segment. */
  readonly path: string;
  /**
   * The gRPC method(s) serving it: for a POST with two, the second serves `stream: true`; for
   * `GET /v1/models/{id}`, the lookups tried in turn until one knows the name.
   */
  readonly grpc: readonly string[];
}

/** The gRPC methods that look a model up by name, in the order `GET /v1/models/{id}` tries them. */
const MODEL_LOOKUPS = [
  "/xai_api.Models/GetLanguageModel",
  "/xai_api.Models/GetEmbeddingModel",
  "/xai_api.Models/GetImageGenerationModel",
] as const;

/**
 * Every route of the REST face, with the gRPC methods that serve it.
 *
 * @example
 * ```ts
 * for (const route of REST_ROUTES) console.log(route.method, route.path, "→", route.grpc.join(" | "));
 * ```
 */
export const REST_ROUTES: readonly RestRoute[] = [
  {
    method: "POST",
    path: "/v1/chat/completions",
    grpc: ["/xai_api.Chat/GetCompletion", "/xai_api.Chat/GetCompletionChunk"],
  },
  {
    method: "POST",
    path: "/v1/responses",
    grpc: ["/xai_api.Chat/GetCompletion", "/xai_api.Chat/GetCompletionChunk"],
  },
  { method: "GET", path: "/v1/responses/{id}", grpc: ["/xai_api.Chat/GetStoredCompletion"] },
  { method: "DELETE", path: "/v1/responses/{id}", grpc: ["/xai_api.Chat/DeleteStoredCompletion"] },
  {
    method: "GET",
    path: "/v1/models",
    grpc: [
      "/xai_api.Models/ListLanguageModels",
      "/xai_api.Models/ListEmbeddingModels",
      "/xai_api.Models/ListImageGenerationModels",
    ],
  },
  { method: "GET", path: "/v1/models/{id}", grpc: MODEL_LOOKUPS },
  { method: "GET", path: "/v1/language-models", grpc: ["/xai_api.Models/ListLanguageModels"] },
  { method: "GET", path: "/v1/language-models/{id}", grpc: ["/xai_api.Models/GetLanguageModel"] },
  { method: "POST", path: "/v1/embeddings", grpc: ["/xai_api.Embedder/Embed"] },
  { method: "POST", path: "/v1/images/generations", grpc: ["/xai_api.Image/GenerateImage"] },
  { method: "POST", path: "/v1/tokenize-text", grpc: ["/xai_api.Tokenize/TokenizeText"] },
  { method: "GET", path: "/v1/api-key", grpc: ["/xai_api.Auth/get_api_key_info"] },
];

/** One request being served. */
class Exchange {
  readonly headers: Record<string, string> = {};
  readonly controller = new AbortController();
  body: ParsedBody = { ok: true, json: {} };
  bodyBytes = 0;

  constructor(
    readonly runtime: RestRuntime,
    readonly request: IncomingMessage,
    readonly response: ServerResponse,
    readonly route: string,
  ) {
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) this.headers[name] = Array.isArray(value) ? (value[0] ?? "") : value;
    }
    response.once("close", () => {
      if (!response.writableFinished) this.controller.abort();
    });
  }

  get call(): LocalCall {
    return { headers: this.headers, route: this.route, signal: this.controller.signal };
  }

  /** Serves one unary gRPC method: `build` turns the (authenticated) body into its request. */
  async unary<T>(path: string, build: (body: Fields) => unknown = () => ({})): Promise<T> {
    const entry = this.runtime.methods.resolve(path, "REST");
    const response = await localUnary(this.runtime, entry, this.call, () => ({
      message: create(
        entry.method.input as DescMessage,
        build(new Fields(jsonOf(this.body))) as never,
      ) as Message,
      bytes: this.bodyBytes,
    }));
    return response as T;
  }

  /** The stream of one server-streaming gRPC method. */
  stream(path: string, build: (body: Fields) => unknown): AsyncGenerator<Message> {
    const entry = this.runtime.methods.resolve(path, "REST");
    return localStream(this.runtime, entry, this.call, () => ({
      message: create(
        entry.method.input as DescMessage,
        build(new Fields(jsonOf(this.body))) as never,
      ) as Message,
      bytes: this.bodyBytes,
    }));
  }

  json(body: unknown): void {
    sendJson(this.response, 200, body);
  }
}

/**
 * Sends a stream as SSE: the first message is awaited before the 200 is sent, so that an error before it
 * (authentication, a bad request, `failNext`, a scripted error) is an HTTP error; later errors are a last
 * `data:` frame with the error body; a dropped stream destroys the connection.
 */
async function sendStream(
  ex: Exchange,
  messages: AsyncGenerator<Message>,
  frames: (message: Message) => (string | undefined)[],
  end: () => string[],
  errorFrame: (body: { code: string; error: string }) => string,
): Promise<void> {
  const first = await messages.next().catch((error: unknown) => {
    if (error instanceof StreamDropped) ex.response.destroy();
    else sendError(ex.response, error);
    return undefined;
  });
  if (!first) return;
  const sse = new SseWriter(ex.response);
  try {
    let next: IteratorResult<Message> = first;
    while (!next.done) {
      for (const frame of frames(next.value)) {
        if (frame !== undefined) await sse.frame(frame);
      }
      if (ex.controller.signal.aborted) {
        await messages.return(undefined);
        return;
      }
      next = await messages.next();
    }
    for (const frame of end()) await sse.frame(frame);
    sse.end();
  } catch (error) {
    if (error instanceof StreamDropped) {
      sse.flush();
      // Let what was written reach the client before the connection goes.
      setImmediate(() => ex.response.socket?.destroy());
      return;
    }
    await sse.frame(errorFrame(restError(error).body));
    sse.end();
  } finally {
    // Ends the call if rendering failed between two messages (a finished stream ignores it).
    await messages.return(undefined);
  }
}

async function chatCompletions(ex: Exchange): Promise<void> {
  const streamed = ex.body.ok && ex.body.json.stream === true;
  if (!streamed) {
    ex.json(
      chatCompletionJson(
        await ex.unary<GetChatCompletionResponse>("/xai_api.Chat/GetCompletion", chatRequest),
      ),
    );
    return;
  }
  let header: StreamHeader | undefined;
  const indexes = new ToolCallIndexes();
  await sendStream(
    ex,
    ex.stream("/xai_api.Chat/GetCompletionChunk", chatRequest),
    (message) => {
      const chunk = readableChunk(message as GetChatCompletionChunk);
      header = headerOf(chunk, header);
      const json = chatChunkJson(chunk, header, indexes);
      return [json ? JSON.stringify(json) : undefined];
    },
    () => ["[DONE]"],
    (body) => JSON.stringify(body),
  );
}

async function createResponse(ex: Exchange): Promise<void> {
  const streamed = ex.body.ok && ex.body.json.stream === true;
  if (!streamed) {
    ex.json(
      responseObject(
        await ex.unary<GetChatCompletionResponse>("/xai_api.Chat/GetCompletion", responsesRequest),
      ),
    );
    return;
  }
  let events: ResponseEvents | undefined;
  const build = (body: Fields) => {
    const request = responsesRequest(body);
    events = new ResponseEvents({
      maxTokens: request.maxTokens,
      parallelToolCalls: request.parallelToolCalls ?? true,
      previousResponseId: request.previousResponseId,
      reasoningEffort: request.reasoningEffort,
      temperature: request.temperature,
      topP: request.topP,
      storeMessages: request.storeMessages ?? true,
      user: request.user ?? "",
    });
    return request;
  };
  const frame = (event: Record<string, unknown>) => JSON.stringify(event);
  await sendStream(
    ex,
    ex.stream("/xai_api.Chat/GetCompletionChunk", build),
    (message) =>
      (events as ResponseEvents).chunk(readableChunk(message as GetChatCompletionChunk)).map(frame),
    () => (events as ResponseEvents).end().map(frame),
    (body) => JSON.stringify({ type: "error", code: body.code, message: body.error, error: body.error }),
  );
}

async function listModels(ex: Exchange): Promise<void> {
  const language = await ex.unary<{ models: LanguageModel[] }>("/xai_api.Models/ListLanguageModels");
  const embedding = await ex.unary<{ models: EmbeddingModel[] }>("/xai_api.Models/ListEmbeddingModels");
  const image = await ex.unary<{ models: ImageGenerationModel[] }>(
    "/xai_api.Models/ListImageGenerationModels",
  );
  ex.json({
    object: "list",
    data: [...language.models, ...embedding.models, ...image.models].map(modelEntry),
  });
}

/**
 * Any model `GET /v1/models` lists, by name: a language model, else an embedding model, else an image model
 * (each lookup a logged call, under the same faults). When none has it, the language lookup's error.
 */
async function anyModel(ex: Exchange, id: string): Promise<AnyModel> {
  let first: unknown;
  for (const path of MODEL_LOOKUPS) {
    try {
      return await ex.unary<AnyModel>(path, () => ({ name: id }));
    } catch (error) {
      if (!(error instanceof EmulatorError && error.code === Code.NOT_FOUND)) throw error;
      first ??= error;
    }
  }
  throw first;
}

type Handler = (ex: Exchange, id: string) => Promise<void>;

const HANDLERS: Record<string, Handler> = {
  "POST /v1/chat/completions": chatCompletions,
  "POST /v1/responses": createResponse,
  "GET /v1/responses/{id}": async (ex, id) =>
    ex.json(
      responseObject(
        await ex.unary<GetChatCompletionResponse>("/xai_api.Chat/GetStoredCompletion", () => ({
          responseId: id,
        })),
      ),
    ),
  "DELETE /v1/responses/{id}": async (ex, id) => {
    await ex.unary("/xai_api.Chat/DeleteStoredCompletion", () => ({ responseId: id }));
    ex.json(deletedJson(id));
  },
  "GET /v1/models": listModels,
  "GET /v1/models/{id}": async (ex, id) => ex.json(modelEntry(await anyModel(ex, id))),
  "GET /v1/language-models": async (ex) => {
    const list = await ex.unary<ListLanguageModelsResponse>("/xai_api.Models/ListLanguageModels");
    ex.json({ models: list.models.map(languageModelJson) });
  },
  "GET /v1/language-models/{id}": async (ex, id) =>
    ex.json(
      languageModelJson(
        await ex.unary<LanguageModel>("/xai_api.Models/GetLanguageModel", () => ({ name: id })),
      ),
    ),
  "POST /v1/embeddings": async (ex) => {
    let inputs: string[] = [];
    const response = await ex.unary<EmbedResponse>("/xai_api.Embedder/Embed", (body) => {
      inputs = body.strings("input") ?? [];
      return embedRequest(body);
    });
    ex.json(embeddingsJson(response, inputs));
  },
  "POST /v1/images/generations": async (ex) =>
    ex.json(imagesJson(await ex.unary<ImageResponse>("/xai_api.Image/GenerateImage", imageRequest))),
  "POST /v1/tokenize-text": async (ex) =>
    ex.json(
      tokensJson(await ex.unary<TokenizeTextResponse>("/xai_api.Tokenize/TokenizeText", tokenizeRequest)),
    ),
  "GET /v1/api-key": async (ex) =>
    ex.json(apiKeyJson(await ex.unary<ApiKey>("/xai_api.Auth/get_api_key_info"))),
};

/** A path segment, percent-decoded; a malformed escape (a bare `%`) is the client's mistake: 400. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new EmulatorError(
      Code.INVALID_ARGUMENT,
      `The path segment "${segment}" is not valid percent-encoding: write a literal % as %25 (encodeURIComponent does).`,
    );
  }
}

/** The route key (`GET /v1/responses/{id}`) and the id segment of a request, or undefined. */
function match(method: string, pathname: string): { key: string; id: string } | undefined {
  const exact = `${method} ${pathname}`;
  if (HANDLERS[exact]) return { key: exact, id: "" };
  const slash = pathname.lastIndexOf("/");
  const key = `${method} ${pathname.slice(0, slash)}/{id}`;
  const segment = pathname.slice(slash + 1);
  if (!segment || !HANDLERS[key]) return undefined;
  return { key, id: decodeSegment(segment) };
}

/**
 * Serves one HTTP request of the REST face (a path under `/v1/`).
 *
 * @example
 * ```ts
 * const serveRest = restHandler(() => runtime);
 * createServer((request, response) => serveRest(request, response));
 * ```
 */
export function restHandler(runtime: () => RestRuntime | undefined) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    try {
      await serve(runtime(), request, response);
    } catch (error) {
      request.resume();
      if (!response.headersSent) sendError(response, error);
      else response.destroy();
    }
  };
}

async function serve(
  current: RestRuntime | undefined,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const method = request.method ?? "GET";
  const pathname = new URL(request.url ?? "/", "http://emulator").pathname.replace(/\/+$/, "");
  const found = match(method, pathname);
  if (!found || !current) {
    const known = REST_ROUTES.some((r) => r.path === pathname);
    request.resume();
    sendError(
      response,
      new EmulatorError(
        known ? Code.UNIMPLEMENTED : Code.NOT_FOUND,
        known
          ? `${method} is not served on ${pathname}.`
          : `The emulator serves no REST endpoint ${method} ${pathname}; see REST_ROUTES (xai-grpc/testing).`,
      ),
    );
    return;
  }
  const ex = new Exchange(current, request, response, `${method} ${pathname}`);
  if (method === "POST") {
    const bytes = await readBody(request);
    ex.body = parseBody(bytes);
    ex.bodyBytes = bytes.byteLength;
  } else {
    request.resume();
  }
  await (HANDLERS[found.key] as Handler)(ex, found.id);
}
