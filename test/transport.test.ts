// Transport behaviour over real gRPC on loopback, against a small test server whose behaviour each test sets.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { inspect } from "node:util";
import { create } from "@bufbuild/protobuf";
import type {
  ServerReadableStream,
  ServerUnaryCall,
  ServerWritableStream,
  sendUnaryData,
} from "@grpc/grpc-js";
import { generate } from "selfsigned";
import { ApiKeySchema, Auth } from "../src/gen/xai/api/v1/auth_pb.js";
import {
  Chat,
  type GetChatCompletionChunk,
  GetChatCompletionChunkSchema,
  GetChatCompletionResponseSchema,
  type GetCompletionsRequest,
} from "../src/gen/xai/api/v1/chat_pb.js";
import { FileSchema, Files, type UploadFileChunk } from "../src/gen/xai/api/v1/files_pb.js";
import {
  AuthenticationError,
  Client,
  type ClientOptions,
  DeadlineExceededError,
  MessageTooLargeError,
  Status,
  UnavailableError,
  UserAbortError,
  VERSION,
  XaiError,
  XaiInputError,
} from "../src/index.js";
import type { CallEnd, CallObserver, ObservedMethod } from "../src/transport/observe.js";
import { USER_AGENT } from "../src/transport/options.js";
import { Transport } from "../src/transport/transport.js";
import { PYTHON_SERVICE_CONFIG } from "./helpers/emulator.js";
import { startTestServer, type TestServer } from "./helpers/test-server.js";

const KEY = "xai-TEST-KEY-7f3a9c2e5b1d";

function transportFor(
  address: string,
  extra: Partial<ConstructorParameters<typeof Transport>[0]> = {},
): Transport {
  return new Transport({
    apiKey: KEY,
    managementApiKey: undefined,
    apiHost: address,
    managementApiHost: address,
    metadata: { "x-user-header": "from-client" },
    channelOptions: undefined,
    timeout: undefined,
    insecure: undefined,
    rootCertificates: undefined,
    ...extra,
  });
}

type UnaryHandler = (call: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<unknown>) => void;

/** Per-test behaviour of the shared server. */
let onCompletion: UnaryHandler = (_call, cb) =>
  cb(null, create(GetChatCompletionResponseSchema, { id: "ok" }));
let onStream: (call: ServerWritableStream<GetCompletionsRequest, GetChatCompletionChunk>) => void = (
  call,
) => {
  for (let i = 0; i < 3; i++) call.write(create(GetChatCompletionChunkSchema, { id: `c${i}` }));
  call.end();
};
const uploads: Buffer[][] = [];

function handlers() {
  return [
    {
      service: Chat,
      handlers: {
        getCompletion: ((call, cb) => onCompletion(call, cb)) as UnaryHandler,
        getCompletionChunk: (call: ServerWritableStream<GetCompletionsRequest, GetChatCompletionChunk>) =>
          onStream(call),
      },
    },
    {
      service: Files,
      handlers: {
        uploadFile: (call: ServerReadableStream<UploadFileChunk, unknown>, cb: sendUnaryData<unknown>) => {
          const parts: Buffer[] = [];
          call.on("data", (chunk: UploadFileChunk) => {
            if (chunk.chunk.case === "data") parts.push(Buffer.from(chunk.chunk.value));
          });
          call.on("end", () => {
            uploads.push(parts);
            cb(null, create(FileSchema, { id: "file-1", size: BigInt(Buffer.concat(parts).length) }));
          });
        },
      },
    },
    {
      service: Auth,
      handlers: {
        get_api_key_info: ((_call, cb) => cb(null, create(ApiKeySchema, { name: "k" }))) as UnaryHandler,
      },
    },
  ];
}

let server: TestServer;
before(async () => {
  server = await startTestServer(handlers());
});
after(() => server.stop());

function resetBehaviour() {
  onCompletion = (_call, cb) => cb(null, create(GetChatCompletionResponseSchema, { id: "ok" }));
  server.received.length = 0;
}

async function* chunks(n: number, size: number) {
  for (let i = 0; i < n; i++) yield { chunk: { case: "data" as const, value: new Uint8Array(size).fill(i) } };
}

describe("headers", () => {
  test("auth and SDK headers arrive on unary, server-streaming and client-streaming calls (plaintext)", async () => {
    resetBehaviour();
    const t = transportFor(server.address);
    try {
      await t.api.unary(Chat.method.getCompletion, { model: "m" }, { metadata: { "x-call": "1" } });
      for await (const _ of t.api.serverStream(Chat.method.getCompletionChunk, { model: "m" })) {
        // drain
      }
      await t.api.clientStream(Files.method.uploadFile, chunks(2, 10));
    } finally {
      t.close();
    }
    assert.deepEqual(
      server.received.map((r) => r.method),
      ["/xai_api.Chat/GetCompletion", "/xai_api.Chat/GetCompletionChunk", "/xai_api.Files/UploadFile"],
    );
    for (const { headers, values } of server.received) {
      // Every value, not getMap()'s first one: a duplicate authorization must show.
      assert.deepEqual(values.authorization, [`Bearer ${KEY}`]);
      assert.deepEqual(values["xai-sdk-version"], [`typescript/${VERSION}`]);
      assert.equal(headers["xai-sdk-language"], `node/${process.versions.node}`);
      assert.equal(headers["x-user-header"], "from-client");
      assert.match(headers["user-agent"], new RegExp(`^${USER_AGENT.replace(/[.]/g, "\\.")} `));
    }
    assert.equal(server.received[0].headers["x-call"], "1");
    assert.equal(server.received[1].headers["x-call"], undefined);
  });

  test("over TLS with a self-signed certificate the key is sent as call credentials, once", async () => {
    const pems = await generate([{ name: "commonName", value: "localhost" }], {
      keySize: 2048,
      extensions: [{ name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }] }],
    });
    const tlsServer = await startTestServer(handlers(), { key: pems.private, cert: pems.cert });
    const client = new Client({
      apiKey: KEY,
      apiHost: `localhost:${tlsServer.port}`,
      insecure: false,
      rootCertificates: pems.cert,
    });
    const t = transportFor(`localhost:${tlsServer.port}`, {
      insecure: false,
      rootCertificates: Buffer.from(pems.cert),
    });
    try {
      await client.auth.apiKeyInfo();
      await t.api.unary(Chat.method.getCompletion, { model: "m" });
      for await (const _ of t.api.serverStream(Chat.method.getCompletionChunk, { model: "m" })) {
        // drain
      }
      await t.api.clientStream(Files.method.uploadFile, chunks(1, 5));
    } finally {
      client.close();
      t.close();
      await tlsServer.stop();
    }
    assert.equal(tlsServer.received.length, 4);
    for (const { values } of tlsServer.received) {
      // Every value, not getMap()'s first one: the key must arrive exactly once.
      assert.deepEqual(values.authorization, [`Bearer ${KEY}`]);
      assert.deepEqual(values["xai-sdk-version"], [`typescript/${VERSION}`]);
    }
  });

  test("a TLS client cannot talk to a plaintext server (TLS is really used)", async () => {
    const client = new Client({ apiKey: KEY, apiHost: server.address, insecure: false, timeout: 5_000 });
    try {
      await assert.rejects(client.auth.apiKeyInfo(), UnavailableError);
    } finally {
      client.close();
    }
  });
});

describe("channel options", () => {
  test("defaults are in effect and a user option replaces its default", () => {
    const client = new Client({ apiKey: KEY, channelOptions: { "grpc.keepalive_time_ms": 1234 } });
    const o = client.channelOptions;
    assert.equal(o["grpc.max_send_message_length"], 20 * 1024 * 1024);
    assert.equal(o["grpc.max_receive_message_length"], 20 * 1024 * 1024);
    assert.equal(o["grpc.enable_retries"], 1);
    assert.equal(o["grpc.keepalive_time_ms"], 1234);
    assert.equal(o["grpc.keepalive_timeout_ms"], 10_000);
    assert.equal(o["grpc.keepalive_permit_without_calls"], 1);
    assert.equal(o["grpc.primary_user_agent"], `xai-grpc/${VERSION}`);
    const [config] = JSON.parse(String(o["grpc.service_config"])).methodConfig;
    assert.deepEqual(config.retryPolicy, PYTHON_SERVICE_CONFIG.methodConfig[0]?.retryPolicy);
    // Unlike the Python SDK's, the default policy names the idempotent methods only.
    assert.ok(config.name.some((n: { service?: string }) => n.service === "xai_api.Models"));
    assert.ok(!config.name.some((n: { service?: string }) => n.service === undefined));
    assert.ok(!config.name.some((n: { method?: string }) => n.method === "GetCompletion"));
    client.close();
  });

  test("a response over 20 MiB fails with a typed error naming the limit; raising the option lets it through", async () => {
    resetBehaviour();
    onCompletion = (_call, cb) =>
      cb(null, create(GetChatCompletionResponseSchema, { id: "x".repeat(21 * 1024 * 1024) }));
    const t = transportFor(server.address);
    const big = transportFor(server.address, {
      channelOptions: { "grpc.max_receive_message_length": 64 * 1024 * 1024 },
    });
    try {
      const err = await t.api.unary(Chat.method.getCompletion, { model: "m" }).then(
        () => assert.fail("expected a size error"),
        (e: unknown) => e,
      );
      assert.ok(err instanceof MessageTooLargeError, String(err));
      assert.equal(err.code, Status.RESOURCE_EXHAUSTED);
      assert.match(err.message, /20 MiB/);
      assert.match(err.message, /grpc\.max_receive_message_length/);
      const ok = await big.api.unary(Chat.method.getCompletion, { model: "m" });
      assert.equal(ok.id.length, 21 * 1024 * 1024);
    } finally {
      t.close();
      big.close();
    }
  });

  test("a request over 20 MiB is refused by the client", async () => {
    resetBehaviour();
    const t = transportFor(server.address);
    try {
      await assert.rejects(
        t.api.unary(Chat.method.getCompletion, { model: "m".repeat(21 * 1024 * 1024) }),
        (e: unknown) => e instanceof XaiError && e.code === Status.RESOURCE_EXHAUSTED,
      );
    } finally {
      t.close();
    }
    assert.equal(server.received.length, 0);
  });
});

describe("retries", () => {
  function failing(times: number) {
    let attempts = 0;
    onCompletion = (_call, cb) => {
      attempts++;
      if (attempts <= times) cb({ code: Status.UNAVAILABLE, details: "try again" }, null);
      else cb(null, create(GetChatCompletionResponseSchema, { id: `after-${attempts}` }));
    };
    return () => attempts;
  }

  test("by default a billed method (GetCompletion) failing UNAVAILABLE is attempted once", async () => {
    resetBehaviour();
    const attempts = failing(2);
    const t = transportFor(server.address);
    try {
      await assert.rejects(t.api.unary(Chat.method.getCompletion, { model: "m" }), UnavailableError);
      assert.equal(attempts(), 1);
    } finally {
      t.close();
    }
  });

  test('methods: "all": UNAVAILABLE twice then success takes 3 attempts', async () => {
    resetBehaviour();
    const attempts = failing(2);
    const t = transportFor(server.address, { retry: { methods: "all" } });
    try {
      const res = await t.api.unary(Chat.method.getCompletion, { model: "m" });
      assert.equal(res.id, "after-3");
      assert.equal(attempts(), 3);
    } finally {
      t.close();
    }
  });

  test('methods: "all": always UNAVAILABLE takes 5 attempts and rejects with UnavailableError', async () => {
    resetBehaviour();
    const attempts = failing(Number.POSITIVE_INFINITY);
    const t = transportFor(server.address, { retry: { methods: "all" } });
    try {
      await assert.rejects(t.api.unary(Chat.method.getCompletion, { model: "m" }), UnavailableError);
      assert.equal(attempts(), 5);
    } finally {
      t.close();
    }
  });

  test("grpc.enable_retries: 0 makes one attempt", async () => {
    resetBehaviour();
    const attempts = failing(2);
    const t = transportFor(server.address, { channelOptions: { "grpc.enable_retries": 0 } });
    try {
      await assert.rejects(t.api.unary(Chat.method.getCompletion, { model: "m" }), UnavailableError);
      assert.equal(attempts(), 1);
    } finally {
      t.close();
    }
  });

  test("a custom service config with 3 attempts gives 3", async () => {
    resetBehaviour();
    const attempts = failing(Number.POSITIVE_INFINITY);
    const config = {
      methodConfig: [
        {
          name: [{}],
          retryPolicy: {
            maxAttempts: 3,
            initialBackoff: "0.01s",
            maxBackoff: "0.05s",
            backoffMultiplier: 2,
            retryableStatusCodes: ["UNAVAILABLE"],
          },
        },
      ],
    };
    const t = transportFor(server.address, {
      channelOptions: { "grpc.service_config": JSON.stringify(config) },
    });
    try {
      await assert.rejects(t.api.unary(Chat.method.getCompletion, { model: "m" }), UnavailableError);
      assert.equal(attempts(), 3);
    } finally {
      t.close();
    }
  });
});

describe("deadlines and cancellation", () => {
  /** A method that would answer only after 30 s; records whether the server saw the cancellation. */
  function slow() {
    const seen = { cancelled: false };
    onCompletion = (call, cb) => {
      const timer = setTimeout(
        () => cb(null, create(GetChatCompletionResponseSchema, { id: "late" })),
        30_000,
      );
      call.on("cancelled", () => {
        seen.cancelled = true;
        clearTimeout(timer);
      });
    };
    return seen;
  }

  test("a 200 ms per-call timeout rejects with DeadlineExceededError before the slow answer", async () => {
    resetBehaviour();
    slow();
    const t = transportFor(server.address);
    try {
      const err = await t.api.unary(Chat.method.getCompletion, { model: "m" }, { timeout: 200 }).then(
        () => assert.fail("expected a deadline error"),
        (e: unknown) => e,
      );
      assert.ok(err instanceof DeadlineExceededError);
      assert.equal(err.details, "Deadline exceeded");
      assert.equal(err.method, "/xai_api.Chat/GetCompletion");
    } finally {
      t.close();
    }
  });

  test("the client-level timeout applies to every call", async () => {
    resetBehaviour();
    slow();
    const t = transportFor(server.address, { timeout: 200 });
    try {
      await assert.rejects(t.api.unary(Chat.method.getCompletion, { model: "m" }), DeadlineExceededError);
    } finally {
      t.close();
    }
  });

  test("aborting a unary call rejects with UserAbortError and the server sees the cancellation", async () => {
    resetBehaviour();
    const seen = slow();
    const t = transportFor(server.address);
    const controller = new AbortController();
    try {
      const pending = t.api.unary(Chat.method.getCompletion, { model: "m" }, { signal: controller.signal });
      while (server.received.length === 0) await new Promise((r) => setTimeout(r, 5));
      controller.abort(new Error("user gave up"));
      const err = await pending.then(
        () => assert.fail("expected an abort"),
        (e: unknown) => e,
      );
      assert.ok(err instanceof UserAbortError);
      assert.equal((err.reason as Error).message, "user gave up");
      while (!seen.cancelled) await new Promise((r) => setTimeout(r, 5));
    } finally {
      t.close();
    }
  });

  test("aborting mid-stream rejects the iteration with UserAbortError; the server sees the cancellation", async () => {
    const serverSaw = { cancelled: false, written: 0 };
    onStream = (call) => {
      const timer = setInterval(() => {
        call.write(create(GetChatCompletionChunkSchema, { id: `c${serverSaw.written++}` }));
      }, 10);
      call.on("cancelled", () => {
        serverSaw.cancelled = true;
        clearInterval(timer);
      });
    };
    const t = transportFor(server.address);
    const controller = new AbortController();
    const received: string[] = [];
    try {
      await assert.rejects(async () => {
        for await (const chunk of t.api.serverStream(
          Chat.method.getCompletionChunk,
          { model: "m" },
          { signal: controller.signal },
        )) {
          received.push(chunk.id);
          if (received.length === 3) controller.abort();
        }
      }, UserAbortError);
      assert.deepEqual(received, ["c0", "c1", "c2"]);
      while (!serverSaw.cancelled) await new Promise((r) => setTimeout(r, 5));
    } finally {
      t.close();
    }
  });

  test("leaving a for-await loop early cancels the stream on the server", async () => {
    const serverSaw = { cancelled: false };
    onStream = (call) => {
      const timer = setInterval(() => call.write(create(GetChatCompletionChunkSchema, { id: "c" })), 5);
      call.on("cancelled", () => {
        serverSaw.cancelled = true;
        clearInterval(timer);
      });
    };
    const t = transportFor(server.address);
    try {
      let n = 0;
      for await (const _ of t.api.serverStream(Chat.method.getCompletionChunk, { model: "m" })) {
        if (++n === 2) break;
      }
      while (!serverSaw.cancelled) await new Promise((r) => setTimeout(r, 5));
    } finally {
      t.close();
    }
  });

  test("an already-aborted signal, a zero or NaN timeout fail before any RPC", async () => {
    resetBehaviour();
    const t = transportFor(server.address);
    try {
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(
        t.api.unary(Chat.method.getCompletion, { model: "m" }, { signal: controller.signal }),
        UserAbortError,
      );
      await assert.rejects(
        t.api.unary(Chat.method.getCompletion, { model: "m" }, { timeout: 0 }),
        XaiInputError,
      );
      await assert.rejects(
        t.api.unary(Chat.method.getCompletion, { model: "m" }, { timeout: Number.NaN }),
        /timeout must be a positive number/,
      );
      assert.throws(
        () => t.api.serverStream(Chat.method.getCompletionChunk, { model: "m" }, { timeout: -1 }),
        XaiInputError,
      );
    } finally {
      t.close();
    }
    assert.equal(server.received.length, 0);
  });
});

describe("client streaming", () => {
  test("every chunk arrives in order; a failing source cancels the call and rejects with its error", async () => {
    resetBehaviour();
    const t = transportFor(server.address);
    try {
      const file = await t.api.clientStream(Files.method.uploadFile, chunks(50, 64 * 1024));
      assert.equal(file.size, BigInt(50 * 64 * 1024));
      const last = uploads.at(-1)!;
      assert.equal(last.length, 50);
      assert.equal(last[49][0], 49);
      async function* broken() {
        yield { chunk: { case: "data" as const, value: new Uint8Array(4) } };
        throw new Error("disk read failed");
      }
      await assert.rejects(t.api.clientStream(Files.method.uploadFile, broken()), /disk read failed/);
    } finally {
      t.close();
    }
  });
});

describe("client", () => {
  const saved = { api: process.env.XAI_API_KEY, mgmt: process.env.XAI_MANAGEMENT_KEY };
  after(() => {
    if (saved.api === undefined) delete process.env.XAI_API_KEY;
    else process.env.XAI_API_KEY = saved.api;
  });

  test("a missing or empty key is a clear error saying how to provide one", () => {
    delete process.env.XAI_API_KEY;
    for (const options of [{}, { apiKey: "" }] as ClientOptions[]) {
      assert.throws(
        () => new Client(options),
        (e: unknown) =>
          e instanceof XaiInputError && /XAI_API_KEY/.test(e.message) && /apiKey/.test(e.message),
      );
    }
    process.env.XAI_API_KEY = KEY;
    const client = new Client();
    assert.equal(client.timeout, 900_000);
    client.close();
  });

  test("the key appears nowhere in errors, util.inspect or JSON.stringify", async () => {
    resetBehaviour();
    onCompletion = (_call, cb) => cb({ code: Status.UNAUTHENTICATED, details: "bad key" }, null);
    const client = new Client({ apiKey: KEY, managementApiKey: `${KEY}-mgmt`, apiHost: server.address });
    const t = transportFor(server.address);
    try {
      const err = await t.api.unary(Chat.method.getCompletion, { model: "m" }).then(
        () => assert.fail("expected an error"),
        (e: unknown) => e,
      );
      assert.ok(err instanceof AuthenticationError);
      assert.match(err.message, /XAI_API_KEY/);
      const texts = [
        inspect(client, { depth: 10, showHidden: true }),
        JSON.stringify(client),
        inspect(t, { depth: 10, showHidden: true }),
        JSON.stringify(t),
        inspect(err, { depth: 10, showHidden: true }),
        String(err.stack),
        JSON.stringify(err),
      ];
      for (const text of texts) assert.ok(!text.includes("TEST-KEY"), `key leaked in: ${text.slice(0, 200)}`);
    } finally {
      client.close();
      t.close();
    }
  });

  test("await using closes the client", async () => {
    let closedClient: Client | undefined;
    {
      await using client = new Client({ apiKey: KEY, apiHost: server.address });
      closedClient = client;
      await client.auth.apiKeyInfo();
    }
    await assert.rejects(closedClient.auth.apiKeyInfo(), /client was closed/);
  });

  test("collections without a management key fail clearly before any call", () => {
    delete process.env.XAI_MANAGEMENT_KEY;
    const t = transportFor(server.address);
    assert.throws(() => t.management, /XAI_MANAGEMENT_KEY/);
    t.close();
    if (saved.mgmt !== undefined) process.env.XAI_MANAGEMENT_KEY = saved.mgmt;
  });
});

describe("input checks before any call", () => {
  test("an abort right after the first call of a fresh client (channel still opening) cancels it", async () => {
    resetBehaviour();
    const t = transportFor(server.address);
    try {
      const controller = new AbortController();
      const pending = t.api.unary(Chat.method.getCompletion, { model: "m" }, { signal: controller.signal });
      controller.abort();
      await assert.rejects(pending, UserAbortError);
    } finally {
      t.close();
    }
    assert.equal(server.received.length, 0);
  });

  test("a key with whitespace or a control character is refused without echoing it", () => {
    for (const apiKey of [`${KEY}\n`, ` ${KEY}`, `${KEY}\u0000`]) {
      assert.throws(
        () => new Client({ apiKey }),
        (e: unknown) =>
          e instanceof XaiInputError && /trim it/.test(e.message) && !e.message.includes("TEST-KEY"),
      );
    }
    assert.throws(() => new Client({ apiKey: KEY, managementApiKey: "m\r\n" }), /managementApiKey/);
  });

  test("invalid metadata is an XaiInputError, on the client or on a call, and sends nothing", async () => {
    resetBehaviour();
    assert.throws(() => new Client({ apiKey: KEY, metadata: { "Bad Header": "v" } }), XaiInputError);
    assert.throws(() => new Client({ apiKey: KEY, metadata: { "x-trace": "a\nb" } }), /printable ASCII/);
    assert.throws(
      () => new Client({ apiKey: KEY, metadata: { Authorization: "Bearer another-key" } }),
      /cannot set "authorization".*apiKey/,
    );
    const t = transportFor(server.address);
    try {
      for (const metadata of <Record<string, string>[]>[
        { "x-trace-bin": "abc" },
        { "grpc-timeout": "1S" },
        { "x-ok": "line\r\nbreak" },
        { authorization: "Bearer another-key" },
      ]) {
        await assert.rejects(
          t.api.unary(Chat.method.getCompletion, { model: "m" }, { metadata }),
          XaiInputError,
        );
      }
      const { Metadata } = await import("@grpc/grpc-js");
      const binary = new Metadata();
      binary.set("x-trace-bin", Buffer.from([0, 1, 2, 255]));
      await t.api.unary(Chat.method.getCompletion, { model: "m" }, { metadata: binary });
    } finally {
      t.close();
    }
    assert.equal(server.received.length, 1);
  });
});

describe("hosts", () => {
  // [target, address given to grpc-js, loopback, TLS asked for by the target itself]
  const valid: [string, string, boolean, boolean][] = [
    ["api.x.ai", "api.x.ai:443", false, false],
    ["api.x.ai:8443", "api.x.ai:8443", false, false],
    ["api.x.ai.", "api.x.ai.:443", false, false],
    ["my_host-1.internal:1", "my_host-1.internal:1", false, false],
    ["localhost:50051", "localhost:50051", true, false],
    ["LocalHost", "LocalHost:443", true, false],
    ["127.0.0.1:1", "127.0.0.1:1", true, false],
    ["127.0.0.2:65535", "127.0.0.2:65535", true, false],
    ["10.1.2.3", "10.1.2.3:443", false, false],
    ["[::1]:8080", "[::1]:8080", true, false],
    ["[::1]", "[::1]:443", true, false],
    ["::1", "[::1]:443", true, false],
    ["0:0:0:0:0:0:0:1", "[0:0:0:0:0:0:0:1]:443", true, false],
    ["2001:db8::1", "[2001:db8::1]:443", false, false],
    ["[2001:db8::1]:50051", "[2001:db8::1]:50051", false, false],
    ["dns:///api.x.ai", "api.x.ai:443", false, false],
    ["dns:///api.x.ai:8443", "api.x.ai:8443", false, false],
    ["dns:api.x.ai:8443", "api.x.ai:8443", false, false],
    ["dns:///[::1]:5000", "[::1]:5000", true, false],
    ["dns:localhost", "localhost:443", true, false],
    ["unix:/tmp/xai.sock", "unix:/tmp/xai.sock", true, false],
    ["unix:///tmp/xai.sock", "unix:///tmp/xai.sock", true, false],
    ["unix:relative/xai.sock", "unix:relative/xai.sock", true, false],
    ["https://api.x.ai", "api.x.ai:443", false, true],
    ["https://api.x.ai/", "api.x.ai:443", false, true],
    ["HTTPS://api.x.ai:8443", "api.x.ai:8443", false, true],
    ["https://localhost:8443", "localhost:8443", true, true],
  ];
  // [target, what the message must say]
  const invalid: [string, RegExp][] = [
    ["", /empty/],
    [" api.x.ai", /whitespace/],
    ["api.x.ai\n", /whitespace/],
    ["api x.ai", /whitespace/],
    ["api.x.ai/", /path/],
    ["api.x.ai/v1", /path/],
    ["api.x.ai:443/v1", /path/],
    ["api.x.ai?x=1", /path|query/],
    ["api.x.ai#frag", /not a valid host name/],
    ["https://api.x.ai/v1", /path/],
    ["https://", /empty/],
    ["http://api.x.ai", /insecure: true/],
    ["http://localhost:50051", /insecure: true/],
    ["grpc://api.x.ai", /scheme/],
    ["grpcs://api.x.ai", /scheme/],
    ["ftp://api.x.ai", /scheme/],
    ["dns://api.x.ai", /dns:\/\/\//],
    ["dns://8.8.8.8/api.x.ai", /dns:\/\/\//],
    ["dns:///", /empty/],
    ["dns:", /empty/],
    ["unix:", /socket path/],
    ["unix://", /socket path/],
    [":443", /empty/],
    ["api.x.ai:", /port/],
    ["api.x.ai:0", /port/],
    ["api.x.ai:65536", /port/],
    ["api.x.ai:-1", /port/],
    ["api.x.ai:12a", /port/],
    ["api.x.ai:1.5", /port/],
    ["api.x.ai:+80", /port/],
    ["api.x.ai:443:1", /port|IPv6/],
    ["[::1", /IPv6/],
    ["[::1]x", /IPv6|port/],
    ["[::1]:", /port/],
    ["[::1]:70000", /port/],
    ["[not-v6]:80", /IPv6/],
    ["1:2:3", /IPv6/],
    ["user@api.x.ai", /not a valid host name/],
    ["-bad.example", /not a valid host name/],
    ["bad..example", /not a valid host name/],
  ];

  test("parseHost accepts host, host:port, IPv6, dns: and unix: targets (table)", async () => {
    const { parseHost } = await import("../src/transport/channel.js");
    for (const [target, address, loopback, tls] of valid) {
      assert.deepEqual(parseHost(target), { address, loopback, tls }, `parseHost(${JSON.stringify(target)})`);
    }
  });

  test("parseHost refuses anything else with an XaiInputError naming the forms expected (table)", async () => {
    const { parseHost } = await import("../src/transport/channel.js");
    for (const [target, reason] of invalid) {
      assert.throws(
        () => parseHost(target, "apiHost"),
        (e: unknown) => {
          assert.ok(e instanceof XaiInputError, `${JSON.stringify(target)}: ${String(e)}`);
          assert.match(e.message, reason, JSON.stringify(target));
          assert.match(e.message, /^apiHost /, JSON.stringify(target));
          assert.match(e.message, /host:port/, JSON.stringify(target));
          assert.match(e.message, /unix:/, JSON.stringify(target));
          return true;
        },
        `parseHost(${JSON.stringify(target)}) should throw`,
      );
    }
    assert.throws(() => parseHost(42 as unknown as string), XaiInputError);
  });

  test("new Client checks both hosts before any network and honours an https:// target", () => {
    assert.throws(
      () => new Client({ apiKey: KEY, apiHost: "api.x.ai/" }),
      (e: unknown) => e instanceof XaiInputError && /^apiHost "api\.x\.ai\/"/.test(e.message),
    );
    // Checked even without a management key, so that a typo shows at once.
    assert.throws(
      () => new Client({ apiKey: KEY, managementApiHost: "management-api.x.ai:99999" }),
      (e: unknown) => e instanceof XaiInputError && /^managementApiHost .*port/.test(e.message),
    );
    assert.throws(
      () => new Client({ apiKey: KEY, apiHost: "https://localhost:1", insecure: true }),
      (e: unknown) =>
        e instanceof XaiInputError && /https:\/\//.test(e.message) && /insecure/.test(e.message),
    );
    const client = new Client({ apiKey: KEY, apiHost: "dns:///api.x.ai" });
    assert.match(inspect(client), /api: api\.x\.ai:443/);
    client.close();
  });

  test("an https:// target uses TLS even on loopback (a plaintext server refuses it)", async () => {
    const client = new Client({ apiKey: KEY, apiHost: `https://${server.address}`, timeout: 5_000 });
    try {
      await assert.rejects(client.auth.apiKeyInfo(), UnavailableError);
    } finally {
      client.close();
    }
  });
});

describe("status codes", () => {
  test("a status code outside the gRPC enum becomes UNKNOWN, keeping the number in rawCode and the message", async () => {
    const { toXaiError } = await import("../src/transport/errors.js");
    for (const raw of [42, -1, 2.5, 17]) {
      const err = toXaiError({ code: raw, details: "odd" }, "/xai_api.Chat/GetCompletion");
      assert.equal(err.code, Status.UNKNOWN, `code for ${raw}`);
      assert.equal(err.statusName, "UNKNOWN");
      assert.equal(err.rawCode, raw);
      assert.match(err.message, new RegExp(`status code ${String(raw).replace(".", "\\.")}`));
    }
    const known = toXaiError({ code: Status.NOT_FOUND, details: "gone" }, undefined);
    assert.equal(known.code, Status.NOT_FOUND);
    assert.equal(known.rawCode, Status.NOT_FOUND);
    assert.doesNotMatch(known.message, /status code/);

    resetBehaviour();
    const outOfEnum: number = 42;
    onCompletion = (_call, cb) => cb({ code: outOfEnum, details: "from a newer server" }, null);
    const t = transportFor(server.address);
    try {
      const err = await t.api.unary(Chat.method.getCompletion, { model: "m" }).then(
        () => assert.fail("expected an error"),
        (e: unknown) => e,
      );
      assert.ok(err instanceof XaiError, String(err));
      assert.equal(err.code, Status.UNKNOWN);
      assert.ok(Object.values(Status).includes(err.code));
    } finally {
      t.close();
    }
  });
});

describe("the call observer (the hook tracing and logging use)", () => {
  interface Seen {
    method: ObservedMethod;
    request: unknown;
    received: unknown[];
    end?: CallEnd;
  }
  /** An observer that records what it sees and sends an `x-observed` header; `skip` leaves calls unobserved. */
  function recorder(skip = false): { observer: CallObserver; seen: Seen[] } {
    const seen: Seen[] = [];
    return {
      seen,
      observer: {
        start: (method, request) => {
          if (skip) return undefined;
          const entry: Seen = { method, request, received: [] };
          seen.push(entry);
          return {
            headers: [["x-observed", String(seen.length)]],
            received: (m) => entry.received.push(m),
            end: (o) => {
              assert.equal(entry.end, undefined, "end is called once");
              entry.end = o;
            },
          };
        },
      },
    };
  }
  const withObserved = async (observer: CallObserver, body: (t: Transport) => Promise<void>) => {
    resetBehaviour();
    onStream = (call) => {
      for (let i = 0; i < 3; i++) call.write(create(GetChatCompletionChunkSchema, { id: `c${i}` }));
      call.end();
    };
    const t = transportFor(server.address, { observer: () => observer });
    try {
      await body(t);
    } finally {
      t.close();
    }
  };

  test("unary, server stream, client stream: method, request, messages, end, sizes and the observer's headers", async () => {
    const { observer, seen } = recorder();
    await withObserved(observer, async (t) => {
      await t.api.unary(Chat.method.getCompletion, { model: "m" });
      for await (const _ of t.api.serverStream(Chat.method.getCompletionChunk, { model: "m" })) {
        // drain
      }
      await t.api.clientStream(Files.method.uploadFile, chunks(2, 10));
    });
    assert.deepEqual(
      seen.map((s) => [s.method.path, s.method.service, s.method.name, s.method.kind]),
      [
        ["/xai_api.Chat/GetCompletion", "xai_api.Chat", "GetCompletion", "unary"],
        ["/xai_api.Chat/GetCompletionChunk", "xai_api.Chat", "GetCompletionChunk", "server_stream"],
        ["/xai_api.Files/UploadFile", "xai_api.Files", "UploadFile", "client_stream"],
      ],
    );
    assert.equal((seen[0].request as GetCompletionsRequest).model, "m");
    assert.deepEqual(
      seen.map((s) => s.received.length),
      [1, 3, 1],
    );
    for (const s of seen) {
      assert.equal(s.end?.code, 0);
      assert.equal(s.end?.error, undefined);
      assert.equal(s.end?.cancelled, false);
      assert.equal(s.end?.attempts, 1);
      assert.equal(s.end?.messages, s.received.length);
      assert.ok((s.end?.receivedBytes ?? 0) > 0);
    }
    assert.ok((seen[2].end?.sentBytes ?? 0) > 20, "both 10-byte chunks counted");
    assert.deepEqual(
      server.received.map((r) => r.headers["x-observed"]),
      ["1", "2", "3"],
    );
  });

  test("a failed call ends with its status and error; a stream the caller stops ends cancelled", async () => {
    const { observer, seen } = recorder();
    await withObserved(observer, async (t) => {
      onCompletion = (_call, cb) => cb({ code: Status.NOT_FOUND, details: "nope" }, null);
      await assert.rejects(t.api.unary(Chat.method.getCompletion, { model: "m" }), XaiError);
      for await (const _ of t.api.serverStream(Chat.method.getCompletionChunk, { model: "m" })) break;
    });
    assert.equal(seen[0].end?.code, Status.NOT_FOUND);
    assert.ok(seen[0].end?.error instanceof XaiError);
    assert.equal(seen[1].end?.code, Status.CANCELLED);
    assert.equal(seen[1].end?.cancelled, true);
    assert.equal(seen[1].end?.error, undefined);
  });

  test("an observer that returns undefined leaves the call as it was", async () => {
    const { observer, seen } = recorder(true);
    await withObserved(observer, async (t) => {
      await t.api.unary(Chat.method.getCompletion, { model: "m" });
    });
    assert.equal(seen.length, 0);
    assert.equal(server.received[0]?.headers["x-observed"], undefined);
  });
});
