// A raw grpc-js client over the generated protobuf-es descriptors, with none of the SDK's code: the
// baseline of the benchmarks and a second opinion in the resilience tests. It is what a user would write
// with grpc-js alone: `Client#makeUnaryRequest` / `makeServerStreamRequest` with toBinary/fromBinary.
import {
  type DescMessage,
  type DescMethodServerStreaming,
  type DescMethodUnary,
  fromBinary,
  type MessageShape,
  toBinary,
} from "@bufbuild/protobuf";
import {
  type ChannelOptions,
  type ClientReadableStream,
  credentials,
  Client as GrpcClient,
  Metadata,
  type ServiceError,
} from "@grpc/grpc-js";

type AnyMethod = { parent: { typeName: string }; name: string; input: DescMessage; output: DescMessage };

interface Codec {
  path: string;
  serialize: (value: unknown) => Buffer;
  deserialize: (bytes: Buffer) => unknown;
}

const codecs = new WeakMap<object, Codec>();

function codecOf(method: AnyMethod): Codec {
  let codec = codecs.get(method);
  if (!codec) {
    const { input, output } = method;
    codec = {
      path: `/${method.parent.typeName}/${method.name}`,
      serialize: (value) => {
        const bytes = toBinary(input, value as MessageShape<DescMessage>);
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      },
      deserialize: (bytes) => fromBinary(output, bytes),
    };
    codecs.set(method, codec);
  }
  return codec;
}

/** A raw grpc-js client to one plaintext host, sending `authorization: Bearer <apiKey>` on every call. */
export interface RawGrpcClient {
  /** A unary call with an already built request message. */
  unary<I extends DescMessage, O extends DescMessage>(
    method: DescMethodUnary<I, O>,
    request: MessageShape<I>,
    options?: { deadline?: number },
  ): Promise<MessageShape<O>>;
  /** A server-streaming call: grpc-js's own readable stream, to iterate with `for await`. */
  serverStream<I extends DescMessage, O extends DescMessage>(
    method: DescMethodServerStreaming<I, O>,
    request: MessageShape<I>,
    options?: { deadline?: number },
  ): ClientReadableStream<MessageShape<O>>;
  /** The underlying grpc-js client. */
  readonly grpc: GrpcClient;
  close(): void;
}

/**
 * Connects a raw grpc-js client (grpc-js default channel options unless given).
 *
 * @example
 * ```ts
 * const raw = rawGrpcClient(emu.apiHost, emu.apiKey);
 * const response = await raw.unary(Chat.method.getCompletion, create(GetCompletionsRequestSchema, { model: "grok-3" }));
 * ```
 */
export function rawGrpcClient(
  address: string,
  apiKey: string,
  channelOptions?: ChannelOptions,
  headers: Record<string, string> = {},
): RawGrpcClient {
  const grpc = new GrpcClient(address, credentials.createInsecure(), channelOptions ?? {});
  const metadata = () => {
    const md = new Metadata();
    md.set("authorization", `Bearer ${apiKey}`);
    for (const [name, value] of Object.entries(headers)) md.set(name, value);
    return md;
  };
  return {
    grpc,
    unary(method, request, options) {
      const codec = codecOf(method);
      return new Promise((resolve, reject) => {
        grpc.makeUnaryRequest(
          codec.path,
          codec.serialize,
          codec.deserialize,
          request,
          metadata(),
          options?.deadline === undefined ? {} : { deadline: options.deadline },
          (err: ServiceError | null, value?: unknown) =>
            err ? reject(err) : resolve(value as MessageShape<never>),
        );
      });
    },
    serverStream(method, request, options) {
      const codec = codecOf(method);
      return grpc.makeServerStreamRequest(
        codec.path,
        codec.serialize,
        codec.deserialize,
        request,
        metadata(),
        options?.deadline === undefined ? {} : { deadline: options.deadline },
      ) as ClientReadableStream<never>;
    },
    close: () => grpc.close(),
  };
}
