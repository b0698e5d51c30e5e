// Hardening of the SDK (issue 18, points 9-13): retries never repeat billed work, a silent server fails fast
// with a connect timeout, blank hosts and plaintext to remote hosts are refused at construction.
import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import type { AddBatchRequestsRequest } from "../src/gen/xai/api/v1/batch_pb.js";
import { Client, type ClientOptions, UnavailableError, user, XaiInputError } from "../src/index.js";
import { Code } from "../src/testing/index.js";
import { useEmulator, withClientOf } from "./helpers/emulator.js";

const env = useEmulator({ resetBeforeEach: true });
const KEY = "xai-TEST-KEY-5c1e9a7b3d2f";

function attempts(method: string): number {
  return env.emulator.calls.filter((c) => c.method === `/xai_api.${method}`).length;
}

describe("retries never repeat billed work", () => {
  const chat = () => env.client.chat.create({ model: "grok-4", messages: [user("Hi")] });
  /** Calls that create or bill work, each failing UNAVAILABLE once: made once by the default policy. */
  const billed: [method: string, call: () => Promise<unknown>][] = [
    ["Chat/GetCompletion", () => chat().sample()],
    ["Chat/GetCompletionChunk", () => chat().stream().done()],
    ["Chat/StartDeferredCompletion", () => chat().defer({ pollInterval: 5 })],
    [
      "Image/GenerateImage",
      () => env.client.image.sample({ prompt: "a lighthouse", model: "grok-imagine-image" }),
    ],
    ["Files/UploadFile", () => env.client.files.upload(Buffer.from("hello"), { filename: "hi.txt" })],
    [
      "BatchMgmt/AddBatchRequests",
      async () => env.client.batch.add((await env.client.batch.create({ name: "b" })).id, [chat()]),
    ],
  ];
  for (const [method, call] of billed) {
    test(`${method} failing UNAVAILABLE is attempted once by default`, async () => {
      env.emulator.faults.failNext(method, 1, Code.UNAVAILABLE);
      await assert.rejects(call(), UnavailableError);
      assert.equal(attempts(method), 1);
    });
  }

  test("idempotent methods (models, tokenize, a deferred poll, a file listing) are retried by default", async () => {
    env.emulator.faults.failNext("Models/ListLanguageModels", 2, Code.UNAVAILABLE);
    assert.ok((await env.client.models.listLanguageModels()).length > 0);
    assert.equal(attempts("Models/ListLanguageModels"), 3);
    env.emulator.faults.failNext("Tokenize/TokenizeText", 2, Code.UNAVAILABLE);
    assert.ok((await env.client.tokenize.tokenize("hello", { model: "grok-4" })).tokens.length > 0);
    assert.equal(attempts("Tokenize/TokenizeText"), 3);
    env.emulator.faults.failNext("Chat/GetDeferredCompletion", 1, Code.UNAVAILABLE);
    await chat().defer({ pollInterval: 5 });
    assert.equal(attempts("Chat/StartDeferredCompletion"), 1);
    assert.ok(attempts("Chat/GetDeferredCompletion") >= 2);
    env.emulator.faults.failNext("Files/ListFiles", 1, Code.UNAVAILABLE);
    await env.client.files.list();
    assert.equal(attempts("Files/ListFiles"), 2);
  });

  test('retry: { methods: "all" } opts billed methods in: chat.sample is retried', async () => {
    env.emulator.faults.failNext("Chat/GetCompletion", 2, Code.UNAVAILABLE);
    await withClientOf(
      env.emulator,
      { retry: { methods: "all", initialBackoffMs: 1, maxBackoffMs: 5 } },
      async (client) => {
        const response = await client.chat.create({ model: "grok-4", messages: [user("Hi")] }).sample();
        assert.ok(response.content.length > 0);
      },
    );
    assert.equal(attempts("Chat/GetCompletion"), 3);
  });

  test("batch.add gives every request without an id a random UUID, and keeps the ids given", async () => {
    const batch = await env.client.batch.create({ name: "ids" });
    const unnamed = env.client.chat.create({ model: "grok-4", messages: [user("a")] });
    const items = [
      unnamed,
      env.client.chat.create({ model: "grok-4", messages: [user("b")], batchRequestId: "mine" }),
      env.client.image.prepare({ prompt: "a fox", model: "grok-imagine-image" }),
    ];
    await env.client.batch.add(batch.id, items);
    await env.client.batch.add(batch.id, [unnamed]);
    const sent = env.emulator.calls
      .filter((c) => c.method === "/xai_api.BatchMgmt/AddBatchRequests")
      .flatMap((c) => (c.request as AddBatchRequestsRequest).batchRequests.map((r) => r.batchRequestId));
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    assert.equal(sent.length, 4);
    assert.match(sent[0] ?? "", uuid);
    assert.equal(sent[1], "mine");
    assert.match(sent[2] ?? "", uuid);
    assert.match(sent[3] ?? "", uuid);
    assert.equal(new Set(sent).size, 4, "each add of the same chat gets a new id");
    // The caller's objects are not changed.
    assert.equal(unnamed.batchRequestId, undefined);
    // The ids come back with the results.
    const listed: string[] = [];
    for await (const info of env.client.batch.listRequestMetadata(batch.id)) listed.push(info.id);
    assert.deepEqual(listed.sort(), [...sent].sort());
  });
});

describe("connect timeout", () => {
  let silent: Server;
  let port = 0;
  const sockets = new Set<Socket>();
  before(async () => {
    // Accepts TCP connections and never answers: no HTTP/2 SETTINGS, no TLS handshake.
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    port = (silent.address() as { port: number }).port;
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  const silentClient = (extra: ClientOptions = {}) =>
    // The call deadline (60 s) is far longer than connectTimeout: only the connect timeout can end the call
    // with UNAVAILABLE (without it, the call would fail with DEADLINE_EXCEEDED).
    new Client({ apiKey: KEY, apiHost: `127.0.0.1:${port}`, connectTimeout: 300, timeout: 60_000, ...extra });

  const namesConnectTimeout = (e: unknown) =>
    e instanceof UnavailableError &&
    e.message.includes("connectTimeout (300 ms)") &&
    e.message.includes(`127.0.0.1:${port}`) &&
    !e.message.includes(KEY);

  test("a server that accepts TCP but never speaks HTTP/2 fails the call with UnavailableError naming connectTimeout", async () => {
    const client = silentClient();
    try {
      await assert.rejects(client.models.listLanguageModels(), namesConnectTimeout);
      // A later call waits again, and fails the same way; so do streams and calls without retries.
      await assert.rejects(client.tokenize.tokenize("hi", { model: "grok-4" }), namesConnectTimeout);
      await assert.rejects(
        client.chat
          .create({ model: "grok-4", messages: [user("Hi")] })
          .stream()
          .done(),
        namesConnectTimeout,
      );
      await assert.rejects(client.models.listLanguageModels({ retry: false }), namesConnectTimeout);
    } finally {
      client.close();
    }
  });

  test("a call slower than connectTimeout over a connection that came up is not cut", async () => {
    env.emulator.faults.latency(700, "Models/ListLanguageModels");
    await withClientOf(env.emulator, { connectTimeout: 100 }, async (client) => {
      // The first call starts before the connection exists: its timer runs, and the connection comes up.
      assert.ok((await client.models.listLanguageModels()).length > 0);
      assert.ok((await client.models.listLanguageModels()).length > 0);
    });
  });

  for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, "20000", 2 ** 31]) {
    test(`connectTimeout ${typeof bad === "string" ? JSON.stringify(bad) : String(bad)} is an XaiInputError naming it`, () => {
      assert.throws(
        () => new Client({ apiKey: KEY, connectTimeout: bad as number }),
        (e: unknown) =>
          e instanceof XaiInputError && /connectTimeout must be a number of milliseconds/.test(e.message),
      );
    });
  }
});

describe("hosts checked at construction", () => {
  for (const host of ["", " ", ":", "  ", "\t", ":443", " api.x.ai"]) {
    test(`apiHost ${JSON.stringify(host)} is an XaiInputError naming the option`, () => {
      assert.throws(
        () => new Client({ apiKey: KEY, apiHost: host }),
        (e: unknown) => e instanceof XaiInputError && e.message.startsWith(`apiHost ${JSON.stringify(host)}`),
      );
      assert.throws(
        () => new Client({ apiKey: KEY, managementApiHost: host }),
        (e: unknown) => e instanceof XaiInputError && e.message.startsWith("managementApiHost"),
      );
    });
  }
});

describe("plaintext to a remote host", () => {
  const refused = (e: unknown) =>
    e instanceof XaiInputError &&
    e.message.includes("allowInsecureRemote: true") &&
    e.message.includes("plaintext") &&
    !e.message.includes(KEY);

  for (const host of ["api.x.ai", "10.0.0.7:50051", "[2001:db8::1]:443", "localhost.example.com:80"]) {
    test(`insecure: true to ${host} is refused unless allowInsecureRemote: true`, () => {
      assert.throws(() => new Client({ apiKey: KEY, apiHost: host, insecure: true }), refused);
      new Client({ apiKey: KEY, apiHost: host, insecure: true, allowInsecureRemote: true }).close();
    });
  }

  test("the management channel is checked too, when it carries a key", () => {
    const options = { apiKey: KEY, apiHost: "localhost:50051", insecure: true } as const;
    // No management key: no management channel, nothing sent.
    new Client(options).close();
    assert.throws(() => new Client({ ...options, managementApiKey: "xai-MGMT-KEY-1234" }), refused);
    new Client({ ...options, managementApiKey: "xai-MGMT-KEY-1234", allowInsecureRemote: true }).close();
  });

  test("loopback hosts and unix sockets need no opt-in; allowInsecureRemote must be a boolean", () => {
    for (const host of ["localhost:50051", "127.0.0.1:1", "[::1]:50051", "unix:/tmp/xai.sock"]) {
      new Client({ apiKey: KEY, apiHost: host, insecure: true }).close();
    }
    assert.throws(
      () => new Client({ apiKey: KEY, allowInsecureRemote: "yes" as unknown as boolean }),
      (e: unknown) =>
        e instanceof XaiInputError && /allowInsecureRemote must be true or false/.test(e.message),
    );
  });

  test("allowInsecureRemote changes nothing for loopback and TLS hosts", async () => {
    new Client({ apiKey: KEY, apiHost: "api.x.ai", allowInsecureRemote: true }).close();
    await withClientOf(env.emulator, { allowInsecureRemote: true }, async (client) => {
      assert.ok((await client.models.listLanguageModels()).length > 0);
    });
  });
});
