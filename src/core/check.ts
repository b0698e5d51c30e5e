// Input checks shared by every service's builders and options. Each failure is an XaiInputError whose message
// names the bad value and what would be accepted, raised before any call.
import { type Timestamp, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { XaiInputError } from "../transport/errors.js";

/** A short, safe rendering of a bad value for an error message. */
export function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  if (typeof value === "symbol") return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "function") return "a function";
  const typeName = (value as { $typeName?: unknown }).$typeName;
  if (typeof typeName === "string") return `a ${typeName} message`;
  const prototype = Object.getPrototypeOf(value);
  const className: unknown = prototype?.constructor?.name;
  if (prototype !== Object.prototype && typeof className === "string" && className !== "") {
    return `${/^[AEIOU]/.test(className) ? "an" : "a"} ${className}`;
  }
  return `an object (${
    Object.keys(value as object)
      .slice(0, 4)
      .join(", ") || "no keys"
  })`;
}

/** Formats accepted literals as `"a", "b" or "c"`. */
export function oneOf(values: readonly (string | number)[]): string {
  const shown = values.map((v) => (typeof v === "string" ? JSON.stringify(v) : String(v)));
  if (shown.length <= 1) return shown.join("");
  return `${shown.slice(0, -1).join(", ")} or ${shown[shown.length - 1]}`;
}

export function fail(message: string): never {
  throw new XaiInputError(message);
}

/** A literal among `accepted`, or an error naming the accepted ones. */
export function checkLiteral<T extends string | number>(
  name: string,
  value: unknown,
  accepted: readonly T[],
): T {
  if (!accepted.includes(value as T)) {
    fail(`${name} must be ${oneOf(accepted)}, got ${describe(value)}`);
  }
  return value as T;
}

export function checkString(name: string, value: unknown, options: { nonEmpty?: boolean } = {}): string {
  if (typeof value !== "string") fail(`${name} must be a string, got ${describe(value)}`);
  if (options.nonEmpty && value.trim() === "") fail(`${name} must not be empty`);
  return value;
}

export function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== "boolean") fail(`${name} must be true or false, got ${describe(value)}`);
  return value;
}

const INT32_MAX = 2_147_483_647;
const INT32_MIN = -2_147_483_648;

/** An int32 within [min, max] (defaults to the int32 range). */
export function checkInt(name: string, value: unknown, min = INT32_MIN, max = INT32_MAX): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    fail(`${name} must be an integer, got ${describe(value)}`);
  }
  if (value < min || value > max) {
    const range = max === INT32_MAX ? `at least ${min}` : `between ${min} and ${max}`;
    fail(`${name} must be ${range}, got ${value}`);
  }
  return value;
}

/** A finite number within [min, max]. */
export function checkNumber(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    fail(`${name} must be a number, got ${describe(value)}`);
  }
  if (value < min || value > max) fail(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/**
 * A non-empty string (not only spaces), or an error naming `name` and, when given, an example of a good value.
 *
 * @example
 * ```ts
 * const id = requireText(fileId, "a file id", "the `id` of an uploaded file");
 * ```
 */
export function requireText(value: unknown, name: string, example?: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    const hint = example === undefined ? "" : ` (e.g. ${example})`;
    fail(`${name} must be a non-empty string${hint}, got ${describe(value)}`);
  }
  return value;
}

/**
 * The wire value of an optional literal option through its table (`undefined` when left out), or an error
 * listing the table's keys.
 *
 * @example
 * ```ts
 * const order = checkEnum({ asc: Ordering.ASCENDING, desc: Ordering.DESCENDING }, options.order, "order");
 * ```
 */
export function checkEnum<K extends string, V>(
  table: Record<K, V>,
  value: unknown,
  name: string,
): V | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" && Object.hasOwn(table, value)) return table[value as K];
  const accepted = Object.keys(table)
    .map((key) => JSON.stringify(key))
    .join(", ");
  fail(`${name} must be one of ${accepted}, got ${describe(value)}`);
}

/**
 * An optional positive whole number of seconds (`undefined` when left out).
 *
 * @example
 * ```ts
 * const expiresAfter = checkSeconds(options.expiresAfter, "expiresAfter");
 * ```
 */
export function checkSeconds(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    fail(`${name} must be a positive whole number of seconds, got ${describe(value)}`);
  }
  return value;
}

/**
 * An optional `limit` (items per page of a listing, or most results of a search): a whole number from 1 to
 * 2147483647 (`undefined` when left out: the server's default), or one error naming the option and the range.
 *
 * @example
 * ```ts
 * request.limit = checkLimit(params.limit);
 * const limit = checkLimit(options.limit, "collectionsSearch() limit");
 * ```
 */
export function checkLimit(value: unknown, name = "limit"): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > INT32_MAX) {
    fail(
      `${name} must be a whole number from 1 to ${INT32_MAX}, got ${describe(value)}; leave it out for the server's default`,
    );
  }
  return value;
}

export function checkStringArray(name: string, value: unknown): string[] {
  if (!Array.isArray(value)) fail(`${name} must be an array of strings, got ${describe(value)}`);
  value.forEach((item, i) => {
    if (typeof item !== "string") fail(`${name}[${i}] must be a string, got ${describe(item)}`);
  });
  return value as string[];
}

export function checkDate(name: string, value: unknown): Date {
  const date = typeof value === "string" ? new Date(value) : value;
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    fail(`${name} must be a Date or an ISO 8601 string, got ${describe(value)}`);
  }
  return date;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Whether `value` is a protobuf-es message of the given type name. */
export function isMessageOf<T>(value: unknown, typeName: string): value is T {
  return (
    typeof value === "object" && value !== null && (value as { $typeName?: unknown }).$typeName === typeName
  );
}

/** The closest name among `known` (edit distance ≤ 3 or a snake_case/camelCase match), for "did you mean". */
export function closest(name: string, known: readonly string[]): string | undefined {
  const normalized = name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()).toLowerCase();
  let best: string | undefined;
  let bestDistance = 4;
  for (const candidate of known) {
    if (candidate.toLowerCase() === normalized) return candidate;
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** Rejects keys of `options` not in `known`, suggesting the closest known one. */
export function checkKnownKeys(what: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const guess = closest(key, known);
    fail(
      `${what} has no option ${JSON.stringify(key)}${guess ? `; did you mean ${JSON.stringify(guess)}?` : ""}`,
    );
  }
}

/** An options argument: `{}` when left out, else a plain object holding only `known` keys. */
export function checkOptions(
  what: string,
  options: unknown,
  known: readonly string[],
): Record<string, unknown> {
  if (options === undefined) return {};
  if (!isPlainObject(options)) fail(`${what} options must be an object, got ${describe(options)}`);
  checkKnownKeys(what, options, known);
  return options;
}

/**
 * Two optional string lists of which at most one may be non-empty (such as allowed and excluded domains);
 * a list left out is `[]`.
 */
export function checkExclusiveLists(
  what: string,
  options: Record<string, unknown>,
  first: string,
  second: string,
): [string[], string[]] {
  const list = (key: string) =>
    options[key] === undefined ? [] : checkStringArray(`${what} ${key}`, options[key]);
  const [a, b] = [list(first), list(second)];
  if (a.length && b.length) fail(`${what} takes ${first} or ${second}, not both`);
  return [a, b];
}

/** The optional `fromDate` and `toDate` options as timestamps, `fromDate` not after `toDate`. */
export function checkDateRange(
  what: string,
  options: Record<string, unknown>,
): { fromDate?: Timestamp; toDate?: Timestamp } {
  const fromDate =
    options.fromDate === undefined ? undefined : checkDate(`${what} fromDate`, options.fromDate);
  const toDate = options.toDate === undefined ? undefined : checkDate(`${what} toDate`, options.toDate);
  if (fromDate && toDate && fromDate > toDate) fail(`${what} fromDate is after toDate`);
  return { fromDate: fromDate && timestampFromDate(fromDate), toDate: toDate && timestampFromDate(toDate) };
}
