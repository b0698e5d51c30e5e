// Value parsers for commander options: each turns a string into a checked value or throws commander's
// InvalidArgumentError (printed by commander, exit code 2).
import { InvalidArgumentError } from "commander";

function finiteNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) {
    throw new InvalidArgumentError(`"${value}" is not a number.`);
  }
  return n;
}

/**
 * A duration in seconds (fractions allowed), returned in milliseconds.
 *
 * @example
 * ```ts
 * parseSeconds("1.5"); // 1500
 * ```
 */
export function parseSeconds(value: string): number {
  const seconds = finiteNumber(value);
  if (seconds <= 0) throw new InvalidArgumentError("Give a number of seconds greater than 0, e.g. 30.");
  return Math.round(seconds * 1000);
}

/**
 * A sampling temperature between 0 and 2.
 *
 * @example
 * ```ts
 * parseTemperature("0.7"); // 0.7
 * ```
 */
export function parseTemperature(value: string): number {
  const t = finiteNumber(value);
  if (t < 0 || t > 2) throw new InvalidArgumentError("The temperature must be between 0 and 2, e.g. 0.7.");
  return t;
}

/**
 * A whole number of at least 1.
 *
 * @example
 * ```ts
 * parsePositiveInteger("256"); // 256
 * ```
 */
export function parsePositiveInteger(value: string): number {
  const n = finiteNumber(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("Give a whole number of at least 1.");
  return n;
}

/**
 * A TCP port, 0 to 65535 (0 picks a free one).
 *
 * @example
 * ```ts
 * parsePort("50051"); // 50051
 * ```
 */
export function parsePort(value: string): number {
  const n = finiteNumber(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError("A port is a whole number from 0 to 65535 (0 picks a free one).");
  }
  return n;
}

/**
 * A model name: any non-blank text (the API says which names exist).
 *
 * @example
 * ```ts
 * parseModelName("grok-4"); // "grok-4"
 * ```
 */
export function parseModelName(value: string): string {
  if (value.trim() === "")
    throw new InvalidArgumentError("Give a model name, e.g. grok-4 (`xai models` lists them).");
  return value;
}

/** The shortest and longest expiry the Files API accepts, in seconds (one hour, 30 days). */
const EXPIRY_RANGE = [3600, 2_592_000] as const;

/**
 * A file expiry in whole seconds, within what the Files API accepts (3600 to 2592000).
 *
 * @example
 * ```ts
 * parseExpiresAfter("86400"); // 86400 (one day)
 * ```
 */
export function parseExpiresAfter(value: string): number {
  const n = finiteNumber(value);
  const [min, max] = EXPIRY_RANGE;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InvalidArgumentError(
      `Give whole seconds from ${min} (one hour) to ${max} (30 days), e.g. 86400 for one day.`,
    );
  }
  return n;
}
