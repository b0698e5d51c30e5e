// A raw grpc-js client built from the generated descriptors, for tests that must not go through the SDK.

import assert from "node:assert/strict";
import {
  create,
  type DescMessage,
  type DescMethod,
  type DescMethodClientStreaming,
  type DescMethodServerStreaming,
  type DescMethodUnary,
  type DescService,
  fromBinary,
  type Message,
  type MessageInitShape,
  type MessageShape,
  toBinary,
} from "@bufbuild/protobuf";
import {
  type CallOptions,
  Client,
  type ClientReadableStream,
  credentials,
  Metadata,
  type ServiceError,
} from "@grpc/grpc-js";

/** A finished call: the response or the error status. */
export type RawResult<T> = { ok: true; value: T } | { ok: false; code: number; details: string };

/** A non-OK status, thrown by the typed `…Ok` calls of {@link RawClient}. */
export class RawStatusError extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(`status ${code}: ${details}`);
    this.name = "RawStatusError";
  }
}

/**
 * Awaits a call expected to fail with `code` (and details matching `details`, when given); returns its status.
 *
 * @example
 * ```ts
 * await rejectsWithStatus(env.api.unaryOk(Files.method.retrieveFile, { fileId: "nope" }), Code.NOT_FOUND, /file/);
 * ```
 */
export async function rejectsWithStatus(
  promise: Promise<unknown>,
  code: number,
  details?: RegExp,
): Promise<RawStatusError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RawStatusError, `expected a RawStatusError, got ${String(error)}`);
    assert.equal(error.code, code, `expected status ${code}, got ${error.code}: ${error.details}`);
    if (details) assert.match(error.details, details);
    return error;
  }
  assert.fail(`expected a failure with status ${code}`);
}

function responseOrThrow<T>(result: RawResult<Message>): T {
  if (!result.ok) throw new RawStatusError(result.code, result.details);
  return result.value as T;
}

const serialize = (schema: DescMessage) => (value: Message) => {
  const bytes = toBinary(schema, value);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
};
const deserialize = (schema: DescMessage) => (bytes: Buffer) => fromBinary(schema, bytes);

const pathOf = (method: DescMethod) => `/${method.parent.typeName}/${method.name}`;

/** A grpc-js client speaking the generated messages, with an optional bearer key. */
export class RawClient {
  readonly grpc: Client;
  constructor(
    address: string,
    private readonly key?: string,
    private readonly extraHeaders: Record<string, string> = {},
  ) {
    this.grpc = new Client(address, credentials.createInsecure());
  }

  metadata(): Metadata {
    const metadata = new Metadata();
    if (this.key !== undefined) metadata.set("authorization", `Bearer ${this.key}`);
    for (const [k, v] of Object.entries(this.extraHeaders)) metadata.set(k, v);
    return metadata;
  }

  unary<I extends DescMessage, O extends DescMessage>(
    method: DescMethod & { input: I; output: O },
    request: MessageInitShape<I>,
    options: CallOptions = {},
  ): Promise<RawResult<Message>> {
    return new Promise((resolve) => {
      this.grpc.makeUnaryRequest(
        pathOf(method),
        serialize(method.input),
        deserialize(method.output),
        create(method.input, request) as Message,
        this.metadata(),
        options,
        (error: ServiceError | null, value?: Message) => {
          if (error) resolve({ ok: false, code: error.code, details: error.details });
          else resolve({ ok: true, value: value as Message });
        },
      );
    });
  }

  /** Opens a server stream and returns grpc-js's call (to pause, resume or cancel it). */
  openServerStream(
    method: DescMethod,
    request: Message | Record<string, unknown>,
    options: CallOptions = {},
  ): ClientReadableStream<Message> {
    return this.grpc.makeServerStreamRequest(
      pathOf(method),
      serialize(method.input),
      deserialize(method.output),
      create(method.input, request as never) as Message,
      this.metadata(),
      options,
    );
  }

  /** Runs a server stream to its end; returns the messages and the final status. */
  serverStream(
    method: DescMethod,
    request: Message | Record<string, unknown>,
    options: CallOptions & {
      onMessage?: (message: Message, index: number, cancel: () => void) => void;
      keep?: boolean;
    } = {},
  ): Promise<{ messages: Message[]; count: number; code: number; details: string }> {
    return new Promise((resolve) => {
      const call = this.openServerStream(method, request, options);
      const cancel = () => call.cancel();
      const messages: Message[] = [];
      let count = 0;
      call.on("data", (message: Message) => {
        options.onMessage?.(message, count, cancel);
        count++;
        if (options.keep !== false) messages.push(message);
      });
      call.on("error", (error: ServiceError) =>
        resolve({ messages, count, code: error.code, details: error.details }),
      );
      call.on("status", (status: { code: number; details: string }) => {
        if (status.code === 0) resolve({ messages, count, code: 0, details: status.details });
      });
    });
  }

  /** Sends the messages on a client stream; returns the response or the error. */
  clientStream(
    method: DescMethod,
    requests: (Message | Record<string, unknown>)[],
  ): Promise<RawResult<Message>> {
    return new Promise((resolve) => {
      const call = this.grpc.makeClientStreamRequest(
        pathOf(method),
        serialize(method.input),
        deserialize(method.output),
        this.metadata(),
        {},
        (error: ServiceError | null, value?: Message) => {
          if (error) resolve({ ok: false, code: error.code, details: error.details });
          else resolve({ ok: true, value: value as Message });
        },
      );
      for (const request of requests) call.write(create(method.input, request as never));
      call.end();
    });
  }

  /** A unary call typed by its method: the response, or a rejection with {@link RawStatusError}. */
  async unaryOk<I extends DescMessage, O extends DescMessage>(
    method: DescMethodUnary<I, O>,
    request: MessageInitShape<I>,
  ): Promise<MessageShape<O>> {
    return responseOrThrow(await this.unary(method, request));
  }

  /** A server stream read to its end: every message, or a rejection with {@link RawStatusError}. */
  async serverStreamOk<I extends DescMessage, O extends DescMessage>(
    method: DescMethodServerStreaming<I, O>,
    request: MessageInitShape<I>,
    onMessage?: (message: MessageShape<O>, cancel: () => void) => void,
  ): Promise<MessageShape<O>[]> {
    const result = await this.serverStream(method, create(method.input, request), {
      onMessage: onMessage && ((message, _index, cancel) => onMessage(message as MessageShape<O>, cancel)),
    });
    if (result.code !== 0) throw new RawStatusError(result.code, result.details);
    return result.messages as MessageShape<O>[];
  }

  /** A client stream of the given messages: the response, or a rejection with {@link RawStatusError}. */
  async clientStreamOk<I extends DescMessage, O extends DescMessage>(
    method: DescMethodClientStreaming<I, O>,
    requests: MessageInitShape<I>[],
  ): Promise<MessageShape<O>> {
    return responseOrThrow(await this.clientStream(method, requests as Record<string, unknown>[]));
  }

  close(): void {
    this.grpc.close();
  }
}

/** All services of a generated file's exports. */
export function servicesOf(module: Record<string, unknown>): DescService[] {
  return Object.values(module).filter(
    (value): value is DescService =>
      typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "service",
  );
}
