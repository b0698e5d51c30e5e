// Matching an incoming request against the recorded ones: same method, same proto JSON body once the ignored
// fields are dropped (or the user's own test), and the differences to report when nothing matches.
import type { JsonValue } from "@bufbuild/protobuf";
import type { CassetteCall } from "./format.js";

/**
 * How replay matches a request to a recorded call. Requests always match on the method first.
 *
 * @example
 * ```ts
 * const match: CassetteMatchOptions = { ignoreFields: ["user", "messages.content.text"] };
 * ```
 */
export interface CassetteMatchOptions {
  /**
   * Request fields left out of the comparison: dotted proto JSON names from the request's top
   * (`"temperature"`, `"messages.content"`); a path crosses arrays, so `"messages.content"` is every message's.
   */
  ignoreFields?: readonly string[];
  /**
   * Request fields left out of the comparison for some methods only: a method path
   * (`"/xai_api.BatchMgmt/AddBatchRequests"`, or `"BatchMgmt/AddBatchRequests"`) to dotted paths as in
   * `ignoreFields`. Default {@link DEFAULT_IGNORE_BY_METHOD}: fields that are new on every run by nature. A map
   * given here replaces the default: spread `DEFAULT_IGNORE_BY_METHOD` into it to extend it, give `{}` to
   * compare those fields too.
   */
  ignoreByMethod?: Readonly<Record<string, readonly string[]>>;
  /**
   * Your own comparison, instead of the equality of the bodies: the request and a recorded call's request
   * (proto JSON, without the fields `ignoreFields` and `ignoreByMethod` leave out; an array of messages for
   * uploads). Return true to match.
   */
  custom?: (received: JsonValue, recorded: JsonValue, call: CassetteCall) => boolean;
}

/**
 * The fields replay ignores by default, by method: those a client makes up afresh on every run. The
 * `batchRequestId` of each AddBatchRequests entry is one: `client.batch.add` gives a random UUID to every
 * request that names none. The replay still answers what was recorded, so calls that echo such an id (batch
 * results, request metadata) give the recording's id, not the one this run's add generated.
 *
 * @example
 * ```ts
 * const match: CassetteMatchOptions = {
 *   ignoreByMethod: { ...DEFAULT_IGNORE_BY_METHOD, "Chat/GetCompletion": ["user"] },
 * };
 * ```
 */
export const DEFAULT_IGNORE_BY_METHOD: Readonly<Record<string, readonly string[]>> = Object.freeze({
  "/xai_api.BatchMgmt/AddBatchRequests": Object.freeze(["batchRequests.batchRequestId"]),
});

/** The fields ignored for a call of `method`: `ignoreFields`, then those `ignoreByMethod` (or the default) names. */
export function ignoredFields(method: string, options: CassetteMatchOptions | undefined): string[] {
  const byMethod = options?.ignoreByMethod ?? DEFAULT_IGNORE_BY_METHOD;
  const out = [...(options?.ignoreFields ?? [])];
  for (const [name, paths] of Object.entries(byMethod)) {
    if (name === method || method.endsWith(`.${name.replace(/^\//, "")}`)) out.push(...paths);
  }
  return out;
}

/** One difference between a recorded request and a received one. */
export interface FieldDifference {
  /** `messages[0].content[0].text`; empty for the whole body. */
  path: string;
  recorded: JsonValue | undefined;
  received: JsonValue | undefined;
}

/** The request body of a recorded call, as compared. */
export function recordedBody(call: CassetteCall): JsonValue {
  return call.requests ?? call.request ?? {};
}

/** A copy of `value` without the fields at `paths`. */
export function withoutFields(value: JsonValue, paths: readonly string[]): JsonValue {
  if (paths.length === 0) return value;
  const copy = structuredClone(value);
  for (const path of paths)
    drop(
      copy,
      path.split(".").filter((part) => part !== ""),
    );
  return copy;
}

function drop(value: JsonValue, parts: string[]): void {
  if (parts.length === 0 || value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (const item of value) drop(item, parts);
    return;
  }
  const [head, ...rest] = parts as [string, ...string[]];
  if (rest.length === 0) delete value[head];
  else if (head in value) drop(value[head] as JsonValue, rest);
}

/** The differences between two JSON values, up to `limit` of them, in document order. */
export function differences(
  recorded: JsonValue | undefined,
  received: JsonValue | undefined,
  limit = 20,
): FieldDifference[] {
  const out: FieldDifference[] = [];
  walk(recorded, received, "", out, limit);
  return out;
}

function walk(
  a: JsonValue | undefined,
  b: JsonValue | undefined,
  path: string,
  out: FieldDifference[],
  limit: number,
): void {
  if (out.length >= limit) return;
  const bothObjects =
    a !== null &&
    b !== null &&
    typeof a === "object" &&
    typeof b === "object" &&
    Array.isArray(a) === Array.isArray(b);
  if (bothObjects && Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) walk(a[i], b[i], `${path}[${i}]`, out, limit);
    return;
  }
  if (bothObjects) {
    const ao = a as Record<string, JsonValue>;
    const bo = b as Record<string, JsonValue>;
    const keys = [...new Set([...Object.keys(ao), ...Object.keys(bo)])];
    for (const key of keys) walk(ao[key], bo[key], path === "" ? key : `${path}.${key}`, out, limit);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, recorded: a, received: b });
}

/** Whether two JSON values are equal (deep, key order ignored). */
export function sameJson(a: JsonValue, b: JsonValue): boolean {
  return differences(a, b, 1).length === 0;
}

function shown(value: JsonValue | undefined): string {
  if (value === undefined) return "absent";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `path (recorded X, received Y)` for each difference. */
export function describeDifferences(list: readonly FieldDifference[]): string {
  return list
    .map(
      (d) =>
        `${d.path === "" ? "the whole body" : d.path} (recorded ${shown(d.recorded)}, received ${shown(d.received)})`,
    )
    .join("; ");
}
