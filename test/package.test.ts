// The published package works: build, `npm pack`, install the tarball in an empty folder, then import it
// from ESM, CommonJS and TypeScript; publint and arethetypeswrong report no problems.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";

const root = new URL("..", import.meta.url).pathname;
const bin = (name: string) => join(root, "node_modules/.bin", name);
const work = mkdtempSync(join(tmpdir(), "xai-pack-"));
let tarball = "";

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

before(() => {
  run("node", [join(root, "scripts/build.mjs")], root);
  run("npm", ["pack", "--ignore-scripts", "--pack-destination", work], root);
  tarball = join(work, readdirSync(work).find((f) => f.endsWith(".tgz"))!);
  const app = join(work, "app");
  execFileSync("mkdir", ["-p", app]);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true }));
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball], app);
});
after(() => rmSync(work, { recursive: true, force: true }));

test("the tarball imports from CommonJS", () => {
  const out = run(
    "node",
    [
      "-e",
      `const x = require("xai-grpc"); const t = require("xai-grpc/testing");
       console.log(x.VERSION, typeof x.Client, typeof x.XaiError, typeof t.startEmulator);`,
    ],
    join(work, "app"),
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
    join(work, "app"),
  );
  assert.match(out, /^\d+\.\d+\.\d+ function function/);
});

// The build defers the generated schemas, @bufbuild/protobuf and ajv to first use (scripts/lazy-modules.mjs), and
// the transport loads grpc-js on the first call. The generated schemas need @bufbuild/protobuf, so its absence
// after the import shows that none of them ran either; after one call through every kind of code, they are loaded.
for (const [kind, args, load] of [
  ["ESM", ["--input-type=module", "-e"], `const x = await import("xai-grpc");`],
  ["CommonJS", ["-e"], `const x = require("xai-grpc");`],
] as const) {
  test(`importing the tarball (${kind}) loads no protobuf, ajv or grpc-js until the first call`, () => {
    const script = `(async () => {
      ${load}
      const { createRequire } = require("node:module");
      const watched = ["@bufbuild/protobuf", "ajv", "@grpc/grpc-js"];
      const loaded = () => watched.filter((name) => Object.keys(createRequire(process.cwd() + "/").cache)
        .some((path) => path.includes("/node_modules/" + name + "/")));
      const atImport = [...new Set(loaded())];
      // The emulator loads everything it serves with at once: it comes after the measure.
      const emu = await (await import("xai-grpc/testing")).startEmulator();
      const client = new x.Client({ apiKey: emu.apiKey, apiHost: emu.apiHost });
      const weather = x.tool("get_weather", "Weather", { type: "object", properties: { city: { type: "string" } } });
      const chat = client.chat.create({ model: "grok-4", messages: [x.user("weather in Paris?")], tools: [weather] });
      const answer = await chat.sample();
      client.close(); await emu.stop();
      console.log(JSON.stringify({ atImport, afterCall: [...new Set(loaded())].sort(), calls: answer.toolCalls.length }));
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
        join(work, "app"),
      ),
    );
    assert.deepEqual(out.atImport, []);
    assert.deepEqual(out.afterCall, ["@bufbuild/protobuf", "@grpc/grpc-js", "ajv"]);
    assert.equal(out.calls, 1);
  });
}

test("the tarball type-checks from TypeScript (ESM and CommonJS resolution)", () => {
  const app = join(work, "app");
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

test("publint and arethetypeswrong report no problems", () => {
  const lint = run(bin("publint"), ["--strict", tarball], root);
  assert.doesNotMatch(lint, /error|warning/i, lint);
  run(bin("attw"), [tarball, "--profile", "node16", "--format", "ascii"], root);
});
