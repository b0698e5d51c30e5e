// Keyset pagination shared by the data services' list methods: a page token remembers the sort key and
// id of the last item returned, so deleting or adding items between pages never skips or repeats one.
import { Code, EmulatorError } from "../types.js";

/** A sort key: numbers and strings compare naturally (strings case-insensitively). */
export type SortKey = string | number;

/** How to cut one page out of a listing. */
export interface PageRequest<T> {
  /** Requested page size; 0 or unset means the default. */
  limit: number | undefined;
  /** The token returned with the previous page, if any. */
  token: string | undefined;
  /** Sort key of an item; ties are broken by `idOf`. */
  keyOf: (item: T) => SortKey;
  idOf: (item: T) => string;
  descending: boolean;
  defaultLimit?: number;
  maxLimit?: number;
}

/** One page of a listing and the token of the next one (absent on the last page). */
export interface PageResult<T> {
  items: T[];
  nextToken: string | undefined;
}

interface Cursor {
  k: SortKey;
  i: string;
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const sa = String(a).toLowerCase();
  const sb = String(b).toLowerCase();
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

function decodeCursor(token: string): Cursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (
      parsed !== null &&
      typeof parsed === "object" &&
      "k" in parsed &&
      "i" in parsed &&
      (typeof parsed.k === "string" || typeof parsed.k === "number") &&
      typeof parsed.i === "string"
    ) {
      return { k: parsed.k, i: parsed.i };
    }
  } catch {
    // reported below
  }
  throw new EmulatorError(
    Code.INVALID_ARGUMENT,
    "The pagination token is not valid: pass back the pagination_token of the previous page unchanged.",
  );
}

/**
 * Sorts `items` and returns the page after the token's position.
 *
 * @example
 * ```ts
 * const { items, nextToken } = pageOf(files, { limit: 10, token, keyOf: (f) => f.seq, idOf: (f) => f.id, descending: false });
 * ```
 */
export function pageOf<T>(all: Iterable<T>, request: PageRequest<T>): PageResult<T> {
  const { keyOf, idOf, descending } = request;
  const defaultLimit = request.defaultLimit ?? 100;
  const maxLimit = request.maxLimit ?? 1000;
  const limit = request.limit ?? 0;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new EmulatorError(
      Code.INVALID_ARGUMENT,
      `The limit must be a positive number of items (at most ${maxLimit}); got ${limit}.`,
    );
  }
  const size = limit === 0 ? defaultLimit : Math.min(limit, maxLimit);
  const direction = descending ? -1 : 1;
  const compare = (aKey: SortKey, aId: string, bKey: SortKey, bId: string): number =>
    compareKeys(aKey, bKey) * direction || (aId < bId ? -1 : aId > bId ? 1 : 0);
  const sorted = [...all].sort((a, b) => compare(keyOf(a), idOf(a), keyOf(b), idOf(b)));
  let start = 0;
  if (request.token) {
    const cursor = decodeCursor(request.token);
    start = sorted.findIndex((item) => compare(keyOf(item), idOf(item), cursor.k, cursor.i) > 0);
    if (start < 0) start = sorted.length;
  }
  const items = sorted.slice(start, start + size);
  const last = items.at(-1);
  const more = start + size < sorted.length;
  return {
    items,
    nextToken: more && last !== undefined ? encodeCursor({ k: keyOf(last), i: idOf(last) }) : undefined,
  };
}
