// Plain messages: `{ role, content }` objects and bare strings in `client.chat.create({ messages })` and
// `chat.append()`, against the emulator: the same request as the builders, tool turns, the errors for wrong
// shapes (raised before any call), and the TypeScript errors a mistyped plain message gets.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, test } from "node:test";
import { equals } from "@bufbuild/protobuf";
import ts from "typescript";
import { z } from "zod";
import { type GetCompletionsRequest, GetCompletionsRequestSchema } from "../src/gen/xai/api/v1/chat_pb.js";
import {
  assistant,
  developer,
  type MessageInput,
  system,
  text,
  tool,
  toolResult,
  user,
  XaiInputError,
} from "../src/index.js";
import { completionRequests, useEmulator } from "./helpers/emulator.js";

const env = useEmulator({ resetBeforeEach: true });

const requests = (): GetCompletionsRequest[] => completionRequests(env.emulator);

function assertSameRequest(a: GetCompletionsRequest, b: GetCompletionsRequest): void {
  assert.ok(
    equals(GetCompletionsRequestSchema, a, b),
    `the requests differ:\n${JSON.stringify(a.messages)}\n${JSON.stringify(b.messages)}`,
  );
}

const City = z.object({ city: z.string() });

describe("plain messages send what the builders send", () => {
  test("a conversation of plain objects and strings gives the builders' request", async () => {
    const image = "https://example.com/cat.jpg";
    const built = env.client.chat.create({
      model: "grok-4",
      messages: [
        system("You are a pirate."),
        developer("Answer in one line."),
        user("Hello"),
        assistant("Ahoy!"),
        user(text("What is this?"), "Be brief."),
      ],
    });
    const plain = env.client.chat.create({
      model: "grok-4",
      messages: [
        { role: "system", content: "You are a pirate." },
        { role: "developer", content: ["Answer in one line."] },
        "Hello",
        { role: "assistant", content: "Ahoy!" },
        { role: "user", content: [text("What is this?"), "Be brief."] },
      ],
    });
    await built.sample();
    await plain.sample();
    const [a, b] = requests();
    assertSameRequest(a, b);
    assert.equal(a.messages.length, 5);

    // append() takes the same forms, and mixes them with builders.
    built.append(user("Describe", text(image)), user("Thanks"));
    plain.append({ role: "user", content: ["Describe", text(image)] }, "Thanks");
    await built.sample();
    await plain.sample();
    const [, , c, d] = requests();
    assertSameRequest(c, d);
    assert.equal(c.messages.length, 7);
  });

  test("a tool turn: plain assistant toolCalls and a tool message with toolCallId equal append(response, toolResult())", async () => {
    const create = () =>
      env.client.chat.create({
        model: "grok-4",
        tools: [tool("get_weather", "Current weather of a city", City)],
        messages: ["What is the get_weather in Paris?"],
      });
    const viaBuilders = create();
    const response = await viaBuilders.sample();
    assert.equal(response.finishReason, "tool_calls");
    const [call] = response.toolCalls;
    viaBuilders.append(response, toolResult({ celsius: 21 }, call.id));
    await viaBuilders.sample();

    const viaPlain = create();
    viaPlain.append(
      {
        role: "assistant",
        content: response.content,
        reasoningContent: response.reasoningContent,
        toolCalls: response.toolCalls,
      },
      { role: "tool", toolCallId: call.id, content: '{"celsius":21}' },
    );
    await viaPlain.sample();
    const sent = requests();
    assertSameRequest(sent[1], sent[2]);

    // The openai-node shape of a tool call, and { id, name, arguments } with parsed arguments, send the same.
    const viaOpenAiShape = create();
    viaOpenAiShape.append(
      {
        role: "assistant",
        content: response.content,
        reasoningContent: response.reasoningContent,
        toolCalls: [
          { id: call.id, type: "function", function: { name: call.name, arguments: call.argumentsJson } },
        ],
      },
      { role: "tool", toolCallId: call.id, content: '{"celsius":21}' },
    );
    const viaObjectArguments = create().append(
      {
        role: "assistant",
        content: response.content,
        reasoningContent: response.reasoningContent,
        toolCalls: [{ id: call.id, name: call.name, arguments: call.arguments }],
      },
      { role: "tool", toolCallId: call.id, content: [text('{"celsius":21}')] },
    );
    await viaOpenAiShape.sample();
    await viaObjectArguments.sample();
    const [, , , e, f] = requests();
    assertSameRequest(sent[1], e);
    assertSameRequest(sent[1], f);
    assert.equal(e.messages[2].toolCallId, call.id);
  });

  test("an assistant turn without content but with tool calls sends an empty text part", () => {
    const chat = env.client.chat.create({ model: "grok-4", messages: ["hi"] });
    chat.append({
      role: "assistant",
      content: null,
      toolCalls: [{ id: "call_1", name: "f", arguments: "{}" }],
    });
    const sent = chat.messages[1];
    assert.equal(sent.content.length, 1);
    assert.equal(sent.content[0].content.value, "");
    assert.equal(sent.toolCalls[0].id, "call_1");
  });
});

describe("wrong shapes are XaiInputErrors naming the item, before any call", () => {
  const cases: [string, unknown, RegExp][] = [
    [
      "an unknown role",
      { role: "usr", content: "hi" },
      /\.role must be "user", .* got "usr"; did you mean "user"\?/,
    ],
    [
      "content a number",
      { role: "user", content: 42 },
      /\.content must be a string or an array of strings and parts/,
    ],
    ["tool without toolCallId", { role: "tool", content: "21" }, /has role "tool" but no toolCallId/],
    ["null", null, /must be a string \(a user message\), \{ role: .* or a message made by user\(\)/],
    ["a number", 7, /must be a string \(a user message\).*got 7/],
    [
      "an unknown key",
      { role: "tool", tool_call_id: "c", content: "x" },
      /unknown key "tool_call_id" \(did you mean "toolCallId"\?\); a "tool" message accepts role, content, toolCallId/,
    ],
    ["no content", { role: "user" }, /has no content/],
    ["an empty content array", { role: "system", content: [] }, /\.content must not be an empty array/],
    [
      "an OpenAI-style part",
      { role: "user", content: [{ type: "image_url", image_url: { url: "x" } }] },
      /\.content\[0\] must be a string or a part .* use image\(url\)/,
    ],
    [
      "a bad tool call",
      { role: "assistant", toolCalls: [{ name: "f" }] },
      /\.toolCalls\[0\]\.id must be a string/,
    ],
    ["an assistant with nothing", { role: "assistant" }, /needs content, toolCalls or both/],
  ];

  for (const [what, bad, pattern] of cases) {
    test(`${what}: messages[2] in create(), append() argument 3`, () => {
      assert.throws(
        () => env.client.chat.create({ model: "grok-4", messages: ["a", "b", bad as MessageInput] }),
        (err: unknown) =>
          err instanceof XaiInputError && /^messages\[2\]/.test(err.message) && pattern.test(err.message),
      );
      const chat = env.client.chat.create({ model: "grok-4", messages: ["first"] });
      assert.throws(
        () => chat.append("a", "b", bad as MessageInput),
        (err: unknown) =>
          err instanceof XaiInputError &&
          /^append\(\) argument 3/.test(err.message) &&
          pattern.test(err.message),
      );
      assert.equal(chat.messages.length, 1, "nothing is appended when an item is bad");
      assert.equal(env.emulator.calls.length, 0);
    });
  }

  test("messages that is not an array names the accepted forms", () => {
    assert.throws(
      () => env.client.chat.create({ model: "grok-4", messages: "hi" as never }),
      /messages must be an array of messages \(strings, \{ role, content \} objects or user\(\), system\(\), …\), got "hi"/,
    );
  });

  test("compactContext() takes plain messages too", async () => {
    const result = await env.client.chat.compactContext("grok-4", [
      { role: "user", content: "Tell me a long story about a lighthouse." },
      { role: "assistant", content: "Once upon a time..." },
      "Go on.",
    ]);
    assert.ok(result.encryptedContent.length > 0);
  });
});

// Type-level: these must not compile (tsc checks the @ts-expect-error lines with `npm run typecheck`).
function typeLevelExamples(): MessageInput[] {
  return [
    // @ts-expect-error an unknown role
    { role: "usr", content: "hi" },
    // @ts-expect-error content must be text or parts
    { role: "user", content: 42 },
    // @ts-expect-error a tool message needs toolCallId
    { role: "tool", content: "21" },
    { role: "tool", content: "21", toolCallId: "call_1" },
    { role: "assistant", toolCalls: [{ id: "c", name: "f", arguments: { a: 1 } }] },
    user("built"),
    "plain",
  ];
}
void typeLevelExamples;

describe("TypeScript errors of a mistyped plain message", () => {
  test("name the accepted roles and the missing key, never protobuf types", () => {
    const dir = mkdtempSync(join(tmpdir(), "xai-message-types-"));
    try {
      const entry = resolve("src/index.ts").replace(/\.ts$/, ".js");
      const fixture = join(dir, "fixture.ts");
      writeFileSync(
        fixture,
        [
          `import type { ChatCreateOptions, MessageInput } from ${JSON.stringify(entry)};`,
          `export const a: MessageInput[] = [{ role: "usr", content: "hi" }];`,
          `export const b: ChatCreateOptions = { model: "grok-4", messages: [{ role: "user", content: 42 }] };`,
          `export const c: MessageInput = { role: "tool", content: "21" };`,
          `export const ok: MessageInput[] = ["hi", { role: "system", content: ["x"] }];`,
        ].join("\n"),
      );
      const program = ts.createProgram([fixture], {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
      });
      const diagnostics = ts
        .getPreEmitDiagnostics(program)
        .filter((d) => d.file?.fileName === fixture)
        .map((d) => ({
          line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1,
          text: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
        }));
      const at = (line: number) =>
        diagnostics
          .filter((d) => d.line === line)
          .map((d) => d.text)
          .join("\n");
      assert.deepEqual(
        [...new Set(diagnostics.map((d) => d.line))].sort(),
        [1, 2, 3],
        JSON.stringify(diagnostics),
      );
      const roleError = at(1);
      assert.match(
        roleError,
        /Type '"usr"' is not assignable to type '"[a-z"| ]+ \| undefined'\. Did you mean '"user"'\?/,
      );
      for (const role of ["user", "system", "developer", "assistant", "tool"])
        assert.ok(roleError.includes(`"${role}"`));
      assert.match(at(2), /Type 'number' is not assignable to type 'PlainContent/);
      assert.match(at(3), /Property 'toolCallId' is missing/);
      for (const d of diagnostics) assert.doesNotMatch(d.text, /MessageRole|\$typeName|Message\$1/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
