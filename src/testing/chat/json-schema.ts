// JSON Schema support for the chat emulator: checking that a schema sent by a client is well formed,
// and drawing a deterministic value that the schema accepts (tool-call arguments, structured outputs).
import { Ajv, type ValidateFunction } from "ajv";
import { Ajv2019 } from "ajv/dist/2019.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import { Code, EmulatorError } from "../types.js";
import { ajvRegExp, type BoundedRegExp, boundedRegExp } from "./bounded-regex.js";
import { keywords } from "./conversation.js";
import {
  CITIES,
  cityNamed,
  labelledNumber,
  labelledString,
  type Mention,
  mentionedValue,
  type PromptFacts,
  promptFacts,
  sliceFacts,
} from "./prompt-facts.js";
import { hash, type Rng } from "./random.js";
import { sampleRegex } from "./regex-sample.js";

/** A JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON Schema: an object of keywords, or `true`/`false`. */
export type JsonSchema = boolean | SchemaObject;
/** The object form of a JSON Schema (keywords are read defensively). */
export interface SchemaObject {
  [keyword: string]: unknown;
}

/** A schema that was parsed and compiled: its root and a validator for values. */
export interface CheckedSchema {
  root: JsonSchema;
  validate: (value: unknown) => boolean;
}

type AjvInstance = Ajv | Ajv2019 | Ajv2020;
// Patterns are matched with a time budget (bounded-regex.ts): a backtracking pattern cannot freeze the emulator.
const options = {
  strict: false,
  validateFormats: false,
  allErrors: false,
  code: { regExp: ajvRegExp },
} as const;
let drafts: { d7: Ajv; d2019: Ajv2019; d2020: Ajv2020 } | undefined;

function ajvFor(schema: JsonSchema): { ajv: AjvInstance; schema: JsonSchema } {
  drafts ??= { d7: new Ajv(options), d2019: new Ajv2019(options), d2020: new Ajv2020(options) };
  if (typeof schema !== "object") return { ajv: drafts.d7, schema };
  const declared = typeof schema.$schema === "string" ? schema.$schema : "";
  if (declared.includes("2020-12")) return { ajv: drafts.d2020, schema };
  if (declared.includes("2019-09")) return { ajv: drafts.d2019, schema };
  if (declared.includes("draft-07") || declared === "") {
    return { ajv: drafts.d7, schema };
  }
  // Older drafts (04, 06) and unknown dialects: read as draft-07, which accepts their common keywords.
  const { $schema: _ignored, ...rest } = schema;
  return { ajv: drafts.d7, schema: rest };
}

function compile(schema: JsonSchema): ValidateFunction {
  const chosen = ajvFor(schema);
  // Schemas with an `$id` would collide in the shared instance's registry: compile those in a fresh one.
  if (typeof chosen.schema === "object" && "$id" in chosen.schema) {
    const Fresh = chosen.ajv.constructor as new (o: typeof options) => AjvInstance;
    return new Fresh(options).compile(chosen.schema);
  }
  const validate = chosen.ajv.compile(chosen.schema);
  chosen.ajv.removeSchema(chosen.schema as object);
  return validate;
}

/** Schemas already checked, by their text, least recently used first; bounded by the texts' total size. */
const checkedCache = new Map<string, CheckedSchema>();
let cachedChars = 0;
/** Characters of schema text the cache keeps in all (about 8 MiB); a larger text is not cached. */
const CACHE_CHARS = 4 * 1024 * 1024;
const CACHE_ONE_CHARS = 256 * 1024;

function remember(text: string, checked: CheckedSchema): void {
  if (text.length > CACHE_ONE_CHARS) return;
  checkedCache.set(text, checked);
  cachedChars += text.length;
  for (const oldest of checkedCache.keys()) {
    if (cachedChars <= CACHE_CHARS) break;
    checkedCache.delete(oldest);
    cachedChars -= oldest.length;
  }
}

/**
 * Empties the cache of checked schemas (the emulator's `reset()` and `stop()` call it).
 *
 * @example
 * ```ts
 * clearSchemaCache();
 * ```
 */
export function clearSchemaCache(): void {
  checkedCache.clear();
  cachedChars = 0;
}

/**
 * Parses and compiles a JSON Schema given as text. Throws INVALID_ARGUMENT with a sentence that names
 * `where` when the text is not JSON, not a schema object, or not a valid schema. Valid schemas are cached
 * (bounded by size); invalid ones are not.
 *
 * @example
 * ```ts
 * const { validate } = checkSchemaText('{"type":"object"}', "tools[0].function.parameters");
 * validate({}); // true
 * ```
 */
export function checkSchemaText(text: string, where: string): CheckedSchema {
  const cached = checkedCache.get(text);
  if (cached) {
    checkedCache.delete(text);
    checkedCache.set(text, cached);
    return cached;
  }
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    throw new EmulatorError(
      Code.INVALID_ARGUMENT,
      `${where} is not valid JSON (${(error as Error).message}); send a JSON Schema object serialized as JSON.`,
    );
  }
  if (typeof root !== "object" || root === null || Array.isArray(root)) {
    throw new EmulatorError(
      Code.INVALID_ARGUMENT,
      `${where} must be a JSON Schema object, for example {"type": "object", "properties": {}}.`,
    );
  }
  let validate: ValidateFunction;
  try {
    validate = compile(root as SchemaObject);
  } catch (error) {
    if (error instanceof EmulatorError) throw error;
    throw new EmulatorError(
      Code.INVALID_ARGUMENT,
      `${where} is not a valid JSON Schema: ${(error as Error).message}.`,
    );
  }
  const result: CheckedSchema = {
    root: root as SchemaObject,
    validate: (value) => validate(value) as boolean,
  };
  remember(text, result);
  return result;
}

/** What the generator may use to make values look related to the conversation. */
export interface ValueHints {
  /** Salient words or phrases of the user's message (capitalized words, quoted phrases), in order. */
  phrases: readonly string[];
  /** The user's message: values are read from what it names (see prompt-facts.ts). */
  message: string;
  /**
   * The part of `message` this value answers (`[start, end)`, a clause such as "the time in Tokyo" for
   * one of several tool calls): what it names is used first, then the rest of the message.
   */
  focus?: readonly [number, number];
}

const NO_HINTS: ValueHints = { phrases: [], message: "" };

type Category = Exclude<keyof PromptFacts, "text">;

function firstOf<T>(texts: readonly string[], find: (text: string) => T | undefined): T | undefined {
  for (const text of texts) {
    const found = find(text);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The prompt's facts in the order values use them: the focus clause's first, then the whole message's. */
class FactSource {
  readonly texts: string[];
  private readonly sources: PromptFacts[];
  private readonly merged = new Map<Category, Mention<unknown>[]>();

  constructor(readonly hints: ValueHints) {
    const whole = promptFacts(hints.message);
    const focus = hints.focus ? sliceFacts(whole, hints.focus[0], hints.focus[1]) : undefined;
    this.sources = focus ? [focus, whole] : [whole];
    this.texts = focus?.text.trim() ? [focus.text, hints.message] : [hints.message];
  }

  private words: string[] | undefined;
  // Lookups are the same for every attempt of a generation: computed once.
  private readonly numbers = new Map<string, number | undefined>();
  private readonly strings = new Map<string, string | undefined>();
  private readonly mentions = new Map<unknown, unknown>();

  labelledNumber(key: string): number | undefined {
    if (!this.numbers.has(key)) {
      this.numbers.set(
        key,
        firstOf(this.texts, (text) => labelledNumber(text, key)),
      );
    }
    return this.numbers.get(key);
  }

  labelledString(key: string): string | undefined {
    if (!this.strings.has(key)) {
      this.strings.set(
        key,
        firstOf(this.texts, (text) => labelledString(text, key)),
      );
    }
    return this.strings.get(key);
  }

  /** The first of `values` the texts mention (keyed by the array: schemas are parsed once and cached). */
  mentioned<T>(values: readonly T[]): T | undefined {
    if (!this.mentions.has(values)) {
      this.mentions.set(
        values,
        firstOf(this.texts, (text) => mentionedValue(text, values)),
      );
    }
    return this.mentions.get(values) as T | undefined;
  }

  /** Salient words of the texts (focus first), each once. */
  get keywords(): string[] {
    this.words ??= [...new Set(this.texts.flatMap((t) => keywords(t, 8)))];
    return this.words;
  }

  list(category: Category): Mention<unknown>[] {
    let list = this.merged.get(category);
    if (!list) {
      const seen = new Set<number>();
      list = [];
      for (const source of this.sources) {
        for (const item of source[category] as Mention<unknown>[]) {
          if (!seen.has(item.index)) list.push(item);
          seen.add(item.index);
        }
      }
      this.merged.set(category, list);
    }
    return list;
  }
}

/** One generation's view of the facts: each fact fills one value (two `city` fields get two cities). */
class FactReader {
  private readonly used = new Map<Category, Set<number>>();

  constructor(readonly source: FactSource) {}

  /** The next unused fact of a category (preferring those `prefer` accepts), marked used. */
  take<T>(category: Category, prefer?: (m: Mention<T>) => boolean): T | undefined {
    const used = this.used.get(category) ?? new Set<number>();
    this.used.set(category, used);
    const free = (this.source.list(category) as Mention<T>[]).filter((m) => !used.has(m.index));
    const chosen = (prefer ? free.find(prefer) : undefined) ?? free[0];
    if (!chosen) return undefined;
    used.add(chosen.index);
    return chosen.value;
  }

  /** The first fact of a category, used or not. */
  peek<T>(category: Category): T | undefined {
    return (this.source.list(category)[0] as Mention<T> | undefined)?.value;
  }

  labelledNumber(key: string): number | undefined {
    return this.source.labelledNumber(key);
  }

  labelledString(key: string): string | undefined {
    return this.source.labelledString(key);
  }

  mentioned<T>(values: readonly T[]): T | undefined {
    return this.source.mentioned(values);
  }

  /** Whether the prompt gives a value for this property: "3 days" for `days`, a mentioned enum value. */
  gives(key: string, schema: unknown): boolean {
    if (this.labelledNumber(key) !== undefined || this.labelledString(key) !== undefined) return true;
    const k = key.toLowerCase();
    const list = (category: Category) => this.source.list(category).length > 0;
    if (/currenc/.test(k) && list("currencies")) return true;
    if (/city|location|place|destination|origin/.test(k) && list("places")) return true;
    if (/date|deadline|birthday/.test(k) && list("dates")) return true;
    if (/e-?mail/.test(k) && list("emails")) return true;
    const values = isObject(schema) && Array.isArray(schema.enum) ? (schema.enum as unknown[]) : undefined;
    return values !== undefined && this.mentioned(values) !== undefined;
  }

  /** Salient words of the focus clause, then of the message. */
  get keywords(): string[] {
    return this.source.keywords;
  }

  /** The focus clause, else the message. */
  get focusText(): string {
    return this.source.texts[0];
  }
}

/**
 * Draws a value that `checked` accepts: generation guided by the keywords, then checked with the
 * compiled validator; a few independent draws are tried before giving up on the best effort.
 *
 * @example
 * ```ts
 * const schema = checkSchemaText('{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}', "x");
 * generateValid(schema, new Rng(7)); // { city: "Paris" }
 * ```
 */
export function generateValid(checked: CheckedSchema, rng: Rng, hints: ValueHints = NO_HINTS): JsonValue {
  let value: JsonValue = null;
  const facts = new FactSource(hints);
  for (let attempt = 0; attempt < 12; attempt++) {
    const generator = new Generator(checked.root, rng.fork(attempt), hints, new FactReader(facts), attempt);
    value = generator.value(checked.root, "", 0);
    if (checked.validate(value)) return value;
  }
  return value;
}

const SOME_CITIES = CITIES.slice(0, 8);
const COUNTRIES = ["France", "Japan", "Portugal", "Kenya", "Canada", "Australia", "Norway", "Peru"];
const NAMES = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Katherine Johnson", "Claude Shannon"];
const COLORS = ["red", "green", "blue", "amber", "violet"];
const WORDS = ["alpha", "bravo", "cobalt", "delta", "ember", "falcon", "garnet", "harbor", "iris", "juniper"];
const SENTENCES = [
  "A concise summary of the request.",
  "The requested details, in brief.",
  "An example value chosen by the emulator.",
  "Details derived from the conversation.",
];

/** Plausible items for list-like fields the prompt cannot fill, in order (first item first). */
const LEXICON: [RegExp, readonly string[]][] = [
  [/ingredient/, ["flour", "milk", "eggs", "butter", "sugar", "baking powder", "salt", "vanilla extract"]],
  [
    /step|instruction|direction/,
    ["Mix the dry ingredients.", "Add the wet ingredients.", "Cook until done."],
  ],
  [/fruit/, ["apple", "banana", "orange", "mango", "pear"]],
  [/animal|pet/, ["cat", "dog", "fox", "owl", "otter"]],
  [/skill/, ["TypeScript", "gRPC", "testing", "design"]],
];

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

function listed(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

/** Names of money fields: they take the prompt's amounts ("$42" → 42). */
const MONEY_KEY =
  /amount|price|cost|total|sum|budget|salary|fee|balance|payment|usd|eur|dollar|spend|tip|value/;
/** Names of count-like fields: they take the prompt's positive numbers ("top 3" → 3). */
const COUNT_KEY =
  /count|number|num|quantity|qty|limit|max|min|top|size|^n$|^k$|results|items|people|guests|persons|seats|minutes|hours|seconds|days|weeks|months|nights|times|retries|attempts|page|level|rating|stars|age|servings|portions/;

/** A plausible range for a number field with no bound and no value in the prompt. */
function defaultRange(key: string, integer: boolean): [number, number] {
  const k = key.toLowerCase();
  if (/lat/.test(k)) return [-90, 90];
  if (/lon|lng/.test(k)) return [-180, 180];
  if (/temp/.test(k)) return [-10, 35];
  if (/confidence|probability|likelihood|score|weight|ratio/.test(k) && !integer) return [0, 1];
  if (/percent|pct/.test(k)) return [0, 100];
  if (/rating|stars/.test(k)) return [1, 5];
  if (/year/.test(k)) return [2000, 2030];
  if (MONEY_KEY.test(k)) return [5, 500];
  return integer ? [1, 10] : [1, 100];
}

/** The most characters a generated string may need (`minLength`). */
export const MAX_STRING_CHARS = 100_000;
/** The most items a generated array may need (`minItems`). */
export const MAX_ARRAY_ITEMS = 10_000;
/** The most a generated value may weigh in all (characters of its strings plus 8 per value). */
export const MAX_VALUE_SIZE = 2_000_000;
/** The longest `pattern` the emulator samples. */
export const MAX_PATTERN_CHARS = 10_000;

function tooLarge(what: string): EmulatorError {
  return new EmulatorError(
    Code.INVALID_ARGUMENT,
    `The JSON Schema asks for ${what}; lower the bound (the emulator generates values of a size a model would answer).`,
  );
}

function isObject(value: unknown): value is SchemaObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

class Generator {
  private hintCursor = 0;
  private keywordCursor = 0;
  private lexiconCursor = 0;
  /** What the value may still weigh (see {@link MAX_VALUE_SIZE}). */
  private budget = MAX_VALUE_SIZE;

  constructor(
    private readonly root: JsonSchema,
    private readonly rng: Rng,
    private readonly hints: ValueHints,
    private readonly facts: FactReader,
    private readonly attempt: number,
  ) {}

  /** Counts `size` against the value's budget; throws INVALID_ARGUMENT past it. */
  private spend(size: number): void {
    this.budget -= size;
    if (this.budget < 0) {
      throw tooLarge(
        `a value larger than the emulator generates (over ${MAX_VALUE_SIZE} characters in all, e.g. nested arrays with a large minItems)`,
      );
    }
  }

  value(schema: unknown, key: string, depth: number): JsonValue {
    this.spend(8);
    if (schema === true || schema === undefined) return this.string({}, key);
    if (schema === false || !isObject(schema)) return null;
    if (depth > 12) return null;
    let s = schema;
    if (typeof s.$ref === "string") {
      const target = this.resolve(s.$ref);
      const { $ref: _ref, ...siblings } = s;
      s = isObject(target) ? { ...target, ...siblings } : siblings;
      if (Object.keys(s).length === 0) return this.string({}, key);
      return this.value(s, key, depth + 1);
    }
    if (Array.isArray(s.allOf) && s.allOf.length > 0) {
      return this.value(this.mergeAll(s), key, depth + 1);
    }
    if ("const" in s) return s.const as JsonValue;
    if (Array.isArray(s.enum) && s.enum.length > 0) {
      // The value the prompt mentions ("in fahrenheit"), else one drawn.
      return this.facts.mentioned(s.enum as JsonValue[]) ?? this.pickPreferNonNull(s.enum as JsonValue[]);
    }
    const branches = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined;
    if (branches && branches.length > 0) {
      const { anyOf: _a, oneOf: _o, ...base } = s;
      const usable = branches.filter((b) => !(isObject(b) && b.type === "null"));
      const pool = usable.length > 0 ? usable : branches;
      const branch = this.attempt === 0 ? pool[0] : this.rng.pick(pool);
      return this.value(isObject(branch) ? { ...base, ...branch } : branch, key, depth + 1);
    }
    switch (this.typeOf(s)) {
      case "object":
        return this.object(s, depth);
      case "array":
        return this.array(s, key, depth);
      case "integer":
        return this.number(s, true, key);
      case "number":
        return this.number(s, false, key);
      case "boolean":
        return this.rng.next() < 0.5;
      case "null":
        return null;
      default:
        return this.string(s, key);
    }
  }

  private resolve(ref: string): unknown {
    if (!ref.startsWith("#")) return {};
    const path = ref.slice(1).split("/").filter(Boolean);
    let node: unknown = this.root;
    for (const raw of path) {
      const part = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
      if (!isObject(node) && !Array.isArray(node)) return {};
      node = (node as Record<string, unknown>)[part];
    }
    return node ?? {};
  }

  private mergeAll(s: SchemaObject): SchemaObject {
    const { allOf, ...base } = s;
    let merged: SchemaObject = { ...base };
    for (const part of allOf as unknown[]) {
      const resolved = isObject(part) && typeof part.$ref === "string" ? this.resolve(part.$ref) : part;
      if (!isObject(resolved)) continue;
      const properties = { ...(merged.properties as object), ...(resolved.properties as object) };
      const required = [...((merged.required as string[]) ?? []), ...((resolved.required as string[]) ?? [])];
      merged = { ...merged, ...resolved, properties, required };
    }
    return merged;
  }

  private typeOf(s: SchemaObject): string {
    const type = s.type;
    if (typeof type === "string") return type;
    if (Array.isArray(type) && type.length > 0) {
      const nonNull = type.filter((t) => t !== "null");
      return String(nonNull[0] ?? type[0]);
    }
    if (s.properties || s.additionalProperties || s.required || s.minProperties) return "object";
    if (s.items || s.prefixItems || s.minItems !== undefined || s.maxItems !== undefined) return "array";
    if (s.minimum !== undefined || s.maximum !== undefined || s.multipleOf !== undefined) return "number";
    if (s.exclusiveMinimum !== undefined || s.exclusiveMaximum !== undefined) return "number";
    return "string";
  }

  private pickPreferNonNull(values: JsonValue[]): JsonValue {
    const nonNull = values.filter((v) => v !== null);
    const pool = nonNull.length > 0 ? nonNull : values;
    return this.attempt === 0 && pool.length > 0 ? this.rng.pick(pool) : this.rng.pick(values);
  }

  private object(s: SchemaObject, depth: number): JsonValue {
    const out: { [key: string]: JsonValue } = {};
    const properties = isObject(s.properties) ? s.properties : {};
    const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
    for (const [name, sub] of Object.entries(properties)) {
      // Optional fields appear when the prompt gives them ("for 3 days" → days), else now and then.
      const given = this.facts.gives(name, sub);
      if (required.has(name) || given || this.rng.next() < 0.6) out[name] = this.value(sub, name, depth + 1);
    }
    for (const name of required) {
      if (!(name in out)) out[name] = this.value(true, name, depth + 1);
    }
    const minProperties = asNumber(s.minProperties) ?? 0;
    const extraSchema = s.additionalProperties;
    for (let i = 0; Object.keys(out).length < minProperties && i < 64; i++) {
      const name = Object.keys(properties).find((p) => !(p in out)) ?? `extra_${i + 1}`;
      const sub = name in properties ? properties[name] : extraSchema === false ? true : extraSchema;
      out[name] = this.value(sub ?? true, name, depth + 1);
    }
    const maxProperties = asNumber(s.maxProperties);
    if (maxProperties !== undefined) {
      for (const name of Object.keys(out)) {
        if (Object.keys(out).length <= maxProperties) break;
        if (!required.has(name)) delete out[name];
      }
    }
    return out;
  }

  private array(s: SchemaObject, key: string, depth: number): JsonValue {
    const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : undefined;
    const itemSchema = tuple ? (s.additionalItems ?? (Array.isArray(s.items) ? true : s.items)) : s.items;
    const min = Math.max(asNumber(s.minItems) ?? 0, tuple?.length ?? 0);
    if (min > MAX_ARRAY_ITEMS) {
      throw tooLarge(
        `arrays of at least ${min} items (minItems); the emulator generates at most ${MAX_ARRAY_ITEMS}`,
      );
    }
    const max = asNumber(s.maxItems) ?? Math.max(min, 3);
    const count = Math.min(max, Math.max(min, this.rng.int(1, 3)));
    const out: JsonValue[] = [];
    const seen = new Set<string>();
    const singular = key.endsWith("s") ? key.slice(0, -1) : key;
    for (let i = 0; out.length < count && i < count * 8 + 8; i++) {
      const position = out.length;
      const sub = tuple && position < tuple.length ? tuple[position] : itemSchema;
      const item = this.value(sub ?? true, singular, depth + 1);
      if (s.uniqueItems === true) {
        const fingerprint = JSON.stringify(item);
        if (seen.has(fingerprint)) continue;
        seen.add(fingerprint);
      }
      out.push(item);
    }
    if (s.contains !== undefined && out.length < (asNumber(s.maxItems) ?? Number.POSITIVE_INFINITY)) {
      out.push(this.value(s.contains, singular, depth + 1));
    }
    return out;
  }

  private number(s: SchemaObject, integer: boolean, key: string): number {
    const exclusiveMin =
      asNumber(s.exclusiveMinimum) ?? (s.exclusiveMinimum === true ? asNumber(s.minimum) : undefined);
    const exclusiveMax =
      asNumber(s.exclusiveMaximum) ?? (s.exclusiveMaximum === true ? asNumber(s.maximum) : undefined);
    const step = integer ? 1 : 0.01;
    let lo = asNumber(s.minimum) ?? Number.NEGATIVE_INFINITY;
    let hi = asNumber(s.maximum) ?? Number.POSITIVE_INFINITY;
    if (exclusiveMin !== undefined) lo = Math.max(lo, exclusiveMin + step);
    if (exclusiveMax !== undefined) hi = Math.min(hi, exclusiveMax - step);
    const multipleOf = asNumber(s.multipleOf);
    const fits = (v: number) =>
      Number.isFinite(v) &&
      v >= lo &&
      v <= hi &&
      (!integer || Number.isInteger(v)) &&
      (multipleOf === undefined ||
        multipleOf <= 0 ||
        Number.isInteger(Number((v / multipleOf).toPrecision(12))));
    for (const candidate of this.numberCandidates(key, integer)) if (fits(candidate)) return candidate;
    // Nothing in the prompt: a plausible value for the name, within the schema's bounds.
    const [dlo, dhi] = defaultRange(key, integer);
    let a: number;
    let b: number;
    if (Number.isFinite(lo) && Number.isFinite(hi)) {
      [a, b] = Math.max(lo, dlo) <= Math.min(hi, dhi) ? [Math.max(lo, dlo), Math.min(hi, dhi)] : [lo, hi];
    } else if (Number.isFinite(lo)) {
      a = Math.max(lo, dlo);
      b = a > dhi ? a + (dhi - dlo) : dhi;
    } else if (Number.isFinite(hi)) {
      b = Math.min(hi, dhi);
      a = b < dlo ? b - (dhi - dlo) : dlo;
    } else {
      [a, b] = [dlo, dhi];
    }
    if (multipleOf !== undefined && multipleOf > 0) {
      const first = Math.ceil(a / multipleOf);
      const last = Math.floor(b / multipleOf);
      const k = last >= first ? this.rng.int(first, Math.min(last, first + 50)) : first;
      return Number((k * multipleOf).toPrecision(12));
    }
    if (integer) return this.rng.int(Math.ceil(a), Math.floor(b));
    const value = a + this.rng.next() * (b - a);
    return Math.min(b, Math.max(a, Math.round(value * 100) / 100));
  }

  /** Numbers the prompt gives for this name: "5 minutes" for `minutes`, "$42" for `amount`, "3" for `count`. */
  private numberCandidates(key: string, integer: boolean): number[] {
    const k = key.toLowerCase();
    const out: number[] = [];
    const labelled = this.facts.labelledNumber(key);
    if (labelled !== undefined) out.push(labelled);
    if (MONEY_KEY.test(k)) {
      const amount = this.facts.take<number>("amounts") ?? this.facts.take<number>("numbers");
      if (amount !== undefined) out.push(integer ? Math.round(amount) : amount);
    } else if (/year/.test(k)) {
      const year = this.facts.take<number>("numbers", (m) => m.value >= 1000 && m.value <= 2999);
      const date = this.facts.peek<string>("dates");
      if (year !== undefined) out.push(year);
      else if (date) out.push(Number(date.slice(0, 4)));
    } else if (COUNT_KEY.test(k)) {
      const n = this.facts.take<number>("numbers", (m) => m.value > 0);
      if (n !== undefined) out.push(n);
    }
    return out;
  }

  private string(s: SchemaObject, key: string): string {
    const format = typeof s.format === "string" ? s.format : undefined;
    let text: string | undefined;
    if (format) text = this.formatted(format);
    const minLength = asNumber(s.minLength) ?? 0;
    if (minLength > MAX_STRING_CHARS) {
      throw tooLarge(
        `strings of at least ${minLength} characters (minLength); the emulator generates at most ${MAX_STRING_CHARS}`,
      );
    }
    if (text === undefined && typeof s.pattern === "string") {
      if (s.pattern.length > MAX_PATTERN_CHARS) {
        throw tooLarge(
          `a pattern of ${s.pattern.length} characters; the emulator samples at most ${MAX_PATTERN_CHARS}`,
        );
      }
      let regex: BoundedRegExp | undefined;
      try {
        regex = boundedRegExp(s.pattern, "u");
      } catch {
        regex = undefined;
      }
      // What the name asks for, when the pattern accepts it ("Asia/Tokyo" for a zone); else a sample.
      const keyed = this.keyed(key);
      if (regex?.test(keyed)) text = keyed;
      for (let i = 0; i < 8 && regex && text === undefined; i++) {
        const sample = sampleRegex(s.pattern, this.rng.fork(`pattern${i}`));
        if (sample !== undefined && regex.test(sample)) text = sample;
      }
    }
    text ??= this.keyed(key);
    const maxLength = asNumber(s.maxLength);
    const chars = Array.from(text);
    while (chars.length < minLength) chars.push(...Array.from(` ${this.rng.pick(WORDS)}`));
    if (maxLength !== undefined && chars.length > maxLength) chars.length = Math.max(0, maxLength);
    if (chars.length > minLength && chars[chars.length - 1] === " ") chars.pop();
    this.spend(chars.length);
    return chars.join("");
  }

  private nextPhrase(): string | undefined {
    const phrase = this.hints.phrases[this.hintCursor];
    if (phrase !== undefined) this.hintCursor++;
    return phrase;
  }

  private place(k: string): string | undefined {
    const from = /origin|from|departure|source|start/.test(k);
    const to = /destination|(^|_)to$|arrival|target|end/.test(k);
    const prefer = from
      ? (m: Mention<string>) => m.before === "from"
      : to
        ? (m: Mention<string>) => m.before === "to"
        : undefined;
    return this.facts.take<string>("places", prefer);
  }

  private keyed(key: string): string {
    const k = key.toLowerCase();
    const labelled = this.facts.labelledString(key);
    if (labelled !== undefined) return labelled;
    if (/currenc/.test(k)) {
      const second = /(^|_)to$|^to|target|quote|into/.test(k);
      const first = /from|source|base/.test(k);
      const prefer = second ? (m: Mention<string>) => m.before === "to" || m.before === "into" : undefined;
      const found = this.facts.take<string>("currencies", first ? (m) => m.before !== "to" : prefer);
      return found ?? this.rng.pick(["USD", "EUR", "JPY"]);
    }
    if (/time_?zone|(^|_)tz$|^tz|zone/.test(k)) {
      const known = this.facts.source.list("places").find((m) => cityNamed(m.value as string));
      return cityNamed((known?.value as string) ?? "")?.timezone ?? this.rng.pick(SOME_CITIES).timezone;
    }
    if (/city|town|location|place|destination|origin|where|venue|address|region/.test(k))
      return (
        this.place(k) ??
        this.facts.take<string>("names") ??
        this.nextPhrase() ??
        this.rng.pick(SOME_CITIES).name
      );
    if (/country|nation/.test(k)) {
      const place = this.facts.peek<string>("places");
      return (
        this.facts.take<string>("countries") ??
        (place ? cityNamed(place)?.country : undefined) ??
        this.rng.pick(COUNTRIES)
      );
    }
    if (/e-?mail/.test(k)) return this.facts.take<string>("emails") ?? `${this.rng.pick(WORDS)}@example.com`;
    if (/url|link|website|href/.test(k))
      return this.facts.take<string>("urls") ?? `https://example.com/${this.rng.pick(WORDS)}`;
    if (/date|day|birthday|deadline|due/.test(k)) return this.formatted("date") as string;
    if (/time/.test(k)) return this.formatted("date-time") as string;
    if (/colou?r/.test(k)) return this.facts.take<string>("colours") ?? this.rng.pick(COLORS);
    if (/unit/.test(k)) {
      return (
        this.facts.mentioned(["celsius", "fahrenheit", "metric", "imperial"]) ??
        this.rng.pick(["celsius", "fahrenheit"])
      );
    }
    if (/lang/.test(k)) return this.facts.take<string>("languages") ?? "English";
    if (/^id$|_id$|Id$/.test(key) || k === "id")
      return `id_${(hash(key, this.rng.next()) % 100000).toString(36)}`;
    if (/query|question|prompt|search|^q$|input|text|message|content/.test(k)) {
      return this.facts.focusText.trim().slice(0, 120) || this.rng.pick(SENTENCES);
    }
    const topic = this.facts.keywords;
    if (/description|summary|reason|note|comment|explanation|answer/.test(k)) {
      return topic.length > 0 ? `About ${listed(topic.slice(0, 3))}.` : this.rng.pick(SENTENCES);
    }
    if (/author|person|user|recipient|contact|owner|customer|sender/.test(k))
      return this.facts.take<string>("names") ?? this.nextPhrase() ?? this.rng.pick(NAMES);
    if (/name|title|headline|subject|label/.test(k)) {
      const named = this.facts.take<string>("names") ?? this.nextPhrase();
      if (named) return named;
      // "A quick pancake recipe" → "Quick Pancake Recipe".
      return topic.length > 0 ? topic.slice(0, 4).map(capitalised).join(" ") : this.rng.pick(NAMES);
    }
    for (const [pattern, pool] of LEXICON) {
      if (pattern.test(k)) return pool[this.lexiconCursor++ % pool.length];
    }
    if (/keyword|tag|topic|categor|subject|theme/.test(k)) {
      const word = topic[this.keywordCursor++];
      if (word) return word;
    }
    return (
      this.facts.take<string>("names") ??
      this.nextPhrase() ??
      topic[this.keywordCursor++] ??
      this.rng.pick(WORDS)
    );
  }

  private formatted(format: string): string | undefined {
    if (format === "date" || format === "date-time") {
      const named = this.facts.take<string>("dates");
      if (named) return format === "date" ? named : `${named}T09:00:00Z`;
    }
    if (format === "email" || format === "idn-email") {
      const named = this.facts.take<string>("emails");
      if (named) return named;
    }
    if (format === "uri" || format === "url" || format === "iri") {
      const named = this.facts.take<string>("urls");
      if (named) return named;
    }
    const day = this.rng.int(0, 3650);
    const date = new Date(Date.UTC(2020, 0, 1) + day * 86_400_000 + this.rng.int(0, 86_399) * 1000);
    const iso = date.toISOString().replace(/\.\d{3}Z$/, "Z");
    const hex = (n: number) => (hash(n, this.rng.next()) >>> 0).toString(16).padStart(8, "0");
    switch (format) {
      case "date-time":
        return iso;
      case "date":
        return iso.slice(0, 10);
      case "time":
        return `${iso.slice(11, 19)}Z`;
      case "email":
      case "idn-email":
        return `${this.rng.pick(WORDS)}@example.com`;
      case "uri":
      case "url":
      case "iri":
        return `https://example.com/${this.rng.pick(WORDS)}`;
      case "uri-reference":
      case "iri-reference":
        return `/${this.rng.pick(WORDS)}`;
      case "hostname":
      case "idn-hostname":
        return `${this.rng.pick(WORDS)}.example.com`;
      case "ipv4":
        return `192.0.2.${this.rng.int(1, 254)}`;
      case "ipv6":
        return `2001:db8::${this.rng.int(1, 0xfff).toString(16)}`;
      case "uuid": {
        const h = hex(1) + hex(2) + hex(3) + hex(4);
        return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
      }
      case "duration":
        return `P${this.rng.int(1, 30)}D`;
      case "regex":
        return "^[a-z]+$";
      case "json-pointer":
        return `/${this.rng.pick(WORDS)}`;
      default:
        return undefined;
    }
  }
}
