// Pure parts of the chat SDK: message, tool and search builders, create() options and their checks, the
// request bytes compared with the Python SDK's verified wire encodings, schemas and the partial-JSON parser.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { create, toBinary } from "@bufbuild/protobuf";
import { z } from "zod";
import { ChunkAccumulator, emptyCompletion, TEXT_BATCH } from "../src/chat/accumulator.js";
import { Chat } from "../src/chat/chat.js";
import { INCLUDE_OPTIONS } from "../src/chat/index.js";
import { buildChatSettings, type ChatCreateOptions } from "../src/chat/options.js";
import { parsePartialJson } from "../src/chat/partial-json.js";
import { ChatChunk, ChatResponse } from "../src/chat/response.js";
import { resolveSchema } from "../src/chat/schema.js";
import {
  GetChatCompletionChunkSchema,
  GetCompletionsRequestSchema,
  IncludeOption,
  MessageRole,
  ReasoningEffort,
  SearchParametersSchema,
  SourceSchema,
  ToolCallStatus,
  ToolCallType,
  ToolSchema,
} from "../src/gen/xai/api/v1/chat_pb.js";
import { ImageDetail } from "../src/gen/xai/api/v1/image_pb.js";
import { FinishReason } from "../src/gen/xai/api/v1/sample_pb.js";
import {
  assistant,
  attachmentSearch,
  codeExecution,
  collectionsSearch,
  developer,
  file,
  image,
  imageGeneration,
  mcp,
  newsSource,
  requiredTool,
  rssSource,
  searchParameters,
  system,
  text,
  tool,
  toolResult,
  user,
  webSearch,
  webSource,
  XaiInputError,
  xSearch,
  xSource,
} from "../src/index.js";
import type { Transport } from "../src/transport/transport.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const noTransport = {} as Transport;
const chatOf = (options: ChatCreateOptions) => new Chat(noTransport, buildChatSettings(options));

function throwsInput(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof XaiInputError, `expected XaiInputError, got ${String(err)}`);
    assert.match(err.message, pattern);
    return true;
  });
}

describe("wire encodings match the Python SDK's verified vectors", () => {
  test("sample() request of create('grok-4', temperature=0.5) + user('hi') sends n=1", () => {
    const chat = chatOf({ model: "grok-4", temperature: 0.5, messages: [user("hi")] });
    assert.equal(
      hex(toBinary(GetCompletionsRequestSchema, chat.toRequest())),
      "0a080a040a02686910011206677 26f6b2d344001750000003f".replace(/ /g, ""),
    );
  });
  test("webSearch() and xSearch() defaults send their flags with presence", () => {
    assert.equal(hex(toBinary(ToolSchema, webSearch())), "1a0418002800");
    assert.equal(hex(toBinary(ToolSchema, xSearch())), "220428003000");
  });
  test("searchParameters() and webSource() defaults", () => {
    assert.equal(hex(toBinary(SearchParametersSchema, searchParameters())), "08033801");
    assert.equal(hex(toBinary(SourceSchema, webSource())), "0a022001");
  });
});

describe("message builders", () => {
  test("roles and text content; strings are text parts", () => {
    for (const [build, role] of [
      [user, MessageRole.ROLE_USER],
      [system, MessageRole.ROLE_SYSTEM],
      [developer, MessageRole.ROLE_DEVELOPER],
      [assistant, MessageRole.ROLE_ASSISTANT],
    ] as const) {
      const m = build("a", text("b"));
      assert.equal(m.role, role);
      assert.deepEqual(
        m.content.map((c) => c.content.value),
        ["a", "b"],
      );
    }
    throwsInput(() => user(), /at least one piece of content/);
    throwsInput(() => user(42 as unknown as string), /argument 1 must be a string/);
  });
  test("toolResult carries the call id; objects become JSON", () => {
    const m = toolResult({ celsius: 21 }, "call_1");
    assert.equal(m.role, MessageRole.ROLE_TOOL);
    assert.equal(m.toolCallId, "call_1");
    assert.equal(m.content[0].content.value, '{"celsius":21}');
    assert.equal(toolResult("plain").toolCallId, undefined);
  });
  test("image: URL, data URL, bytes (type sniffed), file id, detail", () => {
    const url = image("https://example.com/a.jpg", { detail: "high" });
    assert.equal(url.content.case, "imageUrl");
    const value = url.content.value as { source: { case: string; value: string }; detail: ImageDetail };
    assert.equal(value.detail, ImageDetail.DETAIL_HIGH);
    assert.equal(value.source.value, "https://example.com/a.jpg");
    const png = image(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    const pngValue = png.content.value as { source: { value: string }; detail: ImageDetail };
    assert.match(pngValue.source.value, /^data:image\/png;base64,iVBORw/);
    assert.equal(pngValue.detail, ImageDetail.DETAIL_AUTO);
    const fromFile = image({ fileId: "file_1" }).content.value as { source: { case: string; value: string } };
    assert.deepEqual([fromFile.source.case, fromFile.source.value], ["fileId", "file_1"]);
    image("data:image/jpeg;base64,/9j/4AAQ");
    throwsInput(
      () => image("https://x/a.png", { detail: "ultra" as "high" }),
      /detail must be "auto", "low" or "high"/,
    );
    throwsInput(() => image("/tmp/cat.png"), /expects an http\(s\) URL/);
    throwsInput(() => image(new Uint8Array([1, 2, 3])), /pass \{ mimeType/);
  });
  test("file: exactly one source; filename and mimeType only inline or by URL", () => {
    const inline = file({ data: "hello", filename: "a.txt", mimeType: "text/plain" }).content.value as {
      data: Uint8Array;
      filename: string;
      mimeType: string;
    };
    assert.equal(Buffer.from(inline.data).toString(), "hello");
    assert.deepEqual([inline.filename, inline.mimeType], ["a.txt", "text/plain"]);
    assert.equal((file({ fileId: "f1" }).content.value as { fileId: string }).fileId, "f1");
    assert.equal((file({ url: "https://x/a.pdf" }).content.value as { url: string }).url, "https://x/a.pdf");
    throwsInput(
      () => file({ fileId: "f", url: "https://x" } as never),
      /exactly one of fileId, data or url, got fileId and url/,
    );
    throwsInput(() => file({ fileId: "f", filename: "a" } as never), /only with data or url/);
  });
});

describe("tool builders", () => {
  test("tool() with a JSON Schema and with zod; requiredTool()", () => {
    const json = tool("get_weather", "Weather", {
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
    });
    assert.equal(json.tool.case, "function");
    const fn = json.tool.value as { name: string; parameters: string };
    assert.equal(
      fn.parameters,
      '{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}',
    );
    const fromZod = tool("get_weather", "Weather", z.object({ city: z.string() })).tool.value as {
      parameters: string;
    };
    const schema = JSON.parse(fromZod.parameters);
    assert.equal(schema.$schema, undefined);
    assert.deepEqual(schema.required, ["city"]);
    assert.equal(requiredTool("get_weather").toolChoice.value, "get_weather");
    throwsInput(() => tool("get weather", "x", {}), /may contain only letters/);
    throwsInput(
      () => tool("f", "x", "nope" as never),
      /must be a zod schema, a Standard JSON Schema or a JSON Schema object/,
    );
    throwsInput(() => tool("f", "x", { type: "object", properties: 3 }), /not a valid JSON Schema/);
  });
  test("server-side tools", () => {
    const web = webSearch({
      allowedDomains: ["x.ai"],
      enableImageSearch: true,
      userLocation: { country: "FR" },
    });
    const wv = web.tool.value as {
      allowedDomains: string[];
      enableImageSearch: boolean;
      userLocation: { country: string };
    };
    assert.deepEqual(wv.allowedDomains, ["x.ai"]);
    assert.equal(wv.enableImageSearch, true);
    assert.equal(wv.userLocation.country, "FR");
    throwsInput(() => webSearch({ allowedDomains: ["a"], excludedDomains: ["b"] }), /not both/);
    throwsInput(() => webSearch({ allowedDomain: ["a"] } as never), /did you mean "allowedDomains"/);
    const x = xSearch({ fromDate: "2025-01-01", allowedXHandles: ["xai"] }).tool.value as {
      fromDate: { seconds: bigint };
    };
    assert.equal(x.fromDate.seconds, BigInt(Date.UTC(2025, 0, 1) / 1000));
    throwsInput(() => xSearch({ fromDate: "not a date" }), /fromDate must be a Date or an ISO 8601 string/);
    assert.equal(codeExecution().tool.case, "codeExecution");
    const col = collectionsSearch(["c1"], { limit: 3, retrievalMode: "semantic" }).tool.value as {
      limit: number;
      retrievalMode: { case: string };
    };
    assert.deepEqual([col.limit, col.retrievalMode.case], [3, "semanticRetrieval"]);
    throwsInput(() => collectionsSearch([]), /at least one collection id/);
    throwsInput(
      () => collectionsSearch(["c"], { retrievalMode: "fuzzy" as "hybrid" }),
      /"hybrid", "semantic" or "keyword"/,
    );
    const m = mcp({ serverUrl: "https://mcp.example.com", authorization: "secret", extraHeaders: { a: "b" } })
      .tool.value as { serverUrl: string; authorization: string; extraHeaders: Record<string, string> };
    assert.deepEqual(
      [m.serverUrl, m.authorization, m.extraHeaders.a],
      ["https://mcp.example.com", "secret", "b"],
    );
    throwsInput(() => mcp({ serverUrl: "ftp://x" }), /http\(s\) URL/);
    assert.equal((imageGeneration({ action: "edit" }).tool.value as { action: string }).action, "edit");
    throwsInput(() => imageGeneration({ action: "paint" as "edit" }), /"auto", "generate" or "edit"/);
    assert.equal((attachmentSearch({ limit: 2 }).tool.value as { limit: number }).limit, 2);
  });
  test("search sources", () => {
    const params = searchParameters({
      mode: "on",
      sources: [
        webSource({ country: "FR", safeSearch: false }),
        newsSource(),
        xSource({ postViewCount: 10 }),
        rssSource(["https://a/feed"]),
      ],
      fromDate: new Date("2025-01-01T00:00:00Z"),
      toDate: "2025-02-01",
      returnCitations: false,
      maxSearchResults: 7,
    });
    assert.deepEqual(
      params.sources.map((s) => s.source.case),
      ["web", "news", "x", "rss"],
    );
    assert.equal(params.mode, 2);
    assert.equal(params.returnCitations, false);
    assert.equal(params.maxSearchResults, 7);
    throwsInput(() => searchParameters({ mode: "always" as "on" }), /mode must be "off", "on" or "auto"/);
    throwsInput(
      () => searchParameters({ fromDate: "2025-03-01", toDate: "2025-01-01" }),
      /fromDate is after toDate/,
    );
    throwsInput(() => searchParameters({ sources: [{}] as never }), /sources\[0\] must be made by webSource/);
    throwsInput(() => rssSource([]), /at least one feed URL/);
    throwsInput(() => xSource({ includedXHandles: ["a"], excludedXHandles: ["b"] }), /not both/);
  });
});

describe("create() options", () => {
  test("INCLUDE_OPTIONS lists every include option, each mapped to a distinct wire value", () => {
    const wire = chatOf({
      model: "grok-4",
      messages: [user("hi")],
      include: [...INCLUDE_OPTIONS],
    }).toRequest().include;
    const known = Object.values(IncludeOption).filter(
      (v) => typeof v === "number" && v !== IncludeOption.INVALID,
    );
    assert.deepEqual(new Set(wire), new Set(known));
    assert.equal(wire.length, INCLUDE_OPTIONS.length);
  });

  test("every option lands on its request field", () => {
    const weather = tool("get_weather", "Weather", { type: "object", properties: {} });
    const chat = chatOf({
      model: "grok-4",
      messages: [user("hi")],
      user: "u-1",
      maxTokens: 100,
      seed: 7,
      stop: ["END"],
      temperature: 0.3,
      topP: 0.9,
      logprobs: true,
      topLogprobs: 3,
      tools: [weather, webSearch()],
      toolChoice: { function: "get_weather" },
      parallelToolCalls: false,
      responseFormat: "json_object",
      frequencyPenalty: 0.5,
      presencePenalty: -0.5,
      reasoningEffort: "xhigh",
      searchParameters: { mode: "off" },
      storeMessages: true,
      previousResponseId: "resp_1",
      useEncryptedContent: true,
      maxTurns: 4,
      include: ["inline_citations", "verbose_streaming", "code_execution_files_output"],
      agentCount: 16,
      serviceTier: "priority",
      conversationId: "conv-9",
      batchRequestId: "b-1",
    });
    const r = chat.toRequest();
    assert.equal(r.n, 1);
    assert.equal(r.user, "u-1");
    assert.equal(r.maxTokens, 100);
    assert.equal(r.seed, 7);
    assert.deepEqual(r.stop, ["END"]);
    assert.ok(Math.abs((r.temperature ?? 0) - 0.3) < 1e-6);
    assert.equal(r.logprobs, true);
    assert.equal(r.topLogprobs, 3);
    assert.equal(r.tools.length, 2);
    assert.equal(r.toolChoice?.toolChoice.value, "get_weather");
    assert.equal(r.parallelToolCalls, false);
    assert.equal(r.responseFormat?.formatType, 2);
    assert.equal(r.reasoningEffort, ReasoningEffort.EFFORT_XHIGH);
    assert.equal(r.searchParameters?.mode, 1);
    assert.equal(r.storeMessages, true);
    assert.equal(r.previousResponseId, "resp_1");
    assert.equal(r.useEncryptedContent, true);
    assert.equal(r.maxTurns, 4);
    assert.deepEqual(r.include, [
      IncludeOption.INLINE_CITATIONS,
      IncludeOption.VERBOSE_STREAMING,
      IncludeOption.CODE_EXECUTION_FILES_OUTPUT,
    ]);
    assert.equal(r.agentCount, 2);
    assert.equal(r.serviceTier, 2);
    assert.equal(chat.conversationId, "conv-9");
    assert.equal(chat.batchRequestId, "b-1");
    assert.equal(chat.toRequest(3).n, 3);
  });
  test("unset options stay unset on the wire", () => {
    const r = chatOf({ model: "grok-3", messages: [user("x")] }).toRequest();
    for (const key of [
      "maxTokens",
      "seed",
      "temperature",
      "topP",
      "topLogprobs",
      "reasoningEffort",
      "agentCount",
      "maxTurns",
    ]) {
      assert.equal(r[key as keyof typeof r], undefined, key);
    }
  });
  test("bad values are XaiInputErrors naming the value and the accepted ones", () => {
    const cases: [Partial<ChatCreateOptions> | Record<string, unknown>, RegExp][] = [
      [{ model: "" }, /model must not be empty/],
      [
        { model: "grok-4", reasoningEffort: "max" },
        /reasoningEffort must be "none", "low", "medium", "high" or "xhigh", got "max"/,
      ],
      [{ model: "grok-4", toolChoice: "sometimes" }, /toolChoice must be "auto", "none" or "required"/],
      [
        { model: "grok-4", tools: [tool("a", "", {})], toolChoice: { function: "b" } },
        /names the function "b", which is not among the tools/,
      ],
      [
        { model: "grok-4", responseFormat: "json_schema" },
        /responseFormat must be "text", "json_object" or a schema/,
      ],
      [{ model: "grok-4", agentCount: 8 }, /agentCount must be 4 or 16, got 8/],
      [{ model: "grok-4", serviceTier: "flex" }, /serviceTier must be "default" or "priority"/],
      [{ model: "grok-4", include: ["everything"] }, /include\[0\] must be "web_search_call_output"/],
      [{ model: "grok-4", temperature: 3 }, /temperature must be between 0 and 2, got 3/],
      [{ model: "grok-4", topP: -0.1 }, /topP must be between 0 and 1/],
      [{ model: "grok-4", maxTokens: 0 }, /maxTokens must be at least 1/],
      [{ model: "grok-4", maxTokens: 1.5 }, /maxTokens must be an integer/],
      [{ model: "grok-4", topLogprobs: 2 }, /topLogprobs needs logprobs: true/],
      [{ model: "grok-4", stop: [""] }, /stop must be a non-empty string/],
      [{ model: "grok-4", messages: [42] }, /messages\[0\] must be a string \(a user message\), \{ role: /],
      [{ model: "grok-4", tools: [tool("a", "", {}), tool("a", "", {})] }, /two functions named "a"/],
      [{ model: "grok-4", max_tokens: 5 }, /no option "max_tokens"; did you mean "maxTokens"\?/],
      [{ model: "grok-4", logprobs: "yes" }, /logprobs must be true or false/],
    ];
    for (const [options, pattern] of cases)
      throwsInput(() => buildChatSettings(options as ChatCreateOptions), pattern);
  });
  test("responseFormat with a schema sends JSON_SCHEMA", () => {
    const r = chatOf({
      model: "grok-4",
      messages: [user("x")],
      responseFormat: z.object({ a: z.number() }),
    }).toRequest();
    assert.equal(r.responseFormat?.formatType, 3);
    assert.deepEqual(JSON.parse(r.responseFormat?.schema ?? "").required, ["a"]);
  });
  test("a chat without messages cannot be sent", () => {
    throwsInput(() => chatOf({ model: "grok-4" }).toRequest(), /the chat has no messages/);
  });
  test("toRequest() is a copy", () => {
    const chat = chatOf({ model: "grok-4", messages: [user("a")] });
    const r = chat.toRequest();
    r.messages.push(user("b"));
    r.model = "other";
    assert.equal(chat.messages.length, 1);
    assert.equal(chat.model, "grok-4");
  });
  test("append() rejects what it cannot replay", () => {
    const chat = chatOf({ model: "grok-4" });
    throwsInput(() => chat.append(42 as never), /append\(\) argument 1 must be a string \(a user message\)/);
    throwsInput(() => chat.append({ role: 1 } as never), /append\(\) argument 1\.role must be "user"/);
    assert.equal(chat.append(user("a"), user("b")).messages.length, 2);
  });
});

describe("schemas", () => {
  test("zod: JSON Schema for the wire, validation with transforms", async () => {
    const resolved = resolveSchema("s", z.object({ n: z.string().transform((s) => s.length) }));
    assert.equal(resolved.jsonSchema.type, "object");
    assert.deepEqual(await resolved.validate({ n: "abc" }), { ok: true, value: { n: 3 } });
    const bad = await resolved.validate({ n: 1 });
    assert.equal(bad.ok, false);
    assert.deepEqual(bad.ok ? [] : bad.issues[0].path, ["n"]);
  });
  test("raw JSON Schema validated with ajv", async () => {
    const resolved = resolveSchema("s", {
      type: "object",
      properties: { days: { type: "array", items: { type: "integer" } } },
      required: ["days"],
      additionalProperties: false,
    });
    assert.equal((await resolved.validate({ days: [1, 2] })).ok, true);
    const bad = await resolved.validate({ days: [1, "x"], extra: true });
    assert.equal(bad.ok, false);
    const paths = bad.ok ? [] : bad.issues.map((i) => i.path);
    assert.deepEqual(paths, [[], ["days", 1]]);
  });
  test("a Standard Schema without JSON Schema support is refused with a hint", () => {
    const fake = { "~standard": { version: 1, vendor: "valibot", validate: () => ({ value: 1 }) } };
    throwsInput(() => resolveSchema("parse() schema", fake), /does not implement Standard JSON Schema/);
    const zod3 = { "~standard": { version: 1, vendor: "zod", validate: () => ({ value: 1 }) } };
    throwsInput(() => resolveSchema("parse() schema", zod3), /zod 3 schemas cannot describe themselves/);
  });
});

describe("parsePartialJson", () => {
  const cases: [string, unknown][] = [
    ["", undefined],
    ["{", {}],
    ['{"city": "Par', { city: "Par" }],
    ['{"city": "Paris", "te', { city: "Paris" }],
    ['{"city": "Paris", "temp":', { city: "Paris" }],
    ['{"temps": [12, 1', { temps: [12, 1] }],
    ['{"temps": [12.', { temps: [12] }],
    ['{"ok": tr', {}],
    ['{"ok": true, "n": null', { ok: true, n: null }],
    ['{"a": {"b": [{"c": "x\\n', { a: { b: [{ c: "x\n" }] } }],
    ['{"s": "caf\\u00e', { s: "caf" }],
    ['{"s": "a\\', { s: "a" }],
    ["[1, 2, 3]", [1, 2, 3]],
    ["-", undefined],
    ['{"a": 1} trailing', undefined],
    ["not json", undefined],
  ];
  for (const [input, expected] of cases) {
    test(JSON.stringify(input), () => assert.deepEqual(parsePartialJson(input), expected));
  }
  test("every prefix of a document parses to a prefix-consistent value", () => {
    const doc = JSON.stringify({
      title: "Soup",
      steps: ["boil", "eat"],
      serves: 4,
      vegan: true,
      notes: null,
    });
    for (let i = 0; i <= doc.length; i++) assert.doesNotThrow(() => parsePartialJson(doc.slice(0, i)));
    assert.deepEqual(parsePartialJson(doc), JSON.parse(doc));
  });
});

describe("stream accumulation (pure)", () => {
  const chunk = (init: Parameters<typeof create<typeof GetChatCompletionChunkSchema>>[1]) =>
    create(GetChatCompletionChunkSchema, init);

  test("a chunk changes only what it carries (Python quirk Q2 decided)", () => {
    const proto = emptyCompletion(1);
    const response = new ChatResponse(proto, 0);
    const accumulator = new ChunkAccumulator(proto);
    accumulator.add(
      chunk({
        id: "r1",
        model: "m",
        systemFingerprint: "fp",
        outputs: [{ index: 0, delta: { role: MessageRole.ROLE_ASSISTANT, content: "Hel" } }],
      }),
    );
    accumulator.add(chunk({ outputs: [{ index: 0, delta: { content: "lo" } }], citations: ["https://a"] }));
    accumulator.add(
      chunk({
        outputs: [
          {
            index: 0,
            delta: { content: "!" },
            finishReason: FinishReason.REASON_STOP,
            logprobs: { content: [{ token: "!" }] },
          },
        ],
        citations: ["https://a", "https://b"],
        usage: { totalTokens: 9 },
      }),
    );
    accumulator.add(chunk({ usage: { totalTokens: 12 } }));
    assert.equal(response.content, "Hello!");
    assert.equal(response.role, "assistant");
    assert.equal(response.finishReason, "stop");
    assert.deepEqual([response.id, response.model, response.systemFingerprint], ["r1", "m", "fp"]);
    assert.deepEqual(response.citations, ["https://a", "https://b"]);
    assert.equal(response.usage?.totalTokens, 12);
    assert.equal(response.logprobs.length, 1);
  });

  test("text stays current after every chunk across batch joins, for every output and text field", () => {
    const proto = emptyCompletion(2);
    const accumulator = new ChunkAccumulator(proto);
    const expected = { content: ["", ""], reasoning: ["", ""] };
    const chunks = TEXT_BATCH * 2 + 7;
    for (let i = 0; i < chunks; i++) {
      const index = i % 3 === 0 ? 1 : 0;
      const delta = { content: `c${i};`, reasoningContent: i % 2 ? `r${i}.` : "" };
      accumulator.add(chunk({ outputs: [{ index, delta }] }));
      expected.content[index] += delta.content;
      expected.reasoning[index] += delta.reasoningContent;
      for (const k of [0, 1]) {
        const message = proto.outputs[k]?.message;
        assert.equal(message?.content ?? "", expected.content[k], `content ${k} after chunk ${i}`);
        assert.equal(
          message?.reasoningContent ?? "",
          expected.reasoning[k],
          `reasoning ${k} after chunk ${i}`,
        );
      }
    }
  });

  test("a text field changed from outside keeps the change and goes on accumulating", () => {
    const proto = emptyCompletion(1);
    const accumulator = new ChunkAccumulator(proto);
    for (let i = 0; i < TEXT_BATCH - 1; i++)
      accumulator.add(chunk({ outputs: [{ index: 0, delta: { content: "a" } }] }));
    const message = proto.outputs[0].message;
    assert.ok(message);
    message.content = "replaced";
    for (let i = 0; i < 3; i++) accumulator.add(chunk({ outputs: [{ index: 0, delta: { content: "b" } }] }));
    assert.equal(message.content, "replacedbbb");
    // A change that keeps the length is kept too, across the next join.
    message.content = message.content.toUpperCase();
    for (let i = 0; i < TEXT_BATCH; i++)
      accumulator.add(chunk({ outputs: [{ index: 0, delta: { content: "c" } }] }));
    assert.equal(message.content, `REPLACEDBBB${"c".repeat(TEXT_BATCH)}`);
  });

  test("a tool call streamed again with its id replaces the earlier one", () => {
    const proto = emptyCompletion(1);
    const accumulator = new ChunkAccumulator(proto);
    const call = (status: ToolCallStatus) => ({
      id: "t1",
      type: ToolCallType.WEB_SEARCH_TOOL,
      status,
      tool: { case: "function" as const, value: { name: "web_search", arguments: "{}" } },
    });
    accumulator.add(
      chunk({ outputs: [{ index: 0, delta: { toolCalls: [call(ToolCallStatus.IN_PROGRESS)] } }] }),
    );
    accumulator.add(
      chunk({ outputs: [{ index: 0, delta: { toolCalls: [call(ToolCallStatus.COMPLETED)] } }] }),
    );
    const calls = new ChatResponse(proto, 0).toolCalls;
    assert.deepEqual(
      calls.map((c) => [c.id, c.status, c.type]),
      [["t1", "completed", "web_search_tool"]],
    );
  });

  test("chunks read their own index; tool outputs are not content", () => {
    const c = new ChatChunk(
      chunk({
        outputs: [
          { index: 0, delta: { role: MessageRole.ROLE_ASSISTANT, content: "a", reasoningContent: "r" } },
          { index: 1, delta: { role: MessageRole.ROLE_TOOL, content: "tool says" } },
          { index: 2, delta: { content: "c" }, finishReason: FinishReason.REASON_MAX_LEN },
        ],
      }),
    );
    assert.equal(c.content, "ac");
    assert.equal(c.reasoningContent, "r");
    assert.equal(c.finishReason, "length");
    assert.equal(c.toolOutputs.length, 1);
    assert.equal(new ChatChunk(c.proto, 2).content, "c");
    assert.equal(new ChatChunk(c.proto, 1).content, "");
  });
});
