// How the REST face reports a failure: the gRPC status the engine ended the call with, as xAI's REST API
// reports it: an HTTP status and a JSON body `{ "code": "<what the status means>", "error": "<sentence>" }`.
import type { ServerResponse } from "node:http";
import { Code, EmulatorError } from "../types.js";

/**
 * gRPC status → HTTP status, as gRPC-HTTP gateways map them (and as xAI's REST API answers).
 *
 * @example
 * ```ts
 * HTTP_STATUS_OF[Code.RESOURCE_EXHAUSTED]; // 429
 * ```
 */
export const HTTP_STATUS_OF: Readonly<Record<number, number>> = {
  [Code.CANCELLED]: 499,
  [Code.UNKNOWN]: 500,
  [Code.INVALID_ARGUMENT]: 400,
  [Code.DEADLINE_EXCEEDED]: 504,
  [Code.NOT_FOUND]: 404,
  [Code.ALREADY_EXISTS]: 409,
  [Code.PERMISSION_DENIED]: 403,
  [Code.RESOURCE_EXHAUSTED]: 429,
  [Code.FAILED_PRECONDITION]: 400,
  [Code.ABORTED]: 409,
  11: 400, // OUT_OF_RANGE
  [Code.UNIMPLEMENTED]: 501,
  [Code.INTERNAL]: 500,
  [Code.UNAVAILABLE]: 503,
  [Code.DATA_LOSS]: 500,
  [Code.UNAUTHENTICATED]: 401,
};

/** The `code` text of an error body, per gRPC status: what the status means, in the API's own words. */
const CODE_TEXT: Readonly<Record<number, string>> = {
  [Code.CANCELLED]: "The operation was cancelled",
  [Code.UNKNOWN]: "Unknown error",
  [Code.INVALID_ARGUMENT]: "Client specified an invalid argument",
  [Code.DEADLINE_EXCEEDED]: "Deadline expired before operation could complete",
  [Code.NOT_FOUND]: "Some requested entity was not found",
  [Code.ALREADY_EXISTS]: "The entity that a client attempted to create already exists",
  [Code.PERMISSION_DENIED]: "The caller does not have permission to execute the specified operation",
  [Code.RESOURCE_EXHAUSTED]: "Some resource has been exhausted",
  [Code.FAILED_PRECONDITION]: "The system is not in a state required for the operation's execution",
  [Code.ABORTED]: "The operation was aborted",
  11: "Operation was attempted past the valid range",
  [Code.UNIMPLEMENTED]: "Operation is not implemented or not supported",
  [Code.INTERNAL]: "Internal error",
  [Code.UNAVAILABLE]: "The service is currently unavailable",
  [Code.DATA_LOSS]: "Unrecoverable data loss or corruption",
  [Code.UNAUTHENTICATED]: "The request does not have valid authentication credentials",
};

/** The JSON body of a REST error. */
export interface RestErrorBody {
  code: string;
  error: string;
}

/**
 * The HTTP status and body for an error thrown while serving a REST call.
 *
 * @example
 * ```ts
 * restError(new EmulatorError(Code.NOT_FOUND, "No model grok-9.")); // { status: 404, body: { code: "Some requested entity was not found", error: "No model grok-9." } }
 * ```
 */
export function restError(error: unknown): { status: number; body: RestErrorBody } {
  const { code, details } =
    error instanceof EmulatorError
      ? error
      : {
          code: Code.INTERNAL,
          details: `The emulator failed: ${error instanceof Error ? error.message : String(error)}`,
        };
  return {
    status: HTTP_STATUS_OF[code] ?? 500,
    body: { code: CODE_TEXT[code] ?? CODE_TEXT[Code.UNKNOWN], error: details },
  };
}

/** Ends a response with a REST error (JSON). */
export function sendError(response: ServerResponse, error: unknown): void {
  const { status, body } = restError(error);
  sendJson(response, status, body);
}

/** Ends a response with a JSON body. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

/** An INVALID_ARGUMENT naming a bad field of a REST body. */
export function badField(field: string, expected: string): EmulatorError {
  return new EmulatorError(Code.INVALID_ARGUMENT, `${field} must be ${expected}.`);
}
