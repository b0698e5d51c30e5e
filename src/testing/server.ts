// The generic wrapper around every method the emulator serves (unary, server-streaming, client-streaming):
// authentication, the call log, injected faults, error mapping, cancellation and stream backpressure.
// Service modules only see plain handlers (types.ts); everything gRPC-specific happens here.
import type { Http2Stream } from "node:http2";
import { constants as http2Constants } from "node:http2";
import { create, type DescMessage, fromBinary, type Message } from "@bufbuild/protobuf";
import {
  Metadata,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type sendUnaryData,
  type UntypedHandleCall,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import {
  type CallLog,
  type CallRecord,
  type Faults,
  loggedCost,
  MAX_LOGGED_STREAM_BYTES,
  type MethodEntry,
  type PendingCut,
} from "./controls.js";
import { checkFieldBudget, FieldBudgetError } from "./field-budget.js";
import { bearerKey, maskAuthorization, redactKey } from "./keys.js";
import { sleep } from "./sleep.js";
import { Code, EmulatorError, type HandlerContext } from "./types.js";

/** What the wrapper needs from the running emulator. */
export interface ServerRuntime {
  readonly apiKey: string;
  readonly managementApiKey: string;
  readonly log: CallLog;
  readonly faults: Faults;
  /** Calls in progress (so that `stop()` can end them). */
  readonly active: Set<AbortController>;
  /** The current implementation of a method (services are re-created by `reset()`). */
  implementation(path: string): ((...args: never[]) => unknown) | undefined;
}

type Port = "api" | "management";

/** Why a call's signal was aborted: the client went away, or the emulator is stopping. */
export const StopReason = { Cancelled: "cancelled", Shutdown: "shutdown" } as const;

interface Status {
  code: number;
  details: string;
  /** Trailing metadata sent with the status (a replayed error's). */
  metadata?: Metadata;
}

const OK: Status = { code: 0, details: "OK" };

const SHUTDOWN_STATUS: Status = {
  code: Code.UNAVAILABLE,
  details: "The emulator is shutting down; the call was interrupted.",
};

function isStatusCode(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 16;
}

/** Maps anything a handler throws to a gRPC status with a clear sentence. */
export function toStatus(error: unknown, path: string): Status {
  if (error instanceof EmulatorError) {
    const { trailers } = error as { trailers?: unknown };
    return trailers instanceof Metadata
      ? { code: error.code, details: error.details, metadata: trailers }
      : { code: error.code, details: error.details };
  }
  if (typeof error === "object" && error !== null) {
    const { code, details } = error as { code?: unknown; details?: unknown };
    if (isStatusCode(code) && typeof details === "string") return { code, details };
  }
  const reason = error instanceof Error ? error.message : String(error);
  return { code: Code.INTERNAL, details: `The emulator failed while serving ${path}: ${reason}` };
}

function headersOf(metadata: Metadata): Record<string, string> {
  const out: Record<string, string> = {};
  const map = metadata.getMap();
  for (const key in map) {
    const value = map[key];
    out[key] = typeof value === "string" ? value : Buffer.from(value).toString("base64");
  }
  return out;
}

/** Headers other clients carry keys in (Anthropic-, Azure- and Google-style), masked in the call log too. */
const KEY_HEADERS = ["x-api-key", "api-key", "x-goog-api-key", "proxy-authorization"];

function maskedHeaders(headers: Record<string, string>): Record<string, string> {
  let masked: Record<string, string> | undefined;
  const mask = (name: string, value: string) => {
    masked ??= { ...headers };
    masked[name] = value;
  };
  if (headers.authorization !== undefined) mask("authorization", maskAuthorization(headers.authorization));
  for (const name of KEY_HEADERS) {
    const value = headers[name];
    if (value === undefined) continue;
    mask(name, /^Bearer\s/i.test(value.trim()) ? maskAuthorization(value) : redactKey(value.trim()));
  }
  return masked ?? headers;
}

function authenticate(headers: Record<string, string>, port: Port, runtime: ServerRuntime): void {
  const header = headers.authorization;
  const where = port === "api" ? "the API" : "the management API";
  if (header === undefined || header.trim() === "") {
    throw new EmulatorError(
      Code.UNAUTHENTICATED,
      `No API key was provided. Send your ${port === "api" ? "API key" : "management key"} to ${where} in the "authorization" header as "Bearer <key>".`,
    );
  }
  const key = bearerKey(header);
  if (key === undefined) {
    throw new EmulatorError(
      Code.UNAUTHENTICATED,
      'The "authorization" header is malformed: it must be "Bearer <key>" with a single key.',
    );
  }
  const expected = port === "api" ? runtime.apiKey : runtime.managementApiKey;
  if (key === expected) return;
  if (port === "management" && key === runtime.apiKey) {
    throw new EmulatorError(
      Code.UNAUTHENTICATED,
      `The key ${redactKey(key)} is an API key; the management API (collections) needs a management key.`,
    );
  }
  if (port === "api" && key === runtime.managementApiKey) {
    throw new EmulatorError(
      Code.UNAUTHENTICATED,
      `The key ${redactKey(key)} is a management key; this endpoint needs an API key.`,
    );
  }
  throw new EmulatorError(
    Code.UNAUTHENTICATED,
    `Incorrect ${port === "api" ? "API key" : "management key"} provided: ${redactKey(key)}. Check the key, or obtain one from the xAI console.`,
  );
}

type AnyCall =
  | ServerUnaryCall<Message, Message>
  | ServerWritableStream<Message, Message>
  | ServerReadableStream<Message, Message>;

/** A logged call whose request is filled in once the caller is authenticated. */
type OpenRecord = Omit<CallRecord, "request"> & { request: Message | Message[] };

/**
 * Decodes a request received as bytes (the emulator's service definitions defer decoding until the caller
 * is authenticated); a message already decoded (a definition without `rawRequests`) is returned as is.
 */
function decodeRequest(entry: MethodEntry, received: unknown): { message: Message; bytes: number } {
  if (!(received instanceof Uint8Array)) return { message: received as Message, bytes: 0 };
  try {
    checkFieldBudget(entry.method.input as DescMessage, received);
    return { message: fromBinary(entry.method.input as DescMessage, received), bytes: received.byteLength };
  } catch (error) {
    if (error instanceof FieldBudgetError) throw new EmulatorError(Code.INVALID_ARGUMENT, error.message);
    throw new EmulatorError(
      Code.INVALID_ARGUMENT,
      `The request is not a valid ${entry.method.input.typeName} message (${(error as Error).message}).`,
    );
  }
}

/**
 * The transport side of one call, as CallScope needs it: grpc-js's server call, or an HTTP request of the
 * REST face (rest/). Everything else (authentication, the call log, faults, error mapping) is shared.
 */
interface CallSource {
  /** Request headers (lower-case names, first value each). */
  readonly headers: Record<string, string>;
  /** Registers what to do when the client goes away before the call ended. */
  onCancelled(listener: () => void): void;
  /** The server-side deadline, in ms since the epoch (Infinity without one). */
  deadlineMs(): number;
  /** Registers what to do when the client resets the stream after the response was handed over. */
  onLateReset?(listener: () => void): void;
  /** The HTTP method and path of a REST call, for the call log. */
  readonly route?: string;
}

function grpcSource(call: AnyCall): CallSource {
  return {
    headers: headersOf(call.metadata),
    // grpc-js also reports "cancelled" once it has sent a status: CallScope only counts a cancel before it.
    onCancelled: (listener) => (call as NodeJS.EventEmitter).once("cancelled", listener),
    deadlineMs: () => {
      const deadline = call.getDeadline();
      return deadline instanceof Date ? deadline.getTime() : deadline;
    },
    onLateReset: (listener) => {
      const stream = http2StreamOf(call);
      stream?.once("close", () => {
        if (stream.rstCode !== undefined && stream.rstCode !== http2Constants.NGHTTP2_NO_ERROR) listener();
      });
    },
  };
}

/** Per-call bookkeeping shared by the three kinds of calls. */
class CallScope {
  readonly controller = new AbortController();
  readonly record: OpenRecord;
  readonly handlerContext: HandlerContext;
  readonly #runtime: ServerRuntime;
  readonly #source: CallSource;
  readonly #entry: MethodEntry;

  /** `empty` is what the record holds until the caller is authenticated and the request decoded. */
  constructor(
    source: CallSource,
    entry: MethodEntry,
    port: Port,
    runtime: ServerRuntime,
    empty: Message | Message[],
  ) {
    this.#runtime = runtime;
    this.#source = source;
    this.#entry = entry;
    const headers = source.headers;
    this.record = {
      method: entry.path,
      port,
      headers: maskedHeaders(headers),
      traceparent: headers.traceparent,
      request: empty,
      receivedAt: new Date(),
      status: undefined,
      bodyDropped: true,
      ...(source.route !== undefined ? { route: source.route } : {}),
    };
    runtime.log.add(this.record);
    runtime.active.add(this.controller);
    this.handlerContext = { headers, signal: this.controller.signal, method: entry.path };
    source.onCancelled(() => {
      if (this.record.status === undefined) this.controller.abort(StopReason.Cancelled);
    });
    // A client that resets the stream after the response was handed over (it cancelled before receiving it:
    // the RST_STREAM crossed the response) still sees CANCELLED: the signal aborts then too, so that handlers
    // can undo what they stored, and the record says CANCELLED.
    source.onLateReset?.(() => {
      if (this.record.status !== OK.code || this.controller.signal.aborted) return;
      this.controller.abort(StopReason.Cancelled);
      this.record.status = Code.CANCELLED;
      this.record.details = "The client cancelled the call before it received the response.";
    });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The port and the key, checked before anything of the request is decoded or kept. */
  authenticate(): void {
    const entry = this.#entry;
    const port = this.record.port;
    if (entry.management !== (port === "management")) {
      const home = entry.management ? "management API" : "API";
      throw new EmulatorError(
        Code.UNIMPLEMENTED,
        `${entry.service.typeName} is not served here: it lives on the ${home} host (the emulator's ${entry.management ? "managementApiHost" : "apiHost"}).`,
      );
    }
    authenticate(this.handlerContext.headers, port, this.#runtime);
  }

  /** Keeps `request` in the call log, counting `bytes` against the log's byte budget. */
  keep(request: Message | Message[], bytes: number, empty: () => Message | Message[]): void {
    const record = this.record;
    record.request = request;
    delete record.bodyDropped;
    this.#runtime.log.track(record as CallRecord, bytes, () => {
      record.request = empty();
      record.bodyDropped = true;
    });
  }

  /** Counts more bytes of a client stream's kept messages. */
  grow(bytes: number): void {
    this.#runtime.log.grow(this.record as CallRecord, bytes);
  }

  /** Injected failures and latency, after authentication, in the order the real API would apply them. */
  async applyFaults(): Promise<void> {
    const path = this.#entry.path;
    const latency = this.#runtime.faults.latencyFor(path);
    if (latency > 0) await sleep(latency, this.signal);
    const failure = this.#runtime.faults.takeFailure(path);
    if (failure) throw new EmulatorError(failure.code, failure.details);
  }

  /** The status to send when the signal was aborted, or undefined when the client is gone. */
  stoppedStatus(): Status | undefined {
    if (this.signal.reason === StopReason.Shutdown) return SHUTDOWN_STATUS;
    return undefined;
  }

  finish(status: Status): void {
    this.record.status = status.code;
    if (status.code !== OK.code) this.record.details = status.details;
    this.#runtime.active.delete(this.controller);
  }

  /**
   * Records how a call that the client abandoned ended. The server's deadline is counted from when the
   * request arrived, later than the client's (by the transit and queueing time, which grows under load), so a
   * cancellation within {@link DEADLINE_SLACK_MS} of the server's deadline is the client's deadline passing.
   */
  finishAbandoned(): void {
    const deadlineMs = this.#source.deadlineMs();
    const expired = Number.isFinite(deadlineMs) && deadlineMs <= Date.now() + DEADLINE_SLACK_MS;
    this.finish(
      expired
        ? { code: Code.DEADLINE_EXCEEDED, details: "The deadline passed." }
        : { code: Code.CANCELLED, details: "The client cancelled the call." },
    );
  }
}

/** How early before the server-side deadline a cancellation still counts as the deadline passing. */
const DEADLINE_SLACK_MS = 250;

function unknownImplementation(entry: MethodEntry): EmulatorError {
  return new EmulatorError(Code.UNIMPLEMENTED, `The emulator has no implementation of ${entry.path}.`);
}

function implementationOf<F>(entry: MethodEntry, runtime: ServerRuntime): F {
  const impl = runtime.implementation(entry.path);
  if (!impl) throw unknownImplementation(entry);
  return impl as F;
}

type UnaryImpl = (request: Message, ctx: HandlerContext) => unknown;
type ServerStreamImpl = (request: Message, ctx: HandlerContext) => AsyncIterable<unknown>;
type ClientStreamImpl = (requests: AsyncIterable<Message>, ctx: HandlerContext) => unknown;

/** A decoded request and its size on the wire (what the call log counts). */
interface Decoded {
  message: Message;
  bytes: number;
}

const emptyRequest = (entry: MethodEntry) => () => create(entry.method.input as DescMessage) as Message;

/** The steps of a unary call after the scope is open: shared by gRPC and the REST face. */
async function runUnary(
  scope: CallScope,
  entry: MethodEntry,
  runtime: ServerRuntime,
  decode: () => Decoded | Promise<Decoded>,
): Promise<Message> {
  scope.authenticate();
  const { message: request, bytes } = await decode();
  scope.keep(request, loggedCost(bytes), emptyRequest(entry));
  await scope.applyFaults();
  const impl = implementationOf<UnaryImpl>(entry, runtime);
  const result = await impl(request, scope.handlerContext);
  if (scope.signal.aborted) throw scope.signal.reason;
  const response = create(entry.method.output as DescMessage, result as never) as Message;
  scope.finish(OK);
  return response;
}

function unaryHandler(entry: MethodEntry, port: Port, runtime: ServerRuntime) {
  const empty = emptyRequest(entry);
  return async (call: ServerUnaryCall<Message, Message>, callback: sendUnaryData<Message>): Promise<void> => {
    const scope = new CallScope(grpcSource(call), entry, port, runtime, empty());
    try {
      const response = await runUnary(scope, entry, runtime, () => decodeRequest(entry, call.request));
      callback(null, response);
    } catch (error) {
      respondWithError(scope, entry, error, (status) => callback(status));
    }
  };
}

function respondWithError(
  scope: CallScope,
  entry: MethodEntry,
  error: unknown,
  send: (status: Status) => void,
) {
  if (scope.signal.aborted) {
    const status = scope.stoppedStatus();
    if (status) {
      scope.finish(status);
      send(status);
    } else {
      scope.finishAbandoned();
    }
    return;
  }
  const status = toStatus(error, entry.path);
  scope.finish(status);
  send(status);
}

/** The underlying HTTP/2 stream of a grpc-js server call (an internal of grpc-js 1.14; may be absent). */
function http2StreamOf(call: AnyCall): Http2Stream | undefined {
  const inner = (call as unknown as { call?: { stream?: Http2Stream; nextCall?: { stream?: Http2Stream } } })
    .call;
  return inner?.stream ?? inner?.nextCall?.stream;
}

/** What the call log records for a dropped stream: what a grpc-js client reports for it. */
function droppedStatus(kind: "drop" | "disconnect", when: string): Status {
  return kind === "drop"
    ? { code: Code.INTERNAL, details: `The emulator reset the stream (RST_STREAM, no status) after ${when}.` }
    : { code: Code.UNAVAILABLE, details: `The emulator dropped the connection after ${when}.` };
}

/** Drops a stream without a gRPC status: RST_STREAM, or the whole connection. */
function dropStream(call: AnyCall, kind: "drop" | "disconnect"): boolean {
  const stream = http2StreamOf(call);
  if (!stream || stream.destroyed) return false;
  if (kind === "disconnect") stream.session?.destroy();
  else stream.close(http2Constants.NGHTTP2_INTERNAL_ERROR);
  return true;
}

function waitForDrain(call: ServerWritableStream<Message, Message>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      call.off("drain", done);
      call.off("close", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    call.on("drain", done);
    call.on("close", done);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Writes a message and waits until grpc-js has handed it (and every one before it) to HTTP/2. */
function writeAndFlush(
  call: ServerWritableStream<Message, Message>,
  message: Message,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener("abort", done);
      resolve();
    };
    signal.addEventListener("abort", done, { once: true });
    call.write(message, done);
  });
}

function serverStreamHandler(entry: MethodEntry, port: Port, runtime: ServerRuntime) {
  const output = entry.method.output as DescMessage;
  const empty = emptyRequest(entry);
  return async (call: ServerWritableStream<Message, Message>): Promise<void> => {
    const scope = new CallScope(grpcSource(call), entry, port, runtime, empty());
    const signal = scope.signal;
    const endWith = (status: Status) => call.emit("error", status);
    const applyCut = (cut: PendingCut, sent: number) => {
      const status: Status =
        cut.kind === "status"
          ? { code: cut.code, details: cut.details }
          : droppedStatus(cut.kind, `${sent} message(s) sent`);
      scope.finish(status);
      if (cut.kind === "status" || !dropStream(call, cut.kind)) endWith(status);
    };
    try {
      scope.authenticate();
      const { message: request, bytes } = decodeRequest(entry, call.request);
      scope.keep(request, loggedCost(bytes), empty);
      await scope.applyFaults();
      const impl = implementationOf<ServerStreamImpl>(entry, runtime);
      const cut = runtime.faults.takeCut(entry.path);
      if (cut && cut.after === 0) {
        applyCut(cut, 0);
        return;
      }
      let sent = 0;
      for await (const item of impl(request, scope.handlerContext)) {
        if (signal.aborted) break;
        const message = create(output, item as never) as Message;
        sent++;
        if (cut && sent === cut.after) {
          await writeAndFlush(call, message, signal);
          if (!signal.aborted) applyCut(cut, sent);
          return;
        }
        if (!call.write(message)) await waitForDrain(call, signal);
      }
      if (signal.aborted) throw signal.reason;
      scope.finish(OK);
      call.end();
    } catch (error) {
      respondWithError(scope, entry, error, endWith);
    }
  };
}

/** Thrown into a client-streaming handler's iteration when a cut fault fires. */
class StreamCutError extends Error {
  constructor(readonly cut: PendingCut) {
    super("The emulator cut the request stream (faults.cutStream).");
  }
}

async function* readRequests(
  call: ServerReadableStream<Message, Message>,
  entry: MethodEntry,
  scope: CallScope,
  received: Message[],
  cut: PendingCut | undefined,
): AsyncGenerator<Message> {
  if (cut && cut.after === 0) throw new StreamCutError(cut);
  const record = scope.record;
  let count = 0;
  let loggedBytes = 0;
  for await (const raw of call as AsyncIterable<unknown>) {
    const { message, bytes } = decodeRequest(entry, raw);
    count++;
    const cost = loggedCost(bytes);
    if (loggedBytes <= MAX_LOGGED_STREAM_BYTES && record.request === received) {
      received.push(message);
      loggedBytes += cost;
      scope.grow(cost);
    } else {
      record.droppedMessages = (record.droppedMessages ?? 0) + 1;
    }
    yield message;
    if (cut && count >= cut.after) throw new StreamCutError(cut);
  }
  // A cancelled call's requests may end as if the client had finished: the handler must not take them as
  // complete. (A client that cancels may also half-close just before it resets the stream, as Node's
  // Http2Stream.close does: CallScope then aborts the signal after the response, see #watchStream.)
  if (scope.signal.aborted) throw scope.signal.reason;
}

function clientStreamHandler(entry: MethodEntry, port: Port, runtime: ServerRuntime) {
  const output = entry.method.output as DescMessage;
  return async (
    call: ServerReadableStream<Message, Message>,
    callback: sendUnaryData<Message>,
  ): Promise<void> => {
    const received: Message[] = [];
    const scope = new CallScope(grpcSource(call), entry, port, runtime, []);
    // Ends the request iteration when the client goes away, so the handler does not wait forever.
    scope.signal.addEventListener("abort", () => call.destroy(), { once: true });
    let cutFired: PendingCut | undefined;
    try {
      scope.authenticate();
      scope.keep(received, 0, () => []);
      await scope.applyFaults();
      const impl = implementationOf<ClientStreamImpl>(entry, runtime);
      const cut = runtime.faults.takeCut(entry.path);
      const requests = readRequests(call, entry, scope, received, cut);
      const guarded: AsyncIterable<Message> = {
        [Symbol.asyncIterator]: () => ({
          next: async () => {
            try {
              return await requests.next();
            } catch (error) {
              if (error instanceof StreamCutError) cutFired = error.cut;
              throw error;
            }
          },
          return: async () => requests.return(undefined),
        }),
      };
      const result = await impl(guarded, scope.handlerContext);
      if (cutFired) throw new StreamCutError(cutFired);
      if (scope.signal.aborted) throw scope.signal.reason;
      const response = create(output, result as never) as Message;
      scope.finish(OK);
      callback(null, response);
    } catch (error) {
      const cut = cutFired ?? (error instanceof StreamCutError ? error.cut : undefined);
      if (cut && !scope.signal.aborted) {
        if (cut.kind === "status") {
          const status = { code: cut.code, details: cut.details };
          scope.finish(status);
          callback(status);
        } else {
          const status = droppedStatus(cut.kind, `${cut.after} message(s) received`);
          scope.finish(status);
          if (!dropStream(call, cut.kind)) callback(status);
        }
        return;
      }
      respondWithError(scope, entry, error, (status) => callback(status));
    }
  };
}

/**
 * grpc-js handlers (keyed by method local name) for one service on one port: every call goes through
 * authentication, the call log and the faults before reaching the current implementation.
 *
 * @example
 * ```ts
 * server.addService(serviceDefinition(Chat), serviceHandlers(entries, "api", runtime));
 * ```
 */
export function serviceHandlers(
  entries: readonly MethodEntry[],
  port: Port,
  runtime: ServerRuntime,
): UntypedServiceImplementation {
  const handlers: UntypedServiceImplementation = {};
  for (const entry of entries) {
    let handler: UntypedHandleCall;
    switch (entry.method.methodKind) {
      case "unary":
        handler = unaryHandler(entry, port, runtime) as UntypedHandleCall;
        break;
      case "server_streaming":
        handler = serverStreamHandler(entry, port, runtime) as UntypedHandleCall;
        break;
      case "client_streaming":
        handler = clientStreamHandler(entry, port, runtime) as UntypedHandleCall;
        break;
      default:
        throw new Error(
          `The emulator cannot serve ${entry.path}: ${entry.method.methodKind} methods are not supported.`,
        );
    }
    handlers[entry.method.localName] = handler;
  }
  return handlers;
}

/**
 * One call received by the REST face (rest/): its headers, its route for the call log, and a signal that
 * aborts when the HTTP client goes away.
 */
export interface LocalCall {
  readonly headers: Record<string, string>;
  /** `POST /v1/chat/completions` */
  readonly route: string;
  readonly signal: AbortSignal;
}

/**
 * Thrown by {@link localStream} when a `faults.cutStream(…, "drop" | "disconnect")` fires: the REST face then
 * destroys the connection without ending the response, as a dropped connection would.
 */
export class StreamDropped extends Error {
  constructor(readonly kind: "drop" | "disconnect") {
    super(`The emulator dropped the stream (faults.cutStream "${kind}").`);
    this.name = "StreamDropped";
  }
}

function localSource(call: LocalCall): CallSource {
  return {
    headers: call.headers,
    route: call.route,
    onCancelled: (listener) => call.signal.addEventListener("abort", listener, { once: true }),
    deadlineMs: () => Number.POSITIVE_INFINITY,
  };
}

/** What a failed local call throws: the status the call log recorded, as an EmulatorError. */
function localFailure(scope: CallScope, entry: MethodEntry, error: unknown): EmulatorError {
  let sent: Status = { code: Code.CANCELLED, details: "The client cancelled the call." };
  respondWithError(scope, entry, error, (status) => {
    sent = status;
  });
  return new EmulatorError(sent.code, sent.details);
}

/**
 * Serves a unary method for the REST face, through the same authentication, call log, faults and
 * implementation as gRPC. `decode` runs once the caller is authenticated (it reads and translates the HTTP
 * body); whatever fails is thrown as an EmulatorError carrying the status the call log recorded.
 *
 * @example
 * ```ts
 * const response = await localUnary(runtime, entry, call, async () => ({ message: request, bytes: body.length }));
 * ```
 */
export async function localUnary(
  runtime: ServerRuntime,
  entry: MethodEntry,
  call: LocalCall,
  decode: () => Decoded | Promise<Decoded>,
): Promise<Message> {
  const scope = new CallScope(localSource(call), entry, "api", runtime, emptyRequest(entry)());
  try {
    return await runUnary(scope, entry, runtime, decode);
  } catch (error) {
    throw localFailure(scope, entry, error);
  }
}

/**
 * Serves a server-streaming method for the REST face: the messages the gRPC client would receive, in
 * order. Faults apply as on gRPC: `failNext` and cuts after 0 messages throw before the first message; a
 * status cut after K messages throws an EmulatorError after the K-th; a "drop" or "disconnect" cut throws
 * {@link StreamDropped}. A consumer that stops early leaves the call recorded as CANCELLED.
 *
 * @example
 * ```ts
 * for await (const chunk of localStream(runtime, entry, call, decode)) write(chunk);
 * ```
 */
export async function* localStream(
  runtime: ServerRuntime,
  entry: MethodEntry,
  call: LocalCall,
  decode: () => Decoded | Promise<Decoded>,
): AsyncGenerator<Message> {
  const output = entry.method.output as DescMessage;
  const scope = new CallScope(localSource(call), entry, "api", runtime, emptyRequest(entry)());
  const signal = scope.signal;
  let sent = 0;
  const cutAfter = (cut: PendingCut): Error => {
    if (cut.kind === "status") {
      scope.finish({ code: cut.code, details: cut.details });
      return new EmulatorError(cut.code, cut.details);
    }
    scope.finish(droppedStatus(cut.kind, `${sent} message(s) sent`));
    return new StreamDropped(cut.kind);
  };
  try {
    scope.authenticate();
    const { message: request, bytes } = await decode();
    scope.keep(request, loggedCost(bytes), emptyRequest(entry));
    await scope.applyFaults();
    const impl = implementationOf<ServerStreamImpl>(entry, runtime);
    const cut = runtime.faults.takeCut(entry.path);
    if (cut && cut.after === 0) throw cutAfter(cut);
    for await (const item of impl(request, scope.handlerContext)) {
      if (signal.aborted) break;
      sent++;
      yield create(output, item as never) as Message;
      if (cut && sent === cut.after) throw cutAfter(cut);
    }
    if (signal.aborted) throw signal.reason;
    scope.finish(OK);
  } catch (error) {
    if (scope.record.status !== undefined) throw error;
    throw localFailure(scope, entry, error);
  } finally {
    // The consumer stopped reading (the HTTP client went away): the call was abandoned.
    if (scope.record.status === undefined) scope.finishAbandoned();
  }
}
