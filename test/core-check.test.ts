// The input checks every service shares (src/core/check.ts): how a bad value is shown, and the messages of
// the checks services use for text, enum literals and seconds.
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe as suite, test } from "node:test";
import { checkEnum, checkLimit, checkSeconds, describe, requireText } from "../src/core/check.js";
import { XaiInputError } from "../src/index.js";

suite("describe (a bad value in an error message)", () => {
  test("primitives, long strings, arrays, messages, plain objects and class instances", () => {
    assert.equal(describe(undefined), "undefined");
    assert.equal(describe(null), "null");
    assert.equal(describe(42), "42");
    assert.equal(describe("hi"), '"hi"');
    assert.equal(describe("x".repeat(100)), JSON.stringify(`${"x".repeat(57)}...`));
    assert.equal(describe(Symbol("s")), "Symbol(s)");
    assert.equal(describe([1, 2]), "an array of 2");
    assert.equal(describe({ $typeName: "xai_api.Tool" }), "a xai_api.Tool message");
    assert.equal(describe({ a: 1, b: 2 }), "an object (a, b)");
    assert.equal(describe(Object.create(null)), "an object (no keys)");
    assert.equal(describe(Buffer.from("secret bytes")), "a Buffer");
    assert.equal(describe(Readable.from([])), "a Readable");
    assert.equal(describe(new Error("x")), "an Error");
  });
});

suite("shared checks", () => {
  test("requireText accepts text and names the value and an example otherwise", () => {
    assert.equal(requireText("file-1", "fileId"), "file-1");
    assert.throws(
      () => requireText("  ", "a file id", "the `id` of an uploaded file"),
      (err: unknown) =>
        err instanceof XaiInputError &&
        err.message === 'a file id must be a non-empty string (e.g. the `id` of an uploaded file), got "  "',
    );
    assert.throws(() => requireText(7, "name"), /^XaiInputError: name must be a non-empty string, got 7$/);
  });

  test("checkEnum maps a literal, passes undefined and lists the accepted ones", () => {
    const table = { asc: 1, desc: 2 };
    assert.equal(checkEnum(table, "desc", "order"), 2);
    assert.equal(checkEnum(table, undefined, "order"), undefined);
    assert.throws(
      () => checkEnum(table, "toString", "order"),
      /order must be one of "asc", "desc", got "toString"/,
    );
  });

  test("checkSeconds takes a positive whole number or nothing", () => {
    assert.equal(checkSeconds(60, "expiresAfter"), 60);
    assert.equal(checkSeconds(undefined, "expiresAfter"), undefined);
    for (const bad of [0, -1, 1.5, "60"]) {
      assert.throws(() => checkSeconds(bad, "expiresAfter"), /expiresAfter must be a positive whole number/);
    }
  });

  test("checkLimit takes a whole number from 1 to 2147483647 or nothing; one message naming the option and the range", () => {
    assert.equal(checkLimit(1), 1);
    assert.equal(checkLimit(2_147_483_647), 2_147_483_647);
    assert.equal(checkLimit(undefined), undefined);
    for (const bad of [0, -1, 1.5, Number.NaN, 2_147_483_648, "10", null]) {
      assert.throws(
        () => checkLimit(bad),
        (err: unknown) =>
          err instanceof XaiInputError &&
          err.message.startsWith("limit must be a whole number from 1 to 2147483647, got ") &&
          err.message.endsWith("; leave it out for the server's default"),
      );
    }
    assert.throws(
      () => checkLimit(0, "attachmentSearch() limit"),
      /^XaiInputError: attachmentSearch\(\) limit must/,
    );
  });
});
