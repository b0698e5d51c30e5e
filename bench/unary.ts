// Benchmark 1, unary overhead: 5,000 `chat.sample()` calls against the same requests sent through a raw
// grpc-js client with the generated messages, to the same emulator (running in its own process, so that this
// process's CPU time is the client's alone). Calls are sequential.
//
// Two raw baselines: grpc-js with its default channel options and no deadline (what a user writing grpc-js by
// hand gets), and grpc-js with exactly the SDK's configuration: its channel options (retry policy, keepalive,
// message limits), its default deadline (every SDK call has one: 15 minutes unless told otherwise) and its
// identification headers. The second isolates the cost of the SDK's own code from that of the configuration it
// chooses (a retry policy makes grpc-js keep each call's messages for a possible retry; a deadline arms a timer
// and sends a grpc-timeout header, about 2 % of a call's CPU). The three run in rotating blocks; each ratio is the
// median over rounds of adjacent blocks, which is robust to load that comes and goes on a shared machine.
//
// Telemetry: @opentelemetry/api is installed here (a devDependency) and no provider is registered, so the
// "SDK chat.sample()" side is the SDK with its tracing machinery active and nothing to record. Two more SDK
// sides: `telemetry: false` (no observer at all: what a program without @opentelemetry/api pays, give or take
// a function call) and a recording tracer provider whose spans are dropped (NoopSpanProcessor), the cost of
// building the spans and their attributes.
import { toBinary } from "@bufbuild/protobuf";
import { BasicTracerProvider, NoopSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { Chat as ChatService, GetCompletionsRequestSchema } from "../src/gen/xai/api/v1/chat_pb.js";
import { Client } from "../src/index.js";
import { DEFAULT_TIMEOUT_MS, defaultChannelOptions, sdkHeaders } from "../src/transport/options.js";
import { rawGrpcClient } from "../test/helpers/raw-grpc.js";
import { startEmulatorProcess } from "./lib/emulator.js";
import { type BenchResult, runBenchmark, target } from "./lib/report.js";
import { cpuMsSince, median, msSince, percentile, round, sum } from "./lib/stats.js";
import { PROMPT, rawRequest, sdkChat } from "./lib/workload.js";

const CALLS = Number(process.env.BENCH_UNARY_CALLS ?? 5_000);
/** Calls per block: each round runs one block of every side. */
const BLOCK = 50;
const WARMUP = 500;

interface Side {
  label: string;
  call: () => Promise<void>;
  latencies: number[];
  cpuMs: number;
  wallMs: number;
  /** CPU time of this side's block in each round. */
  rounds: number[];
}

async function main(): Promise<BenchResult> {
  const started = performance.now();
  const emu = await startEmulatorProcess();
  const client = new Client(emu.clientOptions());
  const clientOff = new Client({ ...emu.clientOptions(), telemetry: false });
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new NoopSpanProcessor()] });
  const clientTraced = new Client({ ...emu.clientOptions(), telemetry: { tracerProvider } });
  const raw = rawGrpcClient(emu.apiHost, emu.apiKey);
  const rawConfigured = rawGrpcClient(emu.apiHost, emu.apiKey, defaultChannelOptions(), sdkHeaders());
  try {
    // Every side sends the same bytes and gets the same answer.
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

    const side = (label: string, call: () => Promise<void>): Side => ({
      label,
      call,
      latencies: [],
      cpuMs: 0,
      wallMs: 0,
      rounds: [],
    });
    const sdk = side("SDK chat.sample()", async () => {
      await sdkChat(client, PROMPT).sample();
    });
    const rawDefault = side("raw grpc-js, default options", async () => {
      await raw.unary(ChatService.method.getCompletion, rawRequest(PROMPT));
    });
    const rawSame = side("raw grpc-js, the SDK's channel options, deadline and headers", async () => {
      await rawConfigured.unary(ChatService.method.getCompletion, rawRequest(PROMPT), {
        deadline: Date.now() + DEFAULT_TIMEOUT_MS,
      });
    });
    const sdkOff = side("SDK chat.sample(), telemetry: false", async () => {
      await sdkChat(clientOff, PROMPT).sample();
    });
    const sdkTraced = side("SDK chat.sample(), recording spans (dropped)", async () => {
      await sdkChat(clientTraced, PROMPT).sample();
    });
    const sides = [sdk, rawDefault, rawSame, sdkOff, sdkTraced];
    for (let i = 0; i < WARMUP; i++) for (const s of sides) await s.call();

    const runBlock = async (s: Side) => {
      const cpu = process.cpuUsage();
      const wall = performance.now();
      for (let i = 0; i < BLOCK; i++) {
        const t = performance.now();
        await s.call();
        s.latencies.push(performance.now() - t);
      }
      const cpuMs = cpuMsSince(cpu);
      s.cpuMs += cpuMs;
      s.wallMs += msSince(wall);
      s.rounds.push(cpuMs);
    };
    const emuBefore = await emu.usage();
    const measureStart = performance.now();
    for (let r = 0; r < CALLS / BLOCK; r++) {
      // Rotate the order, so that no side always follows another.
      for (let k = 0; k < sides.length; k++) await runBlock(sides[(r + k) % sides.length]);
    }
    const emuBusy = ((await emu.usage()).cpuMs - emuBefore.cpuMs) / msSince(measureStart);

    const figures = (s: Side) => {
      const n = s.latencies.length;
      return {
        cpuUsPerCall: (s.cpuMs * 1000) / n,
        p50: percentile(s.latencies, 50),
        p99: percentile(s.latencies, 99),
        mean: sum(s.latencies) / n,
        callsPerSec: n / (s.wallMs / 1000),
      };
    };
    const f = new Map(sides.map((s) => [s, figures(s)]));
    const cpuRatio = (base: Side) => median(sdk.rounds.map((c, i) => c / base.rounds[i]));
    const ratios = [rawDefault, rawSame].map((base) => ({
      base,
      cpu: cpuRatio(base),
      cpuTotals: (f.get(sdk)?.cpuUsPerCall ?? 0) / (f.get(base)?.cpuUsPerCall ?? 1),
      p50: (f.get(sdk)?.p50 ?? 0) / (f.get(base)?.p50 ?? 1),
      p99: (f.get(sdk)?.p99 ?? 0) / (f.get(base)?.p99 ?? 1),
    }));
    const [vsDefault, vsSame] = ratios;
    // The SDK against itself: tracing machinery with no provider, and recording spans, each / telemetry off.
    const selfRatio = (s: Side) => median(s.rounds.map((c, i) => c / sdkOff.rounds[i]));
    const noProvider = selfRatio(sdk);
    const recording = selfRatio(sdkTraced);
    return {
      name: "unary",
      title: `Unary overhead: ${CALLS} sequential chat.sample() vs raw grpc-js (same emulator)`,
      durationMs: msSince(started),
      tables: [
        {
          head: ["client", "calls", "CPU µs/call", "p50 ms", "p99 ms", "mean ms", "calls/s"],
          rows: sides.map((s) => {
            const x = f.get(s);
            return [
              s.label,
              s.latencies.length,
              round(x?.cpuUsPerCall ?? Number.NaN, 1),
              round(x?.p50 ?? Number.NaN, 3),
              round(x?.p99 ?? Number.NaN, 3),
              round(x?.mean ?? Number.NaN, 3),
              Math.round(x?.callsPerSec ?? Number.NaN),
            ];
          }),
        },
        {
          head: ["telemetry / telemetry: false", "CPU per call (median of rounds)"],
          rows: [
            ["@opentelemetry/api installed, no provider (SDK chat.sample())", round(noProvider, 3)],
            ["recording spans, dropped", round(recording, 3)],
          ],
        },
        {
          head: ["ratio SDK / …", "CPU per call (median of rounds)", "CPU per call (totals)", "p50", "p99"],
          rows: ratios.map((r) => [
            r.base.label,
            round(r.cpu, 3),
            round(r.cpuTotals, 3),
            round(r.p50, 3),
            round(r.p99, 3),
          ]),
        },
      ],
      metrics: {
        sdkCpuUsPerCall: round(f.get(sdk)?.cpuUsPerCall ?? Number.NaN, 1),
        rawCpuUsPerCall: round(f.get(rawDefault)?.cpuUsPerCall ?? Number.NaN, 1),
        rawSameOptionsCpuUsPerCall: round(f.get(rawSame)?.cpuUsPerCall ?? Number.NaN, 1),
        sdkP50Ms: round(f.get(sdk)?.p50 ?? Number.NaN, 3),
        rawP50Ms: round(f.get(rawDefault)?.p50 ?? Number.NaN, 3),
        sdkP99Ms: round(f.get(sdk)?.p99 ?? Number.NaN, 3),
        rawP99Ms: round(f.get(rawDefault)?.p99 ?? Number.NaN, 3),
        cpuRatio: round(vsDefault.cpu, 3),
        cpuRatioTotals: round(vsDefault.cpuTotals, 3),
        cpuRatioSameOptions: round(vsSame.cpu, 3),
        p50Ratio: round(vsDefault.p50, 3),
        p99Ratio: round(vsDefault.p99, 3),
        p50RatioSameOptions: round(vsSame.p50, 3),
        emulatorCpuBusy: round(emuBusy, 3),
        sdkTelemetryOffCpuUsPerCall: round(f.get(sdkOff)?.cpuUsPerCall ?? Number.NaN, 1),
        sdkRecordingCpuUsPerCall: round(f.get(sdkTraced)?.cpuUsPerCall ?? Number.NaN, 1),
        cpuRatioNoProvider: round(noProvider, 3),
        cpuRatioRecording: round(recording, 3),
      },
      targets: [
        target("SDK / raw CPU per call (grpc-js defaults)", round(vsDefault.cpu, 3), "<=", 1.1),
        target("SDK / raw CPU per call (same options, deadline, headers)", round(vsSame.cpu, 3), "<=", 1.1),
        target("SDK / raw p50 latency (grpc-js defaults)", round(vsDefault.p50, 3), "<=", 1.1),
        target("SDK, API installed and no provider / telemetry: false, CPU", round(noProvider, 3), "<", 1.03),
      ],
      notes: [
        `each side: ${WARMUP} warm-up calls, then ${CALLS / BLOCK} rounds of one ${BLOCK}-call block per side, order rotating; CPU = process.cpuUsage() of this process (the emulator runs in another)`,
        `emulator process busy ${Math.round(emuBusy * 100)} % of one core during the measured phase`,
        "the SDK builds a Chat (client.chat.create) and the raw sides a request message (create) for every call",
      ],
    };
  } finally {
    client.close();
    clientOff.close();
    clientTraced.close();
    raw.close();
    rawConfigured.close();
    await emu.stop();
  }
}

await runBenchmark(main);
