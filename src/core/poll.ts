import { PollTimeoutError } from "../errors.js";
import { UserAbortError, XaiError, XaiInputError } from "../transport/errors.js";
import { Status } from "../transport/status.js";

/**
 * Options of a wait that polls the server until a job is done.
 *
 * @example
 * ```ts
 * const video = await client.video.generate(request, { pollInterval: 2_000, timeout: 300_000, onProgress: console.log });
 * ```
 */
export interface PollOptions<P = unknown> {
  /** Milliseconds between polls. */
  pollInterval?: number;
  /** Milliseconds before giving up with {@link PollTimeoutError}. */
  timeout?: number;
  /** Stops waiting (rejects with `UserAbortError`, whose `reason` is the signal's) and cancels the poll in flight. */
  signal?: AbortSignal;
  /** Called after every poll with what the server reported. */
  onProgress?: (progress: P) => void;
}

/** What one poll reports: still running (with progress), or finished with a value. */
export type PollStep<T, P> = { done: true; value: T } | { done: false; progress: P };

function checkPositive(name: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new XaiInputError(`${name} must be a positive number of milliseconds, got ${String(value)}`);
  }
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
 * `check` receives the remaining time so each poll's own deadline never outlives the wait.
 *
 * @example
 * ```ts
 * const value = await poll("video 42", (remainingMs) => fetchStatus(remainingMs), { pollInterval: 500, timeout: 60_000 }, { pollInterval: 1000, timeout: 600_000 });
 * ```
 */
export async function poll<T, P>(
  what: string | (() => string),
  check: (remainingMs: number) => Promise<PollStep<T, P>>,
  options: PollOptions<P> | undefined,
  defaults: { pollInterval: number; timeout: number },
): Promise<T> {
  const interval = options?.pollInterval ?? defaults.pollInterval;
  const timeout = options?.timeout ?? defaults.timeout;
  checkPositive("pollInterval", interval);
  checkPositive("timeout", timeout);
  const signal = options?.signal;
  const started = Date.now();
  const timedOut = () =>
    new PollTimeoutError(typeof what === "function" ? what() : what, Date.now() - started, timeout);
  for (;;) {
    if (signal?.aborted) throw new UserAbortError(undefined, signal.reason);
    const remaining = timeout - (Date.now() - started);
    if (remaining <= 0) throw timedOut();
    let step: PollStep<T, P>;
    try {
      step = await check(remaining);
    } catch (err) {
      if (
        err instanceof XaiError &&
        err.code === Status.DEADLINE_EXCEEDED &&
        Date.now() - started >= timeout
      ) {
        throw timedOut();
      }
      throw err;
    }
    if (step.done) return step.value;
    options?.onProgress?.(step.progress);
    const left = timeout - (Date.now() - started);
    if (left <= 0) throw timedOut();
    await sleep(Math.min(interval, left), signal);
  }
}
