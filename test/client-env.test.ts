// A Client configured from the environment alone: XAI_API_KEY / XAI_API_HOST and XAI_MANAGEMENT_KEY /
// XAI_MANAGEMENT_API_HOST, against the emulator. Each test saves process.env and restores it.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import { Client, UnavailableError, XaiInputError } from "../src/index.js";
import { useEmulator } from "./helpers/emulator.js";

const env = useEmulator({ resetBeforeEach: true });

const NAMES = ["XAI_API_KEY", "XAI_API_HOST", "XAI_MANAGEMENT_KEY", "XAI_MANAGEMENT_API_HOST"] as const;
let saved: Partial<Record<(typeof NAMES)[number], string>> = {};

beforeEach(() => {
  saved = {};
  for (const name of NAMES) {
    if (process.env[name] !== undefined) saved[name] = process.env[name];
    delete process.env[name];
  }
});

afterEach(() => {
  for (const name of NAMES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

/** Points the environment at the emulator, both hosts and both keys. */
function emulatorEnvironment(): void {
  const o = env.emulator.clientOptions();
  process.env.XAI_API_KEY = o.apiKey;
  process.env.XAI_API_HOST = o.apiHost;
  process.env.XAI_MANAGEMENT_KEY = o.managementApiKey;
  process.env.XAI_MANAGEMENT_API_HOST = o.managementApiHost;
}

/** A loopback port where nothing listens (the emulator's ports are taken, this one is not ours). */
const NOWHERE = "127.0.0.1:9";

describe("hosts from the environment", () => {
  test("new Client() with only environment variables talks to the emulator on both hosts (plaintext on loopback)", async () => {
    emulatorEnvironment();
    await using client = new Client();
    assert.ok((await client.models.listLanguageModels()).length > 0);
    const collections = await client.collections.list();
    assert.ok(Array.isArray(collections.items));
    const ports = env.emulator.calls.map((c) => `${c.port} ${c.method}`);
    assert.deepEqual(ports, [
      "api /xai_api.Models/ListLanguageModels",
      "management /collections.Collections/ListCollections",
    ]);
    assert.equal(client.toJSON().api, env.emulator.apiHost);
  });

  test("an explicit apiHost / managementApiHost wins over the variables", async () => {
    emulatorEnvironment();
    process.env.XAI_API_HOST = NOWHERE;
    process.env.XAI_MANAGEMENT_API_HOST = NOWHERE;
    const o = env.emulator.clientOptions();
    await using client = new Client({ apiHost: o.apiHost, managementApiHost: o.managementApiHost });
    assert.ok((await client.models.listLanguageModels()).length > 0);
    assert.ok(Array.isArray((await client.collections.list()).items));
    // And the variable is really read when no option is given: the same call then fails.
    await using fromEnv = new Client({ retry: false });
    await assert.rejects(fromEnv.models.listLanguageModels(), UnavailableError);
  });

  test("an explicit option wins even when the variable is not a valid target (it is not read)", () => {
    emulatorEnvironment();
    process.env.XAI_API_HOST = "http://not a host";
    process.env.XAI_MANAGEMENT_API_HOST = "http://not a host";
    const o = env.emulator.clientOptions();
    const client = new Client({ apiHost: o.apiHost, managementApiHost: o.managementApiHost });
    client.close();
  });

  test("empty variables count as unset: the default hosts are used", () => {
    process.env.XAI_API_KEY = "xai-some-key";
    process.env.XAI_API_HOST = "";
    process.env.XAI_MANAGEMENT_API_HOST = "";
    const client = new Client();
    assert.equal(client.toJSON().api, "api.x.ai:443");
    client.close();
  });

  test("an invalid XAI_API_HOST is an XaiInputError naming the variable and the forms expected", () => {
    process.env.XAI_API_KEY = "xai-some-key";
    for (const value of ["http://localhost:50051", "api.x.ai/v1", " api.x.ai", "host:99999"]) {
      process.env.XAI_API_HOST = value;
      assert.throws(
        () => new Client(),
        (e: unknown) =>
          e instanceof XaiInputError &&
          e.message.startsWith(
            `the XAI_API_HOST environment variable ${JSON.stringify(value)} is not a gRPC target`,
          ) &&
          e.message.includes('"host:port"'),
        value,
      );
    }
  });

  test("an invalid XAI_MANAGEMENT_API_HOST is an XaiInputError naming it, with or without a management key", () => {
    process.env.XAI_API_KEY = "xai-some-key";
    process.env.XAI_MANAGEMENT_API_HOST = "grpc://management";
    for (const key of [undefined, "xai-management-key"]) {
      if (key) process.env.XAI_MANAGEMENT_KEY = key;
      assert.throws(
        () => new Client(),
        (e: unknown) =>
          e instanceof XaiInputError &&
          e.message.startsWith('the XAI_MANAGEMENT_API_HOST environment variable "grpc://management"') &&
          e.message.includes('"host:port"'),
      );
    }
  });

  test("an invalid apiHost option is still named as the option", () => {
    process.env.XAI_API_KEY = "xai-some-key";
    process.env.XAI_API_HOST = "localhost:50051";
    assert.throws(
      () => new Client({ apiHost: "http://x" }),
      (e: unknown) => e instanceof XaiInputError && e.message.startsWith('apiHost "http://x"'),
    );
  });

  test("an https:// variable with insecure: true names the variable", () => {
    process.env.XAI_API_KEY = "xai-some-key";
    process.env.XAI_API_HOST = "https://localhost:50051";
    assert.throws(
      () => new Client({ insecure: true }),
      (e: unknown) =>
        e instanceof XaiInputError &&
        e.message.startsWith("the XAI_API_HOST environment variable starts with https://"),
    );
  });
});
