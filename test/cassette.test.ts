// Cassettes: sessions recorded through the recording proxy against a second emulator standing in for xAI,
// then replayed by an emulator serving the file with the upstream stopped: the same response bytes, no key
// in any file, the unmatched-request error, `auto` switching, timing, and `xai emulator --cassette`.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { create, type DescMessage, fromBinary, fromJson, type JsonValue, toBinary } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import {
  credentials,
  Client as GrpcClient,
  Metadata,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServerWritableStream,
  type StatusObject,
  type sendUnaryData,
} from "@grpc/grpc-js";
import { StatusSchema } from "../src/gen/google/rpc/status_pb.js";
import { GetBatchRequestResultResponseSchema } from "../src/gen/xai/api/v1/batch_pb.js";
import { GetDeferredCompletionResponseSchema } from "../src/gen/xai/api/v1/chat_pb.js";
import { DeferredStatus, StartDeferredResponseSchema } from "../src/gen/xai/api/v1/deferred_pb.js";
import { FileContentChunkSchema, FileSchema } from "../src/gen/xai/api/v1/files_pb.js";
import { Client, NotFoundError, tool, user } from "../src/index.js";
import { apiMethods } from "../src/testing/cassette/methods.js";
import {
  type Cassette,
  type CassetteOptions,
  Code,
  type Emulator,
  EmulatorError,
  readCassette,
  register,
  startEmulator,
  withCassette,
  xaiServices,
} from "../src/testing/index.js";
import { useTempDir } from "./helpers/temp-dir.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const tmp = useTempDir("xai-cassette-test-");

/** The stand-in's API key: it must never reach a cassette file. */
const SECRET = "xai-upstream-secret-0123456789-canary";
const MANAGEMENT_SECRET = "xai-upstream-management-9876543210-canary";

/** A second emulator standing in for xAI, with keys the test client never holds. */
function startUpstream(): Promise<Emulator> {
  return startEmulator({ apiKey: SECRET, managementApiKey: MANAGEMENT_SECRET, deferredPolls: 2 });
}

function recordOptions(upstream: Emulator, extra: CassetteOptions = {}): CassetteOptions {
  return {
    mode: "record",
    upstream: {
      apiHost: upstream.apiHost,
      managementApiHost: upstream.managementApiHost,
      apiKey: SECRET,
      managementApiKey: MANAGEMENT_SECRET,
    },
    ...extra,
  };
}

/** What a call gave back: every response message's bytes, and the status. */
interface Outcome {
  method: string;
  responses: Buffer[];
  code: number;
  details: string;
  /** Trailing metadata (binary values as base64). */
  trailers: Record<string, string>;
}

const identity = (bytes: Buffer) => bytes;

/** A grpc-js client that sends and receives raw bytes, to compare what the wire carried. */
class BytesClient {
  readonly #grpc: GrpcClient;
  readonly #key: string;
  readonly #headers: Record<string, string>;

  constructor(host: string, key: string, headers: Record<string, string> = {}) {
    this.#grpc = new GrpcClient(host, credentials.createInsecure());
    this.#key = key;
    this.#headers = headers;
  }

  /** Calls `path` with requests given as proto JSON (one for unary and server streams, several for uploads). */
  call(path: string, ...requests: JsonValue[]): Promise<Outcome> {
    const entry = apiMethods().get(path);
    assert.ok(entry, path);
    const bodies = requests.map((json) => Buffer.from(toBinary(entry.input, fromJson(entry.input, json))));
    const metadata = new Metadata();
    metadata.set("authorization", `Bearer ${this.#key}`);
    for (const [name, value] of Object.entries(this.#headers))
      metadata.set(name, name.endsWith("-bin") ? Buffer.from(value) : value);
    const responses: Buffer[] = [];
    return new Promise((resolve) => {
      const done = (status: StatusObject) => {
        const trailers: Record<string, string> = {};
        for (const [name, value] of Object.entries(status.metadata.getMap())) {
          // A trailers-only response (an error before any message) carries the transport's headers too.
          if (name === "content-type" || name === "date") continue;
          trailers[name] = typeof value === "string" ? value : Buffer.from(value).toString("base64");
        }
        resolve({ method: path, responses, code: status.code, details: status.details, trailers });
      };
      const keep = (_error: unknown, value?: Buffer) => {
        if (value) responses.push(value);
      };
      switch (entry.method.methodKind) {
        case "unary":
          this.#grpc
            .makeUnaryRequest(path, identity, identity, bodies[0] as Buffer, metadata, keep)
            .on("status", done);
          break;
        case "server_streaming": {
          const stream = this.#grpc.makeServerStreamRequest(
            path,
            identity,
            identity,
            bodies[0] as Buffer,
            metadata,
          );
          stream.on("data", (bytes: Buffer) => responses.push(bytes));
          stream.on("error", () => {});
          stream.on("status", done);
          break;
        }
        default: {
          const upload = this.#grpc.makeClientStreamRequest(path, identity, identity, metadata, keep);
          upload.on("status", done);
          for (const body of bodies) upload.write(body);
          upload.end();
        }
      }
    });
  }

  close(): void {
    this.#grpc.close();
  }
}

/** Outcomes with each message as hex, for short assertion messages. */
function hex(outcomes: Outcome[]) {
  return outcomes.map((o) => ({ ...o, responses: o.responses.map((b) => b.toString("hex")) }));
}

function decode<T extends DescMessage>(schema: T, bytes: Buffer | undefined) {
  assert.ok(bytes, "a response message");
  return fromBinary(schema, bytes);
}

const chatRequest = (text: string, extra: Record<string, JsonValue> = {}): JsonValue => ({
  model: "grok-4",
  messages: [{ role: "ROLE_USER", content: [{ text }] }],
  ...extra,
});

const UPLOADED = "Ship the CLI on Friday. Owner: Ada.\n".repeat(50);

/**
 * The session: chat sample, stream, tools, deferred polling, an upload and its content, an unknown model,
 * a stream that fails after two chunks (`cutStream` runs before that call when recording).
 */
async function session(
  client: BytesClient,
  cutStream: () => void = () => {},
  extra: Record<string, JsonValue> = {},
): Promise<Outcome[]> {
  const out: Outcome[] = [];
  out.push(await client.call("/xai_api.Chat/GetCompletion", chatRequest("Hello", extra)));
  out.push(await client.call("/xai_api.Chat/GetCompletionChunk", chatRequest("Tell me a story #chunks 4")));
  const weatherTool = {
    function: {
      name: "get_weather",
      description: "Weather of a city",
      parameters: JSON.stringify({
        type: "object",
        properties: { city: { type: "string" } },
        required: ["city"],
      }),
    },
  };
  out.push(
    await client.call(
      "/xai_api.Chat/GetCompletion",
      chatRequest("What's the weather in Paris?", { tools: [weatherTool] }),
    ),
  );
  const started = await client.call("/xai_api.Chat/StartDeferredCompletion", chatRequest("Later, please"));
  out.push(started);
  const requestId = decode(StartDeferredResponseSchema, started.responses[0]).requestId;
  for (;;) {
    const poll = await client.call("/xai_api.Chat/GetDeferredCompletion", { requestId });
    out.push(poll);
    if (
      poll.code !== 0 ||
      decode(GetDeferredCompletionResponseSchema, poll.responses[0]).status !== DeferredStatus.PENDING
    )
      break;
  }
  const data = Buffer.from(UPLOADED).toString("base64");
  const uploaded = await client.call(
    "/xai_api.Files/UploadFile",
    { init: { name: "notes.txt" } },
    { data: data.slice(0, 400) },
    { data: data.slice(400) },
  );
  out.push(uploaded);
  const fileId = decode(FileSchema, uploaded.responses[0]).id;
  out.push(await client.call("/xai_api.Files/RetrieveFileContent", { fileId }));
  out.push(
    await client.call("/xai_api.Chat/GetCompletion", chatRequest("Hi", { model: "grok-no-such-model" })),
  );
  cutStream();
  out.push(await client.call("/xai_api.Chat/GetCompletionChunk", chatRequest("Count to ten #chunks 5")));
  return out;
}

/**
 * Records the session through a cassette against a fresh stand-in; `extra` goes into its first request
 * (a scrubbed `user`, whose answer echoes it: that answer then differs from the upstream's in that field).
 */
async function recordSession(
  path: string,
  headers: Record<string, string> = {},
  extra: Record<string, JsonValue> = {},
): Promise<Outcome[]> {
  const upstream = await startUpstream();
  const cassette = await withCassette(
    path,
    recordOptions(upstream, { scrub: { fields: ["user"], headers: ["x-team"] } }),
  );
  const options = cassette.clientOptions();
  const client = new BytesClient(options.apiHost, options.apiKey, headers);
  try {
    const cut = () =>
      upstream.faults.cutStream("Chat/GetCompletionChunk", 2, {
        code: Code.UNAVAILABLE,
        details: "Upstream went away.",
      });
    return await session(client, cut, extra);
  } finally {
    client.close();
    await cassette.stop();
    await upstream.stop();
  }
}

async function replaySession(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ outcomes: Outcome[]; cassette: Cassette }> {
  const cassette = await withCassette(path, { mode: "replay" });
  const options = cassette.clientOptions();
  const client = new BytesClient(options.apiHost, options.apiKey, headers);
  try {
    return { outcomes: await session(client), cassette };
  } finally {
    client.close();
    await cassette.stop();
  }
}

describe("recording and replaying a session", () => {
  test("the replay, with the upstream stopped, gives the recorded session's response bytes and statuses", async () => {
    const path = join(tmp.path, "session.json");
    const recorded = await recordSession(path, { "x-team": "team-blue-canary" });
    // The session is what it claims: a stream, polls, an upload, its content, and two errors.
    const byMethod = (method: string) => recorded.filter((o) => o.method.endsWith(method));
    assert.ok(byMethod("/GetCompletionChunk")[0]!.responses.length >= 4, "a stream of several chunks");
    assert.ok(byMethod("/GetDeferredCompletion").length >= 2, "polled more than once");
    assert.equal(
      Buffer.concat(
        byMethod("/RetrieveFileContent")[0]!.responses.map((b) =>
          Buffer.from(decode(FileContentChunkSchema, b).data),
        ),
      ).toString(),
      UPLOADED,
    );
    const notFound = recorded.find((o) => o.code === Code.NOT_FOUND);
    assert.ok(notFound, "an unknown model failed");
    const cut = byMethod("/GetCompletionChunk")[1]!;
    assert.equal(cut.code, Code.UNAVAILABLE);
    assert.equal(cut.responses.length, 2);

    const { outcomes: replayed, cassette } = await replaySession(path, { "x-team": "team-blue-canary" });
    assert.equal(replayed.length, recorded.length);
    for (let i = 0; i < recorded.length; i++) {
      assert.deepEqual(hex([replayed[i]!]), hex([recorded[i]!]), `call ${i + 1} (${recorded[i]!.method})`);
    }
    assert.deepEqual(cassette.unmatched, []);
    // Served through the emulator: its call log saw every call.
    assert.equal(cassette.emulator?.calls.length, recorded.length);
  });

  test("no key, authorization value, scrubbed field or header reaches the cassette file", async () => {
    const path = join(tmp.path, "scrubbed.json");
    await recordSession(path, { "x-team": "team-blue-canary" }, { user: "alice@example.com" });
    const text = readFileSync(path, "utf8");
    for (const secret of [
      SECRET,
      MANAGEMENT_SECRET,
      "0123456789-canary",
      "alice@example.com",
      "team-blue-canary",
    ]) {
      assert.ok(!text.includes(secret), `${secret} is in the cassette`);
    }
    const cassette = readCassette(path);
    const first = cassette.calls[0]!;
    assert.equal(first.requestMetadata?.authorization, "[scrubbed]");
    assert.equal(first.requestMetadata?.["x-team"], "[scrubbed]");
    assert.equal((first.request as { user?: string }).user, "[scrubbed]");
    assert.deepEqual(cassette.scrubbed.fields, ["user"]);
  });

  test("a key that appears in a prompt, an answer or an error detail is scrubbed too", async () => {
    const path = join(tmp.path, "key-in-body.json");
    const upstream = await startUpstream();
    const cassette = await withCassette(path, recordOptions(upstream));
    const options = cassette.clientOptions();
    const client = new BytesClient(options.apiHost, options.apiKey);
    const wrongKey = new BytesClient(options.apiHost, "xai-some-other-key-5555-canary");
    try {
      const answer = await client.call(
        "/xai_api.Chat/GetCompletion",
        chatRequest(`Repeat after me: ${SECRET}`),
      );
      assert.equal(answer.code, 0);
      assert.ok(
        answer.responses[0]!.includes(Buffer.from(SECRET)),
        "the upstream echoed the key in its answer",
      );
      const denied = await wrongKey.call("/xai_api.Models/ListLanguageModels", {});
      assert.equal(denied.code, Code.UNAUTHENTICATED);
    } finally {
      client.close();
      wrongKey.close();
      await cassette.stop();
      await upstream.stop();
    }
    const text = readFileSync(path, "utf8");
    assert.ok(!text.includes(SECRET), "the upstream key is in the cassette");
    assert.ok(!text.includes("xai-some-other-key-5555-canary"), "the other key is in the cassette");
    assert.ok(!text.includes("5555-canary"), "part of the other key is in the cassette");
    assert.match(text, /Repeat after me: \[scrubbed\]/);
  });

  test("the SDK's client records and replays the same answers (sample, stream, tools, deferred, files, an error)", async () => {
    const path = join(tmp.path, "sdk.json");
    const run = async (cassette: Cassette) => {
      await using client = new Client({ ...cassette.clientOptions(), retry: false });
      const sample = await client.chat.create({ model: "grok-4", messages: [user("Hello")] }).sample();
      let streamed = "";
      for await (const [, chunk] of client.chat
        .create({ model: "grok-4", messages: ["A story #chunks 3"] })
        .stream())
        streamed += chunk.content;
      const weather = tool("get_weather", "Weather of a city", {
        type: "object",
        properties: { city: { type: "string" } },
        required: ["city"],
      });
      const tools = await client.chat
        .create({ model: "grok-4", tools: [weather], messages: ["What's the weather in Paris?"] })
        .sample();
      const deferred = await client.chat
        .create({ model: "grok-4", messages: ["Later"] })
        .defer({ pollInterval: 1 });
      const file = await client.files.upload(Buffer.from(UPLOADED), { filename: "notes.txt" });
      const content = await client.files.content(file.id);
      const error = await client.chat
        .create({ model: "grok-no-such-model", messages: ["Hi"] })
        .sample()
        .catch((e: unknown) => e);
      assert.ok(error instanceof NotFoundError, String(error));
      return {
        sample: sample.content,
        streamed,
        toolCalls: tools.toolCalls.map((c) => [c.name, c.arguments]),
        deferred: deferred.content,
        file: [file.id, file.filename, content.toString()],
        error: error.details,
      };
    };
    const upstream = await startUpstream();
    const recording = await withCassette(path, recordOptions(upstream));
    const recorded = await run(recording).finally(() => recording.stop());
    await upstream.stop();
    assert.equal(recorded.file[2], UPLOADED);
    assert.ok(recorded.toolCalls.length > 0, "the model called the tool");
    const replay = await withCassette(path, { mode: "replay" });
    const replayed = await run(replay).finally(() => replay.stop());
    assert.deepEqual(replayed, recorded);
    assert.deepEqual(replay.unmatched, []);
  });
});

test("an error's trailing metadata (text and binary) is recorded and replayed", async () => {
  const path = join(tmp.path, "trailers.json");
  const trailers = new Metadata();
  trailers.set("retry-after-ms", "1500");
  trailers.set("x-detail-bin", Buffer.from([0, 1, 2, 255]));
  const upstream = await startEmulator({
    apiKey: SECRET,
    services: [
      () =>
        register(xaiServices.Tokenize, {
          tokenizeText: () => {
            throw Object.assign(new EmulatorError(Code.RESOURCE_EXHAUSTED, "Slow down."), { trailers });
          },
        }),
    ],
  });
  const recording = await withCassette(path, recordOptions(upstream));
  const recorder = new BytesClient(recording.clientOptions().apiHost, recording.clientOptions().apiKey);
  const recorded = await recorder.call("/xai_api.Tokenize/TokenizeText", { text: "hi", model: "grok-4" });
  recorder.close();
  await recording.stop();
  await upstream.stop();
  assert.equal(recorded.code, Code.RESOURCE_EXHAUSTED);
  assert.equal(recorded.trailers["retry-after-ms"], "1500");
  assert.deepEqual(readCassette(path).calls[0]?.trailers, {
    "retry-after-ms": "1500",
    "x-detail-bin": "AAEC/w==",
  });
  const replay = await withCassette(path);
  const client = new BytesClient(replay.clientOptions().apiHost, replay.clientOptions().apiKey);
  try {
    assert.deepEqual(
      await client.call("/xai_api.Tokenize/TokenizeText", { text: "hi", model: "grok-4" }),
      recorded,
    );
  } finally {
    client.close();
    await replay.stop();
  }
});

describe("matching", () => {
  let path = "";
  test("a request that matches no recorded call fails, naming the closest call and the fields that differ", async () => {
    path = join(tmp.path, "match.json");
    await recordSession(path, {}, { user: "alice@example.com" });
    const cassette = await withCassette(path, { mode: "replay" });
    const { apiHost, apiKey } = cassette.clientOptions();
    const client = new BytesClient(apiHost, apiKey);
    try {
      const missed = await client.call(
        "/xai_api.Chat/GetCompletion",
        chatRequest("Goodbye", { user: "bob@example.com", temperature: 0.5 }),
      );
      assert.equal(missed.code, Code.FAILED_PRECONDITION);
      assert.match(
        missed.details,
        /^The cassette .*match\.json has no recorded call matching this \/xai_api\.Chat\/GetCompletion request\./,
      );
      assert.match(
        missed.details,
        /The closest is call #1 of \/xai_api\.Chat\/GetCompletion, which differs in: /,
      );
      assert.match(
        missed.details,
        /messages\[0\]\.content\[0\]\.text \(recorded "Hello", received "Goodbye"\)/,
      );
      assert.match(missed.details, /temperature \(recorded absent, received 0\.5\)/);
      // The user field is scrubbed on both sides: it is no difference.
      assert.doesNotMatch(missed.details, /user/);
      assert.match(missed.details, /match\.ignoreFields/);
      const other = await client.call("/xai_api.Tokenize/TokenizeText", { text: "hi", model: "grok-4" });
      assert.equal(other.code, Code.FAILED_PRECONDITION);
      assert.match(other.details, /holds no call of that method \(it holds \/xai_api\.Chat\/GetCompletion, /);
      assert.equal(cassette.unmatched.length, 2);
      assert.equal(cassette.unmatched[0], missed.details);
    } finally {
      client.close();
      await cassette.stop();
    }
  });

  test("ignoreFields and a custom function make other requests match; replies repeat once every match was used", async () => {
    const ignoring = await withCassette(path, {
      mode: "replay",
      match: { ignoreFields: ["temperature", "messages.content", "user"] },
    });
    const custom = await withCassette(path, {
      mode: "replay",
      match: {
        custom: (received, recorded) =>
          JSON.stringify(received).includes("Goodbye") && JSON.stringify(recorded).includes("Hello"),
      },
    });
    const strict = await withCassette(path, { mode: "replay" });
    const clients = [ignoring, custom, strict].map(
      (c) => new BytesClient(c.clientOptions().apiHost, c.clientOptions().apiKey),
    );
    try {
      const [a, b] = clients as [BytesClient, BytesClient, BytesClient];
      const hello = readCassette(path).calls[0]!;
      const first = await a.call("/xai_api.Chat/GetCompletion", chatRequest("Goodbye", { temperature: 0.5 }));
      assert.equal(first.code, 0, first.details);
      assert.ok(first.responses[0]!.includes(Buffer.from("Hello")), "answered by the recorded Hello call");
      const viaCustom = await b.call("/xai_api.Chat/GetCompletion", chatRequest("Goodbye"));
      assert.equal(viaCustom.code, 0, viaCustom.details);
      assert.deepEqual(viaCustom.responses, first.responses);
      assert.equal(hello.method, "/xai_api.Chat/GetCompletion");
      // The strict replayer: the Hello request twice (the recorded call answers again).
      const strictClient = clients[2]!;
      const once = await strictClient.call(
        "/xai_api.Chat/GetCompletion",
        chatRequest("Hello", { user: "x" }),
      );
      const twice = await strictClient.call(
        "/xai_api.Chat/GetCompletion",
        chatRequest("Hello", { user: "y" }),
      );
      assert.equal(once.code, 0, once.details);
      assert.deepEqual(twice, once);
    } finally {
      for (const client of clients) client.close();
      await Promise.all([ignoring.stop(), custom.stop(), strict.stop()]);
    }
  });

  test("replay keeps the emulator's authentication: a wrong key is refused before the cassette is read", async () => {
    const cassette = await withCassette(path, { mode: "replay" });
    const client = new BytesClient(cassette.clientOptions().apiHost, "xai-wrong-key-000000000");
    try {
      const denied = await client.call("/xai_api.Chat/GetCompletion", chatRequest("Hello"));
      assert.equal(denied.code, Code.UNAUTHENTICATED);
      assert.deepEqual(cassette.unmatched, []);
    } finally {
      client.close();
      await cassette.stop();
    }
  });
});

describe("modes and timing", () => {
  test("auto records when the cassette is missing, and replays it once it exists", async () => {
    const path = join(tmp.path, "nested", "auto.json");
    const upstream = await startUpstream();
    const first = await withCassette(path, recordOptions(upstream, { mode: "auto" }));
    assert.equal(first.mode, "record");
    const recordedClient = new BytesClient(first.clientOptions().apiHost, first.clientOptions().apiKey);
    const recorded = await recordedClient.call("/xai_api.Chat/GetCompletion", chatRequest("Hello"));
    recordedClient.close();
    await first.stop();
    assert.equal(upstream.calls.length, 1, "the call reached the upstream");
    await upstream.stop();
    assert.ok(existsSync(path), "the cassette was written");

    const second = await withCassette(path, recordOptions(upstream, { mode: "auto" }));
    const client = new BytesClient(second.clientOptions().apiHost, second.clientOptions().apiKey);
    try {
      assert.equal(second.mode, "replay");
      assert.deepEqual(await client.call("/xai_api.Chat/GetCompletion", chatRequest("Hello")), recorded);
    } finally {
      client.close();
      await second.stop();
    }
  });

  test("a call that never reached the upstream (nothing listening) fails as it did, and is not recorded", async () => {
    const path = join(tmp.path, "unreached.json");
    const upstream = await startUpstream();
    const options = recordOptions(upstream);
    await upstream.stop();
    const recording = await withCassette(path, options);
    const client = new BytesClient(recording.clientOptions().apiHost, recording.clientOptions().apiKey);
    try {
      const failed = await client.call("/xai_api.Models/ListLanguageModels", {});
      assert.equal(failed.code, Code.UNAVAILABLE);
    } finally {
      client.close();
      await recording.stop();
    }
    assert.deepEqual(readCassette(path).calls, []);
  });

  test("collections without an upstream management key: a clear UNAUTHENTICATED from the recorder, nothing sent", async () => {
    const path = join(tmp.path, "no-management-key.json");
    const upstream = await startUpstream();
    const options = recordOptions(upstream);
    delete options.upstream?.managementApiKey;
    const saved = process.env.XAI_MANAGEMENT_KEY;
    delete process.env.XAI_MANAGEMENT_KEY;
    const recording = await withCassette(path, options).finally(() => {
      if (saved !== undefined) process.env.XAI_MANAGEMENT_KEY = saved;
    });
    const { managementApiHost, managementApiKey } = recording.clientOptions();
    const client = new BytesClient(managementApiHost, managementApiKey);
    try {
      const refused = await client.call(`/${xaiServices.Collections.typeName}/ListCollections`, {});
      assert.equal(refused.code, Code.UNAUTHENTICATED);
      assert.match(refused.details, /needs the upstream's management key: pass upstream\.managementApiKey/);
      assert.equal(upstream.calls.length, 0);
    } finally {
      client.close();
      await recording.stop();
      await upstream.stop();
    }
    assert.deepEqual(readCassette(path).calls, []);
  });

  test("record mode without a key fails before anything listens; replay of a missing file names it", async () => {
    const saved = process.env.XAI_API_KEY;
    delete process.env.XAI_API_KEY;
    try {
      await assert.rejects(
        withCassette(join(tmp.path, "nokey.json"), { mode: "record" }),
        /needs the upstream's API key: pass upstream\.apiKey or set XAI_API_KEY/,
      );
    } finally {
      if (saved !== undefined) process.env.XAI_API_KEY = saved;
    }
    await assert.rejects(
      withCassette(join(tmp.path, "missing.json")),
      /missing\.json does not exist: record it first/,
    );
    await assert.rejects(
      withCassette(join(tmp.path, "x.json"), { mode: "rewind" as "auto" }),
      /mode must be "record", "replay" or "auto"/,
    );
    const bad = join(tmp.path, "bad.json");
    writeFileSync(bad, JSON.stringify({ calls: [] }));
    await assert.rejects(withCassette(bad), /is not a cassette/);
  });

  test('timing: "original" waits the recorded delays, the default answers at once', async () => {
    const path = join(tmp.path, "timing.json");
    const upstream = await startUpstream();
    upstream.faults.latency(150, "Chat/GetCompletionChunk");
    const recording = await withCassette(path, recordOptions(upstream));
    const recorder = new BytesClient(recording.clientOptions().apiHost, recording.clientOptions().apiKey);
    await recorder.call("/xai_api.Chat/GetCompletionChunk", chatRequest("Slow #chunks 2"));
    recorder.close();
    await recording.stop();
    await upstream.stop();
    const recordedCall = readCassette(path).calls[0]!;
    assert.ok(recordedCall.responses[0]!.afterMs >= 150, JSON.stringify(recordedCall.responses));
    assert.ok(
      recordedCall.status.afterMs >= recordedCall.responses.at(-1)!.afterMs,
      "the status after the last message",
    );

    const elapsed = async (timing: "original" | "fast") => {
      const cassette = await withCassette(path, { mode: "replay", timing });
      const client = new BytesClient(cassette.clientOptions().apiHost, cassette.clientOptions().apiKey);
      const started = performance.now();
      const outcome = await client.call("/xai_api.Chat/GetCompletionChunk", chatRequest("Slow #chunks 2"));
      const ms = performance.now() - started;
      client.close();
      await cassette.stop();
      assert.equal(outcome.code, 0, outcome.details);
      return ms;
    };
    const slow = await elapsed("original");
    assert.ok(slow >= 145, `original timing took ${slow} ms`);
    // Fast replay does not sleep: it finishes before the recorded delay of its first message would pass
    // (a replay sleeping those 150 ms could not), measured against the slow one rather than a fixed limit.
    const [fast, original] = [await elapsed("fast"), await elapsed("original")];
    assert.ok(fast < original, `fast ${fast} ms, original ${original} ms`);
  });
});

describe("xai emulator --cassette", () => {
  test("serves the cassette to any gRPC client; a bad file is one clear line and exit 1", async () => {
    const path = join(tmp.path, "cli.json");
    const recorded = await recordSession(path);
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(root, "src/cli/main.ts"), "emulator", "--cassette", path, "--json"],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: "1", NODE_TEST_CONTEXT: undefined },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += String(d);
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    try {
      const first = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once("line", resolve);
        child.once("close", () => reject(new Error(`the emulator exited: ${stderr}`)));
      });
      const { apiHost, apiKey } = JSON.parse(first) as { apiHost: string; apiKey: string };
      const client = new BytesClient(apiHost, apiKey);
      try {
        const replayed = await session(client);
        assert.deepEqual(hex(replayed), hex(recorded));
      } finally {
        client.close();
      }
    } finally {
      child.kill("SIGTERM");
    }
    assert.equal(await exited, 0, stderr);

    const missing = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        join(root, "src/cli/main.ts"),
        "emulator",
        "--cassette",
        join(tmp.path, "none.json"),
      ],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: "1", NODE_TEST_CONTEXT: undefined },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let missingErr = "";
    missing.stderr.on("data", (d) => {
      missingErr += String(d);
    });
    const code = await new Promise<number | null>((resolve) => missing.on("close", resolve));
    assert.equal(code, 1, missingErr);
    assert.equal(missingErr.trimEnd().split("\n").length, 1, missingErr);
    assert.match(missingErr, /none\.json does not exist: record it first/);
  });
});

test("every service of the API is answered from the cassette (no method falls through to the generated emulator)", async () => {
  const path = join(tmp.path, "empty.json");
  writeFileSync(
    path,
    JSON.stringify({
      format: "xai-grpc-cassette",
      version: 1,
      recordedAt: "",
      scrubbed: { fields: [], headers: [] },
      calls: [],
    }),
  );
  const cassette = await withCassette(path);
  const client = new BytesClient(cassette.clientOptions().apiHost, cassette.clientOptions().apiKey);
  const management = new BytesClient(
    cassette.clientOptions().managementApiHost,
    cassette.clientOptions().managementApiKey,
  );
  try {
    const models = await client.call("/xai_api.Models/ListLanguageModels", {});
    assert.equal(models.code, Code.FAILED_PRECONDITION, models.details);
    assert.match(models.details, /it holds no calls/);
    const collections = await management.call(`/${xaiServices.Collections.typeName}/ListCollections`, {});
    assert.equal(collections.code, Code.FAILED_PRECONDITION, collections.details);
  } finally {
    client.close();
    management.close();
    await cassette.stop();
  }
});

describe("review fixes", () => {
  /** Every string in a cassette's JSON, decoded as base64 where it reads as base64. */
  function decodedStrings(path: string): string[] {
    const out: string[] = [];
    const walkJson = (value: unknown): void => {
      if (typeof value === "string") {
        out.push(value);
        if (/^[A-Za-z0-9+/_-]{8,}={0,2}$/.test(value))
          out.push(Buffer.from(value, "base64").toString("latin1"));
      } else if (Array.isArray(value)) for (const item of value) walkJson(item);
      else if (value !== null && typeof value === "object")
        for (const [key, item] of Object.entries(value)) {
          walkJson(key);
          walkJson(item);
        }
    };
    walkJson(JSON.parse(readFileSync(path, "utf8")));
    return out;
  }

  test("a key inside binary metadata (-bin headers, trailers, grpc-status-details-bin) or bytes fields is scrubbed", async () => {
    const path = join(tmp.path, "bin-metadata.json");
    const email = "alice@example.com";
    // Nested protobuf, as a real upstream's error details are: a Status whose Any holds a Status.
    const inner = toBinary(
      StatusSchema,
      create(StatusSchema, { code: 7, message: `auth was Bearer ${SECRET}` }),
    );
    const details = toBinary(
      StatusSchema,
      create(StatusSchema, {
        code: 7,
        message: `denied for ${SECRET}`,
        details: [{ typeUrl: "type.googleapis.com/google.rpc.Status", value: inner }],
      }),
    );
    const server = new Server();
    const raw = (path: string, responseStream: boolean) => ({
      path,
      requestStream: false,
      responseStream,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    });
    server.addService(
      {
        listLanguageModels: raw("/xai_api.Models/ListLanguageModels", false),
        retrieveFileContent: raw("/xai_api.Files/RetrieveFileContent", true),
        getBatchRequestResult: raw("/xai_api.BatchMgmt/GetBatchRequestResult", false),
      },
      {
        listLanguageModels: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
          const auth = String(call.metadata.get("authorization")[0]);
          const headers = new Metadata();
          headers.set("x-echo-bin", Buffer.from(`you sent ${auth}`));
          call.sendMetadata(headers);
          const trailers = new Metadata();
          trailers.set("debug-bin", Buffer.from(`auth was ${auth}`));
          trailers.set("grpc-status-details-bin", Buffer.from(details));
          callback({ code: Code.PERMISSION_DENIED, details: "denied", metadata: trailers });
        },
        // No JSON for this answer (an Any of a type unknown here): it is kept as bytes, where a field unknown
        // to the schema holds the key.
        getBatchRequestResult: (_call: unknown, callback: sendUnaryData<Buffer>) => {
          const known = toBinary(
            GetBatchRequestResultResponseSchema,
            create(GetBatchRequestResultResponseSchema, {
              result: {
                batchRequestId: "r1",
                result: {
                  case: "error",
                  value: {
                    code: 13,
                    details: [
                      { typeUrl: "type.googleapis.com/example.Unknown" },
                      { typeUrl: "type.googleapis.com/google.rpc.Status", value: inner },
                    ],
                  },
                },
              },
            }),
          );
          const unknown = new BinaryWriter()
            .tag(999, WireType.LengthDelimited)
            .string(`key ${SECRET}`)
            .finish();
          callback(null, Buffer.concat([known, unknown]));
        },
        retrieveFileContent: (call: ServerWritableStream<Buffer, Buffer>) => {
          const data = Buffer.from(`key=${SECRET}; mail=${email}`);
          call.write(Buffer.from(toBinary(FileContentChunkSchema, create(FileContentChunkSchema, { data }))));
          call.end();
        },
      },
    );
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    const host = `127.0.0.1:${port}`;
    const recording = await withCassette(path, {
      mode: "record",
      scrub: { values: [email] },
      upstream: { apiHost: host, managementApiHost: host, apiKey: SECRET },
    });
    const { apiHost, apiKey } = recording.clientOptions();
    const client = new BytesClient(apiHost, apiKey, { "x-user-bin": email });
    const other = "xai-some-other-key-5555-canary";
    const wrongKey = new BytesClient(apiHost, other, { "x-key-bin": other });
    try {
      const denied = await client.call("/xai_api.Models/ListLanguageModels", {});
      assert.equal(denied.code, Code.PERMISSION_DENIED, denied.details);
      const content = await client.call("/xai_api.Files/RetrieveFileContent", { fileId: "f" });
      assert.equal(content.code, 0, content.details);
      const result = await client.call("/xai_api.BatchMgmt/GetBatchRequestResult", { batchId: "b" });
      assert.equal(result.code, 0, result.details);
      assert.ok(result.responses[0]!.includes(Buffer.from(SECRET)), "the answer holds the key");
      // A wrong key, also sent in a binary header: it is a secret before that header is written.
      const denied2 = await wrongKey.call("/xai_api.Models/ListLanguageModels", {});
      assert.equal(denied2.code, Code.PERMISSION_DENIED, denied2.details);
    } finally {
      client.close();
      wrongKey.close();
      await recording.stop();
      server.forceShutdown();
    }
    const call = readCassette(path).calls[0]!;
    assert.ok(call.trailers?.["debug-bin"], "the binary trailer is recorded");
    assert.ok(call.responseMetadata?.["x-echo-bin"], "the binary header is recorded");
    assert.ok(call.requestMetadata?.["x-user-bin"], "the binary request header is recorded");
    for (const text of decodedStrings(path)) {
      for (const secret of [SECRET, "0123456789-canary", email, "5555-canary"]) {
        assert.ok(!text.includes(secret), `${secret} is in the cassette: ${JSON.stringify(text)}`);
      }
    }
    assert.match(
      Buffer.from(call.trailers["debug-bin"], "base64").toString(),
      /^auth was Bearer \[scrubbed\]/,
    );
    // The details keep their structure: the scrubbed bytes still decode, down to the nested message.
    const status = fromBinary(StatusSchema, Buffer.from(call.trailers["grpc-status-details-bin"]!, "base64"));
    assert.match(status.message, /^denied for \[scrubbed\]/);
    assert.match(fromBinary(StatusSchema, status.details[0]!.value).message, /^auth was Bearer \[scrubbed\]/);
    const kept = readCassette(path).calls.find((c) => c.method.endsWith("/GetBatchRequestResult"));
    const binary = kept?.responses[0]?.binary;
    assert.ok(binary, "the answer is kept as bytes");
    const decoded = fromBinary(GetBatchRequestResultResponseSchema, Buffer.from(binary, "base64")).result;
    assert.equal(decoded?.batchRequestId, "r1");
    const any = decoded?.result.case === "error" ? decoded.result.value.details[1] : undefined;
    assert.ok(any, "the error's details");
    assert.match(fromBinary(StatusSchema, any.value).message, /^auth was Bearer \[scrubbed\]/);
  });

  test("batch.add (a fresh batchRequestId on every run) replays; match.ignoreByMethod: {} compares the ids again", async () => {
    const path = join(tmp.path, "batch.json");
    const upstream = await startUpstream();
    const run = async (extra: CassetteOptions = {}) => {
      const cassette = await withCassette(path, recordOptions(upstream, { mode: "auto", ...extra }));
      try {
        await using client = new Client({ ...cassette.clientOptions(), retry: false });
        const batch = await client.batch.create({ name: "nightly" });
        await client.batch.add(batch.id, [client.chat.create({ model: "grok-4", messages: [user("Hi")] })]);
        const done = await client.batch.waitUntilDone(batch.id, { pollInterval: 1 });
        const results = [];
        for await (const result of client.batch.listResults(batch.id)) results.push(result.id);
        return {
          mode: cassette.mode,
          batch: batch.id,
          counts: done.counts,
          results,
          unmatched: cassette.unmatched,
        };
      } finally {
        await cassette.stop();
      }
    };
    try {
      const recorded = await run();
      assert.equal(recorded.mode, "record");
      assert.equal(recorded.results.length, 1);
      const replayed = await run();
      assert.equal(replayed.mode, "replay");
      // The replay answers the recorded id (the one the recording's add generated).
      assert.deepEqual(replayed, { ...recorded, mode: "replay" });
      // A map of its own replaces the default; a method may be named without its package.
      const own = await run({
        match: { ignoreByMethod: { "BatchMgmt/AddBatchRequests": ["batchRequests"] } },
      });
      assert.deepEqual(own, replayed);
      const strict = await run({ match: { ignoreByMethod: {} } }).catch((error: unknown) => error);
      assert.ok(strict instanceof Error);
      assert.match(strict.message, /batchRequests\[0\]\.batchRequestId \(recorded "/);
    } finally {
      await upstream.stop();
    }
  });

  test("scrub.values given on replay too: a request holding such a value matches its recorded call", async () => {
    const path = join(tmp.path, "values.json");
    const upstream = await startUpstream();
    const options = recordOptions(upstream, { mode: "auto", scrub: { values: ["alice@example.com"] } });
    const run = async () => {
      const cassette = await withCassette(path, options);
      try {
        await using client = new Client({ ...cassette.clientOptions(), retry: false });
        const answer = await client.chat
          .create({ model: "grok-4", messages: [user("Email alice@example.com a hello")] })
          .sample();
        return { mode: cassette.mode, content: answer.content, unmatched: [...cassette.unmatched] };
      } finally {
        await cassette.stop();
      }
    };
    try {
      const recorded = await run();
      assert.equal(recorded.mode, "record");
      assert.ok(!readFileSync(path, "utf8").includes("alice@example.com"), "the value is in the cassette");
      const replayed = await run();
      // The answer echoed the value: the replay gives it back as the file holds it, scrubbed.
      const content = recorded.content.replaceAll("alice@example.com", "[scrubbed]");
      assert.notEqual(content, recorded.content);
      assert.deepEqual(replayed, { ...recorded, mode: "replay", content });
    } finally {
      await upstream.stop();
    }
  });
});
