// Every method of every service in the generated code is served by the emulator, on the right port, and
// answers a sensible request with OK — driven through raw grpc-js clients built from the generated
// descriptors, so the emulator is proven apart from the SDK's wrappers.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import type { DescMethod, DescService, Message } from "@bufbuild/protobuf";
import { MessageRole } from "../src/gen/xai/api/v1/chat_pb.js";
import { DeferredStatus } from "../src/gen/xai/api/v1/deferred_pb.js";
import { ImageFormat } from "../src/gen/xai/api/v1/image_pb.js";
import { Code } from "../src/testing/index.js";
import { useRawEmulator } from "./helpers/emulator.js";
import { RawClient, servicesOf } from "./helpers/raw-client.js";

const GEN_DIR = new URL("../src/gen/xai/api/v1/", import.meta.url);

async function generatedServices(): Promise<DescService[]> {
  const services: DescService[] = [];
  for (const file of readdirSync(GEN_DIR)
    .filter((f) => f.endsWith("_pb.ts"))
    .sort()) {
    const module = (await import(pathToFileURL(new URL(file, GEN_DIR).pathname).href)) as Record<
      string,
      unknown
    >;
    services.push(...servicesOf(module));
  }
  return services;
}

const pathOf = (method: DescMethod) => `/${method.parent.typeName}/${method.name}`;

type Fields = Record<string, unknown>;

/** Values produced by earlier steps (ids), read by later ones. */
type State = Record<string, string>;

interface Step {
  /** `Service/Method` (wire names). */
  method: string;
  request: (state: State) => Fields | Fields[];
  /** Saves ids from the response for later steps. */
  keep?: (response: Message & Fields, state: State) => void;
}

const userMessage = (text: string) => ({
  role: MessageRole.ROLE_USER,
  content: [{ content: { case: "text", value: text } }],
});

const chatRequest = (text: string) => ({ model: "grok-4", messages: [userMessage(text)] });

const get = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);

/** A scenario that calls every method once, in an order where each call's inputs exist. */
const SCENARIO: Step[] = [
  { method: "Auth/get_api_key_info", request: () => ({}) },
  { method: "Models/ListLanguageModels", request: () => ({}) },
  { method: "Models/ListEmbeddingModels", request: () => ({}) },
  { method: "Models/ListImageGenerationModels", request: () => ({}) },
  { method: "Models/GetLanguageModel", request: () => ({ name: "grok-4" }) },
  { method: "Models/GetEmbeddingModel", request: () => ({ name: "v1" }) },
  { method: "Models/GetImageGenerationModel", request: () => ({ name: "grok-2-image" }) },
  { method: "Tokenize/TokenizeText", request: () => ({ text: "Hello, world!", model: "grok-4" }) },
  {
    method: "Embedder/Embed",
    request: () => ({ model: "v1", input: [{ input: { case: "string", value: "hello" } }] }),
  },
  { method: "Sample/SampleText", request: () => ({ prompt: ["Once upon a time"], model: "grok-3" }) },
  {
    method: "Sample/SampleTextStreaming",
    request: () => ({ prompt: ["Once upon a time"], model: "grok-3" }),
  },
  {
    method: "Chat/GetCompletion",
    request: () => ({ ...chatRequest("What is the capital of France?"), storeMessages: true }),
    keep: (response, state) => {
      state.responseId = String(response.id);
    },
  },
  { method: "Chat/GetCompletionChunk", request: () => chatRequest("Tell me a story.") },
  {
    method: "Chat/StartDeferredCompletion",
    request: () => chatRequest("Think about it later."),
    keep: (response, state) => {
      state.deferredChat = String(response.requestId);
    },
  },
  { method: "Chat/GetDeferredCompletion", request: (s) => ({ requestId: s.deferredChat }) },
  { method: "Chat/GetStoredCompletion", request: (s) => ({ responseId: s.responseId }) },
  { method: "Chat/DeleteStoredCompletion", request: (s) => ({ responseId: s.responseId }) },
  {
    method: "Chat/CompactContext",
    request: () => ({
      model: "grok-4",
      input: [userMessage("A long conversation."), userMessage("More of it.")],
    }),
  },
  {
    method: "Files/UploadFile",
    request: () => [
      { chunk: { case: "init", value: { name: "notes.txt" } } },
      { chunk: { case: "data", value: new TextEncoder().encode("Paris is the capital of France. ") } },
      { chunk: { case: "data", value: new TextEncoder().encode("Berlin is the capital of Germany.") } },
    ],
    keep: (response, state) => {
      state.fileId = String(response.id);
    },
  },
  { method: "Files/ListFiles", request: () => ({ limit: 10 }) },
  { method: "Files/RetrieveFile", request: (s) => ({ fileId: s.fileId }) },
  { method: "Files/RetrieveFileContent", request: (s) => ({ fileId: s.fileId }) },
  { method: "Files/CreatePublicUrl", request: (s) => ({ fileId: s.fileId }) },
  { method: "Files/RevokePublicUrl", request: (s) => ({ fileId: s.fileId }) },
  {
    method: "Image/GenerateImage",
    request: () => ({
      prompt: "A red square",
      model: "grok-2-image",
      n: 1,
      format: ImageFormat.IMG_FORMAT_URL,
    }),
  },
  {
    method: "Video/GenerateVideo",
    request: () => ({ prompt: "A calm sea", model: "grok-imagine-video" }),
    keep: (response, state) => {
      state.videoRequest = String(response.requestId);
    },
  },
  {
    method: "Video/GetDeferredVideo",
    request: (s) => ({ requestId: s.videoRequest }),
    keep: (response, state) => {
      assert.equal(response.status, DeferredStatus.DONE, "deferredPolls: 0 makes the first poll DONE");
      state.videoUrl = String(get(response, "response", "video", "url"));
    },
  },
  {
    method: "Video/ExtendVideo",
    request: (s) => ({
      prompt: "The sea turns stormy",
      model: "grok-imagine-video",
      video: { source: { case: "url", value: s.videoUrl } },
    }),
  },
  {
    method: "collections.Collections/CreateCollection",
    request: () => ({ collectionName: "capitals" }),
    keep: (response, state) => {
      state.collectionId = String(response.collectionId);
    },
  },
  { method: "collections.Collections/ListCollections", request: () => ({}) },
  {
    method: "collections.Collections/GetCollectionMetadata",
    request: (s) => ({ collectionId: s.collectionId }),
  },
  {
    method: "collections.Collections/UpdateCollection",
    request: (s) => ({ collectionId: s.collectionId, collectionDescription: "European capitals" }),
  },
  {
    method: "collections.Collections/AddDocumentToCollection",
    request: (s) => ({ collectionId: s.collectionId, fileId: s.fileId }),
  },
  { method: "collections.Collections/ListDocuments", request: (s) => ({ collectionId: s.collectionId }) },
  {
    method: "collections.Collections/GetDocumentMetadata",
    request: (s) => ({ collectionId: s.collectionId, fileId: s.fileId }),
  },
  {
    method: "collections.Collections/BatchGetDocuments",
    request: (s) => ({ collectionId: s.collectionId, fileIds: [s.fileId] }),
  },
  {
    method: "collections.Collections/UpdateDocument",
    request: (s) => ({ collectionId: s.collectionId, fileId: s.fileId, fields: { topic: "geography" } }),
  },
  {
    method: "collections.Collections/ReIndexDocument",
    request: (s) => ({ collectionId: s.collectionId, fileId: s.fileId }),
  },
  {
    method: "collections.Collections/GenerateCollectionDescription",
    request: (s) => ({ collectionId: s.collectionId }),
  },
  {
    method: "Documents/Search",
    request: (s) => ({ query: "capital of France", source: { collectionIds: [s.collectionId] } }),
  },
  {
    method: "collections.Collections/RemoveDocumentFromCollection",
    request: (s) => ({ collectionId: s.collectionId, fileId: s.fileId }),
  },
  { method: "collections.Collections/DeleteCollection", request: (s) => ({ collectionId: s.collectionId }) },
  {
    method: "BatchMgmt/CreateBatch",
    request: () => ({ name: "nightly" }),
    keep: (response, state) => {
      state.batchId = String(response.batchId);
    },
  },
  {
    method: "BatchMgmt/AddBatchRequests",
    request: (s) => ({
      batchId: s.batchId,
      batchRequests: [
        { batchRequestId: "r1", request: { case: "completionRequest", value: chatRequest("Hi") } },
      ],
    }),
  },
  { method: "BatchMgmt/GetBatch", request: (s) => ({ batchId: s.batchId }) },
  { method: "BatchMgmt/ListBatches", request: () => ({ limit: 10 }) },
  { method: "BatchMgmt/ListBatchRequestMetadata", request: (s) => ({ batchId: s.batchId, limit: 10 }) },
  { method: "BatchMgmt/ListBatchResults", request: (s) => ({ batchId: s.batchId, limit: 10 }) },
  {
    method: "BatchMgmt/GetBatchRequestResult",
    request: (s) => ({ batchId: s.batchId, batchRequestId: "r1" }),
  },
  { method: "BatchMgmt/CancelBatch", request: (s) => ({ batchId: s.batchId }) },
  { method: "Files/DeleteFile", request: (s) => ({ fileId: s.fileId }) },
];

describe("the emulator serves every generated method", () => {
  let services: DescService[];
  const byName = new Map<string, DescMethod>();

  before(async () => {
    services = await generatedServices();
    for (const service of services) {
      for (const method of service.methods) {
        byName.set(`${service.typeName.replace(/^xai_api\./, "")}/${method.name}`, method);
      }
    }
  });
  const env = useRawEmulator({ deferredPolls: 0, processingDelayMs: 0 });

  /** Calls a method with the client of its port (or the given one); returns the status and the response. */
  async function call(
    method: DescMethod,
    request: Fields | Fields[],
    client: RawClient,
  ): Promise<{ code: number; details: string; response?: Message & Fields }> {
    switch (method.methodKind) {
      case "unary": {
        const result = await client.unary(method as never, request as never);
        return result.ok
          ? { code: 0, details: "", response: result.value as Message & Fields }
          : { code: result.code, details: result.details };
      }
      case "server_streaming": {
        const result = await client.serverStream(method, request as Fields);
        return {
          code: result.code,
          details: result.details,
          response: result.messages[0] as Message & Fields,
        };
      }
      case "client_streaming": {
        const result = await client.clientStream(method, Array.isArray(request) ? request : [request]);
        return result.ok
          ? { code: 0, details: "", response: result.value as Message & Fields }
          : { code: result.code, details: result.details };
      }
      default:
        throw new Error(`unexpected method kind ${method.methodKind}`);
    }
  }

  const isManagement = (method: DescMethod) => method.parent.typeName === "collections.Collections";

  test("the generated code has the twelve services of the wire schema", () => {
    assert.deepEqual(services.map((s) => s.typeName).sort(), [
      "collections.Collections",
      "xai_api.Auth",
      "xai_api.BatchMgmt",
      "xai_api.Chat",
      "xai_api.Documents",
      "xai_api.Embedder",
      "xai_api.Files",
      "xai_api.Image",
      "xai_api.Models",
      "xai_api.Sample",
      "xai_api.Tokenize",
      "xai_api.Video",
    ]);
  });

  test("the scenario covers every method exactly once", () => {
    const driven = SCENARIO.map((step) => step.method).sort();
    assert.deepEqual(driven, [...byName.keys()].sort());
  });

  test("each method answers a sensible request with OK on its own port", async () => {
    const state: State = {};
    for (const step of SCENARIO) {
      const method = byName.get(step.method);
      assert.ok(method, `the generated code has ${step.method}`);
      const result = await call(method, step.request(state), isManagement(method) ? env.management : env.api);
      assert.equal(result.code, 0, `${step.method} answered ${result.code}: ${result.details}`);
      if (result.response) step.keep?.(result.response, state);
    }
    const logged = new Map(env.emulator.calls.map((c) => [c.method, c]));
    for (const method of byName.values()) {
      const record = logged.get(pathOf(method));
      assert.ok(record, `${pathOf(method)} is in the call log`);
      assert.equal(record.port, isManagement(method) ? "management" : "api");
      assert.equal(record.status, 0);
    }
  });

  test("each method on the other port answers UNIMPLEMENTED with a sentence naming its host", async () => {
    for (const method of byName.values()) {
      const wrong = isManagement(method) ? env.api : env.management;
      const request = method.methodKind === "client_streaming" ? [] : {};
      const result = await call(method, request, wrong);
      assert.equal(result.code, Code.UNIMPLEMENTED, `${pathOf(method)} on the wrong port: ${result.details}`);
      assert.match(result.details, /is not served here: it lives on the (management API|API) host/);
    }
  });

  test("each method refuses a call without a key", async () => {
    const anonymousApi = new RawClient(env.emulator.apiHost);
    const anonymousManagement = new RawClient(env.emulator.managementApiHost);
    try {
      for (const method of byName.values()) {
        const client = isManagement(method) ? anonymousManagement : anonymousApi;
        const request = method.methodKind === "client_streaming" ? [] : {};
        const result = await call(method, request, client);
        assert.equal(result.code, Code.UNAUTHENTICATED, `${pathOf(method)} without a key: ${result.details}`);
      }
    } finally {
      anonymousApi.close();
      anonymousManagement.close();
    }
  });
});
