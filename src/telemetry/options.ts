// The public options of tracing and of the debug log, and how they are read from the environment.
import { XaiInputError } from "../transport/errors.js";

/**
 * What {@link TelemetryOptions.tracerProvider} must offer: an OpenTelemetry `TracerProvider` (e.g. the SDK's
 * `BasicTracerProvider` or `NodeTracerProvider`). Typed structurally so that this package's types do not need
 * `@opentelemetry/api`.
 *
 * @example
 * ```ts
 * import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
 * const tracerProvider: TracerProviderLike = new BasicTracerProvider();
 * ```
 */
export interface TracerProviderLike {
  getTracer(name: string, version?: string): object;
}

/**
 * The `telemetry` option of `new Client`: OpenTelemetry tracing, on by default when `@opentelemetry/api` is
 * installed and a tracer provider is registered (or given here). `telemetry: false`, or the environment
 * variable `XAI_SDK_DISABLE_TRACING=1`, turns it off.
 *
 * @example
 * ```ts
 * const client = new Client({ telemetry: { tracerProvider, captureContent: true } });
 * ```
 */
export interface TelemetryOptions {
  /**
   * The provider of the client's tracer, used as it is (the SDK registers nothing globally). Default: the
   * global provider (`trace.setGlobalTracerProvider`, e.g. by `NodeSDK.start()`), read at each call.
   */
  tracerProvider?: TracerProviderLike | undefined;
  /**
   * Records prompts and completions (`gen_ai.input.messages`, `gen_ai.output.messages`, tool arguments and
   * results) on spans. They may hold personal data: off by default; also turned on by the environment variable
   * `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`. The API key is never recorded.
   */
  captureContent?: boolean | undefined;
}

/**
 * How much the client logs (`logLevel` option, or `XAI_LOG`): `"debug"` every call as it starts and ends
 * (method, status, duration, attempts, bytes sent and received) and streams' first message; `"info"` the end
 * of every call; `"warn"` calls that were retried or failed; `"error"` calls that failed; `"off"` (default)
 * nothing.
 *
 * @example
 * ```ts
 * const client = new Client({ logLevel: "debug" }); // or XAI_LOG=debug node app.js
 * ```
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "off";

/**
 * Where log lines go (the `logger` option): `console` by default, or any object with the same four methods
 * (pino, winston and similar loggers have them). Each receives one line of text.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const logger: Logger = { debug: (l) => lines.push(l), info: (l) => lines.push(l), warn: console.warn, error: console.error };
 * ```
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error", "off"];

/** The numeric rank of a level: a line is written when its rank is at least the client's. */
export const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, off: 4 };

/** The log level from the option, else `XAI_LOG`, else `"off"`; a bad value is an XaiInputError naming its source. */
export function resolveLogLevel(option: unknown, env: NodeJS.ProcessEnv = process.env): LogLevel {
  const fromEnv = env.XAI_LOG;
  const [value, source] =
    option !== undefined ? [option, "logLevel"] : fromEnv ? [fromEnv.toLowerCase(), "XAI_LOG"] : ["off", ""];
  if (typeof value !== "string" || !LEVELS.includes(value as LogLevel)) {
    throw new XaiInputError(
      `${source} must be one of ${LEVELS.join(", ")}, got ${JSON.stringify(value) ?? String(value)}; e.g. new Client({ logLevel: "debug" }) or XAI_LOG=debug`,
    );
  }
  return value as LogLevel;
}

/** Checks the `logger` option: an object with debug, info, warn and error methods. */
export function checkLogger(logger: unknown): Logger | undefined {
  if (logger === undefined) return undefined;
  const l = logger as Record<string, unknown>;
  const methods = ["debug", "info", "warn", "error"];
  if (typeof logger !== "object" || logger === null || !methods.every((m) => typeof l[m] === "function")) {
    throw new XaiInputError(
      "logger must have debug, info, warn and error methods (console has them), e.g. new Client({ logger: console })",
    );
  }
  return logger as Logger;
}

/** Whether an environment flag is on (`1` or `true`, any case), as the Python SDK reads its flags. */
export function envFlag(value: string | undefined): boolean {
  return value !== undefined && /^(1|true)$/i.test(value.trim());
}

/** The resolved tracing settings: undefined when tracing is off. */
export interface TracingSettings {
  tracerProvider: TracerProviderLike | undefined;
  captureContent: boolean;
}

/**
 * The tracing settings from the `telemetry` option and the environment: off with `false` or
 * `XAI_SDK_DISABLE_TRACING`; content capture from the option, else `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT`.
 */
export function resolveTracing(
  option: unknown,
  env: NodeJS.ProcessEnv = process.env,
): TracingSettings | undefined {
  if (option === false || envFlag(env.XAI_SDK_DISABLE_TRACING)) return undefined;
  if (
    option !== undefined &&
    option !== true &&
    (typeof option !== "object" || option === null || Array.isArray(option))
  ) {
    throw new XaiInputError(
      `telemetry must be false (no tracing) or an object such as { tracerProvider, captureContent: true }, got ${String(option)}`,
    );
  }
  const given = (typeof option === "object" ? option : {}) as TelemetryOptions;
  for (const key of Object.keys(given)) {
    if (key !== "tracerProvider" && key !== "captureContent") {
      throw new XaiInputError(
        `telemetry.${key} is not a telemetry option; use tracerProvider or captureContent`,
      );
    }
  }
  const provider = given.tracerProvider;
  if (provider !== undefined && typeof (provider as { getTracer?: unknown })?.getTracer !== "function") {
    throw new XaiInputError(
      "telemetry.tracerProvider must be an OpenTelemetry TracerProvider (an object with getTracer()), e.g. new BasicTracerProvider()",
    );
  }
  const capture = given.captureContent;
  if (capture !== undefined && typeof capture !== "boolean") {
    throw new XaiInputError(`telemetry.captureContent must be true or false, got ${String(capture)}`);
  }
  return {
    tracerProvider: provider,
    captureContent: capture ?? envFlag(env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT),
  };
}
