// The `filter` string of the list methods (files, collections, documents). The emulator accepts a small,
// documented language:
//   - clauses joined by AND (any case): `filename:report AND size>100`;
//   - a clause is `field op value` with op one of `=`, `!=`, `:` (contains), `>`, `>=`, `<`, `<=`;
//     the value may be double-quoted to hold spaces or operators;
//   - a clause without an operator is a case-insensitive "contains" on the listing's main field (the file
//     name, the collection name, the document name).
// Strings compare case-insensitively; numeric fields compare as numbers, dates as ISO-8601 instants.
import { Code, EmulatorError } from "../types.js";

/** A field value a filter can test; `undefined` never matches (except `!=`). */
export type FilterValue = string | number | Date | undefined;

/** The fields a listing exposes to filters. `dynamicPrefixes` admit e.g. `fields.<key>`. */
export interface FilterFields {
  names: readonly string[];
  mainField: string;
  dynamicPrefixes?: readonly string[];
}

type Operator = "=" | "!=" | ":" | ">" | ">=" | "<" | "<=";

interface Clause {
  field: string;
  op: Operator;
  value: string;
}

/** A compiled filter: tests one record given a reader of its fields. */
export type RecordPredicate = (read: (field: string) => FilterValue) => boolean;

// The value's trailing spaces are trimmed after the match: a lazy `(.*?)\s*$` would be quadratic in them.
const clausePattern = /^\s*([A-Za-z_][\w.-]*)\s*(!=|>=|<=|=|:|>|<)\s*(?:"((?:[^"\\]|\\.)*)"\s*$|(.*)$)/s;

/** The longest filter accepted, in characters. */
export const MAX_FILTER_CHARS = 10_000;

function invalid(filter: string, why: string): EmulatorError {
  return new EmulatorError(
    Code.INVALID_ARGUMENT,
    `The filter ${JSON.stringify(filter)} is not valid: ${why}. Write clauses like \`name:report AND size>100\`.`,
  );
}

const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);

/** Splits at ` AND ` (any case, any whitespace around it) outside quotes, in one pass. */
function splitClauses(filter: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  let i = 0;
  while (i < filter.length) {
    const c = filter[i];
    if (c === '"' && filter[i - 1] !== "\\") quoted = !quoted;
    if (quoted || !isSpace(c)) {
      i++;
      continue;
    }
    // A run of whitespace: ` AND ` when the word after it is "and" followed by whitespace.
    let j = i;
    while (isSpace(filter[j])) j++;
    if (filter.slice(j, j + 3).toLowerCase() === "and" && isSpace(filter[j + 3])) {
      let k = j + 3;
      while (isSpace(filter[k])) k++;
      parts.push(filter.slice(start, i));
      start = k;
      i = k;
    } else {
      i = j;
    }
  }
  parts.push(filter.slice(start));
  return parts;
}

function parseClause(filter: string, text: string, fields: FilterFields): Clause {
  const match = clausePattern.exec(text);
  if (!match) {
    const bare = text.trim();
    if (!bare) throw invalid(filter, "a clause is empty");
    return { field: fields.mainField, op: ":", value: bare.replace(/^"(.*)"$/s, "$1") };
  }
  const [, field, op, quoted, plain] = match;
  const known =
    fields.names.includes(field) || (fields.dynamicPrefixes ?? []).some((prefix) => field.startsWith(prefix));
  if (!known) {
    const allowed = [...fields.names, ...(fields.dynamicPrefixes ?? []).map((p) => `${p}<key>`)].join(", ");
    throw invalid(filter, `unknown field "${field}" (known fields: ${allowed})`);
  }
  const value = quoted !== undefined ? quoted.replace(/\\(.)/g, "$1") : (plain ?? "").trimEnd();
  return { field, op: op as Operator, value };
}

function compare(actual: FilterValue, op: Operator, expected: string): boolean {
  if (actual === undefined) return op === "!=";
  if (op === ":")
    return String(actual instanceof Date ? actual.toISOString() : actual)
      .toLowerCase()
      .includes(expected.toLowerCase());
  let left: number | string;
  let right: number | string;
  if (typeof actual === "number") {
    left = actual;
    right = Number(expected);
    if (Number.isNaN(right)) return op === "!=";
  } else if (actual instanceof Date) {
    left = actual.getTime();
    right = Date.parse(expected);
    if (Number.isNaN(right)) return op === "!=";
  } else {
    left = actual.toLowerCase();
    right = expected.toLowerCase();
  }
  switch (op) {
    case "=":
      return left === right;
    case "!=":
      return left !== right;
    case ">":
      return left > right;
    case ">=":
      return left >= right;
    case "<":
      return left < right;
    case "<=":
      return left <= right;
  }
}

/**
 * Compiles a filter string; an empty or absent filter matches everything.
 *
 * @example
 * ```ts
 * const matches = compileFilter("size>10", { names: ["filename", "size"], mainField: "filename" });
 * matches((field) => (field === "size" ? 42 : "notes.txt")); // true
 * ```
 */
export function compileFilter(filter: string | undefined, fields: FilterFields): RecordPredicate {
  if (filter === undefined || filter.trim() === "") return () => true;
  if (filter.length > MAX_FILTER_CHARS) {
    throw new EmulatorError(
      Code.INVALID_ARGUMENT,
      `The filter is ${filter.length} characters long; filters may be at most ${MAX_FILTER_CHARS} characters. Shorten it.`,
    );
  }
  const clauses = splitClauses(filter).map((text) => parseClause(filter, text, fields));
  return (read) => clauses.every((clause) => compare(read(clause.field), clause.op, clause.value));
}
