// The shared poller: progress, the typed timeout naming what was awaited, typed aborts, option checks.
import assert from "node:assert/strict";
import { test } from "node:test";
import { poll } from "../src/core/poll.js";
import { DeadlineExceededError, PollTimeoutError, UserAbortError, XaiInputError } from "../src/index.js";

const defaults = { pollInterval: 5, timeout: 1_000 };

test("polls until done, reporting progress after each pending poll", async () => {
  const seen: number[] = [];
  let n = 0;
  const value = await poll(
    "job 1",
    async () => (++n < 3 ? { done: false as const, progress: n } : { done: true as const, value: "ok" }),
    { onProgress: (p) => seen.push(p) },
    defaults,
  );
  assert.equal(value, "ok");
  assert.deepEqual(seen, [1, 2]);
});

test("a wait that outlives its timeout rejects with PollTimeoutError naming the job", async () => {
  const err = await poll(
    "video req-42",
    async () => ({ done: false as const, progress: 0 }),
    { timeout: 30 },
    defaults,
  ).then(
    () => assert.fail("expected a timeout"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof PollTimeoutError && err instanceof DeadlineExceededError);
  assert.equal(err.what, "video req-42");
  assert.match(err.message, /video req-42/);
});

test("an abort between polls rejects with UserAbortError carrying the reason", async () => {
  const controller = new AbortController();
  let polls = 0;
  const pending = poll(
    "batch b1",
    async () => {
      if (++polls === 2) controller.abort("stop");
      return { done: false as const, progress: polls };
    },
    { signal: controller.signal, timeout: 60_000 },
    defaults,
  );
  const err = await pending.then(
    () => assert.fail("expected an abort"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof UserAbortError);
  assert.equal(err.reason, "stop");
});

test("bad intervals and timeouts are refused before the first poll", async () => {
  let polls = 0;
  const check = async () => {
    polls++;
    return { done: true as const, value: 1 };
  };
  for (const options of [{ pollInterval: 0 }, { timeout: Number.NaN }, { pollInterval: -5 }]) {
    await assert.rejects(poll("x", check, options, defaults), XaiInputError);
  }
  assert.equal(polls, 0);
});

test("each poll's call options carry what remains of the wait's timeout, its signal and its metadata", async () => {
  const controller = new AbortController();
  const metadata = { "x-wait": "w1" };
  const seen: { timeout?: number; signal?: AbortSignal; metadata?: unknown }[] = [];
  let n = 0;
  await poll(
    "job 2",
    async (call) => {
      seen.push(call());
      return ++n < 3 ? { done: false as const, progress: n } : { done: true as const, value: n };
    },
    { timeout: 5_000, pollInterval: 5, signal: controller.signal, metadata },
    defaults,
  );
  assert.equal(seen.length, 3);
  for (const options of seen) {
    assert.ok(options.timeout !== undefined && options.timeout > 0 && options.timeout <= 5_000);
    assert.equal(options.signal, controller.signal);
    assert.equal(options.metadata, metadata);
  }
  assert.ok((seen[2].timeout ?? 0) <= (seen[0].timeout ?? 0), "the budget only shrinks");
});

test("a budget that started earlier (startedAt) is spent already", async () => {
  let polls = 0;
  const err = await poll(
    "upload and indexing",
    async () => {
      polls++;
      return { done: false as const, progress: 0 };
    },
    { timeout: 1_000 },
    defaults,
    Date.now() - 2_000,
  ).then(
    () => assert.fail("expected a timeout"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof PollTimeoutError);
  assert.equal(polls, 0);
});

test("onProgress that is not a function is refused before the first poll", async () => {
  await assert.rejects(
    poll("x", async () => ({ done: true as const, value: 1 }), { onProgress: "log" as never }, defaults),
    /onProgress must be a function/,
  );
});
