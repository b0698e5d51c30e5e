// The `retry` client option and the per-call `retry: false`, against the emulator's fault injection: the number
// of attempts is read from the emulator's call log (each attempt is a call it received).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  Client,
  IDEMPOTENT_METHODS,
  RateLimitError,
  type RetryOptions,
  UnavailableError,
  user,
  XaiInputError,
} from "../src/index.js";
import { Code } from "../src/testing/index.js";
import { PYTHON_SERVICE_CONFIG, useEmulator, withClientOf } from "./helpers/emulator.js";

const env = useEmulator({ resetBeforeEach: true });

const LIST = "/xai_api.Models/ListLanguageModels";
const STREAM = "/xai_api.Chat/GetCompletionChunk";

/** Short waits between attempts, so that tests of many attempts stay quick. */
const FAST: RetryOptions = { initialBackoffMs: 1, maxBackoffMs: 5 };

function attempts(method: string): number {
  return env.emulator.calls.filter((c) => c.method === method).length;
}

describe("the default policy", () => {
  test("UNAVAILABLE twice then success takes 3 attempts", async () => {
    env.emulator.faults.failNext("Models/ListLanguageModels", 2, Code.UNAVAILABLE);
    const models = await env.client.models.listLanguageModels();
    assert.ok(models.length > 0);
    assert.equal(attempts(LIST), 3);
  });

  test("always UNAVAILABLE takes 5 attempts, then UnavailableError", async () => {
    env.emulator.faults.failNext("Models/ListLanguageModels", 100, Code.UNAVAILABLE);
    await assert.rejects(env.client.models.listLanguageModels(), UnavailableError);
    assert.equal(attempts(LIST), 5);
  });

  test("RESOURCE_EXHAUSTED is not retried", async () => {
    env.emulator.faults.failNext("Models/ListLanguageModels", 1, Code.RESOURCE_EXHAUSTED);
    await assert.rejects(env.client.models.listLanguageModels(), RateLimitError);
    assert.equal(attempts(LIST), 1);
  });

  test("an empty retry object is the default policy, written as grpc-js's service config", async () => {
    await withClientOf(env.emulator, { retry: {} }, async (client) => {
      assert.deepEqual(client.channelOptions, env.client.channelOptions);
      const [config] = JSON.parse(String(client.channelOptions["grpc.service_config"])).methodConfig;
      // The Python SDK's policy (a decided difference: for the idempotent methods only, not every method).
      assert.deepEqual(config.retryPolicy, PYTHON_SERVICE_CONFIG.methodConfig[0]?.retryPolicy);
      assert.deepEqual(
        config.name,
        IDEMPOTENT_METHODS.map((m) => {
          const [service, method] = m.split("/");
          return method === "*" ? { service } : { service, method };
        }),
      );
    });
  });

  test('methods: "all" is the Python SDK\'s service config: every method', async () => {
    await withClientOf(env.emulator, { retry: { methods: "all" } }, async (client) => {
      assert.deepEqual(
        JSON.parse(String(client.channelOptions["grpc.service_config"])),
        PYTHON_SERVICE_CONFIG,
      );
    });
  });
});

describe("a custom policy", () => {
  test("maxAttempts 3 is honoured", async () => {
    env.emulator.faults.failNext("Models/ListLanguageModels", 100, Code.UNAVAILABLE);
    await withClientOf(env.emulator, { retry: { ...FAST, maxAttempts: 3 } }, async (client) => {
      await assert.rejects(client.models.listLanguageModels(), UnavailableError);
    });
    assert.equal(attempts(LIST), 3);
  });

  test("maxAttempts above grpc-js's limit of 5 is honoured (the SDK raises the limit)", async () => {
    env.emulator.faults.failNext("Models/ListLanguageModels", 7, Code.UNAVAILABLE);
    await withClientOf(env.emulator, { retry: { ...FAST, maxAttempts: 8 } }, async (client) => {
      assert.equal(client.channelOptions["grpc-node.retry_max_attempts_limit"], 8);
      assert.ok((await client.models.listLanguageModels()).length > 0);
    });
    assert.equal(attempts(LIST), 8);
  });

  test("RESOURCE_EXHAUSTED is retried when opted into with retryOn", async () => {
    env.emulator.faults.failNext("Models/ListLanguageModels", 2, Code.RESOURCE_EXHAUSTED);
    await withClientOf(
      env.emulator,
      { retry: { ...FAST, retryOn: ["UNAVAILABLE", "RESOURCE_EXHAUSTED"] } },
      async (client) => {
        assert.ok((await client.models.listLanguageModels()).length > 0);
      },
    );
    assert.equal(attempts(LIST), 3);
  });

  test("retryOn replaces the default list: UNAVAILABLE is then not retried", async () => {
    env.emulator.faults.failNext("Models/ListLanguageModels", 1, Code.UNAVAILABLE);
    await withClientOf(
      env.emulator,
      { retry: { ...FAST, retryOn: ["RESOURCE_EXHAUSTED"] } },
      async (client) => {
        await assert.rejects(client.models.listLanguageModels(), UnavailableError);
      },
    );
    assert.equal(attempts(LIST), 1);
  });
});

describe("retries off", () => {
  test("retry: false on the client makes one attempt, and sets no retry policy", async () => {
    env.emulator.faults.failNext("Models/ListLanguageModels", 2, Code.UNAVAILABLE);
    await withClientOf(env.emulator, { retry: false }, async (client) => {
      assert.equal(client.channelOptions["grpc.enable_retries"], 0);
      assert.equal(client.channelOptions["grpc.service_config"], undefined);
      await assert.rejects(client.models.listLanguageModels(), UnavailableError);
    });
    assert.equal(attempts(LIST), 1);
  });

  test("maxAttempts 1 makes one attempt", async () => {
    env.emulator.faults.failNext("Models/ListLanguageModels", 2, Code.UNAVAILABLE);
    await withClientOf(env.emulator, { retry: { maxAttempts: 1 } }, async (client) => {
      await assert.rejects(client.models.listLanguageModels(), UnavailableError);
    });
    assert.equal(attempts(LIST), 1);
  });

  test("per-call retry: false makes one attempt; the client's other calls are still retried", async () => {
    env.emulator.faults.failNext("Models/ListLanguageModels", 1, Code.UNAVAILABLE);
    await assert.rejects(env.client.models.listLanguageModels({ retry: false }), UnavailableError);
    assert.equal(attempts(LIST), 1);
    env.emulator.faults.failNext("Models/ListLanguageModels", 2, Code.UNAVAILABLE);
    assert.ok((await env.client.models.listLanguageModels()).length > 0);
    assert.equal(attempts(LIST), 4);
    // The no-retry connection stays usable for later calls.
    assert.ok((await env.client.models.listLanguageModels({ retry: false })).length > 0);
    assert.equal(attempts(LIST), 5);
  });

  test("per-call retry: false on a server stream makes one attempt", async () => {
    // Streaming a chat is retried only when every method is (it is billed work).
    await withClientOf(env.emulator, { retry: { ...FAST, methods: "all" } }, async (client) => {
      env.emulator.faults.failNext("Chat/GetCompletionChunk", 1, Code.UNAVAILABLE);
      const chat = client.chat.create({ model: "grok-4", messages: [user("Hi")] });
      await assert.rejects(chat.stream({ retry: false }).done(), UnavailableError);
      assert.equal(attempts(STREAM), 1);
      env.emulator.faults.failNext("Chat/GetCompletionChunk", 1, Code.UNAVAILABLE);
      const response = await chat.stream().done();
      assert.ok(response.content.length > 0);
      assert.equal(attempts(STREAM), 3);
    });
  });

  test("per-call retry: false on a client without retries uses its only connection", async () => {
    env.emulator.faults.failNext("Models/ListLanguageModels", 1, Code.UNAVAILABLE);
    await withClientOf(env.emulator, { retry: false }, async (client) => {
      await assert.rejects(client.models.listLanguageModels({ retry: false }), UnavailableError);
      assert.ok((await client.models.listLanguageModels({ retry: true })).length > 0);
    });
    assert.equal(attempts(LIST), 2);
  });
});

describe("checks before any call", () => {
  const bad: [label: string, retry: unknown, field: RegExp][] = [
    ["maxAttempts 0", { maxAttempts: 0 }, /retry\.maxAttempts .*1 to 100/],
    ["maxAttempts 2.5", { maxAttempts: 2.5 }, /retry\.maxAttempts .*whole number/],
    ["maxAttempts 101", { maxAttempts: 101 }, /retry\.maxAttempts .*1 to 100/],
    ["initialBackoffMs 0", { initialBackoffMs: 0 }, /retry\.initialBackoffMs .*1 to 3600000/],
    ["initialBackoffMs 0.5", { initialBackoffMs: 0.5 }, /retry\.initialBackoffMs .*whole number/],
    ["maxBackoffMs NaN", { maxBackoffMs: Number.NaN }, /retry\.maxBackoffMs .*1 to 3600000/],
    [
      "maxBackoffMs below initialBackoffMs",
      { initialBackoffMs: 500, maxBackoffMs: 100 },
      /retry\.maxBackoffMs \(100\) must be at least retry\.initialBackoffMs \(500\)/,
    ],
    ["multiplier 0.5", { multiplier: 0.5 }, /retry\.multiplier .*1 to 100/],
    ["multiplier Infinity", { multiplier: Number.POSITIVE_INFINITY }, /retry\.multiplier .*1 to 100/],
    ["retryOn empty", { retryOn: [] }, /retry\.retryOn must be a non-empty array.*retry: false/],
    ["retryOn lower case", { retryOn: ["unavailable"] }, /retry\.retryOn: "unavailable" .*UNAVAILABLE/],
    ["retryOn OK", { retryOn: ["OK"] }, /retry\.retryOn: "OK" is not a status name that can be retried/],
    ["retryOn a string", { retryOn: "UNAVAILABLE" }, /retry\.retryOn must be a non-empty array/],
    ["an unknown field", { attempts: 3 }, /retry\.attempts is not a retry option; use maxAttempts/],
    ["methods a list", { methods: ["GetCompletion"] }, /retry\.methods must be "idempotent" .* or "all"/],
    ["methods true", { methods: true }, /retry\.methods must be "idempotent" .* or "all"/],
    ["true", true, /retry must be an object such as \{ maxAttempts: 3 \} or false/],
    ["a number", 3, /retry must be an object/],
  ];
  for (const [label, retry, message] of bad) {
    test(`retry with ${label} is an XaiInputError naming the field and the range`, () => {
      assert.throws(
        () => new Client({ ...env.emulator.clientOptions(), retry: retry as RetryOptions }),
        (e: unknown) => e instanceof XaiInputError && message.test(e.message),
      );
    });
  }

  test("retry next to channelOptions that set retries is refused, naming both", () => {
    for (const name of ["grpc.service_config", "grpc.enable_retries"]) {
      const channelOptions = { [name]: name === "grpc.enable_retries" ? 1 : "{}" };
      assert.throws(
        () => new Client({ ...env.emulator.clientOptions(), retry: { maxAttempts: 3 }, channelOptions }),
        (e: unknown) =>
          e instanceof XaiInputError && e.message.includes(`retry and channelOptions["${name}"]`),
      );
    }
    // Without `retry`, a user's service config replaces the default policy as before.
    const config = JSON.stringify({ methodConfig: [] });
    const client = new Client({
      ...env.emulator.clientOptions(),
      channelOptions: { "grpc.service_config": config },
    });
    assert.equal(client.channelOptions["grpc.service_config"], config);
    client.close();
  });

  test("a per-call retry that is not a boolean is an XaiInputError; nothing is sent", async () => {
    await assert.rejects(
      env.client.models.listLanguageModels({ retry: "no" as unknown as boolean }),
      (e: unknown) => e instanceof XaiInputError && /retry must be false .* or true/.test(e.message),
    );
    assert.equal(env.emulator.calls.length, 0);
  });
});
