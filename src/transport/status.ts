import type { status as grpcStatus } from "@grpc/grpc-js";

/**
 * gRPC status codes, numerically identical to grpc-js's `status` enum.
 *
 * @example
 * ```ts
 * import { Status } from "xai-grpc";
 * if (err.code === Status.RESOURCE_EXHAUSTED) await sleep(1000);
 * ```
 */
export const Status = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const satisfies Record<keyof typeof grpcStatus, number>;

/**
 * A gRPC status code, e.g. `Status.NOT_FOUND` (5).
 *
 * @example
 * ```ts
 * const retryable = (code: StatusCode) => code === Status.UNAVAILABLE || code === Status.RESOURCE_EXHAUSTED;
 * ```
 */
export type StatusCode = (typeof Status)[keyof typeof Status];

/**
 * The name of a gRPC status code, e.g. `"NOT_FOUND"`.
 *
 * @example
 * ```ts
 * const name: StatusName = statusName(err.code);
 * ```
 */
export type StatusName = keyof typeof Status;

const namesByCode = new Map<number, StatusName>(
  (Object.entries(Status) as [StatusName, number][]).map(([name, code]) => [code, name]),
);

/**
 * The name of a status code (`5` → `"NOT_FOUND"`); unknown numbers map to `"UNKNOWN"`.
 *
 * @example
 * ```ts
 * statusName(Status.NOT_FOUND); // "NOT_FOUND"
 * ```
 */
export function statusName(code: number): StatusName {
  return namesByCode.get(code) ?? "UNKNOWN";
}

/**
 * Whether a number is one of the gRPC status codes (0 to 16).
 *
 * @example
 * ```ts
 * isStatusCode(5); // true
 * isStatusCode(42); // false
 * ```
 */
export function isStatusCode(code: number): code is StatusCode {
  return namesByCode.has(code);
}
