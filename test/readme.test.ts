// The README's TypeScript: every block is a complete program or a marked fragment of one; every program, and
// every program followed by each of its fragments, type-checks under --strict against the packed package; and
// every program runs against the emulator, reaching it through environment variables only (XAI_API_KEY,
// XAI_API_HOST, XAI_MANAGEMENT_KEY, XAI_MANAGEMENT_API_HOST), as a user runs it.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { type Emulator, startEmulator } from "../src/testing/index.js";
import { root } from "./helpers/dist.js";
import { bin, run, usePackedApp } from "./helpers/packed.js";
import { type ReadmeBlock, readmeBlocks, withFragment } from "./helpers/readme-blocks.js";

const execFileAsync = promisify(execFile);
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = readmeBlocks(readme);
const programs = blocks.filter((b) => b.kind === "program");
const fragments = blocks.filter((b) => b.kind === "fragment");

describe("the README's blocks", () => {
  test("every TypeScript block is marked, programs have distinct names, fragments continue an earlier program", () => {
    assert.ok(programs.length >= 5, `only ${programs.length} programs found`);
    const seen = new Set<string>();
    for (const block of blocks) {
      if (block.kind === "program") {
        assert.ok(!seen.has(block.name), `README.md:${block.line}: a second program named ${block.name}`);
        seen.add(block.name);
      } else {
        assert.ok(
          seen.has(block.name),
          `README.md:${block.line}: no program "${block.name}" before this fragment`,
        );
        // What a reader of the rendered page sees (the HTML comment is invisible there).
        assert.equal(block.code.split("\n")[0], `// continues "${block.name}"`, `README.md:${block.line}`);
      }
    }
  });

  test("the README names no API that was renamed or removed (outside its list of breaking changes)", () => {
    const start = readme.indexOf("## Breaking changes before 1.0");
    const end = readme.indexOf("\n## ", start + 1);
    assert.ok(start > 0 && end > start, "the README has a Breaking changes before 1.0 section");
    const text = readme.slice(0, start) + readme.slice(end);
    for (const old of [
      /`Response`/,
      /`Chunk`/,
      /\bResponse\.fromProto/,
      /\.iterate\w*\(/,
      /\b(PollOptions|DeferOptions|VideoWaitOptions|BatchWaitOptions|IndexingWaitOptions)\b/,
      /\bparsePartialJson\b/,
      /setTimeout\(\(\) => controller\.abort\(\)/,
    ]) {
      const line = text.split("\n").find((l) => old.test(l));
      assert.equal(line, undefined, `${old} in: ${line}`);
    }
  });
});

const packed = usePackedApp();
let dir = "";
const fileOf = (block: ReadmeBlock, fragment?: ReadmeBlock) =>
  join(dir, fragment ? `${block.name}+line-${fragment.line}.mts` : `${block.name}.mts`);
let diagnostics = "";

before(() => {
  // The app the package is installed in, plus the optional peer dependencies the README uses
  // (zod, the AI SDK) and the REST clients it points at the emulator's REST face.
  dir = join(packed.app, "readme");
  mkdirSync(dir);
  for (const name of ["zod", "openai", "ai", "@ai-sdk"]) {
    symlinkSync(join(root, "node_modules", name), join(packed.app, "node_modules", name), "dir");
  }
  // And OpenTelemetry, for the Observability section (the API is an optional peer, the SDK a dev dependency).
  mkdirSync(join(packed.app, "node_modules/@opentelemetry"), { recursive: true });
  for (const name of ["api", "sdk-trace-base"]) {
    const from = join(root, "node_modules/@opentelemetry", name);
    symlinkSync(from, join(packed.app, "node_modules/@opentelemetry", name), "dir");
  }
  const files: string[] = [];
  for (const program of programs) {
    writeFileSync(fileOf(program), program.code);
    files.push(fileOf(program));
  }
  for (const fragment of fragments) {
    const program = programs.find((p) => p.name === fragment.name);
    if (!program) continue;
    writeFileSync(fileOf(program, fragment), withFragment(program.code, fragment.code));
    files.push(fileOf(program, fragment));
  }
  writeFileSync(
    join(packed.app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "es2022",
        module: "nodenext",
        moduleResolution: "nodenext",
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        typeRoots: [join(root, "node_modules/@types")],
        types: ["node"],
      },
      files,
    }),
  );
  try {
    run(bin("tsc"), ["-p", packed.app, "--pretty", "false"], packed.app);
  } catch (error) {
    diagnostics = (error as { stdout?: string }).stdout ?? String(error);
  }
});

/** The compiler's errors in one file. */
function errorsIn(file: string): string[] {
  return diagnostics.split("\n").filter((line) => line.startsWith(file) || line.startsWith(`readme/${file}`));
}

describe("type-checked under --strict against the packed package", () => {
  for (const program of programs) {
    test(`program "${program.name}" (README.md:${program.line})`, () => {
      const errors = errorsIn(fileOf(program).slice(packed.app.length + 1));
      assert.deepEqual(errors, [], `README.md:${program.line}\n${errors.join("\n")}`);
    });
  }
  for (const fragment of fragments) {
    test(`fragment of "${fragment.name}" (README.md:${fragment.line}), appended to it`, () => {
      const program = programs.find((p) => p.name === fragment.name)!;
      const errors = errorsIn(fileOf(program, fragment).slice(packed.app.length + 1));
      assert.deepEqual(errors, [], `README.md:${fragment.line}\n${errors.join("\n")}`);
    });
  }
  test("the compiler reported nothing else", () => {
    const others = diagnostics.split("\n").filter((l) => /error TS/.test(l) && !/^readme\//.test(l));
    assert.deepEqual(others, []);
  });
});

describe("run against the emulator through environment variables", () => {
  let emulator: Emulator;
  let env: NodeJS.ProcessEnv;
  let hostFromEnv = false;
  before(async () => {
    emulator = await startEmulator();
    env = { ...process.env, NO_COLOR: "1" };
    for (const name of Object.keys(env)) if (name.startsWith("XAI_")) delete env[name];
    delete env.NODE_TEST_CONTEXT; // the emulator-test program runs node:test tests of its own
    Object.assign(env, {
      XAI_API_KEY: emulator.apiKey,
      XAI_API_HOST: emulator.apiHost,
      XAI_MANAGEMENT_KEY: emulator.managementApiKey,
      XAI_MANAGEMENT_API_HOST: emulator.managementApiHost,
    });
    // Whether the packed Client reads XAI_API_HOST: without it, `new Client()` goes to api.x.ai.
    const { stdout } = await execFileAsync(
      "node",
      ["-e", 'console.log(new (require("xai-grpc").Client)().toJSON().api)'],
      { cwd: packed.app, env },
    );
    hostFromEnv = stdout.trim() === emulator.apiHost;
  });
  after(() => emulator?.stop());

  for (const program of programs) {
    test(`program "${program.name}" (README.md:${program.line}) exits 0`, async (t) => {
      // A Client made without the emulator's options finds it through XAI_API_HOST only.
      if (!hostFromEnv && /new Client\((?!emulator\.clientOptions)/.test(program.code)) {
        t.skip("needs `new Client()` to read XAI_API_HOST, which the packed SDK does not do yet");
        return;
      }
      const cwd = mkdtempSync(join(packed.work, `run-${program.name}-`));
      const before = emulator.calls.length;
      try {
        await execFileAsync(bin("tsx"), [fileOf(program)], { cwd, env });
      } catch (error) {
        const { stdout, stderr } = error as { stdout?: string; stderr?: string };
        assert.fail(`README.md:${program.line}: "${program.name}" failed\n${stdout}\n${stderr}`);
      }
      if (!/startEmulator\(/.test(program.code)) {
        assert.ok(emulator.calls.length > before, "the program's calls reached the emulator");
      }
    });
  }
});
