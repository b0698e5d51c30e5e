// One client's observability: tracing (when @opentelemetry/api is installed and not switched off) and the
// debug log, fed to the transport as one call observer per channel.
import { XaiInputError } from "../transport/errors.js";
import type { CallEnd, CallObservation, CallObserver, ObservedMethod } from "../transport/observe.js";
import type { Attributes } from "./describe.js";
import { CallLog } from "./log.js";
import {
  checkLogger,
  type Logger,
  resolveLogLevel,
  resolveTracing,
  type TracingSettings,
} from "./options.js";
import { globalTracerRegistered, loadOtel } from "./otel.js";
import { type SpanHandle, Tracing } from "./tracing.js";

/** What {@link Telemetry} is made from: the client's options as given. */
export interface TelemetryConfig {
  telemetry: unknown;
  logLevel: unknown;
  logger: unknown;
}

const NO_SPAN: SpanHandle = { set: () => {} };

/** Both observations of a call, when it is traced and logged. */
function both(a: CallObservation, b: CallObservation): CallObservation {
  return {
    headers: a.headers ?? b.headers,
    received: (m: unknown) => {
      a.received?.(m);
      b.received?.(m);
    },
    end: (o: CallEnd) => {
      a.end(o);
      b.end(o);
    },
  };
}

/**
 * A client's tracing and log. Options are checked at construction; `@opentelemetry/api` is looked for on the
 * first call (or at construction when a tracer provider is given, which needs it).
 */
export class Telemetry {
  readonly #settings: TracingSettings | undefined;
  readonly #level: ReturnType<typeof resolveLogLevel>;
  readonly #logger: Logger;
  /** undefined: not looked for yet; null: off or not installed. */
  #tracing: Tracing | null | undefined;

  constructor(config: TelemetryConfig) {
    this.#settings = resolveTracing(config.telemetry);
    this.#level = resolveLogLevel(config.logLevel);
    this.#logger = checkLogger(config.logger) ?? console;
    if (!this.#settings) this.#tracing = null;
    else if (this.#settings.tracerProvider && !this.tracing()) {
      throw new XaiInputError(
        "telemetry.tracerProvider was given but @opentelemetry/api is not installed where xai-grpc can load it: npm install @opentelemetry/api",
      );
    }
  }

  /**
   * The tracing, once @opentelemetry/api was loaded; undefined when off, not installed, or (for the global
   * provider) while none is registered: the API is loaded only once there is something to trace with.
   */
  tracing(): Tracing | undefined {
    if (this.#tracing === undefined) {
      const settings = this.#settings;
      if (!settings) this.#tracing = null;
      else if (!settings.tracerProvider && !globalTracerRegistered()) return undefined;
      else {
        const api = loadOtel();
        this.#tracing = api ? new Tracing(api, settings) : null;
      }
    }
    return this.#tracing ?? undefined;
  }

  /** The observer of one channel's calls; undefined when neither tracing nor the log can be on. */
  observer(address: string): CallObserver | undefined {
    const log = this.#level === "off" ? undefined : new CallLog(this.#level, this.#logger, address);
    if (!this.#settings && !log) return undefined;
    let traced: CallObserver | undefined;
    return {
      start: (method: ObservedMethod, request: unknown) => {
        if (!traced && this.#tracing !== null) traced = this.tracing()?.observer(address);
        const a = traced?.start(method, request);
        const b = log?.start(method);
        return a && b ? both(a, b) : (a ?? b);
      },
    };
  }

  /** Runs `body` in a span (tool loops); just runs it when nothing is traced. */
  span<T>(name: string, attributes: Attributes, body: (span: SpanHandle) => Promise<T>): Promise<T> {
    const tracing = this.tracing();
    return tracing ? tracing.span(name, attributes, body) : body(NO_SPAN);
  }

  /** Whether prompts, completions and tool arguments may be recorded. */
  get captureContent(): boolean {
    return this.#settings?.captureContent ?? false;
  }
}
