import {
  type DescMessage,
  type DescMethod,
  type DescService,
  fromBinary,
  type MessageShape,
  toBinary,
} from "@bufbuild/protobuf";
import type { MethodDefinition, ServiceDefinition } from "@grpc/grpc-js";

/** Messages to send as given bytes instead of their encoding (see {@link withWireBytes}). */
const wireBytes = new WeakMap<object, Uint8Array>();

/**
 * Marks a response message to be sent as exactly `bytes` (a replayed recording keeps the recorded
 * encoding, field order included); returns the message.
 *
 * @example
 * ```ts
 * return withWireBytes(fromBinary(schema, recorded), recorded);
 * ```
 */
export function withWireBytes<T extends object>(message: T, bytes: Uint8Array): T {
  wireBytes.set(message, bytes);
  return message;
}

/**
 * A grpc-js service definition built from a protobuf-es service descriptor: path
 * `/${service.typeName}/${method.name}`, binary (de)serializers from the generated schemas.
 * Used by the emulator to serve the generated services without any SDK code. With `rawRequests`, handlers
 * receive each request as its bytes (a `Buffer`), so that nothing is decoded before authentication.
 *
 * @example
 * ```ts
 * server.addService(serviceDefinition(Chat), handlers);
 * ```
 */
export function serviceDefinition(
  service: DescService,
  options: { rawRequests?: boolean } = {},
): ServiceDefinition {
  const definition: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const method of service.methods) {
    definition[method.localName] = methodDefinition(service, method, options.rawRequests === true);
  }
  return definition as ServiceDefinition;
}

function methodDefinition(
  service: DescService,
  method: DescMethod,
  rawRequests: boolean,
): MethodDefinition<unknown, unknown> {
  const input: DescMessage = method.input;
  const output: DescMessage = method.output;
  const toBuffer = (schema: DescMessage) => (value: unknown) => {
    const bytes = toBinary(schema, value as MessageShape<DescMessage>);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
  const fromBuffer = (schema: DescMessage) => (bytes: Buffer) => fromBinary(schema, bytes);
  return {
    path: `/${service.typeName}/${method.name}`,
    requestStream: method.methodKind === "client_streaming" || method.methodKind === "bidi_streaming",
    responseStream: method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming",
    requestSerialize: toBuffer(input),
    // Raw requests reach the handler as the received bytes: it decodes them once the caller is authenticated.
    requestDeserialize: rawRequests ? (bytes: Buffer) => bytes : fromBuffer(input),
    responseSerialize: (value: unknown) => {
      const bytes = typeof value === "object" && value !== null ? wireBytes.get(value) : undefined;
      return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : toBuffer(output)(value);
    },
    responseDeserialize: fromBuffer(output),
    originalName: method.name,
  };
}
