// Benchmark 4, cold start: the time to import the built `xai-grpc` in a fresh process, against importing
// grpc-js + protobuf-es + the generated chat schema alone, and against importing `openai`. Each case runs
// in 10 fresh processes, interleaved; the import is timed inside the process (performance.now around the
// import) and the whole process from spawn to exit is timed too.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { transformSync } from "esbuild";
import { startEmulatorProcess } from "./lib/emulator.js";
import { type BenchResult, runBenchmark, target } from "./lib/report.js";
import { median, msSince, round } from "./lib/stats.js";

const root = fileURLToPath(new URL("..", import.meta.url));
/** The built package is copied here, as if installed, so that a concurrent rebuild of dist/ cannot disturb the runs. */
const app = join(root, ".tmp/bench-cold-start");
const installed = join(app, "node_modules/xai-grpc");
const PROCESSES = Number(process.env.BENCH_COLD_PROCESSES ?? 10);

interface Case {
  id: string;
  label: string;
  /** Module source run with `node --input-type=module -e` (or CommonJS when `cjs`). */
  code: string;
  cjs?: boolean;
}

const timed = (body: string) =>
  `const t0 = performance.now(); ${body}; process.stdout.write(String(performance.now() - t0));`;

const cases: Case[] = [
  { id: "xai", label: "xai-grpc (ESM import)", code: timed(`await import("xai-grpc")`) },
  {
    id: "xaiClient",
    label: "xai-grpc import + new Client()",
    code: timed(`const { Client } = await import("xai-grpc"); new Client({ apiKey: "k" })`),
  },
  { id: "xaiCjs", label: "xai-grpc (CommonJS require)", code: timed(`require("xai-grpc")`), cjs: true },
  {
    id: "raw",
    label: "grpc-js + protobuf-es + chat schema (unbundled ESM)",
    code: timed(
      `await import("@grpc/grpc-js"); await import("@bufbuild/protobuf"); await import("./gen/xai/api/v1/chat_pb.js")`,
    ),
  },
  { id: "openai", label: "openai (ESM import)", code: timed(`await import("openai")`) },
  // Until the first answer: what lazy loading defers is paid here, so this row keeps it honest.
  {
    id: "xaiFirstCall",
    label: "xai-grpc import + first call (listLanguageModels)",
    code: timed(
      `const { Client } = await import("xai-grpc");
       const c = new Client({ apiKey: process.env.EMU_KEY, apiHost: process.env.EMU_HOST });
       await c.models.listLanguageModels(); c.close()`,
    ),
  },
  {
    id: "rawFirstCall",
    label: "raw grpc-js + protobuf-es + first call (ListLanguageModels)",
    code: timed(
      `const grpc = await import("@grpc/grpc-js"); const pb = await import("@bufbuild/protobuf");
       const { Models } = await import("./gen/xai/api/v1/models_pb.js");
       const m = Models.method.listLanguageModels;
       const c = new grpc.Client(process.env.EMU_HOST, grpc.credentials.createInsecure());
       const md = new grpc.Metadata(); md.set("authorization", "Bearer " + process.env.EMU_KEY);
       await new Promise((res, rej) => c.makeUnaryRequest("/xai_api.Models/ListLanguageModels",
         (v) => Buffer.from(pb.toBinary(m.input, v)), (b) => pb.fromBinary(m.output, b), pb.create(m.input), md,
         (e, v) => (e ? rej(e) : res(v))));
       c.close()`,
    ),
  },
];

/** Where the first-call cases send their call. */
const emulatorEnv: Record<string, string> = {};

function measureOnce(c: Case): { importMs: number; processMs: number } {
  const args = c.cjs ? ["-e", c.code] : ["--input-type=module", "-e", c.code];
  const start = performance.now();
  const res = spawnSync(process.execPath, args, {
    cwd: app,
    encoding: "utf8",
    env: { ...process.env, ...emulatorEnv },
  });
  const processMs = msSince(start);
  if (res.status !== 0) throw new Error(`${c.label} failed: ${res.stderr}`);
  return { importMs: Number(res.stdout), processMs };
}

/**
 * The baselines import the generated schemas as plain ES modules (one file per .proto, as protoc-gen-es
 * writes them): the package bundles them, so they are transpiled from src/gen/ into the app's gen/.
 */
function writeGeneratedModules(): void {
  const gen = join(root, "src/gen");
  for (const entry of readdirSync(gen, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const file = join(entry.parentPath, entry.name);
    const out = join(app, "gen", relative(gen, file)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, transformSync(readFileSync(file, "utf8"), { loader: "ts", format: "esm" }).code);
  }
}

/** Builds the package (unless BENCH_SKIP_BUILD=1) and copies package.json and dist/ into {@link installed}. */
function installBuild(): void {
  const built = () =>
    existsSync(join(root, "dist/esm/index.js")) && existsSync(join(root, "dist/cjs/index.js"));
  for (let attempt = 0; attempt < 3; attempt++) {
    if (process.env.BENCH_SKIP_BUILD !== "1" || !built()) {
      execFileSync("npm", ["run", "--silent", "build"], {
        cwd: root,
        stdio: ["ignore", "inherit", "inherit"],
      });
    }
    rmSync(app, { recursive: true, force: true });
    mkdirSync(installed, { recursive: true });
    // The app's own package.json: without it the app would sit inside xai-grpc's package scope, and Node would
    // resolve "xai-grpc" to the working tree by self-reference instead of to the installed copy.
    writeFileSync(
      join(app, "package.json"),
      `${JSON.stringify({ name: "cold-start-app", private: true })}\n`,
    );
    try {
      writeGeneratedModules();
      cpSync(join(root, "package.json"), join(installed, "package.json"));
      cpSync(join(root, "dist"), join(installed, "dist"), { recursive: true });
      if (
        existsSync(join(installed, "dist/esm/index.js")) &&
        existsSync(join(installed, "dist/cjs/index.js"))
      )
        return;
    } catch {
      // dist/ changed under us (another build); build again
    }
  }
  throw new Error("could not build and copy dist/ (is another build running?)");
}

async function main(): Promise<BenchResult> {
  const started = performance.now();
  installBuild();
  const emu = await startEmulatorProcess();
  emulatorEnv.EMU_HOST = emu.apiHost;
  emulatorEnv.EMU_KEY = emu.apiKey;
  try {
    return measureAll(started);
  } finally {
    await emu.stop();
  }
}

function measureAll(started: number): BenchResult {
  // One unmeasured round warms the file system cache.
  for (const c of cases) measureOnce(c);
  const samples = new Map<string, { importMs: number[]; processMs: number[] }>();
  for (const c of cases) samples.set(c.id, { importMs: [], processMs: [] });
  // A bare `node -e 0` gives the process floor, so the process column can be read as "added by the import".
  const bare: number[] = [];
  for (let i = 0; i < PROCESSES; i++) {
    for (const c of cases) {
      const m = measureOnce(c);
      samples.get(c.id)?.importMs.push(m.importMs);
      samples.get(c.id)?.processMs.push(m.processMs);
    }
    const s = performance.now();
    spawnSync(process.execPath, ["-e", "0"]);
    bare.push(msSince(s));
  }
  const med = (id: string, key: "importMs" | "processMs") => median(samples.get(id)?.[key] ?? []);
  const openaiImport = med("openai", "importMs");
  const rows = cases.map((c) => [
    c.label,
    round(med(c.id, "importMs"), 1),
    round(Math.min(...(samples.get(c.id)?.importMs ?? [])), 1),
    round(med(c.id, "processMs"), 1),
    round(med(c.id, "importMs") / openaiImport, 2),
  ]);
  rows.push(["node -e 0 (process floor)", "—", "—", round(median(bare), 1), "—"]);
  const xai = med("xai", "importMs");
  return {
    name: "cold-start",
    title: `Cold start: import time in a fresh process (median of ${PROCESSES})`,
    durationMs: msSince(started),
    tables: [
      {
        head: ["case", "import ms (median)", "import ms (min)", "whole process ms", "ratio to openai"],
        rows,
      },
    ],
    metrics: {
      xaiImportMs: round(xai, 1),
      xaiWithClientMs: round(med("xaiClient", "importMs"), 1),
      xaiCjsImportMs: round(med("xaiCjs", "importMs"), 1),
      rawStackImportMs: round(med("raw", "importMs"), 1),
      openaiImportMs: round(openaiImport, 1),
      xaiOverOpenai: round(xai / openaiImport, 3),
      xaiOverRawStack: round(xai / med("raw", "importMs"), 3),
      xaiProcessMs: round(med("xai", "processMs"), 1),
      xaiFirstCallMs: round(med("xaiFirstCall", "importMs"), 1),
      rawFirstCallMs: round(med("rawFirstCall", "importMs"), 1),
      bareNodeProcessMs: round(median(bare), 1),
    },
    targets: [
      target("xai-grpc import, ms", round(xai, 1), "<=", 200),
      target("xai-grpc import / openai import", round(xai / openaiImport, 3), "<=", 0.75),
    ],
    notes: [
      "import ms: performance.now() around the import inside the fresh process (for the first-call rows: until the first answer, from an emulator in another process); whole process: spawn to exit",
      "npm run build runs first (BENCH_SKIP_BUILD=1 skips it); the package is then copied to .tmp/bench-cold-start/node_modules/xai-grpc and imported from there, as an installed package",
    ],
  };
}

await runBenchmark(main);
