// The API key, set to a recognisable value, never appears in any captured error (message, stack, cause chain,
// metadata), in log output (ours, grpc-js's own trace logging, the CLI's), in `util.inspect` or `JSON.stringify`
// of the client, its sub-clients, its responses, or the emulator's call log.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { Client, type ClientOptions, user, XaiError } from "../src/index.js";
import { Code, type Emulator, startEmulator } from "../src/testing/index.js";
import { errorTexts } from "./helpers/error-texts.js";

const KEY = "xai-CANARY9f8e7d6c5b4a3928170615243342";
const MANAGEMENT_KEY = "xai-MGMTCANARY1a2b3c4d5e6f708192a3b4c5d6";
const WRONG_KEY = "xai-WRONGCANARY0a9b8c7d6e5f4a3b2c1d0e9f";
/** Distinctive pieces of each key: none may appear anywhere. */
const SECRETS = [
  KEY,
  MANAGEMENT_KEY,
  WRONG_KEY,
  "CANARY9f8e7d6c5b4a",
  "MGMTCANARY1a2b3c",
  "WRONGCANARY0a9b8",
];

function assertNoSecret(what: string, text: string): void {
  for (const secret of SECRETS) {
    assert.ok(!text.includes(secret), `${what} contains ${secret.slice(0, 14)}…:\n${text.slice(0, 2_000)}`);
  }
}

/** Every textual form of an object: inspect (hidden fields, deep), JSON, String(). */
function objectTexts(value: unknown): string {
  return [inspect(value, { depth: 10, showHidden: true }), JSON.stringify(value) ?? "", String(value)].join(
    "\n",
  );
}

let emu: Emulator;
let client: Client;
let options: ClientOptions;
const captured: string[] = [];
let restoreOutput: () => void = () => {};

/** Captures everything written to stdout and stderr (console included) while the tests run. */
function captureOutput(): () => void {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const capture =
    (write: typeof out) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      captured.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString());
      return (write as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
    };
  process.stdout.write = capture(out) as typeof process.stdout.write;
  process.stderr.write = capture(err) as typeof process.stderr.write;
  return () => {
    process.stdout.write = out;
    process.stderr.write = err;
  };
}

before(async () => {
  emu = await startEmulator({ apiKey: KEY, managementApiKey: MANAGEMENT_KEY });
  options = emu.clientOptions();
  assert.equal(options.apiKey, KEY);
  client = new Client(options);
  restoreOutput = captureOutput();
});

after(async () => {
  restoreOutput();
  client.close();
  await emu.stop();
});

describe("the API key never leaks", () => {
  test("not in the client, its sub-clients or a chat", () => {
    const chat = client.chat.create({ model: "grok-3", messages: [user("hi")] });
    for (const [what, value] of [
      ["client", client],
      ["client.chat", client.chat],
      ["client.files", client.files],
      ["client.collections", client.collections],
      ["client.models", client.models],
      ["a chat", chat],
      ["client.channelOptions", client.channelOptions],
    ] as const) {
      assertNoSecret(what, objectTexts(value));
    }
  });

  test("not in responses of any kind", async () => {
    const responses: [string, unknown][] = [
      ["chat.sample()", await client.chat.create({ model: "grok-3", messages: [user("hi")] }).sample()],
      [
        "chat.stream().done()",
        await client.chat
          .create({ model: "grok-3", messages: [user("!chunks 5")] })
          .stream()
          .done(),
      ],
      ["auth.apiKeyInfo()", await client.auth.apiKeyInfo()],
      ["models.listLanguageModels()", await client.models.listLanguageModels()],
      ["tokenize()", await client.tokenize.tokenize("hello", { model: "grok-3" })],
      ["files.upload()", await client.files.upload(Buffer.from("notes"), { filename: "notes.txt" })],
      ["collections.create()", await client.collections.create({ name: "secrets-test" })],
    ];
    for (const [what, value] of responses) assertNoSecret(what, objectTexts(value));
    // The key info is about the key: shown redacted only.
    const info = responses[2][1] as { redactedKey: string };
    assert.doesNotMatch(info.redactedKey, /CANARY9f8e7d6c5b4a/);
  });

  test("not in errors: server statuses, deadlines, aborts, input errors, an unreachable host, a closed client", async () => {
    const errors: [string, unknown][] = [];
    const capture = async (what: string, f: () => Promise<unknown>) => {
      try {
        await f();
        assert.fail(`${what} was expected to fail`);
      } catch (err) {
        errors.push([what, err]);
      }
    };
    await capture("NOT_FOUND", () =>
      client.chat.create({ model: "no-such-model", messages: [user("hi")] }).sample(),
    );
    await capture("INVALID_ARGUMENT from the server", () => client.files.get("file-does-not-exist"));
    emu.faults.failNext("Chat/GetCompletion", 1, Code.PERMISSION_DENIED, "this key may not use that model");
    await capture("PERMISSION_DENIED", () =>
      client.chat.create({ model: "grok-3", messages: [user("hi")] }).sample(),
    );
    emu.faults.latency(500, "Chat/GetCompletion");
    await capture("DEADLINE_EXCEEDED", () =>
      client.chat.create({ model: "grok-3", messages: [user("hi")] }).sample({ timeout: 50 }),
    );
    emu.faults.clear();
    const controller = new AbortController();
    const aborting = client.chat.create({ model: "grok-3", messages: [user("!chunks 100000")] }).stream({
      signal: controller.signal,
    });
    await capture("an abort mid-stream", async () => {
      for await (const _ of aborting) controller.abort();
    });
    emu.faults.cutStream("Chat/GetCompletionChunk", 3, "drop");
    await capture("a dropped stream", () =>
      client.chat
        .create({ model: "grok-3", messages: [user("!chunks 50")] })
        .stream()
        .done(),
    );
    await capture("an input error", () => client.chat.create({ model: "grok-3" }).sample());
    const wrongKey = new Client({ ...options, apiKey: WRONG_KEY });
    await capture("UNAUTHENTICATED (a wrong key)", () => wrongKey.models.listLanguageModels());
    wrongKey.close();
    const unreachable = new Client({ apiKey: KEY, apiHost: "127.0.0.1:1", timeout: 5_000 });
    await capture("UNAVAILABLE (nothing listening)", () => unreachable.models.listLanguageModels());
    unreachable.close();
    const closed = new Client(options);
    closed.close();
    await capture("a closed client", () => closed.models.listLanguageModels());
    const noManagement = new Client({ apiKey: KEY, apiHost: options.apiHost });
    await capture("collections without a management key", () => noManagement.collections.list());
    noManagement.close();
    assert.ok(errors.length >= 11);
    for (const [what, err] of errors) {
      assert.ok(err instanceof XaiError, `${what}: ${String(err)}`);
      assertNoSecret(what, errorTexts(err));
    }
  });

  test("not in the emulator's call log, nor in the emulator itself", () => {
    assert.ok(emu.calls.length > 0);
    assertNoSecret("emulator.calls", JSON.stringify(emu.calls) + inspect(emu.calls, { depth: 10 }));
    assertNoSecret("the emulator", objectTexts(emu));
  });

  test("not in what was written to stdout or stderr during these tests", () => {
    assertNoSecret("captured output", captured.join(""));
  });

  test("not in grpc-js's own trace logs (GRPC_TRACE=all) of a failing and a succeeding call", async () => {
    const child = `
      import { Client, user } from ${JSON.stringify(new URL("../src/index.ts", import.meta.url).href)};
      const client = new Client(${JSON.stringify(options)});
      await client.chat.create({ model: "grok-3", messages: [user("hi")] }).sample();
      await client.chat.create({ model: "nope", messages: [user("hi")] }).sample().catch((e) => console.error(e));
      client.close();
    `;
    const output = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ["--import", "tsx", "--input-type=module", "-e", child],
        {
          cwd: fileURLToPath(new URL("..", import.meta.url)),
          env: { ...process.env, GRPC_TRACE: "all", GRPC_VERBOSITY: "DEBUG" },
          maxBuffer: 64 * 1024 * 1024,
        },
        (err, stdout, stderr) => (err ? reject(err) : resolve(stdout + stderr)),
      ),
    );
    assert.match(output, /NOT_FOUND|NotFoundError/, "the child ran its calls (and traced them)");
    assert.ok(output.length > 1_000, "grpc-js traced something");
    assertNoSecret("grpc-js trace output", output);
  });

  test("not in the CLI's output, for a call that succeeds and one that is refused", async () => {
    const cli = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
    const run = (env: Record<string, string>, args: string[]) =>
      new Promise<string>((resolve) =>
        execFile(
          process.execPath,
          ["--import", "tsx", cli, "--host", emu.apiHost, ...args],
          { env: { ...process.env, ...env, NO_COLOR: "1" } },
          (_err, stdout, stderr) => resolve(stdout + stderr),
        ),
      );
    const ok = await run({ XAI_API_KEY: KEY }, ["models"]);
    assert.match(ok, /grok-3/, "the CLI listed the models");
    assertNoSecret("CLI output (success)", ok);
    const refused = await run({ XAI_API_KEY: WRONG_KEY }, ["models"]);
    assert.match(refused, /UNAUTHENTICATED|key/i, "the CLI reported the refusal");
    assertNoSecret("CLI output (refused)", refused);
    const flag = await run({}, ["--api-key", WRONG_KEY, "models"]);
    assertNoSecret("CLI output (key given as a flag)", flag);
  });
});
