/**
 * mulberry32: a small seeded generator of numbers in [0, 1), so that a randomised test or benchmark
 * replays exactly from its seed.
 *
 * @example
 * ```ts
 * const rng = seeded(42);
 * rng(); // always the same first number for seed 42
 * ```
 */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
