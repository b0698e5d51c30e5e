// OpenTelemetry tracing and the debug log, against the emulator: spans, names, attributes and events of each
// kind of call, the trace context the server receives, the switches, content capture, and the key nowhere.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { z } from "zod";
import {
  Client,
  type ClientOptions,
  InternalError,
  type Logger,
  RateLimitError,
  user,
  XaiInputError,
} from "../src/index.js";
import { Code, type Emulator, startEmulator } from "../src/testing/index.js";

/** A key that must appear in no span, event, status or log line. */
const KEY = "xai-TELEMETRY-CANARY-7c1e9b2a5d";
const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let emu: Emulator;
let client: Client;
const clients: Client[] = [];

/** A client of its own on the emulator, closed after the file. */
function clientWith(options: ClientOptions): Client {
  const c = new Client({ ...emu.clientOptions(), ...options });
  clients.push(c);
  return c;
}

before(async () => {
  emu = await startEmulator({ apiKey: KEY, deferredPolls: 2 });
  client = clientWith({ telemetry: { tracerProvider }, retry: { initialBackoffMs: 1, maxBackoffMs: 2 } });
});
after(async () => {
  for (const c of clients) c.close();
  await emu.stop();
});
beforeEach(() => {
  exporter.reset();
  emu.reset();
});

/** Runs `body` with an environment variable set, then removes it. */
function withEnv<T>(name: string, value: string, body: () => T): T {
  process.env[name] = value;
  try {
    return body();
  } finally {
    delete process.env[name];
  }
}

const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
const only = (): ReadableSpan => {
  const all = spans();
  assert.equal(all.length, 1, `spans: ${all.map((s) => s.name).join(", ")}`);
  return all[0];
};
const chatOf = (c: Client, maxTokens?: number) =>
  c.chat.create({
    model: "grok-4",
    messages: [user("Tell me a story")],
    maxTokens,
    temperature: 0.5,
    topP: 0.9,
  });

/** Every text a span carries: name, attributes, events and their attributes, status. */
function spanTexts(all: readonly ReadableSpan[]): string {
  return JSON.stringify(
    all.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })),
    (_k, v) => (typeof v === "bigint" ? String(v) : v),
  );
}

/** The traceparent the emulator received for the last call of `method`. */
function traceparentOf(method: string): string | undefined {
  return emu.calls.filter((c) => c.method === method).at(-1)?.traceparent;
}

function expectedTraceparent(span: ReadableSpan): string {
  const sc = span.spanContext();
  return `00-${sc.traceId}-${sc.spanId}-01`;
}

describe("client spans", () => {
  test("sample: a CLIENT span 'chat {model}' with the RPC and GenAI attributes, and its traceparent sent", async () => {
    const response = await chatOf(client, 64).sample();
    const span = only();
    assert.equal(span.name, "chat grok-4");
    assert.equal(span.kind, 2); // SpanKind.CLIENT
    const a = span.attributes;
    assert.equal(a["rpc.system"], "grpc");
    assert.equal(a["rpc.service"], "xai_api.Chat");
    assert.equal(a["rpc.method"], "GetCompletion");
    assert.equal(a["rpc.grpc.status_code"], 0);
    assert.equal(a["server.address"], "127.0.0.1");
    assert.equal(a["server.port"], Number(emu.apiHost.split(":")[1]));
    assert.equal(a["gen_ai.operation.name"], "chat");
    assert.equal(a["gen_ai.provider.name"], "xai");
    assert.equal(a["gen_ai.request.model"], "grok-4");
    assert.equal(a["gen_ai.request.max_tokens"], 64);
    assert.equal(a["gen_ai.request.temperature"], 0.5);
    assert.equal(a["gen_ai.request.top_p"], 0.9);
    assert.equal(a["gen_ai.response.id"], response.id);
    assert.equal(a["gen_ai.response.model"], response.proto.model);
    assert.deepEqual(a["gen_ai.response.finish_reasons"], [response.finishReason]);
    assert.equal(a["gen_ai.usage.input_tokens"], response.usage.promptTokens);
    assert.ok(
      response.usage.reasoningTokens > 0,
      "grok-4 reasons, so the sum below differs from completionTokens",
    );
    assert.equal(
      a["gen_ai.usage.output_tokens"],
      response.usage.completionTokens + response.usage.reasoningTokens,
      "output tokens count reasoning tokens too",
    );
    assert.equal(a["gen_ai.usage.reasoning_tokens"], response.usage.reasoningTokens);
    assert.equal(a["gen_ai.usage.cache_read.input_tokens"], response.proto.usage?.cachedPromptTextTokens);
    assert.equal(span.status.code, 0);
    assert.equal(traceparentOf("/xai_api.Chat/GetCompletion"), expectedTraceparent(span));
  });

  test("content is not recorded by default; captureContent records prompts and completions", async () => {
    await chatOf(client).sample();
    const plain = only().attributes;
    assert.equal(plain["gen_ai.input.messages"], undefined);
    assert.equal(plain["gen_ai.output.messages"], undefined);
    exporter.reset();
    const capturing = clientWith({ telemetry: { tracerProvider, captureContent: true } });
    const response = await chatOf(capturing).sample();
    const a = only().attributes;
    assert.deepEqual(JSON.parse(String(a["gen_ai.input.messages"])), [
      { role: "user", parts: [{ type: "text", content: "Tell me a story" }] },
    ]);
    const output = JSON.parse(String(a["gen_ai.output.messages"]));
    assert.equal(output[0].role, "assistant");
    assert.ok(
      output[0].parts.some(
        (p: { type: string; content: string }) => p.type === "text" && p.content === response.content,
      ),
    );
  });

  test("the environment variable OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT turns capture on", async () => {
    const capturing = withEnv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true", () =>
      clientWith({ telemetry: { tracerProvider } }),
    );
    await chatOf(capturing).sample();
    assert.ok(String(only().attributes["gen_ai.input.messages"]).includes("Tell me a story"));
  });

  test("stream, complete: one span until the end, with a gen_ai.first_chunk event and the usage", async () => {
    const stream = chatOf(client).stream();
    let chunks = 0;
    for await (const _ of stream) {
      chunks++;
      assert.equal(spans().length, 0, "the span is still open while chunks arrive");
    }
    const response = await stream.done();
    const span = only();
    assert.equal(span.name, "chat grok-4");
    assert.equal(span.attributes["rpc.method"], "GetCompletionChunk");
    assert.equal(span.attributes["rpc.grpc.status_code"], 0);
    assert.equal(span.attributes["gen_ai.response.id"], response.id);
    assert.deepEqual(span.attributes["gen_ai.response.finish_reasons"], ["stop"]);
    assert.equal(
      span.attributes["gen_ai.usage.output_tokens"],
      response.usage.completionTokens + response.usage.reasoningTokens,
      "output tokens count reasoning tokens too",
    );
    assert.deepEqual(
      span.events.map((e) => e.name),
      ["gen_ai.first_chunk"],
    );
    assert.ok(chunks > 1);
    assert.equal(traceparentOf("/xai_api.Chat/GetCompletionChunk"), expectedTraceparent(span));
  });

  test("stream, cancelled: the span ends at the break, CANCELLED, not an error", async () => {
    for await (const _ of chatOf(client).stream()) break;
    const span = only();
    assert.equal(span.attributes["rpc.grpc.status_code"], Code.CANCELLED);
    assert.equal(span.attributes["xai.stream.cancelled"], true);
    assert.equal(span.status.code, 0);
    assert.deepEqual(
      span.events.map((e) => e.name),
      ["gen_ai.first_chunk"],
    );
  });

  test("stream, failed: the span ends with the status, ERROR and the exception", async () => {
    emu.faults.cutStream("Chat/GetCompletionChunk", 3, { code: Code.INTERNAL });
    await assert.rejects(async () => {
      for await (const _ of chatOf(client).stream()) {
        // read until the cut
      }
    }, InternalError);
    const span = only();
    assert.equal(span.attributes["rpc.grpc.status_code"], Code.INTERNAL);
    assert.equal(span.attributes["error.type"], "INTERNAL");
    assert.equal(span.status.code, 2); // SpanStatusCode.ERROR
    assert.deepEqual(
      span.events.map((e) => e.name),
      ["gen_ai.first_chunk", "exception"],
    );
  });

  test("a failed call: ERROR status, error.type, status code and the exception event", async () => {
    emu.faults.failNext("Chat/GetCompletion", 1, Code.RESOURCE_EXHAUSTED);
    await assert.rejects(chatOf(client).sample(), RateLimitError);
    const span = only();
    assert.equal(span.name, "chat grok-4");
    assert.equal(span.attributes["rpc.grpc.status_code"], Code.RESOURCE_EXHAUSTED);
    assert.equal(span.attributes["error.type"], "RESOURCE_EXHAUSTED");
    assert.equal(span.status.code, 2);
    assert.match(String(span.status.message), /RESOURCE_EXHAUSTED/);
    assert.equal(span.events[0]?.name, "exception");
  });

  test("a retried call: one span, with the attempts", async () => {
    emu.faults.failNext("Models/ListLanguageModels", 2, Code.UNAVAILABLE);
    await client.models.listLanguageModels();
    const span = only();
    assert.equal(span.name, "xai_api.Models/ListLanguageModels");
    assert.equal(span.attributes["xai.rpc.attempts"], 3);
    assert.equal(span.attributes["rpc.grpc.status_code"], 0);
    assert.equal(span.attributes["gen_ai.operation.name"], undefined);
    exporter.reset();
    await client.tokenize.tokenize("hello", { model: "grok-3" });
    assert.equal(only().name, "xai_api.Tokenize/TokenizeText");
    assert.equal(only().attributes["gen_ai.request.model"], "grok-3");
  });

  test("deferred: the start span 'chat {model}' and poll spans, the last one with the completion", async () => {
    const response = await chatOf(client).defer({ pollInterval: 1 });
    const all = spans();
    assert.equal(all[0].name, "chat grok-4");
    assert.equal(all[0].attributes["rpc.method"], "StartDeferredCompletion");
    const requestId = all[0].attributes["xai.deferred.request_id"];
    assert.ok(typeof requestId === "string" && requestId.length > 0);
    const polls = all.slice(1);
    assert.ok(polls.length >= 2);
    for (const p of polls) {
      assert.equal(p.name, "xai_api.Chat/GetDeferredCompletion");
      assert.equal(p.attributes["xai.deferred.request_id"], requestId);
    }
    const last = polls.at(-1)!;
    assert.equal(last.attributes["xai.deferred.status"], "done");
    assert.equal(last.attributes["gen_ai.response.id"], response.id);
    assert.equal(
      last.attributes["gen_ai.usage.output_tokens"],
      response.usage.completionTokens + response.usage.reasoningTokens,
      "output tokens count reasoning tokens too",
    );
    assert.equal(polls[0].attributes["xai.deferred.status"], "pending");
  });

  test("image: 'generate_image {model}' with the count and the model answered", async () => {
    await client.image.sample({ prompt: "a red fox", model: "grok-imagine-image" });
    const span = only();
    assert.equal(span.name, "generate_image grok-imagine-image");
    assert.equal(span.attributes["gen_ai.operation.name"], "generate_image");
    assert.equal(span.attributes["gen_ai.output.type"], "image");
    assert.equal(span.attributes["gen_ai.request.choice.count"], 1);
    assert.equal(span.attributes["xai.response.image.count"], 1);
    assert.ok(span.attributes["gen_ai.response.model"]);
    assert.equal(span.attributes["gen_ai.input.messages"], undefined);
  });

  test("embeddings: 'embeddings {model}' with the inputs, dimensions and usage", async () => {
    const result = await client.embeddings.create({ model: "v1", input: ["cat", "dog"] });
    const span = only();
    assert.equal(span.name, "embeddings v1");
    assert.equal(span.attributes["gen_ai.operation.name"], "embeddings");
    assert.equal(span.attributes["xai.request.input.count"], 2);
    assert.equal(span.attributes["gen_ai.embeddings.dimension.count"], result.vectors[0].length);
    assert.equal(span.attributes["xai.usage.text_embeddings"], 2);
  });

  test("an upload (client stream) and a download (server stream): spans named after the method", async () => {
    const file = await client.files.upload(Buffer.from("hello telemetry"), { filename: "t.txt" });
    const content = await client.files.content(file.id);
    assert.equal(Buffer.from(content).toString(), "hello telemetry");
    const [upload, download] = spans();
    assert.equal(upload.name, "xai_api.Files/UploadFile");
    assert.equal(upload.attributes["rpc.grpc.status_code"], 0);
    assert.equal(traceparentOf("/xai_api.Files/UploadFile"), expectedTraceparent(upload));
    assert.equal(download.name, "xai_api.Files/RetrieveFileContent");
    assert.equal(download.attributes["rpc.grpc.status_code"], 0);
    assert.equal(download.attributes["gen_ai.operation.name"], undefined);
    assert.deepEqual(download.events, [], "no gen_ai.first_chunk event on a download");
  });

  test("a tool loop: a parent span, one child per round, the chat call and each tool inside its round", async () => {
    emu.script.chat(
      {
        kind: "toolCalls",
        toolCalls: [
          { name: "get_weather", arguments: { city: "Paris" }, id: "c1" },
          { name: "get_weather", arguments: { city: "Oslo" }, id: "c2" },
        ],
      },
      { kind: "text", content: "Paris is warmer." },
    );
    const chat = client.chat.create({ model: "grok-4", messages: [user("Compare")] });
    const { rounds } = await chat.runTools({
      tools: {
        get_weather: {
          description: "Weather",
          parameters: z.object({ city: z.string() }),
          execute: async ({ city }) => ({ city, celsius: city === "Paris" ? 21 : 5 }),
        },
      },
    });
    assert.equal(rounds.length, 1);
    const all = spans();
    const byName = (name: string) => all.filter((s) => s.name === name);
    const [loop] = byName("run_tools grok-4");
    assert.ok(loop, `spans: ${all.map((s) => s.name).join(", ")}`);
    assert.equal(loop.attributes["xai.run_tools.rounds"], 1);
    const roundSpans = all.filter((s) => s.name.startsWith("run_tools round "));
    assert.deepEqual(
      roundSpans.map((s) => s.name),
      ["run_tools round 1", "run_tools round 2"],
    );
    const idOf = (s: ReadableSpan) => s.spanContext().spanId;
    for (const r of roundSpans) assert.equal(r.parentSpanContext?.spanId, idOf(loop));
    const calls = byName("chat grok-4");
    assert.equal(calls.length, 2);
    assert.deepEqual(
      calls.map((c) => c.parentSpanContext?.spanId),
      roundSpans.map(idOf),
    );
    const tools = byName("execute_tool get_weather");
    assert.equal(tools.length, 2);
    for (const t of tools) {
      assert.equal(t.parentSpanContext?.spanId, idOf(roundSpans[0]));
      assert.equal(t.attributes["gen_ai.operation.name"], "execute_tool");
      assert.equal(t.attributes["xai.tool.status"], "ok");
      assert.equal(t.attributes["gen_ai.tool.call.arguments"], undefined, "arguments are content");
    }
    assert.deepEqual(tools.map((t) => t.attributes["gen_ai.tool.call.id"]).sort(), ["c1", "c2"]);
    // All in one trace, which the server sees.
    const traceId = loop.spanContext().traceId;
    for (const s of all) assert.equal(s.spanContext().traceId, traceId);
    assert.match(traceparentOf("/xai_api.Chat/GetCompletion") ?? "", new RegExp(`^00-${traceId}-`));
  });

  test("a tool that throws with onToolError 'throw' fails its span and the loop's", async () => {
    emu.script.chat({ kind: "toolCalls", toolCalls: [{ name: "boom", arguments: {}, id: "b1" }] });
    const chat = client.chat.create({ model: "grok-4", messages: [user("Go")] });
    await assert.rejects(
      chat.runTools({
        tools: {
          boom: {
            description: "",
            parameters: z.object({}),
            execute: () => {
              throw new Error("exploded");
            },
          },
        },
        onToolError: "throw",
      }),
      /exploded/,
    );
    for (const name of ["execute_tool boom", "run_tools round 1", "run_tools grok-4"]) {
      const span = spans().find((s) => s.name === name);
      assert.equal(span?.status.code, 2, name);
      assert.equal(span?.attributes["error.type"], "Error", name);
    }
  });
});

describe("the global provider and the switches", () => {
  const globalExporter = new InMemorySpanExporter();
  const globalProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(globalExporter)],
  });
  let plain: Client;
  before(() => {
    plain = clientWith({});
  });
  after(() => trace.disable());
  beforeEach(() => globalExporter.reset());

  test("with the API installed and no provider registered: no span, no traceparent sent", async () => {
    await chatOf(plain).sample();
    assert.equal(globalExporter.getFinishedSpans().length, 0);
    assert.equal(traceparentOf("/xai_api.Chat/GetCompletion"), undefined);
  });

  test("a provider registered after the client was made is used (the SDK registers none itself)", async () => {
    assert.ok(trace.setGlobalTracerProvider(globalProvider));
    await chatOf(plain).sample();
    const [span] = globalExporter.getFinishedSpans();
    assert.equal(span?.name, "chat grok-4");
    assert.equal(traceparentOf("/xai_api.Chat/GetCompletion"), expectedTraceparent(span));
  });

  test("telemetry: false: no spans, no traceparent", async () => {
    trace.setGlobalTracerProvider(globalProvider);
    await chatOf(clientWith({ telemetry: false })).sample();
    assert.equal(globalExporter.getFinishedSpans().length, 0);
    assert.equal(traceparentOf("/xai_api.Chat/GetCompletion"), undefined);
  });

  test("XAI_SDK_DISABLE_TRACING=1: no spans, even with a provider given", async () => {
    const disabled = withEnv("XAI_SDK_DISABLE_TRACING", "1", () =>
      clientWith({ telemetry: { tracerProvider } }),
    );
    await chatOf(disabled).sample();
    for await (const _ of chatOf(disabled).stream()) break;
    assert.equal(spans().length, 0);
    assert.equal(traceparentOf("/xai_api.Chat/GetCompletion"), undefined);
  });

  test("bad telemetry options are XaiInputErrors naming the fix", () => {
    assert.throws(() => new Client({ apiKey: KEY, telemetry: "on" as never }), XaiInputError);
    assert.throws(() => new Client({ apiKey: KEY, telemetry: { tracerProvider: {} as never } }), /getTracer/);
    assert.throws(
      () => new Client({ apiKey: KEY, telemetry: { captureContents: true } as never }),
      /captureContents is not a telemetry option/,
    );
  });
});

describe("the debug log", () => {
  function capture(): { logger: Logger; lines: { level: string; line: string }[] } {
    const lines: { level: string; line: string }[] = [];
    const at = (level: string) => (line: string) => lines.push({ level, line });
    return { logger: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") }, lines };
  }

  test("debug: each call's start and end with method, status, duration, attempts and sizes", async () => {
    const { logger, lines } = capture();
    const c = clientWith({ logLevel: "debug", logger, telemetry: false });
    await c.models.listLanguageModels();
    assert.equal(lines.length, 2, lines.map((l) => l.line).join("\n"));
    assert.equal(lines[0].level, "debug");
    assert.match(
      lines[0].line,
      /^\[xai-grpc\] xai_api\.Models\/ListLanguageModels started \(unary, 127\.0\.0\.1:\d+\)$/,
    );
    assert.equal(lines[1].level, "info");
    assert.match(
      lines[1].line,
      /^\[xai-grpc\] xai_api\.Models\/ListLanguageModels OK in \d+\.\d ms \(1 attempt, sent 0 B, received [1-9]\d* B in 1 message\)$/,
    );
  });

  test("debug: a stream's first message; info: only the ends", async () => {
    const { logger, lines } = capture();
    const c = clientWith({ logLevel: "debug", logger });
    for await (const _ of chatOf(c).stream()) {
      // read it all
    }
    assert.match(lines[1].line, /GetCompletionChunk first message after \d+\.\d ms$/);
    assert.match(lines[2].line, /GetCompletionChunk OK in .* received \d+ B in \d+ messages\)$/);
    const info = capture();
    await chatOf(clientWith({ logLevel: "info", logger: info.logger })).sample();
    assert.deepEqual(
      info.lines.map((l) => l.level),
      ["info"],
    );
  });

  test("warn: retried calls; error: failed calls; off: nothing", async () => {
    const warn = capture();
    const w = clientWith({
      logLevel: "warn",
      logger: warn.logger,
      retry: { initialBackoffMs: 1, maxBackoffMs: 2 },
    });
    await w.models.listLanguageModels();
    emu.faults.failNext("Models/ListLanguageModels", 1, Code.UNAVAILABLE);
    await w.models.listLanguageModels();
    assert.equal(warn.lines.length, 1);
    assert.equal(warn.lines[0].level, "warn");
    assert.match(warn.lines[0].line, /ListLanguageModels OK in .*\(2 attempts,/);

    const error = capture();
    const e = clientWith({ logLevel: "error", logger: error.logger, retry: false });
    emu.faults.failNext("Models/ListLanguageModels", 1, Code.UNAVAILABLE);
    await assert.rejects(e.models.listLanguageModels());
    await e.models.listLanguageModels();
    assert.equal(error.lines.length, 1);
    assert.equal(error.lines[0].level, "error");
    assert.match(error.lines[0].line, /ListLanguageModels UNAVAILABLE in .*: UnavailableError$/);

    const off = capture();
    const o = clientWith({ logLevel: "off", logger: off.logger });
    emu.faults.failNext("Models/ListLanguageModels", 1, Code.INTERNAL);
    await assert.rejects(o.models.listLanguageModels());
    assert.equal(off.lines.length, 0);
  });

  test("an upload's line counts the bytes sent", async () => {
    const { logger, lines } = capture();
    const c = clientWith({ logLevel: "info", logger });
    await c.files.upload(Buffer.alloc(10_000, 1), { filename: "ten-k.bin" });
    assert.equal(lines.length, 1);
    const sent = Number(/sent (\d+) B/.exec(lines[0].line)?.[1]);
    assert.ok(sent > 10_000 && sent < 10_200, lines[0].line);
  });

  test("XAI_LOG sets the level; the option wins; bad values are XaiInputErrors", async () => {
    const { logger, lines } = capture();
    process.env.XAI_LOG = "DEBUG";
    let fromEnv: Client;
    let optionWins: Client;
    try {
      fromEnv = clientWith({ logger });
      optionWins = clientWith({ logger, logLevel: "off" });
      process.env.XAI_LOG = "verbose";
      assert.throws(
        () => new Client({ apiKey: KEY }),
        /XAI_LOG must be one of debug, info, warn, error, off/,
      );
    } finally {
      delete process.env.XAI_LOG;
    }
    await optionWins.models.listLanguageModels();
    assert.equal(lines.length, 0);
    await fromEnv.models.listLanguageModels();
    assert.equal(lines.length, 2);
    assert.throws(() => new Client({ apiKey: KEY, logLevel: "trace" as never }), XaiInputError);
    assert.throws(() => new Client({ apiKey: KEY, logger: { info() {} } as never }), /logger must have/);
  });
});

test("the key appears in no span attribute, event, status or log line, nor a wrong key", async () => {
  const { logger, lines } = (() => {
    const lines: string[] = [];
    const push = (line: string) => lines.push(line);
    return { logger: { debug: push, info: push, warn: push, error: push }, lines };
  })();
  const c = clientWith({ telemetry: { tracerProvider, captureContent: true }, logLevel: "debug", logger });
  await chatOf(c).sample();
  for await (const _ of chatOf(c).stream()) {
    // all of it
  }
  await c.auth.apiKeyInfo();
  emu.faults.failNext("Chat/GetCompletion", 1, Code.INTERNAL, `the key was ${KEY}`);
  await assert.rejects(chatOf(c).sample());
  const WRONG = "xai-WRONG-CANARY-3f4e5d6c7b";
  const wrong = clientWith({
    apiKey: WRONG,
    telemetry: { tracerProvider, captureContent: true },
    logLevel: "debug",
    logger,
  });
  await assert.rejects(wrong.models.listLanguageModels());
  const texts = `${spanTexts(spans())}\n${lines.join("\n")}`;
  assert.ok(spans().length >= 5 && lines.length >= 10, "the calls were traced and logged");
  assert.ok(!texts.includes(KEY), "the key is in a span or a log line");
  assert.ok(!texts.includes(WRONG), "the wrong key is in a span or a log line");
  assert.ok(!texts.includes(KEY.slice(4)), "part of the key is in a span or a log line");
});
