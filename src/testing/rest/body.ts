// Reading a REST request: the body (bounded as the gRPC API bounds a message), its JSON, and typed access to
// its fields with errors that name the field and what it must be.
import type { IncomingMessage } from "node:http";
import { Code, EmulatorError } from "../types.js";
import { badField } from "./errors.js";

/** The largest body the REST face reads: the gRPC API's 20 MiB message limit. */
const MAX_BODY_BYTES = 20 * 1024 * 1024;

/** A JSON object as received. */
export type Json = Record<string, unknown>;

/**
 * Reads the whole body; rejects (RESOURCE_EXHAUSTED) beyond 20 MiB, as the gRPC API does for a message.
 *
 * @example
 * ```ts
 * const bytes = await readBody(request);
 * ```
 */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of request as AsyncIterable<Buffer>) {
    size += part.byteLength;
    if (size > MAX_BODY_BYTES) {
      request.resume();
      throw new EmulatorError(
        Code.RESOURCE_EXHAUSTED,
        `The request body is larger than ${MAX_BODY_BYTES} bytes, the API's limit.`,
      );
    }
    parts.push(part);
  }
  return Buffer.concat(parts);
}

/**
 * A body parsed as a JSON object, or the error to report for it (thrown only once the caller is
 * authenticated, so that a wrong key is reported before a bad body).
 */
export type ParsedBody = { ok: true; json: Json } | { ok: false; error: EmulatorError };

/**
 * Parses a JSON object body.
 *
 * @example
 * ```ts
 * const parsed = parseBody(await readBody(request));
 * if (parsed.ok) parsed.json.model;
 * ```
 */
export function parseBody(bytes: Buffer): ParsedBody {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    return {
      ok: false,
      error: new EmulatorError(
        Code.INVALID_ARGUMENT,
        `The request body is not valid JSON (${(error as Error).message}).`,
      ),
    };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return {
      ok: false,
      error: new EmulatorError(Code.INVALID_ARGUMENT, "The request body must be a JSON object."),
    };
  }
  return { ok: true, json: value as Json };
}

/** The body's JSON object, or its error. */
export function jsonOf(parsed: ParsedBody): Json {
  if (!parsed.ok) throw parsed.error;
  return parsed.json;
}

/** Typed, checked access to optional fields of a JSON object; `where` prefixes field names in errors. */
export class Fields {
  constructor(
    readonly json: Json,
    readonly where = "",
  ) {}

  #name(key: string): string {
    return `${this.where}${key}`;
  }

  #get(key: string): unknown {
    const value = this.json[key];
    return value === null ? undefined : value;
  }

  string(key: string): string | undefined {
    const value = this.#get(key);
    if (value === undefined || typeof value === "string") return value;
    throw badField(this.#name(key), "a string");
  }

  number(key: string): number | undefined {
    const value = this.#get(key);
    if (value === undefined || (typeof value === "number" && Number.isFinite(value))) return value;
    throw badField(this.#name(key), "a number");
  }

  integer(key: string): number | undefined {
    const value = this.number(key);
    if (value === undefined || Number.isInteger(value)) return value;
    throw badField(this.#name(key), "a whole number");
  }

  boolean(key: string): boolean | undefined {
    const value = this.#get(key);
    if (value === undefined || typeof value === "boolean") return value;
    throw badField(this.#name(key), "true or false");
  }

  object(key: string): Fields | undefined {
    const value = this.#get(key);
    if (value === undefined) return undefined;
    if (typeof value === "object" && !Array.isArray(value))
      return new Fields(value as Json, `${this.#name(key)}.`);
    throw badField(this.#name(key), "an object");
  }

  array(key: string): unknown[] | undefined {
    const value = this.#get(key);
    if (value === undefined || Array.isArray(value)) return value;
    throw badField(this.#name(key), "an array");
  }

  /** An array of objects, each as Fields named `key[i].`. */
  objects(key: string): Fields[] | undefined {
    return this.array(key)?.map((item, i) => {
      if (typeof item === "object" && item !== null && !Array.isArray(item)) {
        return new Fields(item as Json, `${this.#name(key)}[${i}].`);
      }
      throw badField(`${this.#name(key)}[${i}]`, "an object");
    });
  }

  /** A string, or an array of strings. */
  strings(key: string): string[] | undefined {
    const value = this.#get(key);
    if (value === undefined) return undefined;
    if (typeof value === "string") return [value];
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value as string[];
    throw badField(this.#name(key), "a string or an array of strings");
  }

  /** One of `names`, mapped through `values`. */
  choice<T>(key: string, values: Readonly<Record<string, T>>): T | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (Object.hasOwn(values, value)) return values[value];
    throw badField(
      this.#name(key),
      `one of ${Object.keys(values)
        .map((v) => `"${v}"`)
        .join(", ")} (got "${value}")`,
    );
  }

  /** The raw value. */
  raw(key: string): unknown {
    return this.#get(key);
  }

  field(key: string): string {
    return this.#name(key);
  }
}
