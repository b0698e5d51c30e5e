// Transport lifecycle over real gRPC on loopback, against the emulator: close() with calls in flight, server
// streams read by several pending next() calls, user interceptors, and unix socket targets.
import assert from "node:assert/strict";
import { createConnection, createServer, type Server as NetServer, type Socket } from "node:net";
import { join } from "node:path";
import { describe, test } from "node:test";
import { InterceptingCall, type Interceptor } from "@grpc/grpc-js";
import { Chat } from "../src/gen/xai/api/v1/chat_pb.js";
import { Files } from "../src/gen/xai/api/v1/files_pb.js";
import {
  CancelledError,
  Client,
  type ClientOptions,
  DeadlineExceededError,
  partialResponseOf,
  RateLimitError,
  Status,
  StreamIdleTimeoutError,
  UserAbortError,
  user,
  VERSION,
  XaiInputError,
} from "../src/index.js";
import { Code, EmulatorError, type HandlerContext, register } from "../src/testing/index.js";
import { chatService } from "../src/testing/services/chat.js";
import { filesService } from "../src/testing/services/files.js";
import { Transport } from "../src/transport/transport.js";
import { useEmulator } from "./helpers/emulator.js";
import { useTempDir } from "./helpers/temp-dir.js";

/** Fails with `what` when `promise` has not settled within `ms` (a bound for a wait, never an assertion on time). */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves when the call's signal fires (the client cancelled, or the emulator stops). */
function cancelled(ctx: HandlerContext): Promise<void> {
  return new Promise((resolve) => {
    if (ctx.signal.aborted) resolve();
    else ctx.signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

type ChatImpl = Parameters<typeof register<typeof Chat>>[1];
type FilesImpl = Parameters<typeof register<typeof Files>>[1];

/**
 * The emulator's Chat and Files services, with behaviours chosen by the request's model (chat) or file name
 * (upload; only names starting with "hang" change the emulator's behaviour): "hang" never answers, "three" streams c0..c2, "fail-after-one" streams c0 then fails with
 * RESOURCE_EXHAUSTED, "forever" streams until the client cancels, "silent" sends nothing until then,
 * "stall-after-two" streams two chunks of a real answer, then nothing until the client cancels.
 */
const services = [
  (ctx: Parameters<typeof chatService>[0]) => {
    const base = chatService(ctx).impl as unknown as ChatImpl;
    return register(Chat, {
      ...base,
      getCompletion: async (request, call) => {
        if (request.model !== "hang") return base.getCompletion(request, call);
        await cancelled(call);
        throw new EmulatorError(Code.CANCELLED, "cancelled");
      },
      getCompletionChunk: async function* (request, call) {
        if (request.model === "three" || request.model === "fail-after-one") {
          const n = request.model === "three" ? 3 : 1;
          for (let i = 0; i < n; i++) yield { id: `c${i}` };
          if (request.model === "fail-after-one")
            throw new EmulatorError(Code.RESOURCE_EXHAUSTED, "slow down");
          return;
        }
        if (request.model === "silent") {
          await cancelled(call);
          return;
        }
        if (request.model === "stall-after-two") {
          // Two real chunks of the emulator's answer, then nothing until the client cancels.
          request.model = "grok-4-fast-non-reasoning";
          let sent = 0;
          for await (const chunk of base.getCompletionChunk(request, call)) {
            yield chunk;
            if (++sent === 2) break;
          }
          await cancelled(call);
          return;
        }
        if (request.model !== "forever") {
          yield* base.getCompletionChunk(request, call);
          return;
        }
        for (let i = 0; !call.signal.aborted; i++) {
          yield { id: `c${i}` };
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      },
    });
  },
  (ctx: Parameters<typeof filesService>[0]) => {
    const base = filesService(ctx).impl as unknown as FilesImpl;
    return register(Files, {
      ...base,
      uploadFile: async (requests, call) => {
        const received = [];
        for await (const request of requests) received.push(request);
        const first = received[0]?.chunk;
        if (first?.case !== "init" || !first.value.name.startsWith("hang")) {
          return base.uploadFile(
            (async function* () {
              yield* received;
            })(),
            call,
          );
        }
        // Read every chunk, then never answer.
        await cancelled(call);
        throw new EmulatorError(Code.CANCELLED, "cancelled");
      },
    });
  },
];

const env = useEmulator({ resetBeforeEach: true, services });

/** A transport to the emulator, as the Client builds it. */
function transport(): Transport {
  const o = env.emulator.clientOptions();
  return new Transport({
    apiKey: o.apiKey,
    managementApiKey: undefined,
    apiHost: o.apiHost,
    managementApiHost: o.managementApiHost,
    metadata: undefined,
    channelOptions: undefined,
    timeout: undefined,
    insecure: undefined,
    rootCertificates: undefined,
  });
}

describe("several pending next() calls on a server stream", () => {
  test("settle in order with the messages, then done", async () => {
    const t = transport();
    try {
      const stream = t.api.serverStream(Chat.method.getCompletionChunk, { model: "three" });
      const pending = [stream.next(), stream.next(), stream.next(), stream.next(), stream.next()];
      const results = await within(Promise.all(pending), 10_000, "all five pending next() calls");
      assert.deepEqual(
        results.map((r) => (r.done ? "done" : r.value.id)),
        ["c0", "c1", "c2", "done", "done"],
      );
    } finally {
      t.close();
    }
  });

  test("after a message, every other pending next() rejects with the stream's error", async () => {
    const t = transport();
    try {
      const stream = t.api.serverStream(Chat.method.getCompletionChunk, { model: "fail-after-one" });
      const pending = [stream.next(), stream.next(), stream.next()];
      const [first, ...rest] = await within(
        Promise.allSettled(pending),
        10_000,
        "all three pending next() calls",
      );
      assert.equal(first.status === "fulfilled" && !first.value.done && first.value.value.id, "c0");
      for (const r of rest) {
        assert.equal(r.status, "rejected");
        assert.ok(r.status === "rejected" && r.reason instanceof RateLimitError, String(r));
      }
    } finally {
      t.close();
    }
  });

  test("cancel() resolves every pending next() as done", async () => {
    const t = transport();
    try {
      const stream = t.api.serverStream(Chat.method.getCompletionChunk, { model: "forever" });
      const pending = [stream.next(), stream.next(), stream.next()];
      stream.cancel();
      const results = await within(Promise.all(pending), 10_000, "all three pending next() calls");
      assert.deepEqual(
        results.map((r) => r.done),
        [true, true, true],
      );
    } finally {
      t.close();
    }
  });
});

/** Waits until `condition()` holds, checking every few milliseconds; fails clearly after `ms`. */
async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const limit = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > limit) throw new Error(`still waiting after ${ms} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** The error `promise` rejects with (bounded); fails if it resolves. */
async function rejection(promise: Promise<unknown>, what: string): Promise<unknown> {
  return within(
    promise.then(
      (value) =>
        assert.fail(`${what} resolved (${JSON.stringify(value)?.slice(0, 80)}) instead of rejecting`),
      (err: unknown) => err,
    ),
    10_000,
    what,
  );
}

const CLOSED = /the client was closed while this call was in flight/;

/** Asserts that `err` is the CancelledError close() gives a call in flight. */
function assertClosedError(err: unknown, method: string): void {
  assert.ok(err instanceof CancelledError, `expected a CancelledError, got ${String(err)}`);
  assert.ok(!(err instanceof UserAbortError), String(err));
  assert.match(err.message, CLOSED);
  assert.equal(err.method, method);
}

/** Waits until the emulator's record of the call to `method` ends as CANCELLED. */
async function serverSawCancel(method: string): Promise<void> {
  await until(
    () => env.emulator.calls.some((c) => c.method === method && c.status === Code.CANCELLED),
    `the emulator to see ${method} cancelled`,
  );
}

describe("close() with calls in flight", () => {
  const STREAM = "/xai_api.Chat/GetCompletionChunk";
  const UNARY = "/xai_api.Chat/GetCompletion";
  const UPLOAD = "/xai_api.Files/UploadFile";

  test("a server stream: the next iteration and a pending next() reject with CancelledError; the server sees the cancel", async () => {
    const client = new Client(env.emulator.clientOptions());
    const flowing = client.chat
      .create({ model: "forever", messages: [user("x")] })
      .stream()
      [Symbol.asyncIterator]();
    const silent = client.chat
      .create({ model: "silent", messages: [user("x")] })
      .stream()
      [Symbol.asyncIterator]();
    try {
      await within(flowing.next(), 10_000, "a first chunk");
      await within(flowing.next(), 10_000, "a second chunk");
      const pending = silent.next();
      await until(
        () => env.emulator.calls.filter((c) => c.method === STREAM).length === 2,
        "both streams to start",
      );
      client.close();
      assertClosedError(await rejection(flowing.next(), "the next chunk after close()"), STREAM);
      assertClosedError(await rejection(pending, "the pending next() of a silent stream"), STREAM);
      await until(
        () =>
          env.emulator.calls.filter((c) => c.method === STREAM && c.status === Code.CANCELLED).length === 2,
        "the emulator to see both streams cancelled",
      );
    } finally {
      client.close();
    }
  });

  test("a unary call rejects with CancelledError; the server sees the cancel", async () => {
    const client = new Client(env.emulator.clientOptions());
    try {
      const pending = client.chat.create({ model: "hang", messages: [user("x")] }).sample();
      await until(() => env.emulator.calls.some((c) => c.method === UNARY), "the call to reach the emulator");
      client.close();
      assertClosedError(await rejection(pending, "the unary call after close()"), UNARY);
      await serverSawCancel(UNARY);
    } finally {
      client.close();
    }
  });

  test("a client stream rejects with CancelledError, waiting for its answer or for its source", async () => {
    const client = new Client(env.emulator.clientOptions());
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* slowSource() {
      yield new Uint8Array([1, 2, 3]);
      await held;
    }
    try {
      const answering = client.files.upload(Buffer.from("hello"), { filename: "hang-a.txt" });
      const writing = client.files.upload(slowSource(), { filename: "hang-b.txt" });
      await until(
        () => env.emulator.calls.filter((c) => c.method === UPLOAD).length === 2,
        "both uploads to reach the emulator",
      );
      client.close();
      assertClosedError(await rejection(answering, "the upload waiting for its answer"), UPLOAD);
      assertClosedError(await rejection(writing, "the upload waiting for its source"), UPLOAD);
      await until(
        () =>
          env.emulator.calls.filter((c) => c.method === UPLOAD && c.status === Code.CANCELLED).length === 2,
        "the emulator to see both uploads cancelled",
      );
    } finally {
      release();
      client.close();
    }
  });

  test("await using cancels what is still running at the end of the block", async () => {
    let pending: Promise<unknown> | undefined;
    {
      await using client = new Client(env.emulator.clientOptions());
      pending = client.chat.create({ model: "hang", messages: [user("x")] }).sample();
      await until(() => env.emulator.calls.some((c) => c.method === UNARY), "the call to reach the emulator");
    }
    assertClosedError(await rejection(pending, "the call left running by await using"), UNARY);
    await serverSawCancel(UNARY);
  });

  test("calls made just before close(), while the channel is still opening, reject with CancelledError", async () => {
    const client = new Client(env.emulator.clientOptions());
    const unary = client.chat.create({ model: "hang", messages: [user("x")] }).sample();
    const stream = client.chat
      .create({ model: "forever", messages: [user("x")] })
      .stream()
      [Symbol.asyncIterator]();
    const chunk = stream.next();
    client.close();
    assertClosedError(await rejection(unary, "the unary call"), UNARY);
    assertClosedError(await rejection(chunk, "the stream's first chunk"), STREAM);
    // files.upload() reads its source before its RPC starts, so the client stream is tested on the transport.
    const t = transport();
    const upload = t.api.clientStream(Files.method.uploadFile, [
      { chunk: { case: "init", value: { name: "hang" } } },
    ]);
    t.close();
    assertClosedError(await rejection(upload, "the client stream"), UPLOAD);
    assert.equal(env.emulator.calls.length, 0);
  });

  test("a call started after close() is an XaiInputError, of every kind", async () => {
    const client = new Client(env.emulator.clientOptions());
    client.close();
    client.close(); // idempotent
    const closed = (e: unknown) => e instanceof XaiInputError && /client was closed/.test(e.message);
    await assert.rejects(client.chat.create({ model: "m", messages: [user("x")] }).sample(), closed);
    await assert.rejects(client.files.upload(Buffer.from("x"), { filename: "hang-a.txt" }), closed);
    await assert.rejects(async () => {
      for await (const _ of client.chat.create({ model: "m", messages: [user("x")] }).stream()) {
        // nothing arrives
      }
    }, closed);
    assert.equal(env.emulator.calls.length, 0);
  });
});

describe("user interceptors", () => {
  interface Seen {
    by: string;
    method: string;
    version: string[];
    authorization: number;
    own: string[];
  }

  /** A real grpc-js interceptor: records what the metadata holds when the call starts, then adds a header. */
  function recorder(by: string, seen: Seen[]): Interceptor {
    return (options, nextCall) =>
      new InterceptingCall(nextCall(options), {
        start(metadata, listener, next) {
          seen.push({
            by,
            method: options.method_definition.path,
            version: metadata.get("xai-sdk-version").map(String),
            authorization: metadata.get("authorization").length,
            own: metadata.get("x-call").map(String),
          });
          metadata.add("x-intercepted", by);
          next(metadata, listener);
        },
      });
  }

  /** One call of every kind: unary, server-streaming, client-streaming. */
  async function everyKind(client: Client): Promise<void> {
    await client.chat
      .create({ model: "grok-3", messages: [user("x")] })
      .sample({ metadata: { "x-call": "1" } });
    for await (const _ of client.chat.create({ model: "three", messages: [user("x")] }).stream()) {
      // drain
    }
    await client.files.upload(Buffer.from("hello"), { filename: "notes.txt" });
  }

  const METHODS = [
    "/xai_api.Chat/GetCompletion",
    "/xai_api.Chat/GetCompletionChunk",
    "/xai_api.Files/UploadFile",
  ];

  for (const [label, options] of [
    ["the interceptors option", (i: Interceptor) => ({ interceptors: [i] })],
    ["channelOptions.interceptors", (i: Interceptor) => ({ channelOptions: { interceptors: [i] } })],
    [
      "channelOptions.interceptor_providers",
      (i: Interceptor) => ({ channelOptions: { interceptor_providers: [() => i] } }),
    ],
  ] as [string, (i: Interceptor) => ClientOptions][]) {
    test(`${label}: runs on every call kind after the SDK's headers; the server sees what it adds`, async () => {
      const seen: Seen[] = [];
      const client = new Client({ ...env.emulator.clientOptions(), ...options(recorder("user", seen)) });
      try {
        await everyKind(client);
      } finally {
        client.close();
      }
      assert.deepEqual(
        seen.map((s) => s.method),
        METHODS,
      );
      for (const s of seen) {
        assert.deepEqual(s.version, [`typescript/${VERSION}`], s.method);
        assert.equal(s.authorization, 1, s.method);
      }
      assert.deepEqual(seen[0].own, ["1"]);
      const calls = env.emulator.calls.filter((c) => METHODS.includes(c.method));
      assert.deepEqual(
        calls.map((c) => [c.method, c.headers["x-intercepted"]]),
        METHODS.map((m) => [m, "user"]),
      );
    });
  }

  test("the interceptors option runs first, then channelOptions.interceptors, then interceptor_providers", async () => {
    const seen: Seen[] = [];
    const client = new Client({
      ...env.emulator.clientOptions(),
      interceptors: [recorder("a", seen), recorder("b", seen)],
      channelOptions: {
        interceptors: [recorder("c", seen)],
        interceptor_providers: [() => recorder("d", seen)],
      },
    });
    try {
      await client.chat.create({ model: "grok-3", messages: [user("x")] }).sample();
    } finally {
      client.close();
    }
    assert.deepEqual(
      seen.map((s) => s.by),
      ["a", "b", "c", "d"],
    );
    assert.equal(env.emulator.calls.at(-1)?.headers["x-intercepted"], "a, b, c, d");
  });

  test("interceptors that are not functions are an XaiInputError naming the option", () => {
    const base = env.emulator.clientOptions();
    for (const [options, name] of [
      [{ interceptors: "x" }, /^interceptors /],
      [{ interceptors: [42] }, /^interceptors /],
      [{ channelOptions: { interceptors: {} } }, /^channelOptions\.interceptors .*`interceptors` option/],
      [{ channelOptions: { interceptor_providers: [null] } }, /^channelOptions\.interceptor_providers /],
    ] as [ClientOptions, RegExp][]) {
      assert.throws(
        () => new Client({ ...base, ...options }),
        (e: unknown) => e instanceof XaiInputError && name.test(e.message),
        JSON.stringify(options),
      );
    }
  });
});

describe("unix socket targets", () => {
  const tmp = useTempDir("xai-unix-");

  test("a unix: target connects (through a unix socket forwarded to the emulator), plaintext by default", async () => {
    // The emulator listens on TCP only; a byte-for-byte forwarder puts it behind a unix socket.
    const port = Number(env.emulator.apiHost.split(":").at(-1));
    const sockets = new Set<Socket>();
    const forwarder: NetServer = createServer((incoming) => {
      const outgoing = createConnection({ host: "127.0.0.1", port });
      sockets.add(incoming).add(outgoing);
      incoming.pipe(outgoing).pipe(incoming);
      const drop = () => {
        incoming.destroy();
        outgoing.destroy();
      };
      incoming.on("error", drop).on("close", drop);
      outgoing.on("error", drop).on("close", drop);
    });
    const path = join(tmp.path, "xai.sock");
    await new Promise<void>((resolve, reject) => forwarder.listen(path, resolve).once("error", reject));
    try {
      for (const apiHost of [`unix:${path}`, `unix://${path}`]) {
        const client = new Client({ ...env.emulator.clientOptions(), apiHost });
        try {
          const info = await within(client.auth.apiKeyInfo(), 10_000, `a call over ${apiHost}`);
          assert.ok(info.name);
        } finally {
          client.close();
        }
      }
      assert.deepEqual(
        env.emulator.calls.map((c) => c.method),
        ["/xai_api.Auth/get_api_key_info", "/xai_api.Auth/get_api_key_info"],
      );
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => forwarder.close(resolve));
    }
  });
});

describe("idleTimeout on server streams", () => {
  const STREAM = "/xai_api.Chat/GetCompletionChunk";
  const chatFor = (model: string) => env.client.chat.create({ model, messages: [user("Tell me a story")] });

  /** Reads `stream` to its end or failure, keeping each chunk's text. */
  async function readAll(
    stream: AsyncIterable<[unknown, { content: string }]>,
    seen: string[],
  ): Promise<void> {
    for await (const [, chunk] of stream) seen.push(chunk.content);
  }

  test("a stream that stalls mid-way rejects with StreamIdleTimeoutError; what came before stays in the partial response", async () => {
    const stream = chatFor("stall-after-two").stream({ idleTimeout: 300 });
    const seen: string[] = [];
    const err = await rejection(readAll(stream, seen), "the stalled stream");
    assert.ok(err instanceof StreamIdleTimeoutError, `expected a StreamIdleTimeoutError, got ${String(err)}`);
    assert.ok(err instanceof DeadlineExceededError);
    assert.equal(err.code, Status.DEADLINE_EXCEEDED);
    assert.equal(err.idleTimeout, 300);
    assert.equal(err.method, STREAM);
    assert.match(err.message, /no message arrived for 300 ms \(the call's idleTimeout\)/);
    assert.match(err.message, /raise idleTimeout/);
    assert.equal(seen.length, 2);
    assert.ok(seen.join("").length > 0, "the two chunks carried text");
    assert.equal(partialResponseOf(err), stream.response);
    assert.equal(stream.response.content, seen.join(""));
    await serverSawCancel(STREAM);
  });

  test("a stream whose first message is late (the emulator's latency) fails the same way, with an empty partial response", async () => {
    env.emulator.faults.latency(60_000, "Chat/GetCompletionChunk");
    const stream = chatFor("grok-4").stream({ idleTimeout: 200 });
    const err = await rejection(stream.done(), "the late stream");
    assert.ok(err instanceof StreamIdleTimeoutError, String(err));
    assert.equal(partialResponseOf(err)?.content, "");
    await serverSawCancel(STREAM);
  });

  test("regular messages over a total time longer than idleTimeout do not fail the stream", async () => {
    const t = transport();
    try {
      const stream = t.api.serverStream(
        Chat.method.getCompletionChunk,
        { model: "forever" },
        { idleTimeout: 300 },
      );
      const started = Date.now();
      let count = 0;
      for await (const _ of stream) {
        count++;
        // Read for four idle timeouts, then leave the loop (which cancels the call).
        if (Date.now() - started > 1_200) break;
      }
      assert.ok(count > 1);
    } finally {
      t.close();
    }
  });

  test("a slow reader does not count as idle: a paused stream waits for it, then goes on", async () => {
    const t = transport();
    try {
      const stream = t.api.serverStream(
        Chat.method.getCompletionChunk,
        { model: "forever" },
        { idleTimeout: 200 },
      );
      assert.equal((await stream.next()).done, false);
      // The stream fills its buffer within a few ms and pauses; the reader then does nothing for 5 idle timeouts.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      for (let i = 0; i < 200; i++) {
        const result = await within(stream.next(), 10_000, `message ${i} after the pause`);
        assert.equal(result.done, false);
      }
      stream.cancel();
    } finally {
      t.close();
    }
  });

  test("calls with a single response ignore idleTimeout", async () => {
    env.emulator.faults.latency(100, "Chat/GetCompletion");
    const response = await chatFor("grok-4").sample({ idleTimeout: 1 });
    assert.ok(response.content.length > 0);
  });

  test("an idleTimeout that is not 1 to 2147483647 ms is an XaiInputError; nothing is sent", async () => {
    for (const idleTimeout of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, "100"]) {
      const stream = chatFor("grok-4").stream({ idleTimeout: idleTimeout as number });
      await assert.rejects(
        stream.done(),
        (e: unknown) =>
          e instanceof XaiInputError &&
          /idleTimeout must be a number of milliseconds from 1 to 2147483647/.test(e.message),
        String(idleTimeout),
      );
    }
    assert.equal(env.emulator.calls.length, 0);
  });
});
