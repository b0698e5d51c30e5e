// The chat SDK against the emulator over real gRPC: multi-turn conversations, the request received for each
// create() option, responses, batches, reasoning and encrypted content, images, stored completions, compaction,
// deferred completions and per-call options.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { inspect } from "node:util";
import { toBinary } from "@bufbuild/protobuf";
import { PollTimeoutError } from "../src/errors.js";
import {
  Chat,
  type GetCompletionsRequest,
  GetCompletionsRequestSchema,
  IncludeOption,
  MessageRole,
  ReasoningEffort,
  ToolMode,
} from "../src/gen/xai/api/v1/chat_pb.js";
import { DeferredStatus } from "../src/gen/xai/api/v1/deferred_pb.js";
import { ImageDetail } from "../src/gen/xai/api/v1/image_pb.js";
import {
  type ChatCreateOptions,
  codeExecution,
  DeadlineExceededError,
  DeferredCompletionError,
  file,
  image,
  imageGeneration,
  mcp,
  NotFoundError,
  RateLimitError,
  searchParameters,
  system,
  tool,
  toolResult,
  UserAbortError,
  user,
  webSearch,
  webSource,
  XaiInputError,
} from "../src/index.js";
import { Code, register } from "../src/testing/index.js";
import { chatService } from "../src/testing/services/chat.js";
import { useEmulator, withEmulator } from "./helpers/emulator.js";

const env = useEmulator({ deferredPolls: 2, resetBeforeEach: true });

function lastRequest(method = "/xai_api.Chat/GetCompletion"): GetCompletionsRequest {
  const record = env.emulator.calls.filter((c) => c.method === method).at(-1);
  assert.ok(record, `no ${method} call`);
  return record.request as GetCompletionsRequest;
}

describe("multi-turn conversation", () => {
  test("sample, append, sample: the second request replays the answer", async () => {
    const chat = env.client.chat.create({ model: "grok-3", messages: [system("You are a pirate.")] });
    chat.append(user("Hello, who are you?"));
    const first = await chat.sample();
    assert.ok(first.content.length > 0);
    assert.equal(first.role, "assistant");
    assert.equal(first.finishReason, "stop");
    assert.equal(first.index, 0);
    assert.match(first.id, /\S/);
    assert.equal(first.model, "grok-3");
    assert.ok(first.created instanceof Date);
    assert.ok(first.usage.totalTokens > 0);
    assert.equal(first.usage.costUsd, first.costUsd);
    const ticks = first.proto.usage?.costInUsdTicks;
    assert.ok(ticks !== undefined && ticks > 0n);
    assert.ok(Math.abs((first.costUsd ?? 0) - Number(ticks) / 1e10) < 1e-12);
    assert.match(first.systemFingerprint, /\S/);
    assert.equal(first.serviceTier, "default");
    assert.equal(lastRequest().n, 1);

    chat.append(first).append(user("Where is the treasure?"));
    const second = await chat.sample();
    const received = lastRequest();
    assert.deepEqual(
      received.messages.map((m) => m.role),
      [MessageRole.ROLE_SYSTEM, MessageRole.ROLE_USER, MessageRole.ROLE_ASSISTANT, MessageRole.ROLE_USER],
    );
    assert.equal(received.messages[2].content[0].content.value, first.content);
    assert.equal(received.messages[2].reasoningContent, undefined, "empty reasoning is not replayed");
    assert.notEqual(second.id, first.id);
    assert.match(inspect(chat), /Chat \{ model: "grok-3", messages: 4/);
  });

  test("the request received equals the one built, byte for byte", async () => {
    const chat = env.client.chat.create({ model: "grok-4", temperature: 0.5, messages: [user("hi")] });
    await chat.sample();
    assert.deepEqual(
      toBinary(GetCompletionsRequestSchema, lastRequest()),
      toBinary(GetCompletionsRequestSchema, chat.toRequest()),
    );
  });
});

describe("each create() option reaches the server", () => {
  const weather = tool("get_weather", "Weather of a city", {
    type: "object",
    properties: { city: { type: "string" } },
    required: ["city"],
  });
  const cases: [string, Partial<ChatCreateOptions>, (r: GetCompletionsRequest) => unknown, unknown][] = [
    ["user", { user: "end-user-7" }, (r) => r.user, "end-user-7"],
    ["maxTokens", { maxTokens: 64 }, (r) => r.maxTokens, 64],
    ["seed", { seed: 42 }, (r) => r.seed, 42],
    ["stop", { stop: ["\n\n", "END"] }, (r) => r.stop, ["\n\n", "END"]],
    ["temperature", { temperature: 1.5 }, (r) => r.temperature, 1.5],
    ["topP", { topP: 0.5 }, (r) => r.topP, 0.5],
    ["logprobs", { logprobs: true, topLogprobs: 4 }, (r) => [r.logprobs, r.topLogprobs], [true, 4]],
    ["tools", { tools: [weather] }, (r) => r.tools[0].tool.value, weather.tool.value],
    [
      "toolChoice mode",
      { tools: [weather], toolChoice: "none" },
      (r) => r.toolChoice?.toolChoice.value,
      ToolMode.NONE,
    ],
    [
      "toolChoice function",
      { tools: [weather], toolChoice: { function: "get_weather" } },
      (r) => r.toolChoice?.toolChoice,
      { case: "functionName", value: "get_weather" },
    ],
    ["parallelToolCalls", { tools: [weather], parallelToolCalls: false }, (r) => r.parallelToolCalls, false],
    ["responseFormat", { responseFormat: "json_object" }, (r) => r.responseFormat?.formatType, 2],
    ["frequencyPenalty", { frequencyPenalty: -1.5 }, (r) => r.frequencyPenalty, -1.5],
    ["presencePenalty", { presencePenalty: 0.25 }, (r) => r.presencePenalty, 0.25],
    ["reasoningEffort", { reasoningEffort: "low" }, (r) => r.reasoningEffort, ReasoningEffort.EFFORT_LOW],
    [
      "searchParameters",
      {
        searchParameters: searchParameters({
          mode: "on",
          sources: [webSource({ country: "FR" })],
          maxSearchResults: 3,
        }),
      },
      (r) => [
        r.searchParameters?.mode,
        r.searchParameters?.sources[0].source.case,
        r.searchParameters?.maxSearchResults,
        r.searchParameters?.returnCitations,
      ],
      [2, "web", 3, true],
    ],
    ["storeMessages", { storeMessages: true }, (r) => r.storeMessages, true],
    ["useEncryptedContent", { useEncryptedContent: true }, (r) => r.useEncryptedContent, true],
    ["maxTurns", { maxTurns: 2 }, (r) => r.maxTurns, 2],
    [
      "include",
      { include: ["web_search_call_output", "inline_citations"] },
      (r) => r.include,
      [IncludeOption.WEB_SEARCH_CALL_OUTPUT, IncludeOption.INLINE_CITATIONS],
    ],
    ["agentCount", { agentCount: 4 }, (r) => r.agentCount, 1],
    ["serviceTier", { serviceTier: "priority" }, (r) => r.serviceTier, 2],
  ];
  for (const [name, options, read, expected] of cases) {
    test(name, async () => {
      const chat = env.client.chat.create({ model: "grok-4", messages: [user("hi there")], ...options });
      await chat.sample();
      assert.deepEqual(read(lastRequest()), expected);
    });
  }

  test("conversationId is kept on the chat, not sent", async () => {
    const chat = env.client.chat.create({
      model: "grok-4",
      messages: [user("hi there")],
      conversationId: "conv-1",
    });
    const plain = env.client.chat.create({ model: "grok-4", messages: [user("hi there")] });
    await chat.sample();
    assert.equal(chat.conversationId, "conv-1");
    assert.deepEqual(
      toBinary(GetCompletionsRequestSchema, lastRequest()),
      toBinary(GetCompletionsRequestSchema, plain.toRequest()),
    );
  });

  test("previousResponseId continues a stored conversation", async () => {
    const first = await env.client.chat
      .create({ model: "grok-3", storeMessages: true, messages: [user("Remember: 42")] })
      .sample();
    const chat = env.client.chat.create({
      model: "grok-3",
      previousResponseId: first.id,
      messages: [user("What number?")],
    });
    const second = await chat.sample();
    assert.equal(lastRequest().previousResponseId, first.id);
    assert.ok(second.usage.cachedPromptTokens > 0, "the server prepended the stored history");
  });
});

describe("responses", () => {
  test("sampleBatch(n) sends n and wraps each answer", async () => {
    const chat = env.client.chat.create({ model: "grok-3", messages: [user("Tell me a short story")] });
    const responses = await chat.sampleBatch(3);
    assert.equal(lastRequest().n, 3);
    assert.deepEqual(
      responses.map((r) => r.index),
      [0, 1, 2],
    );
    assert.equal(new Set(responses.map((r) => r.content)).size, 3);
    chat.append(responses[1]);
    assert.equal(chat.messages.at(-1)?.content[0].content.value, responses[1].content);
  });

  test("reasoning and encrypted content come back and are round-tripped by append", async () => {
    const chat = env.client.chat.create({
      model: "grok-4",
      reasoningEffort: "high",
      useEncryptedContent: true,
      messages: [user("Why is the sky blue?")],
    });
    const response = await chat.sample();
    assert.ok(response.reasoningContent.length > 0);
    assert.ok(response.encryptedContent.length > 0);
    chat.append(response, user("And at sunset?"));
    await chat.sample();
    const replayed = lastRequest().messages[1];
    assert.equal(replayed.role, MessageRole.ROLE_ASSISTANT);
    assert.equal(replayed.encryptedContent, response.encryptedContent);
    assert.equal(replayed.reasoningContent, response.reasoningContent);
  });

  test("logprobs are exposed", async () => {
    const response = await env.client.chat
      .create({ model: "grok-3", logprobs: true, topLogprobs: 2, messages: [user("Say hello")] })
      .sample();
    assert.ok(response.logprobs.length > 0);
    assert.equal(response.logprobs[0].topLogprobs.length, 2);
  });

  test("image and file parts reach the server", async () => {
    const chat = env.client.chat.create({ model: "grok-4" });
    chat.append(
      user(
        "What is in this picture?",
        image("https://example.com/cat.jpg", { detail: "high" }),
        file({ data: "a,b\n1,2", filename: "t.csv", mimeType: "text/csv" }),
      ),
    );
    const response = await chat.sample();
    const content = lastRequest().messages[0].content;
    assert.equal(content[1].content.case, "imageUrl");
    const img = content[1].content.value as { detail: ImageDetail; source: { value: string } };
    assert.equal(img.detail, ImageDetail.DETAIL_HIGH);
    assert.equal(img.source.value, "https://example.com/cat.jpg");
    assert.equal(content[2].content.case, "file");
    assert.ok((response.usage?.promptImageTokens ?? 0) > 0);
  });

  test("an agentic multi-output response is appended output by output and replayed", async () => {
    const chat = env.client.chat.create({
      model: "grok-4",
      tools: [webSearch()],
      include: ["web_search_call_output"],
      messages: [user("Search the web for news about Grok")],
    });
    const response = await chat.sample();
    assert.equal(response.index, undefined, "server-side tools: every output is read");
    const outputs = response.proto.outputs;
    assert.ok(outputs.length >= 3, `expected tool call, tool output and answer, got ${outputs.length}`);
    assert.ok(response.toolOutputs.length >= 1);
    const call = response.toolCalls.find((c) => c.type === "web_search_tool");
    assert.ok(call, "the server-side call is listed");
    assert.equal(response.content, outputs.at(-1)?.message?.content);
    assert.ok(response.citations.length > 0);
    assert.ok((response.serverSideToolUsage.web_search ?? 0) >= 1);

    chat.append(response);
    assert.equal(chat.messages.length, 1 + outputs.length);
    chat.append(user("Thanks, summarize it in one line"));
    await chat.sample();
    const replayed = lastRequest().messages.slice(1, 1 + outputs.length);
    assert.deepEqual(
      replayed.map((m) => m.role),
      outputs.map((o) => o.message?.role),
    );
    const toolMessage = replayed.find((m) => m.role === MessageRole.ROLE_TOOL);
    assert.ok(toolMessage);
    assert.equal(toolMessage.toolCallId, toolMessage.toolCalls[0].id);
    assert.equal(replayed[0].toolCalls[0].id, call.id);
  });
});

describe("server-side tool outputs", () => {
  test("image generation outputs decode to image bytes", async () => {
    const response = await env.client.chat
      .create({ model: "grok-4", tools: [imageGeneration()], messages: [user("Draw a red fox")] })
      .sample();
    const [picture] = response.imageOutputs;
    assert.ok(picture, "one generated image");
    assert.equal(picture.mimeType, "image/png");
    assert.deepEqual([...picture.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.match(picture.imageUuid, /\S/);
    assert.equal(picture.toolCall.type, "image_generation_tool");
    assert.equal(picture.toolCall.status, "completed");
    assert.equal(response.serverSideToolUsage.image_generation, 1);
  });

  test("inline citations point into the text", async () => {
    const response = await env.client.chat
      .create({
        model: "grok-4",
        tools: [webSearch()],
        include: ["inline_citations"],
        messages: [user("Search the web for the tallest tower")],
      })
      .sample();
    const citations = response.inlineCitations;
    assert.ok(citations.length > 0);
    for (const c of citations) {
      assert.equal(c.kind, "web");
      assert.ok(response.citations.includes(c.url ?? ""));
      assert.ok(c.endIndex > c.startIndex);
    }
  });

  test("code execution, MCP and collections search tools are sent and reported", async () => {
    const response = await env.client.chat
      .create({
        model: "grok-4",
        tools: [
          codeExecution(),
          mcp({
            serverUrl: "https://mcp.example.com/sse",
            serverLabel: "docs",
            allowedToolNames: ["lookup"],
          }),
        ],
        include: ["code_execution_call_output", "mcp_call_output"],
        messages: [user("Run some code and ask the docs server")],
      })
      .sample();
    const types = response.toolCalls.map((c) => c.type);
    assert.ok(types.includes("code_execution_tool"), types.join());
    assert.ok(types.includes("mcp_tool"), types.join());
    assert.equal(response.toolOutputs.length, 2);
    const sent = lastRequest().tools.map((t) => t.tool.case);
    assert.deepEqual(sent, ["codeExecution", "mcp"]);
  });
});

describe("stored completions and compaction", () => {
  test("get and delete a stored completion", async () => {
    const response = await env.client.chat
      .create({ model: "grok-3", storeMessages: true, messages: [user("Store this")] })
      .sample();
    const stored = await env.client.chat.getStoredCompletion(response.id);
    assert.equal(stored.id, response.id);
    assert.equal(stored.content, response.content);
    assert.equal(await env.client.chat.deleteStoredCompletion(response.id), response.id);
    await assert.rejects(env.client.chat.getStoredCompletion(response.id), NotFoundError);
    await assert.rejects(env.client.chat.getStoredCompletion(""), XaiInputError);
  });

  test("compact() replaces the summarized messages with one encrypted message", async () => {
    const chat = env.client.chat.create({ model: "grok-4", messages: [system("Be terse."), user("Hi")] });
    chat.append(await chat.sample(), user("Tell me about Rome"));
    chat.append(await chat.sample());
    const before = chat.messages.length;
    const result = await chat.compact();
    assert.ok(result.droppedMessageCount > 0 && result.droppedMessageCount <= before);
    assert.equal(chat.messages.length, before - result.droppedMessageCount + 1);
    assert.equal(chat.messages[0].role, MessageRole.ROLE_USER);
    assert.equal(chat.messages[0].encryptedContent, result.encryptedContent);
    chat.append(user("Go on"));
    await chat.sample();
    assert.equal(lastRequest().messages[0].encryptedContent, result.encryptedContent);
    const viaClient = await env.client.chat.compactContext("grok-4", [user("a"), user("b")]);
    assert.ok(viaClient.encryptedContent.length > 0);
  });
});

describe("deferred completions", () => {
  test("defer() starts, polls until done and wraps the response", async () => {
    const chat = env.client.chat.create({ model: "grok-3", messages: [user("Take your time")] });
    const progress: number[] = [];
    const response = await chat.defer({ pollInterval: 5, onProgress: (p) => progress.push(p.polls) });
    assert.ok(response.content.length > 0);
    const methods = env.emulator.calls.map((c) => c.method.replace("/xai_api.Chat/", ""));
    assert.deepEqual(methods, [
      "StartDeferredCompletion",
      "GetDeferredCompletion",
      "GetDeferredCompletion",
      "GetDeferredCompletion",
    ]);
    assert.deepEqual(progress, [1, 2]);
    assert.equal(lastRequest("/xai_api.Chat/StartDeferredCompletion").n, 1);
  });

  test("deferBatch(n) returns one response per answer", async () => {
    const responses = await env.client.chat
      .create({ model: "grok-3", messages: [user("Two ideas please")] })
      .deferBatch(2, { pollInterval: 5 });
    assert.equal(responses.length, 2);
    assert.equal(lastRequest("/xai_api.Chat/StartDeferredCompletion").n, 2);
  });

  test("a wait that outlives its timeout rejects with PollTimeoutError", async () => {
    await withEmulator({ deferredPolls: 1_000_000 }, async ({ client: c }) => {
      await assert.rejects(
        c.chat.create({ model: "grok-3", messages: [user("x")] }).defer({ pollInterval: 5, timeout: 60 }),
        PollTimeoutError,
      );
    });
  });

  test("FAILED and EXPIRED statuses reject with DeferredCompletionError", async () => {
    for (const [status, name] of [
      [DeferredStatus.FAILED, "failed"],
      [DeferredStatus.EXPIRED, "expired"],
    ] as const) {
      await withEmulator(
        {
          services: [
            (ctx) => {
              const base = chatService(ctx);
              return register(Chat, {
                ...(base.impl as unknown as Parameters<typeof register<typeof Chat>>[1]),
                getDeferredCompletion: () => ({ status }),
              });
            },
          ],
        },
        async ({ client: c }) => {
          const err = await c.chat
            .create({ model: "grok-3", messages: [user("x")] })
            .defer({ pollInterval: 5 })
            .then(
              () => assert.fail("expected a rejection"),
              (e: unknown) => e,
            );
          assert.ok(err instanceof DeferredCompletionError);
          assert.equal(err.status, name);
          assert.match(err.requestId, /\S/);
        },
      );
    }
  });
});

describe("per-call options and errors", () => {
  test("metadata reaches the server; server errors are typed", async () => {
    const chat = env.client.chat.create({ model: "grok-3", messages: [user("x")] });
    await chat.sample({ metadata: { "x-trace": "t-1" } });
    assert.equal(env.emulator.calls.at(-1)?.headers["x-trace"], "t-1");
    env.emulator.script.chat({ kind: "error", code: Code.RESOURCE_EXHAUSTED, details: "slow down" });
    await assert.rejects(
      chat.sample(),
      (err: unknown) => err instanceof RateLimitError && /slow down/.test(err.message),
    );
  });

  test("an aborted signal and bad input fail before any call", async () => {
    const chat = env.client.chat.create({ model: "grok-3", messages: [user("x")] });
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(chat.sample({ signal: controller.signal }), UserAbortError);
    await assert.rejects(chat.sample({ timeout: -1 }), XaiInputError);
    await assert.rejects(env.client.chat.create({ model: "grok-3" }).sample(), /the chat has no messages/);
    await assert.rejects(chat.sampleBatch(0), /n must be between 1 and 128/);
    assert.equal(env.emulator.calls.length, 0);
  });

  test("a per-call timeout ends a slow call with DeadlineExceededError", async () => {
    env.emulator.faults.latency(2_000, "Chat/GetCompletion");
    const chat = env.client.chat.create({ model: "grok-3", messages: [user("x")] });
    await assert.rejects(chat.sample({ timeout: 50 }), DeadlineExceededError);
  });

  test("an unknown model is NotFoundError", async () => {
    await assert.rejects(
      env.client.chat.create({ model: "grok-99", messages: [user("x")] }).sample(),
      NotFoundError,
    );
  });

  test("a tool result answering a call is sent with its id", async () => {
    const chat = env.client.chat.create({ model: "grok-3", messages: [user("x")] });
    chat.append(toolResult({ ok: true }, "call_9"));
    await chat.sample().catch(() => undefined);
    const sent = lastRequest().messages[1];
    assert.equal(sent.role, MessageRole.ROLE_TOOL);
    assert.equal(sent.toolCallId, "call_9");
  });
});
