// The published package works: build, `npm pack`, install the tarball in an empty folder (no engine warning),
// then import it from ESM, CommonJS and TypeScript; publint and arethetypeswrong (its default profile, node10
// resolution included) report no problems.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { root } from "./helpers/dist.js";
import { withEmulator } from "./helpers/emulator.js";
import { bin, run, usePackedApp } from "./helpers/packed.js";

const execFileAsync = promisify(execFile);
const packed = usePackedApp();

test("installing the tarball under this Node warns about no engine", () => {
  // The install ran with --engine-strict: it would have failed on a dependency whose engines exclude this Node.
  assert.doesNotMatch(packed.installOutput, /EBADENGINE|Unsupported engine/i, packed.installOutput);
});

test("the tarball imports from CommonJS", () => {
  const out = run(
    "node",
    [
      "-e",
      `const x = require("xai-grpc"); const t = require("xai-grpc/testing");
       console.log(x.VERSION, typeof x.Client, typeof x.XaiError, typeof t.startEmulator);`,
    ],
    packed.app,
  );
  assert.match(out, /^\d+\.\d+\.\d+ function function function/);
});

test("the tarball imports from ESM", () => {
  const out = run(
    "node",
    [
      "--input-type=module",
      "-e",
      `import { VERSION, Client } from "xai-grpc"; import { startEmulator } from "xai-grpc/testing";
       console.log(VERSION, typeof Client, typeof startEmulator);`,
    ],
    packed.app,
  );
  assert.match(out, /^\d+\.\d+\.\d+ function function/);
});

// The build defers the generated schemas, @bufbuild/protobuf and ajv to first use (scripts/lazy-modules.mjs), and
// the transport loads grpc-js on the first call. The deferred modules report their first load to an array at
// globalThis[Symbol.for("xai-grpc.lazyLoads")]; grpc-js shows in the require cache.
for (const [kind, args, load] of [
  ["ESM", ["--input-type=module", "-e"], `const x = await import("xai-grpc");`],
  ["CommonJS", ["-e"], `const x = require("xai-grpc");`],
] as const) {
  test(`importing the tarball (${kind}) loads no protobuf, ajv, schema or grpc-js until they are used`, () => {
    const script = `(async () => {
      const log = (globalThis[Symbol.for("xai-grpc.lazyLoads")] = []);
      ${load}
      const modules = () => [...new Set(log.map((entry) => entry.module))].sort();
      const { createRequire } = require("node:module");
      const grpcLoaded = () => Object.keys(createRequire(process.cwd() + "/").cache)
        .some((path) => path.includes("/node_modules/@grpc/grpc-js/"));
      const atImport = { modules: modules(), grpc: grpcLoaded() };
      // A tool builds a Tool message and checks its JSON Schema with ajv.
      const weather = x.tool("get_weather", "Weather", { type: "object", properties: { city: { type: "string" } } });
      const afterTool = modules();
      const emu = await (await import("xai-grpc/testing")).startEmulator();
      const client = new x.Client({ apiKey: emu.apiKey, apiHost: emu.apiHost });
      const chat = client.chat.create({ model: "grok-4", messages: [x.user("weather in Paris?")], tools: [weather] });
      const answer = await chat.sample();
      client.close(); await emu.stop();
      console.log(JSON.stringify({ atImport, afterTool, grpcAfterCall: grpcLoaded(), calls: answer.toolCalls.length }));
    })();`;
    const out = JSON.parse(
      run(
        "node",
        [
          ...args,
          kind === "ESM"
            ? `import { createRequire as cr } from "node:module"; const require = cr(import.meta.url); ${script}`
            : script,
        ],
        packed.app,
      ),
    );
    assert.deepEqual(out.atImport, { modules: [], grpc: false });
    for (const module of ["@bufbuild/protobuf", "ajv/dist/2020.js", "src/gen/xai/api/v1/chat_pb.ts"]) {
      assert.ok(out.afterTool.includes(module), `${module} not loaded by tool(): ${out.afterTool}`);
    }
    assert.equal(out.grpcAfterCall, true);
    assert.equal(out.calls, 1);
  });
}

/** Installs the AI SDK (ai and @ai-sdk/provider, optional peers) in the packed app, from our node_modules. */
function withAiSdk(app: string): void {
  mkdirSync(join(app, "node_modules/@ai-sdk"), { recursive: true });
  for (const name of ["ai", "@ai-sdk/provider", "zod"]) {
    try {
      symlinkSync(join(root, "node_modules", name), join(app, "node_modules", name), "dir");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

for (const [kind, args, load] of [
  [
    "ESM",
    ["--input-type=module", "-e"],
    `const { generateText } = await import("ai"); const { createXaiGrpc } = await import("xai-grpc/ai-sdk"); const { Client } = await import("xai-grpc");`,
  ],
  [
    "CommonJS",
    ["-e"],
    `const { generateText } = require("ai"); const { createXaiGrpc } = require("xai-grpc/ai-sdk"); const { Client } = require("xai-grpc");`,
  ],
] as const) {
  test(`xai-grpc/ai-sdk imports from ${kind} and answers generateText through the emulator`, async () => {
    withAiSdk(packed.app);
    const out = await withEmulator({}, async ({ emulator }) => {
      const script = `(async () => {
        ${load}
        const client = new Client({ apiKey: process.env.EMU_KEY, apiHost: process.env.EMU_HOST });
        const { text, finishReason } = await generateText({ model: createXaiGrpc(client)("grok-3"), prompt: "Hello" });
        client.close();
        console.log(JSON.stringify({ text: text.length > 0, finishReason }));
      })();`;
      const { stdout } = await execFileAsync("node", [...args, script], {
        cwd: packed.app,
        env: { ...process.env, EMU_HOST: emulator.apiHost, EMU_KEY: emulator.apiKey },
      });
      return JSON.parse(stdout);
    });
    assert.deepEqual(out, { text: true, finishReason: "stop" });
  });
}

test("importing xai-grpc alone loads no AI SDK code (CommonJS cache, and no import of it outside dist/*/ai-sdk)", () => {
  withAiSdk(packed.app);
  const out = run(
    "node",
    [
      "-e",
      `const aiSdk = () => Object.keys(require.cache).filter((p) => /node_modules[\\/](ai|@ai-sdk)[\\/]/.test(p)).length;
       require("xai-grpc"); const alone = aiSdk(); require("xai-grpc/ai-sdk"); console.log(alone, aiSdk() > 0);`,
    ],
    packed.app,
  );
  assert.equal(out.trim(), "0 true");
  const dist = join(packed.app, "node_modules/xai-grpc/dist");
  const files = readdirSync(dist, { recursive: true, encoding: "utf8" }).filter(
    (f) => f.endsWith(".js") && !f.split(/[\\/]/).includes("ai-sdk"),
  );
  assert.ok(files.length > 3);
  for (const file of files) {
    assert.doesNotMatch(
      readFileSync(join(dist, file), "utf8"),
      /(from\s*|require\()["'](ai|@ai-sdk\/[^"']+)["']/,
      file,
    );
  }
});

test("an ESM app bundled with the SDK runs from a folder without node_modules (as on a serverless host)", async () => {
  const app = packed.app;
  writeFileSync(
    join(app, "bundled.mjs"),
    `import { Client, tool, user } from "xai-grpc";
     const client = new Client({ apiKey: process.env.EMU_KEY, apiHost: process.env.EMU_HOST });
     const weather = tool("get_weather", "Weather", { type: "object", properties: { city: { type: "string" } } });
     const chat = client.chat.create({ model: "grok-4", messages: [user("weather in Paris?")], tools: [weather] });
     const answer = await chat.sample();
     client.close();
     console.log(answer.toolCalls[0].name);\n`,
  );
  const alone = mkdtempSync(join(tmpdir(), "xai-bundled-"));
  try {
    // The banner gives the bundle a require() for grpc-js's own CommonJS code.
    run(
      bin("esbuild"),
      [
        "bundled.mjs",
        "--bundle",
        "--platform=node",
        "--format=esm",
        `--outfile=${join(alone, "app.mjs")}`,
        "--log-level=error",
        '--banner:js=import { createRequire } from "node:module"; const require = createRequire(import.meta.url);',
      ],
      app,
    );
    const answer = await withEmulator({}, async ({ emulator }) => {
      const { stdout } = await execFileAsync("node", ["app.mjs"], {
        cwd: alone,
        env: { ...process.env, EMU_HOST: emulator.apiHost, EMU_KEY: emulator.apiKey },
      });
      return stdout.trim();
    });
    assert.equal(answer, "get_weather");
  } finally {
    rmSync(alone, { recursive: true, force: true });
  }
});

test("the tarball type-checks from TypeScript (ESM and CommonJS resolution)", () => {
  const app = packed.app;
  writeFileSync(
    join(app, "use.mts"),
    `import { Client, type ClientOptions, XaiError } from "xai-grpc";
     import { startEmulator } from "xai-grpc/testing";
     const options: ClientOptions = { apiKey: "k", timeout: 1000 };
     const client: Client = new Client(options);
     const isError: boolean = new Error() instanceof XaiError;
     void startEmulator; void isError; client.close();\n`,
  );
  writeFileSync(
    join(app, "use.cts"),
    `import xai = require("xai-grpc");
     const client: xai.Client = new xai.Client({ apiKey: "k" });
     client.close();\n`,
  );
  writeFileSync(
    join(app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        module: "nodenext",
        moduleResolution: "nodenext",
        strict: true,
        noEmit: true,
        typeRoots: [join(root, "node_modules/@types")],
        types: ["node"],
      },
      files: ["use.mts", "use.cts"],
    }),
  );
  run(bin("tsc"), ["-p", app], app);
});

test("xai-grpc/ai-sdk type-checks from TypeScript (ESM and CommonJS resolution) with the AI SDK's types", () => {
  const app = join(packed.app, "ai-sdk-types");
  mkdirSync(app, { recursive: true });
  withAiSdk(packed.app);
  writeFileSync(
    join(app, "use.mts"),
    `import type { LanguageModelV3 } from "@ai-sdk/provider";
     import { generateText } from "ai";
     import { createXaiGrpc, type XaiGrpcChatOptions, type XaiGrpcProvider } from "xai-grpc/ai-sdk";
     const provider: XaiGrpcProvider = createXaiGrpc({ apiKey: "k" });
     const model: LanguageModelV3 = provider("grok-4");
     const options: XaiGrpcChatOptions = { reasoningEffort: "low" };
     void generateText({ model, prompt: "hi", tools: { search: provider.tools.webSearch() }, providerOptions: { xaiGrpc: { ...options } } });\n`,
  );
  writeFileSync(
    join(app, "use.cts"),
    `import xai = require("xai-grpc");
     import aiSdk = require("xai-grpc/ai-sdk");
     void aiSdk.createXaiGrpc(new xai.Client({ apiKey: "k" }));\n`,
  );
  // skipLibCheck: @ai-sdk/provider's declarations import "json-schema" types it does not depend on.
  writeFileSync(
    join(app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        module: "nodenext",
        moduleResolution: "nodenext",
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        typeRoots: [join(root, "node_modules/@types")],
        types: ["node"],
      },
      files: ["use.mts", "use.cts"],
    }),
  );
  run(bin("tsc"), ["-p", app], app);
});

test("publint and arethetypeswrong report no problems", () => {
  const lint = run(bin("publint"), ["--strict", packed.tarball], root);
  assert.doesNotMatch(lint, /error|warning/i, lint);
  // The default profile, as `npx @arethetypeswrong/cli --pack .` runs it (on the tarball made above rather
  // than packing, and so building, again): node10, node16 (CJS and ESM) and bundler resolution of every entry.
  try {
    run(bin("attw"), [packed.tarball, "--format", "ascii"], root);
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    assert.fail(`arethetypeswrong found problems:\n${stdout ?? ""}${stderr ?? ""}`);
  }
});

test("node10 resolution (TypeScript's moduleResolution node10, old bundlers) finds xai-grpc/testing", () => {
  // Resolvers that ignore "exports" read the testing/package.json stub shipped in the tarball.
  const out = run(
    "node",
    [
      "-e",
      `const path = require("node:path"); const dir = path.dirname(require.resolve("xai-grpc/package.json"));
       const stub = require(path.join(dir, "testing/package.json"));
       const main = path.resolve(dir, "testing", stub.main);
       console.log(typeof require(main).startEmulator, require("node:fs").existsSync(path.resolve(dir, "testing", stub.types)));`,
    ],
    packed.app,
  );
  assert.equal(out.trim(), "function true");
});

test("without @opentelemetry/api (the tests above call without it), a tracer provider given is an XaiInputError", () => {
  const out = run(
    "node",
    [
      "-e",
      `const x = require("xai-grpc");
       try { new x.Client({ apiKey: "k", telemetry: { tracerProvider: { getTracer: () => ({}) } } }); console.log("no error"); }
       catch (e) { console.log(e.constructor.name, e.message); }`,
    ],
    packed.app,
  );
  assert.match(out, /^XaiInputError .*npm install @opentelemetry\/api/);
});

// Last: it installs @opentelemetry/api in the app, which the tests above run without (the SDK must not need it).
test("with @opentelemetry/api installed, the tarball traces from CommonJS and ESM (the API is loaded lazily)", async () => {
  const scope = join(packed.app, "node_modules/@opentelemetry");
  mkdirSync(scope, { recursive: true });
  for (const name of ["api", "sdk-trace-base"]) {
    symlinkSync(join(root, "node_modules/@opentelemetry", name), join(scope, name), "dir");
  }
  const body = `
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const client = new Client({ apiKey: process.env.EMU_KEY, apiHost: process.env.EMU_HOST, telemetry: { tracerProvider } });
    await client.chat.create({ model: "grok-4", messages: [user("Hi")] }).sample();
    client.close();
    console.log(exporter.getFinishedSpans().map((s) => s.name + "|" + s.spanContext().traceId).join());`;
  const programs = {
    "traced.cjs": `const { Client, user } = require("xai-grpc");
      const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require("@opentelemetry/sdk-trace-base");
      (async () => { ${body} })();`,
    "traced.mjs": `import { Client, user } from "xai-grpc";
      import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
      ${body}`,
  };
  await withEmulator({}, async ({ emulator }) => {
    // Installed but nothing registered: a call does not even load the API.
    writeFileSync(
      join(packed.app, "untraced.cjs"),
      `const { Client, user } = require("xai-grpc");
       (async () => {
         const client = new Client({ apiKey: process.env.EMU_KEY, apiHost: process.env.EMU_HOST });
         await client.chat.create({ model: "grok-4", messages: [user("Hi")] }).sample();
         client.close();
         console.log(Object.keys(require.cache).some((p) => p.includes("@opentelemetry")));
       })();`,
    );
    const untraced = await execFileAsync("node", ["untraced.cjs"], {
      cwd: packed.app,
      env: { ...process.env, EMU_HOST: emulator.apiHost, EMU_KEY: emulator.apiKey },
    });
    assert.equal(
      untraced.stdout.trim(),
      "false",
      "@opentelemetry/api was loaded with no provider registered",
    );
    for (const [file, code] of Object.entries(programs)) {
      writeFileSync(join(packed.app, file), code);
      const before = emulator.calls.length;
      const { stdout } = await execFileAsync("node", [file], {
        cwd: packed.app,
        env: { ...process.env, EMU_HOST: emulator.apiHost, EMU_KEY: emulator.apiKey },
      });
      const [name, traceId] = stdout.trim().split("|");
      assert.equal(name, "chat grok-4", `${file}: ${stdout}`);
      assert.match(emulator.calls[before]?.traceparent ?? "", new RegExp(`^00-${traceId}-`), file);
    }
  });
});
