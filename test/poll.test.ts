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
