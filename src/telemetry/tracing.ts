// OpenTelemetry client spans for RPCs (GenAI and RPC semantic conventions), W3C trace context sent to the
// server, and the spans of tool loops. Loaded only through src/telemetry/telemetry.ts once
// @opentelemetry/api was found.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Context, Span, Tracer } from "@opentelemetry/api";
import { chatDescribers } from "../chat/telemetry.js";
import { embeddingsDescribers } from "../embeddings/telemetry.js";
import { imageDescribers } from "../image/telemetry.js";
import { modelDescribers } from "../models/telemetry.js";
import type { HeaderList } from "../transport/channel.js";
import { XaiError } from "../transport/errors.js";
import type { CallEnd, CallObservation, CallObserver, ObservedMethod } from "../transport/observe.js";
import { VERSION } from "../version.js";
import type { Attributes, MethodDescriber, ResponseDescriber } from "./describe.js";
import type { TracingSettings } from "./options.js";
import type { Otel } from "./otel.js";

/** The instrumentation scope of every span. */
const SCOPE = "xai-grpc";

/** Every service's describers, by method path. */
const DESCRIBERS: Record<string, MethodDescriber> = {
  ...chatDescribers,
  ...imageDescribers,
  ...embeddingsDescribers,
  ...modelDescribers,
};

/** Attributes without their undefined values. */
function defined(attributes: Attributes): Record<string, Exclude<Attributes[string], undefined>> {
  const out: Record<string, Exclude<Attributes[string], undefined>> = {};
  for (const key in attributes) {
    const v = attributes[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** `server.address` and `server.port` of a channel's `host:port` (or `unix:` target). */
function serverAttributes(address: string): Attributes {
  if (address.startsWith("unix:")) return { "server.address": address.replace(/^unix:(\/\/)?/, "") };
  const at = address.lastIndexOf(":");
  const host = address.slice(0, at).replace(/^\[(.*)\]$/, "$1");
  return { "server.address": host, "server.port": Number(address.slice(at + 1)) };
}

/** The `error.type` of an error: the status name of an XaiError, else the error's class. */
function errorType(error: unknown): string {
  if (error instanceof XaiError) return error.statusName;
  return error instanceof Error ? error.name : typeof error;
}

/** A duck-typed ProxyTracerProvider (the API's global provider before and after registration). */
interface ProxyProvider {
  getDelegate?(): object;
  getDelegateTracer?(name: string, version?: string): Tracer | undefined;
  getTracer(name: string, version?: string): Tracer;
}

/** What a tool loop's code does inside a span. */
export interface SpanHandle {
  /** Adds attributes to the span (undefined values are skipped). */
  set(attributes: Attributes): void;
}

const NO_SPAN: SpanHandle = { set: () => {} };

/** One client's tracing: its tracer (given, or the global one), content capture and the loop spans' context. */
export class Tracing {
  readonly #api: Otel;
  readonly #given: Tracer | undefined;
  readonly #capture: boolean;
  /** The global provider's delegate the cached tracer belongs to. */
  #delegate: object | undefined;
  #globalTracer: Tracer | undefined;
  /**
   * The context of the SDK's own spans (tool loops) for calls made inside them, for applications that
   * registered no context manager (then `context.active()` is always the root). Made on first use.
   */
  #loopContext: AsyncLocalStorage<Context> | undefined;

  constructor(api: Otel, settings: TracingSettings) {
    this.#api = api;
    this.#capture = settings.captureContent;
    this.#given = settings.tracerProvider?.getTracer(SCOPE, VERSION) as Tracer | undefined;
  }

  /** The tracer to use now; undefined when no provider is registered (the API's no-op: nothing to record). */
  #tracer(): Tracer | undefined {
    if (this.#given) return this.#given;
    const provider = this.#api.trace.getTracerProvider() as ProxyProvider;
    if (typeof provider.getDelegate !== "function" || typeof provider.getDelegateTracer !== "function") {
      return provider.getTracer(SCOPE, VERSION);
    }
    const delegate = provider.getDelegate();
    if (delegate !== this.#delegate) {
      this.#delegate = delegate;
      this.#globalTracer = provider.getDelegateTracer(SCOPE, VERSION);
    }
    return this.#globalTracer;
  }

  /** The parent of a new span: the active context, else the tool loop's span the call is made in. */
  #parent(): Context {
    const api = this.#api;
    const active = api.context.active();
    if (active !== api.ROOT_CONTEXT || !this.#loopContext) return active;
    return this.#loopContext.getStore() ?? active;
  }

  /** W3C `traceparent` (and `tracestate`) of a span, plus what a registered global propagator adds. */
  #headers(span: Span, parent: Context): HeaderList {
    const api = this.#api;
    const carrier: Record<string, string> = {};
    api.propagation.inject(api.trace.setSpan(parent, span), carrier);
    const sc = span.spanContext();
    carrier.traceparent ??= `00-${sc.traceId}-${sc.spanId}-${sc.traceFlags & 1 ? "01" : "00"}`;
    const state = sc.traceState?.serialize();
    if (state && carrier.tracestate === undefined) carrier.tracestate = state;
    return Object.entries(carrier);
  }

  /** The observer of one channel's calls. */
  observer(address: string): CallObserver {
    const server = serverAttributes(address);
    return { start: (method, request) => this.#start(method, request, server) };
  }

  #start(method: ObservedMethod, request: unknown, server: Attributes): CallObservation | undefined {
    const tracer = this.#tracer();
    if (!tracer) return undefined;
    const api = this.#api;
    const describer = DESCRIBERS[method.path];
    const described = describer?.request(request, this.#capture);
    const name =
      describer?.operation && described?.model
        ? `${describer.operation} ${described.model}`
        : `${method.service}/${method.name}`;
    const attributes = defined({
      "rpc.system": "grpc",
      "rpc.service": method.service,
      "rpc.method": method.name,
      ...server,
      ...described?.attributes,
    });
    const parent = this.#parent();
    const span = tracer.startSpan(name, { kind: api.SpanKind.CLIENT, attributes }, parent);
    const valid = api.trace.isSpanContextValid(span.spanContext());
    const headers = valid ? this.#headers(span, parent) : undefined;
    if (!span.isRecording()) return { headers, end: () => span.end() };
    return new TracedCall(
      api,
      span,
      headers,
      describer?.response(this.#capture),
      // Time to first token: GenAI streams only (not file downloads).
      method.kind === "server_stream" && describer?.operation !== undefined,
    );
  }

  /**
   * Runs `body` in a span of its own (a tool loop, a round, a tool), current for the calls made inside it;
   * an error thrown by `body` is recorded on the span and rethrown. Without a tracer, just runs `body`.
   */
  async span<T>(name: string, attributes: Attributes, body: (span: SpanHandle) => Promise<T>): Promise<T> {
    const tracer = this.#tracer();
    if (!tracer) return body(NO_SPAN);
    const api = this.#api;
    const parent = this.#parent();
    const span = tracer.startSpan(name, { attributes: defined(attributes) }, parent);
    const context = api.trace.setSpan(parent, span);
    this.#loopContext ??= new AsyncLocalStorage<Context>();
    const store = this.#loopContext;
    const handle: SpanHandle = { set: (a) => span.setAttributes(defined(a)) };
    try {
      return await api.context.with(context, () => store.run(context, () => body(handle)));
    } catch (error) {
      recordError(api, span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  /** Whether prompts and completions are recorded. */
  get captureContent(): boolean {
    return this.#capture;
  }
}

function recordError(api: Otel, span: Span, error: unknown): void {
  span.setAttribute("error.type", errorType(error));
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: api.SpanStatusCode.ERROR, message });
}

/** The span of one call while it runs. */
class TracedCall implements CallObservation {
  readonly headers: HeaderList | undefined;
  readonly #api: Otel;
  readonly #span: Span;
  readonly #responses: ResponseDescriber | undefined;
  #awaitingFirst: boolean;

  constructor(
    api: Otel,
    span: Span,
    headers: HeaderList | undefined,
    responses: ResponseDescriber | undefined,
    stream: boolean,
  ) {
    this.#api = api;
    this.#span = span;
    this.headers = headers;
    this.#responses = responses;
    this.#awaitingFirst = stream;
  }

  received(message: unknown): void {
    if (this.#awaitingFirst) {
      this.#awaitingFirst = false;
      this.#span.addEvent("gen_ai.first_chunk");
    }
    this.#responses?.add(message);
  }

  end(outcome: CallEnd): void {
    const span = this.#span;
    if (this.#responses) span.setAttributes(defined(this.#responses.attributes()));
    span.setAttribute("rpc.grpc.status_code", outcome.code);
    if (outcome.attempts > 1) span.setAttribute("xai.rpc.attempts", outcome.attempts);
    if (outcome.cancelled) span.setAttribute("xai.stream.cancelled", true);
    else if (outcome.error !== undefined) recordError(this.#api, span, outcome.error);
    span.end();
  }
}
