import type { SamplingUsage } from "../gen/xai/api/v1/usage_pb.js";

/**
 * USD per tick: the API reports costs as integer ticks of 10^-10 USD (`cost_in_usd_ticks`).
 *
 * @example
 * ```ts
 * const usd = Number(usage.costInUsdTicks ?? 0n) * USD_PER_TICK;
 * ```
 */
export const USD_PER_TICK = 1e-10;

/**
 * Converts a cost in ticks (10^-10 USD) to USD.
 *
 * @example
 * ```ts
 * ticksToUsd(25_000_000n); // 0.0025
 * ```
 */
export function ticksToUsd(ticks: bigint): number {
  return Number(ticks) * USD_PER_TICK;
}

/**
 * The USD cost recorded in a usage message, or undefined when the server did not report one.
 *
 * @example
 * ```ts
 * const usd = costUsdOf(response.proto.usage);
 * ```
 */
export function costUsdOf(usage: SamplingUsage | undefined): number | undefined {
  const ticks = usage?.costInUsdTicks;
  return ticks === undefined ? undefined : ticksToUsd(ticks);
}
