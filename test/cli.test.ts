// The `xai` command line, spawned as a real process against the emulator started in this test process.
//
// Spawning `node --import tsx src/cli/main.ts` costs a second or more of TypeScript loading per process; most
// tests therefore run the same entry bundled once by esbuild (our code in one file, packages external), which
// starts in a fraction of that. One test runs the entry through tsx, and one the built binary when dist/ is
// up to date.
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { build } from "esbuild";
import { dialAddress, type EmulatorJsonLine, exportLine, shellQuote } from "../src/cli/commands/emulator.js";
import { formatBytes, uploadProgressText } from "../src/cli/commands/files.js";
import { outputPaths } from "../src/cli/commands/image.js";
import { CliContext, resolveHost } from "../src/cli/context.js";
import { ExitCode, hintFor, withFlagNames } from "../src/cli/errors.js";
import { colourEnabled, Terminal } from "../src/cli/output.js";
import { parsePort, parsePositiveInteger, parseSeconds, parseTemperature } from "../src/cli/parsers.js";
import { buildProgram } from "../src/cli/program.js";
import type { GetCompletionsRequest } from "../src/gen/xai/api/v1/chat_pb.js";
import { Status, VERSION } from "../src/index.js";
import { type Emulator, startEmulator } from "../src/testing/index.js";
import { type ChildOutput, outputOf } from "./helpers/child-output.js";
import { ensureDist } from "./helpers/dist.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const mainTs = join(root, "src/cli/main.ts");
const distMain = join(root, "dist/esm/cli/main.js");
// Inside the repository (.tmp/ is ignored by git) so that the external packages resolve from node_modules.
const bundleDir = join(root, ".tmp", `cli-test-${process.pid}`);
const bundle = join(bundleDir, "xai.mjs");

before(async () => {
  await mkdir(bundleDir, { recursive: true });
  await build({
    entryPoints: [mainTs],
    outfile: bundle,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "error",
  });
});
after(async () => {
  await rm(bundleDir, { recursive: true, force: true });
});

/** Whether dist/esm/cli/main.js exists and is newer than every source file. */

type Run = ChildOutput;

interface RunOptions {
  env?: Record<string, string | undefined>;
  /** The working directory (default: the repository). */
  cwd?: string;
  input?: string;
  /** Called once the process is spawned (to signal it, or to feed stdin progressively). */
  onSpawn?: (child: ChildProcess) => void;
}

/** Environment of a spawned CLI: no colour, no inherited key, no CI-specific behaviour. */
function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.XAI_API_KEY;
  delete env.XAI_MANAGEMENT_KEY;
  delete env.XAI_API_HOST;
  delete env.XAI_MANAGEMENT_API_HOST;
  delete env.NODE_TEST_CONTEXT;
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

// At most this many CLI processes at once: the suites run concurrently, and 2 cores are shared with other tests.
const MAX_CHILDREN = 4;
let running = 0;
const waiting: (() => void)[] = [];

async function withChildSlot<T>(run: () => Promise<T>): Promise<T> {
  if (running >= MAX_CHILDREN) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await run();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Runs `node <entry> …args` (or, with an empty `entry`, `args[0]` as an executable) and collects its output. */
function runEntry(entry: string[], args: string[], options: RunOptions = {}): Promise<Run> {
  return withChildSlot(() => spawnEntry(entry, args, options));
}

function spawnEntry(entry: string[], args: string[], options: RunOptions): Promise<Run> {
  const [command, ...rest] = entry.length > 0 ? [process.execPath, ...entry, ...args] : args;
  const child = spawn(command, rest, {
    cwd: options.cwd ?? root,
    env: cliEnv(options.env),
    stdio: ["pipe", "pipe", "pipe"],
  });
  const output = outputOf(child);
  if (options.onSpawn) options.onSpawn(child);
  else child.stdin.end(options.input ?? "");
  return output;
}

/** Runs the CLI (the bundled entry). */
function xai(args: string[], options: RunOptions = {}): Promise<Run> {
  return runEntry([bundle], args, options);
}

/** Runs the CLI from its TypeScript source through tsx. */
function xaiFromSource(args: string[], options: RunOptions = {}): Promise<Run> {
  return runEntry(["--import", "tsx", mainTs], args, options);
}

/** Whether the `script` command (util-linux) can run a command on a pseudo-terminal here. */
function hasScript(): boolean {
  try {
    execFileSync("script", ["-q", "-e", "-c", "true", "/dev/null"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Options that point the CLI at an emulator. */
function at(emu: Emulator, extra: Record<string, string | undefined> = {}): RunOptions["env"] {
  return { XAI_API_KEY: emu.apiKey, ...extra };
}

function hostArgs(emu: Emulator): string[] {
  return ["--host", emu.apiHost];
}

function chatCalls(emu: Emulator) {
  return emu.calls.filter((c) => c.method.startsWith("/xai_api.Chat/"));
}

/** The chat requests the emulator received, in order. */
function chatRequests(emu: Emulator): GetCompletionsRequest[] {
  return chatCalls(emu).map((c) => c.request as GetCompletionsRequest);
}

describe("xai", { concurrency: true }, () => {
  describe("pure helpers", () => {
    test("option parsers accept good values and reject bad ones with a reason", () => {
      assert.equal(parseSeconds("1.5"), 1500);
      assert.throws(() => parseSeconds("0"), /greater than 0/);
      assert.throws(() => parseSeconds("soon"), /not a number/);
      assert.equal(parseTemperature("0.7"), 0.7);
      assert.throws(() => parseTemperature("2.5"), /between 0 and 2/);
      assert.equal(parsePositiveInteger("256"), 256);
      assert.throws(() => parsePositiveInteger("1.5"), /whole number/);
      assert.throws(() => parsePositiveInteger("0"), /at least 1/);
      assert.equal(parsePort("0"), 0);
      assert.throws(() => parsePort("70000"), /65535/);
    });

    test("colour only on a TTY, never with NO_COLOR or TERM=dumb", () => {
      const tty = { write: () => true, isTTY: true };
      const pipe = { write: () => true, isTTY: false };
      assert.equal(colourEnabled(tty, {}), true);
      assert.equal(colourEnabled(pipe, {}), false);
      assert.equal(colourEnabled(tty, { NO_COLOR: "1" }), false);
      assert.equal(colourEnabled(tty, { NO_COLOR: "" }), true);
      assert.equal(colourEnabled(tty, { TERM: "dumb" }), false);
    });

    test("hints name the fix for the statuses people hit", () => {
      assert.match(hintFor(Status.UNAUTHENTICATED, { host: "h" }), /XAI_API_KEY.*--api-key/);
      assert.match(hintFor(Status.UNAVAILABLE, { host: "example:1" }), /example:1.*--host/);
      assert.match(hintFor(Status.DEADLINE_EXCEEDED, { host: "h" }), /--timeout/);
      assert.equal(hintFor(Status.ALREADY_EXISTS, { host: "h" }), "");
      assert.match(hintFor(Status.NOT_FOUND, { host: "h" }), /`xai models` lists the models/);
      const file = hintFor(Status.NOT_FOUND, { host: "h", resource: "file" });
      assert.match(file, /file id.*`xai files list`/);
      assert.doesNotMatch(file, /model/);
    });

    test("SDK option names become the CLI's flags, at the start of a message only", () => {
      const flags = { aspectRatio: "--aspect-ratio", n: "-n", model: "--model" };
      assert.equal(
        withFlagNames('aspectRatio must be one of "1:1", got "7:5"', flags),
        '--aspect-ratio must be one of "1:1", got "7:5"',
      );
      assert.equal(withFlagNames("n must be a whole number", flags), "-n must be a whole number");
      assert.equal(withFlagNames("nothing to do with n", flags), "nothing to do with n");
      assert.equal(withFlagNames("quality must be one of", flags), "quality must be one of");
      assert.equal(withFlagNames("aspectRatioX must", flags), "aspectRatioX must");
    });

    test("the host: --host, else XAI_API_HOST, else api.x.ai", () => {
      assert.equal(resolveHost(undefined, {}), "api.x.ai");
      assert.equal(resolveHost(undefined, { XAI_API_HOST: "" }), "api.x.ai");
      assert.equal(resolveHost(undefined, { XAI_API_HOST: "127.0.0.1:5" }), "127.0.0.1:5");
      assert.equal(resolveHost("h:1", { XAI_API_HOST: "127.0.0.1:5" }), "h:1");
    });

    test("the emulator's export line: shell-quoted values, wildcard addresses dialled on loopback", () => {
      assert.equal(shellQuote("127.0.0.1:50051"), "127.0.0.1:50051");
      assert.equal(shellQuote("[::1]:50051"), "'[::1]:50051'");
      assert.equal(shellQuote("it's"), `'it'\\''s'`);
      assert.equal(dialAddress("0.0.0.0:7"), "127.0.0.1:7");
      assert.equal(dialAddress("[::]:7"), "[::1]:7");
      assert.equal(dialAddress("10.0.0.2:7"), "10.0.0.2:7");
      const line = exportLine({
        apiKey: "k 1",
        apiHost: "0.0.0.0:1",
        managementApiKey: "m",
        managementApiHost: "[::]:2",
        httpUrl: "http://0.0.0.0:3",
        restBaseUrl: "http://0.0.0.0:3/v1",
      });
      assert.equal(
        line,
        "export XAI_API_KEY='k 1' XAI_API_HOST=127.0.0.1:1 XAI_MANAGEMENT_KEY=m XAI_MANAGEMENT_API_HOST='[::1]:2'",
      );
      const printed = execFileSync("sh", [
        "-c",
        `${line}; printf '%s|' "$XAI_API_KEY" "$XAI_MANAGEMENT_API_HOST"`,
      ]);
      assert.equal(printed.toString(), "k 1|[::1]:2|", "the shell reads back the values");
    });

    test("formatBytes and outputPaths", () => {
      assert.equal(formatBytes(512), "512 B");
      assert.equal(formatBytes(1536), "1.5 KiB");
      assert.equal(formatBytes(3 * 1024 * 1024), "3.0 MiB");
      assert.deepEqual(outputPaths("cat.png", 1), ["cat.png"]);
      assert.deepEqual(outputPaths("out/cat.png", 3), ["out/cat-1.png", "out/cat-2.png", "out/cat-3.png"]);
      assert.deepEqual(outputPaths("cat", 2), ["cat-1", "cat-2"]);
      assert.equal(
        uploadProgressText({ filename: "a.bin", bytesSent: 3 << 20, totalBytes: 7 << 20 }),
        "a.bin: 3.0 MiB of 7.0 MiB (42%)",
      );
      assert.equal(uploadProgressText({ filename: "s", bytesSent: 10, totalBytes: undefined }), "s: 10 B");
    });

    test("every command has help with examples", () => {
      const sink = { write: () => true, isTTY: false };
      const ctx = new CliContext(new Terminal(sink, sink, {}), {}, process.stdin);
      const program = buildProgram(ctx);
      const all: Command[] = [];
      const visit = (command: Command) => {
        all.push(command);
        for (const sub of command.commands) visit(sub);
      };
      visit(program);
      const names = all.map((c) => c.name());
      for (const expected of ["xai", "chat", "models", "tokenize", "emulator", "image", "files", "upload"]) {
        assert.ok(names.includes(expected), `missing command ${expected}`);
      }
      for (const command of all) {
        let help = "";
        command.configureOutput({ writeOut: (text) => (help += text) });
        command.outputHelp();
        assert.match(help, /Usage: /, `${command.name()} has help`);
        assert.match(help, /Examples:\n {2}\$ xai /, `${command.name()} --help shows examples`);
      }
    });
  });

  describe("xai against the emulator", { concurrency: true }, () => {
    let emu: Emulator;
    before(async () => {
      emu = await startEmulator();
    });
    after(async () => {
      await emu?.stop();
    });

    test("from the TypeScript source: --version, and a one-shot chat", async () => {
      const [version, chat] = await Promise.all([
        xaiFromSource(["--version"]),
        xaiFromSource([...hostArgs(emu), "chat", "-m", "grok-3", "Say hi"], { env: at(emu) }),
      ]);
      assert.equal(version.code, ExitCode.OK, version.stderr);
      assert.equal(version.stdout.trim(), VERSION);
      assert.equal(chat.code, ExitCode.OK, chat.stderr);
      assert.match(chat.stdout, /Say hi/, "the emulator's answer quotes the prompt");
    });

    test("models: a table, and --json parsed back", async () => {
      const [table, json] = await Promise.all([
        xai([...hostArgs(emu), "models"], { env: at(emu) }),
        xai([...hostArgs(emu), "models", "--json"], { env: at(emu) }),
      ]);
      assert.equal(table.code, ExitCode.OK, table.stderr);
      assert.match(table.stdout, /Language models/);
      assert.match(table.stdout, /│ grok-4\s/);
      assert.match(table.stdout, /grok-2-image/);
      assert.equal(json.code, ExitCode.OK, json.stderr);
      const models = JSON.parse(json.stdout) as { kind: string; name: string; aliases: string[] }[];
      const grok4 = models.find((m) => m.name === "grok-4");
      assert.ok(grok4, "grok-4 is listed");
      assert.equal(grok4.kind, "language");
      assert.ok(grok4.aliases.includes("grok-4-latest"));
      assert.ok(models.some((m) => m.kind === "embedding" && m.name === "v1"));
    });

    test("models <alias> shows one model; an unknown one is NOT_FOUND (exit 1)", async () => {
      const [one, missing] = await Promise.all([
        xai([...hostArgs(emu), "models", "grok-4-latest", "--json"], { env: at(emu) }),
        xai([...hostArgs(emu), "models", "grok-99"], { env: at(emu) }),
      ]);
      assert.equal(one.code, ExitCode.OK, one.stderr);
      assert.equal((JSON.parse(one.stdout) as { name: string }).name, "grok-4");
      assert.equal(missing.code, ExitCode.API_ERROR);
      assert.match(missing.stderr, /NOT_FOUND/);
      assert.match(missing.stderr, /xai models/);
      assert.equal(missing.stderr.trim().split("\n").length, 1, "one line");
    });

    test("XAI_API_HOST is the host without --host; --host wins over it", async () => {
      const [fromEnv, flagWins, hint] = await Promise.all([
        xai(["models", "--kind", "image", "--json"], { env: at(emu, { XAI_API_HOST: emu.apiHost }) }),
        xai([...hostArgs(emu), "models", "--kind", "image", "--json"], {
          env: at(emu, { XAI_API_HOST: "127.0.0.1:1" }),
        }),
        xai(["--timeout", "30", "models"], { env: at(emu, { XAI_API_HOST: "127.0.0.1:1" }) }),
      ]);
      for (const run of [fromEnv, flagWins]) {
        assert.equal(run.code, ExitCode.OK, run.stderr);
        assert.ok((JSON.parse(run.stdout) as { name: string }[]).some((m) => m.name === "grok-2-image"));
      }
      assert.equal(hint.code, ExitCode.API_ERROR);
      assert.match(hint.stderr, /UNAVAILABLE.*check the host \(127\.0\.0\.1:1\)/);
    });

    test("models: the tables fit COLUMNS=80; --wide shows every column", async () => {
      const [narrow, wide] = await Promise.all([
        xai([...hostArgs(emu), "models"], { env: at(emu, { COLUMNS: "80" }) }),
        xai([...hostArgs(emu), "models", "--wide"], { env: at(emu, { COLUMNS: "80" }) }),
      ]);
      assert.equal(narrow.code, ExitCode.OK, narrow.stderr);
      const lines = narrow.stdout.trimEnd().split("\n");
      for (const line of lines) assert.ok([...line].length <= 80, `${[...line].length} columns: ${line}`);
      assert.match(narrow.stdout, /│ grok-4\s.*│ \$3\s.*│ \$15\s/, "name and prices are kept");
      assert.match(narrow.stdout, /--wide shows every column/);
      assert.equal(wide.code, ExitCode.OK, wide.stderr);
      assert.match(wide.stdout, /grok-4-latest/);
      assert.match(wide.stdout, /│ cached │/);
      assert.ok(
        wide.stdout.split("\n").some((line) => [...line].length > 80),
        "the full table is wider",
      );
    });

    test("tokenize: count and tokens, consistent between text and --json", async () => {
      const text = "Hello, world! Tokenizers split text.";
      const [plain, json] = await Promise.all([
        xai([...hostArgs(emu), "tokenize", text], { env: at(emu) }),
        xai([...hostArgs(emu), "tokenize", "--json", "-m", "grok-3", text], { env: at(emu) }),
      ]);
      assert.equal(json.code, ExitCode.OK, json.stderr);
      const result = JSON.parse(json.stdout) as {
        model: string;
        count: number;
        tokens: { id: number; text: string }[];
      };
      assert.ok(result.count > 1);
      assert.equal(result.tokens.length, result.count);
      assert.equal(result.tokens.map((t) => t.text).join(""), text);
      assert.equal(plain.code, ExitCode.OK, plain.stderr);
      assert.match(plain.stdout, new RegExp(`^${result.count} tokens`));
      assert.equal(plain.stdout.trim().split("\n").length, result.count + 1);
    });
  });

  describe("xai chat", { concurrency: true }, () => {
    test("one-shot: the answer is streamed to stdout, the request has the flags", async () => {
      const emu = await startEmulator();
      try {
        emu.script.chat({ kind: "text", content: "Ahoy! The sky be blue from Rayleigh scattering." });
        const run = await xai(
          [
            ...hostArgs(emu),
            "chat",
            "-m",
            "grok-3",
            "-s",
            "You are a pirate",
            "--temperature",
            "0.3",
            "--max-tokens",
            "64",
            "--usage",
            "Why",
            "is the sky blue?",
          ],
          { env: at(emu) },
        );
        assert.equal(run.code, ExitCode.OK, run.stderr);
        assert.equal(run.stdout.trim(), "Ahoy! The sky be blue from Rayleigh scattering.");
        assert.match(run.stderr, /tokens: \d+ prompt \+ \d+ completion/);
        const [call] = chatCalls(emu);
        assert.equal(call.method, "/xai_api.Chat/GetCompletionChunk", "streamed");
        const [request] = chatRequests(emu);
        assert.equal(request.model, "grok-3");
        assert.ok(Math.abs((request.temperature ?? 0) - 0.3) < 1e-6);
        assert.equal(request.maxTokens, 64);
        const cut = await xai(
          [...hostArgs(emu), "chat", "-m", "grok-3", "--max-tokens", "3", "Tell me everything"],
          {
            env: at(emu),
          },
        );
        assert.equal(cut.code, ExitCode.OK, cut.stderr);
        assert.match(cut.stderr, /reached the token limit; raise --max-tokens/);
        assert.equal(request.messages.length, 2);
      } finally {
        await emu.stop();
      }
    });

    test('--search adds the web and X search tools and lists the sources; "-" reads the prompt from stdin', async () => {
      const emu = await startEmulator();
      try {
        const run = await xai([...hostArgs(emu), "chat", "--search", "-"], {
          env: at(emu),
          input: "What happened in gRPC this week?",
        });
        assert.equal(run.code, ExitCode.OK, run.stderr);
        assert.match(run.stdout, /\nSources:\n {2}\[1\] https?:\/\/\S+/);
        const [request] = chatRequests(emu);
        assert.deepEqual(
          request.tools.map((t) => t.tool.case),
          ["webSearch", "xSearch"],
        );
        const last = request.messages[request.messages.length - 1];
        assert.deepEqual(
          last.content.map((c) => (c.content.case === "text" ? c.content.value : "")),
          ["What happened in gRPC this week?"],
        );
      } finally {
        await emu.stop();
      }
    });

    test("--json prints the response as JSON, parsed back", async () => {
      const emu = await startEmulator();
      try {
        emu.script.chat({ kind: "text", content: "4" });
        const run = await xai([...hostArgs(emu), "chat", "--json", "2+2?"], { env: at(emu) });
        assert.equal(run.code, ExitCode.OK, run.stderr);
        const json = JSON.parse(run.stdout) as {
          content: string;
          finishReason: string;
          usage: unknown;
          response: unknown;
        };
        assert.equal(json.content, "4");
        assert.equal(json.finishReason, "stop");
        assert.ok(json.usage);
        assert.ok(json.response);
        assert.equal(chatCalls(emu)[0].method, "/xai_api.Chat/GetCompletion");
      } finally {
        await emu.stop();
      }
    });

    test("--show-reasoning prints the reasoning before the answer", async () => {
      const emu = await startEmulator();
      try {
        emu.script.chat({
          kind: "text",
          content: "221 = 13 × 17, so no.",
          reasoningContent: "Try 13: 13*17=221.",
        });
        const run = await xai(
          [...hostArgs(emu), "chat", "-m", "grok-3-mini", "--show-reasoning", "Is 221 prime?"],
          {
            env: at(emu),
          },
        );
        assert.equal(run.code, ExitCode.OK, run.stderr);
        assert.match(run.stdout, /Try 13: 13\*17=221\.\n\n221 = 13 × 17, so no\./);
      } finally {
        await emu.stop();
      }
    });

    test("the REPL keeps the history over three turns, with /model and /reset", async () => {
      const emu = await startEmulator();
      try {
        emu.script.chat(
          { kind: "text", content: "Reply one." },
          { kind: "text", content: "Reply two." },
          { kind: "text", content: "Reply three." },
          { kind: "text", content: "Reply four." },
        );
        const input = [
          "My name is Ada.",
          "",
          "What is my name?",
          "/model grok-3",
          "Thanks!",
          "/reset",
          "Fresh start",
          "/exit",
          "never sent",
        ].join("\n");
        const run = await xai([...hostArgs(emu), "chat", "-s", "Be brief"], {
          env: at(emu),
          input: `${input}\n`,
        });
        assert.equal(run.code, ExitCode.OK, run.stderr);
        assert.match(run.stdout, /Reply one\.\nReply two\.\nReply three\.\nReply four\./);
        const calls = chatCalls(emu);
        assert.equal(calls.length, 4, "four turns sent, nothing after /exit");
        const requests = chatRequests(emu);
        assert.deepEqual(
          requests.map((r) => r.messages.length),
          [2, 4, 6, 2],
          "system + growing history; /reset starts over",
        );
        assert.deepEqual(
          requests.map((r) => r.model),
          ["grok-4", "grok-4", "grok-3", "grok-3"],
        );
        assert.match(run.stderr, /model: grok-3/);
        assert.match(run.stderr, /conversation cleared/);
      } finally {
        await emu.stop();
      }
    });

    test("Ctrl-C (SIGINT) stops the current answer, not the REPL", async () => {
      const emu = await startEmulator();
      try {
        // The first answer hangs until the CLI gives up on it.
        emu.faults.latency(600_000, "Chat/GetCompletionChunk");
        let stderr = "";
        const run = await xai([...hostArgs(emu), "chat"], {
          env: at(emu),
          async onSpawn(child) {
            child.stderr?.on("data", (d: Buffer) => {
              stderr += d.toString();
            });
            child.stdin?.write("first question\n");
            // Polls until the CLI reaches each point (or dies, which the assertions below then report).
            const alive = () => child.exitCode === null && child.signalCode === null;
            const tick = () => new Promise((resolve) => setTimeout(resolve, 20));
            while (alive() && chatCalls(emu).length === 0) await tick();
            emu.faults.latency(0, "Chat/GetCompletionChunk");
            child.kill("SIGINT");
            while (alive() && !stderr.includes("(answer stopped)")) await tick();
            child.stdin?.end("second question\n");
          },
        });
        assert.equal(run.code, ExitCode.OK, run.stderr);
        assert.equal(run.signal, null);
        assert.match(run.stdout, /^[^\n]*“second question”[^\n]*\n$/, "only the second answer is shown");
        assert.doesNotMatch(run.stdout, /first question/);
        const calls = chatCalls(emu);
        assert.equal(calls.length, 2);
        assert.equal(calls[0].status, Status.CANCELLED, "the first call was cancelled");
        assert.equal(
          chatRequests(emu)[1].messages.length,
          1,
          "nothing was shown, so the stopped turn is not kept",
        );
      } finally {
        await emu.stop();
      }
    });

    test("the REPL on a terminal: after Ctrl-D the line is ended, so the shell's prompt starts on its own", async (t) => {
      if (!hasScript()) {
        t.skip("no `script` command to run the CLI on a pseudo-terminal");
        return;
      }
      const emu = await startEmulator();
      try {
        const cli = [process.execPath, bundle, "--host", emu.apiHost, "chat"].map(shellQuote).join(" ");
        let shown = "";
        let sent = false;
        // `script` runs the CLI on a pseudo-terminal; what it prints is what the terminal shows.
        const run = await runEntry([], ["script", "-q", "-e", "-c", cli, "/dev/null"], {
          env: at(emu),
          onSpawn(child) {
            child.stdout?.on("data", (d: unknown) => {
              shown += String(d);
              if (sent || !shown.includes("you› ")) return;
              sent = true;
              child.stdin?.write("\x04"); // Ctrl-D at an empty prompt
            });
          },
        });
        assert.equal(run.code, ExitCode.OK, run.stdout);
        assert.ok(sent, `the prompt was shown:\n${run.stdout}`);
        const afterPrompt = run.stdout.slice(run.stdout.lastIndexOf("you› "));
        assert.match(afterPrompt, /\n$/, `ends with a new line: ${JSON.stringify(afterPrompt)}`);
        assert.equal(chatCalls(emu).length, 0);
      } finally {
        await emu.stop();
      }
    });

    test("the REPL reports an API error and goes on", async () => {
      const emu = await startEmulator();
      try {
        emu.script.chat(
          { kind: "error", code: Status.RESOURCE_EXHAUSTED, details: "Too many requests." },
          { kind: "text", content: "Back again." },
        );
        const run = await xai([...hostArgs(emu), "chat"], { env: at(emu), input: "first\nsecond\n" });
        assert.equal(run.code, ExitCode.OK, run.stderr);
        assert.match(run.stderr, /RESOURCE_EXHAUSTED/);
        assert.match(run.stdout, /Back again\./);
        const requests = chatRequests(emu);
        assert.deepEqual(
          requests.map((r) => r.messages.length),
          [1, 1],
          "the failed turn is not kept",
        );
      } finally {
        await emu.stop();
      }
    });
  });

  describe("errors and exit codes", { concurrency: true }, () => {
    let emu: Emulator;
    before(async () => {
      emu = await startEmulator();
    });
    after(async () => {
      await emu?.stop();
    });

    test("usage errors exit 2 and send nothing", async (t) => {
      const emu = await startEmulator();
      t.after(() => emu.stop());
      const runs = await Promise.all([
        xai([...hostArgs(emu), "chat", "--temperature", "5", "hi"], { env: at(emu) }),
        xai([...hostArgs(emu), "chat", "--reasoning-effort", "extreme", "hi"], { env: at(emu) }),
        xai([...hostArgs(emu), "chta", "hi"], { env: at(emu) }),
        xai([...hostArgs(emu), "tokenize"], { env: at(emu) }),
        xai([]),
      ]);
      for (const run of runs) assert.equal(run.code, ExitCode.USAGE_ERROR, run.stderr);
      assert.match(runs[0].stderr, /temperature must be between 0 and 2/);
      assert.match(runs[1].stderr, /none, low, medium, high, xhigh/);
      assert.match(runs[2].stderr, /Did you mean chat\?/);
      assert.match(runs[3].stderr, /missing required argument/);
      assert.match(runs[4].stderr, /Usage: xai/);
      for (const run of runs.slice(0, 4)) assert.match(run.stderr, /^xai: error: /, "one prefix");
      assert.equal(emu.calls.length, 0);
    });

    test("input errors caught by the SDK name the CLI flag, not the SDK option", async (t) => {
      const emu = await startEmulator();
      t.after(() => emu.stop());
      const runs = await Promise.all([
        xai([...hostArgs(emu), "image", "--aspect-ratio", "7:5", "a fox"], { env: at(emu) }),
        xai([...hostArgs(emu), "image", "-n", "11", "a fox"], { env: at(emu) }),
        xai([...hostArgs(emu), "image", "--resolution", "4k", "a fox"], { env: at(emu) }),
        xai([...hostArgs(emu), "files", "upload", "--name", "", "package.json"], { env: at(emu) }),
        xai([...hostArgs(emu), "files", "upload", "--expires-after", "10", "package.json"], { env: at(emu) }),
        xai([...hostArgs(emu), "tokenize", "-m", "", "hi"], { env: at(emu) }),
      ]);
      for (const run of runs) {
        assert.equal(run.code, ExitCode.USAGE_ERROR, run.stderr);
        assert.match(run.stderr, /^xai: error: /);
      }
      assert.match(runs[0].stderr, /--aspect-ratio must be one of "1:1"/);
      assert.doesNotMatch(runs[0].stderr, /aspectRatio/);
      assert.match(runs[1].stderr, /-n must be a whole number from 1 to 10, got 11/);
      assert.match(runs[2].stderr, /--resolution must be one of "1k", "2k"/);
      assert.match(runs[3].stderr, /--name must be a non-empty string/);
      assert.doesNotMatch(runs[3].stderr, /filename/);
      assert.match(runs[4].stderr, /--expires-after .*3600 \(one hour\) to 2592000/);
      assert.match(runs[5].stderr, /--model <name>.*Give a model name/);
      assert.equal(emu.calls.length, 0, "nothing was sent");
    });

    test("no colour when the output is not a terminal, even without NO_COLOR", async () => {
      const env = at(emu, { NO_COLOR: undefined, FORCE_COLOR: "1" });
      const runs = await Promise.all([
        xai([...hostArgs(emu), "models", "--kind", "image"], { env }),
        xai([...hostArgs(emu), "models", "grok-99"], { env }),
        xai(["chat", "--help"], { env }),
        xai(["chat", "--temperature", "9", "hi"], { env }),
      ]);
      assert.deepEqual(
        runs.map((r) => r.code),
        [ExitCode.OK, ExitCode.API_ERROR, ExitCode.OK, ExitCode.USAGE_ERROR],
      );
      for (const run of runs) {
        assert.ok(
          !run.stdout.includes("\x1b[") && !run.stderr.includes("\x1b["),
          `no escape codes:\n${run.stdout}${run.stderr}`,
        );
      }
    });

    test("no key at all is a usage error naming XAI_API_KEY", async () => {
      const run = await xai([...hostArgs(emu), "models"]);
      assert.equal(run.code, ExitCode.USAGE_ERROR);
      assert.match(run.stderr, /no API key: set XAI_API_KEY/);
    });

    test("a wrong key exits 1 with UNAUTHENTICATED and the hint, and the key is not printed", async () => {
      const wrongKey = "xai-wrong-key-0123456789";
      const run = await xai(["--api-key", wrongKey, ...hostArgs(emu), "chat", "hi"], { env: at(emu) });
      assert.equal(run.code, ExitCode.API_ERROR);
      assert.match(run.stderr, /^xai: error: UNAUTHENTICATED: /);
      assert.match(run.stderr, /hint: set XAI_API_KEY=<your key> or pass --api-key/);
      assert.equal(run.stderr.trim().split("\n").length, 1, "one line");
      assert.ok(!run.stderr.includes(wrongKey));
      assert.equal(run.stdout, "");
    });

    test("--timeout sets the deadline: DEADLINE_EXCEEDED exits 1 with a hint", async (t) => {
      const emu = await startEmulator();
      t.after(() => emu.stop());
      emu.faults.latency(600_000, "Models/ListLanguageModels");
      const run = await xai([...hostArgs(emu), "--timeout", "0.2", "models", "--kind", "language"], {
        env: at(emu),
      });
      assert.equal(run.code, ExitCode.API_ERROR);
      assert.match(run.stderr, /DEADLINE_EXCEEDED/);
      assert.match(run.stderr, /--timeout <seconds>/);
    });

    test("an unreachable host exits 1 with UNAVAILABLE and a hint about the host", async () => {
      const run = await xai(["--host", "127.0.0.1:1", "--timeout", "30", "models"], { env: at(emu) });
      assert.equal(run.code, ExitCode.API_ERROR);
      assert.match(run.stderr, /UNAVAILABLE/);
      assert.match(run.stderr, /check the host \(127\.0\.0\.1:1\)/);
    });
  });

  describe("xai files and xai image", { concurrency: true }, () => {
    let emu: Emulator;
    let dir: string;
    before(async () => {
      emu = await startEmulator();
      dir = await mkdtemp(join(tmpdir(), "xai-cli-"));
    });
    after(async () => {
      await emu?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    test("files: upload, list, download and delete round trip", async () => {
      const source = join(dir, "notes.txt");
      const content = "line one\nline two\n".repeat(1000);
      await writeFile(source, content);
      const upload = await xai([...hostArgs(emu), "files", "upload", "--json", source], { env: at(emu) });
      assert.equal(upload.code, ExitCode.OK, upload.stderr);
      const [file] = JSON.parse(upload.stdout) as { id: string; filename: string; size: number }[];
      assert.equal(file.filename, "notes.txt");
      assert.equal(file.size, Buffer.byteLength(content));

      const list = await xai([...hostArgs(emu), "files", "list"], { env: at(emu) });
      assert.equal(list.code, ExitCode.OK, list.stderr);
      assert.match(list.stdout, new RegExp(`${file.id}.*notes\\.txt`));
      for (const name of ["b.txt", "c.txt"]) {
        await writeFile(join(dir, name), name);
        const more = await xai([...hostArgs(emu), "files", "upload", join(dir, name)], { env: at(emu) });
        assert.equal(more.code, ExitCode.OK, more.stderr);
      }
      const limited = await xai([...hostArgs(emu), "files", "list", "--limit", "2", "--json"], {
        env: at(emu),
      });
      assert.equal(limited.code, ExitCode.OK, limited.stderr);
      assert.equal((JSON.parse(limited.stdout) as unknown[]).length, 2);
      const listCall = emu.calls.findLast((c) => c.method === "/xai_api.Files/ListFiles");
      assert.equal(
        (listCall?.request as { limit?: number } | undefined)?.limit,
        2,
        "--limit sets the page size",
      );

      const copy = join(dir, "copy.txt");
      const download = await xai([...hostArgs(emu), "files", "download", file.id, "--out", copy], {
        env: at(emu),
      });
      assert.equal(download.code, ExitCode.OK, download.stderr);
      assert.equal(await readFile(copy, "utf8"), content);

      const del = await xai([...hostArgs(emu), "files", "delete", file.id], { env: at(emu) });
      assert.equal(del.code, ExitCode.OK, del.stderr);
      const again = await xai([...hostArgs(emu), "files", "info", file.id], { env: at(emu) });
      assert.equal(again.code, ExitCode.API_ERROR);
      assert.match(again.stderr, /NOT_FOUND/);
      assert.match(again.stderr, /hint: check the file id \(`xai files list` lists the files\)/);
      assert.doesNotMatch(again.stderr, /models/);
    });

    test("files download never overwrites unasked: --clobber for the stored name; never a special file", async () => {
      const source = join(dir, "report.txt");
      await writeFile(source, "from the API\n");
      const upload = await xai([...hostArgs(emu), "files", "upload", "--json", source], { env: at(emu) });
      assert.equal(upload.code, ExitCode.OK, upload.stderr);
      const [{ id }] = JSON.parse(upload.stdout) as { id: string }[];
      const cwd = await mkdtemp(join(dir, "downloads-"));
      const mine = join(cwd, "report.txt");
      await writeFile(mine, "my own report\n");
      const download = (...args: string[]) =>
        xai([...hostArgs(emu), "files", "download", id, ...args], { env: at(emu), cwd });

      const refused = await download();
      assert.equal(refused.code, ExitCode.USAGE_ERROR, refused.stderr);
      assert.match(refused.stderr, /^xai: error: "report\.txt" already exists: pass --clobber to replace it/);
      assert.equal(await readFile(mine, "utf8"), "my own report\n", "left as it was");

      const clobbered = await download("--clobber");
      assert.equal(clobbered.code, ExitCode.OK, clobbered.stderr);
      assert.equal(await readFile(mine, "utf8"), "from the API\n");

      // A path given with --out is what the user asked for: it is replaced.
      const named = join(cwd, "named.txt");
      await writeFile(named, "old\n");
      const explicit = await download("--out", named);
      assert.equal(explicit.code, ExitCode.OK, explicit.stderr);
      assert.equal(await readFile(named, "utf8"), "from the API\n");

      const fifo = join(cwd, "pipe");
      execFileSync("mkfifo", [fifo]);
      const special = await Promise.all([
        download("--out", cwd),
        download("--out", fifo),
        download("--out", "/dev/null"),
        download("--out", fifo, "--clobber"),
      ]);
      for (const run of special) assert.equal(run.code, ExitCode.USAGE_ERROR, run.stderr);
      assert.match(special[0].stderr, /is a directory, not a file: downloads are never written over one/);
      assert.match(special[1].stderr, /"[^"]*pipe" is a FIFO/);
      assert.match(special[2].stderr, /"\/dev\/null" is a device/);
      assert.match(special[3].stderr, /is a FIFO/, "--clobber does not change that");
    });

    test("files upload shows bytes and percent: on stderr with --progress when it is not a terminal", async () => {
      const source = join(dir, "big.bin");
      await writeFile(source, Buffer.alloc(7 * 1024 * 1024, 7));
      const [withProgress, quiet] = await Promise.all([
        xai([...hostArgs(emu), "files", "upload", "--progress", source], { env: at(emu) }),
        xai([...hostArgs(emu), "files", "upload", source], { env: at(emu) }),
      ]);
      assert.equal(withProgress.code, ExitCode.OK, withProgress.stderr);
      assert.deepEqual(withProgress.stderr.trimEnd().split("\n"), [
        "uploading big.bin: 3.0 MiB of 7.0 MiB (42%)",
        "uploading big.bin: 6.0 MiB of 7.0 MiB (85%)",
        "uploading big.bin: 7.0 MiB of 7.0 MiB (100%)",
        "uploaded big.bin: 7.0 MiB (100%)",
      ]);
      assert.match(withProgress.stdout, /big\.bin {2}7\.0 MiB/);
      assert.equal(quiet.code, ExitCode.OK, quiet.stderr);
      assert.equal(quiet.stderr, "", "no progress in a pipe unless asked");
    });

    test("image --out saves a PNG", async () => {
      const out = join(dir, "lighthouse.png");
      const run = await xai(
        [...hostArgs(emu), "image", "a lighthouse at dawn", "-m", "grok-2-image", "--out", out],
        {
          env: at(emu),
        },
      );
      assert.equal(run.code, ExitCode.OK, run.stderr);
      assert.match(run.stdout, /saved .*lighthouse\.png/);
      const bytes = await readFile(out);
      assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    });
  });

  describe("xai emulator", { concurrency: true }, () => {
    test("prints a ready export line: pasted into a shell, the CLI runs unchanged against it; exits 0 on SIGTERM", async () => {
      let banner = "";
      let readyLine: string | undefined;
      let shell: Run | undefined;
      const run = await xai(["emulator"], {
        onSpawn(child) {
          child.stdin?.end();
          child.stdout?.on("data", async (d: unknown) => {
            banner += String(d);
            const match =
              /^export XAI_API_KEY=\S+ XAI_API_HOST=\S+ XAI_MANAGEMENT_KEY=\S+ XAI_MANAGEMENT_API_HOST=\S+$/m.exec(
                banner,
              );
            if (!match || readyLine !== undefined) return;
            readyLine = match[0];
            const cli = [process.execPath, bundle].map(shellQuote).join(" ");
            try {
              // No XAI_* variable in the environment: only what the line exports, and no --host.
              shell = await runEntry(
                [],
                ["sh", "-c", `${readyLine}\n${cli} models --kind image --json && ${cli} chat "Say hi"`],
              );
            } finally {
              child.kill("SIGTERM");
            }
          });
        },
      });
      assert.ok(readyLine, `the banner has the export line:\n${banner}`);
      assert.ok(shell);
      assert.equal(shell.code, ExitCode.OK, shell.stderr);
      assert.match(shell.stdout, /"name": "grok-2-image"/);
      assert.match(shell.stdout, /Say hi/, "the chat answer quotes the prompt");
      assert.match(banner, /API\s+127\.0\.0\.1:\d+/);
      assert.match(banner, /management\s+127\.0\.0\.1:\d+/);
      assert.match(banner, /REST\s+http:\/\/127\.0\.0\.1:\d+\/v1 /);
      assert.match(banner, /xai chat "hi"/);
      assert.equal(run.signal, null);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /SIGTERM: emulator stopped/);
    });

    test("--json prints one line with the addresses, the keys, the environment and the export line", async () => {
      let line: EmulatorJsonLine | undefined;
      let models: Run | undefined;
      await xai(["emulator", "--json"], {
        onSpawn(child) {
          child.stdin?.end();
          let out = "";
          child.stdout?.on("data", async (d: unknown) => {
            out += String(d);
            if (line !== undefined || !out.includes("\n")) return;
            line = JSON.parse(out.slice(0, out.indexOf("\n"))) as EmulatorJsonLine;
            try {
              // No XAI_* variable but those of `env`: they are all a client needs.
              models = await runEntry([], [process.execPath, bundle, "models", "--kind", "image", "--json"], {
                env: line.env,
              });
            } finally {
              child.kill("SIGTERM");
            }
          });
        },
      });
      assert.ok(line);
      assert.deepEqual(Object.keys(line.env), [
        "XAI_API_KEY",
        "XAI_API_HOST",
        "XAI_MANAGEMENT_KEY",
        "XAI_MANAGEMENT_API_HOST",
      ]);
      assert.equal(line.env.XAI_API_HOST, line.apiHost);
      assert.equal(line.exportLine, exportLine(line));
      assert.equal(models?.code, ExitCode.OK, models?.stderr);
      assert.match(models?.stdout ?? "", /"name": "grok-2-image"/);
    });

    test("a port in use is one clear line on stderr and exit 1, without grpc-js's log", async (t) => {
      const emu = await startEmulator();
      t.after(() => emu.stop());
      const port = emu.apiHost.slice(emu.apiHost.lastIndexOf(":") + 1);
      const run = await xai(["emulator", "--port", port]);
      assert.equal(run.code, ExitCode.API_ERROR, run.stderr);
      assert.equal(run.stdout, "");
      assert.equal(run.stderr.trimEnd().split("\n").length, 1, `one line:\n${run.stderr}`);
      assert.match(run.stderr, /^xai: error: .*127\.0\.0\.1:\d+: the port is in use/);
      assert.doesNotMatch(run.stderr, /No address added/);
    });

    test("--help shows only the options it uses", async () => {
      const [emulator, chat] = await Promise.all([xai(["emulator", "--help"]), xai(["chat", "--help"])]);
      assert.equal(emulator.code, ExitCode.OK, emulator.stderr);
      assert.match(emulator.stdout, /--port <port>/);
      assert.match(emulator.stdout, /--listen <address>/);
      for (const global of ["--api-key", "--host", "--insecure", "--timeout", "--model", "Global Options"]) {
        assert.ok(!emulator.stdout.includes(global), `no ${global} in:\n${emulator.stdout}`);
      }
      assert.match(
        chat.stdout,
        /Global Options:[\s\S]*--api-key[\s\S]*--host/,
        "other commands still show them",
      );
    });
  });

  describe("the built binary", () => {
    before(ensureDist);
    test("dist/esm/cli/main.js runs --version and models", async () => {
      const emu = await startEmulator();
      try {
        // Run as the `xai` bin is: the file itself, through its shebang.
        const version = await runEntry([], [distMain, "--version"]);
        assert.equal(version.stdout.trim(), VERSION);
        const models = await runEntry([distMain], [...hostArgs(emu), "models", "--json"], { env: at(emu) });
        assert.equal(models.code, 0, models.stderr);
        assert.ok((JSON.parse(models.stdout) as { name: string }[]).some((m) => m.name === "grok-4"));
      } finally {
        await emu.stop();
      }
    });
  });
});
