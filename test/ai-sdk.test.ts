// The Vercel AI SDK provider (xai-grpc/ai-sdk) driven by the real `ai` 6 functions against the emulator:
// generateText and streamText (text, reasoning and its encrypted replay, settings, warnings, headers, abort),
// generateObject and streamObject with zod, a multi-step tool loop, tool choice, server-side web search with
// sources, embedMany, generateImage, and errors as the AI SDK's types. A last group runs `ai` 7 (npm alias
// ai-v7) on the same models.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { APICallError, InvalidArgumentError } from "@ai-sdk/provider";
import {
  embedMany,
  generateImage,
  generateObject,
  generateText,
  hasToolCall,
  Output,
  stepCountIs,
  streamObject,
  streamText,
  tool,
} from "ai";
import * as ai7 from "ai-v7";
import { z } from "zod";
import { createXaiGrpc, type XaiGrpcProvider } from "../src/ai-sdk/index.js";
import {
  FormatType,
  type GetCompletionsRequest,
  IncludeOption,
  MessageRole,
  ReasoningEffort,
  ToolMode,
} from "../src/gen/xai/api/v1/chat_pb.js";
import {
  AuthenticationError,
  Client,
  NotFoundError,
  RateLimitError,
  UnavailableError,
  UserAbortError,
} from "../src/index.js";
import { Code } from "../src/testing/index.js";
import { completionRequests, useEmulator } from "./helpers/emulator.js";

// The AI SDK prints warnings to the console by default; the tests read them from the results.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const env = useEmulator({ resetBeforeEach: true });
const provider = (): XaiGrpcProvider => createXaiGrpc(env.client);
const requests = (): GetCompletionsRequest[] => completionRequests(env.emulator);
const lastRequest = (): GetCompletionsRequest => requests().at(-1)!;

/** The final status of the emulator's first call of `method`, once the emulator has ended it. */
async function settled(method: string): Promise<number | undefined> {
  const call = env.emulator.calls.find((c) => c.method === method);
  while (call && call.status === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
  return call?.status;
}

const getWeather = tool({
  description: "Current weather of a city",
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, celsius: 21 }),
});

describe("generateText", () => {
  test("text, finish reason, usage, response id and provider metadata come from the completion", async () => {
    const reply = { kind: "text", content: "Scripted hello.", reasoningContent: "Greet back." } as const;
    env.emulator.script.chat(reply, reply);
    const result = await generateText({ model: provider()("grok-4"), prompt: "Hello there" });
    assert.equal(result.text, "Scripted hello.");
    assert.equal(result.finishReason, "stop");
    const metadata = result.providerMetadata?.xaiGrpc as Record<string, unknown>;
    assert.equal(result.response.id, metadata.responseId);
    assert.equal(result.response.modelId, "grok-4");
    assert.ok(typeof metadata.costUsd === "number" && metadata.costUsd > 0, `costUsd ${metadata.costUsd}`);
    assert.match(String(metadata.systemFingerprint), /^fp_/);
    // The usage is the server's, unchanged.
    const direct = await env.client.chat.create({ model: "grok-4", messages: ["Hello there"] }).sample();
    assert.ok(direct.usage.reasoningTokens > 0);
    assert.equal(result.usage.inputTokens, direct.usage.promptTokens);
    assert.equal(result.usage.outputTokens, direct.usage.completionTokens + direct.usage.reasoningTokens);
    assert.equal(result.usage.outputTokenDetails.reasoningTokens, direct.usage.reasoningTokens);
    assert.equal(result.reasoningText, "Greet back.");
    assert.equal(result.usage.inputTokenDetails.cacheReadTokens, 0);
  });

  test("the AI SDK's settings reach the request; unsupported ones come back as warnings", async () => {
    const result = await generateText({
      model: provider()("grok-3"),
      system: "Be brief.",
      prompt: "Hello there",
      maxOutputTokens: 50,
      temperature: 0.3,
      topP: 0.9,
      topK: 5,
      seed: 7,
      stopSequences: ["END"],
      frequencyPenalty: 0.5,
      presencePenalty: -0.5,
      headers: { "X-Trace-Id": "t-42", Authorization: "Bearer other" },
      providerOptions: { xaiGrpc: { user: "u-1", parallelToolCalls: false } },
    });
    const request = lastRequest();
    assert.equal(request.maxTokens, 50);
    assert.ok(Math.abs((request.temperature ?? 0) - 0.3) < 1e-6);
    assert.ok(Math.abs((request.topP ?? 0) - 0.9) < 1e-6);
    assert.equal(request.seed, 7);
    assert.deepEqual(request.stop, ["END"]);
    assert.ok(Math.abs((request.frequencyPenalty ?? 0) - 0.5) < 1e-6);
    assert.ok(Math.abs((request.presencePenalty ?? 0) + 0.5) < 1e-6);
    assert.equal(request.user, "u-1");
    assert.equal(request.parallelToolCalls, false);
    assert.equal(request.messages[0].role, MessageRole.ROLE_SYSTEM);
    assert.deepEqual(
      result.warnings?.map((w) => (w.type === "other" ? w.message : w.feature)),
      ["topK", "header authorization"],
    );
    const headers = env.emulator.calls.at(-1)!.headers;
    assert.equal(headers["x-trace-id"], "t-42");
    assert.match(headers.authorization, /^Bearer xai-\*+/, "our key, not the header's");
  });

  test("reasoning comes back as reasoning; its encrypted form is replayed in the next turn", async () => {
    const model = provider()("grok-4");
    const first = await generateText({
      model,
      prompt: "Is 1009 prime?",
      providerOptions: { xaiGrpc: { reasoningEffort: "high", useEncryptedContent: true } },
    });
    assert.equal(lastRequest().reasoningEffort, ReasoningEffort.EFFORT_HIGH);
    assert.equal(lastRequest().useEncryptedContent, true);
    assert.ok(first.reasoningText && first.reasoningText.length > 0);
    assert.ok((first.usage.outputTokenDetails.reasoningTokens ?? 0) > 0);
    const encrypted = (
      first.reasoning[0].providerMetadata?.xaiGrpc as { encryptedContent?: string } | undefined
    )?.encryptedContent;
    assert.ok(encrypted && encrypted.length > 0, "the encrypted reasoning is in the part's metadata");
    await generateText({
      model,
      messages: [
        { role: "user", content: "Is 1009 prime?" },
        ...first.response.messages,
        { role: "user", content: "And 1013?" },
      ],
    });
    const replayed = lastRequest().messages.find((m) => m.role === MessageRole.ROLE_ASSISTANT);
    assert.equal(replayed?.encryptedContent, encrypted);
    assert.equal(replayed?.reasoningContent, first.reasoningText);
    assert.equal(replayed?.content[0]?.content.value, first.text);
  });

  test("user images and files become image and file parts", async () => {
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      "base64",
    );
    await generateText({
      model: provider()("grok-4"),
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Compare" },
            { type: "image", image: new URL("https://example.com/cat.jpg") },
            { type: "image", image: png, mediaType: "image/png" },
            {
              type: "file",
              data: Buffer.from("hello notes"),
              mediaType: "text/plain",
              filename: "notes.txt",
            },
          ],
        },
      ],
    });
    const content = lastRequest().messages[0].content.map((c) => c.content);
    assert.deepEqual(
      content.map((c) => c.case),
      ["text", "imageUrl", "imageUrl", "file"],
    );
    const [, url, inline, attached] = content;
    assert.equal(url.case === "imageUrl" && url.value.source.value, "https://example.com/cat.jpg");
    assert.match(String(inline.case === "imageUrl" && inline.value.source.value), /^data:image\/png;base64,/);
    assert.equal(
      attached.case === "file" && Buffer.from(attached.value.data ?? []).toString(),
      "hello notes",
    );
  });

  test("JSON output without a schema is sent as JSON_OBJECT", async () => {
    const result = await generateText({
      model: provider()("grok-3"),
      prompt: "Weather in Paris as JSON",
      output: Output.json(),
    });
    assert.equal(lastRequest().responseFormat?.formatType, FormatType.JSON_OBJECT);
    assert.equal(typeof result.output, "object");
  });
});

describe("generateObject and streamObject", () => {
  const Weather = z.object({ city: z.string(), celsius: z.number() });

  test("generateObject returns an object valid for the zod schema, sent as the response format", async () => {
    const { object } = await generateObject({
      model: provider()("grok-3"),
      schema: Weather,
      prompt: "The weather in Paris",
    });
    assert.equal(typeof object.celsius, "number");
    assert.equal(object.city, "Paris");
    const format = lastRequest().responseFormat;
    assert.equal(format?.formatType, FormatType.JSON_SCHEMA);
    assert.deepEqual(JSON.parse(format?.schema ?? "{}").required, ["city", "celsius"]);
  });

  test("streamObject streams partial objects, then the whole one", async () => {
    const stream = streamObject({
      model: provider()("grok-3"),
      schema: Weather,
      prompt: "The weather in Paris",
    });
    const partials: unknown[] = [];
    for await (const partial of stream.partialObjectStream) partials.push(partial);
    const object = await stream.object;
    assert.equal(object.city, "Paris");
    assert.ok(partials.length >= 1);
    assert.deepEqual(partials.at(-1), object);
  });
});

describe("streamText", () => {
  test("text and reasoning stream as blocks of deltas, then finish with usage and metadata", async () => {
    env.emulator.script.chat({
      kind: "text",
      content: "One two three four five six seven eight.",
      reasoningContent: "Counting slowly to eight.",
    });
    const result = streamText({ model: provider()("grok-4"), prompt: "Count to eight" });
    const parts: { type: string; text?: string }[] = [];
    for await (const part of result.fullStream) parts.push(part as { type: string; text?: string });
    const types = parts.map((p) => p.type).filter((t, i, all) => t !== all[i - 1]);
    assert.deepEqual(types, [
      "start",
      "start-step",
      "reasoning-start",
      "reasoning-delta",
      "reasoning-end",
      "text-start",
      "text-delta",
      "text-end",
      "finish-step",
      "finish",
    ]);
    assert.equal(await result.text, "One two three four five six seven eight.");
    assert.equal(await result.reasoningText, "Counting slowly to eight.");
    const deltas = parts.filter((p) => p.type === "text-delta");
    assert.ok(deltas.length > 1, "the text arrived in several deltas");
    assert.equal(await result.finishReason, "stop");
    const usage = await result.usage;
    assert.ok((usage.inputTokens ?? 0) > 0 && (usage.outputTokenDetails.reasoningTokens ?? 0) > 0);
    const metadata = (await result.providerMetadata)?.xaiGrpc as Record<string, unknown>;
    assert.equal((await result.response).id, metadata.responseId);
  });

  test("aborting mid-stream stops the stream and cancels the call", async () => {
    const controller = new AbortController();
    let aborted = false;
    const result = streamText({
      model: provider()("grok-3"),
      prompt: "#chunks 100000",
      abortSignal: controller.signal,
      onAbort: () => {
        aborted = true;
      },
    });
    const types: string[] = [];
    for await (const part of result.fullStream) {
      types.push(part.type);
      if (part.type === "text-delta" && types.filter((t) => t === "text-delta").length === 3) {
        controller.abort();
      }
    }
    assert.equal(types.at(-1), "abort");
    assert.ok(aborted, "onAbort ran");
    assert.ok(types.filter((t) => t === "text-delta").length < 100);
    assert.equal(await settled("/xai_api.Chat/GetCompletionChunk"), Code.CANCELLED);
  });

  test("includeRawChunks adds each chunk as a raw part", async () => {
    env.emulator.script.chat({ kind: "text", content: "Raw one two three." });
    const result = streamText({ model: provider()("grok-3"), prompt: "hi", includeRawChunks: true });
    const raw: unknown[] = [];
    for await (const part of result.fullStream) if (part.type === "raw") raw.push(part.rawValue);
    assert.ok(raw.length > 1);
    assert.equal(typeof (raw[0] as { id?: unknown }).id, "string");
    assert.doesNotThrow(() => JSON.stringify(raw));
  });

  test("cancelling the model's stream cancels the call", async () => {
    // streamText keeps reading a stream its caller left (it tees it): what cancels is the stream itself.
    const { stream } = await provider()("grok-3").doStream({
      prompt: [{ role: "user", content: [{ type: "text", text: "#chunks 100000" }] }],
    });
    const reader = stream.getReader();
    for (let i = 0; i < 5; i++) await reader.read();
    await reader.cancel();
    assert.equal(await settled("/xai_api.Chat/GetCompletionChunk"), Code.CANCELLED);
  });

  test("streamed encrypted reasoning ends up in a reasoning part's provider metadata", async () => {
    const result = streamText({
      model: provider()("grok-4"),
      prompt: "Is 1013 prime?",
      providerOptions: { xaiGrpc: { useEncryptedContent: true } },
    });
    const reasoning = await result.reasoning;
    const encrypted = reasoning
      .map(
        (part) =>
          (part.providerMetadata?.xaiGrpc as { encryptedContent?: string } | undefined)?.encryptedContent,
      )
      .filter(Boolean);
    const direct = await env.client.chat
      .create({ model: "grok-4", messages: ["Is 1013 prime?"], useEncryptedContent: true })
      .sample();
    assert.deepEqual(encrypted, [direct.encryptedContent]);
  });

  test("an error before the first chunk rejects the call as an APICallError, retried when it may be", async () => {
    env.emulator.script.chat({ kind: "error", code: Code.UNAVAILABLE, details: "busy" });
    const result = streamText({ model: provider()("grok-3"), prompt: "Hello", maxRetries: 1 });
    assert.ok((await result.text).length > 0);
    assert.equal(env.emulator.calls.filter((c) => c.method.endsWith("GetCompletionChunk")).length, 2);
  });

  test("an error mid-stream is an error part with our error as the cause", async () => {
    env.emulator.faults.cutStream("/xai_api.Chat/GetCompletionChunk", 3, { code: Code.INTERNAL });
    const errors: unknown[] = [];
    const result = streamText({
      model: provider()("grok-3"),
      prompt: "#chunks 50",
      onError: ({ error }) => {
        errors.push(error);
      },
    });
    for await (const _ of result.fullStream) {
      // drain
    }
    assert.equal(errors.length, 1);
    assert.ok(APICallError.isInstance(errors[0]));
    assert.equal((errors[0] as APICallError).statusCode, 500);
  });
});

describe("tools", () => {
  test("a multi-step loop: the model calls the tool, the AI SDK runs it, the model answers from the result", async () => {
    const result = await generateText({
      model: provider()("grok-3"),
      prompt: "What is the weather in Paris?",
      tools: { get_weather: getWeather },
      stopWhen: stepCountIs(5),
    });
    assert.deepEqual(
      result.steps.map((s) => s.finishReason),
      ["tool-calls", "stop"],
    );
    assert.deepEqual(result.steps[0].toolCalls[0].input, { city: "Paris" });
    assert.match(result.text, /21/);
    const [first, second] = requests();
    assert.equal(first.tools[0].tool.case === "function" && first.tools[0].tool.value.name, "get_weather");
    const toolMessage = second.messages.find((m) => m.role === MessageRole.ROLE_TOOL);
    assert.equal(toolMessage?.toolCallId, result.steps[0].toolCalls[0].toolCallId);
    assert.deepEqual(JSON.parse(String(toolMessage?.content[0].content.value)), {
      city: "Paris",
      celsius: 21,
    });
    const assistant = second.messages.find((m) => m.role === MessageRole.ROLE_ASSISTANT);
    assert.equal(assistant?.toolCalls[0]?.id, result.steps[0].toolCalls[0].toolCallId);
  });

  test("the loop streams too: tool input, the call, its result and the answer", async () => {
    const result = streamText({
      model: provider()("grok-3"),
      prompt: "What is the weather in Tokyo?",
      tools: { get_weather: getWeather },
      stopWhen: stepCountIs(3),
    });
    const types: string[] = [];
    for await (const part of result.fullStream) types.push(part.type);
    for (const type of [
      "tool-input-start",
      "tool-input-delta",
      "tool-input-end",
      "tool-call",
      "tool-result",
    ]) {
      assert.ok(types.includes(type), `${type} in ${types}`);
    }
    assert.ok(types.indexOf("tool-result") < types.lastIndexOf("text-delta"));
    assert.equal((await result.steps).length, 2);
    assert.match(await result.text, /21/);
  });

  test("tool choice: required, none and a named tool reach the request", async () => {
    const tools = {
      get_weather: getWeather,
      get_time: tool({ description: "Time", inputSchema: z.object({}) }),
    };
    const model = provider()("grok-3");
    await generateText({
      model,
      prompt: "hi",
      tools,
      toolChoice: "required",
      stopWhen: hasToolCall("get_weather"),
    });
    assert.equal(lastRequest().toolChoice?.toolChoice.value, ToolMode.REQUIRED);
    await generateText({ model, prompt: "weather in Paris", tools, toolChoice: "none" });
    assert.equal(lastRequest().toolChoice?.toolChoice.value, ToolMode.NONE);
    const named = await generateText({
      model,
      prompt: "hi",
      tools,
      toolChoice: { type: "tool", toolName: "get_time" },
    });
    assert.equal(lastRequest().toolChoice?.toolChoice.case, "functionName");
    assert.equal(lastRequest().toolChoice?.toolChoice.value, "get_time");
    assert.equal(named.toolCalls[0]?.toolName, "get_time");
  });

  test("server-side web search: provider-executed call and result, sources from the citations", async () => {
    const p = provider();
    const result = await generateText({
      model: p("grok-4"),
      prompt: "What is the latest news on fusion energy?",
      tools: { search: p.tools.webSearch({ excludedDomains: ["arxiv.org"] }) },
    });
    const request = lastRequest();
    assert.equal(request.tools[0].tool.case, "webSearch");
    assert.ok(request.include.includes(IncludeOption.WEB_SEARCH_CALL_OUTPUT));
    const call = result.steps[0].content.find((c) => c.type === "tool-call");
    const output = result.steps[0].content.find((c) => c.type === "tool-result");
    assert.equal(call?.toolName, "search", "named as in `tools`");
    assert.equal(call?.providerExecuted, true);
    assert.deepEqual(call?.input, { query: "What is the latest news on fusion energy?" });
    assert.ok(Array.isArray(output?.type === "tool-result" && output.output), "the search results, parsed");
    assert.ok(result.sources.length > 0);
    for (const source of result.sources) {
      assert.equal(source.sourceType, "url");
      assert.doesNotMatch(source.sourceType === "url" ? source.url : "", /arxiv/);
    }
    assert.match(result.text, /web search/i);
  });

  test("server-side web search streamed: sources as parts, the call before the text", async () => {
    const p = provider();
    const result = streamText({
      model: p("grok-4"),
      prompt: "Search the latest fusion news",
      tools: { look_up: p.tools.webSearch() },
    });
    const types: string[] = [];
    for await (const part of result.fullStream) {
      types.push(part.type);
      if (part.type === "tool-call") assert.equal(part.toolName, "look_up");
    }
    assert.ok(types.indexOf("tool-call") < types.indexOf("text-start"), String(types));
    assert.ok(types.includes("tool-result"));
    assert.ok((await result.sources).length > 0);
  });

  test("X search and collections search: sources of both, collection chunks as document sources", async () => {
    const p = provider();
    const result = await generateText({
      model: p("grok-4"),
      prompt: "What do people and our handbook say about remote work?",
      tools: {
        x: p.tools.xSearch({ allowedXHandles: ["xai"] }),
        handbook: p.tools.collectionsSearch({ collectionIds: ["col_handbook"], limit: 2 }),
      },
      providerOptions: { xaiGrpc: { include: ["inline_citations"] } },
    });
    const request = lastRequest();
    assert.deepEqual(
      request.tools.map((t) => t.tool.case),
      ["xSearch", "collectionsSearch"],
    );
    assert.ok(request.include.includes(IncludeOption.INLINE_CITATIONS));
    assert.ok(request.include.includes(IncludeOption.X_SEARCH_CALL_OUTPUT));
    assert.deepEqual(
      result.steps[0].toolCalls.map((c) => c.toolName),
      ["x", "handbook"],
    );
    const urls = result.sources.flatMap((s) => (s.sourceType === "url" ? [s.url] : []));
    assert.ok(urls.some((u) => u.startsWith("https://x.com/xai/")));
    const documents = result.sources.filter((s) => s.sourceType === "document");
    assert.ok(documents.length > 0, JSON.stringify(result.sources));
    assert.ok((documents[0].providerMetadata?.xaiGrpc as { chunkId?: string } | undefined)?.chunkId);
  });

  test("code execution runs on xAI; a tool choice naming a server-side tool is warned about", async () => {
    const p = provider();
    const result = await generateText({
      model: p("grok-4"),
      prompt: "Compute 2 + 3 * 4 with code",
      tools: { python: p.tools.codeExecution() },
      toolChoice: { type: "tool", toolName: "python" },
    });
    const output = result.steps[0].content.find((c) => c.type === "tool-result");
    assert.equal(output?.type === "tool-result" && output.toolName, "python");
    assert.deepEqual(output?.type === "tool-result" && output.output, {
      stdout: "14\n",
      stderr: "",
      exit_code: 0,
    });
    assert.equal(lastRequest().toolChoice?.toolChoice.value, ToolMode.AUTO);
    assert.deepEqual(
      result.warnings?.map((w) => w.type === "unsupported" && w.feature),
      ["toolChoice naming a server-side tool"],
    );
  });

  test("an MCP tool's authorization reaches xAI but stays out of the tool's args (which telemetry may record)", async () => {
    const p = provider();
    const mcp = p.tools.mcp({
      serverUrl: "https://mcp.example.com/sse",
      serverLabel: "docs",
      authorization: "Bearer s3cret",
    });
    assert.doesNotMatch(JSON.stringify(mcp), /s3cret/);
    await generateText({ model: p("grok-4"), prompt: "Ask the docs about gRPC", tools: { docs: mcp } });
    const sent = lastRequest().tools[0].tool;
    assert.equal(sent.case === "mcp" && sent.value.authorization, "Bearer s3cret");
    const copied = { ...mcp, args: { ...mcp.args } };
    const error = await generateText({ model: p("grok-4"), prompt: "hi", tools: { docs: copied } }).catch(
      (e) => e,
    );
    assert.ok(InvalidArgumentError.isInstance(error));
    assert.match(error.message, /xaiGrpc\.tools\.mcp\(\)/);
  });

  test("a provider tool of another provider is left out with a warning", async () => {
    const result = await generateText({
      model: provider()("grok-3"),
      prompt: "hi",
      tools: { other: { type: "provider", id: "openai.web_search", args: {}, inputSchema: z.object({}) } },
    });
    assert.equal(lastRequest().tools.length, 0);
    assert.equal(
      result.warnings?.[0]?.type === "unsupported" && result.warnings[0].feature,
      "provider tool openai.web_search",
    );
  });
});

describe("embeddings and images", () => {
  test("embedMany returns one vector per value, as client.embeddings computes them", async () => {
    const values = ["a red apple", "a green pear", "a yellow banana"];
    const { embeddings, usage, providerMetadata } = await embedMany({
      model: provider().embeddingModel("v1"),
      values,
    });
    const direct = await env.client.embeddings.create({ model: "v1", input: values });
    assert.equal(embeddings.length, 3);
    // xAI counts embeddings, not tokens: unknown (NaN in the AI SDK), never a made-up number.
    assert.ok(Number.isNaN(usage.tokens), `usage.tokens is unknown, got ${usage.tokens}`);
    assert.equal(providerMetadata?.xaiGrpc?.textEmbeddings, 3);
    assert.deepEqual(
      embeddings,
      direct.vectors.map((v) => Array.from(v)),
    );
  });

  test("generateImage: n images as bytes, aspect ratio and resolution sent, size warned about", async () => {
    const result = await generateImage({
      model: provider().imageModel("grok-imagine-image"),
      prompt: "A watercolor fox",
      n: 2,
      aspectRatio: "16:9",
      size: "1024x1024",
      providerOptions: { xaiGrpc: { resolution: "1k" } },
    });
    assert.equal(result.images.length, 2);
    assert.equal(result.images[0].mediaType, "image/png");
    assert.deepEqual([...result.images[0].uint8Array.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    const request = env.emulator.calls.find((c) => c.method === "/xai_api.Image/GenerateImage")?.request as {
      n?: number;
      aspectRatio?: number;
      resolution?: number;
    };
    assert.equal(request.n, 2);
    assert.ok(request.aspectRatio !== undefined && request.resolution !== undefined);
    assert.deepEqual(
      result.warnings.map((w) => w.type === "unsupported" && w.feature),
      ["size"],
    );
  });
});

test("generateImage edits the given images; quality and user reach the request", async () => {
  const first = await generateImage({ model: provider().imageModel("grok-imagine-image"), prompt: "A fox" });
  const result = await generateImage({
    model: provider().imageModel("grok-imagine-image"),
    prompt: { text: "Make it blue", images: [first.image.uint8Array, "https://example.com/cat.png"] },
    providerOptions: { xaiGrpc: { quality: "high", user: "u-7" } },
  });
  assert.equal(result.images.length, 1);
  const request = env.emulator.calls.filter((c) => c.method === "/xai_api.Image/GenerateImage").at(-1)
    ?.request as { images?: { source: { value?: string } }[]; quality?: number; user?: string };
  assert.equal(request.images?.length, 2);
  assert.match(String(request.images?.[0].source.value), /^data:image\/png;base64,/);
  assert.equal(request.images?.[1].source.value, "https://example.com/cat.png");
  assert.ok(request.quality !== undefined && request.quality > 0);
  assert.equal(request.user, "u-7");
});

describe("errors", () => {
  test("a wrong key is an APICallError 401, not retryable, caused by AuthenticationError", async () => {
    const client = new Client({ ...env.emulator.clientOptions(), apiKey: "xai-wrong-key-0000" });
    try {
      const error = await generateText({ model: createXaiGrpc(client)("grok-3"), prompt: "hi" }).catch(
        (e) => e,
      );
      assert.ok(APICallError.isInstance(error), String(error));
      assert.equal(error.statusCode, 401);
      assert.equal(error.isRetryable, false);
      assert.ok(error.cause instanceof AuthenticationError);
      assert.doesNotMatch(`${error.message} ${JSON.stringify(error)}`, /wrong-key/);
    } finally {
      client.close();
    }
  });

  test("an unknown model is an APICallError 404 caused by NotFoundError", async () => {
    const error = await generateText({ model: provider()("grok-99"), prompt: "hi" }).catch((e) => e);
    assert.ok(APICallError.isInstance(error));
    assert.equal(error.statusCode, 404);
    assert.ok(error.cause instanceof NotFoundError);
  });

  test("rate limits and unavailability are retried by the AI SDK (maxRetries)", async () => {
    env.emulator.script.chat(
      { kind: "error", code: Code.RESOURCE_EXHAUSTED, details: "slow down" },
      { kind: "text", content: "Finally." },
    );
    const result = await generateText({ model: provider()("grok-3"), prompt: "hi", maxRetries: 1 });
    assert.equal(result.text, "Finally.");
    env.emulator.script.chat({ kind: "error", code: Code.RESOURCE_EXHAUSTED, details: "slow down" });
    const error = await generateText({ model: provider()("grok-3"), prompt: "hi", maxRetries: 0 }).catch(
      (e) => e,
    );
    assert.ok(error.cause instanceof RateLimitError && error.isRetryable && error.statusCode === 429);
    env.emulator.script.chat({ kind: "error", code: Code.UNAVAILABLE, details: "busy" });
    const unavailable = await generateText({
      model: provider()("grok-3"),
      prompt: "hi",
      maxRetries: 0,
    }).catch((e) => e);
    assert.ok(unavailable.cause instanceof UnavailableError && unavailable.statusCode === 503);
    assert.equal(unavailable.isRetryable, true);
    env.emulator.script.chat({ kind: "error", code: Code.INVALID_ARGUMENT, details: "bad" });
    const invalid = await generateText({ model: provider()("grok-3"), prompt: "hi" }).catch((e) => e);
    assert.equal(invalid.statusCode, 400);
    assert.equal(invalid.isRetryable, false);
  });

  test("bad provider options are an InvalidArgumentError before any call", async () => {
    const before = env.emulator.calls.length;
    const error = await generateText({
      model: provider()("grok-3"),
      prompt: "hi",
      providerOptions: { xaiGrpc: { reasoningEfort: "high" } },
    }).catch((e) => e);
    assert.ok(InvalidArgumentError.isInstance(error), String(error));
    assert.match(error.message, /reasoningEfort/);
    const badValue = await generateText({
      model: provider()("grok-3"),
      prompt: "hi",
      temperature: 5,
    }).catch((e) => e);
    assert.ok(InvalidArgumentError.isInstance(badValue));
    assert.match(badValue.message, /temperature/);
    assert.equal(env.emulator.calls.length, before);
  });

  test("an aborted generateText rejects with an AbortError", async () => {
    const controller = new AbortController();
    env.emulator.faults.latency(60_000, "/xai_api.Chat/GetCompletion");
    const pending = generateText({
      model: provider()("grok-3"),
      prompt: "hi",
      abortSignal: controller.signal,
    });
    // Abort once the emulator holds the call, so that it also ends within this test.
    while (env.emulator.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const error = await pending.catch((e) => e);
    assert.equal(error.name, "AbortError");
    assert.ok(error.cause instanceof UserAbortError);
    assert.equal(await settled("/xai_api.Chat/GetCompletion"), Code.CANCELLED);
  });
});

describe("ai 7 (specification v3 models through its adapter)", () => {
  test("generateText, streamText and embedMany work with ai 7", async () => {
    const p = provider();
    env.emulator.script.chat({ kind: "text", content: "Hello from v7." });
    const generated = await ai7.generateText({ model: p("grok-3"), prompt: "Hello" });
    assert.equal(generated.text, "Hello from v7.");
    const streamed = ai7.streamText({
      model: p("grok-3"),
      prompt: "What is the weather in Paris?",
      tools: {
        get_weather: ai7.tool({
          description: "Current weather of a city",
          inputSchema: z.object({ city: z.string() }),
          execute: async ({ city }) => ({ city, celsius: 21 }),
        }),
      },
      stopWhen: ai7.stepCountIs(3),
    });
    assert.match(await streamed.text, /21/);
    const { embeddings } = await ai7.embedMany({ model: p.embeddingModel("v1"), values: ["a", "b"] });
    assert.equal(embeddings.length, 2);
  });
});
