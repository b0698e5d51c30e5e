// Function calling and structured outputs against the emulator: the manual tool loop, runTools() (three rounds
// with parallel calls, validation errors sent back to the model, unknown tools, handler errors, round limit)
// and parse() with zod and raw JSON Schema, including an answer that fails validation.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { z } from "zod";
import {
  type GetCompletionsRequest,
  type Message,
  MessageRole,
  ToolCallType,
} from "../src/gen/xai/api/v1/chat_pb.js";
import {
  type Chat,
  InternalError,
  requiredTool,
  StructuredOutputError,
  ToolRoundsExceededError,
  tool,
  toolResult,
  UserAbortError,
  user,
  webSearch,
  XaiInputError,
} from "../src/index.js";
import { Code } from "../src/testing/index.js";
import { completionRequests, useEmulator } from "./helpers/emulator.js";

const env = useEmulator({ resetBeforeEach: true });

const requests = (): GetCompletionsRequest[] => completionRequests(env.emulator);

const City = z.object({ city: z.string().describe("City name") });

describe("manual tool loop", () => {
  test("tool calls come back parsed; results answer them by id", async () => {
    const chat = env.client.chat.create({
      model: "grok-4",
      tools: [tool("get_weather", "Current weather of a city", City)],
      messages: [user("What is the get_weather in Paris?")],
    });
    const response = await chat.sample();
    assert.equal(response.finishReason, "tool_calls");
    const [call] = response.toolCalls;
    assert.equal(call.name, "get_weather");
    assert.equal(call.type, "client_side_tool");
    assert.equal(typeof (call.arguments as { city: string }).city, "string");
    assert.equal(call.argumentsJson, JSON.stringify(call.arguments));
    chat.append(response, toolResult({ celsius: 21 }, call.id));
    const answer = await chat.sample();
    assert.equal(answer.finishReason, "stop");
    const sent = requests().at(-1);
    assert.ok(sent);
    assert.deepEqual(
      sent.messages.map((m) => m.role),
      [MessageRole.ROLE_USER, MessageRole.ROLE_ASSISTANT, MessageRole.ROLE_TOOL],
    );
    assert.equal(sent.messages[1].toolCalls[0].id, call.id);
    assert.equal(sent.messages[2].toolCallId, call.id);
    assert.equal(sent.messages[2].content[0].content.value, '{"celsius":21}');
  });

  test("requiredTool() forces the named function", async () => {
    const chat = env.client.chat.create({
      model: "grok-4",
      tools: [tool("a_tool", "A", City), tool("b_tool", "B", City)],
      toolChoice: requiredTool("b_tool"),
      messages: [user("Do whatever")],
    });
    const response = await chat.sample();
    assert.deepEqual(
      response.toolCalls.map((c) => c.name),
      ["b_tool"],
    );
  });
});

describe("runTools()", () => {
  test("a three-round loop with parallel calls, run concurrently, until the model answers", async () => {
    env.emulator.script.chat(
      {
        kind: "toolCalls",
        toolCalls: [
          { name: "get_weather", arguments: { city: "Paris" }, id: "c1" },
          { name: "get_time", arguments: { zone: "Europe/Paris" }, id: "c2" },
        ],
      },
      {
        kind: "toolCalls",
        toolCalls: [
          { name: "get_weather", arguments: { city: "Rome" }, id: "c3" },
          { name: "get_weather", arguments: { city: "Oslo" }, id: "c4" },
          { name: "get_time", arguments: { zone: "Europe/Oslo" }, id: "c5" },
        ],
      },
      { kind: "toolCalls", toolCalls: [{ name: "get_time", arguments: { zone: "UTC" }, id: "c6" }] },
      { kind: "text", content: "Paris is warmest." },
    );
    let active = 0;
    let maxActive = 0;
    const executed: string[] = [];
    const track = async <T>(label: string, value: T): Promise<T> => {
      active++;
      maxActive = Math.max(maxActive, active);
      executed.push(label);
      await new Promise((resolve) => setImmediate(resolve));
      active--;
      return value;
    };
    const chat = env.client.chat.create({ model: "grok-4", messages: [user("Compare the weather")] });
    const rounds: number[] = [];
    const { response, rounds: done } = await chat.runTools({
      tools: {
        get_weather: {
          description: "Weather of a city",
          parameters: City,
          execute: ({ city }) => {
            // @ts-expect-error the arguments are typed from the zod schema: city is a string
            const notANumber: number = city;
            return track(`weather:${notANumber}`, { city, celsius: city.length });
          },
        },
        get_time: {
          description: "Time in a zone",
          parameters: z.object({ zone: z.string() }),
          execute: async ({ zone }) => track(`time:${zone}`, `12:00 in ${zone}`),
        },
      },
      maxRounds: 3,
      onRound: (round) => rounds.push(round.calls.length),
    });
    assert.equal(response.content, "Paris is warmest.");
    assert.equal(done.length, 3);
    assert.deepEqual(rounds, [2, 3, 1]);
    assert.ok(maxActive >= 2, "parallel calls ran concurrently");
    assert.deepEqual(executed, [
      "weather:Paris",
      "time:Europe/Paris",
      "weather:Rome",
      "weather:Oslo",
      "time:Europe/Oslo",
      "time:UTC",
    ]);
    assert.ok(done.every((r) => r.calls.every((c) => c.status === "ok")));
    assert.deepEqual(done[0].calls[0].result, { city: "Paris", celsius: 5 });

    const sent = requests();
    assert.equal(sent.length, 4);
    assert.deepEqual(
      sent[0].tools.map((t) => (t.tool.value as { name: string }).name),
      ["get_weather", "get_time"],
    );
    const last = sent[3].messages;
    const toolMessages = last.filter((m) => m.role === MessageRole.ROLE_TOOL);
    assert.deepEqual(
      toolMessages.map((m) => m.toolCallId),
      ["c1", "c2", "c3", "c4", "c5", "c6"],
    );
    assert.equal(toolMessages[1].content[0].content.value, "12:00 in Europe/Paris");
    assert.equal(toolMessages[0].content[0].content.value, '{"city":"Paris","celsius":5}');
    assert.equal(
      chat.messages.length,
      1 + 3 * 1 + 6 + 1,
      "everything, final answer included, is in the chat",
    );
    assert.equal(chat.toRequest().tools.length, 0, "runTools' tools are not kept on the chat");
  });

  test("arguments that fail validation go back to the model; the handler is not called", async () => {
    env.emulator.script.chat(
      { kind: "toolCalls", toolCalls: [{ name: "get_weather", arguments: { city: 5 }, id: "bad" }] },
      { kind: "toolCalls", toolCalls: [{ name: "get_weather", arguments: "{not json", id: "worse" }] },
      { kind: "toolCalls", toolCalls: [{ name: "get_weather", arguments: { city: "Lima" }, id: "good" }] },
      { kind: "text", content: "Lima is mild." },
    );
    const calls: string[] = [];
    const chat = env.client.chat.create({ model: "grok-4", messages: [user("Weather?")] });
    const { rounds } = await chat.runTools({
      tools: {
        get_weather: {
          description: "Weather",
          parameters: City,
          execute: ({ city }) => {
            calls.push(city);
            return "mild";
          },
        },
      },
    });
    assert.deepEqual(calls, ["Lima"]);
    assert.deepEqual(
      rounds.map((r) => r.calls[0].status),
      ["invalid_arguments", "invalid_arguments", "ok"],
    );
    assert.deepEqual(rounds[0].calls[0].issues?.[0].path, ["city"]);
    const toolMessages = requests()
      .at(-1)
      ?.messages.filter((m) => m.role === MessageRole.ROLE_TOOL);
    assert.match(
      String(toolMessages?.[0].content[0].content.value),
      /^Error: invalid arguments for get_weather: city: /,
    );
    assert.match(String(toolMessages?.[1].content[0].content.value), /arguments are not valid JSON/);
  });

  test("raw JSON Schema parameters are validated with ajv", async () => {
    env.emulator.script.chat(
      { kind: "toolCalls", toolCalls: [{ name: "add", arguments: { a: 1 }, id: "x" }] },
      { kind: "text", content: "done" },
    );
    const { rounds } = await env.client.chat.create({ model: "grok-4", messages: [user("1+?")] }).runTools({
      tools: {
        add: {
          description: "Adds",
          parameters: {
            type: "object",
            properties: { a: { type: "number" }, b: { type: "number" } },
            required: ["a", "b"],
          },
          execute: (args) => (args as { a: number; b: number }).a + (args as { a: number; b: number }).b,
        },
      },
    });
    assert.equal(rounds[0].calls[0].status, "invalid_arguments");
    assert.match(rounds[0].calls[0].output, /must have required property 'b'/);
  });

  test("unknown tools and throwing handlers are reported to the model; onToolError 'throw' stops", async () => {
    env.emulator.script.chat(
      {
        kind: "toolCalls",
        toolCalls: [
          { name: "nope", arguments: {}, id: "u" },
          { name: "boom", arguments: {}, id: "b" },
        ],
      },
      { kind: "text", content: "ok" },
    );
    const tools = {
      boom: {
        description: "Fails",
        parameters: z.object({}),
        execute: () => {
          throw new Error("disk full");
        },
      },
    };
    const { rounds } = await env.client.chat
      .create({ model: "grok-4", messages: [user("x")] })
      .runTools({ tools });
    assert.deepEqual(
      rounds[0].calls.map((c) => [c.status, c.output]),
      [
        ["unknown_tool", 'Error: there is no tool named "nope". Available tools: boom.'],
        ["error", "Error: disk full"],
      ],
    );
    env.emulator.script.chat({ kind: "toolCalls", toolCalls: [{ name: "boom", arguments: {}, id: "b2" }] });
    await assert.rejects(
      env.client.chat
        .create({ model: "grok-4", messages: [user("x")] })
        .runTools({ tools, onToolError: "throw" }),
      /disk full/,
    );
  });

  test("running out of rounds rejects with ToolRoundsExceededError", async () => {
    const call = { kind: "toolCalls" as const, toolCalls: [{ name: "ping", arguments: {} }] };
    env.emulator.script.chat(call, call, call);
    const err = await env.client.chat
      .create({ model: "grok-4", messages: [user("x")] })
      .runTools({
        tools: { ping: { description: "", parameters: z.object({}), execute: () => "pong" } },
        maxRounds: 2,
      })
      .then(
        () => assert.fail("expected a rejection"),
        (e: unknown) => e,
      );
    assert.ok(err instanceof ToolRoundsExceededError);
    assert.equal(err.rounds, 2);
    assert.equal(err.response.toolCalls[0].name, "ping");
  });

  test("the emulated model picks tools itself; server-side tools stay on", async () => {
    const chat = env.client.chat.create({
      model: "grok-4",
      tools: [webSearch()],
      messages: [user("Use get_weather for Paris and Tokyo")],
    });
    const { response, rounds } = await chat.runTools({
      tools: {
        get_weather: { description: "Weather", parameters: City, execute: ({ city }) => `sunny in ${city}` },
      },
    });
    assert.ok(rounds.length >= 1);
    assert.ok(response.content.length > 0);
    assert.ok(requests()[0].tools.some((t) => t.tool.case === "webSearch"));
  });

  test("bad runTools() options fail before any call", async () => {
    const chat = env.client.chat.create({
      model: "grok-4",
      tools: [tool("mine", "", City)],
      messages: [user("x")],
    });
    await assert.rejects(chat.runTools({ tools: {} }), XaiInputError);
    await assert.rejects(
      chat.runTools({ tools: { other: { description: "", parameters: City, execute: () => 1 } } }),
      /the chat's tool "mine" has no handler/,
    );
    await assert.rejects(
      chat.runTools({
        tools: { mine: { description: "", parameters: City, execute: () => 1 } },
        maxRounds: 0,
      }),
      /maxRounds must be between 1 and 1000/,
    );
    assert.equal(env.emulator.calls.length, 0);
  });
});

describe("parse()", () => {
  const Weather = z.object({ city: z.string(), celsius: z.number(), sunny: z.boolean() });

  test("returns the validated value; the chat's format is unchanged", async () => {
    const chat = env.client.chat.create({ model: "grok-4", messages: [user("Weather in Paris as JSON")] });
    const [response, weather] = await chat.parse(Weather);
    assert.equal(typeof weather.celsius, "number");
    assert.equal(typeof weather.sunny, "boolean");
    assert.deepEqual(JSON.parse(response.content), weather);
    const sent = requests().at(-1);
    assert.equal(sent?.responseFormat?.formatType, 3);
    assert.deepEqual(JSON.parse(sent?.responseFormat?.schema ?? "{}").required, ["city", "celsius", "sunny"]);
    await chat.sample();
    assert.equal(requests().at(-1)?.responseFormat, undefined);
  });

  test("a raw JSON Schema works too", async () => {
    const [, value] = await env.client.chat.create({ model: "grok-4", messages: [user("A number")] }).parse({
      type: "object",
      properties: { n: { type: "integer", minimum: 3, maximum: 5 } },
      required: ["n"],
    });
    const n = (value as { n: number }).n;
    assert.ok(n >= 3 && n <= 5);
  });

  test("an answer that does not validate rejects with the raw content and the issues", async () => {
    env.emulator.script.chat({
      kind: "text",
      content: '{"city": "Paris", "celsius": "warm", "sunny": true}',
    });
    const chat = env.client.chat.create({ model: "grok-4", messages: [user("x")] });
    const err = await chat.parse(Weather).then(
      () => assert.fail("expected a rejection"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof StructuredOutputError);
    assert.equal(err.content, '{"city": "Paris", "celsius": "warm", "sunny": true}');
    assert.deepEqual(
      err.issues.map((i) => i.path),
      [["celsius"]],
    );
    assert.match(err.message, /celsius: /);
    env.emulator.script.chat({ kind: "text", content: "Sorry, I cannot." });
    await assert.rejects(
      chat.parse(Weather),
      (e: unknown) => e instanceof StructuredOutputError && /not valid JSON/.test(e.message),
    );
  });
});

/**
 * Fails unless every client-side tool call in `messages` is answered by a tool result among the tool messages
 * right after it (the API rejects a conversation with unanswered calls; the emulator does not check it).
 */
function assertOnlyCompleteRounds(messages: readonly Message[]): void {
  messages.forEach((message, i) => {
    // Client-side calls (the model's functions): these need an answer from the tool loop.
    const clientSide = (type: ToolCallType) =>
      type === ToolCallType.CLIENT_SIDE_TOOL || type === ToolCallType.INVALID;
    const ids = message.toolCalls.filter((c) => clientSide(c.type)).map((c) => c.id);
    if (ids.length === 0) return;
    const answered = new Set<string>();
    for (let j = i + 1; j < messages.length && messages[j].role === MessageRole.ROLE_TOOL; j++) {
      answered.add(messages[j].toolCallId ?? "");
    }
    assert.deepEqual(
      ids.filter((id) => !answered.has(id)),
      [],
      `messages[${i}] has tool calls without results: the chat ends with an incomplete round`,
    );
  });
}

/** Samples once more from the chat and checks the request it sent holds only complete rounds. */
async function assertChatUsable(chat: Chat): Promise<void> {
  assertOnlyCompleteRounds(chat.messages);
  env.emulator.script.chat({ kind: "text", content: "still here" });
  const response = await chat.sample();
  assert.equal(response.content, "still here");
  const sent = requests().at(-1);
  assert.ok(sent);
  assertOnlyCompleteRounds(sent.messages);
}

/** Resolves once the emulator received `count` GetCompletion calls (bounded by the test's timeout). */
async function completionCalls(count: number): Promise<void> {
  while (requests().length < count) await new Promise((resolve) => setTimeout(resolve, 2));
}

describe("runTools() end states: the chat holds only complete rounds", () => {
  const ping = { description: "Ping", parameters: z.object({}), execute: () => "pong" };
  const pingCall = (id: string) => ({
    kind: "toolCalls" as const,
    toolCalls: [{ name: "ping", arguments: {}, id }],
  });
  const roles = (chat: Chat) => chat.messages.map((m) => MessageRole[m.role]);

  test("the model answers: every round and the final answer are appended", { timeout: 10_000 }, async () => {
    env.emulator.script.chat(pingCall("p1"), { kind: "text", content: "done" });
    const chat = env.client.chat.create({ model: "grok-4", messages: [user("x")] });
    const { response } = await chat.runTools({ tools: { ping } });
    assert.equal(response.content, "done");
    assert.deepEqual(roles(chat), ["ROLE_USER", "ROLE_ASSISTANT", "ROLE_TOOL", "ROLE_ASSISTANT"]);
    await assertChatUsable(chat);
  });

  test("unknown tools and invalid arguments (report mode) are answered: the round is complete", {
    timeout: 10_000,
  }, async () => {
    env.emulator.script.chat(
      {
        kind: "toolCalls",
        toolCalls: [
          { name: "nope", arguments: {}, id: "u" },
          { name: "get_weather", arguments: { city: 5 }, id: "bad" },
        ],
      },
      { kind: "text", content: "done" },
    );
    const chat = env.client.chat.create({ model: "grok-4", messages: [user("x")] });
    const { rounds } = await chat.runTools({
      tools: { get_weather: { description: "", parameters: City, execute: () => "sunny" } },
    });
    assert.deepEqual(
      rounds[0].calls.map((c) => c.status),
      ["unknown_tool", "invalid_arguments"],
    );
    assert.deepEqual(roles(chat), [
      "ROLE_USER",
      "ROLE_ASSISTANT",
      "ROLE_TOOL",
      "ROLE_TOOL",
      "ROLE_ASSISTANT",
    ]);
    await assertChatUsable(chat);
  });

  test("rounds exceeded: the unanswered response is on the error, not in the chat", {
    timeout: 10_000,
  }, async () => {
    env.emulator.script.chat(pingCall("p1"), pingCall("p2"), pingCall("p3"));
    const chat = env.client.chat.create({ model: "grok-4", messages: [user("x")] });
    const err = await chat.runTools({ tools: { ping }, maxRounds: 2 }).then(
      () => assert.fail("expected a rejection"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ToolRoundsExceededError);
    assert.equal(err.rounds, 2);
    assert.equal(err.response.toolCalls[0].id, "p3");
    assertOnlyCompleteRounds(chat.messages);
    assert.deepEqual(roles(chat), [
      "ROLE_USER",
      "ROLE_ASSISTANT",
      "ROLE_TOOL",
      "ROLE_ASSISTANT",
      "ROLE_TOOL",
    ]);
    await assertChatUsable(chat);
  });

  test("a handler throws with onToolError 'throw': the run rejects with its error, the round is not appended", {
    timeout: 10_000,
  }, async () => {
    env.emulator.script.chat(pingCall("p1"), {
      kind: "toolCalls",
      toolCalls: [
        { name: "ping", arguments: {}, id: "p2" },
        { name: "boom", arguments: {}, id: "b" },
      ],
    });
    const chat = env.client.chat.create({ model: "grok-4", messages: [user("x")] });
    const boom = {
      description: "Fails",
      parameters: z.object({}),
      execute: () => {
        throw new Error("disk full");
      },
    };
    await assert.rejects(chat.runTools({ tools: { ping, boom }, onToolError: "throw" }), /disk full/);
    assertOnlyCompleteRounds(chat.messages);
    assert.deepEqual(roles(chat), ["ROLE_USER", "ROLE_ASSISTANT", "ROLE_TOOL"]);
    await assertChatUsable(chat);
  });

  test("a sample fails: the run rejects with the typed error; earlier rounds stay", {
    timeout: 10_000,
  }, async () => {
    env.emulator.script.chat(pingCall("p1"), {
      kind: "error",
      code: Code.INTERNAL,
      details: "model crashed",
    });
    const chat = env.client.chat.create({ model: "grok-4", messages: [user("x")] });
    await assert.rejects(
      chat.runTools({ tools: { ping } }),
      (e: unknown) => e instanceof InternalError && /model crashed/.test(e.message),
    );
    assert.deepEqual(roles(chat), ["ROLE_USER", "ROLE_ASSISTANT", "ROLE_TOOL"]);
    await assertChatUsable(chat);
  });

  test("the signal aborts during a sample: UserAbortError; earlier rounds stay", {
    timeout: 10_000,
  }, async () => {
    env.emulator.script.chat(pingCall("p1"));
    const controller = new AbortController();
    const chat = env.client.chat.create({ model: "grok-4", messages: [user("x")] });
    const slow = {
      ...ping,
      execute: () => {
        env.emulator.faults.latency(60_000, "Chat/GetCompletion");
        return "pong";
      },
    };
    const run = chat.runTools({ tools: { ping: slow } }, { signal: controller.signal });
    await completionCalls(2);
    controller.abort(new Error("user left"));
    const err = await run.then(
      () => assert.fail("expected a rejection"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof UserAbortError, String(err));
    assert.deepEqual(roles(chat), ["ROLE_USER", "ROLE_ASSISTANT", "ROLE_TOOL"]);
    env.emulator.faults.latency(0, "Chat/GetCompletion");
    await assertChatUsable(chat);
  });

  test("the signal aborts during a handler: UserAbortError at once, even if the handler ignores the signal; the round is not appended", {
    timeout: 10_000,
  }, async () => {
    env.emulator.script.chat(pingCall("p1"), pingCall("p2"));
    const controller = new AbortController();
    let release: () => void = () => {};
    const stuck = new Promise<string>((resolve) => {
      release = () => resolve("late");
    });
    let handlerSignal: AbortSignal | undefined;
    let calls = 0;
    const chat = env.client.chat.create({ model: "grok-4", messages: [user("x")] });
    const run = chat.runTools(
      {
        tools: {
          ping: {
            ...ping,
            execute: (_args, { signal }) => {
              if (++calls === 1) return "pong";
              handlerSignal = signal;
              setImmediate(() => controller.abort(new Error("user left")));
              return stuck;
            },
          },
        },
      },
      { signal: controller.signal },
    );
    const err = await run.then(
      () => assert.fail("expected a rejection"),
      (e: unknown) => e,
    );
    release();
    assert.ok(err instanceof UserAbortError, String(err));
    assert.equal((err.reason as Error).message, "user left");
    assert.equal(handlerSignal?.aborted, true, "the handler got the run's signal");
    assert.deepEqual(roles(chat), ["ROLE_USER", "ROLE_ASSISTANT", "ROLE_TOOL"]);
    assert.equal(requests().length, 2);
    await assertChatUsable(chat);
  });
});
