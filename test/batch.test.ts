import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Batch, BatchRequestInfo } from "../src/batch/batch.js";
import { toBatchRequest } from "../src/batch/requests.js";
import { wrapBatchResult } from "../src/batch/result.js";
import { ChatResponse } from "../src/chat/response.js";
import { PollTimeoutError } from "../src/errors.js";
import {
  BatchRequestMetadata_State,
  BatchRequestMetadataSchema,
  BatchRequestSchema,
  BatchResultSchema,
  BatchSchema,
} from "../src/gen/xai/api/v1/batch_pb.js";
import { GetCompletionsRequestSchema } from "../src/gen/xai/api/v1/chat_pb.js";
import { ImageResponse } from "../src/image/response.js";
import {
  type BatchResult,
  Client,
  InvalidArgumentError,
  NotFoundError,
  Status,
  user,
  XaiError,
  XaiInputError,
} from "../src/index.js";
import { VideoResponse } from "../src/video/response.js";
import { collect } from "./helpers/collect.js";
import { useEmulator, withEmulator } from "./helpers/emulator.js";

describe("batch entries and wrappers (no network)", () => {
  // A client is only needed for its builders; nothing here makes a call.
  const client = new Client({ apiKey: "xai-test-key", apiHost: "127.0.0.1:9" });
  after(() => client.close());

  test("a chat becomes a completion request carrying the chat's batchRequestId", () => {
    const chat = client.chat.create({ model: "grok-3", messages: [user("Hi")], batchRequestId: "greet" });
    const entry = toBatchRequest(chat, 0);
    assert.equal(entry.request.case, "completionRequest");
    assert.equal(entry.batchRequestId, "greet");
    if (entry.request.case === "completionRequest") assert.equal(entry.request.value.model, "grok-3");
  });

  test("{ batchRequestId, request } names any request, overriding its own id", () => {
    const image = client.image.prepare(
      { prompt: "a fox", model: "grok-2-image" },
      { batchRequestId: "inner" },
    );
    const entry = toBatchRequest({ batchRequestId: "outer", request: image }, 0);
    assert.equal(entry.batchRequestId, "outer");
    assert.equal(entry.request.case, "imageRequest");
    assert.equal(toBatchRequest(image, 0).batchRequestId, "inner");
  });

  test("prepared video requests, raw request messages and BatchRequests are accepted; a BatchRequest is copied", () => {
    const video = toBatchRequest(client.video.prepare({ prompt: "rain", model: "grok-imagine-video" }), 0);
    assert.equal(video.request.case, "videoRequest");
    assert.equal(video.batchRequestId, undefined);
    const raw = create(GetCompletionsRequestSchema, { model: "grok-3", messages: [user("x")] });
    assert.equal(toBatchRequest(raw, 0).request.case, "completionRequest");
    const original = create(BatchRequestSchema, { request: { case: "completionRequest", value: raw } });
    const renamed = toBatchRequest({ batchRequestId: "r", request: original }, 0);
    assert.equal(renamed.batchRequestId, "r");
    assert.equal(original.batchRequestId, undefined, "the caller's message is not changed");
  });

  test("unusable entries are input errors naming their position", () => {
    const empty = client.chat.create({ model: "grok-3" });
    assert.throws(() => toBatchRequest(empty, 2), /requests\[2\]: the chat has no messages/);
    assert.throws(
      () => toBatchRequest({ hello: 1 } as never, 1),
      (err: unknown) => {
        return err instanceof XaiInputError && /requests\[1\] is not a batchable request/.test(err.message);
      },
    );
    assert.throws(
      () => toBatchRequest({ batchRequestId: "", request: empty } as never, 0),
      /batchRequestId must be a non-empty string/,
    );
    assert.throws(() => toBatchRequest(create(BatchRequestSchema), 0), /no request in it/);
  });

  test("Batch exposes counts, done-ness, cost in USD and dates", () => {
    const created = new Date("2025-01-02T03:04:05Z");
    const batch = new Batch(
      create(BatchSchema, {
        batchId: "b1",
        name: "nightly",
        createTime: timestampFromDate(created),
        state: { numRequests: 5n, numPending: 1n, numSuccess: 2n, numError: 1n, numCancelled: 1n },
        costBreakdown: {
          totalCostUsdTicks: 25_000_000n,
          endpointCosts: [{ endpoint: "/v1/chat/completions", costUsdTicks: 25_000_000n, requestCount: 2n }],
        },
      }),
    );
    assert.deepEqual(batch.counts, { total: 5, pending: 1, succeeded: 2, failed: 1, cancelled: 1 });
    assert.equal(batch.isDone, false);
    assert.equal(batch.costUsd, 0.0025);
    assert.deepEqual(batch.costBreakdown, [
      { endpoint: "/v1/chat/completions", costUsd: 0.0025, requestCount: 2 },
    ]);
    assert.deepEqual(batch.createdAt, created);
    assert.equal(batch.cancelledAt, undefined);
    assert.equal((batch.toJSON() as { name: string }).name, "nightly");
  });

  test("request metadata states read as words", () => {
    const info = new BatchRequestInfo(
      create(BatchRequestMetadataSchema, { batchRequestId: "x", state: BatchRequestMetadata_State.FAILED }),
    );
    assert.equal(info.state, "failed");
    assert.equal(info.finishedAt, undefined);
  });

  test("an error result becomes the typed error of its status; an empty result is an error, not dropped", () => {
    const failed = wrapBatchResult(
      create(BatchResultSchema, {
        batchRequestId: "q",
        result: { case: "error", value: { code: Status.NOT_FOUND, message: "no such model" } },
      }),
    );
    assert.equal(failed.kind, "error");
    assert.equal(failed.succeeded, false);
    if (failed.kind === "error") {
      assert.ok(failed.error instanceof NotFoundError);
      assert.equal(failed.error.details, "no such model");
    }
    const empty = wrapBatchResult(create(BatchResultSchema, { batchRequestId: "e" }));
    assert.equal(empty.kind, "error");
    if (empty.kind === "error") assert.equal(empty.error.code, Status.UNKNOWN);
  });
});

describe("batch against the emulator", () => {
  const env = useEmulator({ processingDelayMs: 400 });

  test("a batch mixing chat, image and video requests (one failing) waited to completion", async () => {
    const batch = await env.client.batch.create({ name: "mixed" });
    assert.equal(batch.name, "mixed");
    assert.ok(batch.createdAt instanceof Date);
    await env.client.batch.add(batch.id, [
      env.client.chat.create({
        model: "grok-3",
        messages: [user("Name a fox.")],
        batchRequestId: "fox-chat",
      }),
      env.client.image.prepare(
        { prompt: "a red fox", model: "grok-2-image" },
        { batchRequestId: "fox-image" },
      ),
      {
        batchRequestId: "fox-video",
        request: env.client.video.prepare({ prompt: "a fox runs", model: "grok-imagine-video" }),
      },
      env.client.chat.create({ model: "no-such-model", messages: [user("?")], batchRequestId: "broken" }),
    ]);
    const seen: number[] = [];
    const done = await env.client.batch.waitUntilDone(batch.id, {
      pollInterval: 10,
      onProgress: (b) => seen.push(b.counts.pending),
    });
    assert.ok(seen.length >= 1, "progress reported while pending");
    assert.ok(seen.every((n) => n > 0));
    assert.equal(done.isDone, true);
    assert.deepEqual(done.counts, { total: 4, pending: 0, succeeded: 3, failed: 1, cancelled: 0 });
    assert.ok(done.costUsd > 0);
    assert.ok(done.costBreakdown.length >= 2, "costs per endpoint");

    const results = await collect(env.client.batch.listResults(batch.id, { limit: 1 }));
    const byId = new Map<string, BatchResult>(results.map((r) => [r.id, r]));
    assert.equal(results.length, 4, "every result, walking pages of one");
    const chat = byId.get("fox-chat");
    assert.equal(chat?.kind, "chat");
    if (chat?.kind === "chat") {
      assert.ok(chat.response instanceof ChatResponse);
      assert.ok(chat.response.content.length > 0);
    }
    const image = byId.get("fox-image");
    assert.equal(image?.kind, "image");
    if (image?.kind === "image") {
      assert.ok(image.response instanceof ImageResponse);
      assert.equal(image.images.length, 1);
      const png = await image.response.bytes();
      assert.equal(png.subarray(1, 4).toString("latin1"), "PNG");
    }
    const video = byId.get("fox-video");
    assert.equal(video?.kind, "video");
    if (video?.kind === "video") {
      assert.ok(video.response instanceof VideoResponse);
      assert.match(video.response.url, /^http/);
    }
    const broken = byId.get("broken");
    assert.equal(broken?.kind, "error");
    if (broken?.kind === "error") {
      assert.ok(broken.error instanceof NotFoundError);
      assert.match(broken.error.details, /no-such-model/);
    }
  });

  test("listResults pages, getResult by id (with its request), unknown id is NotFoundError", async () => {
    const batch = await env.client.batch.create("lookup");
    await env.client.batch.add(batch.id, [
      env.client.chat.create({ model: "grok-3", messages: [user("one")], batchRequestId: "one" }),
      env.client.chat.create({ model: "grok-3", messages: [user("two")], batchRequestId: "two" }),
    ]);
    await env.client.batch.waitUntilDone(batch.id, { pollInterval: 10 });
    const first = await env.client.batch.listResults(batch.id, { limit: 1 });
    assert.equal(first.items.length, 1);
    assert.ok(first.nextPageToken);
    const second = await env.client.batch.listResults(batch.id, {
      limit: 1,
      paginationToken: first.nextPageToken,
    });
    assert.equal(second.items.length, 1);
    assert.notEqual(second.items[0].id, first.items[0].id);
    const result = await env.client.batch.getResult(batch.id, "two");
    assert.equal(result.kind, "chat");
    assert.equal(result.request?.request.case, "completionRequest");
    await assert.rejects(env.client.batch.getResult(batch.id, "three"), NotFoundError);
  });

  test("request metadata: all, filtered by state, iterated", async () => {
    const batch = await env.client.batch.create("states");
    await env.client.batch.add(batch.id, [
      env.client.chat.create({ model: "grok-3", messages: [user("fine")], batchRequestId: "ok" }),
      env.client.chat.create({ model: "nope", messages: [user("bad")], batchRequestId: "bad" }),
    ]);
    await env.client.batch.waitUntilDone(batch.id, { pollInterval: 10 });
    const all = await env.client.batch.listRequestMetadata(batch.id);
    assert.deepEqual(all.items.map((i) => i.id).sort(), ["bad", "ok"]);
    const ok = all.items.find((i) => i.id === "ok");
    assert.equal(ok?.state, "succeeded");
    assert.equal(ok?.model, "grok-3");
    assert.ok(ok?.finishedAt instanceof Date);
    const failed = await env.client.batch.listRequestMetadata(batch.id, { status: "failed" });
    assert.deepEqual(
      failed.items.map((i) => i.id),
      ["bad"],
    );
    const call = env.emulator.calls
      .filter((c) => c.method === "/xai_api.BatchMgmt/ListBatchRequestMetadata")
      .at(-1);
    assert.deepEqual((call?.request as unknown as { status: number[] } | undefined)?.status, [
      BatchRequestMetadata_State.FAILED,
    ]);
    const walked = await collect(
      env.client.batch.listRequestMetadata(batch.id, { limit: 1, status: ["succeeded", "failed"] }),
    );
    assert.equal(walked.length, 2);
  });

  test("list: awaited one page, iterated every batch", async () => {
    for (const name of ["p1", "p2", "p3"]) await env.client.batch.create(name);
    const page = await env.client.batch.list({ limit: 2 });
    assert.equal(page.items.length, 2);
    assert.ok(page.nextPageToken);
    const all = await collect(env.client.batch.list({ limit: 2 }));
    const names = all.map((b) => b.name);
    for (const name of ["p1", "p2", "p3", "mixed"]) assert.ok(names.includes(name), name);
    assert.equal(new Set(all.map((b) => b.id)).size, all.length, "no batch twice");
  });

  test("get, cancel (pending requests become cancelled) and a timed-out wait", async () => {
    await withEmulator({ processingDelayMs: 600_000 }, async ({ client: slowClient }) => {
      const batch = await slowClient.batch.create("slow");
      await slowClient.batch.add(batch.id, [
        slowClient.chat.create({ model: "grok-3", messages: [user("wait")] }),
      ]);
      const fetched = await slowClient.batch.get(batch.id);
      assert.equal(fetched.counts.pending, 1);
      await assert.rejects(
        slowClient.batch.waitUntilDone(batch.id, { pollInterval: 10, timeout: 80 }),
        (err: unknown) => err instanceof PollTimeoutError && err.what === `batch ${batch.id}`,
      );
      const cancelled = await slowClient.batch.cancel(batch.id);
      assert.ok(cancelled.cancelledAt instanceof Date);
      assert.equal(cancelled.counts.cancelled, 1);
      assert.equal(cancelled.isDone, true);
      await assert.rejects(
        slowClient.batch.add(batch.id, [
          slowClient.chat.create({ model: "grok-3", messages: [user("late")] }),
        ]),
        (err: unknown) => err instanceof XaiError && err.code === Status.FAILED_PRECONDITION,
      );
    });
  });

  test("bad input is rejected before any call; server-side rejections are typed", async () => {
    const before = env.emulator.calls.length;
    await assert.rejects(env.client.batch.add("b", []), XaiInputError);
    await assert.rejects(env.client.batch.add("b", [{ nope: true } as never]), XaiInputError);
    await assert.rejects(
      env.client.batch.add("", [env.client.chat.create({ model: "grok-3", messages: [user("x")] })]),
      XaiInputError,
    );
    await assert.rejects(env.client.batch.create({ name: "" }), XaiInputError);
    assert.throws(() => env.client.batch.list({ limit: 0 }), XaiInputError);
    assert.throws(
      () => env.client.batch.listRequestMetadata("b", { status: "done" as never }),
      /status must be/,
    );
    await assert.rejects(env.client.batch.waitUntilDone("b", { timeout: -1 }), /timeout must be a positive/);
    assert.equal(env.emulator.calls.length, before);
    await assert.rejects(env.client.batch.get("batch_missing"), NotFoundError);
    const batch = await env.client.batch.create("dupes");
    await assert.rejects(
      env.client.batch.add(batch.id, [
        {
          batchRequestId: "same",
          request: env.client.chat.create({ model: "grok-3", messages: [user("a")] }),
        },
        {
          batchRequestId: "same",
          request: env.client.chat.create({ model: "grok-3", messages: [user("b")] }),
        },
      ]),
      (err: unknown) =>
        err instanceof XaiError &&
        !(err instanceof InvalidArgumentError) &&
        err.code === Status.ALREADY_EXISTS,
    );
  });
});
