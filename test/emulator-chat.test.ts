// The emulator's Chat and Sample services over real gRPC on loopback, through a raw grpc-js client built
// from the generated descriptors (no SDK code), plus unit tests of the generator's pure parts (JSON Schema
// values, regex samples, encrypted content, text helpers).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { create, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { WireType } from "@bufbuild/protobuf/wire";
import { Ajv, type AnySchema } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import {
  Chat,
  FormatType,
  type GetChatCompletionChunk,
  GetChatCompletionChunkSchema,
  type GetChatCompletionResponse,
  type GetCompletionsRequestSchema,
  IncludeOption,
  MessageRole,
  type MessageSchema,
  ReasoningEffort,
  SearchMode,
  type ToolCall,
  ToolCallStatus,
  ToolCallType,
  ToolMode,
  type ToolSchema,
} from "../src/gen/xai/api/v1/chat_pb.js";
import { DeferredStatus } from "../src/gen/xai/api/v1/deferred_pb.js";
import { FinishReason, Sample } from "../src/gen/xai/api/v1/sample_pb.js";
import { ServerSideTool, ServiceTier } from "../src/gen/xai/api/v1/usage_pb.js";
import { EMULATOR_CATALOG } from "../src/testing/catalog.js";
import { keywords, namedPhrases } from "../src/testing/chat/conversation.js";
import { decryptContent, encryptContent } from "../src/testing/chat/encrypted.js";
import { checkSchemaText, generateValid } from "../src/testing/chat/json-schema.js";
import { hash, Rng } from "../src/testing/chat/random.js";
import { sampleRegex } from "../src/testing/chat/regex-sample.js";
import { encodedContentOutput } from "../src/testing/chat/render.js";
import { evaluateArithmetic } from "../src/testing/chat/server-tools.js";
import { personaOf } from "../src/testing/chat/text.js";
import { EmulatorState } from "../src/testing/context.js";
import { Code, countTokens, EmulatorError } from "../src/testing/index.js";
import { completeChat } from "../src/testing/services/chat.js";
import { useRawEmulator } from "./helpers/emulator.js";
import { rejectsWithStatus } from "./helpers/raw-client.js";

// ---------------------------------------------------------------------------------------------------------
// Helpers.

type MessageInit = MessageInitShape<typeof MessageSchema>;
type RequestInit = MessageInitShape<typeof GetCompletionsRequestSchema>;
type ToolInit = MessageInitShape<typeof ToolSchema>;

const text = (value: string) => ({ content: { case: "text" as const, value } });
const user = (value: string): MessageInit => ({ role: MessageRole.ROLE_USER, content: [text(value)] });
const system = (value: string): MessageInit => ({ role: MessageRole.ROLE_SYSTEM, content: [text(value)] });
const toolResult = (id: string, value: string): MessageInit => ({
  role: MessageRole.ROLE_TOOL,
  content: [text(value)],
  toolCallId: id,
});
const fn = (name: string, description: string, parameters: object): ToolInit => ({
  tool: { case: "function", value: { name, description, parameters: JSON.stringify(parameters) } },
});

/** Re-assembles a chunk stream per output index, as a client would. */
function assemble(chunks: readonly GetChatCompletionChunk[]) {
  const outputs = new Map<
    number,
    { content: string; reasoning: string; encrypted: string; calls: ToolCall[] }
  >();
  const finish = new Map<number, FinishReason>();
  for (const chunk of chunks) {
    for (const output of chunk.outputs) {
      const entry = outputs.get(output.index) ?? { content: "", reasoning: "", encrypted: "", calls: [] };
      entry.content += output.delta?.content ?? "";
      entry.reasoning += output.delta?.reasoningContent ?? "";
      entry.encrypted += output.delta?.encryptedContent ?? "";
      entry.calls.push(...(output.delta?.toolCalls ?? []));
      outputs.set(output.index, entry);
      if (output.finishReason) finish.set(output.index, output.finishReason);
    }
  }
  return { outputs, finish };
}

const firstContent = (response: GetChatCompletionResponse) => response.outputs[0].message?.content ?? "";

/** ajv instances that also check the string formats the generator produces. */
function validatorFor(schema: object) {
  const formats: Record<string, RegExp> = {
    "date-time": /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/,
    date: /^\d{4}-\d{2}-\d{2}$/,
    time: /^\d{2}:\d{2}:\d{2}Z$/,
    email: /^[^@\s]+@[^@\s]+\.[a-z]+$/,
    uri: /^https?:\/\/\S+$/,
    uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    ipv4: /^(\d{1,3}\.){3}\d{1,3}$/,
    hostname: /^[a-z0-9.-]+$/,
  };
  const is2020 = JSON.stringify(schema).includes("2020-12");
  const ajv = is2020 ? new Ajv2020({ strict: false }) : new Ajv({ strict: false });
  for (const [name, regex] of Object.entries(formats)) ajv.addFormat(name, regex);
  return ajv.compile(schema as AnySchema);
}

// ---------------------------------------------------------------------------------------------------------
// Pure parts.

describe("chat generator: pure parts", () => {
  const schemas: Record<string, object> = {
    weather: {
      type: "object",
      properties: {
        city: { type: "string" },
        unit: { type: "string", enum: ["celsius", "fahrenheit"] },
        days: { type: "integer", minimum: 1, maximum: 7 },
      },
      required: ["city", "unit"],
      additionalProperties: false,
    },
    formats: {
      type: "object",
      properties: {
        when: { type: "string", format: "date-time" },
        day: { type: "string", format: "date" },
        mail: { type: "string", format: "email" },
        site: { type: "string", format: "uri" },
        id: { type: "string", format: "uuid" },
        ip: { type: "string", format: "ipv4" },
      },
      required: ["when", "day", "mail", "site", "id", "ip"],
    },
    numbers: {
      type: "object",
      properties: {
        price: { type: "number", exclusiveMinimum: 0, maximum: 10 },
        step: { type: "number", multipleOf: 0.25, minimum: 1, maximum: 3 },
        count: { type: "integer", minimum: -5, exclusiveMaximum: -2 },
        big: { type: "integer", minimum: 1000000 },
      },
      required: ["price", "step", "count", "big"],
    },
    strings: {
      type: "object",
      properties: {
        code: { type: "string", pattern: "^[A-Z]{3}-\\d{2,4}$" },
        short: { type: "string", maxLength: 3 },
        long: { type: "string", minLength: 40 },
        fixed: { const: "v1" },
        nullable: { type: ["string", "null"] },
      },
      required: ["code", "short", "long", "fixed", "nullable"],
    },
    arrays: {
      type: "object",
      properties: {
        tags: {
          type: "array",
          items: { type: "string", enum: ["a", "b", "c", "d"] },
          minItems: 2,
          maxItems: 4,
          uniqueItems: true,
        },
        matrix: {
          type: "array",
          items: { type: "array", items: { type: "integer" }, minItems: 1 },
          minItems: 1,
        },
      },
      required: ["tags", "matrix"],
    },
    composition: {
      type: "object",
      properties: {
        shape: {
          oneOf: [
            {
              type: "object",
              properties: { kind: { const: "circle" }, r: { type: "number" } },
              required: ["kind", "r"],
            },
            {
              type: "object",
              properties: { kind: { const: "square" }, side: { type: "number" } },
              required: ["kind", "side"],
            },
          ],
        },
        either: { anyOf: [{ type: "null" }, { type: "integer", minimum: 3 }] },
        both: {
          allOf: [
            { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
            { properties: { b: { type: "boolean" } }, required: ["b"] },
          ],
        },
      },
      required: ["shape", "either", "both"],
    },
    refs: {
      $defs: {
        Person: {
          type: "object",
          properties: { name: { type: "string" }, age: { type: "integer", minimum: 0, maximum: 120 } },
          required: ["name", "age"],
        },
      },
      type: "object",
      properties: {
        owner: { $ref: "#/$defs/Person" },
        friends: { type: "array", items: { $ref: "#/$defs/Person" } },
      },
      required: ["owner", "friends"],
    },
    draft2020: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: {
        pair: { type: "array", prefixItems: [{ type: "string" }, { type: "integer" }], items: false },
      },
      required: ["pair"],
    },
    pydanticStyle: {
      $defs: { Color: { enum: ["red", "green"], title: "Color", type: "string" } },
      properties: {
        color: { $ref: "#/$defs/Color" },
        note: { anyOf: [{ type: "string" }, { type: "null" }], default: null, title: "Note" },
      },
      required: ["color"],
      title: "Paint",
      type: "object",
    },
    minProperties: { type: "object", minProperties: 2, additionalProperties: { type: "integer" } },
  };

  for (const [name, schema] of Object.entries(schemas)) {
    test(`generated values validate against the "${name}" schema (several seeds), deterministically`, () => {
      const checked = checkSchemaText(JSON.stringify(schema), name);
      const validate = validatorFor(schema);
      for (let seed = 0; seed < 25; seed++) {
        const value = generateValid(checked, new Rng(hash(name, seed)));
        assert.ok(
          validate(value),
          `${name} seed ${seed}: ${JSON.stringify(value)} ${JSON.stringify(validate.errors)}`,
        );
        assert.deepEqual(generateValid(checked, new Rng(hash(name, seed))), value);
      }
    });
  }

  test("string hints from the message fill name-like fields (a city named in the prompt)", () => {
    const checked = checkSchemaText(JSON.stringify(schemas.weather), "weather");
    const value = generateValid(checked, new Rng(1), {
      phrases: ["Lisbon"],
      message: "Weather in Lisbon?",
    }) as {
      city: string;
    };
    assert.equal(value.city, "Lisbon");
  });

  test("malformed schemas are rejected with a sentence naming where they are", () => {
    const cases: [string, RegExp][] = [
      ["{not json", /params is not valid JSON/],
      ["[1, 2]", /params must be a JSON Schema object/],
      ['"object"', /params must be a JSON Schema object/],
      ['{"type": "strin"}', /params is not a valid JSON Schema/],
      ['{"type": "object", "properties": {"a": {"minimum": "zero"}}}', /params is not a valid JSON Schema/],
      ['{"type": "object", "required": "a"}', /params is not a valid JSON Schema/],
    ];
    for (const [text, message] of cases) {
      assert.throws(
        () => checkSchemaText(text, "params"),
        (error: unknown) =>
          error instanceof EmulatorError &&
          error.code === Code.INVALID_ARGUMENT &&
          message.test(error.details),
        text,
      );
    }
  });

  test("regex samples match their pattern", () => {
    const patterns = [
      "^[A-Z]{3}-\\d{2}$",
      "^(foo|bar)+[0-9]?$",
      "^\\w+@\\w+\\.com$",
      "^[^\\s]{4,6}$",
      "^a.c$",
      "^(?:ab){2}x*$",
    ];
    for (const pattern of patterns) {
      for (let seed = 0; seed < 10; seed++) {
        const sample = sampleRegex(pattern, new Rng(seed));
        assert.ok(sample !== undefined && new RegExp(pattern, "u").test(sample), `${pattern} → ${sample}`);
      }
    }
  });

  test("encrypted content round-trips, looks opaque, and rejects anything else", () => {
    const blob = encryptContent({ kind: "reasoning", model: "grok-4", reasoning: "secret thoughts" });
    assert.match(blob, /^[A-Za-z0-9+/]+={0,2}$/);
    assert.ok(!Buffer.from(blob, "base64").toString("utf8").includes("secret"));
    assert.deepEqual(decryptContent(blob), {
      kind: "reasoning",
      model: "grok-4",
      reasoning: "secret thoughts",
    });
    assert.equal(decryptContent(`${blob.slice(0, -8)}AAAAAAAA`), undefined);
    assert.equal(decryptContent("not-base64!"), undefined);
    assert.equal(decryptContent(Buffer.from('{"kind":"reasoning"}').toString("base64")), undefined);
  });

  test("pre-encoded long-stream chunks are byte-identical to the serializer's output", () => {
    for (const content of ["5 ", "x".repeat(300), "é🙂 "]) {
      const chunk = create(GetChatCompletionChunkSchema);
      chunk.$unknown = [{ no: 2, wireType: WireType.LengthDelimited, data: encodedContentOutput(content) }];
      const reference = create(GetChatCompletionChunkSchema, {
        outputs: [{ delta: { role: MessageRole.ROLE_ASSISTANT, content } }],
      });
      assert.deepEqual(
        toBinary(GetChatCompletionChunkSchema, chunk),
        toBinary(GetChatCompletionChunkSchema, reference),
      );
    }
  });

  test("text helpers: keywords, named phrases, persona, arithmetic", () => {
    assert.deepEqual(keywords("Explain how photosynthesis works in green plants"), [
      "photosynthesis",
      "green",
      "plants",
    ]);
    assert.deepEqual(namedPhrases("What's the weather in Paris and New York today? Also “Rome”."), [
      "Rome",
      "Paris",
      "New York",
    ]);
    assert.equal(personaOf("You are a grumpy pirate. Be brief."), "a grumpy pirate");
    assert.equal(personaOf("Answer in French."), undefined);
    assert.equal(evaluateArithmetic("2 + 3 * 4"), 14);
    assert.equal(evaluateArithmetic("(1 + 2) / 4"), 0.75);
    assert.equal(evaluateArithmetic("2 + + "), undefined);
    assert.equal(evaluateArithmetic("rm -rf"), undefined);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Over gRPC.

describe("emulator chat service over gRPC", () => {
  const env = useRawEmulator({ deferredPolls: 2 });

  const complete = (request: RequestInit) => env.api.unaryOk(Chat.method.getCompletion, request);
  const stream = (request: RequestInit) => env.api.serverStreamOk(Chat.method.getCompletionChunk, request);

  describe("text", () => {
    const request: RequestInit = {
      model: "grok-3",
      messages: [
        system("You are a cheerful pirate."),
        user("Explain how photosynthesis works in green plants"),
      ],
    };

    test("is deterministic, acknowledges the last user message and keeps the system persona", async () => {
      const a = await complete(request);
      const b = await complete(request);
      assert.equal(firstContent(a), firstContent(b));
      assert.notEqual(a.id, b.id);
      assert.match(firstContent(a), /photosynthesis/);
      assert.match(firstContent(a), /a cheerful pirate/);
      assert.equal(a.outputs[0].finishReason, FinishReason.REASON_STOP);
      assert.equal(a.outputs[0].message?.role, MessageRole.ROLE_ASSISTANT);
      assert.equal(a.model, "grok-3");
      assert.ok(a.systemFingerprint.startsWith("fp_"));
      assert.equal(a.settings?.parallelToolCalls, true);
      assert.equal(a.serviceTier, ServiceTier.DEFAULT);
      const priority = await complete({ ...request, serviceTier: ServiceTier.PRIORITY });
      assert.equal(priority.serviceTier, ServiceTier.PRIORITY);
      assert.equal(
        (await stream({ ...request, serviceTier: ServiceTier.PRIORITY })).at(-1)?.serviceTier,
        ServiceTier.PRIORITY,
      );
    });

    test("varies with the seed and the conversation, deterministically", async () => {
      const contents = new Set<string>();
      for (let seed = 0; seed < 6; seed++) contents.add(firstContent(await complete({ ...request, seed })));
      assert.ok(contents.size >= 3, `only ${contents.size} distinct answers over 6 seeds`);
      assert.equal(
        firstContent(await complete({ ...request, seed: 4 })),
        firstContent(await complete({ ...request, seed: 4 })),
      );
      const other = await complete({ ...request, messages: [user("Tell me about volcanoes")] });
      assert.match(firstContent(other), /volcanoes/);
    });

    test("usage counts the prompt and the output with the emulator's tokenizer", async () => {
      const response = await complete(request);
      const usage = response.usage;
      assert.ok(usage);
      const prompt = "You are a cheerful pirate.\nExplain how photosynthesis works in green plants";
      assert.equal(usage.promptTextTokens, countTokens(prompt));
      assert.equal(usage.promptTokens, usage.promptTextTokens);
      assert.equal(usage.completionTokens, countTokens(firstContent(response)));
      assert.equal(usage.reasoningTokens, 0);
      assert.equal(usage.totalTokens, usage.promptTokens + usage.completionTokens);
      assert.ok((usage.costInUsdTicks ?? 0n) > 0n);
    });

    test("streams the same answer in many chunks: role on every chunk, finish reason and usage last", async () => {
      const unary = await complete(request);
      const chunks = await stream(request);
      assert.ok(chunks.length > 10, `${chunks.length} chunks`);
      const { outputs, finish } = assemble(chunks);
      assert.equal(outputs.get(0)?.content, firstContent(unary));
      assert.equal(finish.get(0), FinishReason.REASON_STOP);
      for (const chunk of chunks) {
        assert.equal(chunk.outputs[0].delta?.role, MessageRole.ROLE_ASSISTANT);
        assert.equal(chunk.model, "grok-3");
        assert.ok(chunk.id);
      }
      assert.ok(chunks.slice(0, -1).every((c) => c.usage === undefined && c.outputs[0].finishReason === 0));
      assert.equal(chunks.at(-1)?.usage?.completionTokens, unary.usage?.completionTokens);
    });

    test("max_tokens truncates with MAX_LEN; stop sequences end the content before them", async () => {
      const truncated = await complete({ ...request, maxTokens: 5 });
      assert.equal(truncated.outputs[0].finishReason, FinishReason.REASON_MAX_LEN);
      assert.equal(truncated.usage?.completionTokens, 5);
      assert.ok(firstContent(await complete(request)).startsWith(firstContent(truncated)));
      const full = firstContent(await complete(request));
      const stopAt = full.indexOf("photosynthesis");
      const stopped = await complete({ ...request, stop: ["zzz", "photosynthesis"] });
      assert.equal(firstContent(stopped), full.slice(0, stopAt));
      assert.equal(stopped.outputs[0].finishReason, FinishReason.REASON_STOP);
      const streamed = assemble(await stream({ ...request, maxTokens: 5 }));
      assert.equal(streamed.outputs.get(0)?.content, firstContent(truncated));
      assert.equal(streamed.finish.get(0), FinishReason.REASON_MAX_LEN);
    });

    test("n > 1 gives n distinct outputs; a stream interleaves them with their index", async () => {
      const response = await complete({ ...request, n: 3 });
      assert.deepEqual(
        response.outputs.map((o) => o.index),
        [0, 1, 2],
      );
      assert.equal(new Set(response.outputs.map((o) => o.message?.content)).size, 3);
      const { outputs } = assemble(await stream({ ...request, n: 3 }));
      for (const output of response.outputs)
        assert.equal(outputs.get(output.index)?.content, output.message?.content);
      const chunks = await stream({ ...request, n: 3 });
      assert.deepEqual(
        chunks.slice(0, 3).map((c) => c.outputs[0].index),
        [0, 1, 2],
      );
    });

    test("logprobs and top_logprobs follow the tokenizer", async () => {
      const response = await complete({ ...request, logprobs: true, topLogprobs: 3 });
      const logprobs = response.outputs[0].logprobs?.content ?? [];
      assert.equal(logprobs.map((l) => l.token).join(""), firstContent(response));
      for (const entry of logprobs) {
        assert.ok(entry.logprob <= 0);
        assert.equal(entry.topLogprobs.length, 3);
        assert.equal(entry.topLogprobs[0].token, entry.token);
        assert.deepEqual(new TextDecoder().decode(entry.bytes), entry.token);
        assert.ok(entry.topLogprobs[1].logprob < entry.topLogprobs[0].logprob);
      }
      const chunks = await stream({ ...request, logprobs: true });
      const streamed = chunks.flatMap((c) => c.outputs[0].logprobs?.content ?? []);
      assert.equal(streamed.map((l) => l.token).join(""), firstContent(response));
      assert.equal((await complete(request)).outputs[0].logprobs, undefined);
    });
  });

  describe("validation", () => {
    const ok: RequestInit = { model: "grok-4", messages: [user("hi")] };
    const cases: [string, RequestInit, number, RegExp][] = [
      [
        "empty conversation",
        { model: "grok-4", messages: [] },
        Code.INVALID_ARGUMENT,
        /conversation is empty/,
      ],
      ["unknown model", { ...ok, model: "grok-99" }, Code.NOT_FOUND, /grok-99/],
      ["no model", { ...ok, model: "" }, Code.INVALID_ARGUMENT, /model/],
      [
        "temperature > 2",
        { ...ok, temperature: 2.5 },
        Code.INVALID_ARGUMENT,
        /temperature must be between 0 and 2/,
      ],
      ["temperature < 0", { ...ok, temperature: -0.1 }, Code.INVALID_ARGUMENT, /temperature/],
      ["top_p = 0", { ...ok, topP: 0 }, Code.INVALID_ARGUMENT, /top_p/],
      ["top_p > 1", { ...ok, topP: 1.5 }, Code.INVALID_ARGUMENT, /top_p/],
      ["n = 0", { ...ok, n: 0 }, Code.INVALID_ARGUMENT, /n must be between 1 and 128/],
      ["n = 129", { ...ok, n: 129 }, Code.INVALID_ARGUMENT, /n must be between 1 and 128/],
      ["max_tokens = 0", { ...ok, maxTokens: 0 }, Code.INVALID_ARGUMENT, /max_tokens must be a positive/],
      [
        "top_logprobs = 9",
        { ...ok, logprobs: true, topLogprobs: 9 },
        Code.INVALID_ARGUMENT,
        /top_logprobs must be between 0 and 8/,
      ],
      [
        "top_logprobs without logprobs",
        { ...ok, topLogprobs: 2 },
        Code.INVALID_ARGUMENT,
        /requires logprobs/,
      ],
      [
        "too many stops",
        { ...ok, stop: ["1", "2", "3", "4", "5", "6", "7", "8", "9"] },
        Code.INVALID_ARGUMENT,
        /at most 8/,
      ],
      [
        "role unset",
        { ...ok, messages: [{ content: [text("x")] }] },
        Code.INVALID_ARGUMENT,
        /messages\[0\]\.role/,
      ],
      [
        "user without content",
        { ...ok, messages: [{ role: MessageRole.ROLE_USER }] },
        Code.INVALID_ARGUMENT,
        /has no content/,
      ],
      [
        "tool message without tool_call_id",
        { ...ok, messages: [user("hi"), { role: MessageRole.ROLE_TOOL, content: [text("42")] }] },
        Code.INVALID_ARGUMENT,
        /without tool_call_id/,
      ],
      [
        "image for a text-only model",
        {
          model: "grok-3",
          messages: [
            {
              role: MessageRole.ROLE_USER,
              content: [
                {
                  content: {
                    case: "imageUrl",
                    value: { source: { case: "imageUrl", value: "https://x.example/a.png" } },
                  },
                },
              ],
            },
          ],
        },
        Code.INVALID_ARGUMENT,
        /does not accept image input/,
      ],
      [
        "malformed tool parameters",
        { ...ok, tools: [{ tool: { case: "function", value: { name: "f", parameters: "{oops" } } }] },
        Code.INVALID_ARGUMENT,
        /tools\[0\]\.function\.parameters \(f\) is not valid JSON/,
      ],
      [
        "invalid tool parameters schema",
        { ...ok, tools: [fn("f", "", { type: "object", properties: { a: { type: "integr" } } })] },
        Code.INVALID_ARGUMENT,
        /is not a valid JSON Schema/,
      ],
      [
        "duplicate tool names",
        { ...ok, tools: [fn("f", "", { type: "object" }), fn("f", "", { type: "object" })] },
        Code.INVALID_ARGUMENT,
        /defined twice/,
      ],
      [
        "tool_choice naming an unknown function",
        {
          ...ok,
          tools: [fn("f", "", { type: "object" })],
          toolChoice: { toolChoice: { case: "functionName", value: "g" } },
        },
        Code.INVALID_ARGUMENT,
        /tool_choice names the function "g", which is not among the tools \(f\)/,
      ],
      [
        "tool_choice required without tools",
        { ...ok, toolChoice: { toolChoice: { case: "mode", value: ToolMode.REQUIRED } } },
        Code.INVALID_ARGUMENT,
        /no tools were given/,
      ],
      [
        "json_schema without schema",
        { ...ok, responseFormat: { formatType: FormatType.JSON_SCHEMA } },
        Code.INVALID_ARGUMENT,
        /has no schema/,
      ],
      [
        "malformed json_schema",
        { ...ok, responseFormat: { formatType: FormatType.JSON_SCHEMA, schema: '{"type": 7}' } },
        Code.INVALID_ARGUMENT,
        /response_format\.schema is not a valid JSON Schema/,
      ],
      [
        "reasoning_effort on a non-reasoning model",
        { model: "grok-3", messages: [user("hi")], reasoningEffort: ReasoningEffort.EFFORT_HIGH },
        Code.INVALID_ARGUMENT,
        /does not support reasoning_effort/,
      ],
      [
        "unknown previous_response_id",
        { ...ok, previousResponseId: "nope" },
        Code.NOT_FOUND,
        /No stored response has the id "nope"/,
      ],
      ["max_turns = 0", { ...ok, maxTurns: 0 }, Code.INVALID_ARGUMENT, /max_turns/],
      [
        "n > 1 with server-side tools",
        { ...ok, n: 2, tools: [{ tool: { case: "webSearch", value: {} } }] },
        Code.INVALID_ARGUMENT,
        /n greater than 1/,
      ],
      [
        "forged encrypted content",
        { ...ok, messages: [{ role: MessageRole.ROLE_ASSISTANT, encryptedContent: "Zm9yZ2Vk" }, user("hi")] },
        Code.INVALID_ARGUMENT,
        /encrypted_content could not be decrypted/,
      ],
      [
        "!chunks out of range",
        { ...ok, messages: [user("!chunks 0")] },
        Code.INVALID_ARGUMENT,
        /!chunks accepts/,
      ],
      [
        "a prompt longer than the model accepts",
        { model: "grok-3", messages: [user("word ".repeat(140_000))] },
        Code.INVALID_ARGUMENT,
        /The prompt has \d+ tokens, more than the 131072 that grok-3 accepts/,
      ],
    ];
    for (const [name, request, code, details] of cases) {
      test(`rejects ${name}`, async () => {
        await rejectsWithStatus(complete(request), code, details);
      });
    }

    test("a stream and a deferred start are validated the same way", async () => {
      await rejectsWithStatus(stream({ ...ok, temperature: 3 }), Code.INVALID_ARGUMENT, /temperature/);
      await rejectsWithStatus(
        env.api.unaryOk(Chat.method.startDeferredCompletion, { ...ok, messages: [] }),
        Code.INVALID_ARGUMENT,
      );
    });
  });

  describe("reasoning", () => {
    test("reasoning models return reasoning content, longer with a higher effort; others none", async () => {
      const ask = (effort?: ReasoningEffort) =>
        complete({ model: "grok-3-mini", messages: [user("Why is the sky blue?")], reasoningEffort: effort });
      const low = await ask(ReasoningEffort.EFFORT_LOW);
      const high = await ask(ReasoningEffort.EFFORT_HIGH);
      const none = await ask(ReasoningEffort.EFFORT_NONE);
      const lowReasoning = low.outputs[0].message?.reasoningContent ?? "";
      const highReasoning = high.outputs[0].message?.reasoningContent ?? "";
      assert.ok(lowReasoning.length > 0);
      assert.ok(highReasoning.length > lowReasoning.length);
      assert.equal(none.outputs[0].message?.reasoningContent, "");
      assert.equal(high.usage?.reasoningTokens, countTokens(highReasoning));
      assert.equal(
        high.usage?.totalTokens,
        (high.usage?.promptTokens ?? 0) + (high.usage?.completionTokens ?? 0) + countTokens(highReasoning),
      );
      const plain = await complete({ model: "grok-3", messages: [user("Why is the sky blue?")] });
      assert.equal(plain.outputs[0].message?.reasoningContent, "");
      const streamed = assemble(
        await stream({
          model: "grok-3-mini",
          messages: [user("Why is the sky blue?")],
          reasoningEffort: ReasoningEffort.EFFORT_HIGH,
        }),
      );
      assert.equal(streamed.outputs.get(0)?.reasoning, highReasoning);
    });

    test("use_encrypted_content returns opaque content that is accepted when replayed", async () => {
      const first = await complete({
        model: "grok-4",
        messages: [user("Plan a trip to Kyoto")],
        useEncryptedContent: true,
      });
      const message = first.outputs[0].message;
      assert.ok(message?.encryptedContent);
      assert.match(message.encryptedContent, /^[A-Za-z0-9+/]+={0,2}$/);
      assert.ok(!Buffer.from(message.encryptedContent, "base64").toString("latin1").includes("Kyoto"));
      const streamed = assemble(
        await stream({
          model: "grok-4",
          messages: [user("Plan a trip to Kyoto")],
          useEncryptedContent: true,
        }),
      );
      assert.equal(streamed.outputs.get(0)?.encrypted, message.encryptedContent);
      const next = await complete({
        model: "grok-4",
        messages: [
          user("Plan a trip to Kyoto"),
          {
            role: MessageRole.ROLE_ASSISTANT,
            content: [text(message.content)],
            encryptedContent: message.encryptedContent,
          },
          user("And what should I pack?"),
        ],
      });
      assert.match(firstContent(next), /Earlier you said: “Plan a trip to Kyoto”/);
      assert.ok((next.usage?.promptTextTokens ?? 0) > countTokens(message.content));
    });
  });

  describe("function tools", () => {
    const weatherSchema = {
      type: "object",
      properties: {
        city: { type: "string", description: "City name" },
        unit: { type: "string", enum: ["celsius", "fahrenheit"] },
        days: { type: "integer", minimum: 1, maximum: 10 },
      },
      required: ["city", "unit"],
      additionalProperties: false,
    };
    const timeSchema = {
      type: "object",
      properties: {
        timezone: { type: "string", pattern: "^[A-Z][a-z]+/[A-Z][a-z]+$" },
        precise: { type: "boolean" },
      },
      required: ["timezone"],
    };
    const tools = [
      fn("get_weather", "Current weather for a city", weatherSchema),
      fn("get_time", "Current local time", timeSchema),
    ];
    const validators: Record<string, ReturnType<typeof validatorFor>> = {
      get_weather: validatorFor(weatherSchema),
      get_time: validatorFor(timeSchema),
    };

    function checkCalls(calls: readonly ToolCall[]) {
      assert.equal(new Set(calls.map((c) => c.id)).size, calls.length, "ids are unique");
      for (const call of calls) {
        assert.equal(call.type, ToolCallType.CLIENT_SIDE_TOOL);
        assert.match(call.id, /^call_[0-9a-f]{24}$/);
        assert.equal(call.tool.case, "function");
        const args = JSON.parse(call.tool.value?.arguments ?? "");
        const validate = validators[call.tool.value?.name ?? ""];
        assert.ok(
          validate(args),
          `${call.tool.value?.name} ${JSON.stringify(args)} ${JSON.stringify(validate.errors)}`,
        );
      }
    }

    test("calls the relevant function with schema-valid arguments, taking names from the message", async () => {
      const response = await complete({
        model: "grok-4",
        tools,
        messages: [user("What's the weather like in Lisbon?")],
      });
      const output = response.outputs[0];
      assert.equal(output.finishReason, FinishReason.REASON_TOOL_CALLS);
      assert.equal(output.message?.content, "");
      const calls = output.message?.toolCalls ?? [];
      assert.deepEqual(
        calls.map((c) => c.tool.value?.name),
        ["get_weather"],
      );
      checkCalls(calls);
      assert.equal(JSON.parse(calls[0].tool.value?.arguments ?? "").city, "Lisbon");
      assert.ok(output.message?.reasoningContent, "a reasoning model thinks before calling");
      const again = await complete({
        model: "grok-4",
        tools,
        messages: [user("What's the weather like in Lisbon?")],
      });
      assert.equal(
        again.outputs[0].message?.toolCalls[0].tool.value?.arguments,
        calls[0].tool.value?.arguments,
      );
      const streamed = assemble(
        await stream({ model: "grok-4", tools, messages: [user("What's the weather like in Lisbon?")] }),
      );
      assert.equal(streamed.outputs.get(0)?.calls[0].tool.value?.arguments, calls[0].tool.value?.arguments);
      assert.equal(streamed.finish.get(0), FinishReason.REASON_TOOL_CALLS);
    });

    test("parallel calls for every function the message names; one when parallel_tool_calls is false", async () => {
      const messages = [user("Use get_weather for Paris and get_time for Tokyo")];
      const parallel = await complete({ model: "grok-3", tools, messages });
      const calls = parallel.outputs[0].message?.toolCalls ?? [];
      assert.deepEqual(
        calls.map((c) => c.tool.value?.name),
        ["get_weather", "get_time"],
      );
      checkCalls(calls);
      const single = await complete({ model: "grok-3", tools, messages, parallelToolCalls: false });
      assert.deepEqual(
        single.outputs[0].message?.toolCalls.map((c) => c.tool.value?.name),
        ["get_weather"],
      );
      for (let seed = 0; seed < 10; seed++) {
        checkCalls(
          (await complete({ model: "grok-3", tools, messages, seed })).outputs[0].message?.toolCalls ?? [],
        );
      }
    });

    test("tool_choice: a named function is called, none never calls, required calls", async () => {
      const named = await complete({
        model: "grok-3",
        tools,
        messages: [user("What's the weather in Oslo?")],
        toolChoice: { toolChoice: { case: "functionName", value: "get_time" } },
      });
      assert.deepEqual(
        named.outputs[0].message?.toolCalls.map((c) => c.tool.value?.name),
        ["get_time"],
      );
      const none = await complete({
        model: "grok-3",
        tools,
        messages: [user("What's the weather in Oslo?")],
        toolChoice: { toolChoice: { case: "mode", value: ToolMode.NONE } },
      });
      assert.equal(none.outputs[0].message?.toolCalls.length, 0);
      assert.equal(none.outputs[0].finishReason, FinishReason.REASON_STOP);
      assert.match(firstContent(none), /Oslo/);
      const required = await complete({
        model: "grok-3",
        tools,
        messages: [user("Hello there")],
        toolChoice: { toolChoice: { case: "mode", value: ToolMode.REQUIRED } },
      });
      assert.equal(required.outputs[0].message?.toolCalls.length, 1);
    });

    test("after the tool results it answers using them", async () => {
      const first = await complete({
        model: "grok-3",
        tools,
        messages: [user("What's the weather in Lima?")],
      });
      const call = first.outputs[0].message?.toolCalls[0];
      assert.ok(call);
      const answer = await complete({
        model: "grok-3",
        tools,
        messages: [
          user("What's the weather in Lima?"),
          { role: MessageRole.ROLE_ASSISTANT, toolCalls: [call] },
          toolResult(call.id, '{"temperature": 19, "sky": "overcast"}'),
        ],
      });
      assert.equal(answer.outputs[0].finishReason, FinishReason.REASON_STOP);
      assert.equal(answer.outputs[0].message?.toolCalls.length, 0);
      assert.match(firstContent(answer), /get_weather returned \{"temperature": 19, "sky": "overcast"\}/);
    });
  });

  describe("response formats", () => {
    const schema = {
      type: "object",
      properties: {
        title: { type: "string" },
        year: { type: "integer", minimum: 1900, maximum: 2030 },
        genres: {
          type: "array",
          items: { type: "string", enum: ["drama", "comedy", "sci-fi"] },
          minItems: 1,
        },
        rating: { type: "number", minimum: 0, maximum: 10 },
        director: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
      },
      required: ["title", "year", "genres", "director"],
      additionalProperties: false,
    };

    test("json_schema: the content is JSON valid against the schema, in a stream too", async () => {
      const validate = validatorFor(schema);
      for (let seed = 0; seed < 8; seed++) {
        const response = await complete({
          model: "grok-4",
          seed,
          messages: [user("Recommend a film by “Agnès Varda”")],
          responseFormat: { formatType: FormatType.JSON_SCHEMA, schema: JSON.stringify(schema) },
        });
        const value = JSON.parse(firstContent(response));
        assert.ok(validate(value), `${firstContent(response)} ${JSON.stringify(validate.errors)}`);
      }
      const streamed = assemble(
        await stream({
          model: "grok-4",
          messages: [user("Recommend a film")],
          responseFormat: { formatType: FormatType.JSON_SCHEMA, schema: JSON.stringify(schema) },
        }),
      );
      assert.ok(validate(JSON.parse(streamed.outputs.get(0)?.content ?? "")));
    });

    test("json_object: the content is a JSON object", async () => {
      const response = await complete({
        model: "grok-3",
        messages: [user("Summarize the plot of Hamlet")],
        responseFormat: { formatType: FormatType.JSON_OBJECT },
      });
      const value = JSON.parse(firstContent(response));
      assert.equal(typeof value, "object");
      assert.ok(value !== null && !Array.isArray(value));
      assert.match(value.answer, /Hamlet/);
    });
  });

  describe("search and server-side tools", () => {
    test("live search ON cites sources and counts them; OFF and AUTO without a cue do not", async () => {
      const on = await complete({
        model: "grok-4",
        messages: [user("Tell me about the Rosetta mission")],
        searchParameters: { mode: SearchMode.ON_SEARCH_MODE, returnCitations: true, maxSearchResults: 3 },
      });
      assert.ok(on.citations.length > 0 && on.citations.length <= 3);
      for (const url of on.citations) assert.ok(new URL(url).protocol.startsWith("http"));
      assert.equal(on.usage?.numSourcesUsed, on.citations.length);
      assert.match(firstContent(on), /I searched and found/);
      const off = await complete({
        model: "grok-4",
        messages: [user("Tell me about the Rosetta mission")],
        searchParameters: { mode: SearchMode.OFF_SEARCH_MODE, returnCitations: true },
      });
      assert.equal(off.citations.length, 0);
      assert.equal(off.usage?.numSourcesUsed, 0);
      const auto = await complete({
        model: "grok-4",
        messages: [user("What is the latest news about Rosetta?")],
        searchParameters: {
          mode: SearchMode.AUTO_SEARCH_MODE,
          returnCitations: true,
          sources: [{ source: { case: "x", value: { includedXHandles: ["esa"] } } }],
        },
      });
      assert.ok(auto.citations.every((url) => url.startsWith("https://x.com/esa/status/")));
      assert.ok(auto.citations.length > 0);
    });

    test("web search agent: tool call, tool output, final answer with inline citations, usage", async () => {
      const request: RequestInit = {
        model: "grok-4",
        messages: [user("Who discovered penicillin?")],
        tools: [{ tool: { case: "webSearch", value: { allowedDomains: ["en.wikipedia.org"] } } }],
        include: [IncludeOption.WEB_SEARCH_CALL_OUTPUT, IncludeOption.INLINE_CITATIONS],
      };
      const response = await complete(request);
      assert.deepEqual(
        response.outputs.map((o) => [o.index, o.message?.role]),
        [
          [0, MessageRole.ROLE_ASSISTANT],
          [1, MessageRole.ROLE_TOOL],
          [2, MessageRole.ROLE_ASSISTANT],
        ],
      );
      const call = response.outputs[0].message?.toolCalls[0];
      assert.equal(call?.type, ToolCallType.WEB_SEARCH_TOOL);
      assert.equal(call?.status, ToolCallStatus.COMPLETED);
      assert.equal(JSON.parse(call?.tool.value?.arguments ?? "").query, "Who discovered penicillin?");
      const results = JSON.parse(response.outputs[1].message?.content ?? "");
      assert.ok(
        results.length > 0 &&
          results.every((r: { url: string }) => r.url.startsWith("https://en.wikipedia.org/")),
      );
      const final = response.outputs[2];
      assert.equal(final.finishReason, FinishReason.REASON_STOP);
      assert.ok(response.citations.length > 0);
      const inline = final.message?.citations ?? [];
      assert.ok(inline.length > 0);
      const chars = Array.from(final.message?.content ?? "");
      for (const citation of inline) {
        assert.equal(citation.citation.case, "webCitation");
        const marker = chars.slice(citation.startIndex, citation.endIndex).join("");
        assert.equal(marker, `[[${citation.id}]](${citation.citation.value?.url})`);
      }
      assert.deepEqual(response.usage?.serverSideToolsUsed, [ServerSideTool.WEB_SEARCH]);
      assert.equal(response.usage?.numSourcesUsed, response.citations.length);
      const withoutOutput = await complete({ ...request, include: [] });
      assert.deepEqual(
        withoutOutput.outputs.map((o) => o.message?.role),
        [MessageRole.ROLE_ASSISTANT, MessageRole.ROLE_ASSISTANT],
      );
      assert.equal(withoutOutput.outputs[1].message?.citations.length, 0);
      const chunks = await stream(request);
      const streamed = assemble(chunks);
      assert.equal(streamed.outputs.get(2)?.content, final.message?.content);
      assert.equal(streamed.outputs.get(0)?.calls[0].type, ToolCallType.WEB_SEARCH_TOOL);
      assert.deepEqual(chunks.at(-1)?.citations, response.citations);
    });

    test("code execution, X search, collections, MCP and image generation tools; max_turns caps them", async () => {
      const response = await complete({
        model: "grok-4",
        messages: [user("Compute 2 + 3 * 4 and draw it")],
        tools: [
          { tool: { case: "codeExecution", value: {} } },
          { tool: { case: "xSearch", value: { allowedXHandles: ["nasa"] } } },
          { tool: { case: "collectionsSearch", value: { collectionIds: ["collection_1"] } } },
          { tool: { case: "mcp", value: { serverUrl: "https://mcp.example/sse", serverLabel: "docs" } } },
          { tool: { case: "imageGeneration", value: {} } },
        ],
        include: [IncludeOption.CODE_EXECUTION_CALL_OUTPUT, IncludeOption.INLINE_CITATIONS],
      });
      const calls = response.outputs.flatMap((o) =>
        o.message?.role === MessageRole.ROLE_ASSISTANT ? o.message.toolCalls : [],
      );
      assert.deepEqual(
        calls.map((c) => c.type),
        [
          ToolCallType.CODE_EXECUTION_TOOL,
          ToolCallType.X_SEARCH_TOOL,
          ToolCallType.COLLECTIONS_SEARCH_TOOL,
          ToolCallType.MCP_TOOL,
          ToolCallType.IMAGE_GENERATION_TOOL,
        ],
      );
      const toolOutputs = response.outputs.filter((o) => o.message?.role === MessageRole.ROLE_TOOL);
      assert.equal(toolOutputs.length, 2, "code execution (asked) and image generation (always)");
      assert.equal(JSON.parse(toolOutputs[0].message?.content ?? "").stdout, "14\n");
      const envelope = JSON.parse(toolOutputs[1].message?.content ?? "");
      assert.equal(envelope.__type, "image_generation_result");
      const png = Buffer.from(envelope.result.split("base64,")[1], "base64");
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.equal(toolOutputs[1].message?.toolCalls[0].type, ToolCallType.IMAGE_GENERATION_TOOL);
      assert.match(
        firstContent({ ...response, outputs: [response.outputs.at(-1)!] } as GetChatCompletionResponse),
        /gives 14/,
      );
      assert.ok(response.citations.some((u) => u.startsWith("https://x.com/nasa/status/")));
      assert.ok(response.citations.some((u) => u.startsWith("collections://collection_1/files/")));
      const kinds = response.outputs.at(-1)?.message?.citations.map((c) => c.citation.case);
      assert.ok(kinds?.includes("xCitation") && kinds.includes("collectionsCitation"));
      assert.deepEqual(response.usage?.serverSideToolsUsed, [
        ServerSideTool.CODE_EXECUTION,
        ServerSideTool.X_SEARCH,
        ServerSideTool.COLLECTIONS_SEARCH,
        ServerSideTool.MCP,
        ServerSideTool.IMAGE_GENERATION,
      ]);
      const capped = await complete({
        model: "grok-4",
        messages: [user("Compute 2 + 3")],
        maxTurns: 1,
        tools: [{ tool: { case: "codeExecution", value: {} } }, { tool: { case: "webSearch", value: {} } }],
      });
      assert.deepEqual(capped.usage?.serverSideToolsUsed, [ServerSideTool.CODE_EXECUTION]);
    });

    test("attachment search finds passages of the attached files", async () => {
      const data = new TextEncoder().encode("The launch is on Tuesday. The budget is three million.");
      const response = await complete({
        model: "grok-4",
        messages: [
          {
            role: MessageRole.ROLE_USER,
            content: [
              text("When is the launch?"),
              { content: { case: "file", value: { data, filename: "plan.txt" } } },
            ],
          },
        ],
        tools: [{ tool: { case: "attachmentSearch", value: {} } }],
        include: [IncludeOption.ATTACHMENT_SEARCH_CALL_OUTPUT],
      });
      assert.equal(response.outputs[0].message?.toolCalls[0].type, ToolCallType.ATTACHMENT_SEARCH_TOOL);
      assert.deepEqual(JSON.parse(response.outputs[1].message?.content ?? "").results, [
        { text: "The launch is on Tuesday." },
      ]);
      assert.match(
        firstContent({ ...response, outputs: [response.outputs[2]] } as GetChatCompletionResponse),
        /Tuesday/,
      );
      assert.deepEqual(response.usage?.serverSideToolsUsed, [ServerSideTool.ATTACHMENT_SEARCH]);
    });

    test("server-side and client-side tools together: server steps, then the client call", async () => {
      const response = await complete({
        model: "grok-4",
        messages: [user("Search the web, then book_flight to Oslo")],
        tools: [
          { tool: { case: "webSearch", value: {} } },
          fn("book_flight", "Book a flight", {
            type: "object",
            properties: { destination: { type: "string" } },
            required: ["destination"],
          }),
        ],
      });
      const last = response.outputs.at(-1);
      assert.equal(last?.finishReason, FinishReason.REASON_TOOL_CALLS);
      assert.equal(last?.message?.toolCalls[0].type, ToolCallType.CLIENT_SIDE_TOOL);
      assert.equal(JSON.parse(last?.message?.toolCalls[0].tool.value?.arguments ?? "").destination, "Oslo");
      assert.equal(response.outputs[0].message?.toolCalls[0].type, ToolCallType.WEB_SEARCH_TOOL);
    });
  });

  describe("long streams", () => {
    test("!chunks 100000 streams exactly that many content chunks, in order", async () => {
      let count = 0;
      let ordered = true;
      let last: GetChatCompletionChunk | undefined;
      await env.api.serverStreamOk(
        Chat.method.getCompletionChunk,
        { model: "grok-3", messages: [user("!chunks 100000")] },
        (chunk) => {
          if (chunk.outputs[0].delta?.content !== `${count} `) ordered = false;
          count++;
          last = chunk;
        },
      );
      assert.equal(count, 100_000);
      assert.ok(ordered);
      assert.equal(last?.outputs[0].finishReason, FinishReason.REASON_STOP);
      assert.equal(last?.usage?.completionTokens, 100_000);
      assert.ok(last?.id && last.model === "grok-3");
      const unary = await complete({ model: "grok-3", messages: [user("!chunks 5")] });
      assert.equal(firstContent(unary), "0 1 2 3 4 ");
    });

    test("cancelling a stream stops the producer (the call ends CANCELLED)", async () => {
      env.emulator.reset();
      let received = 0;
      await rejectsWithStatus(
        env.api.serverStreamOk(
          Chat.method.getCompletionChunk,
          { model: "grok-3", messages: [user("!chunks 5000000")] },
          (_c, cancel) => {
            received++;
            if (received === 50) cancel();
          },
        ),
        Code.CANCELLED,
      );
      const record = env.emulator.calls.find((c) => c.method === "/xai_api.Chat/GetCompletionChunk");
      for (let i = 0; i < 200 && record?.status === undefined; i++)
        await new Promise((r) => setTimeout(r, 10));
      assert.equal(record?.status, Code.CANCELLED);
    });
  });

  describe("stored, deferred and compacted completions", () => {
    test("store_messages keeps the response; previous_response_id continues from it; delete forgets it", async () => {
      const first = await complete({
        model: "grok-3",
        storeMessages: true,
        messages: [user("My favourite colour is teal")],
      });
      const stored = await env.api.unaryOk(Chat.method.getStoredCompletion, { responseId: first.id });
      assert.equal(stored.id, first.id);
      assert.equal(firstContent(stored), firstContent(first));
      const next = await complete({
        model: "grok-3",
        previousResponseId: first.id,
        messages: [user("What did I say?")],
      });
      assert.match(firstContent(next), /Earlier you said: “My favourite colour is teal”/);
      assert.ok((next.usage?.cachedPromptTextTokens ?? 0) > 0);
      assert.equal(next.settings?.previousResponseId, first.id);
      const streamedStore = await stream({
        model: "grok-3",
        storeMessages: true,
        messages: [user("Streamed and stored")],
      });
      const streamedId = streamedStore[0].id;
      assert.equal(
        firstContent(await env.api.unaryOk(Chat.method.getStoredCompletion, { responseId: streamedId })),
        assemble(streamedStore).outputs.get(0)?.content,
      );
      const deleted = await env.api.unaryOk(Chat.method.deleteStoredCompletion, { responseId: first.id });
      assert.equal(deleted.responseId, first.id);
      await rejectsWithStatus(
        env.api.unaryOk(Chat.method.getStoredCompletion, { responseId: first.id }),
        Code.NOT_FOUND,
        /No stored completion/,
      );
      await rejectsWithStatus(
        env.api.unaryOk(Chat.method.deleteStoredCompletion, { responseId: first.id }),
        Code.NOT_FOUND,
      );
      await rejectsWithStatus(
        complete({ model: "grok-3", previousResponseId: first.id, messages: [user("?")] }),
        Code.NOT_FOUND,
      );
      const unstored = await complete({ model: "grok-3", messages: [user("not stored")] });
      await rejectsWithStatus(
        env.api.unaryOk(Chat.method.getStoredCompletion, { responseId: unstored.id }),
        Code.NOT_FOUND,
      );
    });

    test("deferred completions stay PENDING for the configured polls, then DONE; unknown ids are NOT_FOUND", async () => {
      const request: RequestInit = { model: "grok-3", messages: [user("Write a haiku about rain")] };
      const { requestId } = await env.api.unaryOk(Chat.method.startDeferredCompletion, request);
      assert.ok(requestId);
      const poll = () => env.api.unaryOk(Chat.method.getDeferredCompletion, { requestId });
      assert.equal((await poll()).status, DeferredStatus.PENDING);
      const pending = await poll();
      assert.equal(pending.status, DeferredStatus.PENDING);
      assert.equal(pending.response, undefined);
      const done = await poll();
      assert.equal(done.status, DeferredStatus.DONE);
      assert.equal(
        firstContent(done.response as GetChatCompletionResponse),
        firstContent(await complete(request)),
      );
      assert.equal((await poll()).status, DeferredStatus.DONE);
      await rejectsWithStatus(
        env.api.unaryOk(Chat.method.getDeferredCompletion, { requestId: "missing" }),
        Code.NOT_FOUND,
        /missing/,
      );
    });

    test("CompactContext drops the messages into encrypted content that a later request can use", async () => {
      const input = [
        system("You are a librarian."),
        user("I am reading Dune"),
        { role: MessageRole.ROLE_ASSISTANT, content: [text("Great choice.")] },
      ];
      const compacted = await env.api.unaryOk(Chat.method.compactContext, { model: "grok-4", input });
      assert.ok(compacted.id);
      assert.equal(compacted.droppedMessageCount, 3);
      assert.match(compacted.encryptedContent, /^[A-Za-z0-9+/]+={0,2}$/);
      assert.ok((compacted.usage?.promptTokens ?? 0) > 0 && (compacted.usage?.completionTokens ?? 0) > 0);
      const next = await complete({
        model: "grok-4",
        messages: [
          { role: MessageRole.ROLE_USER, encryptedContent: compacted.encryptedContent },
          user("What book am I reading?"),
        ],
      });
      assert.match(firstContent(next), /Earlier you said: “I am reading Dune”/);
      assert.match(firstContent(next), /a librarian/);
      await rejectsWithStatus(
        env.api.unaryOk(Chat.method.compactContext, { model: "grok-4", input: [] }),
        Code.INVALID_ARGUMENT,
        /input is empty/,
      );
      await rejectsWithStatus(
        env.api.unaryOk(Chat.method.compactContext, { model: "nope", input }),
        Code.NOT_FOUND,
      );
    });
  });

  describe("scripted replies", () => {
    test("text, tool calls and errors are returned instead of generated replies, in order", async () => {
      env.emulator.reset();
      env.emulator.script.chat(
        { kind: "text", content: "Scripted hello", reasoningContent: "scripted thinking" },
        {
          kind: "toolCalls",
          toolCalls: [
            { name: "lookup", arguments: { q: 1 }, id: "call_fixed" },
            { name: "other", arguments: "{}" },
          ],
        },
        { kind: "error", code: Code.RESOURCE_EXHAUSTED, details: "Slow down." },
        { kind: "text", content: "Streamed script" },
        { kind: "text", content: "Deferred script" },
      );
      const a = await complete({ model: "grok-4", messages: [user("hi")] });
      assert.equal(firstContent(a), "Scripted hello");
      assert.equal(a.outputs[0].message?.reasoningContent, "scripted thinking");
      assert.equal(a.usage?.completionTokens, countTokens("Scripted hello"));
      const b = await complete({ model: "grok-4", messages: [user("hi")] });
      const calls = b.outputs[0].message?.toolCalls ?? [];
      assert.deepEqual(
        calls.map((c) => [c.id.startsWith("call_"), c.tool.value?.name, c.tool.value?.arguments]),
        [
          [true, "lookup", '{"q":1}'],
          [true, "other", "{}"],
        ],
      );
      assert.equal(calls[0].id, "call_fixed");
      assert.equal(b.outputs[0].finishReason, FinishReason.REASON_TOOL_CALLS);
      await rejectsWithStatus(
        complete({ model: "grok-4", messages: [user("hi")] }),
        Code.RESOURCE_EXHAUSTED,
        /Slow down/,
      );
      assert.equal(
        assemble(await stream({ model: "grok-4", messages: [user("hi")] })).outputs.get(0)?.content,
        "Streamed script",
      );
      const { requestId } = await env.api.unaryOk(Chat.method.startDeferredCompletion, {
        model: "grok-4",
        messages: [user("hi")],
      });
      let done = await env.api.unaryOk(Chat.method.getDeferredCompletion, { requestId });
      while (done.status === DeferredStatus.PENDING)
        done = await env.api.unaryOk(Chat.method.getDeferredCompletion, { requestId });
      assert.equal(firstContent(done.response as GetChatCompletionResponse), "Deferred script");
      assert.doesNotMatch(
        firstContent(await complete({ model: "grok-4", messages: [user("hi")] })),
        /script/,
      );
    });

    test("an invalid request does not consume a scripted reply", async () => {
      env.emulator.reset();
      env.emulator.script.chat({ kind: "text", content: "kept" });
      await rejectsWithStatus(complete({ model: "grok-4", messages: [] }), Code.INVALID_ARGUMENT);
      assert.equal(firstContent(await complete({ model: "grok-4", messages: [user("hi")] })), "kept");
    });
  });

  describe("sample service", () => {
    test("SampleText continues the prompt deterministically, n choices, and streams the same text", async () => {
      const request = { model: "grok-3", prompt: ["Once upon a time in a quiet village"], n: 2 };
      const a = await env.api.unaryOk(Sample.method.sampleText, request);
      const b = await env.api.unaryOk(Sample.method.sampleText, request);
      assert.deepEqual(
        a.choices.map((c) => c.text),
        b.choices.map((c) => c.text),
      );
      assert.equal(a.choices.length, 2);
      assert.notEqual(a.choices[0].text, a.choices[1].text);
      assert.match(a.choices[0].text, /village/);
      assert.equal(a.usage?.promptTokens, countTokens("Once upon a time in a quiet village"));
      const chunks = await env.api.serverStreamOk(Sample.method.sampleTextStreaming, request);
      const texts = ["", ""];
      for (const chunk of chunks) for (const choice of chunk.choices) texts[choice.index] += choice.text;
      assert.deepEqual(
        texts,
        a.choices.map((c) => c.text),
      );
      assert.ok(chunks.length > 10);
      assert.deepEqual(chunks.at(-1)?.usage?.completionTokens, a.usage?.completionTokens);
      const short = await env.api.unaryOk(Sample.method.sampleText, { ...request, n: 1, maxTokens: 3 });
      assert.equal(short.choices[0].finishReason, FinishReason.REASON_MAX_LEN);
      assert.equal(countTokens(short.choices[0].text), 3);
      await rejectsWithStatus(
        env.api.unaryOk(Sample.method.sampleText, { model: "grok-3", prompt: [] }),
        Code.INVALID_ARGUMENT,
        /prompt is empty/,
      );
      await rejectsWithStatus(
        env.api.unaryOk(Sample.method.sampleText, { ...request, temperature: 9 }),
        Code.INVALID_ARGUMENT,
      );
      await rejectsWithStatus(
        env.api.serverStreamOk(Sample.method.sampleTextStreaming, { ...request, model: "x" }),
        Code.NOT_FOUND,
      );
    });
  });
});

describe("completeChat (used by the batch service)", () => {
  test("answers like GetCompletion, ignores scripted replies, and throws EmulatorError for bad input", async () => {
    const ctx = new EmulatorState({
      models: EMULATOR_CATALOG,
      deferredPolls: 0,
      processingDelayMs: 0,
      httpUrl: "http://127.0.0.1:1",
      generation: 1,
    });
    ctx.scriptedChatReplies.push({ kind: "text", content: "scripted" });
    const request = create(Chat.method.getCompletion.input, {
      model: "grok-3",
      messages: [user("Describe tides")],
    });
    const response = await completeChat(ctx, request);
    assert.match(firstContent(response), /tides/);
    assert.equal(ctx.scriptedChatReplies.length, 1);
    await assert.rejects(
      completeChat(ctx, create(Chat.method.getCompletion.input, { model: "grok-3" })),
      (error: unknown) => error instanceof EmulatorError && error.code === Code.INVALID_ARGUMENT,
    );
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(
      completeChat(ctx, request, aborted.signal),
      (e: unknown) => e instanceof EmulatorError && e.code === Code.CANCELLED,
    );
  });
});
