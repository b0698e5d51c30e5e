// The emulator survives hostile input (issue "Hardening", points 1–8): each attack goes through raw gRPC;
// attacks that could crash the process run against an emulator in a child process with a capped heap, whose
// RSS after the attack must stay within 2× its baseline.
import assert from "node:assert/strict";
import { once } from "node:events";
import { connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { create, type Message, toBinary } from "@bufbuild/protobuf";
import { credentials, Client as GrpcClient, Metadata, type ServiceError } from "@grpc/grpc-js";
import { Chat, FormatType, GetCompletionsRequestSchema, MessageRole } from "../src/gen/xai/api/v1/chat_pb.js";
import { Files, Ordering, UploadFileChunkSchema } from "../src/gen/xai/api/v1/files_pb.js";
import { Models } from "../src/gen/xai/api/v1/models_pb.js";
import { Code, startEmulator } from "../src/testing/index.js";
import { serverCallTraceEnabled } from "../src/testing/trace-warning.js";
import { useRawEmulator } from "./helpers/emulator.js";
import { type ChildMemory, type EmulatorChild, spawnEmulatorChild } from "./helpers/emulator-child.js";
import { RawClient, rejectsWithStatus } from "./helpers/raw-client.js";

/** Sends `body` as the bytes of a unary request, with `key` (no encoding on the client). */
function rawUnary(
  host: string,
  path: string,
  body: Buffer,
  key: string,
): Promise<{ code: number; details: string }> {
  const client = new GrpcClient(host, credentials.createInsecure(), {
    "grpc.max_send_message_length": -1,
  });
  const metadata = new Metadata();
  metadata.set("authorization", `Bearer ${key}`);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      path,
      (bytes: Buffer) => bytes,
      (bytes: Buffer) => bytes,
      body,
      metadata,
      {},
      (error: ServiceError | null) => {
        client.close();
        resolve(error ? { code: error.code, details: error.details } : { code: 0, details: "" });
      },
    );
  });
}

/** `count` empty `messages` (field 1) of a GetCompletionsRequest: two bytes each. */
function emptyMessages(count: number): Buffer {
  const body = Buffer.alloc(count * 2);
  for (let i = 0; i < body.length; i += 2) body[i] = 0x0a;
  return body;
}

const MiB = 1024 * 1024;
const COMPLETION = "/xai_api.Chat/GetCompletion";

function withinTwice(before: ChildMemory, after: ChildMemory, what: string): void {
  const figures = `RSS ${(before.rss / MiB).toFixed(0)} MiB before, ${(after.rss / MiB).toFixed(0)} MiB after ${what}`;
  console.log(`# ${figures}`);
  assert.ok(after.rss <= 2 * before.rss, figures);
}

describe("emulator hardening: oversized and unauthenticated requests (point 1)", () => {
  let child: EmulatorChild;
  let baseline: ChildMemory;
  before(async () => {
    child = await spawnEmulatorChild({ heapMiB: 384 });
    baseline = await child.memory();
  });
  after(async () => {
    await child?.stop();
  });

  test("a 64 MB request with a wrong key is refused by size without being decoded", async () => {
    const result = await rawUnary(child.apiHost, COMPLETION, emptyMessages(32 * MiB), "xai-wrong-key");
    assert.equal(result.code, Code.RESOURCE_EXHAUSTED, result.details);
    assert.ok(child.alive(), child.stderr());
    withinTwice(baseline, await child.memory(), "a 64 MB request");
  });

  test("a 19 MiB request of empty messages with a wrong key is UNAUTHENTICATED; its body is not kept", async () => {
    const result = await rawUnary(child.apiHost, COMPLETION, emptyMessages(9.5 * MiB), "xai-wrong-key");
    assert.equal(result.code, Code.UNAUTHENTICATED, result.details);
    assert.ok(child.alive(), child.stderr());
    const memory = await child.memory();
    assert.equal(memory.bodies, 0, "the failed-auth call keeps no body");
    withinTwice(baseline, memory, "a 19 MiB unauthenticated request");
  });

  test("a 19 MiB request of empty messages with the right key is INVALID_ARGUMENT, not millions of objects", async () => {
    const result = await rawUnary(child.apiHost, COMPLETION, emptyMessages(9.5 * MiB), child.apiKey);
    assert.equal(result.code, Code.INVALID_ARGUMENT, result.details);
    assert.match(result.details, /holds more than 200000 fields .* Send fewer entries per request/);
    assert.ok(child.alive(), child.stderr());
    withinTwice(baseline, await child.memory(), "a 19 MiB authenticated request of empty messages");
  });

  test("a large request of few fields (an inlined 15 MiB image) still goes through the field count", async () => {
    const url = `data:image/png;base64,${Buffer.alloc(11 * MiB, 7).toString("base64")}`;
    const request = create(GetCompletionsRequestSchema, {
      model: "grok-4",
      messages: [
        {
          role: MessageRole.ROLE_USER,
          content: [
            { content: { case: "text", value: "What is this?" } },
            { content: { case: "imageUrl", value: { source: { case: "imageUrl", value: url } } } },
          ],
        },
      ],
    });
    const body = Buffer.from(toBinary(GetCompletionsRequestSchema, request));
    assert.ok(body.length > 14 * MiB);
    const result = await rawUnary(child.apiHost, COMPLETION, body, child.apiKey);
    assert.doesNotMatch(result.details, /fields/, "not refused by the field count");
  });

  test("a request the key opens but that is not a valid message is INVALID_ARGUMENT", async () => {
    const result = await rawUnary(child.apiHost, COMPLETION, Buffer.from([0x0a, 0x05, 0x01]), child.apiKey);
    assert.equal(result.code, Code.INVALID_ARGUMENT, result.details);
    assert.match(result.details, /not a valid xai_api\.GetCompletionsRequest/);
  });
});

/** A GetCompletion asking for JSON that follows `schema`. */
function schemaRequest(schema: unknown, prompt = "Give me the value.") {
  return {
    model: "grok-3",
    messages: [
      { role: MessageRole.ROLE_USER, content: [{ content: { case: "text" as const, value: prompt } }] },
    ],
    responseFormat: { formatType: FormatType.JSON_SCHEMA, schema: JSON.stringify(schema) },
  };
}

describe("emulator hardening: response_format schemas (points 2 and 3)", () => {
  let child: EmulatorChild;
  let api: RawClient;
  let baseline: ChildMemory;
  before(async () => {
    child = await spawnEmulatorChild({ heapMiB: 384 });
    api = new RawClient(child.apiHost, child.apiKey);
    // Warm up the generator (and its pattern matcher) before measuring.
    await api.unaryOk(Chat.method.getCompletion, schemaRequest({ type: "string", pattern: "^[a-z]{3}$" }));
    baseline = await child.memory();
  });
  after(async () => {
    api?.close();
    await child?.stop();
  });

  const attacks: [string, unknown, RegExp][] = [
    [
      "a pattern of a billion characters",
      { type: "string", pattern: "^a{1000000000}$" },
      /longer than the emulator draws/,
    ],
    [
      "minItems: 1e8",
      { type: "array", items: { type: "integer" }, minItems: 1e8 },
      /at least 100000000 items/,
    ],
    ["minLength: 1e8", { type: "string", minLength: 1e8 }, /at least 100000000 characters/],
    [
      "nested arrays with minItems 10 at depth 8",
      Array.from({ length: 8 }).reduce<unknown>((inner) => ({ type: "array", items: inner, minItems: 10 }), {
        type: "integer",
      }),
      /larger than the emulator generates/,
    ],
    [
      "a catastrophic pattern: (a|a){30}(?=b)",
      { type: "string", pattern: "(a|a){30}(?=b)" },
      /too expensive to match/,
    ],
    [
      "a catastrophic pattern on the prompt's own text",
      { type: "object", properties: { query: { type: "string", pattern: "^(a|a)*$" } }, required: ["query"] },
      /too expensive to match/,
    ],
  ];
  for (const [name, schema, details] of attacks) {
    test(`${name}: INVALID_ARGUMENT with a sentence, memory stays bounded`, { timeout: 60_000 }, async () => {
      const prompt = name.includes("prompt") ? `${"a".repeat(40)}!` : undefined;
      await rejectsWithStatus(
        api.unaryOk(Chat.method.getCompletion, schemaRequest(schema, prompt)),
        Code.INVALID_ARGUMENT,
        details,
      );
      // Still serving.
      const ok = await api.unaryOk(
        Chat.method.getCompletion,
        schemaRequest({ type: "string", pattern: "^[a-z]{3}$" }),
      );
      assert.match(ok.outputs[0]?.message?.content ?? "", /^"[a-z]{3}"$/);
      withinTwice(baseline, await child.memory(), name);
    });
  }
});

describe("emulator hardening: long files filters (point 4)", () => {
  let child: EmulatorChild;
  let api: RawClient;
  let baseline: ChildMemory;
  before(async () => {
    child = await spawnEmulatorChild({ heapMiB: 256 });
    api = new RawClient(child.apiHost, child.apiKey);
    baseline = await child.memory();
  });
  after(async () => {
    api?.close();
    await child?.stop();
  });

  test("a 1 MiB filter is INVALID_ARGUMENT at once, not a frozen emulator", { timeout: 60_000 }, async () => {
    const filter = `filename:a${" ".repeat(MiB)}b`;
    await rejectsWithStatus(
      api.unaryOk(Files.method.listFiles, { order: Ordering.ASCENDING, filter }),
      Code.INVALID_ARGUMENT,
      /at most 10000 characters/,
    );
    withinTwice(baseline, await child.memory(), "a 1 MiB filter");
  });

  test("a filter just under the cap, all whitespace runs, is parsed (linearly) and answered", {
    timeout: 60_000,
  }, async () => {
    const filter = `filename:a${" ".repeat(9_000)}and${" ".repeat(900)}size>0`;
    const listed = await api.unaryOk(Files.method.listFiles, { order: Ordering.ASCENDING, filter });
    assert.equal(listed.data.length, 0);
  });
});

describe("emulator hardening: cancelled uploads (point 5)", () => {
  const env = useRawEmulator({ resetBeforeEach: true });

  /** Resolves when `check` holds, looking again after each turn of the event loop. */
  async function until(check: () => boolean): Promise<void> {
    while (!check()) await new Promise((resolve) => setImmediate(resolve));
  }

  test("an upload the client cancels midway stores nothing", { timeout: 30_000 }, async () => {
    const call = env.api.grpc.makeClientStreamRequest(
      "/xai_api.Files/UploadFile",
      (message: Message) => Buffer.from(toBinary(UploadFileChunkSchema, message as never)),
      (bytes: Buffer) => bytes,
      env.api.metadata(),
      {},
      () => {},
    );
    call.write(create(UploadFileChunkSchema, { chunk: { case: "init", value: { name: "partial.bin" } } }));
    for (let i = 0; i < 3; i++) {
      call.write(create(UploadFileChunkSchema, { chunk: { case: "data", value: new Uint8Array(1024) } }));
    }
    const record = () => env.emulator.calls.find((c) => c.method === "/xai_api.Files/UploadFile");
    await until(() => ((record()?.request as Message[] | undefined)?.length ?? 0) >= 4);
    call.cancel();
    // The cancel half-closes the stream just before it resets it: the emulator may take the upload as
    // complete, then sees the reset and undoes it; the record ends CANCELLED either way.
    await until(() => record()?.status === Code.CANCELLED);
    const listed = await env.api.unaryOk(Files.method.listFiles, { order: Ordering.ASCENDING });
    assert.deepEqual(
      listed.data.map((f) => f.filename),
      [],
      "the partial upload was not stored",
    );
  });
});

describe("emulator hardening: slow clients (point 7)", () => {
  const env = useRawEmulator({ handshakeTimeoutMs: 200 });

  /** Opens a TCP connection to `host`, writes `bytes`, and resolves when the server closes it. */
  async function closedByServer(host: string, bytes: Buffer): Promise<void> {
    const [address, port] = [
      host.slice(0, host.lastIndexOf(":")),
      Number(host.slice(host.lastIndexOf(":") + 1)),
    ];
    const socket = connect(port, address);
    socket.on("error", () => {});
    await once(socket, "connect");
    socket.write(bytes);
    socket.resume();
    await once(socket, "close");
  }

  test("a connection that never sends its HTTP/2 preface is closed", { timeout: 30_000 }, async () => {
    await closedByServer(env.emulator.apiHost, Buffer.alloc(0));
    await closedByServer(env.emulator.managementApiHost, Buffer.alloc(0));
  });

  test("a connection that sends half the preface and stalls is closed", { timeout: 30_000 }, async () => {
    await closedByServer(env.emulator.apiHost, Buffer.from("PRI * HTTP/2.0\r\n"));
  });

  test("a client that finished its handshake is not cut when it idles past the timeout", async () => {
    const first = await env.api.unaryOk(Models.method.listLanguageModels, {});
    await new Promise((resolve) => setTimeout(resolve, 500)); // idle for more than handshakeTimeoutMs
    const second = await env.api.unaryOk(Models.method.listLanguageModels, {});
    assert.equal(second.models.length, first.models.length);
    const records = env.emulator.calls.filter((c) => c.method === "/xai_api.Models/ListLanguageModels");
    assert.equal(records.length, 2, "both calls reached the emulator once each");
  });

  test("handshakeTimeoutMs must be a number ≥ 0", async () => {
    await assert.rejects(
      startEmulator({ handshakeTimeoutMs: -1 }),
      /handshakeTimeoutMs must be a number ≥ 0/,
    );
  });
});

describe("emulator hardening: keys in grpc-js traces (point 8)", () => {
  test("serverCallTraceEnabled reads grpc-js's switches as grpc-js does", () => {
    assert.equal(serverCallTraceEnabled({}), false);
    assert.equal(serverCallTraceEnabled({ GRPC_TRACE: "all" }), true);
    assert.equal(serverCallTraceEnabled({ GRPC_TRACE: "channel,server_call" }), true);
    assert.equal(serverCallTraceEnabled({ GRPC_TRACE: "all,-server_call" }), false);
    assert.equal(serverCallTraceEnabled({ GRPC_TRACE: "channel,subchannel" }), false);
    assert.equal(
      serverCallTraceEnabled({ GRPC_NODE_TRACE: "", GRPC_TRACE: "all" }),
      false,
      "GRPC_NODE_TRACE wins",
    );
    assert.equal(serverCallTraceEnabled({ GRPC_NODE_TRACE: "server_call" }), true);
  });

  test("with GRPC_TRACE=all the emulator warns once, naming the header and the way out", {
    timeout: 60_000,
  }, async () => {
    const child = await spawnEmulatorChild({
      env: { ...process.env, GRPC_TRACE: "all", GRPC_VERBOSITY: "ERROR", GRPC_NODE_TRACE: undefined },
    });
    try {
      await child.ask("reset");
      const warnings = child.stderr().match(/XAI_EMULATOR_GRPC_TRACE/g) ?? [];
      assert.equal(warnings.length, 1, child.stderr());
      assert.match(child.stderr(), /authorization header and its API key .* add -server_call/);
    } finally {
      await child.stop();
    }
  });

  test("without tracing there is no warning", { timeout: 60_000 }, async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.GRPC_TRACE;
    delete env.GRPC_NODE_TRACE;
    const child = await spawnEmulatorChild({ env });
    try {
      await child.ask("reset");
      assert.doesNotMatch(child.stderr(), /XAI_EMULATOR_GRPC_TRACE/);
    } finally {
      await child.stop();
    }
  });
});
