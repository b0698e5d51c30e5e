// Benchmark 1, unary overhead: 5,000 `chat.sample()` calls against the same requests sent through a raw
// grpc-js client with the generated messages, to the same emulator (running in its own process, so that this
// process's CPU time is the client's alone). Calls are sequential; SDK and raw run in alternating blocks.
import { toBinary } from "@bufbuild/protobuf";
import { Chat as ChatService, GetCompletionsRequestSchema } from "../src/gen/xai/api/v1/chat_pb.js";
import { Client } from "../src/index.js";
import { rawGrpcClient } from "../test/helpers/raw-grpc.js";
import { startEmulatorProcess } from "./lib/emulator.js";
import { type BenchResult, runBenchmark, target } from "./lib/report.js";
import { cpuMsSince, median, msSince, percentile, round, sum } from "./lib/stats.js";
import { PROMPT, rawRequest, sdkChat } from "./lib/workload.js";

const CALLS = Number(process.env.BENCH_UNARY_CALLS ?? 5_000);
/** Calls per block; SDK and raw blocks alternate, and each SDK block is compared with the raw block next to it. */
const BLOCK = 50;
const WARMUP = 500;

interface Side {
  latencies: number[];
  cpuMs: number;
  wallMs: number;
}

async function main(): Promise<BenchResult> {
  const started = performance.now();
  const emu = await startEmulatorProcess();
  const client = new Client(emu.clientOptions());
  const raw = rawGrpcClient(emu.apiHost, emu.apiKey);
  const notes: string[] = [];
  try {
    // Both sides send the same bytes and get the same answer.
    const sdkBytes = toBinary(GetCompletionsRequestSchema, sdkChat(client, PROMPT).toRequest());
    const rawBytes = toBinary(GetCompletionsRequestSchema, rawRequest(PROMPT));
    if (Buffer.compare(Buffer.from(sdkBytes), Buffer.from(rawBytes)) !== 0) {
      throw new Error(
        `the SDK's request (${sdkBytes.length} B) differs from the raw one (${rawBytes.length} B)`,
      );
    }
    const sdkAnswer = (await sdkChat(client, PROMPT).sample()).content;
    const rawAnswer = (await raw.unary(ChatService.method.getCompletion, rawRequest(PROMPT))).outputs[0]
      ?.message?.content;
    if (sdkAnswer !== rawAnswer) throw new Error("the SDK and the raw client got different answers");

    const sdkCall = async () => {
      await sdkChat(client, PROMPT).sample();
    };
    const rawCall = async () => {
      await raw.unary(ChatService.method.getCompletion, rawRequest(PROMPT));
    };
    for (let i = 0; i < WARMUP; i++) {
      await sdkCall();
      await rawCall();
    }
    const sides: Record<"sdk" | "raw", Side> = {
      sdk: { latencies: [], cpuMs: 0, wallMs: 0 },
      raw: { latencies: [], cpuMs: 0, wallMs: 0 },
    };
    const runBlock = async (side: Side, call: () => Promise<void>): Promise<number> => {
      const cpu = process.cpuUsage();
      const wall = performance.now();
      for (let i = 0; i < BLOCK; i++) {
        const t = performance.now();
        await call();
        side.latencies.push(performance.now() - t);
      }
      const cpuMs = cpuMsSince(cpu);
      side.cpuMs += cpuMs;
      side.wallMs += msSince(wall);
      return cpuMs;
    };
    // The machine may be shared: load that comes and goes shifts both sides of a pair alike, so the median of
    // the per-pair ratios is the robust figure; the ratio of the totals is shown too.
    const pairRatios: number[] = [];
    const emuBefore = await emu.usage();
    const measureStart = performance.now();
    for (let b = 0; b < CALLS / BLOCK; b++) {
      // Alternate which side goes first, so that neither always follows the other.
      if (b % 2 === 0) {
        const s = await runBlock(sides.sdk, sdkCall);
        pairRatios.push(s / (await runBlock(sides.raw, rawCall)));
      } else {
        const r = await runBlock(sides.raw, rawCall);
        pairRatios.push((await runBlock(sides.sdk, sdkCall)) / r);
      }
    }
    const measureMs = msSince(measureStart);
    const emuAfter = await emu.usage();
    const emuBusy = (emuAfter.cpuMs - emuBefore.cpuMs) / measureMs;

    const row = (name: string, s: Side) => {
      const n = s.latencies.length;
      return {
        name,
        calls: n,
        cpuUsPerCall: (s.cpuMs * 1000) / n,
        p50: percentile(s.latencies, 50),
        p99: percentile(s.latencies, 99),
        mean: sum(s.latencies) / n,
        callsPerSec: n / (s.wallMs / 1000),
      };
    };
    const sdk = row("SDK chat.sample()", sides.sdk);
    const rawRow = row("raw grpc-js", sides.raw);
    const cpuRatio = median(pairRatios);
    const cpuRatioTotals = sdk.cpuUsPerCall / rawRow.cpuUsPerCall;
    const p50Ratio = sdk.p50 / rawRow.p50;
    const p99Ratio = sdk.p99 / rawRow.p99;
    return {
      name: "unary",
      title: `Unary overhead: ${CALLS} sequential chat.sample() vs raw grpc-js (same emulator)`,
      durationMs: msSince(started),
      tables: [
        {
          head: ["client", "calls", "CPU µs/call", "p50 ms", "p99 ms", "mean ms", "calls/s"],
          rows: [sdk, rawRow].map((r) => [
            r.name,
            r.calls,
            round(r.cpuUsPerCall, 1),
            round(r.p50, 3),
            round(r.p99, 3),
            round(r.mean, 3),
            Math.round(r.callsPerSec),
          ]),
        },
        {
          head: ["ratio SDK / raw", "CPU per call (median of pairs)", "CPU per call (totals)", "p50", "p99"],
          rows: [["", round(cpuRatio, 3), round(cpuRatioTotals, 3), round(p50Ratio, 3), round(p99Ratio, 3)]],
        },
      ],
      metrics: {
        sdkCpuUsPerCall: round(sdk.cpuUsPerCall, 1),
        rawCpuUsPerCall: round(rawRow.cpuUsPerCall, 1),
        sdkP50Ms: round(sdk.p50, 3),
        rawP50Ms: round(rawRow.p50, 3),
        sdkP99Ms: round(sdk.p99, 3),
        rawP99Ms: round(rawRow.p99, 3),
        cpuRatio: round(cpuRatio, 3),
        cpuRatioTotals: round(cpuRatioTotals, 3),
        p50Ratio: round(p50Ratio, 3),
        p99Ratio: round(p99Ratio, 3),
        emulatorCpuBusy: round(emuBusy, 3),
      },
      targets: [
        target("SDK / raw CPU per call", round(cpuRatio, 3), "<=", 1.1),
        target("SDK / raw p50 latency", round(p50Ratio, 3), "<=", 1.1),
      ],
      notes: [
        ...notes,
        `each side: ${WARMUP} warm-up calls, then ${CALLS / BLOCK} blocks of ${BLOCK} alternating SDK/raw (CPU ratio: median over adjacent SDK/raw block pairs); CPU = process.cpuUsage() of this process (the emulator runs in another)`,
        `emulator process busy ${Math.round(emuBusy * 100)} % of one core during the measured phase`,
        "the SDK builds a Chat (client.chat.create) and the raw side a request message (create) for every call",
      ],
    };
  } finally {
    client.close();
    raw.close();
    await emu.stop();
  }
}

await runBenchmark(main);
