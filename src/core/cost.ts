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
 * How the API writes token prices: integers in 10⁻¹⁰ USD ("USD ticks") per token, which is the same number as
 * 1/100 of a US cent (0.0001 USD) per million tokens. Dividing by this gives USD per million tokens.
 */
const PRICE_UNITS_PER_USD_PER_MILLION = 10_000;

/**
 * Converts an API token price (10⁻¹⁰ USD per token) to USD per million tokens.
 *
 * @example
 * ```ts
 * usdPerMillion(20_000n); // 2: USD 2.00 per million tokens
 * ```
 */
export function usdPerMillion(price: bigint): number {
  return Number(price) / PRICE_UNITS_PER_USD_PER_MILLION;
}

/**
 * Converts a cost in ticks (10^-10 USD) to USD.
 *
 * @example
 * ```ts
 * ticksToUsd(25_000_000n); // 0.0025
 * ```
 */
export function ticksToUsd(ticks: bigint): number {
  // Dividing (rather than multiplying by 1e-10) gives the double nearest the decimal value: 0.000708, not 0.0007080000000000001.
  return Number(ticks) / 1e10;
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
