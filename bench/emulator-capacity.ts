// Benchmark 5, emulator capacity: how many unary calls and stream chunks per second the emulator serves to a
// raw grpc-js client, and what each costs the emulator in CPU. "Capacity" is the rate one emulator core could
// sustain (1 / emulator CPU per call); "emulator busy" is its share of one core while serving. When the
// emulator is less than fully busy the client side is the limit, which is what the other benchmarks need.
import { Chat as ChatService } from "../src/gen/xai/api/v1/chat_pb.js";
import { rawGrpcClient } from "../test/helpers/raw-grpc.js";
import { startEmulatorProcess } from "./lib/emulator.js";
import { type BenchResult, runBenchmark } from "./lib/report.js";
import { cpuMsSince, msSince, round } from "./lib/stats.js";
import { chunksPrompt, PROMPT, rawRequest } from "./lib/workload.js";

const UNARY_CALLS = Number(process.env.BENCH_CAPACITY_CALLS ?? 4_000);

async function main(): Promise<BenchResult> {
  const started = performance.now();
  const emu = await startEmulatorProcess();
  const raw = rawGrpcClient(emu.apiHost, emu.apiKey);
  const rows: (string | number)[][] = [];
  const metrics: BenchResult["metrics"] = {};
  const measure = async (label: string, units: number, work: () => Promise<void>) => {
    const emuBefore = await emu.usage();
    const cpu = process.cpuUsage();
    const t = performance.now();
    await work();
    const ms = msSince(t);
    const clientCpu = cpuMsSince(cpu);
    const emuCpu = (await emu.usage()).cpuMs - emuBefore.cpuMs;
    const rate = units / (ms / 1000);
    const capacity = units / (emuCpu / 1000);
    rows.push([
      label,
      Math.round(rate),
      round((emuCpu * 1000) / units, 2),
      Math.round(capacity),
      `${Math.round((emuCpu / ms) * 100)} %`,
      `${Math.round((clientCpu / ms) * 100)} %`,
    ]);
    return { rate, capacity, busy: emuCpu / ms };
  };
  try {
    const unary = async (concurrency: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next++ < UNARY_CALLS) await raw.unary(ChatService.method.getCompletion, rawRequest(PROMPT));
        }),
      );
    };
    const stream = async (count: number, chunks: number) => {
      await Promise.all(
        Array.from({ length: count }, async () => {
          let n = 0;
          for await (const _ of raw.serverStream(
            ChatService.method.getCompletionChunk,
            rawRequest(chunksPrompt(chunks)),
          ))
            n++;
          if (n !== chunks) throw new Error(`expected ${chunks} chunks, got ${n}`);
        }),
      );
    };
    await unary(16); // warm-up
    await stream(1, 20_000);
    for (const c of [1, 16, 64]) {
      const m = await measure(`unary GetCompletion, ${c} in flight`, UNARY_CALLS, () => unary(c));
      metrics[`unaryCallsPerSec_c${c}`] = Math.round(m.rate);
      metrics[`unaryCapacityPerCore_c${c}`] = Math.round(m.capacity);
    }
    const s1 = await measure("1 stream of 100,000 chunks", 100_000, () => stream(1, 100_000));
    metrics.streamChunksPerSec = Math.round(s1.rate);
    metrics.streamCapacityPerCore = Math.round(s1.capacity);
    const s10 = await measure("10 concurrent streams of 10,000 chunks", 100_000, () => stream(10, 10_000));
    metrics.streams10ChunksPerSec = Math.round(s10.rate);
    metrics.streams10CapacityPerCore = Math.round(s10.capacity);
    return {
      name: "emulator-capacity",
      title: "Emulator capacity (raw grpc-js client, emulator in its own process)",
      durationMs: msSince(started),
      tables: [
        {
          head: [
            "load",
            "served /s",
            "emulator CPU µs per unit",
            "capacity /s per emulator core",
            "emulator busy",
            "client busy",
          ],
          rows,
        },
      ],
      metrics,
      targets: [],
      notes: [
        "units are calls for unary rows and chunks for stream rows; capacity = units / emulator CPU seconds",
        "compare with the SDK's rates in the unary and streaming benchmarks: the emulator is the bottleneck only if its capacity is lower",
      ],
    };
  } finally {
    raw.close();
    await emu.stop();
  }
}

await runBenchmark(main);
