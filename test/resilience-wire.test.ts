// Resilience against what a server or the network can do to the SDK: bytes that do not decode as the expected
// message, a response over the size limit, retries racing a deadline. Each test runs a tiny grpc-js server
// whose serializers are chosen by the test (so it can send any bytes on a real xAI method path).
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { create, toBinary } from "@bufbuild/protobuf";
import {
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceDefinition,
  type sendUnaryData,
  status,
} from "@grpc/grpc-js";
import { ApiKeySchema } from "../src/gen/xai/api/v1/auth_pb.js";
import { GetChatCompletionChunkSchema } from "../src/gen/xai/api/v1/chat_pb.js";
import {
  Client,
  DeadlineExceededError,
  InternalError,
  MessageTooLargeError,
  partialResponseOf,
  RateLimitError,
  UnavailableError,
  user,
  XaiError,
} from "../src/index.js";

const KEY = "xai-RESILIENCE-wire-0f1e2d3c";
const AUTH_PATH = "/xai_api.Auth/get_api_key_info";

/** What the server does with one unary call: answer with raw bytes, or fail with a status. */
type Behaviour = (call: ServerUnaryCall<Buffer, Buffer>, reply: sendUnaryData<Buffer>) => void;

let behaviour: Behaviour = (_call, reply) => reply(null, Buffer.from(toBinary(ApiKeySchema, validKey())));
const attempts: { at: number; cancelled: boolean }[] = [];

function validKey() {
  return create(ApiKeySchema, { name: "bench", redactedApiKey: "xai-****0000", acls: ["api-key:model:*"] });
}

/** A service definition for the Auth path whose messages are raw bytes: the server sends whatever it is given. */
const rawAuth: ServiceDefinition = {
  get_api_key_info: {
    path: AUTH_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: (b: Buffer) => b,
    requestDeserialize: (b: Buffer) => b,
    responseSerialize: (b: Buffer) => b,
    responseDeserialize: (b: Buffer) => b,
  },
};

/** What the Chat stream sends: raw chunks (valid or not), then the end of the stream. */
let streamChunks: Buffer[] = [];

const rawChat: ServiceDefinition = {
  getCompletionChunk: {
    path: "/xai_api.Chat/GetCompletionChunk",
    requestStream: false,
    responseStream: true,
    requestSerialize: (b: Buffer) => b,
    requestDeserialize: (b: Buffer) => b,
    responseSerialize: (b: Buffer) => b,
    responseDeserialize: (b: Buffer) => b,
  },
};

let server: Server;
let address = "";
const unexpected: unknown[] = [];
const onUnhandled = (err: unknown) => unexpected.push(err);

before(async () => {
  process.on("unhandledRejection", onUnhandled);
  process.on("uncaughtException", onUnhandled);
  server = new Server();
  server.addService(rawAuth, {
    get_api_key_info: (call: ServerUnaryCall<Buffer, Buffer>, reply: sendUnaryData<Buffer>) => {
      const attempt = { at: performance.now(), cancelled: false };
      attempts.push(attempt);
      call.on("cancelled", () => {
        attempt.cancelled = true;
      });
      behaviour(call, reply);
    },
  });
  server.addService(rawChat, {
    getCompletionChunk: (call: ServerWritableStream<Buffer, Buffer>) => {
      for (const c of streamChunks) call.write(c);
      call.end();
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  address = `127.0.0.1:${port}`;
});

after(() => {
  server.forceShutdown();
  process.off("unhandledRejection", onUnhandled);
  process.off("uncaughtException", onUnhandled);
});

afterEach(async () => {
  // Let pending callbacks run, then check nothing escaped as an unhandled rejection or exception.
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(unexpected, [], "no unhandled rejection or uncaught exception");
  behaviour = (_call, reply) => reply(null, Buffer.from(toBinary(ApiKeySchema, validKey())));
  attempts.length = 0;
});

const clientFor = (extra: ConstructorParameters<typeof Client>[0] = {}) =>
  new Client({ apiKey: KEY, apiHost: address, ...extra });

describe("bytes that do not decode as the expected message", () => {
  const garbage: [string, Buffer][] = [
    ["an invalid wire type", Buffer.from([0x0f, 0x01])],
    ["a truncated length-delimited field", Buffer.from([0x0a, 0x05, 0x41])],
    ["a varint longer than 10 bytes", Buffer.from([0x08, ...new Array(11).fill(0xff), 0x01])],
    ["an end-group tag with no group", Buffer.from([0x0c])],
  ];
  for (const [what, bytes] of garbage) {
    test(`${what}: a typed InternalError, and the client keeps working`, async () => {
      const client = clientFor();
      try {
        behaviour = (_call, reply) => reply(null, bytes);
        const err = await client.auth.apiKeyInfo().then(
          () => assert.fail("expected a decoding failure"),
          (e: unknown) => e,
        );
        assert.ok(err instanceof InternalError, `got ${String(err)}`);
        assert.equal(err.method, AUTH_PATH);
        assert.match(err.message, /pars|decod/i);
        behaviour = (_call, reply) => reply(null, Buffer.from(toBinary(ApiKeySchema, validKey())));
        assert.equal((await client.auth.apiKeyInfo()).name, "bench");
      } finally {
        client.close();
      }
    });
  }
});

describe("a stream whose third chunk does not decode", () => {
  test("the stream rejects with a typed InternalError; the two chunks before it stay readable", async () => {
    const chunk = (text: string) =>
      Buffer.from(
        toBinary(
          GetChatCompletionChunkSchema,
          create(GetChatCompletionChunkSchema, { id: "r", outputs: [{ delta: { content: text } }] }),
        ),
      );
    streamChunks = [chunk("Hello, "), chunk("world"), Buffer.from([0x0a, 0x7f, 0x01]), chunk(" never seen")];
    const client = clientFor();
    try {
      const stream = client.chat.create({ model: "grok-3", messages: [user("hi")] }).stream();
      const seen: string[] = [];
      const err = await (async () => {
        for await (const [, c] of stream) seen.push(c.content);
      })().then(
        () => assert.fail("the stream must fail at the undecodable chunk"),
        (e: unknown) => e,
      );
      assert.ok(err instanceof InternalError, `got ${String(err)}`);
      assert.deepEqual(seen, ["Hello, ", "world"]);
      assert.equal(partialResponseOf(err)?.content, "Hello, world");
      // The same client goes on working.
      streamChunks = [chunk("ok")];
      assert.equal(
        (
          await client.chat
            .create({ model: "grok-3", messages: [user("hi")] })
            .stream()
            .done()
        ).content,
        "ok",
      );
    } finally {
      client.close();
    }
  });
});

describe("a response larger than the 20 MiB limit", () => {
  test("a typed error naming the limit and the option that raises it; raising it lets the response through", async () => {
    const big = Buffer.from(
      toBinary(ApiKeySchema, create(ApiKeySchema, { name: "x".repeat(21 * 1024 * 1024) })),
    );
    behaviour = (_call, reply) => reply(null, big);
    const client = clientFor();
    try {
      const err = await client.auth.apiKeyInfo().then(
        () => assert.fail("expected the size limit to apply"),
        (e: unknown) => e,
      );
      assert.ok(err instanceof MessageTooLargeError, `got ${String(err)}`);
      assert.equal(err instanceof RateLimitError, false, "a size limit is not a rate limit");
      assert.match(err.message, /20 MiB/);
      assert.match(err.message, /grpc\.max_receive_message_length/);
    } finally {
      client.close();
    }
    const raised = clientFor({ channelOptions: { "grpc.max_receive_message_length": 64 * 1024 * 1024 } });
    try {
      assert.equal((await raised.auth.apiKeyInfo()).name.length, 21 * 1024 * 1024);
    } finally {
      raised.close();
    }
  });
});

describe("retries and deadlines", () => {
  const failAfter =
    (ms: number): Behaviour =>
    (call, reply) => {
      const timer = setTimeout(() => reply({ code: status.UNAVAILABLE, details: "try again" }), ms);
      call.on("cancelled", () => clearTimeout(timer));
    };

  test("without a deadline in reach, the policy makes its 5 attempts (control)", async () => {
    behaviour = failAfter(0);
    const client = clientFor({ timeout: 30_000 });
    try {
      await assert.rejects(client.auth.apiKeyInfo(), UnavailableError);
      assert.equal(attempts.length, 5);
    } finally {
      client.close();
    }
  });

  // Chosen so that the outcome does not depend on the backoff's random jitter: a second attempt always starts
  // well before the deadline (latency + at most 100 ms of initial backoff), and five attempts cannot fit in it.
  for (const [latency, timeout] of [
    [200, 500],
    [100, 400],
    [150, 600],
  ] as const) {
    test(`a retried call never outlives its deadline (server latency ${latency} ms, timeout ${timeout} ms)`, async () => {
      behaviour = failAfter(latency);
      const client = clientFor({ timeout: 30_000 });
      try {
        const start = performance.now();
        const err = await client.auth.apiKeyInfo({ timeout }).then(
          () => assert.fail("every attempt fails"),
          (e: unknown) => e,
        );
        const elapsed = performance.now() - start;
        assert.ok(err instanceof DeadlineExceededError, `got ${String(err)}`);
        // It was retried (more than one attempt), yet fewer than the 5 the policy allows: the deadline cut it.
        assert.ok(attempts.length >= 2 && attempts.length < 5, `${attempts.length} attempts`);
        for (const a of attempts) {
          // (slack: the server, in this same process, stamps an attempt when it handles it, after the client sent it)
          const at = a.at - start;
          assert.ok(at < timeout + 100, `an attempt arrived ${Math.round(at)} ms after the call began`);
        }
        // The promise settles at the deadline, not after further backoff and attempts (slack for a busy machine).
        assert.ok(elapsed < timeout + 400, `settled after ${Math.round(elapsed)} ms`);
        // An attempt still in flight at the deadline was cancelled on the server (the client may instead have
        // been waiting out a backoff at that moment).
        await new Promise((r) => setTimeout(r, 20));
        const last = attempts.at(-1)!;
        if (last.at - start + latency > timeout + 100) {
          assert.ok(last.cancelled, "the attempt in flight at the deadline was cancelled");
        }
      } finally {
        client.close();
      }
    });
  }

  test("a deadline error is an XaiError with its status name", async () => {
    behaviour = failAfter(1_000);
    const client = clientFor();
    try {
      const err = await client.auth.apiKeyInfo({ timeout: 100 }).catch((e: unknown) => e);
      assert.ok(err instanceof XaiError);
      assert.equal(err.statusName, "DEADLINE_EXCEEDED");
    } finally {
      client.close();
    }
  });
});
