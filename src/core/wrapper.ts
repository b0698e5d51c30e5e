import { inspect } from "node:util";
import { type DescMessage, type MessageShape, toJson } from "@bufbuild/protobuf";

/** What the readable views of a wrapper are made for: `toJSON()` (complete, JSON-safe) or `util.inspect` (a glance). */
type View = "json" | "inspect";

/** Field names of each wrapper class, in declaration order (base class first), computed once per class. */
const FIELDS = new WeakMap<object, readonly string[]>();

/** Instance properties that are plumbing, not fields. */
const NOT_FIELDS = new Set(["proto", "schema"]);

/** Strings longer than this that are only base64 (or a base64 data URL) are summarised by `util.inspect`. */
const INSPECT_BASE64_LIMIT = 256;

/**
 * Base of every object that wraps a response message. The message stays reachable as `.proto`; `toJSON()` and
 * `util.inspect` (`console.log`) show the wrapper's readable fields — its getters and public properties, e.g.
 * `finishReason: "stop"`, `size: 10485760`, dates as dates — not the message.
 *
 * `toJSON()` is complete and JSON-safe: dates become ISO 8601 strings, bytes base64, `Float32Array` vectors
 * arrays of numbers, nested wrappers their own `toJSON()`, messages returned by a getter their fields
 * (enums as numbers, 64-bit integers as numbers when exact, else strings), and nested `.proto` references are
 * left out. `util.inspect` shows the same fields but summarises long base64 strings. A class hides fields that
 * only repeat others by listing them in `static hiddenFields`; a class without getters shows its message's fields.
 *
 * @example
 * ```ts
 * const model = await client.models.getLanguageModel("grok-4");
 * console.log(model); // LanguageModelInfo { name: 'grok-4', aliases: [...], prices: { promptText: 3, ... }, ... }
 * JSON.stringify(model); // {"name":"grok-4","aliases":[...],"prices":{...},...}
 * model.proto.maxPromptLength; // the raw message
 * ```
 */
export abstract class ProtoWrapper<S extends DescMessage> {
  /** Getters a class leaves out of `toJSON()` and `util.inspect` because they repeat other fields. */
  protected static readonly hiddenFields: readonly string[] = [];
  /** The generated message this object wraps. */
  readonly proto: MessageShape<S>;
  /** @internal */
  protected readonly schema: S;

  protected constructor(schema: S, proto: MessageShape<S>) {
    this.schema = schema;
    this.proto = proto;
  }

  /**
   * The readable fields as a JSON-safe object (see the class description). The raw message as proto3 JSON is
   * `protoToJson(schema, wrapper.proto)`.
   */
  toJSON(): Record<string, unknown> {
    return readableFields(this, "json");
  }

  [inspect.custom](depth: number, options: Parameters<typeof inspect>[1]): string {
    const fields = readableFields(this, "inspect");
    return `${this.constructor.name} ${inspect(fields, { ...options, depth: Math.max(depth, 0) })}`;
  }
}

/** The names of a wrapper's fields: public own properties, then getters from the base class down. */
function fieldNames(wrapper: object): readonly string[] {
  const prototype = Object.getPrototypeOf(wrapper) as object;
  const cached = FIELDS.get(prototype);
  if (cached) return cached;
  const chain: object[] = [];
  for (let p: object | null = prototype; p && p !== ProtoWrapper.prototype; p = Object.getPrototypeOf(p)) {
    chain.unshift(p);
  }
  const hidden = new Set<string>();
  const getters: string[] = [];
  for (const p of chain) {
    const ctor = (p as { constructor: unknown }).constructor as { hiddenFields?: readonly string[] };
    if (Object.hasOwn(ctor, "hiddenFields")) for (const name of ctor.hiddenFields ?? []) hidden.add(name);
    for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(p))) {
      if (descriptor.get && !getters.includes(name)) getters.push(name);
    }
  }
  const names = getters.filter((name) => !hidden.has(name) && !NOT_FIELDS.has(name));
  FIELDS.set(prototype, names);
  return names;
}

/** The fields of a wrapper for a view; a getter that throws (a malformed message) is left out. */
function readableFields(wrapper: object, view: View): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const add = (name: string, read: () => unknown) => {
    let value: unknown;
    try {
      value = read();
    } catch {
      return;
    }
    const shown = readable(value, view);
    if (shown !== undefined) out[name] = shown;
  };
  for (const name of Object.keys(wrapper)) {
    if (!NOT_FIELDS.has(name)) add(name, () => (wrapper as Record<string, unknown>)[name]);
  }
  const names = fieldNames(wrapper);
  for (const name of names) {
    if (!Object.hasOwn(out, name)) add(name, () => (wrapper as Record<string, unknown>)[name]);
  }
  if (names.length === 0) {
    // A wrapper without getters (a prepared batch request) is its message: show the message's fields.
    const message = readable((wrapper as { proto: unknown }).proto, view) as Record<string, unknown>;
    for (const [name, value] of Object.entries(message)) if (!Object.hasOwn(out, name)) out[name] = value;
  }
  return out;
}

function isBase64Blob(value: string): boolean {
  return value.length > INSPECT_BASE64_LIMIT && /^(data:[\w.+/-]+;base64,)?[A-Za-z0-9+/=\r\n]+$/.test(value);
}

/** A value as the view shows it (see ProtoWrapper). */
function readable(value: unknown, view: View): unknown {
  switch (typeof value) {
    case "bigint":
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    case "string":
      if (view === "inspect" && isBase64Blob(value)) {
        const kind = value.startsWith("data:") ? value.slice(5, value.indexOf(";")) : "base64";
        return `<${kind}, ${value.length} chars>`;
      }
      return value;
    case "function":
    case "symbol":
      return undefined;
    case "object":
      break;
    default:
      return value;
  }
  if (value === null) return null;
  if (
    view === "inspect" &&
    (value instanceof ProtoWrapper || ArrayBuffer.isView(value) || value instanceof Date)
  ) {
    return value; // their own inspect is the right one (typed arrays are truncated by util.inspect)
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map((v) => readable(v, view) ?? null);
  if (value instanceof Error) {
    const { code, details } = value as { code?: unknown; details?: unknown };
    return {
      name: value.name,
      message: value.message,
      ...(code !== undefined ? { code } : {}),
      ...(details !== undefined ? { details } : {}),
    };
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return readable(toJSON.call(value), view);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // `$typeName`/`$unknown` of messages, and the `.proto` of nested views (reachable in code, not data).
    if (k.startsWith("$") || k === "proto") continue;
    const shown = readable(v, view);
    if (shown !== undefined) out[k] = shown;
  }
  return out;
}

/**
 * A message as proto3 JSON, or — when proto3 JSON cannot represent it (a timestamp outside years 1–9999) —
 * a plain rendering of its fields. Never throws.
 *
 * @example
 * ```ts
 * JSON.stringify(protoToJson(GetDeferredVideoResponseSchema, state.proto));
 * ```
 */
export function protoToJson<S extends DescMessage>(schema: S, message: MessageShape<S>): unknown {
  try {
    return toJson(schema, message, { alwaysEmitImplicit: false });
  } catch {
    return plainJson(message);
  }
}

/** A JSON-safe copy of a message's fields: bigints as strings, bytes as base64, `$typeName` dropped. */
function plainJson(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map(plainJson);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k !== "$typeName" && v !== undefined) out[k] = plainJson(v);
    }
    return out;
  }
  return value;
}
