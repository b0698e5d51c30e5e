// What a service tells the tracer about its calls: the GenAI attributes of a request and of its responses.
// Each service owns its describers (src/chat/telemetry.ts...); src/telemetry/tracing.ts looks them up by path.

/** Span attribute values (OpenTelemetry's: primitives and arrays of one primitive type). */
export type AttributeValue = string | number | boolean | string[] | number[];

/** Span attributes; undefined values are left out. */
export type Attributes = Record<string, AttributeValue | undefined>;

/** What a describer makes of a request. */
export interface RequestDescription {
  /** The model asked for: the span is named `{operation} {model}` when there is one, else after the method. */
  model?: string | undefined;
  attributes: Attributes;
}

/** Gathers a call's response messages (one for a unary call, every chunk of a stream) into attributes. */
export interface ResponseDescriber {
  add(message: unknown): void;
  /** The response attributes, read once the call ended. */
  attributes(): Attributes;
}

/**
 * The GenAI view of one method.
 */
export interface MethodDescriber {
  /** `gen_ai.operation.name` (e.g. `chat`), or undefined for a call that is part of an operation (a poll). */
  readonly operation: string | undefined;
  /** The request's attributes; `content`: prompts may be recorded. */
  request(request: unknown, content: boolean): RequestDescription;
  /** A new gatherer of one call's responses; `content`: completions may be recorded. */
  response(content: boolean): ResponseDescriber;
}

/** The provider name every GenAI span carries (`gen_ai.provider.name`). */
export const PROVIDER = "xai";

/** A GenAI request's description: operation, provider and model, then `more`. */
export function genAiRequest(operation: string, model: string, more: Attributes): RequestDescription {
  return {
    model,
    attributes: {
      "gen_ai.operation.name": operation,
      "gen_ai.provider.name": PROVIDER,
      "gen_ai.request.model": model,
      ...more,
    },
  };
}

/** A describer of a call with one response message, made into attributes once the call ended. */
export function singleResponse<T>(attributesOf: (response: T) => Attributes): () => ResponseDescriber {
  return () => {
    let response: T | undefined;
    return {
      add: (m) => {
        response = m as T;
      },
      attributes: () => (response === undefined ? {} : attributesOf(response)),
    };
  };
}

/** The JSON text of a value for a span attribute, cut to `max` characters (content attributes can be long). */
export function jsonAttribute(value: unknown, max = 64 * 1024): string {
  let text: string;
  try {
    text = JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? Number(v) : v)) ?? "";
  } catch {
    text = "";
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
