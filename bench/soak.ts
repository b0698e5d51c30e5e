// Benchmark 6, soak: 20,000 calls through one Client (chat.sample() and chat.stream() alternating, 16 in flight);
// RSS after a warm-up of 2,000 calls against RSS at the end, both after a full GC (node --expose-gc, passed by
// bench/run.ts). The same soak through a raw grpc-js client follows, as a reference for what grpc-js itself keeps.
import { Chat as ChatService } from "../src/gen/xai/api/v1/chat_pb.js";
import { Client } from "../src/index.js";
import { rawGrpcClient } from "../test/helpers/raw-grpc.js";
import { type EmulatorProcess, startEmulatorProcess } from "./lib/emulator.js";
import { type BenchResult, runBenchmark, target } from "./lib/report.js";
import { mib, msSince, round } from "./lib/stats.js";
import { chunksPrompt, PROMPT, rawRequest, sdkChat } from "./lib/workload.js";

const CALLS = Number(process.env.BENCH_SOAK_CALLS ?? 20_000);
const WARMUP = Math.round(CALLS / 10);
const IN_FLIGHT = 16;
const STREAM_CHUNKS = 20;
const CHECKPOINTS = 10;

const gc = (globalThis as { gc?: () => void }).gc;

async function settledMemory(): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 20));
  }
  return process.memoryUsage();
}

interface Soak {
  afterWarmup: NodeJS.MemoryUsage;
  end: NodeJS.MemoryUsage;
  trend: { calls: number; rss: number; heapUsed: number }[];
  errors: number;
  ms: number;
}

/** Runs `total` calls, `IN_FLIGHT` at a time, with a memory checkpoint every tenth. */
async function soak(call: (i: number) => Promise<void>, emu: EmulatorProcess): Promise<Soak> {
  let next = 0;
  let errors = 0;
  const runUntil = async (limit: number) => {
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < limit) {
          const i = next++;
          try {
            await call(i);
          } catch {
            errors++;
          }
        }
      }),
    );
  };
  const start = performance.now();
  await runUntil(WARMUP);
  const afterWarmup = await settledMemory();
  const trend: Soak["trend"] = [{ calls: WARMUP, rss: afterWarmup.rss, heapUsed: afterWarmup.heapUsed }];
  const step = (CALLS - WARMUP) / CHECKPOINTS;
  for (let c = 1; c <= CHECKPOINTS; c++) {
    await runUntil(Math.round(WARMUP + step * c));
    await emu.reset();
    const m = c === CHECKPOINTS ? await settledMemory() : process.memoryUsage();
    trend.push({ calls: next, rss: m.rss, heapUsed: m.heapUsed });
  }
  const end = await settledMemory();
  return { afterWarmup, end, trend, errors, ms: msSince(start) };
}

async function main(): Promise<BenchResult> {
  const started = performance.now();
  if (!gc) throw new Error("run with node --expose-gc (bench/run.ts does)");
  const emu = await startEmulatorProcess();
  const client = new Client(emu.clientOptions());
  const raw = rawGrpcClient(emu.apiHost, emu.apiKey);
  const streamPrompt = chunksPrompt(STREAM_CHUNKS);
  try {
    const sdk = await soak(async (i) => {
      if (i % 2 === 0) {
        await sdkChat(client, PROMPT).sample();
      } else {
        for await (const _ of sdkChat(client, streamPrompt).stream()) {
          // drain
        }
      }
    }, emu);
    const rawSoak = await soak(async (i) => {
      if (i % 2 === 0) {
        await raw.unary(ChatService.method.getCompletion, rawRequest(PROMPT));
      } else {
        for await (const _ of raw.serverStream(
          ChatService.method.getCompletionChunk,
          rawRequest(streamPrompt),
        )) {
          // drain
        }
      }
    }, emu);
    const growth = (s: Soak) => (s.end.rss - s.afterWarmup.rss) / s.afterWarmup.rss;
    const heapGrowth = (s: Soak) => (s.end.heapUsed - s.afterWarmup.heapUsed) / s.afterWarmup.heapUsed;
    const sdkGrowth = growth(sdk);
    return {
      name: "soak",
      title: `Soak: ${CALLS.toLocaleString("en-US")} calls through one client (${IN_FLIGHT} in flight, unary and streams alternating)`,
      durationMs: msSince(started),
      tables: [
        {
          head: [
            "client",
            "errors",
            "calls/s",
            "RSS after warm-up MiB",
            "RSS at end MiB",
            "RSS growth",
            "heap used growth",
          ],
          rows: (
            [
              ["SDK", sdk],
              ["raw grpc-js (reference)", rawSoak],
            ] as const
          ).map(([name, s]) => [
            name,
            s.errors,
            Math.round(CALLS / (s.ms / 1000)),
            mib(s.afterWarmup.rss),
            mib(s.end.rss),
            `${round(growth(s) * 100, 1)} %`,
            `${round(heapGrowth(s) * 100, 1)} %`,
          ]),
        },
        {
          title: "SDK memory along the run",
          head: ["calls", "RSS MiB", "heap used MiB"],
          rows: sdk.trend.map((t) => [t.calls, mib(t.rss), mib(t.heapUsed)]),
        },
      ],
      metrics: {
        sdkRssAfterWarmupMiB: mib(sdk.afterWarmup.rss),
        sdkRssEndMiB: mib(sdk.end.rss),
        sdkRssGrowthPct: round(sdkGrowth * 100, 2),
        sdkHeapGrowthPct: round(heapGrowth(sdk) * 100, 2),
        rawRssGrowthPct: round(growth(rawSoak) * 100, 2),
        sdkErrors: sdk.errors,
        rawErrors: rawSoak.errors,
      },
      targets: [
        target("SDK RSS growth after warm-up, %", round(sdkGrowth * 100, 2), "<", 10),
        target("SDK errors", sdk.errors, "==", 0),
      ],
      notes: [
        `warm-up ${WARMUP} calls; memory read after 3 forced GCs; the streams carry ${STREAM_CHUNKS} chunks`,
        "the raw soak runs after the SDK's in the same process: its RSS starts where the SDK's ended",
      ],
    };
  } finally {
    client.close();
    raw.close();
    await emu.stop();
  }
}

await runBenchmark(main);
