import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { NotFoundError, XaiInputError } from "../src/index.js";
import { register, xaiServices } from "../src/testing/index.js";
import { useEmulator, withEmulator } from "./helpers/emulator.js";

const env = useEmulator();

describe("tokenize", () => {
  test("returns ids, strings and bytes that rebuild the text", async () => {
    const text = "Hello world! Grüße, 世界.";
    const result = await env.client.tokenize.tokenize(text, { model: "grok-4" });
    assert.ok(result.length > 3);
    assert.equal(result.length, result.tokens.length);
    assert.deepEqual(
      result.ids,
      result.tokens.map((t) => t.id),
    );
    assert.equal(Buffer.concat(result.tokens.map((t) => t.bytes)).toString("utf8"), text);
    assert.equal([...result].map((t) => t.text).join(""), text);
    assert.equal(result.model, "grok-4");
    assert.equal(result.proto.tokens.length, result.length);
  });

  test("an alias resolves; the same text gives the same tokens", async () => {
    const a = await env.client.tokenize.tokenize("same text", { model: "grok-4-latest" });
    const b = await env.client.tokenize.tokenize("same text", { model: "grok-4" });
    assert.deepEqual(a.ids, b.ids);
  });

  test("an empty text has no tokens", async () => {
    assert.equal((await env.client.tokenize.tokenize("", { model: "grok-3" })).length, 0);
  });

  test("an unknown model is NOT_FOUND; call options are applied", async () => {
    await assert.rejects(env.client.tokenize.tokenize("x", { model: "no-such-model" }), NotFoundError);
    await env.client.tokenize.tokenize(
      "x",
      { model: "grok-3", user: "u-7" },
      { metadata: { "x-trace": "t1" } },
    );
    const call = env.emulator.calls.at(-1);
    assert.equal(call?.headers["x-trace"], "t1");
    const request = call?.request as unknown as { user?: string } | undefined;
    assert.equal(request?.user, "u-7");
  });

  test("bad input is rejected before any call", async () => {
    const calls = env.emulator.calls.length;
    await assert.rejects(
      env.client.tokenize.tokenize("x", {} as never),
      /model must be a non-empty model name/,
    );
    await assert.rejects(env.client.tokenize.tokenize("x", undefined as never), XaiInputError);
    await assert.rejects(env.client.tokenize.tokenize(42 as never, { model: "grok-4" }), /text as a string/);
    await assert.rejects(
      env.client.tokenize.tokenize("x", { model: "grok-4" }, { timeout: 0 }),
      XaiInputError,
    );
    assert.equal(env.emulator.calls.length, calls);
  });

  test("a test replaces the service through register(xaiServices.Tokenize, ...) from xai-grpc/testing", async () => {
    const services = [
      () =>
        register(xaiServices.Tokenize, {
          tokenizeText: (request) => ({ model: `replaced-${request.model}`, tokens: [] }),
        }),
    ];
    await withEmulator({ services }, async ({ client }) => {
      const result = await client.tokenize.tokenize("anything", { model: "grok-4" });
      assert.equal(result.model, "replaced-grok-4");
      assert.equal(result.length, 0);
    });
  });
});
