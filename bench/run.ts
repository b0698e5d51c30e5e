// `npm run bench`: runs every benchmark in sequence, each in a fresh process (so that memory and CPU figures
// are its own), prints their tables and a summary of the targets, and writes bench/results.json.
// `npm run bench -- unary streaming` runs only the named ones.
import { fork } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import Table from "cli-table3";
import {
  type BenchResult,
  colors,
  fmt,
  type ResultMessage,
  tableStyle,
  target,
  useColor,
} from "./lib/report.js";

interface Benchmark {
  name: string;
  file: string;
  /** Most benchmarks print their own tables and send a {@link BenchResult}; others only print. */
  sendsResult: boolean;
}

const BENCHMARKS: Benchmark[] = [
  { name: "cold-start", file: "cold-start.ts", sendsResult: true },
  { name: "unary", file: "unary.ts", sendsResult: true },
  { name: "streaming", file: "streaming.ts", sendsResult: true },
  { name: "rest-vs-grpc", file: "rest-vs-grpc.ts", sendsResult: true },
  { name: "concurrency", file: "concurrency.ts", sendsResult: true },
  { name: "emulator-capacity", file: "emulator-capacity.ts", sendsResult: true },
  { name: "soak", file: "soak.ts", sendsResult: true },
  { name: "upload", file: "upload.ts", sendsResult: false },
];

/** A benchmark that runs longer than this is stopped (each is meant to take under two minutes). */
const HARD_LIMIT_MS = 5 * 60_000;

interface Outcome {
  name: string;
  ok: boolean;
  durationMs: number;
  result?: BenchResult;
  /** What a benchmark that does not send a result printed. */
  output?: string;
  error?: string;
}

/**
 * The result of a benchmark that only prints: its last line that is a JSON object with a `bench` field (as
 * bench/upload.ts prints), with `rssGrowthMb` / `targetRssGrowthMb` read as its target when present.
 */
function resultFromOutput(name: string, output: string, durationMs: number): BenchResult | undefined {
  const line = output
    .trim()
    .split("\n")
    .reverse()
    .find((l) => l.startsWith("{") && l.includes('"bench"'));
  if (!line) return undefined;
  let figures: Record<string, number | string | boolean>;
  try {
    figures = JSON.parse(line);
  } catch {
    return undefined;
  }
  const targets = [];
  const growth = typeof figures.sdkRssGrowthMb === "number" ? figures.sdkRssGrowthMb : figures.rssGrowthMb;
  if (typeof growth === "number" && typeof figures.targetRssGrowthMb === "number") {
    targets.push(target("RSS growth, MB", growth, "<", figures.targetRssGrowthMb));
  }
  return { name, title: name, durationMs, tables: [], metrics: figures, targets, notes: [] };
}

function runOne(b: Benchmark): Promise<Outcome> {
  const file = fileURLToPath(new URL(b.file, import.meta.url));
  const start = performance.now();
  return new Promise((resolve) => {
    const child = fork(file, [], {
      execArgv: ["--import", "tsx", "--expose-gc"],
      env: { ...process.env, BENCH_COLOR: useColor ? "1" : "0" },
      stdio: ["ignore", "pipe", "inherit", "ipc"],
    });
    let output = "";
    let result: BenchResult | undefined;
    child.stdout?.on("data", (d: Buffer) => {
      process.stdout.write(d);
      if (!b.sendsResult) output += d.toString();
    });
    child.on("message", (m: ResultMessage) => {
      if (m?.type === "bench-result") result = m.result;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), HARD_LIMIT_MS);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      const durationMs = performance.now() - start;
      if (!b.sendsResult) result = resultFromOutput(b.name, output, durationMs);
      // A printing benchmark exits 1 when its target is missed: that is a figure, not a failure to run.
      const ok = result !== undefined && (code === 0 || (!b.sendsResult && code === 1));
      resolve({
        name: b.name,
        ok,
        durationMs,
        result,
        output: b.sendsResult ? undefined : output.trim(),
        error: ok
          ? undefined
          : signal === "SIGKILL"
            ? `stopped after ${HARD_LIMIT_MS / 1000} s`
            : `exited with ${signal ?? `code ${code}`}`,
      });
    });
  });
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const unknown = only.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length > 0) {
    console.error(
      `unknown benchmark(s): ${unknown.join(", ")}; known: ${BENCHMARKS.map((b) => b.name).join(", ")}`,
    );
    process.exit(2);
  }
  const selected = only.length > 0 ? BENCHMARKS.filter((b) => only.includes(b.name)) : BENCHMARKS;
  console.log(
    colors.bold(`xai-grpc benchmarks`) +
      colors.dim(
        `  node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${os.platform()}`,
      ),
  );
  const outcomes: Outcome[] = [];
  for (const b of selected) outcomes.push(await runOne(b));

  const summary = new Table({
    head: ["benchmark", "target", "measured", "target", "holds"],
    style: tableStyle,
  });
  for (const o of outcomes) {
    if (!o.ok) {
      summary.push([o.name, colors.red(o.error ?? "failed"), "", "", colors.red("✗")]);
      continue;
    }
    if (!o.result || o.result.targets.length === 0) {
      summary.push([o.name, colors.dim("(figures only)"), "", "", ""]);
      continue;
    }
    for (const t of o.result.targets) {
      summary.push([
        o.name,
        t.name,
        fmt(t.value, 3),
        `${t.op} ${fmt(t.limit, 3)}`,
        t.holds ? colors.green("✓") : colors.red("✗"),
      ]);
    }
  }
  console.log(`\n${colors.bold("Summary")}\n${summary.toString()}`);
  console.log(
    colors.dim(`durations: ${outcomes.map((o) => `${o.name} ${fmt(o.durationMs / 1000, 1)} s`).join(", ")}`),
  );

  const resultsPath = fileURLToPath(new URL("results.json", import.meta.url));
  writeFileSync(
    resultsPath,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        platform: `${os.platform()} ${os.arch()}`,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        benchmarks: outcomes,
      },
      null,
      2,
    )}\n`,
  );
  console.log(colors.dim(`wrote ${resultsPath}`));
  if (outcomes.some((o) => !o.ok)) process.exitCode = 1;
}

await main();
