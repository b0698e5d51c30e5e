import { PollTimeoutError } from "../errors.js";
import { UserAbortError, XaiError, XaiInputError } from "../transport/errors.js";
import type { CallOptions } from "../transport/options.js";
import { Status } from "../transport/status.js";

/**
 * Options of every method that waits for a job by polling the server (`chat.defer`, `video.generate`,
 * `batch.waitUntilDone`, `collections.waitForIndexing`, …): the per-call options, applied to the whole wait,
 * plus how to poll.
 *
 * - `timeout`: the budget of the whole wait in milliseconds (each poll's own deadline is what remains of it);
 *   when it passes, the wait rejects with {@link PollTimeoutError}. Each method has its own default.
 * - `signal`: aborts the wait and the call in flight (rejects with `UserAbortError`).
 * - `metadata`: extra headers sent on every call made while waiting.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const video = await client.video.generate(
 *   { prompt: "A comet", model: "grok-imagine-video" },
 *   { timeout: 300_000, pollInterval: 2_000, signal: controller.signal, onProgress: (p) => console.log(p.progress) },
 * );
 * ```
 */
export interface WaitOptions<P = unknown> extends CallOptions {
  /** Milliseconds between polls; each method has its own default. */
  pollInterval?: number;
  /** Called after every poll that finds the job still running, with what the server reported. */
  onProgress?: (progress: P) => void;
}

/** The defaults of one kind of wait. @internal */
export interface WaitDefaults {
  pollInterval: number;
  timeout: number;
}

/** What one poll reports: still running (with progress), or finished with a value. @internal */
export type PollStep<T, P> = { done: true; value: T } | { done: false; progress: P };

function checkPositive(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new XaiInputError(
      `${name} must be a positive number of milliseconds, got ${String(value)}; pass e.g. { ${name}: 5_000 }`,
    );
  }
  return value;
}

/**
 * Checks the wait-specific options (`pollInterval`, `timeout`, `onProgress`) before any call and returns the
 * interval and timeout to use; `signal` and `metadata` are checked by every call made with them.
 *
 * @example
 * ```ts
 * const { pollInterval, timeout } = checkWaitOptions(options, { pollInterval: 2_000, timeout: 120_000 });
 * ```
 * @internal
 */
export function checkWaitOptions(
  options: WaitOptions<never> | undefined,
  defaults: WaitDefaults,
): WaitDefaults {
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new XaiInputError(
      `wait options must be an object like { timeout: 60_000, pollInterval: 1_000 }, got ${String(options)}`,
    );
  }
  const pollInterval = checkPositive("pollInterval", options?.pollInterval ?? defaults.pollInterval);
  const timeout = checkPositive("timeout", options?.timeout ?? defaults.timeout);
  if (options?.onProgress !== undefined && typeof options.onProgress !== "function") {
    throw new XaiInputError("onProgress must be a function, e.g. (progress) => console.log(progress)");
  }
  return { pollInterval, timeout };
}

/**
 * The options of one call made at `Date.now()` within a budget of `timeout` ms that started at `startedAt`:
 * what remains of the budget (at least 1 ms; the client's default when `timeout` is undefined), and the
 * caller's signal and metadata.
 *
 * @example
 * ```ts
 * const startedAt = Date.now();
 * await upload(remainingCallOptions(options, options?.timeout, startedAt));
 * ```
 * @internal
 */
export function remainingCallOptions(
  options: CallOptions | undefined,
  timeout: number | undefined,
  startedAt: number,
): CallOptions {
  const call: CallOptions = {};
  if (timeout !== undefined) call.timeout = Math.max(1, timeout - (Date.now() - startedAt));
  if (options?.signal !== undefined) call.signal = options.signal;
  if (options?.metadata !== undefined) call.metadata = options.metadata;
  return call;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new UserAbortError(undefined, signal.reason));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new UserAbortError(undefined, signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Polls `check` every `pollInterval` ms until it reports done, the timeout passes, or the signal aborts.
 * `check` receives `call()`, which gives the options of a call made now: the time left of the wait as its
 * `timeout` (so that no call outlives the wait), the wait's `signal` and `metadata`. A call that runs out of
 * that time rejects the wait with {@link PollTimeoutError}. The budget counts from `startedAt` (now by
 * default), for waits that made calls of their own first.
 *
 * @example
 * ```ts
 * const done = await poll("batch b1", async (call) => {
 *   const batch = await client.batch.get("b1", call());
 *   return batch.isDone ? { done: true, value: batch } : { done: false, progress: batch };
 * }, options, { pollInterval: 5_000, timeout: 86_400_000 });
 * ```
 * @internal
 */
export async function poll<T, P>(
  what: string | (() => string),
  check: (call: () => CallOptions) => Promise<PollStep<T, P>>,
  options: WaitOptions<P> | undefined,
  defaults: WaitDefaults,
  startedAt = Date.now(),
): Promise<T> {
  const { pollInterval, timeout } = checkWaitOptions(options, defaults);
  const signal = options?.signal;
  const elapsed = () => Date.now() - startedAt;
  const timedOut = () => new PollTimeoutError(typeof what === "function" ? what() : what, elapsed(), timeout);
  const call = () => remainingCallOptions(options, timeout, startedAt);
  for (;;) {
    if (signal?.aborted) throw new UserAbortError(undefined, signal.reason);
    if (elapsed() >= timeout) throw timedOut();
    let step: PollStep<T, P>;
    try {
      step = await check(call);
    } catch (err) {
      if (err instanceof XaiError && err.code === Status.DEADLINE_EXCEEDED && elapsed() >= timeout) {
        throw timedOut();
      }
      throw err;
    }
    if (step.done) return step.value;
    options?.onProgress?.(step.progress);
    const left = timeout - elapsed();
    if (left <= 0) throw timedOut();
    await sleep(Math.min(pollInterval, left), signal);
  }
}
