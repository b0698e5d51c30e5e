// Failures inside the stream machinery itself (an exception while accumulating or yielding a chunk): the RPC is
// cancelled and the loop and done() reject. These tests reach into the SDK's modules to make a projection throw,
// so they run against the source only (not against dist/).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { z } from "zod";
import { ChunkAccumulator } from "../src/chat/accumulator.js";
import { partialResponseOf, user } from "../src/index.js";
import { Code } from "../src/testing/index.js";
import { ServerStream } from "../src/transport/calls.js";
import { finalStatusOfLast, useEmulator } from "./helpers/emulator.js";

const env = useEmulator({ resetBeforeEach: true });

const STREAM = "/xai_api.Chat/GetCompletionChunk";

describe("an exception inside the stream machinery", () => {
  /**
   * For the duration of `body`, makes `ChunkAccumulator.add` throw `error` on the first chunk that arrives by the
   * given path: "buffered" (already received when the loop asked: the no-promise fast path) or "awaited" (the loop
   * waited for it). Which path delivered a chunk is read from `ServerStream.takeBuffered`, wrapped to record it.
   */
  async function withThrowingAccumulator<T>(
    path: "buffered" | "awaited",
    error: Error,
    body: () => Promise<T>,
  ): Promise<T> {
    const add = Object.getOwnPropertyDescriptor(ChunkAccumulator.prototype, "add");
    const take = Object.getOwnPropertyDescriptor(ServerStream.prototype, "takeBuffered");
    assert.ok(add && take);
    const originalAdd = ChunkAccumulator.prototype.add;
    const originalTake = ServerStream.prototype.takeBuffered;
    let lastWasBuffered = false;
    let thrown = false;
    ServerStream.prototype.takeBuffered = function (this: ServerStream<unknown>) {
      const value = originalTake.call(this);
      lastWasBuffered = value !== undefined;
      return value;
    };
    ChunkAccumulator.prototype.add = function (this: ChunkAccumulator, chunk) {
      if (!thrown && lastWasBuffered === (path === "buffered")) {
        thrown = true;
        throw error;
      }
      originalAdd.call(this, chunk);
    };
    try {
      return await body();
    } finally {
      Object.defineProperty(ChunkAccumulator.prototype, "add", add);
      Object.defineProperty(ServerStream.prototype, "takeBuffered", take);
      assert.ok(thrown, `no chunk arrived by the ${path} path`);
    }
  }

  /** Records unhandled rejections while `body` runs (and for a few turns of the event loop after it). */
  async function withoutUnhandledRejections(body: () => Promise<void>): Promise<void> {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", listener);
    try {
      await body();
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("unhandledRejection", listener);
    }
    assert.deepEqual(unhandled, [], "no unhandled rejection is left behind");
  }

  for (const path of ["buffered", "awaited"] as const) {
    test(`a throw while accumulating ${path === "buffered" ? "an already buffered" : "an awaited"} chunk cancels the RPC and rejects the loop and done()`, {
      timeout: 10_000,
    }, async () => {
      await withoutUnhandledRejections(async () => {
        const boom = new Error(`projection failed (${path})`);
        const stream = env.client.chat
          .create({ model: "grok-3", messages: [user("!chunks 1000000")] })
          .stream();
        const pieces: string[] = [];
        const loop = withThrowingAccumulator(path, boom, async () => {
          for await (const [, chunk] of stream) {
            pieces.push(chunk.content);
            // Let chunks pile up in the buffer, so that later ones take the fast path.
            await new Promise((resolve) => setImmediate(resolve));
          }
        });
        // The loop started (synchronously): done() waits for it. Settled into a value now, so that its rejection
        // is handled.
        const done = stream.done().then(
          () => "resolved",
          (e: unknown) => e,
        );
        await assert.rejects(loop, boom);
        assert.equal(
          await finalStatusOfLast(env.emulator, STREAM),
          Code.CANCELLED,
          "the server saw the cancellation",
        );
        assert.equal(await done, boom, "done() rejects with the error too");
        await assert.rejects(stream.done(), boom);
        assert.equal(stream.error, boom);
        assert.equal(stream.finished, true);
        assert.equal(partialResponseOf(boom), stream.response);
        assert.equal(
          stream.response.content,
          pieces.join(""),
          "the partial response holds every chunk before",
        );
        if (path === "buffered") assert.ok(pieces.length > 0);
      });
    });
  }

  test("a throw while done() drains a stream nobody iterates cancels the RPC", {
    timeout: 10_000,
  }, async () => {
    await withoutUnhandledRejections(async () => {
      const boom = new Error("projection failed");
      const stream = env.client.chat
        .create({ model: "grok-3", messages: [user("!chunks 1000000")] })
        .stream();
      await withThrowingAccumulator("awaited", boom, () => assert.rejects(stream.done(), boom));
      assert.equal(
        await finalStatusOfLast(env.emulator, STREAM),
        Code.CANCELLED,
        "the server saw the cancellation",
      );
      assert.equal(partialResponseOf(boom), stream.response);
      assert.equal(stream.response.content, "");
    });
  });

  test("a throw in a batch stream and in a parsed stream cancels the RPC too", {
    timeout: 10_000,
  }, async () => {
    await withoutUnhandledRejections(async () => {
      const boom = new Error("projection failed");
      const chat = env.client.chat.create({ model: "grok-3", messages: [user("!chunks 1000000")] });
      const batch = chat.streamBatch(2);
      await withThrowingAccumulator("awaited", boom, () => assert.rejects(batch.done(), boom));
      assert.equal(await finalStatusOfLast(env.emulator, STREAM), Code.CANCELLED);
      assert.equal(partialResponseOf(boom), batch.responses[0]);
      const parsed = chat.streamParse(z.object({ n: z.number() }));
      const boom2 = new Error("projection failed again");
      await withThrowingAccumulator("awaited", boom2, () => assert.rejects(parsed.parsed(), boom2));
      assert.equal(await finalStatusOfLast(env.emulator, STREAM), Code.CANCELLED);
    });
  });
});
