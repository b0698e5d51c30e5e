// The cassette file: one pretty-printed JSON document (diff-friendly: a changed field is a changed line), with
// every call's request as proto JSON and its responses, status and metadata. Read and written only here.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import {
  type DescMessage,
  fromBinary,
  fromJson,
  type JsonValue,
  type Message,
  toBinary,
  toJson,
} from "@bufbuild/protobuf";
import { withWireBytes } from "../service-definition.js";

/** The `format` field of every cassette file. */
export const CASSETTE_FORMAT = "xai-grpc-cassette";
/** The version of the file format this package reads and writes. */
export const CASSETTE_VERSION = 1;

/**
 * One response message of a recorded call.
 *
 * @example
 * ```ts
 * const first: CassetteMessage = { afterMs: 12, message: { id: "…", outputs: [] } };
 * ```
 */
export interface CassetteMessage {
  /** Milliseconds after the call started when the message arrived. */
  afterMs: number;
  /** The message as proto3 JSON (absent only when it could not be written as JSON, see `binary`). */
  message?: JsonValue;
  /**
   * The message's wire bytes (base64), written only when the JSON would not give them back exactly (fields
   * unknown to this package's schema) and nothing in the message was scrubbed. Replay prefers it.
   */
  binary?: string;
}

/**
 * One recorded call.
 *
 * @example
 * ```ts
 * const call: CassetteCall = cassette.calls[0];
 * console.log(call.method, call.status.code, call.responses.length);
 * ```
 */
export interface CassetteCall {
  /** Full method path, e.g. `/xai_api.Chat/GetCompletion`. */
  method: string;
  /** The request as proto3 JSON (unary and server-streaming methods). */
  request?: JsonValue;
  /** The request messages as proto3 JSON (client-streaming methods: uploads). */
  requests?: JsonValue[];
  /** Request headers sent to the host, scrubbed (first value of each). */
  requestMetadata?: Record<string, string>;
  /** Response headers (initial metadata), scrubbed. */
  responseMetadata?: Record<string, string>;
  /** Response messages, in order. */
  responses: CassetteMessage[];
  /** The final status: code (0 = OK), details, and when it arrived. */
  status: { code: number; details: string; afterMs: number };
  /** Trailing metadata, scrubbed. */
  trailers?: Record<string, string>;
}

/**
 * A cassette file's content.
 *
 * @example
 * ```ts
 * const cassette = readCassette("test/cassettes/chat.json");
 * console.log(cassette.calls.map((call) => call.method));
 * ```
 */
export interface CassetteFile {
  format: typeof CASSETTE_FORMAT;
  version: typeof CASSETTE_VERSION;
  /** When the recording started (ISO 8601). */
  recordedAt: string;
  /** The fields and headers that were scrubbed (replay scrubs the same fields of incoming requests). */
  scrubbed: { fields: string[]; headers: string[] };
  calls: CassetteCall[];
}

/**
 * Reads and checks a cassette file; throws an Error naming the file and the problem.
 *
 * @example
 * ```ts
 * const cassette = readCassette("test/cassettes/chat.json");
 * ```
 */
export function readCassette(path: string): CassetteFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === "ENOENT"
        ? `The cassette ${path} does not exist: record it first (mode "record" or "auto").`
        : `The cassette ${path} could not be read: ${(error as Error).message}`,
    );
  }
  return parseCassette(text, path);
}

/** Parses a cassette's text (see {@link readCassette}). */
export function parseCassette(text: string, path: string): CassetteFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`The cassette ${path} is not valid JSON (${(error as Error).message}); re-record it.`);
  }
  const file = parsed as Partial<CassetteFile> | null;
  if (typeof file !== "object" || file === null || file.format !== CASSETTE_FORMAT) {
    throw new Error(`${path} is not a cassette: it has no "format": "${CASSETTE_FORMAT}" field.`);
  }
  if (file.version !== CASSETTE_VERSION) {
    throw new Error(
      `The cassette ${path} has version ${JSON.stringify(file.version)}; this package reads version ${CASSETTE_VERSION}. Re-record it.`,
    );
  }
  if (!Array.isArray(file.calls)) throw new Error(`The cassette ${path} has no "calls" array.`);
  file.calls.forEach((call, i) => {
    const where = `The cassette ${path}, call ${i + 1}`;
    if (typeof call?.method !== "string") throw new Error(`${where}: "method" must be a method path.`);
    if (!Array.isArray(call.responses))
      throw new Error(`${where} (${call.method}): "responses" must be an array.`);
    if (typeof call.status?.code !== "number")
      throw new Error(`${where} (${call.method}): "status.code" must be a number.`);
  });
  return {
    format: CASSETTE_FORMAT,
    version: CASSETTE_VERSION,
    recordedAt: String(file.recordedAt ?? ""),
    scrubbed: {
      fields: [...(file.scrubbed?.fields ?? [])],
      headers: [...(file.scrubbed?.headers ?? [])],
    },
    calls: file.calls,
  };
}

/** The text of a cassette: pretty-printed JSON, two-space indent, a final newline. */
export function formatCassette(cassette: CassetteFile): string {
  return `${JSON.stringify(cassette, null, 2)}\n`;
}

/** Writes a cassette atomically (a temporary file renamed over it), so a crash never leaves half a file. */
export function writeCassette(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** A message as proto3 JSON, or undefined when it cannot be written as JSON (an `Any` of an unknown type). */
export function messageToJson(schema: DescMessage, message: Message): JsonValue | undefined {
  try {
    return toJson(schema, message);
  } catch {
    return undefined;
  }
}

/** A recorded response message, decoded. */
export function decodeResponse(schema: DescMessage, recorded: CassetteMessage): Message {
  if (recorded.binary !== undefined) {
    const bytes = Buffer.from(recorded.binary, "base64");
    return withWireBytes(fromBinary(schema, bytes), bytes);
  }
  return fromJson(schema, recorded.message ?? {});
}

/** Whether the JSON of a message gives back exactly `bytes`. */
export function jsonRoundTrips(schema: DescMessage, json: JsonValue, bytes: Uint8Array): boolean {
  try {
    return Buffer.from(toBinary(schema, fromJson(schema, json))).equals(Buffer.from(bytes));
  } catch {
    return false;
  }
}
