// Every method that waits for a job takes one WaitOptions (CallOptions + pollInterval + onProgress) as its
// last argument: metadata goes on every call of the wait, the signal stops it and the call in flight, bad
// options are refused before any call. Against the emulator, over real gRPC.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type Client,
  PollTimeoutError,
  UserAbortError,
  user,
  type WaitOptions,
  XaiInputError,
} from "../src/index.js";
import { useEmulator, withEmulator } from "./helpers/emulator.js";

const VIDEO = { prompt: "waves", model: "grok-imagine-video" } as const;

/** A wait, after whatever calls it needs first: returns the call that waits with the given options. */
type PreparedWait = (client: Client) => Promise<(options: WaitOptions) => Promise<unknown>>;

const waits: [name: string, prepare: PreparedWait][] = [
  [
    "chat.defer",
    async (client) => (options) =>
      client.chat.create({ model: "grok-3", messages: [user("Take your time")] }).defer(options),
  ],
  [
    "chat.deferBatch",
    async (client) => (options) =>
      client.chat.create({ model: "grok-3", messages: [user("Two ideas")] }).deferBatch(2, options),
  ],
  ["video.generate", async (client) => (options) => client.video.generate(VIDEO, options)],
  [
    "video.extend",
    async (client) => {
      const requestId = await client.video.start(VIDEO);
      let state = await client.video.get(requestId);
      while (state.status === "pending") state = await client.video.get(requestId);
      assert.equal(state.status, "done");
      const url = state.status === "done" ? state.video.url : "";
      return (options) => client.video.extend({ ...VIDEO, prompt: "it rains", video: url }, options);
    },
  ],
  [
    "batch.waitUntilDone",
    async (client) => {
      const batch = await client.batch.create("wait");
      await client.batch.add(batch.id, [client.chat.create({ model: "grok-3", messages: [user("hi")] })]);
      return (options) => client.batch.waitUntilDone(batch.id, options);
    },
  ],
  [
    "collections.waitForIndexing",
    async (client) => {
      const col = await client.collections.create({ name: "wait" });
      const file = await client.files.upload(Buffer.from("Some text to index."), { filename: "a.txt" });
      await client.collections.addExistingDocument(col.id, file.id);
      return (options) => client.collections.waitForIndexing(col.id, file.id, options);
    },
  ],
  [
    "collections.uploadDocument (waitForIndexing)",
    async (client) => {
      const col = await client.collections.create({ name: "upload-wait" });
      return (options) =>
        client.collections.uploadDocument(
          col.id,
          Buffer.from("Some text to index."),
          { filename: "b.txt", waitForIndexing: true },
          options,
        );
    },
  ],
];

describe("WaitOptions: metadata on every call of the wait, progress after each pending poll", () => {
  const env = useEmulator();
  for (const [name, prepare] of waits) {
    test(name, async () => {
      const wait = await prepare(env.client);
      const before = env.emulator.calls.length;
      const progress: unknown[] = [];
      await wait({ pollInterval: 5, metadata: { "x-wait": name }, onProgress: (p) => progress.push(p) });
      const calls = env.emulator.calls.slice(before);
      assert.ok(calls.length >= 2, `the wait polled (${calls.map((c) => c.method).join(", ")})`);
      for (const call of calls) assert.equal(call.headers["x-wait"], name, `metadata on ${call.method}`);
      assert.ok(progress.length >= 1, "onProgress called while pending");
    });
  }
});

describe("WaitOptions: bad options are refused before any call", () => {
  const env = useEmulator();
  const bad: [what: string, options: () => WaitOptions, message: RegExp][] = [
    ["pollInterval 0", () => ({ pollInterval: 0 }), /pollInterval must be a positive number/],
    ["negative timeout", () => ({ timeout: -1 }), /timeout must be a positive number/],
    ["timeout NaN", () => ({ timeout: Number.NaN }), /timeout must be a positive number/],
    ["onProgress not a function", () => ({ onProgress: 42 as never }), /onProgress must be a function/],
    ["signal not an AbortSignal", () => ({ signal: {} as never }), /signal must be an AbortSignal/],
    ["metadata setting authorization", () => ({ metadata: { authorization: "Bearer x" } }), /apiKey/],
  ];
  for (const [name, prepare] of waits) {
    test(name, async () => {
      const wait = await prepare(env.client);
      for (const [what, options, message] of bad) {
        const before = env.emulator.calls.length;
        await assert.rejects(
          wait(options()),
          (err: unknown) => err instanceof XaiInputError && message.test(err.message),
          what,
        );
        assert.equal(env.emulator.calls.length, before, `${what}: no call reached the emulator`);
      }
    });
  }
});

describe("WaitOptions: the signal and the timeout bound the whole wait", () => {
  test("an abort during the wait rejects with UserAbortError carrying its reason, and polling stops", async () => {
    await withEmulator(
      { deferredPolls: 1_000_000, processingDelayMs: 600_000 },
      async ({ client, emulator }) => {
        for (const [name, prepare] of waits) {
          if (name === "video.extend") continue; // its preparation needs a video that finishes
          const wait = await prepare(client);
          const controller = new AbortController();
          const reason = new Error(`stop ${name}`);
          await assert.rejects(
            wait({
              pollInterval: 60_000,
              signal: controller.signal,
              onProgress: () => controller.abort(reason),
            }),
            (err: unknown) => err instanceof UserAbortError && err.reason === reason,
            name,
          );
          const after = emulator.calls.length;
          await new Promise((resolve) => setImmediate(resolve));
          assert.equal(emulator.calls.length, after, `${name}: no poll after the abort`);
        }
      },
    );
  });

  test("a signal aborted before the wait: UserAbortError and no call at all (not even an upload)", async () => {
    await withEmulator({}, async ({ client, emulator }) => {
      for (const [name, prepare] of waits) {
        const wait = await prepare(client);
        const before = emulator.calls.length;
        await assert.rejects(wait({ signal: AbortSignal.abort("no") }), UserAbortError, name);
        assert.equal(emulator.calls.length, before, `${name}: no call`);
      }
    });
  });

  test("a wait longer than its timeout rejects with PollTimeoutError naming what was awaited", async () => {
    await withEmulator({ deferredPolls: 1_000_000, processingDelayMs: 600_000 }, async ({ client }) => {
      for (const [name, prepare] of waits) {
        if (name === "video.extend") continue;
        const wait = await prepare(client);
        await assert.rejects(
          wait({ pollInterval: 10, timeout: 1_000 }),
          (err: unknown) => err instanceof PollTimeoutError && err.what.length > 0,
          name,
        );
      }
    });
  });
});
