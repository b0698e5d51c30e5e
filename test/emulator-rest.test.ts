// The emulator's REST face (xAI's REST API on its HTTP port) driven by the real openai-node and @ai-sdk/xai
// packages over HTTP on loopback: the same engine, keys, call log, faults and scripted replies as gRPC.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { createXai } from "@ai-sdk/xai";
import { create } from "@bufbuild/protobuf";
import { generateText, jsonSchema, Output, stepCountIs, streamText, tool } from "ai";
import OpenAI from "openai";
import { ChatCompletionStream } from "openai/lib/ChatCompletionStream";
import { z } from "zod";
import {
  GetChatCompletionChunkSchema,
  type GetCompletionsRequest,
  MessageRole,
} from "../src/gen/xai/api/v1/chat_pb.js";
import { FinishReason } from "../src/gen/xai/api/v1/sample_pb.js";
import { Client, user } from "../src/index.js";
import { startBlobServer } from "../src/testing/http.js";
import { Code, type Emulator, REST_ROUTES, startEmulator } from "../src/testing/index.js";
import {
  chatChunkJson,
  functionCallInit,
  headerOf,
  type StreamHeader,
  ToolCallIndexes,
} from "../src/testing/rest/chat-completions.js";

let emulator: Emulator;
let openai: OpenAI;
let xai: ReturnType<typeof createXai>;

before(async () => {
  emulator = await startEmulator();
  // No retries: each test sees exactly what the emulator answered.
  openai = new OpenAI({ apiKey: emulator.apiKey, baseURL: emulator.restBaseUrl, maxRetries: 0 });
  xai = createXai({ apiKey: emulator.apiKey, baseURL: emulator.restBaseUrl });
});
after(() => emulator?.stop());
beforeEach(() => emulator.reset());

const rest = (path: string, init: RequestInit = {}) =>
  fetch(`${emulator.restBaseUrl}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${emulator.apiKey}`,
      "content-type": "application/json",
      ...init.headers,
    },
  });

describe("the REST base URL", () => {
  test("is the HTTP endpoint's /v1, and every route names gRPC methods the emulator serves", () => {
    assert.equal(emulator.restBaseUrl, `${emulator.httpUrl}/v1`);
    assert.match(emulator.restBaseUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    for (const route of REST_ROUTES) {
      for (const method of route.grpc) emulator.faults.latency(0, method); // throws for an unknown method
    }
  });
});

describe("chat completions through openai-node", () => {
  test("a completion: the engine's reply, usage with reasoning tokens, logged as Chat/GetCompletion", async () => {
    const completion = await openai.chat.completions.create({
      model: "grok-4",
      messages: [{ role: "user", content: "Hello there" }],
      reasoning_effort: "high",
    } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    assert.equal(completion.object, "chat.completion");
    assert.equal(completion.model, "grok-4");
    const choice = completion.choices[0];
    assert.equal(choice?.finish_reason, "stop");
    assert.ok(
      choice?.message.content && choice.message.content.length > 0,
      "choice?.message.content && choice.message.content.length > 0",
    );
    const usage = completion.usage;
    const reasoningTokens = usage?.completion_tokens_details?.reasoning_tokens ?? 0;
    assert.ok(usage && reasoningTokens > 0, "usage && reasoningTokens > 0");
    assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens + reasoningTokens);

    // The same engine: the gRPC SDK gets the same text for the same request.
    const client = new Client(emulator.clientOptions());
    try {
      const grpc = await client.chat
        .create({ model: "grok-4", messages: [user("Hello there")], reasoningEffort: "high" })
        .sample();
      assert.equal(grpc.content, choice.message.content);
    } finally {
      client.close();
    }
    const record = emulator.calls[0];
    assert.equal(record?.method, "/xai_api.Chat/GetCompletion");
    assert.equal(record?.route, "POST /v1/chat/completions");
    assert.equal(record?.status, 0);
    assert.equal(record?.headers.authorization, "Bearer xai-****0001");
    assert.equal((record?.request as { model?: string } | undefined)?.model, "grok-4");
  });

  test("a stream: SSE chunks ending with [DONE], logged as Chat/GetCompletionChunk", async () => {
    const stream = await openai.chat.completions.create({
      model: "grok-3",
      messages: [{ role: "user", content: "#chunks 500" }],
      stream: true,
    });
    let text = "";
    let chunks = 0;
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      chunks++;
      assert.equal(chunk.object, "chat.completion.chunk");
      assert.ok(chunk.id, "chunk.id");
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    assert.equal(chunks, 500);
    assert.ok(
      text.startsWith("0 1 2 ") && text.endsWith("498 499 "),
      'text.startsWith("0 1 2 ") && text.endsWith("498 499 ")',
    );
    assert.equal(finish, "stop");
    assert.ok(usage && usage.completion_tokens > 0, "usage && usage.completion_tokens > 0");
    const raw = await (
      await rest("/chat/completions", {
        method: "POST",
        body: JSON.stringify({
          model: "grok-3",
          messages: [{ role: "user", content: "#chunks 3" }],
          stream: true,
        }),
      })
    ).text();
    assert.match(raw, /^data: \{/);
    assert.ok(raw.endsWith("data: [DONE]\n\n"), 'raw.endsWith("data: [DONE]\\n\\n")');
    assert.equal(emulator.calls[0]?.method, "/xai_api.Chat/GetCompletionChunk");
  });

  test("tools: the engine's function calls, and a reply from the tool result", async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "Current weather in a city",
          parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        },
      },
    ];
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: "user", content: "What is the weather in Paris?" },
    ];
    const first = await openai.chat.completions.create({ model: "grok-4", messages, tools });
    const call = first.choices[0]?.message.tool_calls?.[0];
    assert.equal(first.choices[0]?.finish_reason, "tool_calls");
    assert.ok(call && call.type === "function", 'call && call.type === "function"');
    assert.equal(call.function.name, "get_weather");
    assert.deepEqual(JSON.parse(call.function.arguments), { city: "Paris" });
    const second = await openai.chat.completions.create({
      model: "grok-4",
      tools,
      messages: [
        ...messages,
        first.choices[0]?.message as OpenAI.ChatCompletionMessageParam,
        { role: "tool", tool_call_id: call.id, content: JSON.stringify({ temperature: 21, unit: "C" }) },
      ],
    });
    assert.equal(second.choices[0]?.finish_reason, "stop");
    assert.match(second.choices[0]?.message.content ?? "", /21/);
  });

  test("streamed tool_calls[].index counts a choice's calls over the whole stream (calls in separate chunks)", async () => {
    // The engine sends a reply's calls in one chunk, so this renders chunks that split them, directly.
    const call = (id: string, city: string) => functionCallInit(id, "get_weather", JSON.stringify({ city }));
    const chunks = [
      create(GetChatCompletionChunkSchema, {
        id: "split",
        model: "grok-4",
        outputs: [
          { index: 0, delta: { role: MessageRole.ROLE_ASSISTANT, toolCalls: [call("call_a", "Paris")] } },
          { index: 1, delta: { role: MessageRole.ROLE_ASSISTANT, toolCalls: [call("call_c", "Oslo")] } },
        ],
      }),
      create(GetChatCompletionChunkSchema, {
        outputs: [
          { index: 0, delta: { role: MessageRole.ROLE_ASSISTANT, toolCalls: [call("call_b", "Rome")] } },
        ],
      }),
      create(GetChatCompletionChunkSchema, {
        outputs: [0, 1].map((index) => ({
          index,
          delta: { role: MessageRole.ROLE_ASSISTANT },
          finishReason: FinishReason.REASON_TOOL_CALLS,
        })),
      }),
    ];
    const indexes = new ToolCallIndexes();
    let header: StreamHeader | undefined;
    const frames = chunks.map((chunk) => {
      header = headerOf(chunk, header);
      return chatChunkJson(chunk, header, indexes);
    });
    type Frame = { choices: { index: number; delta: { tool_calls?: { index: number; id: string }[] } }[] };
    assert.deepEqual(
      (frames as Frame[]).flatMap((f) =>
        f.choices.flatMap((c) => (c.delta.tool_calls ?? []).map((t) => [c.index, t.index, t.id])),
      ),
      [
        [0, 0, "call_a"],
        [1, 0, "call_c"],
        [0, 1, "call_b"],
      ],
    );
    // openai-node accumulates the deltas by that index: both calls of choice 0 survive, unmerged.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const frame of frames)
          controller.enqueue(new TextEncoder().encode(`${JSON.stringify(frame)}\n`));
        controller.close();
      },
    });
    const final = await ChatCompletionStream.fromReadableStream(body).finalChatCompletion();
    const calls = final.choices.find((c) => c.index === 0)?.message.tool_calls ?? [];
    assert.deepEqual(
      calls.map((c) => (c.type === "function" ? [c.id, JSON.parse(c.function.arguments).city] : [])),
      [
        ["call_a", "Paris"],
        ["call_b", "Rome"],
      ],
    );
  });

  test("response_format json_schema: content that parses and matches the schema", async () => {
    const completion = await openai.chat.completions.create({
      model: "grok-4",
      messages: [{ role: "user", content: "Describe a cat" }],
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "animal",
          strict: true,
          schema: {
            type: "object",
            properties: { name: { type: "string" }, legs: { type: "integer", minimum: 0, maximum: 8 } },
            required: ["name", "legs"],
            additionalProperties: false,
          },
        },
      },
    });
    const value = z
      .object({ name: z.string(), legs: z.number().int().min(0).max(8) })
      .strict()
      .parse(JSON.parse(completion.choices[0]?.message.content ?? ""));
    assert.equal(typeof value.name, "string");
  });

  test("a scripted reply, as for gRPC", async () => {
    emulator.script.chat({ kind: "text", content: "Scripted over REST" });
    const completion = await openai.chat.completions.create({
      model: "grok-4",
      messages: [{ role: "user", content: "anything" }],
    });
    assert.equal(completion.choices[0]?.message.content, "Scripted over REST");
    assert.equal(emulator.script.pendingChatReplies, 0);
  });
});

describe("errors as xAI's REST errors", () => {
  test("a wrong key: 401 with { code, error }, the key redacted", async () => {
    const wrong = new OpenAI({
      apiKey: "xai-wrong-key-123456",
      baseURL: emulator.restBaseUrl,
      maxRetries: 0,
    });
    const error = await wrong.chat.completions
      .create({ model: "grok-4", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    assert.ok(error instanceof OpenAI.AuthenticationError, String(error));
    assert.equal(error.status, 401);
    assert.match(String(error.error), /Incorrect API key provided: xai-\*\*\*\*3456/);
    assert.doesNotMatch(error.message, /wrong-key-123456/);
    const raw = await rest("/models", { headers: { authorization: "Bearer nope-nope" } });
    assert.equal(raw.status, 401);
    const body = (await raw.json()) as { code: string; error: string };
    assert.equal(body.code, "The request does not have valid authentication credentials");
    assert.match(body.error, /Incorrect API key/);
    assert.equal(emulator.calls.at(-1)?.status, Code.UNAUTHENTICATED);
  });

  test("an unknown model: 404", async () => {
    const error = await openai.chat.completions
      .create({ model: "grok-9000", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    assert.ok(error instanceof OpenAI.NotFoundError, String(error));
    assert.match(String(error.error), /grok-9000/);
  });

  test("a bad body: 400 naming the field", async () => {
    const response = await rest("/chat/completions", {
      method: "POST",
      body: JSON.stringify({
        model: "grok-4",
        messages: [{ role: "user", content: "hi" }],
        temperature: "hot",
      }),
    });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { error: string }).error, /temperature must be a number/);
    const notJson = await rest("/chat/completions", { method: "POST", body: "{" });
    assert.equal(notJson.status, 400);
  });

  test("a malformed percent-escape in a path: 400 { code, error } (no key needed), and the emulator lives on", async () => {
    for (const path of ["/models/%E0%A4%A", "/models/50%", "/responses/%zz"]) {
      const response = await fetch(`${emulator.restBaseUrl}${path}`); // unauthenticated
      assert.equal(response.status, 400, path);
      const body = (await response.json()) as { code: string; error: string };
      assert.equal(body.code, "Client specified an invalid argument");
      assert.match(body.error, /not valid percent-encoding.*%25/);
    }
    // A literal % in a model id, encoded by openai-node as %25: an ordinary 404 naming the id.
    const missing = await openai.models.retrieve("grok-4%beta").catch((e: unknown) => e);
    assert.ok(missing instanceof OpenAI.NotFoundError, String(missing));
    assert.match(JSON.stringify(missing.error), /grok-4%beta/);
    assert.equal((await openai.models.retrieve("grok-4")).id, "grok-4");
  });

  test("a REST handler that fails past its own error handling answers 500 (or cuts the connection), the server lives on", async () => {
    let how: "reject" | "throw" | "mid-answer" = "reject";
    const http = await startBlobServer(
      "127.0.0.1",
      () => undefined,
      (_request, response) => {
        if (how === "throw") throw new Error("a synchronous bug");
        if (how === "mid-answer") {
          response.writeHead(200, { "content-type": "text/event-stream" });
          response.write("data: {}\n\n");
        }
        return Promise.reject(new Error("an asynchronous bug"));
      },
    );
    try {
      for (const kind of ["reject", "throw"] as const) {
        how = kind;
        const response = await fetch(`${http.url}/v1/anything`);
        assert.equal(response.status, 500, kind);
        const body = (await response.json()) as { code: string; error: string };
        assert.equal(body.code, "Internal error");
        assert.match(body.error, /bug/);
      }
      how = "mid-answer";
      const cut = await fetch(`${http.url}/v1/anything`);
      assert.equal(cut.status, 200);
      await assert.rejects(cut.text());
      assert.equal((await fetch(`${http.url}/blob`)).status, 404); // still serving
    } finally {
      await http.close();
    }
  });

  test("faults.failNext on the gRPC method: 429 and 503 through openai-node, then success", async () => {
    emulator.faults.failNext("Chat/GetCompletion", 1, Code.RESOURCE_EXHAUSTED, "Too many requests.");
    emulator.faults.failNext("Chat/GetCompletion", 1, Code.UNAVAILABLE);
    const ask = () =>
      openai.chat.completions
        .create({ model: "grok-4", messages: [{ role: "user", content: "hi" }] })
        .catch((e: unknown) => e);
    const limited = await ask();
    assert.ok(limited instanceof OpenAI.RateLimitError, String(limited));
    assert.equal(String(limited.error), "Too many requests.");
    const unavailable = await ask();
    assert.ok(
      unavailable instanceof OpenAI.InternalServerError && unavailable.status === 503,
      String(unavailable),
    );
    const ok = await ask();
    assert.ok(!(ok instanceof Error), String(ok));
    // openai-node retries 429 and 503 by itself: with its default retries the faults are invisible.
    emulator.faults.failNext("Chat/GetCompletion", 2, Code.UNAVAILABLE);
    const retrying = new OpenAI({
      apiKey: emulator.apiKey,
      baseURL: emulator.restBaseUrl,
      maxRetries: 2,
      timeout: 30_000,
    });
    const retried = await retrying.chat.completions.create({
      model: "grok-4",
      messages: [{ role: "user", content: "hi" }],
    });
    assert.ok(retried.choices[0]?.message.content, "retried.choices[0]?.message.content");
  });

  test("a scripted error, and a stream cut after 2 chunks (an error frame after them)", async () => {
    emulator.script.chat({ kind: "error", code: Code.PERMISSION_DENIED, details: "Not for you." });
    const denied = await openai.chat.completions
      .create({ model: "grok-4", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    assert.ok(denied instanceof OpenAI.PermissionDeniedError, String(denied));

    emulator.faults.cutStream("Chat/GetCompletionChunk", 2, { code: Code.UNAVAILABLE, details: "Cut." });
    const stream = await openai.chat.completions.create({
      model: "grok-3",
      messages: [{ role: "user", content: "#chunks 10" }],
      stream: true,
    });
    let seen = 0;
    const error = await (async () => {
      for await (const _ of stream) seen++;
    })().catch((e: unknown) => e);
    assert.equal(seen, 2);
    assert.ok(error instanceof OpenAI.APIError, String(error));
    assert.match(String(error.message), /Cut\./);
    assert.equal(emulator.calls.at(-1)?.status, Code.UNAVAILABLE);
  });
});

describe("streams that end early", () => {
  test('a "drop" cut closes the connection after the chunks before it', async () => {
    emulator.faults.cutStream("Chat/GetCompletionChunk", 3, "drop");
    const stream = await openai.chat.completions.create({
      model: "grok-3",
      messages: [{ role: "user", content: "#chunks 10" }],
      stream: true,
    });
    let seen = 0;
    const error = await (async () => {
      for await (const _ of stream) seen++;
    })().catch((e: unknown) => e);
    assert.equal(seen, 3);
    // fetch reports the body cut short ("terminated"), not an API error.
    assert.ok(error instanceof TypeError && !(error instanceof OpenAI.APIError), String(error));
    assert.equal(emulator.calls.at(-1)?.status, Code.INTERNAL);
  });

  test("a client that stops reading is recorded as CANCELLED, and an unauthenticated call keeps no body", async () => {
    const controller = new AbortController();
    const stream = await openai.chat.completions.create(
      { model: "grok-3", messages: [{ role: "user", content: "#chunks 1000000" }], stream: true },
      { signal: controller.signal },
    );
    let seen = 0;
    await (async () => {
      for await (const _ of stream) if (++seen === 5) controller.abort();
    })().catch(() => {});
    const record = emulator.calls.at(-1);
    while (record?.status === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(record.status, Code.CANCELLED);

    const wrong = await rest("/chat/completions", {
      method: "POST",
      headers: { authorization: "Bearer xai-not-it" },
      body: JSON.stringify({ model: "grok-4", messages: [{ role: "user", content: "secret prompt" }] }),
    });
    assert.equal(wrong.status, 401);
    assert.equal(emulator.calls.at(-1)?.bodyDropped, true);
  });
});

describe("responses through openai-node", () => {
  test("create (stored), get, continue with previous_response_id, delete", async () => {
    const first = await openai.responses.create({ model: "grok-4", input: "My name is Ada." });
    assert.equal(first.object, "response");
    assert.equal(first.status, "completed");
    assert.ok(first.output_text.length > 0, "first.output_text.length > 0");
    assert.ok(
      first.output.some((item) => item.type === "reasoning"),
      'first.output.some((item) => item.type === "reasoning")',
    );
    assert.ok(
      (first.usage?.output_tokens_details.reasoning_tokens ?? 0) > 0,
      "(first.usage?.output_tokens_details.reasoning_tokens ?? 0) > 0",
    );
    assert.equal(emulator.calls.at(-1)?.method, "/xai_api.Chat/GetCompletion");

    const got = await openai.responses.retrieve(first.id);
    assert.equal(got.id, first.id);
    assert.equal(got.output_text, first.output_text);

    const second = await openai.responses.create({
      model: "grok-4",
      input: "What is my name?",
      previous_response_id: first.id,
    });
    assert.equal(second.previous_response_id, first.id);
    assert.match(second.output_text, /Ada/);

    const deleted = await rest(`/responses/${first.id}`, { method: "DELETE" });
    assert.deepEqual(await deleted.json(), { id: first.id, object: "response", deleted: true });
    const gone = await openai.responses.retrieve(first.id).catch((e: unknown) => e);
    assert.ok(gone instanceof OpenAI.NotFoundError, String(gone));
    assert.equal(emulator.calls.at(-1)?.method, "/xai_api.Chat/GetStoredCompletion");
  });

  test("store: false keeps nothing", async () => {
    const response = await openai.responses.create({ model: "grok-3", input: "hi", store: false });
    assert.equal((response as { store?: boolean }).store, false);
    const gone = await openai.responses.retrieve(response.id).catch((e: unknown) => e);
    assert.ok(gone instanceof OpenAI.NotFoundError, String(gone));
  });

  test("a stream of events ending with response.completed, then stored", async () => {
    const stream = await openai.responses.create({
      model: "grok-4",
      input: "Tell me about owls",
      stream: true,
    });
    const types: string[] = [];
    let text = "";
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.completed") completed = event.response;
    }
    assert.equal(types[0], "response.created");
    assert.ok(
      types.includes("response.reasoning_summary_text.delta"),
      'types.includes("response.reasoning_summary_text.delta")',
    );
    assert.equal(types.at(-1), "response.completed");
    assert.ok(completed, "completed");
    assert.equal(completed.output_text ?? text, text);
    const stored = await openai.responses.retrieve(completed.id);
    assert.equal(stored.output_text, text);
  });

  test("function tools over responses", async () => {
    const response = await openai.responses.create({
      model: "grok-4",
      input: "What is the weather in Tokyo?",
      tools: [
        {
          type: "function",
          name: "get_weather",
          description: "Current weather in a city",
          parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
          strict: true,
        },
      ],
    });
    const call = response.output.find((item) => item.type === "function_call");
    assert.ok(call && call.type === "function_call", 'call && call.type === "function_call"');
    assert.equal(call.name, "get_weather");
    assert.deepEqual(JSON.parse(call.arguments), { city: "Tokyo" });
  });
});

describe("responses: continuing a tool loop by passing the output back as input", () => {
  const tools: OpenAI.Responses.Tool[] = [
    {
      type: "function",
      name: "get_weather",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      strict: false,
    },
  ];
  /** The messages the engine got in the last call. */
  const sentMessages = () => {
    const record = emulator.calls.at(-1);
    assert.ok(record, "a call was logged");
    return (record.request as GetCompletionsRequest).messages;
  };
  /** The output items passed back as input (what openai-node's docs do), and a result for each call. */
  const continuation = (output: OpenAI.Responses.ResponseOutputItem[]) => [
    ...(output as OpenAI.Responses.ResponseInputItem[]),
    ...outputsFor(output),
  ];
  const outputsFor = (output: OpenAI.Responses.ResponseOutputItem[]) =>
    output.flatMap((item): OpenAI.Responses.ResponseInputItem[] =>
      item.type === "function_call"
        ? [{ type: "function_call_output", call_id: item.call_id, output: `sunny in ${item.arguments}` }]
        : [],
    );

  test("reasoning and function_call items become one assistant message (openai-node)", async () => {
    const input: OpenAI.Responses.ResponseInputItem[] = [
      { role: "user", content: "What is the weather in Paris?" },
    ];
    const first = await openai.responses.create({ model: "grok-4", input, tools, store: false });
    assert.deepEqual(
      first.output.map((item) => item.type),
      ["reasoning", "function_call"],
    );
    input.push(...continuation(first.output));
    const second = await openai.responses.create({ model: "grok-4", input, tools, store: false });
    assert.match(second.output_text, /sunny/);
    const messages = sentMessages();
    assert.deepEqual(
      messages.map((m) => m.role),
      [MessageRole.ROLE_USER, MessageRole.ROLE_ASSISTANT, MessageRole.ROLE_TOOL],
    );
    assert.equal(messages[1]?.toolCalls.length, 1);
    assert.ok(messages[1]?.reasoningContent, "the reasoning summary is kept on the assistant message");
  });

  test("with encrypted reasoning and two calls: one assistant message with both calls", async () => {
    const input: OpenAI.Responses.ResponseInputItem[] = [
      { role: "user", content: "What is the weather in Paris and in Rome?" },
    ];
    const first = await openai.responses.create({
      model: "grok-4",
      input,
      tools,
      store: false,
      include: ["reasoning.encrypted_content"],
    });
    assert.deepEqual(
      first.output.map((item) => item.type),
      ["reasoning", "function_call", "function_call"],
    );
    input.push(...continuation(first.output));
    await openai.responses.create({ model: "grok-4", input, tools, store: false });
    const messages = sentMessages();
    assert.deepEqual(
      messages.map((m) => m.role),
      [MessageRole.ROLE_USER, MessageRole.ROLE_ASSISTANT, MessageRole.ROLE_TOOL, MessageRole.ROLE_TOOL],
    );
    assert.equal(messages[1]?.toolCalls.length, 2);
    assert.ok(messages[1]?.encryptedContent, "messages[1]?.encryptedContent");
  });

  test("a reasoning item that carries nothing is dropped; an assistant message after it joins its turn", async () => {
    const empty = { type: "reasoning" as const, id: "rs_1", summary: [] };
    await openai.responses.create({
      model: "grok-4",
      store: false,
      input: [
        { role: "user", content: "Hello" },
        empty,
        { role: "assistant", content: "Hi! How can I help?" },
        empty,
        { role: "user", content: "Tell me about owls" },
      ],
    });
    const messages = sentMessages();
    assert.deepEqual(
      messages.map((m) => m.role),
      [MessageRole.ROLE_USER, MessageRole.ROLE_ASSISTANT, MessageRole.ROLE_USER],
    );
    assert.equal(messages[1]?.content[0]?.content.value, "Hi! How can I help?");
  });

  test("@ai-sdk/xai xai.responses: a tool loop (generateText and streamText, stopWhen)", async () => {
    const weather = tool({
      description: "Current weather in a city",
      inputSchema: z.object({ city: z.string() }),
      execute: async ({ city }) => `sunny in ${city}`,
    });
    const args = {
      model: xai.responses("grok-4"),
      prompt: "What is the weather in Paris?",
      tools: { weather },
      stopWhen: stepCountIs(3),
      maxRetries: 0,
    };
    const generated = await generateText(args);
    assert.equal(generated.steps.length, 2);
    assert.deepEqual(generated.steps[0]?.toolCalls[0]?.input, { city: "Paris" });
    assert.match(generated.text, /sunny in Paris/);
    const streamed = streamText({ ...args, onError: () => {} });
    assert.match(await streamed.text, /sunny in Paris/);
    assert.equal((await streamed.steps).length, 2);
  });
});

describe("models, embeddings, images, tokenize, api-key", () => {
  test("GET /v1/models and /v1/language-models list the catalogue", async () => {
    const ids = (await openai.models.list()).data.map((m) => m.id);
    assert.ok(ids.includes("grok-4") && ids.includes("grok-2-image") && ids.includes("v1"), ids.join());
    const language = (await (await rest("/language-models")).json()) as {
      models: { id: string; aliases: string[] }[];
    };
    assert.ok(
      language.models.some((m) => m.id === "grok-4"),
      'language.models.some((m) => m.id === "grok-4")',
    );
    assert.ok(
      !language.models.some((m) => m.id === "grok-2-image"),
      '!language.models.some((m) => m.id === "grok-2-image")',
    );
    const one = await openai.models.retrieve("grok-4");
    assert.equal(one.id, "grok-4");
  });

  test("every model GET /v1/models lists is retrievable: language, then embedding, then image lookups", async () => {
    const ids = (await openai.models.list()).data.map((m) => m.id);
    for (const id of ids) assert.equal((await openai.models.retrieve(id)).id, id);
    emulator.reset();
    await openai.models.retrieve("v1");
    assert.deepEqual(
      emulator.calls.map((c) => [c.method, c.status, c.route]),
      [
        ["/xai_api.Models/GetLanguageModel", Code.NOT_FOUND, "GET /v1/models/v1"],
        ["/xai_api.Models/GetEmbeddingModel", 0, "GET /v1/models/v1"],
      ],
    );
    // A fault on a later lookup applies; an id no lookup knows keeps the language lookup's error.
    emulator.faults.failNext("Models/GetEmbeddingModel", 1, Code.UNAVAILABLE);
    const failed = await openai.models.retrieve("grok-2-image").catch((e: unknown) => e);
    assert.equal((failed as { status?: number }).status, 503);
    const missing = await openai.models.retrieve("grok-9000").catch((e: unknown) => e);
    assert.equal((missing as { status?: number }).status, 404);
    assert.match(JSON.stringify((missing as { error?: unknown }).error), /grok-9000/);
  });

  test("embeddings: floats (also openai-node's default base64, decoded by it)", async () => {
    const floats = await openai.embeddings.create({
      model: "v1",
      input: ["a cat", "a dog"],
      encoding_format: "float",
    });
    assert.equal(floats.data.length, 2);
    const vector = floats.data[0]?.embedding ?? [];
    assert.ok(
      vector.length > 0 && vector.every((x) => typeof x === "number"),
      'vector.length > 0 && vector.every((x) => typeof x === "number")',
    );
    const decoded = await openai.embeddings.create({ model: "v1", input: ["a cat", "a dog"] });
    assert.deepEqual(
      decoded.data[0]?.embedding.map((x) => Math.fround(x)),
      vector.map((x) => Math.fround(x)),
    );
    assert.ok(floats.usage.prompt_tokens > 0, "floats.usage.prompt_tokens > 0");
  });

  test("images: b64_json and url (the URL served by the emulator)", async () => {
    const b64 = await openai.images.generate({
      model: "grok-2-image",
      prompt: "a red fox",
      response_format: "b64_json",
    });
    const png = Buffer.from(b64.data?.[0]?.b64_json ?? "", "base64");
    assert.equal(png.subarray(1, 4).toString("latin1"), "PNG");
    const byUrl = await openai.images.generate({
      model: "grok-2-image",
      prompt: "a red fox",
      response_format: "url",
      n: 2,
    });
    assert.equal(byUrl.data?.length, 2);
    const fetched = await fetch(byUrl.data?.[0]?.url ?? "");
    assert.equal(fetched.status, 200);
    assert.equal(fetched.headers.get("content-type"), "image/png");
  });

  test("tokenize-text and api-key", async () => {
    const tokens = (await (
      await rest("/tokenize-text", {
        method: "POST",
        body: JSON.stringify({ text: "Hello Grok", model: "grok-4" }),
      })
    ).json()) as { token_ids: { token_id: number; string_token: string }[] };
    assert.ok(tokens.token_ids.length > 0, "tokens.token_ids.length > 0");
    assert.equal(tokens.token_ids.map((t) => t.string_token).join(""), "Hello Grok");
    const key = (await (await rest("/api-key")).json()) as { redacted_api_key: string; acls: string[] };
    assert.equal(key.redacted_api_key, "xai-****0001");
    assert.equal(emulator.calls.at(-1)?.method, "/xai_api.Auth/get_api_key_info");
  });

  test("an unknown route: 404 JSON", async () => {
    const response = await rest("/nothing-here");
    assert.equal(response.status, 404);
    assert.match(
      ((await response.json()) as { error: string }).error,
      /no REST endpoint GET \/v1\/nothing-here/,
    );
  });
});

describe("@ai-sdk/xai against the emulator", () => {
  test("generateText (chat completions) with reasoning", async () => {
    const result = await generateText({ model: xai("grok-4"), prompt: "Hello there", maxRetries: 0 });
    assert.ok(result.text.length > 0, "result.text.length > 0");
    assert.ok(
      (result.usage.outputTokenDetails.reasoningTokens ?? 0) > 0,
      "(result.usage.outputTokenDetails.reasoningTokens ?? 0) > 0",
    );
    assert.equal(emulator.calls.at(-1)?.route, "POST /v1/chat/completions");
  });

  test("streamText: the text of a #chunks stream, and its usage", async () => {
    const result = streamText({ model: xai("grok-3"), prompt: "#chunks 200", maxRetries: 0 });
    let text = "";
    for await (const part of result.textStream) text += part;
    assert.ok(
      text.startsWith("0 1 2 ") && text.endsWith("198 199 "),
      'text.startsWith("0 1 2 ") && text.endsWith("198 199 ")',
    );
    assert.equal(await result.finishReason, "stop");
    assert.ok(((await result.usage).outputTokens ?? 0) > 0, "((await result.usage).outputTokens ?? 0) > 0");
  });

  test("tools: the engine calls the function, the SDK runs it, the engine answers from the result", async () => {
    const result = await generateText({
      model: xai("grok-4"),
      prompt: "What is the weather in Paris?",
      maxRetries: 0,
      tools: {
        get_weather: tool({
          description: "Current weather in a city",
          inputSchema: z.object({ city: z.string() }),
          execute: async ({ city }) => ({ city, temperature: 18 }),
        }),
      },
      stopWhen: ({ steps }) => steps.length >= 2,
    });
    assert.equal(result.steps[0]?.toolCalls[0]?.toolName, "get_weather");
    assert.deepEqual(result.steps[0]?.toolCalls[0]?.input, { city: "Paris" });
    assert.match(result.text, /18/);
  });

  test("structured output (json_schema)", async () => {
    const result = await generateText({
      model: xai("grok-4"),
      prompt: "Describe a cat",
      maxRetries: 0,
      output: Output.object({
        schema: jsonSchema<{ name: string; legs: number }>({
          type: "object",
          properties: { name: { type: "string" }, legs: { type: "integer", minimum: 0, maximum: 8 } },
          required: ["name", "legs"],
          additionalProperties: false,
        }),
      }),
    });
    assert.equal(typeof result.output.name, "string");
    assert.ok(Number.isInteger(result.output.legs), "Number.isInteger(result.output.legs)");
  });

  test("xai.responses: create and stream", async () => {
    const created = await generateText({ model: xai.responses("grok-4"), prompt: "Hello", maxRetries: 0 });
    assert.ok(created.text.length > 0, "created.text.length > 0");
    assert.equal(emulator.calls.at(-1)?.route, "POST /v1/responses");
    const streamed = streamText({ model: xai.responses("grok-3"), prompt: "#chunks 50", maxRetries: 0 });
    let text = "";
    for await (const part of streamed.textStream) text += part;
    assert.ok(text.endsWith("48 49 "), text.slice(-20));
  });

  test("images through the AI SDK's image model", async () => {
    const { generateImage } = await import("ai");
    const result = await generateImage({
      model: xai.image("grok-2-image"),
      prompt: "a red fox",
      maxRetries: 0,
    });
    assert.equal(Buffer.from(result.image.uint8Array).subarray(1, 4).toString("latin1"), "PNG");
  });

  test("a wrong key, an unknown model, a scripted reply and an injected 503", async () => {
    const wrong = createXai({ apiKey: "xai-not-the-key", baseURL: emulator.restBaseUrl });
    const denied = await generateText({ model: wrong("grok-4"), prompt: "hi", maxRetries: 0 }).catch(
      (e: unknown) => e,
    );
    assert.equal((denied as { statusCode?: number }).statusCode, 401);
    const unknown = await generateText({ model: xai("grok-9000"), prompt: "hi", maxRetries: 0 }).catch(
      (e: unknown) => e,
    );
    assert.equal((unknown as { statusCode?: number }).statusCode, 404);
    emulator.script.chat({ kind: "text", content: "Scripted for the AI SDK" });
    const scripted = await generateText({ model: xai("grok-4"), prompt: "hi", maxRetries: 0 });
    assert.equal(scripted.text, "Scripted for the AI SDK");
    emulator.faults.failNext("Chat/GetCompletionChunk", 1, Code.UNAVAILABLE);
    const result = streamText({ model: xai("grok-4"), prompt: "hi", maxRetries: 0, onError: () => {} });
    const parts: string[] = [];
    let failure: unknown;
    for await (const part of result.fullStream) {
      parts.push(part.type);
      if (part.type === "error") failure = part.error;
    }
    assert.equal((failure as { statusCode?: number }).statusCode, 503, parts.join());
    assert.equal((failure as { isRetryable?: boolean }).isRetryable, true);
  });
});
