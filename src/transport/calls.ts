import {
  create,
  type DescMessage,
  type DescMethodClientStreaming,
  type DescMethodServerStreaming,
  type DescMethodUnary,
  fromBinary,
  type MessageInitShape,
  type MessageShape,
  toBinary,
} from "@bufbuild/protobuf";
import type {
  ClientReadableStream,
  ClientUnaryCall,
  CallOptions as GrpcCallOptions,
  Client as GrpcClient,
  Interceptor,
  InterceptorOptions,
  Metadata,
  NextCall,
  ServiceError,
} from "@grpc/grpc-js";
import { appendHeaders, type Channel, type HeaderList, loadedGrpc } from "./channel.js";
import {
  CancelledError,
  type Redactor,
  StreamIdleTimeoutError,
  toXaiError,
  UserAbortError,
  XaiError,
  XaiInputError,
} from "./errors.js";
import { CallCounters, type CallObservation, type CallObserver, type ObservedMethod } from "./observe.js";
import type { CallOptions } from "./options.js";
import { Status } from "./status.js";

type AnyMethod = { parent: { typeName: string }; name: string; input: DescMessage; output: DescMessage };

interface MethodCodec<I extends DescMessage, O extends DescMessage> {
  path: string;
  serialize: (value: MessageShape<I>) => Buffer;
  deserialize: (bytes: Buffer) => MessageShape<O>;
}

const codecCache = new WeakMap<object, MethodCodec<DescMessage, DescMessage>>();

/** The grpc-js path and (de)serializers of a protobuf-es method, computed once per method. */
function codecOf<I extends DescMessage, O extends DescMessage>(method: AnyMethod): MethodCodec<I, O> {
  let codec = codecCache.get(method);
  if (!codec) {
    const input = method.input;
    const output = method.output;
    codec = {
      path: `/${method.parent.typeName}/${method.name}`,
      serialize: (value) => {
        const bytes = toBinary(input, value);
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      },
      deserialize: (bytes) => fromBinary(output, bytes),
    };
    codecCache.set(method, codec);
  }
  return codec as unknown as MethodCodec<I, O>;
}

const observedCache = new WeakMap<object, ObservedMethod>();

/** What an observer is told of a method, computed once per method. */
function observedOf(method: AnyMethod, kind: ObservedMethod["kind"]): ObservedMethod {
  let observed = observedCache.get(method);
  if (!observed) {
    const service = method.parent.typeName;
    observed = { path: `/${service}/${method.name}`, service, name: method.name, kind };
    observedCache.set(method, observed);
  }
  return observed;
}

/** A codec that counts the bytes it (de)serializes into `counters` (observed calls only). */
function countingCodec<I extends DescMessage, O extends DescMessage>(
  codec: MethodCodec<I, O>,
  counters: CallCounters,
): MethodCodec<I, O> {
  return {
    path: codec.path,
    serialize: (value) => {
      const bytes = codec.serialize(value);
      counters.sentBytes += bytes.length;
      return bytes;
    },
    deserialize: (bytes) => {
      counters.receivedBytes += bytes.length;
      counters.messages++;
      return codec.deserialize(bytes);
    },
  };
}

/** The status code a call's error stands for (UNKNOWN for an error that is not an XaiError). */
function codeOf(error: unknown): number {
  return error instanceof XaiError ? error.code : Status.UNKNOWN;
}

/** Ends an observation with the outcome of a call that rejected with `error`. */
function endWithError(observation: CallObservation, counters: CallCounters, error: unknown): void {
  if (error instanceof XaiError) counters.readAttempts(error.metadata);
  observation.end(counters.outcome(codeOf(error), error));
}

/** One observed call: what the observer keeps, the counters the transport updates, the counting codec. */
interface Observed<I extends DescMessage, O extends DescMessage> {
  observation: CallObservation;
  counters: CallCounters;
  codec: MethodCodec<I, O>;
}

/**
 * Checks per-call options before any network activity; returns the deadline to use and the call's own
 * headers (checked once here, then reused to build the call's metadata).
 */
export function validateCallOptions(
  options: CallOptions | undefined,
  defaultTimeoutMs: number,
  channel?: Channel,
): { deadline: number; headers: HeaderList | undefined } {
  if (channel?.closed) {
    throw new XaiInputError("this client was closed; create a new Client to make more calls");
  }
  const timeout = options?.timeout ?? defaultTimeoutMs;
  if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout <= 0) {
    throw new XaiInputError(
      `timeout must be a positive number of milliseconds, got ${String(timeout)}; pass e.g. { timeout: 30_000 }`,
    );
  }
  const headers = options?.metadata === undefined ? undefined : appendHeaders([], options.metadata);
  const signal = options?.signal;
  if (signal !== undefined && (typeof signal !== "object" || typeof signal.aborted !== "boolean")) {
    throw new XaiInputError("signal must be an AbortSignal, e.g. new AbortController().signal");
  }
  const retry = options?.retry;
  if (retry !== undefined && typeof retry !== "boolean") {
    throw new XaiInputError(
      `retry must be false (this call is made once) or true (the client's retry policy), got ${String(retry)}`,
    );
  }
  const idle = options?.idleTimeout;
  if (
    idle !== undefined &&
    (typeof idle !== "number" || !Number.isFinite(idle) || idle < 1 || idle > MAX_TIMER_MS)
  ) {
    throw new XaiInputError(
      `idleTimeout must be a number of milliseconds from 1 to ${MAX_TIMER_MS}, got ${String(idle)}; pass e.g. { idleTimeout: 30_000 }`,
    );
  }
  return { deadline: Date.now() + timeout, headers };
}

/** The longest delay a Node.js timer takes (a longer one fires at once). */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The error a failed call rejects with: the caller's abort when its signal fired, else the typed status, with
 * the channel's key redacted from every text the server sent.
 */
function callError(
  err: ServiceError,
  path: string,
  signal: AbortSignal | undefined,
  redact: Redactor | undefined,
): unknown {
  return signal?.aborted ? new UserAbortError(path, signal.reason) : toXaiError(err, path, redact);
}

/** The status a unary call ends with when the server sends a second response message. */
const TOO_MANY_RESPONSES =
  "protocol error: the server sent more than one response message on a unary call; the server is misbehaving";

/**
 * An interceptor for unary calls only: grpc-js reads no message after the first one of a unary call, so a
 * server that sends two leaves the call waiting for its deadline (the status is held behind the unread
 * message). This one reads on after the first message and fails the call with INTERNAL at the second. It
 * patches the call's `start` rather than wrapping the call (as the channel's own interceptor does: cheap).
 */
function unaryGuard(options: InterceptorOptions, nextCall: NextCall): ReturnType<NextCall> {
  const call = nextCall(options);
  const start = call.start;
  call.start = (metadata, listener) => {
    let received = 0;
    const onMessage = listener?.onReceiveMessage;
    start.call(call, metadata, {
      ...listener,
      onReceiveMessage: (message: unknown) => {
        received++;
        if (received === 1) {
          onMessage?.call(listener, message);
          call.startRead();
        } else if (received === 2) {
          call.cancelWithStatus(Status.INTERNAL, TOO_MANY_RESPONSES);
        }
      },
    });
  };
  return call;
}

/** The error a call in flight rejects with when its client is closed. */
function closedError(method: string): CancelledError {
  return new CancelledError({
    code: Status.CANCELLED,
    details:
      "the client was closed while this call was in flight; make calls before close(), or use a new Client",
    method,
  });
}

/** Cancels one call in flight with {@link closedError}; kept in a set while the call runs (see `close`). */
type InFlight = () => void;

/** Turns a message or its init shape into a message without copying a message that is already built. */
function toMessage<I extends DescMessage>(schema: I, value: MessageInitShape<I>): MessageShape<I> {
  return create(schema, value);
}

/**
 * Makes calls of every kind over one {@link Channel}: promises for unary and client-streaming calls,
 * async iterables for server streams, with deadlines, abort signals, metadata and typed errors.
 * Knows no xAI service: methods come from the generated descriptors.
 */
export class CallInvoker {
  constructor(
    channel: Channel,
    private readonly defaultTimeoutMs: number,
    observer?: CallObserver,
  ) {
    this.#channel = channel;
    this.#redact = channel.redactor();
    this.#observer = observer;
  }

  readonly #channel: Channel;
  /** Sees every call (tracing, the debug log), when the client has one. */
  readonly #observer: CallObserver | undefined;
  /** Removes the channel's key from server-provided texts of errors (a closure: the key is on no object). */
  readonly #redact: Redactor;
  /** The calls running now, cancelled by {@link close}: one entry per call, added and removed in O(1). */
  readonly #inFlight = new Set<InFlight>();

  /**
   * Refuses new calls (XaiInputError), cancels every call in flight (each rejects with a CancelledError
   * naming the close, and the server sees the cancellation), then closes the channel. Idempotent.
   */
  close(): void {
    if (this.#channel.closed) return;
    this.#channel.closed = true;
    for (const cancel of this.#inFlight) cancel();
    this.#inFlight.clear();
    this.#channel.close();
  }

  /** The channel's interceptors (or providers) with {@link unaryGuard} first, built once the channel is open. */
  #unaryInterceptors: Pick<GrpcCallOptions, "interceptors" | "interceptor_providers"> | undefined;

  /** grpc-js call options of a unary call: the channel's, with {@link unaryGuard} outermost. */
  private unaryCallOptions(deadline: number): GrpcCallOptions {
    let chain = this.#unaryInterceptors;
    if (!chain) {
      const base = this.#channel.callOptions(undefined);
      const guard = unaryGuard as unknown as Interceptor;
      chain = base.interceptor_providers
        ? { interceptor_providers: [() => guard, ...base.interceptor_providers] }
        : { interceptors: [guard, ...(base.interceptors ?? [])] };
      this.#unaryInterceptors = chain;
    }
    return { deadline, ...chain };
  }

  private metadata(headers: HeaderList | undefined, observation?: CallObservation): Metadata {
    // loadedGrpc() is set once any channel is open, which every caller ensures first.
    const md = this.#channel.metadata(loadedGrpc()!, headers);
    const extra = observation?.headers;
    if (extra) for (const [name, value] of extra) md.set(name, value);
    return md;
  }

  /** Starts observing a call when the client has an observer that wants it. */
  private observe<I extends DescMessage, O extends DescMessage>(
    method: AnyMethod,
    kind: ObservedMethod["kind"],
    request: unknown,
    codec: MethodCodec<I, O>,
  ): Observed<I, O> | undefined {
    const observation = this.#observer?.start(observedOf(method, kind), request);
    if (!observation) return undefined;
    const counters = new CallCounters();
    return { observation, counters, codec: countingCodec(codec, counters) };
  }

  /**
   * What every call checks before any network activity: the client is open, the options are valid and the
   * signal has not fired (else it throws). Returns the method's codec, the deadline, the call's own headers
   * and the signal.
   */
  private prepare<I extends DescMessage, O extends DescMessage>(
    method: AnyMethod,
    options: CallOptions | undefined,
  ) {
    const codec = codecOf<I, O>(method);
    const { deadline, headers } = validateCallOptions(options, this.defaultTimeoutMs, this.#channel);
    const signal = options?.signal;
    if (signal?.aborted) throw new UserAbortError(codec.path, signal.reason);
    const noRetry = options?.retry === false;
    return { codec, deadline, headers, signal, noRetry };
  }

  /** The open grpc-js client for a call (the one without retries when asked for), if already open. */
  private openedClient(noRetry: boolean): GrpcClient | undefined {
    return noRetry ? this.#channel.openedWithoutRetries : this.#channel.opened;
  }

  /** Opens the grpc-js client for a call. */
  private openClient(noRetry: boolean): Promise<GrpcClient> {
    return noRetry ? this.#channel.openWithoutRetries() : this.#channel.open();
  }

  /** Runs `start` with the open grpc-js client: synchronously when the channel is already open. */
  private withClient<R>(start: (client: GrpcClient) => R, noRetry: boolean): R | Promise<R> {
    const client = this.openedClient(noRetry);
    return client ? start(client) : this.openClient(noRetry).then(start);
  }

  /** A unary call. */
  unary<I extends DescMessage, O extends DescMessage>(
    method: DescMethodUnary<I, O>,
    request: MessageInitShape<I>,
    options?: CallOptions,
  ): Promise<MessageShape<O>> {
    let prepared: ReturnType<typeof this.prepare<I, O>>;
    try {
      prepared = this.prepare<I, O>(method, options);
    } catch (err) {
      return Promise.reject(err);
    }
    const { deadline, headers, signal, noRetry } = prepared;
    const message = toMessage(method.input, request);
    const observed = this.#observer ? this.observe(method, "unary", message, prepared.codec) : undefined;
    const codec = observed ? observed.codec : prepared.codec;
    const start = (client: GrpcClient) =>
      new Promise<MessageShape<O>>((resolve, reject) => {
        // The signal may have fired while the channel was opening.
        if (signal?.aborted) {
          reject(new UserAbortError(codec.path, signal.reason));
          return;
        }
        // The client may have been closed while the channel was opening.
        if (this.#channel.closed) {
          reject(closedError(codec.path));
          return;
        }
        let onAbort: (() => void) | undefined;
        let closedBy: CancelledError | undefined;
        const inFlight = this.#inFlight;
        const cancelOnClose: InFlight = () => {
          closedBy = closedError(codec.path);
          call.cancel();
        };
        const call: ClientUnaryCall = client.makeUnaryRequest(
          codec.path,
          codec.serialize,
          codec.deserialize,
          message,
          this.metadata(headers, observed?.observation),
          this.unaryCallOptions(deadline),
          (err: ServiceError | null, value?: MessageShape<O>) => {
            inFlight.delete(cancelOnClose);
            if (onAbort) signal?.removeEventListener("abort", onAbort);
            if (closedBy) reject(closedBy);
            else if (err) reject(callError(err, codec.path, signal, this.#redact));
            else resolve(value as MessageShape<O>);
          },
        );
        if (observed) call.on("metadata", (md: Metadata) => observed.counters.readAttempts(md));
        inFlight.add(cancelOnClose);
        if (signal) {
          onAbort = () => call.cancel();
          signal.addEventListener("abort", onAbort, { once: true });
        }
      });
    const result = Promise.resolve(this.withClient(start, noRetry));
    if (!observed) return result;
    const { observation, counters } = observed;
    return result.then(
      (value) => {
        observation.received?.(value);
        observation.end(counters.outcome(Status.OK, undefined));
        return value;
      },
      (err: unknown) => {
        endWithError(observation, counters, err);
        throw err;
      },
    );
  }

  /**
   * A server-streaming call as an async iterable. Leaving a `for await` loop early cancels the call;
   * a failure rejects the next iteration with a typed error.
   */
  serverStream<I extends DescMessage, O extends DescMessage>(
    method: DescMethodServerStreaming<I, O>,
    request: MessageInitShape<I>,
    options?: CallOptions,
  ): ServerStream<MessageShape<O>> {
    const prepared = this.prepare<I, O>(method, options);
    const { deadline, headers, signal, noRetry } = prepared;
    const message = toMessage(method.input, request);
    const observed = this.#observer
      ? this.observe(method, "server_stream", message, prepared.codec)
      : undefined;
    const codec = observed ? observed.codec : prepared.codec;
    const stream = new ServerStream<MessageShape<O>>(
      codec.path,
      signal,
      this.#inFlight,
      options?.idleTimeout,
      this.#redact,
      observed,
    );
    const start = (client: GrpcClient) => {
      // A close() while the channel was opening has already ended the stream.
      if (stream.finished) return;
      stream.attach(
        client.makeServerStreamRequest(
          codec.path,
          codec.serialize,
          codec.deserialize,
          message,
          this.metadata(headers, observed?.observation),
          this.#channel.callOptions(deadline),
        ),
      );
    };
    const started = this.withClient(start, noRetry);
    if (started instanceof Promise)
      started.catch((err: unknown) => stream.fail(toXaiError(err, codec.path, this.#redact)));
    return stream;
  }

  /**
   * A client-streaming call: writes every message of `requests` with backpressure, then resolves with the
   * server's single response. If `requests` throws, the call is cancelled and the promise rejects with that error.
   */
  async clientStream<I extends DescMessage, O extends DescMessage>(
    method: DescMethodClientStreaming<I, O>,
    requests: AsyncIterable<MessageInitShape<I>> | Iterable<MessageInitShape<I>>,
    options?: CallOptions,
  ): Promise<MessageShape<O>> {
    const prepared = this.prepare<I, O>(method, options);
    const observed = this.#observer
      ? this.observe(method, "client_stream", undefined, prepared.codec)
      : undefined;
    if (!observed) return this.clientStreamCall(method, requests, prepared);
    const { observation, counters } = observed;
    try {
      const value = await this.clientStreamCall(
        method,
        requests,
        { ...prepared, codec: observed.codec },
        observed,
      );
      observation.received?.(value);
      observation.end(counters.outcome(Status.OK, undefined));
      return value;
    } catch (err) {
      endWithError(observation, counters, err);
      throw err;
    }
  }

  private async clientStreamCall<I extends DescMessage, O extends DescMessage>(
    method: DescMethodClientStreaming<I, O>,
    requests: AsyncIterable<MessageInitShape<I>> | Iterable<MessageInitShape<I>>,
    prepared: ReturnType<typeof this.prepare<I, O>>,
    observed?: Observed<I, O>,
  ): Promise<MessageShape<O>> {
    const { codec, deadline, headers, signal, noRetry } = prepared;
    let settled = false;
    let sourceError: unknown;
    let onAbort: (() => void) | undefined;
    let wakeWriter: (() => void) | undefined;
    let cancel: () => void = () => {};
    const client = this.openedClient(noRetry) ?? (await this.openClient(noRetry));
    if (signal?.aborted) throw new UserAbortError(codec.path, signal.reason);
    // The client may have been closed while the channel was opening.
    if (this.#channel.closed) throw closedError(codec.path);
    let closedBy: CancelledError | undefined;
    const inFlight = this.#inFlight;
    const cancelOnClose: InFlight = () => {
      closedBy = closedError(codec.path);
      cancel();
    };
    const response = new Promise<MessageShape<O>>((resolve, reject) => {
      const call = client.makeClientStreamRequest(
        codec.path,
        codec.serialize,
        codec.deserialize,
        this.metadata(headers, observed?.observation),
        this.#channel.callOptions(deadline),
        (err: ServiceError | null, value?: MessageShape<O>) => {
          settled = true;
          inFlight.delete(cancelOnClose);
          wakeWriter?.();
          if (onAbort) signal?.removeEventListener("abort", onAbort);
          if (closedBy) reject(closedBy);
          else if (sourceError !== undefined) reject(sourceError);
          else if (err) reject(callError(err, codec.path, signal, this.#redact));
          else resolve(value as MessageShape<O>);
        },
      );
      cancel = () => call.cancel();
      if (observed) call.on("metadata", (md: Metadata) => observed.counters.readAttempts(md));
      inFlight.add(cancelOnClose);
      if (signal) {
        onAbort = () => call.cancel();
        signal.addEventListener("abort", onAbort, { once: true });
      }
      const write = async () => {
        try {
          for await (const item of requests) {
            if (settled) return;
            // One message in flight at a time: grpc-js's write queue holds up to 16 messages before
            // `write` returns false, which for 3 MiB upload chunks would buffer ~48 MiB per call.
            await new Promise<void>((resume) => {
              wakeWriter = resume;
              call.write(toMessage(method.input, item), () => resume());
            });
            wakeWriter = undefined;
          }
          if (!settled) call.end();
        } catch (err) {
          sourceError = err;
          cancel();
        }
      };
      void write();
    });
    return response;
  }
}

/**
 * The messages of a server-streaming call. Iterate it once with `for await`; `cancel()` stops the call.
 * Buffers at most a small window of messages before pausing the HTTP/2 stream (backpressure).
 */
export class ServerStream<T> implements AsyncIterable<T> {
  private readonly queue: T[] = [];
  private head = 0;
  private done = false;
  private error: unknown;
  /** Pending `next()` calls, oldest first: each gets the next message, or the end. */
  private readonly waiters: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void }[] = [];
  private paused = false;
  private iterated = false;
  private readonly onAbort: (() => void) | undefined;
  /** This stream's entry in its invoker's set of calls in flight, removed when the stream ends. */
  private readonly onClose: InFlight | undefined;
  private static readonly HIGH_WATER = 64;
  /** When the last message arrived (or the call started, or reading resumed), with an idle timeout only. */
  private lastMessageAt = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  private call: ClientReadableStream<T> | undefined;

  constructor(
    /** The full method path. */
    readonly method: string,
    private readonly signal: AbortSignal | undefined,
    /** The invoker's calls in flight: the stream stays in it until it ends, so that close() can end it. */
    private readonly inFlight?: Set<InFlight>,
    /** The longest wait for a message in milliseconds (CallOptions.idleTimeout), 0 or undefined for none. */
    private readonly idleTimeout?: number,
    /** Removes the key from the server-provided texts of the stream's error. */
    private readonly redact?: Redactor,
    /** The observer's view of this call, when it is observed. */
    private readonly observed?: {
      observation: CallObservation;
      counters: CallCounters;
    },
  ) {
    if (inFlight) {
      this.onClose = () => this.closeWith(closedError(method));
      inFlight.add(this.onClose);
    }
    if (signal) {
      this.onAbort = () => {
        if (this.call) this.call.cancel();
        else this.finish(new UserAbortError(method, signal.reason));
      };
      signal.addEventListener("abort", this.onAbort, { once: true });
    }
  }

  /** Whether the stream has ended (normally, by error or by cancellation). */
  get finished(): boolean {
    return this.done;
  }

  /** @internal Connects the grpc-js call once the channel is open. */
  attach(call: ClientReadableStream<T>): void {
    this.call = call;
    const method = this.method;
    const idle = this.idleTimeout;
    if (idle) {
      // One timer per stream that re-arms itself for the time left; a message only records when it came.
      this.lastMessageAt = Date.now();
      const check = () => {
        if (this.done) return;
        const now = Date.now();
        // A paused stream waits for its reader, not for the server: that time does not count.
        if (this.paused) this.lastMessageAt = now;
        const left = this.lastMessageAt + idle - now;
        if (left > 0) {
          this.idleTimer = setTimeout(check, left);
          return;
        }
        this.finish(new StreamIdleTimeoutError(method, idle));
        call.cancel();
      };
      this.idleTimer = setTimeout(check, idle);
    }
    const observed = this.observed;
    if (observed) call.on("metadata", (md: Metadata) => observed.counters.readAttempts(md));
    call.on("data", (message: T) => {
      if (idle) this.lastMessageAt = Date.now();
      observed?.observation.received?.(message);
      const waiter = this.waiters.shift();
      if (waiter) {
        waiter.resolve({ value: message, done: false });
        return;
      }
      this.queue.push(message);
      if (!this.paused && this.queue.length - this.head >= ServerStream.HIGH_WATER) {
        this.paused = true;
        call.pause();
      }
    });
    call.on("error", (err: ServiceError) => {
      this.finish(callError(err, method, this.signal, this.redact));
    });
    call.on("end", () => this.finish(undefined));
  }

  /** @internal Ends the stream with an error raised before the call could start. */
  fail(error: unknown): void {
    this.finish(error);
  }

  /** Ends the stream because its client was closed: the call is cancelled and buffered messages dropped. */
  private closeWith(error: CancelledError): void {
    if (this.done) return;
    this.call?.cancel();
    this.queue.length = 0;
    this.head = 0;
    this.finish(error);
  }

  private finish(error: unknown, cancelled = false): void {
    if (this.done) return;
    this.done = true;
    this.error = error;
    const observed = this.observed;
    if (observed) {
      if (error !== undefined) endWithError(observed.observation, observed.counters, error);
      else
        observed.observation.end(
          observed.counters.outcome(cancelled ? Status.CANCELLED : Status.OK, undefined, cancelled),
        );
    }
    if (this.onClose) this.inFlight?.delete(this.onClose);
    if (this.onAbort) this.signal?.removeEventListener("abort", this.onAbort);
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    // Every pending next() settles, in order: messages already went to the oldest ones.
    const waiters = this.waiters.splice(0);
    for (const waiter of waiters) {
      if (error !== undefined) waiter.reject(error);
      else waiter.resolve({ value: undefined, done: true });
    }
  }

  /** Resumes reading after backpressure paused the call; the idle time counts from now. */
  private resume(): void {
    this.paused = false;
    if (this.idleTimeout) this.lastMessageAt = Date.now();
    this.call?.resume();
  }

  /** Cancels the call; iteration ends (every pending `next()` resolves as done). */
  cancel(): void {
    if (this.done) return;
    this.call?.cancel();
    this.finish(undefined, true);
  }

  /**
   * The next message if one is already buffered, else `undefined` (then use {@link next}). Lets a consumer
   * that wraps the stream skip a promise per message when messages arrive faster than it reads them.
   */
  takeBuffered(): T | undefined {
    if (this.head >= this.queue.length) return undefined;
    const value = this.queue[this.head++];
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (this.paused && this.queue.length - this.head < ServerStream.HIGH_WATER / 2) this.resume();
    return value;
  }

  /**
   * Resolves with the next message, or done. Calls may overlap: pending calls settle in the order they were
   * made, each with its own message (or the end, or the stream's error).
   */
  next(): Promise<IteratorResult<T>> {
    if (this.head < this.queue.length) {
      return Promise.resolve({ value: this.takeBuffered() as T, done: false });
    }
    if (this.done) {
      return this.error !== undefined
        ? Promise.reject(this.error)
        : Promise.resolve({ value: undefined, done: true });
    }
    if (this.paused) this.resume();
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.iterated) throw new Error("a stream can be iterated only once");
    this.iterated = true;
    return {
      next: () => this.next(),
      return: () => {
        this.cancel();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
