import { inspect } from "node:util";
import { type DescMessage, type MessageShape, toJson } from "@bufbuild/protobuf";

/**
 * Base of every object that wraps a response message: the message stays reachable as `.proto`,
 * `toJSON()` gives its canonical proto3 JSON and `util.inspect` prints it compactly.
 *
 * @example
 * ```ts
 * const model = await client.models.getLanguageModel("grok-4");
 * console.log(model.proto.maxPromptLength, JSON.stringify(model));
 * ```
 */
export abstract class ProtoWrapper<S extends DescMessage> {
  /** The generated message this object wraps. */
  readonly proto: MessageShape<S>;
  /** @internal */
  protected readonly schema: S;

  protected constructor(schema: S, proto: MessageShape<S>) {
    this.schema = schema;
    this.proto = proto;
  }

  /**
   * The message as proto3 JSON (camelCase names, enums as names, 64-bit integers as strings). A message
   * that proto3 JSON cannot represent (e.g. a timestamp outside years 1–9999) falls back to a plain
   * rendering of its fields instead of throwing.
   */
  toJSON(): unknown {
    return protoToJson(this.schema, this.proto);
  }

  [inspect.custom](depth: number, options: Parameters<typeof inspect>[1]): string {
    return `${this.constructor.name} ${inspect(this.toJSON(), { ...options, depth: Math.max(depth, 0) })}`;
  }
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
