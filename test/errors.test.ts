// Pure functions of the error module: diagnostics cleaned from details, the right subclass per status.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AuthenticationError,
  CancelledError,
  DataLossError,
  DeadlineExceededError,
  InternalError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  Status,
  UnavailableError,
  XaiError,
} from "../src/index.js";
import { cleanDetails, toXaiError } from "../src/transport/errors.js";

test("grpc-js diagnostics are removed from details", () => {
  assert.equal(
    cleanDetails("Deadline exceeded after 0.201s,LB pick: 0.001s,remote_addr=127.0.0.1:5000"),
    "Deadline exceeded",
  );
  assert.equal(
    cleanDetails(
      "No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1. Resolution note: ",
    ),
    "No connection established. Last error: connect ECONNREFUSED 127.0.0.1:1.",
  );
  assert.equal(cleanDetails("model not found"), "model not found");
});

test("each status maps to its subclass, which says when xAI returns it", () => {
  const cases: [number, new (...a: never[]) => XaiError][] = [
    [Status.INVALID_ARGUMENT, InvalidArgumentError],
    [Status.UNAUTHENTICATED, AuthenticationError],
    [Status.PERMISSION_DENIED, PermissionDeniedError],
    [Status.NOT_FOUND, NotFoundError],
    [Status.RESOURCE_EXHAUSTED, RateLimitError],
    [Status.DEADLINE_EXCEEDED, DeadlineExceededError],
    [Status.UNAVAILABLE, UnavailableError],
    [Status.INTERNAL, InternalError],
    [Status.UNKNOWN, InternalError],
    [Status.DATA_LOSS, DataLossError],
    [Status.CANCELLED, CancelledError],
    [Status.ABORTED, CancelledError],
  ];
  for (const [code, cls] of cases) {
    const err = toXaiError({ code, details: "d" }, "/xai_api.Chat/GetCompletion");
    assert.ok(err instanceof cls, `${code} → ${err.constructor.name}`);
    assert.ok(err instanceof XaiError && err instanceof Error);
    assert.equal(err.code, code);
    assert.match(err.message, /xai_api\.Chat\/GetCompletion/);
  }
  const other = toXaiError({ code: Status.FAILED_PRECONDITION, details: "d" }, undefined);
  assert.equal(other.constructor, XaiError);
  assert.equal(other.statusName, "FAILED_PRECONDITION");
  const notGrpc = toXaiError(new TypeError("boom"), undefined);
  assert.equal(notGrpc.code, Status.UNKNOWN);
  assert.match(notGrpc.details, /boom/);
});
