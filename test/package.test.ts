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
