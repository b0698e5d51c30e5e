// Benchmark 2, streaming: 10,000- and 100,000-chunk streams consumed by `chat.stream()` (the SDK's own path:
// wrappers and accumulation of the response included) against a naive `for await (const m of call)` over
// grpc-js's own stream of generated messages. Runs alternate SDK and raw; the emulator runs in its own process.
import { Chat as ChatService } from "../src/gen/xai/api/v1/chat_pb.js";
import { Client } from "../src/index.js";
import { rawGrpcClient } from "../test/helpers/raw-grpc.js";
import { startEmulatorProcess } from "./lib/emulator.js";
import { type BenchResult, runBenchmark, target } from "./lib/report.js";
import { cpuMsSince, median, msSince, round } from "./lib/stats.js";
import { chunksPrompt, rawRequest, sdkChat } from "./lib/workload.js";

const SIZES = [10_000, 100_000];
const ROUNDS: Record<number, number> = { 10000: 5, 100000: 3 };

interface Run {
  ms: number;
  cpuMs: number;
  chunks: number;
  chars: number;
}

async function main(): Promise<BenchResult> {
  const started = performance.now();
  const emu = await startEmulatorProcess();
  const client = new Client(emu.clientOptions());
  const raw = rawGrpcClient(emu.apiHost, emu.apiKey);

  const sdkRun = async (n: number): Promise<Run> => {
    const cpu = process.cpuUsage();
    const t = performance.now();
    let chunks = 0;
    let last: { content: string } | undefined;
    for await (const [response] of sdkChat(client, chunksPrompt(n)).stream()) {
      chunks++;
      last = response;
    }
    const chars = last?.content.length ?? 0; // reading the accumulated text is part of the SDK's cost
    return { ms: msSince(t), cpuMs: cpuMsSince(cpu), chunks, chars };
  };
  const rawRun = async (n: number): Promise<Run> => {
    const cpu = process.cpuUsage();
    const t = performance.now();
    let chunks = 0;
    let chars = 0;
    for await (const m of raw.serverStream(
      ChatService.method.getCompletionChunk,
      rawRequest(chunksPrompt(n)),
    )) {
      chunks++;
      chars += m.outputs[0]?.delta?.content.length ?? 0;
    }
    return { ms: msSince(t), cpuMs: cpuMsSince(cpu), chunks, chars };
  };

  try {
    // Warm-up, and a check that both sides see the same stream.
    const a = await sdkRun(2_000);
    const b = await rawRun(2_000);
    if (a.chunks !== b.chunks || a.chars !== b.chars) {
      throw new Error(
        `SDK and raw disagree: ${a.chunks} vs ${b.chunks} chunks, ${a.chars} vs ${b.chars} characters`,
      );
    }
    const results = new Map<string, Run[]>();
    const emuBefore = await emu.usage();
    const measureStart = performance.now();
    for (const n of SIZES) {
      for (let r = 0; r < ROUNDS[n]; r++) {
        const order = r % 2 === 0 ? (["sdk", "raw"] as const) : (["raw", "sdk"] as const);
        for (const side of order) {
          const run = side === "sdk" ? await sdkRun(n) : await rawRun(n);
          const key = `${side}:${n}`;
          results.set(key, [...(results.get(key) ?? []), run]);
        }
      }
    }
    const emuBusy = ((await emu.usage()).cpuMs - emuBefore.cpuMs) / msSince(measureStart);

    const stat = (side: string, n: number) => {
      const runs = results.get(`${side}:${n}`) ?? [];
      const ms = median(runs.map((x) => x.ms));
      return {
        ms,
        chunksPerSec: (runs[0]?.chunks ?? 0) / (ms / 1000),
        cpuUsPerChunk: (median(runs.map((x) => x.cpuMs)) * 1000) / n,
        chunks: runs[0]?.chunks ?? 0,
      };
    };
    const rows: (string | number)[][] = [];
    const metrics: BenchResult["metrics"] = {};
    for (const n of SIZES) {
      const s = stat("sdk", n);
      const r = stat("raw", n);
      if (s.chunks !== n || r.chunks !== n) {
        throw new Error(`asked for ${n} chunks, got ${s.chunks} (SDK) and ${r.chunks} (raw)`);
      }
      rows.push([
        `${n.toLocaleString("en-US")} chunks`,
        "SDK chat.stream()",
        round(s.ms, 1),
        Math.round(s.chunksPerSec),
        round(s.cpuUsPerChunk, 2),
        round(s.chunksPerSec / r.chunksPerSec, 3),
      ]);
      rows.push([
        "",
        "raw for await",
        round(r.ms, 1),
        Math.round(r.chunksPerSec),
        round(r.cpuUsPerChunk, 2),
        1,
      ]);
      metrics[`sdkChunksPerSec${n}`] = Math.round(s.chunksPerSec);
      metrics[`rawChunksPerSec${n}`] = Math.round(r.chunksPerSec);
      metrics[`ratio${n}`] = round(s.chunksPerSec / r.chunksPerSec, 3);
    }
    const sdkGrowth = stat("sdk", 100_000).ms / stat("sdk", 10_000).ms;
    const rawGrowth = stat("raw", 100_000).ms / stat("raw", 10_000).ms;
    metrics.sdkGrowth = round(sdkGrowth, 2);
    metrics.rawGrowth = round(rawGrowth, 2);
    metrics.emulatorCpuBusy = round(emuBusy, 3);
    return {
      name: "streaming",
      title: "Streaming: chat.stream() vs naive raw iteration of grpc-js's stream",
      durationMs: msSince(started),
      tables: [
        {
          head: ["stream", "client", "ms (median)", "chunks/s", "CPU µs/chunk", "ratio SDK / raw (chunks/s)"],
          rows,
        },
        {
          head: ["growth 10k → 100k (time)", "SDK", "raw"],
          rows: [["", `${round(sdkGrowth, 2)}x`, `${round(rawGrowth, 2)}x`]],
        },
      ],
      metrics,
      targets: [
        target("SDK / raw chunks/s, 10k", metrics.ratio10000 as number, ">=", 1.0),
        target("SDK / raw chunks/s, 100k", metrics.ratio100000 as number, ">=", 1.0),
        target("SDK growth 10k → 100k", round(sdkGrowth, 2), "<=", 11),
      ],
      notes: [
        `rounds: ${SIZES.map((n) => `${ROUNDS[n]} × ${n}`).join(", ")} per side, alternating; the raw loop counts chunks and reads each delta's length`,
        `the SDK loop reads the accumulated response's content at the end; emulator busy ${Math.round(emuBusy * 100)} % of one core`,
      ],
    };
  } finally {
    client.close();
    raw.close();
    await emu.stop();
  }
}

await runBenchmark(main);
