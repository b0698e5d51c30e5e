// Streaming against the emulator: accumulation (including a 100,000-chunk stream), early exit cancelling the
// RPC, abort and failure mid-stream with the partial response readable, n > 1 streams, agentic streams,
// reasoning chunks and structured output streamed with a partial value.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { z } from "zod";
import {
  type DeepPartial,
  partialResponseOf,
  StructuredOutputError,
  UnavailableError,
  UserAbortError,
  user,
  webSearch,
} from "../src/index.js";
import { Code } from "../src/testing/index.js";
import { finalStatusOfLast, useEmulator } from "./helpers/emulator.js";

const env = useEmulator({ resetBeforeEach: true });

const STREAM = "/xai_api.Chat/GetCompletionChunk";

describe("stream()", () => {
  test("yields the same accumulating response with each chunk", async () => {
    const chat = env.client.chat.create({ model: "grok-3", messages: [user("Tell me about the sea")] });
    const stream = chat.stream();
    let text = "";
    let count = 0;
    for await (const [response, chunk] of stream) {
      assert.equal(response, stream.response);
      text += chunk.content;
      count++;
      assert.equal(response.content, text, "the response holds every piece so far");
    }
    assert.ok(count > 3);
    assert.equal(stream.chunkCount, count);
    const response = stream.response;
    assert.equal(response.finishReason, "stop");
    assert.equal(response.role, "assistant");
    assert.ok((response.usage?.completionTokens ?? 0) > 0);
    assert.match(response.id, /\S/);
    assert.ok(response.created instanceof Date);
    const sample = await chat.sample();
    assert.equal(response.content, sample.content, "same request, same (deterministic) answer");
    assert.equal(
      env.emulator.calls.find((c) => c.method === STREAM)?.request &&
        (env.emulator.calls[0].request as { n?: number }).n,
      1,
    );
  });

  test("a 100,000-chunk stream accumulates exactly the concatenated chunks", async () => {
    const chat = env.client.chat.create({ model: "grok-3", messages: [user("!chunks 100000")] });
    const pieces: string[] = [];
    const started = performance.now();
    const stream = chat.stream();
    for await (const [, chunk] of stream) pieces.push(chunk.content);
    const elapsed = performance.now() - started;
    assert.equal(pieces.length, 100_000);
    assert.equal(pieces[0], "0 ");
    assert.equal(pieces[99_999], "99999 ");
    assert.equal(stream.response.content, pieces.join(""));
    assert.equal(stream.response.finishReason, "stop");
    console.log(`# 100,000 chunks streamed and accumulated in ${elapsed.toFixed(0)} ms`);
  });

  test("breaking out of the loop cancels the RPC", async () => {
    const chat = env.client.chat.create({ model: "grok-3", messages: [user("!chunks 1000000")] });
    let seen = 0;
    const stream = chat.stream();
    for await (const _ of stream) {
      if (++seen === 5) break;
    }
    assert.equal(await finalStatusOfLast(env.emulator, STREAM), Code.CANCELLED);
    assert.equal(stream.response.content, "0 1 2 3 4 ");
    assert.equal(stream.finished, true);
  });

  test("aborting mid-stream rejects with UserAbortError and keeps the partial response", async () => {
    const controller = new AbortController();
    const chat = env.client.chat.create({ model: "grok-3", messages: [user("!chunks 1000000")] });
    const stream = chat.stream({ signal: controller.signal });
    let seen = 0;
    const err = await (async () => {
      for await (const _ of stream) if (++seen === 10) controller.abort();
    })().then(
      () => assert.fail("the loop should reject"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof UserAbortError, String(err));
    assert.ok(stream.response.content.startsWith("0 1 2 3 4 5 6 7 8 9 "));
    assert.equal(partialResponseOf(err), stream.response);
    assert.equal(stream.error, err);
    assert.equal(await finalStatusOfLast(env.emulator, STREAM), Code.CANCELLED);
  });

  test("a stream cut by the server rejects with the typed error; what arrived stays readable", async () => {
    env.emulator.faults.cutStream("Chat/GetCompletionChunk", 25, {
      code: Code.UNAVAILABLE,
      details: "node restarting",
    });
    const chat = env.client.chat.create({ model: "grok-3", messages: [user("!chunks 1000")] });
    const stream = chat.stream();
    const pieces: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const [, chunk] of stream) pieces.push(chunk.content);
      })(),
      (err: unknown) => err instanceof UnavailableError && /node restarting/.test(err.message),
    );
    assert.equal(pieces.length, 25);
    assert.equal(stream.response.content, pieces.join(""));
    assert.equal(partialResponseOf(stream.error)?.content, pieces.join(""));
    await assert.rejects(stream.done(), UnavailableError);
  });

  test("done() consumes a stream nobody iterates; a stream is iterated once", async () => {
    const stream = env.client.chat.create({ model: "grok-3", messages: [user("Hello")] }).stream();
    const response = await stream.done();
    assert.ok(response.content.length > 0);
    assert.throws(() => stream[Symbol.asyncIterator](), /iterated only once/);
  });

  test("reasoning arrives in chunks and accumulates", async () => {
    const stream = env.client.chat
      .create({ model: "grok-4", reasoningEffort: "low", messages: [user("Why is ice slippery?")] })
      .stream();
    let reasoning = "";
    for await (const [, chunk] of stream) reasoning += chunk.reasoningContent;
    assert.ok(reasoning.length > 0);
    assert.equal(stream.response.reasoningContent, reasoning);
  });
});

describe("streamBatch()", () => {
  test("every response accumulates its own answer", async () => {
    const chat = env.client.chat.create({ model: "grok-3", messages: [user("Write a haiku")] });
    const stream = chat.streamBatch(3);
    const texts = ["", "", ""];
    for await (const [responses, chunks] of stream) {
      assert.equal(responses.length, 3);
      chunks.forEach((chunk, i) => {
        texts[i] += chunk.content;
      });
      for (const [i, r] of responses.entries()) assert.equal(r.content, texts[i]);
    }
    assert.equal(new Set(texts).size, 3);
    assert.ok(texts.every((t) => t.length > 0));
    const batch = await chat.sampleBatch(3);
    assert.deepEqual(
      stream.responses.map((r) => r.content),
      batch.map((r) => r.content),
    );
  });
});

describe("agentic streams", () => {
  test("outputs of several indices switch the response to all outputs", async () => {
    const stream = env.client.chat
      .create({
        model: "grok-4",
        tools: [webSearch()],
        include: ["web_search_call_output"],
        messages: [user("Search the web for Grok news")],
      })
      .stream();
    let sawToolOutput = false;
    for await (const [, chunk] of stream) if (chunk.toolOutputs.length > 0) sawToolOutput = true;
    const response = stream.response;
    assert.equal(response.index, undefined);
    assert.ok(sawToolOutput);
    assert.ok(response.toolCalls.some((c) => c.type === "web_search_tool"));
    assert.ok(response.toolOutputs.length > 0);
    const unary = await env.client.chat
      .create({
        model: "grok-4",
        tools: [webSearch()],
        include: ["web_search_call_output"],
        messages: [user("Search the web for Grok news")],
      })
      .sample();
    assert.equal(response.content, unary.content);
    assert.deepEqual(response.citations, unary.citations);
    assert.equal(response.proto.outputs.length, unary.proto.outputs.length);
  });
});

describe("streamParse()", () => {
  const Recipe = z.object({ title: z.string(), steps: z.array(z.string()), minutes: z.number().int() });

  test("the partial value grows, and the end is validated", async () => {
    const chat = env.client.chat.create({ model: "grok-3", messages: [user("A recipe for soup")] });
    const stream = chat.streamParse(Recipe);
    const snapshots: string[] = [];
    for await (const _ of stream) snapshots.push(JSON.stringify(stream.partial ?? null));
    const [response, recipe] = await stream.parsed();
    assert.deepEqual(stream.partial, recipe);
    assert.equal(typeof recipe.title, "string");
    assert.ok(snapshots.length > 2);
    assert.ok(
      snapshots.some((s) => s !== "null" && s !== JSON.stringify(recipe)),
      "intermediate values were seen",
    );
    assert.equal(JSON.parse(response.content).title, recipe.title);
    const sent = env.emulator.calls.find((c) => c.method === STREAM)?.request as {
      responseFormat?: { formatType: number };
    };
    assert.equal(sent.responseFormat?.formatType, 3);
    assert.equal(chat.toRequest().responseFormat, undefined, "the chat's format is unchanged");
  });

  test("the partial value is a deep partial, and typed so", { timeout: 10_000 }, async () => {
    const Book = z.object({
      title: z.string(),
      author: z.object({ name: z.string(), born: z.number() }),
      chapters: z.array(z.object({ title: z.string(), pages: z.number() })),
    });
    env.emulator.script.chat({
      kind: "text",
      content:
        '{"title": "Sea", "author": {"name": "Ann Lee", "born": 1970}, "chapters": [{"title": "One", "pages": 12}]}',
    });
    const stream = env.client.chat.create({ model: "grok-3", messages: [user("x")] }).streamParse(Book);
    const snapshots: DeepPartial<z.infer<typeof Book>>[] = [];
    for await (const _ of stream) if (stream.partial) snapshots.push(structuredClone(stream.partial));
    const [, book] = await stream.parsed();
    assert.equal(book.author.born, 1970);
    assert.ok(
      snapshots.some((p) => p.author?.name !== undefined && p.author.born === undefined),
      "an inner object was seen without all its properties",
    );
    assert.ok(
      snapshots.some((p) => p.chapters?.[0] !== undefined && p.chapters[0].pages === undefined),
      "an array element was seen without all its properties",
    );
    // Type level (npm run typecheck): nested properties are optional; their types are kept.
    type SoFar = NonNullable<typeof stream.partial>;
    const nested: SoFar = { author: { name: "Ann" }, chapters: [{ title: "On" }] };
    // @ts-expect-error a nested property keeps its type
    const wrong: SoFar = { author: { born: "1970" } };
    const born: number | undefined = stream.partial?.author?.born;
    assert.ok(nested && wrong && born === 1970);
  });

  test("DeepPartial leaves primitives, functions and dates as they are", () => {
    type Item = { at: Date; format: (n: number) => string; tags: readonly string[]; n: number | null };
    const item: DeepPartial<Item> = { at: new Date(0), format: (n) => String(n), tags: ["a"], n: null };
    // @ts-expect-error a date stays a date, not a partial of one
    const notADate: DeepPartial<Item> = { at: {} };
    const same: DeepPartial<string> = "text";
    assert.ok(item.format?.(2) === "2" && notADate && same);
  });

  test("a streamed answer that does not match rejects with StructuredOutputError", async () => {
    env.emulator.script.chat({ kind: "text", content: '{"title": 7}' });
    const stream = env.client.chat.create({ model: "grok-3", messages: [user("x")] }).streamParse(Recipe);
    await assert.rejects(stream.parsed(), (err: unknown) => {
      assert.ok(err instanceof StructuredOutputError);
      assert.equal(err.content, '{"title": 7}');
      assert.deepEqual(
        err.issues.map((i) => i.path[0]),
        ["title", "steps", "minutes"],
      );
      return true;
    });
  });
});
