/**
 * Waits `ms` milliseconds (at once when `ms` ≤ 0), or rejects with `signal.reason` as soon as `signal` aborts:
 * the emulator's delays (injected latency, replayed timing) end with the call they belong to.
 *
 * @example
 * ```ts
 * await sleep(50, ctx.signal);
 * ```
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
