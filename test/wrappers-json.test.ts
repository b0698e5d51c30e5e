// Every wrapper obtained from the emulator over gRPC reads like what it is: `JSON.stringify` works and shows the
// readable getters (numbers as numbers, no bigint, no `$typeName`), `util.inspect` shows the same values
// (`finishReason: 'stop'`), `.proto` stays the message, and `usage` is a plain object of numbers.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { inspect } from "node:util";
import { isMessage } from "@bufbuild/protobuf";
import { z } from "zod";
import { ApiKeySchema } from "../src/gen/xai/api/v1/auth_pb.js";
import {
  BatchRequestMetadataSchema,
  BatchResultSchema,
  BatchSchema,
} from "../src/gen/xai/api/v1/batch_pb.js";
import {
  CompactContextResponseSchema,
  GetChatCompletionChunkSchema,
  GetChatCompletionResponseSchema,
} from "../src/gen/xai/api/v1/chat_pb.js";
import { CollectionMetadataSchema, DocumentMetadataSchema } from "../src/gen/xai/api/v1/collections_pb.js";
import { SearchResponseSchema } from "../src/gen/xai/api/v1/documents_pb.js";
import { EmbedResponseSchema } from "../src/gen/xai/api/v1/embed_pb.js";
import {
  CreatePublicUrlResponseSchema,
  DeleteFileResponseSchema,
  FileSchema,
} from "../src/gen/xai/api/v1/files_pb.js";
import { ImageResponseSchema } from "../src/gen/xai/api/v1/image_pb.js";
import {
  EmbeddingModelSchema,
  ImageGenerationModelSchema,
  LanguageModelSchema,
} from "../src/gen/xai/api/v1/models_pb.js";
import { TokenizeTextResponseSchema } from "../src/gen/xai/api/v1/tokenize_pb.js";
import { VideoResponseSchema } from "../src/gen/xai/api/v1/video_pb.js";
import { type ChatChunk, type ChatResponse, type Client, tool, type Usage, user } from "../src/index.js";
import { useEmulator } from "./helpers/emulator.js";

const env = useEmulator({ processingDelayMs: 50, deferredPolls: 1 });

/** Fails on any bigint, `$typeName` or function anywhere in a value (what JSON.parse would not give back). */
function assertPlain(path: string, value: unknown): void {
  assert.notEqual(typeof value, "bigint", `${path} is a bigint`);
  assert.notEqual(typeof value, "function", `${path} is a function`);
  if (typeof value !== "object" || value === null) return;
  for (const [k, v] of Object.entries(value)) {
    assert.ok(!k.startsWith("$"), `${path}.${k} is a message's internal field`);
    assertPlain(`${path}.${k}`, v);
  }
}

interface Case {
  wrapper: { proto: unknown; toJSON(): Record<string, unknown> };
  schema: Parameters<typeof isMessage>[1];
  /** Fields the JSON must hold, with their exact values. */
  expect: Record<string, unknown>;
  /** A fragment util.inspect must show. */
  inspectShows: RegExp[];
}

function check(name: string, c: Case): Record<string, unknown> {
  const text = JSON.stringify(c.wrapper);
  const json = JSON.parse(text) as Record<string, unknown>;
  assertPlain(name, c.wrapper.toJSON());
  for (const [key, value] of Object.entries(c.expect)) assert.deepEqual(json[key], value, `${name}.${key}`);
  assert.ok(isMessage(c.wrapper.proto, c.schema), `${name}.proto is the message`);
  assert.ok(!("proto" in json) && !text.includes("$typeName"), `${name}: the JSON is not the message`);
  const shown = inspect(c.wrapper, { depth: 4 });
  assert.ok(shown.startsWith(`${c.wrapper.constructor.name} {`), shown);
  for (const fragment of c.inspectShows) assert.match(shown, fragment, `${name} inspect`);
  assert.doesNotMatch(shown, /\$typeName|\bproto:/);
  return json;
}

function assertUsage(usage: Usage): void {
  const keys = [
    "promptTokens",
    "completionTokens",
    "reasoningTokens",
    "totalTokens",
    "promptTextTokens",
    "promptImageTokens",
    "cachedPromptTokens",
    "numSourcesUsed",
    "costUsd",
  ] as const;
  for (const key of keys) assert.equal(typeof usage[key], "number", `usage.${key}`);
  assert.deepEqual(JSON.parse(JSON.stringify(usage)), usage);
}

describe("chat wrappers", () => {
  test("ChatResponse: finishReason and usage read as words and numbers", async () => {
    const response = await env.client.chat.create({ model: "grok-4", messages: ["Hello"] }).sample();
    assertUsage(response.usage);
    assert.ok(response.usage.totalTokens > 0 && response.usage.costUsd > 0);
    assert.equal(response.usage.costUsd, response.costUsd);
    assert.equal(response.costUsd, Number(response.proto.usage?.costInUsdTicks) / 1e10, "the nearest double");
    const json = check("ChatResponse", {
      wrapper: response,
      schema: GetChatCompletionResponseSchema,
      expect: {
        id: response.id,
        model: "grok-4",
        content: response.content,
        finishReason: "stop",
        role: "assistant",
        index: 0,
        serviceTier: "default",
        created: response.created?.toISOString(),
        usage: JSON.parse(JSON.stringify(response.usage)),
        costUsd: response.costUsd,
      },
      inspectShows: [/finishReason: 'stop'/, /usage: \{\s+promptTokens: \d+/, /created: \d{4}-\d\d-\d\dT/],
    });
    assert.equal(typeof (json.usage as Usage).promptTokens, "number");
    assert.ok(!("output" in json), "the raw output is hidden");
  });

  test("ChatResponse usage is zeros, not undefined, when the server sent none", async () => {
    const { ChatResponse } = await import("../src/chat/response.js");
    const { create } = await import("@bufbuild/protobuf");
    const bare = new ChatResponse(create(GetChatCompletionResponseSchema), 0);
    assert.equal(bare.usage.totalTokens, 0);
    assert.equal(bare.usage.costUsd, 0);
    assert.equal(bare.costUsd, undefined);
  });

  test("ChatChunk and a streamed response; tool calls show as calls", async () => {
    const chat = env.client.chat.create({
      model: "grok-4",
      tools: [tool("get_weather", "Weather of a city", z.object({ city: z.string() }))],
      messages: ["What is the get_weather in Paris?"],
    });
    const stream = chat.stream();
    let last: [ChatResponse, ChatChunk] | undefined;
    for await (const pair of stream) last = pair;
    assert.ok(last);
    const [response, chunk] = last;
    const json = check("ChatChunk", {
      wrapper: chunk,
      schema: GetChatCompletionChunkSchema,
      expect: { id: response.id },
      inspectShows: [/ChatChunk \{/],
    });
    assert.ok(chunk.usage, "the last chunk carries the usage");
    assert.equal(typeof (json.usage as Usage).completionTokens, "number");
    const full = check("streamed ChatResponse", {
      wrapper: response,
      schema: GetChatCompletionResponseSchema,
      expect: { finishReason: "tool_calls" },
      inspectShows: [/finishReason: 'tool_calls'/, /name: 'get_weather'/],
    });
    const [call] = full.toolCalls as { name: string; arguments: string }[];
    assert.equal(call.name, "get_weather");
    assert.deepEqual(JSON.parse(call.arguments), { city: "Paris" });
  });

  test("CompactionResult", async () => {
    const result = await env.client.chat.compactContext("grok-4", [
      user("Tell me a long story about a lighthouse."),
      { role: "assistant", content: "Once upon a time there was a lighthouse." },
      "Go on.",
    ]);
    assertUsage(result.usage);
    check("CompactionResult", {
      wrapper: result,
      schema: CompactContextResponseSchema,
      expect: {
        id: result.id,
        droppedMessageCount: result.droppedMessageCount,
        encryptedContent: result.encryptedContent,
      },
      inspectShows: [/droppedMessageCount: \d+/],
    });
  });
});

describe("data wrappers", () => {
  test("StoredFile, PublicUrl, DeletedFile", async () => {
    const file = await env.client.files.upload(Buffer.alloc(10 * 1024 * 1024, 1), { filename: "big.bin" });
    check("StoredFile", {
      wrapper: file,
      schema: FileSchema,
      expect: { id: file.id, filename: "big.bin", size: 10485760, createdAt: file.createdAt?.toISOString() },
      inspectShows: [/size: 10485760/, /filename: 'big.bin'/],
    });
    const url = await env.client.files.createPublicUrl(file.id);
    check("PublicUrl", {
      wrapper: url,
      schema: CreatePublicUrlResponseSchema,
      expect: { url: url.url },
      inspectShows: [/url: 'http/],
    });
    const deleted = await env.client.files.delete(file.id);
    check("DeletedFile", {
      wrapper: deleted,
      schema: DeleteFileResponseSchema,
      expect: { id: file.id, deleted: true },
      inspectShows: [/deleted: true/],
    });
  });

  test("model infos: prices are numbers", async () => {
    const language = await env.client.models.getLanguageModel("grok-4");
    const json = check("LanguageModelInfo", {
      wrapper: language,
      schema: LanguageModelSchema,
      expect: { name: "grok-4", maxPromptLength: language.maxPromptLength, prices: { ...language.prices } },
      inspectShows: [/name: 'grok-4'/, /prices: \{\s+promptText: 3/],
    });
    assert.equal(typeof (json.prices as { promptText: unknown }).promptText, "number");
    const [embedding] = await env.client.models.listEmbeddingModels();
    check("EmbeddingModelInfo", {
      wrapper: embedding,
      schema: EmbeddingModelSchema,
      expect: { name: embedding.name, prices: { ...embedding.prices } },
      inspectShows: [/prices:/],
    });
    const [image] = await env.client.models.listImageGenerationModels();
    check("ImageModelInfo", {
      wrapper: image,
      schema: ImageGenerationModelSchema,
      expect: { name: image.name, imagePrice: image.imagePrice },
      inspectShows: [/imagePrice: [\d.]+/],
    });
  });

  test("Embeddings keep every vector in JSON; TokenizedText; ApiKeyInfo shows the redacted key only", async () => {
    const embeddings = await env.client.embeddings.create({ model: "v1", input: ["cat", "dog"] });
    const json = check("Embeddings", {
      wrapper: embeddings,
      schema: EmbedResponseSchema,
      expect: {
        model: embeddings.model,
        dimension: embeddings.dimension,
        usage: { textEmbeddings: 2, imageEmbeddings: 0 },
      },
      inspectShows: [/dimension: \d+/, /Float32Array/],
    });
    const vectors = (json.embeddings as { vectors: number[][] }[]).map((e) => e.vectors[0]);
    assert.equal(vectors.length, 2);
    assert.deepEqual(vectors[0], Array.from(embeddings.vectors[0]), "no data lost");

    const tokens = await env.client.tokenize.tokenize("Hello world", { model: "grok-4" });
    const tokenJson = check("TokenizedText", {
      wrapper: tokens,
      schema: TokenizeTextResponseSchema,
      expect: { length: tokens.length, model: tokens.model },
      inspectShows: [/length: \d+/],
    });
    const first = (tokenJson.tokens as { id: unknown; bytes: unknown }[])[0];
    assert.equal(typeof first.id, "number");
    assert.equal(Buffer.from(first.bytes as string, "base64").toString(), tokens.tokens[0].text);

    const key = await env.client.auth.apiKeyInfo();
    const keyJson = check("ApiKeyInfo", {
      wrapper: key,
      schema: ApiKeySchema,
      expect: { redactedKey: key.redactedKey, blocked: false },
      inspectShows: [/redactedKey: '/],
    });
    assert.ok(!JSON.stringify(keyJson).includes(env.emulator.apiKey));
    assert.ok(!inspect(key, { depth: null }).includes(env.emulator.apiKey));
  });

  test("ImageResponse (base64 kept in JSON, summarised by inspect) and VideoResponse", async () => {
    const image = await env.client.image.sample({
      prompt: "a fox",
      model: "grok-imagine-image",
      format: "base64",
    });
    assertUsage(image.usage);
    const json = check("ImageResponse", {
      wrapper: image,
      schema: ImageResponseSchema,
      expect: { index: 0, model: "grok-imagine-image", base64: image.base64, respectModeration: true },
      inspectShows: [/base64: '<(base64|image\/\w+), \d+ chars>'/, /respectModeration: true/],
    });
    assert.ok(!("image" in json) && !("dataUrl" in json), "the fields that repeat base64 are hidden");
    const video = await env.client.video.generate(
      { prompt: "a paper boat", model: "grok-imagine-video", duration: 4 },
      { pollInterval: 5 },
    );
    assertUsage(video.usage);
    check("VideoResponse", {
      wrapper: video,
      schema: VideoResponseSchema,
      expect: { url: video.url, duration: 4, requestId: video.requestId, model: video.model },
      inspectShows: [/duration: 4/],
    });
  });

  test("a prepared batch request (no getters) shows its message's fields", () => {
    const prepared = env.client.image.prepare(
      { prompt: "a fox", model: "grok-imagine-image" },
      { batchRequestId: "fox" },
    );
    const json = JSON.parse(JSON.stringify(prepared)) as Record<string, unknown>;
    assert.equal(json.batchRequestId, "fox");
    assert.equal(json.prompt, "a fox");
    assert.match(inspect(prepared), /prompt: 'a fox'/);
  });

  test("Collection, CollectionDocument, DocumentSearchResults", async () => {
    const col = await env.client.collections.create({ name: "support" });
    check("Collection", {
      wrapper: col,
      schema: CollectionMetadataSchema,
      expect: { id: col.id, name: "support", documentCount: 0, totalFileSize: 0 },
      inspectShows: [/name: 'support'/],
    });
    const doc = await env.client.collections.uploadDocument(
      col.id,
      Buffer.from("Refunds are paid within fourteen days of the return."),
      { filename: "refunds.txt", waitForIndexing: true },
      { pollInterval: 10 },
    );
    check("CollectionDocument", {
      wrapper: doc,
      schema: DocumentMetadataSchema,
      expect: { fileId: doc.fileId, name: "refunds.txt", status: "processed", size: doc.size },
      inspectShows: [/status: 'processed'/],
    });
    const results = await env.client.collections.search("refunds", { collectionIds: [col.id] });
    const json = check("DocumentSearchResults", {
      wrapper: results,
      schema: SearchResponseSchema,
      expect: {},
      inspectShows: [/matches: \[/],
    });
    assert.equal(typeof (json.matches as { score: unknown }[])[0].score, "number");
  });

  test("Batch, BatchRequestInfo, batch results", async () => {
    const client: Client = env.client;
    const batch = await client.batch.create({ name: "nightly" });
    await client.batch.add(batch.id, [
      client.chat.create({ model: "grok-4", messages: ["one"], batchRequestId: "one" }),
      client.chat.create({ model: "no-such-model", messages: ["?"], batchRequestId: "broken" }),
    ]);
    const done = await client.batch.waitUntilDone(batch.id, { pollInterval: 10 });
    const json = check("Batch", {
      wrapper: done,
      schema: BatchSchema,
      expect: {
        id: batch.id,
        name: "nightly",
        isDone: true,
        costUsd: done.costUsd,
        counts: { ...done.counts },
      },
      inspectShows: [/name: 'nightly'/, /isDone: true/],
    });
    assert.equal(typeof (json.counts as { total: unknown }).total, "number");
    const [info] = (await client.batch.listRequestMetadata(batch.id)).items;
    check("BatchRequestInfo", {
      wrapper: info,
      schema: BatchRequestMetadataSchema,
      expect: { id: info.id, state: info.state },
      inspectShows: [/state: '/],
    });
    const ok = await client.batch.getResult(batch.id, "one");
    const okJson = check("ChatBatchResult", {
      wrapper: ok,
      schema: BatchResultSchema,
      expect: { id: "one", kind: "chat", succeeded: true },
      inspectShows: [/kind: 'chat'/, /response: ChatResponse \{/],
    });
    assert.equal((okJson.response as { finishReason: string }).finishReason, "stop");
    const failed = await client.batch.getResult(batch.id, "broken");
    const failedJson = check("FailedBatchResult", {
      wrapper: failed,
      schema: BatchResultSchema,
      expect: { id: "broken", kind: "error", succeeded: false },
      inspectShows: [/kind: 'error'/],
    });
    assert.match((failedJson.error as { message: string }).message, /no-such-model/);
  });
});
