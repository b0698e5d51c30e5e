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

  /** The message as proto3 JSON (camelCase names, enums as names, 64-bit integers as strings). */
  toJSON(): unknown {
    return toJson(this.schema, this.proto, { alwaysEmitImplicit: false });
  }

  [inspect.custom](depth: number, options: Parameters<typeof inspect>[1]): string {
    return `${this.constructor.name} ${inspect(this.toJSON(), { ...options, depth: Math.max(depth, 0) })}`;
  }
}
