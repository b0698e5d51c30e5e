// The emulator's core over real gRPC on loopback, through raw grpc-js clients (no SDK code): authentication,
// the call log, faults, reset, stop, the catalogue, the tokenizer, embeddings, blobs, backpressure and a
// 100,000-message stream through the generic wrapper.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { inspect } from "node:util";
import { create, type Message } from "@bufbuild/protobuf";
import type { ServiceError } from "@grpc/grpc-js";
import { Auth } from "../src/gen/xai/api/v1/auth_pb.js";
import { Collections } from "../src/gen/xai/api/v1/collections_pb.js";
import { Embedder, EmbedEncodingFormat, type EmbedResponse } from "../src/gen/xai/api/v1/embed_pb.js";
import { Files, type UploadFileChunk } from "../src/gen/xai/api/v1/files_pb.js";
import {
  type EmbeddingModel,
  type ImageGenerationModel,
  type LanguageModel,
  type ListLanguageModelsResponse,
  Modality,
  Models,
} from "../src/gen/xai/api/v1/models_pb.js";
import {
  Sample,
  type SampleTextRequest,
  type SampleTextResponse,
  SampleTextResponseSchema,
} from "../src/gen/xai/api/v1/sample_pb.js";
import { Tokenize, type TokenizeTextResponse } from "../src/gen/xai/api/v1/tokenize_pb.js";
import {
  Code,
  countTokens,
  type Emulator,
  type EmulatorContext,
  EmulatorError,
  type ServiceFactory,
  startEmulator,
} from "../src/testing/index.js";
import { tokenize } from "../src/testing/tokenizer.js";
import { useRawEmulator } from "./helpers/emulator.js";
import { RawClient } from "./helpers/raw-client.js";

/** Test-only Sample service: `maxTokens` = number of messages, `prompt[0]` selects a behaviour. */
interface Probe {
  ctx?: EmulatorContext;
  produced: number;
  finished: number;
  aborted: number;
}

function sampleProbe(probe: Probe): ServiceFactory {
  return (ctx) => {
    probe.ctx = ctx;
    return {
      service: Sample,
      impl: {
        sampleText: async (request: SampleTextRequest) => {
          const mode = request.prompt[0];
          if (mode === "emulator-error")
            throw new EmulatorError(Code.FAILED_PRECONDITION, "The probe refused.");
          if (mode === "crash") throw new TypeError("boom");
          if (mode === "bad-result") return { choices: "not a list" };
          return {
            id: "probe",
            model: request.model,
            choices: [{ index: 0, text: request.prompt.join(" ") }],
          };
        },
        sampleTextStreaming: async function* (request: SampleTextRequest, call: { signal: AbortSignal }) {
          const count = request.maxTokens ?? 3;
          try {
            for (let i = 0; i < count; i++) {
              probe.produced++;
              if (request.prompt[0] === "fail-midway" && i === 2) {
                throw new EmulatorError(Code.RESOURCE_EXHAUSTED, "The probe ran out of tokens.");
              }
              // A preformed message on even indexes, an init object on odd ones: both must work.
              yield i % 2 === 0
                ? create(SampleTextResponseSchema, { id: String(i), choices: [{ index: i, text: "x" }] })
                : { id: String(i), choices: [{ index: i, text: "x" }] };
            }
          } finally {
            probe.finished++;
            if (call.signal.aborted) probe.aborted++;
          }
        },
      },
    };
  };
}

/** Test-only Files service: UploadFile concatenates the data chunks. */
const uploadProbe: ServiceFactory = () => ({
  service: Files,
  impl: {
    uploadFile: async (chunks: AsyncIterable<UploadFileChunk>) => {
      let name = "";
      let size = 0;
      for await (const chunk of chunks) {
        if (chunk.chunk.case === "init") name = chunk.chunk.value.name;
        if (chunk.chunk.case === "data") size += chunk.chunk.value.length;
      }
      return { id: "file_probe", filename: name, size: BigInt(size) };
    },
  },
});

/** Test-only Collections service (management port). */
const collectionsProbe: ServiceFactory = () => ({
  service: Collections,
  management: true,
  impl: {
    listCollections: () => ({ collections: [] }),
  },
});

function newProbe(): Probe {
  return { produced: 0, finished: 0, aborted: 0 };
}

function probeServices(probe: Probe): ServiceFactory[] {
  return [sampleProbe(probe), uploadProbe, collectionsProbe];
}

async function startWithProbes(probe: Probe): Promise<Emulator> {
  return startEmulator({ services: probeServices(probe) });
}

describe("emulator: startup and authentication", () => {
  const probe = newProbe();
  const env = useRawEmulator({ services: probeServices(probe) });

  test("exposes loopback hosts on two ports, the keys and client options", () => {
    assert.match(env.emulator.apiHost, /^127\.0\.0\.1:\d+$/);
    assert.match(env.emulator.managementApiHost, /^127\.0\.0\.1:\d+$/);
    assert.notEqual(env.emulator.apiHost, env.emulator.managementApiHost);
    assert.match(env.emulator.httpUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(env.emulator.apiKey, env.emulator.managementApiKey);
    assert.deepEqual(env.emulator.clientOptions(), {
      apiKey: env.emulator.apiKey,
      managementApiKey: env.emulator.managementApiKey,
      apiHost: env.emulator.apiHost,
      managementApiHost: env.emulator.managementApiHost,
    });
  });

  test("a missing key gets UNAUTHENTICATED with a sentence", async () => {
    const client = new RawClient(env.emulator.apiHost);
    const result = await client.unary(Auth.method.get_api_key_info, {});
    client.close();
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.code, Code.UNAUTHENTICATED);
    assert.match(result.details, /No API key was provided.*authorization.*Bearer <key>/);
  });

  test("a wrong key gets UNAUTHENTICATED and is shown redacted only", async () => {
    const client = new RawClient(env.emulator.apiHost, "xai-wrong-secret-key-9876");
    const result = await client.unary(Auth.method.get_api_key_info, {});
    client.close();
    assert.ok(!result.ok);
    assert.equal(result.code, Code.UNAUTHENTICATED);
    assert.match(result.details, /Incorrect API key provided: xai-\*\*\*\*9876/);
    assert.doesNotMatch(result.details, /wrong-secret/);
  });

  test("a malformed authorization header gets UNAUTHENTICATED", async () => {
    const client = new RawClient(env.emulator.apiHost, undefined, {
      authorization: `Token ${env.emulator.apiKey}`,
    });
    const result = await client.unary(Auth.method.get_api_key_info, {});
    client.close();
    assert.ok(!result.ok);
    assert.equal(result.code, Code.UNAUTHENTICATED);
    assert.match(result.details, /malformed/);
  });

  test("the management key is refused on the API port, and the API key on the management port", async () => {
    const onApi = new RawClient(env.emulator.apiHost, env.emulator.managementApiKey);
    const a = await onApi.unary(Auth.method.get_api_key_info, {});
    onApi.close();
    assert.ok(!a.ok);
    assert.equal(a.code, Code.UNAUTHENTICATED);
    assert.match(a.details, /management key; this endpoint needs an API key/);

    const onManagement = new RawClient(env.emulator.managementApiHost, env.emulator.apiKey);
    const b = await onManagement.unary(Collections.method.listCollections, {});
    onManagement.close();
    assert.ok(!b.ok);
    assert.equal(b.code, Code.UNAUTHENTICATED);
    assert.match(b.details, /is an API key; the management API \(collections\) needs a management key/);
  });

  test("collections are served on the management port only, with the management key", async () => {
    const management = new RawClient(env.emulator.managementApiHost, env.emulator.managementApiKey);
    const ok = await management.unary(Collections.method.listCollections, {});
    const apiOnManagement = await management.unary(Auth.method.get_api_key_info, {});
    management.close();
    assert.ok(ok.ok);
    assert.ok(!apiOnManagement.ok);
    assert.equal(apiOnManagement.code, Code.UNIMPLEMENTED);
    assert.match(apiOnManagement.details, /xai_api\.Auth is not served here: it lives on the API host/);

    const api = new RawClient(env.emulator.apiHost, env.emulator.apiKey);
    const wrongPort = await api.unary(Collections.method.listCollections, {});
    api.close();
    assert.ok(!wrongPort.ok);
    assert.equal(wrongPort.code, Code.UNIMPLEMENTED);
    assert.match(
      wrongPort.details,
      /collections\.Collections is not served here: it lives on the management API host/,
    );
  });

  test("Auth describes the presented key, redacted, with ids, ACLs and flags", async () => {
    const client = new RawClient(env.emulator.apiHost, env.emulator.apiKey);
    const result = await client.unary(Auth.method.get_api_key_info, {});
    client.close();
    assert.ok(result.ok);
    const info = result.value as Message & {
      redactedApiKey: string;
      apiKeyId: string;
      teamId: string;
      acls: string[];
      name: string;
      disabled: boolean;
      apiKeyBlocked: boolean;
    };
    assert.equal(info.redactedApiKey, `xai-****${env.emulator.apiKey.slice(-4)}`);
    assert.ok(!inspect(info, { depth: null }).includes(env.emulator.apiKey));
    assert.match(info.apiKeyId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(info.teamId.length > 0);
    assert.ok(info.acls.length > 0);
    assert.equal(info.name, "Emulator key");
    assert.equal(info.disabled, false);
    assert.equal(info.apiKeyBlocked, false);
  });

  test("custom keys replace the defaults; bad options are refused before listening", async () => {
    const custom = await startEmulator({
      apiKey: "xai-custom-api-key-1111",
      managementApiKey: "xai-custom-mgmt-2222",
    });
    const client = new RawClient(custom.apiHost, "xai-custom-api-key-1111");
    const result = await client.unary(Models.method.listLanguageModels, {});
    client.close();
    await custom.stop();
    assert.ok(result.ok);
    await assert.rejects(startEmulator({ port: -1 }), /port must be a whole number from 0 to 65535/);
    await assert.rejects(startEmulator({ apiKey: "same", managementApiKey: "same" }), /must differ/);
    await assert.rejects(startEmulator({ deferredPolls: Number.NaN }), /deferredPolls must be a number/);
  });
});

describe("emulator: call log, errors and cancellation", () => {
  const probe = newProbe();
  const env = useRawEmulator({ services: probeServices(probe), apiHeaders: { "x-test-header": "hello" } });

  test("records method, port, masked headers, decoded request and final status", async () => {
    env.emulator.reset();
    await env.api.unary(Tokenize.method.tokenizeText, { text: "Hi there", model: "grok-3" });
    await env.api.unary(Tokenize.method.tokenizeText, { text: "x", model: "no-such-model" });
    assert.equal(env.emulator.calls.length, 2);
    const [first, second] = env.emulator.calls;
    assert.equal(first.method, "/xai_api.Tokenize/TokenizeText");
    assert.equal(first.port, "api");
    assert.equal(first.headers.authorization, `Bearer xai-****${env.emulator.apiKey.slice(-4)}`);
    assert.equal(first.headers["x-test-header"], "hello");
    assert.ok(
      !inspect(env.emulator.calls, { depth: null }).includes(env.emulator.apiKey),
      "the key never appears in the log",
    );
    assert.equal((first.request as Message & { text: string }).text, "Hi there");
    assert.equal(first.status, 0);
    assert.equal(first.details, undefined);
    assert.ok(first.receivedAt instanceof Date);
    assert.equal(second.status, Code.NOT_FOUND);
    assert.match(second.details ?? "", /no-such-model/);
  });

  test("keys in other clients' key headers (x-api-key, api-key) are masked in the log too", async () => {
    env.emulator.reset();
    const secret = "xai-SECRETSECRETSECRET1234567";
    const other = new RawClient(env.emulator.apiHost, env.emulator.apiKey, {
      "x-api-key": secret,
      "api-key": `Bearer ${secret}`,
    });
    try {
      await other.unary(Tokenize.method.tokenizeText, { text: "Hi", model: "grok-3" });
    } finally {
      other.close();
    }
    const [record] = env.emulator.calls;
    assert.equal(record?.headers["x-api-key"], "xai-****4567");
    assert.equal(record?.headers["api-key"], "Bearer xai-****4567");
    assert.ok(
      !inspect(env.emulator.calls, { depth: null }).includes(secret),
      "the key never appears in the log",
    );
  });

  test("records the traceparent a client sent (undefined without one)", async () => {
    env.emulator.reset();
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const traced = new RawClient(env.emulator.apiHost, env.emulator.apiKey, { traceparent });
    try {
      await traced.unary(Tokenize.method.tokenizeText, { text: "Hi", model: "grok-3" });
    } finally {
      traced.close();
    }
    await env.api.unary(Tokenize.method.tokenizeText, { text: "Hi", model: "grok-3" });
    assert.deepEqual(
      env.emulator.calls.map((c) => c.traceparent),
      [traceparent, undefined],
    );
  });

  test("client-streaming calls log every received message", async () => {
    env.emulator.reset();
    const result = await env.api.clientStream(Files.method.uploadFile, [
      { chunk: { case: "init", value: { name: "a.txt" } } },
      { chunk: { case: "data", value: new Uint8Array([1, 2, 3]) } },
      { chunk: { case: "data", value: new Uint8Array([4, 5]) } },
    ]);
    assert.ok(result.ok);
    assert.equal((result.value as Message & { size: bigint }).size, 5n);
    const record = env.emulator.calls[0];
    assert.equal(record.method, "/xai_api.Files/UploadFile");
    assert.ok(Array.isArray(record.request));
    assert.equal((record.request as Message[]).length, 3);
    assert.equal(record.status, 0);
  });

  test("a large upload's log keeps its first 16 MiB of messages and counts the rest", async () => {
    env.emulator.reset();
    const mib = new Uint8Array(1024 * 1024);
    const chunks = [
      { chunk: { case: "init", value: { name: "big.bin" } } },
      ...Array.from({ length: 20 }, () => ({ chunk: { case: "data", value: mib } })),
    ];
    const result = await env.api.clientStream(Files.method.uploadFile, chunks);
    assert.ok(result.ok);
    assert.equal(
      (result.value as Message & { size: bigint }).size,
      20n * 1024n * 1024n,
      "the handler saw every chunk",
    );
    const record = env.emulator.calls[0];
    // init + 16 chunks are kept (with their per-message overhead they pass the 16 MiB mark), the 4 after
    // them are only counted.
    assert.equal((record.request as Message[]).length, 17);
    assert.equal(record.droppedMessages, 4);
  });

  test("an EmulatorError becomes its status; any other exception becomes INTERNAL with a sentence", async () => {
    const refused = await env.api.unary(Sample.method.sampleText, { prompt: ["emulator-error"] });
    assert.ok(!refused.ok);
    assert.equal(refused.code, Code.FAILED_PRECONDITION);
    assert.equal(refused.details, "The probe refused.");
    const crashed = await env.api.unary(Sample.method.sampleText, { prompt: ["crash"] });
    assert.ok(!crashed.ok);
    assert.equal(crashed.code, Code.INTERNAL);
    assert.equal(crashed.details, "The emulator failed while serving /xai_api.Sample/SampleText: boom");
    const bad = await env.api.unary(Sample.method.sampleText, { prompt: ["bad-result"] });
    assert.ok(!bad.ok);
    assert.equal(bad.code, Code.INTERNAL);
  });

  test("an error in the middle of a stream ends it with its status after the messages before it", async () => {
    const result = await env.api.serverStream(Sample.method.sampleTextStreaming, {
      prompt: ["fail-midway"],
      maxTokens: 10,
    });
    assert.equal(result.count, 2);
    assert.equal(result.code, Code.RESOURCE_EXHAUSTED);
    assert.equal(result.details, "The probe ran out of tokens.");
  });

  test("a method without implementation answers UNIMPLEMENTED with a sentence", async () => {
    const result = await env.api.unary(Files.method.listFiles, {});
    assert.ok(!result.ok);
    assert.equal(result.code, Code.UNIMPLEMENTED);
    assert.match(result.details, /no implementation of \/xai_api\.Files\/ListFiles/);
  });

  test("a client cancelling a stream aborts the handler's signal and ends its generator", async () => {
    env.emulator.reset();
    const before = { ...probe };
    const call = env.api.openServerStream(Sample.method.sampleTextStreaming, { maxTokens: 1_000_000_000 });
    const errored = new Promise<ServiceError>((resolve) => call.on("error", resolve));
    let received = 0;
    await new Promise<void>((resolve) =>
      call.on("data", () => {
        received++;
        if (received === 10) resolve();
      }),
    );
    call.cancel();
    assert.equal((await errored).code, Code.CANCELLED);
    while (probe.finished === before.finished) await delay(5);
    assert.equal(probe.aborted, before.aborted + 1);
    while (env.emulator.calls[0]?.status === undefined) await delay(5);
    assert.equal(env.emulator.calls[0].status, Code.CANCELLED);
  });

  test("a deadline during injected latency gives DEADLINE_EXCEEDED and is logged as such", async () => {
    env.emulator.reset();
    env.emulator.faults.latency(10_000, "Tokenize/TokenizeText");
    const result = await env.api.unary(
      Tokenize.method.tokenizeText,
      { text: "slow", model: "grok-3" },
      { deadline: Date.now() + 100 },
    );
    assert.ok(!result.ok);
    assert.equal(result.code, Code.DEADLINE_EXCEEDED);
    while (env.emulator.calls[0]?.status === undefined) await delay(5);
    assert.equal(env.emulator.calls[0].status, Code.DEADLINE_EXCEEDED);
    env.emulator.faults.latency(0, "Tokenize/TokenizeText");
  });

  test("the log keeps at most maxLoggedCalls records, 0 keeping none", async () => {
    const small = await startEmulator({ maxLoggedCalls: 2 });
    const none = await startEmulator({ maxLoggedCalls: 0 });
    for (const target of [small, none]) {
      const c = new RawClient(target.apiHost, target.apiKey);
      for (const text of ["a", "b", "c"])
        await c.unary(Tokenize.method.tokenizeText, { text, model: "grok-3" });
      c.close();
    }
    assert.deepEqual(
      small.calls.map((c) => (c.request as Message & { text: string }).text),
      ["b", "c"],
    );
    assert.equal(none.calls.length, 0);
    await Promise.all([small.stop(), none.stop()]);
  });
});

describe("emulator: faults", () => {
  const probe = newProbe();
  const env = useRawEmulator({ services: probeServices(probe) });
  const tokenizeOnce = () => env.api.unary(Tokenize.method.tokenizeText, { text: "hi", model: "grok-3" });

  test("failNext fails exactly the next N calls of that method, then lets calls through", async () => {
    env.emulator.reset();
    env.emulator.faults.failNext("Tokenize/TokenizeText", 2, Code.UNAVAILABLE);
    const other = await env.api.unary(Models.method.listLanguageModels, {});
    assert.ok(other.ok, "other methods are not affected");
    const results = [await tokenizeOnce(), await tokenizeOnce(), await tokenizeOnce()];
    assert.deepEqual(
      results.map((r) => (r.ok ? 0 : r.code)),
      [Code.UNAVAILABLE, Code.UNAVAILABLE, 0],
    );
    assert.ok(!results[0].ok);
    assert.match(results[0].details, /failNext.*UNAVAILABLE.*\/xai_api\.Tokenize\/TokenizeText/);
    assert.deepEqual(
      env.emulator.calls.map((c) => c.status),
      [0, Code.UNAVAILABLE, Code.UNAVAILABLE, 0],
    );
  });

  test("failNext accepts the full path and custom details; successive faults queue up", async () => {
    env.emulator.reset();
    env.emulator.faults.failNext("/xai_api.Tokenize/TokenizeText", 1, Code.RESOURCE_EXHAUSTED, "Slow down.");
    env.emulator.faults.failNext("xai_api.Tokenize/TokenizeText", 1, Code.INTERNAL, "Oops.");
    const first = await tokenizeOnce();
    const second = await tokenizeOnce();
    const third = await tokenizeOnce();
    assert.ok(!first.ok && !second.ok);
    assert.deepEqual([first.code, first.details], [Code.RESOURCE_EXHAUSTED, "Slow down."]);
    assert.deepEqual([second.code, second.details], [Code.INTERNAL, "Oops."]);
    assert.ok(third.ok);
  });

  test("authentication comes before injected failures", async () => {
    env.emulator.reset();
    env.emulator.faults.failNext("Tokenize/TokenizeText", 1, Code.UNAVAILABLE);
    const anonymous = new RawClient(env.emulator.apiHost);
    const refused = await anonymous.unary(Tokenize.method.tokenizeText, { text: "hi", model: "grok-3" });
    anonymous.close();
    assert.ok(!refused.ok);
    assert.equal(refused.code, Code.UNAUTHENTICATED);
    const failed = await tokenizeOnce();
    assert.ok(!failed.ok);
    assert.equal(failed.code, Code.UNAVAILABLE);
  });

  test("bad fault arguments are refused with a sentence", () => {
    assert.throws(
      () => env.emulator.faults.failNext("Nope/Nothing", 1, Code.UNAVAILABLE),
      /serves no method "Nope\/Nothing"/,
    );
    assert.throws(
      () => env.emulator.faults.failNext("Tokenize/TokenizeText", 1, 0),
      /status code must be a gRPC error code/,
    );
    assert.throws(
      () => env.emulator.faults.failNext("Tokenize/TokenizeText", -1, 14),
      /count must be a whole number/,
    );
    assert.throws(() => env.emulator.faults.latency(-5), /ms must be a number/);
    assert.throws(
      () => env.emulator.faults.cutStream("Tokenize/TokenizeText", 1),
      /is unary; use faults.failNext/,
    );
  });

  test("latency delays a method's calls (and only that method's)", async () => {
    env.emulator.reset();
    env.emulator.faults.latency(150, "Tokenize/TokenizeText");
    let started = performance.now();
    assert.ok((await tokenizeOnce()).ok);
    assert.ok(performance.now() - started >= 145, "the call waited for the injected latency");
    started = performance.now();
    env.emulator.faults.latency(0, "Tokenize/TokenizeText");
    assert.ok((await tokenizeOnce()).ok);
    env.emulator.faults.latency(120);
    started = performance.now();
    assert.ok((await env.api.unary(Models.method.listEmbeddingModels, {})).ok);
    assert.ok(performance.now() - started >= 115, "a global latency applies to every method");
    env.emulator.faults.latency(0);
  });

  test("cutStream with a status ends the stream after K messages with that status", async () => {
    env.emulator.reset();
    env.emulator.faults.cutStream("Sample/SampleTextStreaming", 5);
    const cut = await env.api.serverStream(Sample.method.sampleTextStreaming, { maxTokens: 20 });
    assert.equal(cut.count, 5);
    assert.equal(cut.code, Code.UNAVAILABLE);
    assert.match(cut.details, /cut this stream after 5 message/);
    env.emulator.faults.cutStream("Sample/SampleTextStreaming", 0, { code: Code.ABORTED, details: "Nope." });
    const immediate = await env.api.serverStream(Sample.method.sampleTextStreaming, { maxTokens: 20 });
    assert.deepEqual([immediate.count, immediate.code, immediate.details], [0, Code.ABORTED, "Nope."]);
    const whole = await env.api.serverStream(Sample.method.sampleTextStreaming, { maxTokens: 20 });
    assert.deepEqual([whole.count, whole.code], [20, 0], "a cut applies to one stream only");
    assert.deepEqual(
      env.emulator.calls.map((c) => c.status),
      [Code.UNAVAILABLE, Code.ABORTED, 0],
    );
  });

  test('cutStream "drop" resets the stream without a status after K messages; the connection survives', async () => {
    env.emulator.reset();
    env.emulator.faults.cutStream("Sample/SampleTextStreaming", 7, "drop");
    const dropped = await env.api.serverStream(Sample.method.sampleTextStreaming, { maxTokens: 20 });
    assert.equal(dropped.count, 7);
    assert.equal(dropped.code, Code.INTERNAL);
    assert.match(dropped.details, /RST_STREAM/);
    assert.equal(env.emulator.calls[0].status, Code.INTERNAL, "the log records what the client saw");
    assert.match(
      env.emulator.calls[0].details ?? "",
      /reset the stream \(RST_STREAM, no status\) after 7 message/,
    );
    const next = await env.api.serverStream(Sample.method.sampleTextStreaming, { maxTokens: 3 });
    assert.deepEqual([next.count, next.code], [3, 0]);
  });

  test('cutStream "disconnect" drops the connection after K messages; the client reconnects', async () => {
    env.emulator.reset();
    env.emulator.faults.cutStream("Sample/SampleTextStreaming", 4, "disconnect");
    const dropped = await env.api.serverStream(Sample.method.sampleTextStreaming, { maxTokens: 20 });
    assert.equal(dropped.count, 4);
    assert.equal(dropped.code, Code.UNAVAILABLE);
    assert.equal(env.emulator.calls[0].status, Code.UNAVAILABLE);
    assert.match(env.emulator.calls[0].details ?? "", /dropped the connection after 4 message/);
    const next = await env.api.serverStream(Sample.method.sampleTextStreaming, { maxTokens: 3 });
    assert.deepEqual([next.count, next.code], [3, 0]);
  });

  test("cutStream on a client stream fails the upload after K received messages", async () => {
    env.emulator.reset();
    env.emulator.faults.cutStream("Files/UploadFile", 2, { code: Code.DATA_LOSS, details: "Upload cut." });
    const chunks = [
      { chunk: { case: "init", value: { name: "a.bin" } } },
      { chunk: { case: "data", value: new Uint8Array(10) } },
      { chunk: { case: "data", value: new Uint8Array(10) } },
      { chunk: { case: "data", value: new Uint8Array(10) } },
    ];
    const cut = await env.api.clientStream(Files.method.uploadFile, chunks);
    assert.ok(!cut.ok);
    assert.deepEqual([cut.code, cut.details], [Code.DATA_LOSS, "Upload cut."]);
    assert.equal((env.emulator.calls[0].request as Message[]).length, 2);
    const whole = await env.api.clientStream(Files.method.uploadFile, chunks);
    assert.ok(whole.ok);
  });
});

describe("emulator: reset and stop", () => {
  test("reset clears the log, faults, scripts, blobs and ids, and calls the service factories again", async () => {
    const probe = newProbe();
    const emulator = await startWithProbes(probe);
    const client = new RawClient(emulator.apiHost, emulator.apiKey);
    const firstContext = probe.ctx;
    assert.ok(firstContext);
    assert.equal(firstContext.newId("file"), "file_0001");
    const url = firstContext.serveBlob(new Uint8Array([1, 2, 3]), "application/octet-stream", "x.bin");
    emulator.faults.failNext("Tokenize/TokenizeText", 5, Code.UNAVAILABLE);
    emulator.script.chat({ kind: "text", content: "scripted" });
    await client.unary(Tokenize.method.tokenizeText, { text: "hi", model: "grok-3" });
    assert.equal(emulator.calls.length, 1);

    emulator.reset();
    assert.equal(emulator.calls.length, 0);
    assert.equal(emulator.script.pendingChatReplies, 0);
    assert.ok(firstContext.lifetime.aborted, "the old context's lifetime ended");
    assert.notEqual(probe.ctx, firstContext, "services were re-created with a fresh context");
    assert.equal(probe.ctx?.newId("file"), "file_0001", "ids start again");
    assert.equal((await fetch(url)).status, 404, "blobs of the old context are gone");
    assert.ok(
      (await client.unary(Tokenize.method.tokenizeText, { text: "hi", model: "grok-3" })).ok,
      "faults cleared",
    );
    client.close();
    await emulator.stop();
  });

  test("stop ends an open stream with UNAVAILABLE, frees the ports, and can be called twice", async () => {
    const probe = newProbe();
    const emulator = await startWithProbes(probe);
    const port = Number(emulator.apiHost.split(":")[1]);
    const managementPort = Number(emulator.managementApiHost.split(":")[1]);
    const client = new RawClient(emulator.apiHost, emulator.apiKey);
    let received = 0;
    const endless = client.serverStream(
      Sample.method.sampleTextStreaming,
      { maxTokens: 1_000_000_000 },
      { keep: false, onMessage: () => received++ },
    );
    while (received < 50) await delay(5);
    await Promise.all([emulator.stop(), emulator.stop()]);
    const result = await endless;
    assert.equal(result.code, Code.UNAVAILABLE);
    assert.match(result.details, /shutting down/);
    assert.ok(probe.aborted >= 1, "the handler saw its signal aborted");
    client.close();

    const again = await startEmulator({ port, managementPort });
    assert.equal(again.apiHost, `127.0.0.1:${port}`);
    assert.equal(again.managementApiHost, `127.0.0.1:${managementPort}`);
    const second = new RawClient(again.apiHost, again.apiKey);
    assert.ok((await second.unary(Models.method.listLanguageModels, {})).ok);
    second.close();
    await again.stop();
  });

  test("a port in use is reported clearly", async () => {
    const first = await startEmulator();
    const port = Number(first.apiHost.split(":")[1]);
    await assert.rejects(startEmulator({ port }), /could not listen on 127\.0\.0\.1:\d+/);
    await first.stop();
  });
});

describe("emulator: catalogue, tokenizer and embeddings", () => {
  const env = useRawEmulator();

  test("lists the language models with aliases, modalities, prices, prompt lengths and dates", async () => {
    const result = await env.api.unary(Models.method.listLanguageModels, {});
    assert.ok(result.ok);
    const models = (result.value as ListLanguageModelsResponse).models;
    assert.deepEqual(
      models.map((m) => m.name),
      [
        "grok-4",
        "grok-4-fast-reasoning",
        "grok-4-fast-non-reasoning",
        "grok-3-mini",
        "grok-3",
        "grok-code-fast-1",
        "grok-4-1-fast-reasoning",
        "grok-4-1-fast-non-reasoning",
        "grok-4.20-0309-reasoning",
        "grok-4.20-0309-non-reasoning",
        "grok-4.20-multi-agent-0309",
        "grok-4.3",
        "grok-4.5",
        "grok-4.6",
        "grok-build-0.1",
        "grok-3-fast",
        "grok-3-mini-fast",
      ],
    );
    const grok4 = models[0];
    assert.deepEqual(grok4.aliases, ["grok-4-latest", "grok-4-0709"]);
    assert.deepEqual(grok4.inputModalities, [Modality.TEXT, Modality.IMAGE]);
    assert.deepEqual(grok4.outputModalities, [Modality.TEXT]);
    assert.equal(grok4.promptTextTokenPrice, 30_000n, "$3 per million tokens in USD cents per 100M tokens");
    assert.equal(grok4.completionTextTokenPrice, 150_000n);
    assert.equal(grok4.maxPromptLength, 256_000);
    assert.equal(grok4.created?.seconds, BigInt(Date.UTC(2025, 6, 9) / 1000));
    assert.match(grok4.systemFingerprint, /^fp_[0-9a-f]{8}$/);
    const grok3 = models.find((m) => m.name === "grok-3");
    assert.equal(grok3?.maxPromptLength, 131_072);
    assert.deepEqual(grok3?.inputModalities, [Modality.TEXT]);
  });

  test("gets a model by name or alias; unknown names get NOT_FOUND and empty names INVALID_ARGUMENT", async () => {
    const byAlias = await env.api.unary(Models.method.getLanguageModel, { name: "grok-4-0709" });
    assert.ok(byAlias.ok);
    assert.equal((byAlias.value as LanguageModel).name, "grok-4");
    const unknown = await env.api.unary(Models.method.getLanguageModel, { name: "grok-99" });
    assert.ok(!unknown.ok);
    assert.equal(unknown.code, Code.NOT_FOUND);
    assert.match(unknown.details, /The model "grok-99" does not exist.*Available language models: grok-4/);
    const wrongKind = await env.api.unary(Models.method.getLanguageModel, { name: "v1" });
    assert.ok(!wrongKind.ok);
    assert.equal(wrongKind.code, Code.NOT_FOUND);
    assert.match(wrongKind.details, /is an embedding model, not a language model/);
    const empty = await env.api.unary(Models.method.getImageGenerationModel, { name: "" });
    assert.ok(!empty.ok);
    assert.equal(empty.code, Code.INVALID_ARGUMENT);
  });

  test("embedding and image-generation models", async () => {
    const embedding = await env.api.unary(Models.method.getEmbeddingModel, { name: "v1" });
    assert.ok(embedding.ok);
    assert.deepEqual((embedding.value as EmbeddingModel).outputModalities, [Modality.EMBEDDING]);
    const images = await env.api.unary(Models.method.listImageGenerationModels, {});
    assert.ok(images.ok);
    const list = (images.value as Message & { models: ImageGenerationModel[] }).models;
    assert.deepEqual(
      list.map((m) => m.name),
      ["grok-2-image", "grok-imagine-image", "grok-imagine-image-2.0", "grok-imagine-image-quality"],
    );
    assert.equal(list[0].imagePrice, 700_000_000n, "$0.07 per image in 1e-10 USD");
    const alias = await env.api.unary(Models.method.getImageGenerationModel, { name: "grok-2-image-latest" });
    assert.ok(alias.ok);
    assert.equal((alias.value as ImageGenerationModel).name, "grok-2-image");
  });

  test("TokenizeText: pieces concatenate to the text, bytes are UTF-8, ids are stable, counts agree", async () => {
    const text = "Hello, wörld! 12345 internationalization 😀  spaced\n\tout";
    const first = await env.api.unary(Tokenize.method.tokenizeText, { text, model: "grok-4-latest" });
    const second = await env.api.unary(Tokenize.method.tokenizeText, { text, model: "grok-3" });
    assert.ok(first.ok && second.ok);
    const tokens = (first.value as TokenizeTextResponse).tokens;
    assert.equal((first.value as TokenizeTextResponse).model, "grok-4");
    assert.equal(tokens.map((t) => t.stringToken).join(""), text);
    for (const token of tokens) {
      assert.deepEqual(Buffer.from(token.tokenBytes), Buffer.from(token.stringToken, "utf8"));
    }
    assert.deepEqual(
      tokens.map((t) => t.tokenId),
      (second.value as TokenizeTextResponse).tokens.map((t) => t.tokenId),
    );
    assert.equal(tokens.length, countTokens(text));
    assert.deepEqual(
      tokenize(text).map((t) => t.id),
      tokens.map((t) => t.tokenId),
    );
    assert.deepEqual(
      tokenize("Hello, world!").map((t) => t.text),
      ["Hello", ",", " world", "!"],
    );
    const unknown = await env.api.unary(Tokenize.method.tokenizeText, { text, model: "nope" });
    assert.ok(!unknown.ok);
    assert.equal(unknown.code, Code.NOT_FOUND);
  });

  test("the tokenizer covers any text exactly", () => {
    const samples = [
      "",
      " ",
      "   leading",
      "trailing   ",
      "a\r\nb",
      "日本語のテキストです",
      "e\u0301",
      "👍🏽👨‍👩‍👧",
      "x".repeat(50),
    ];
    for (const text of samples) {
      const tokens = tokenize(text);
      assert.equal(tokens.map((t) => t.text).join(""), text);
      assert.equal(countTokens(text), tokens.length);
      assert.ok(tokens.every((t) => t.text.length > 0 && t.id >= 1000 && t.id < 131_072));
    }
  });

  test("Embed: deterministic unit vectors of dimension 256, floats or base64, usage counted", async () => {
    const input = [
      { input: { case: "string", value: "the cat sat on the mat" } },
      { input: { case: "string", value: "the cat sat on a mat" } },
      { input: { case: "string", value: "quarterly revenue projections" } },
      {
        input: {
          case: "imageUrl",
          value: { source: { case: "imageUrl", value: "https://example.com/cat.png" } },
        },
      },
    ] as const;
    const first = await env.api.unary(Embedder.method.embed, { model: "v1", input: [...input] });
    const again = await env.api.unary(Embedder.method.embed, { model: "v1-latest", input: [...input] });
    assert.ok(first.ok && again.ok);
    const response = first.value as EmbedResponse;
    assert.equal(response.model, "v1");
    assert.deepEqual([response.usage?.numTextEmbeddings, response.usage?.numImageEmbeddings], [3, 1]);
    const vectors = response.embeddings.map((e) => e.embeddings[0].floatArray);
    assert.deepEqual(
      response.embeddings.map((e) => e.index),
      [0, 1, 2, 3],
    );
    for (const vector of vectors) {
      assert.equal(vector.length, 256);
      const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
      assert.ok(Math.abs(norm - 1) < 1e-5, `unit length (${norm})`);
    }
    assert.deepEqual(
      (again.value as EmbedResponse).embeddings.map((e) => e.embeddings[0].floatArray),
      vectors,
      "deterministic",
    );
    const dot = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * b[i], 0);
    assert.ok(dot(vectors[0], vectors[1]) > dot(vectors[0], vectors[2]), "texts sharing words are closer");

    const base64 = await env.api.unary(Embedder.method.embed, {
      model: "v1",
      input: [input[0]],
      encodingFormat: EmbedEncodingFormat.FORMAT_BASE64,
    });
    assert.ok(base64.ok);
    const encoded = (base64.value as EmbedResponse).embeddings[0].embeddings[0];
    assert.deepEqual(encoded.floatArray, []);
    const bytes = Buffer.from(encoded.base64Array, "base64");
    const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    assert.deepEqual(Array.from(floats), vectors[0]);
  });

  test("Embed refuses an empty input list, an empty input and a language model", async () => {
    const none = await env.api.unary(Embedder.method.embed, { model: "v1", input: [] });
    assert.ok(!none.ok);
    assert.equal(none.code, Code.INVALID_ARGUMENT);
    assert.match(none.details, /no input/);
    const empty = await env.api.unary(Embedder.method.embed, { model: "v1", input: [{}] });
    assert.ok(!empty.ok);
    assert.equal(empty.code, Code.INVALID_ARGUMENT);
    assert.match(empty.details, /Input 0 is empty/);
    const wrong = await env.api.unary(Embedder.method.embed, {
      model: "grok-4",
      input: [{ input: { case: "string", value: "x" } }],
    });
    assert.ok(!wrong.ok);
    assert.equal(wrong.code, Code.NOT_FOUND);
  });
});

describe("emulator: context services (blobs, ids, clock, scripts)", () => {
  const probe = newProbe();
  const env = useRawEmulator({ services: probeServices(probe) });

  test("serveBlob serves bytes over HTTP; readBlob reads them back; removeBlob and expiry end them", async () => {
    const ctx = probe.ctx;
    assert.ok(ctx);
    const bytes = new Uint8Array([137, 80, 78, 71, 1, 2, 3]);
    const url = ctx.serveBlob(bytes, "image/png", "picture.png");
    assert.ok(url.startsWith(`${env.emulator.httpUrl}/blobs/`));
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "image/png");
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), bytes);
    assert.deepEqual(ctx.readBlob(url), { bytes, mimeType: "image/png" });
    assert.equal(ctx.readBlob("https://example.com/picture.png"), undefined);
    assert.equal(ctx.removeBlob(url), true);
    assert.equal((await fetch(url)).status, 404);

    const expiring = ctx.serveBlob(bytes, "image/png", "soon.png", {
      expiresAt: new Date(ctx.now().getTime() + 60_000),
    });
    assert.equal((await fetch(expiring)).status, 200);
    env.emulator.advanceClock(61_000);
    assert.equal((await fetch(expiring)).status, 404);
    assert.equal(ctx.readBlob(expiring), undefined);
    assert.equal((await fetch(`${env.emulator.httpUrl}/blobs/`, { method: "POST" })).status, 405);
  });

  test("ids are deterministic per prefix; the clock advances on demand", () => {
    const ctx = probe.ctx;
    assert.ok(ctx);
    const a = ctx.newId("batch");
    const b = ctx.newId("batch");
    assert.equal(Number(b.slice(-4)), Number(a.slice(-4)) + 1);
    assert.match(a, /^batch_\d{4}$/);
    const before = ctx.now().getTime();
    env.emulator.advanceClock(3_600_000);
    assert.ok(ctx.now().getTime() - before >= 3_600_000);
  });

  test("scripted chat replies come out in order, once; bad replies are refused", () => {
    const ctx = probe.ctx;
    assert.ok(ctx);
    env.emulator.script.chat(
      { kind: "text", content: "one" },
      { kind: "toolCalls", toolCalls: [{ name: "get_weather", arguments: { city: "Paris" } }] },
      { kind: "error", code: Code.UNAVAILABLE, details: "busy" },
    );
    assert.equal(env.emulator.script.pendingChatReplies, 3);
    assert.deepEqual(ctx.takeScriptedChatReply(), { kind: "text", content: "one" });
    assert.equal(ctx.takeScriptedChatReply()?.kind, "toolCalls");
    assert.equal(ctx.takeScriptedChatReply()?.kind, "error");
    assert.equal(ctx.takeScriptedChatReply(), undefined);
    assert.throws(() => env.emulator.script.chat({ kind: "text" } as never), /each reply must be/);
    assert.throws(
      () => env.emulator.script.chat({ kind: "error", code: 0, details: "x" }),
      /each reply must be/,
    );
  });

  test("resolveModel resolves aliases and throws EmulatorError NOT_FOUND otherwise", () => {
    const ctx = probe.ctx;
    assert.ok(ctx);
    assert.equal(ctx.resolveModel("grok-3-latest", "language").name, "grok-3");
    assert.equal(ctx.resolveModel("grok-imagine-video", "video").kind, "video");
    assert.throws(
      () => ctx.resolveModel("nope", "language"),
      (error: unknown) => error instanceof EmulatorError && error.code === Code.NOT_FOUND,
    );
  });
});

describe("emulator: streaming capacity through the wrapper", () => {
  const probe = newProbe();
  const env = useRawEmulator({ services: probeServices(probe) });

  test("a 100,000-message stream arrives whole and in order", async () => {
    let expected = 0;
    let inOrder = true;
    const result = await env.api.serverStream(
      Sample.method.sampleTextStreaming,
      { maxTokens: 100_000 },
      {
        keep: false,
        onMessage: (message) => {
          if ((message as SampleTextResponse).choices[0]?.index !== expected) inOrder = false;
          expected++;
        },
      },
    );
    assert.equal(result.code, 0);
    assert.equal(result.count, 100_000);
    assert.ok(inOrder);
  });

  test("a slow reader holds the producer back (backpressure): production stops while the client pauses", async () => {
    const start = probe.produced;
    const call = env.api.openServerStream(Sample.method.sampleTextStreaming, { maxTokens: 1_000_000 });
    const errored = new Promise<ServiceError>((resolve) => call.on("error", resolve));
    await new Promise<void>((resolve) =>
      call.once("data", () => {
        call.pause();
        resolve();
      }),
    );
    // Let the flow-control windows and buffers fill up, then check that production has stopped.
    let previous = -1;
    let produced = probe.produced - start;
    while (produced !== previous) {
      previous = produced;
      await delay(100);
      produced = probe.produced - start;
    }
    assert.ok(produced < 100_000, `the producer stopped early (${produced} of 1,000,000 produced)`);
    call.cancel();
    assert.equal((await errored).code, Code.CANCELLED);
  });

  test("1,000 concurrent streams all complete", async () => {
    const results = await Promise.all(
      Array.from({ length: 1_000 }, () =>
        env.api.serverStream(Sample.method.sampleTextStreaming, { maxTokens: 10 }, { keep: false }),
      ),
    );
    assert.equal(results.filter((r) => r.code === 0 && r.count === 10).length, 1_000);
  });
});
