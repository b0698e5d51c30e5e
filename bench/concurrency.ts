// Benchmark 3, concurrency: 1,000 concurrent streamed chats on one Client (one HTTP/2 connection), against
// 1,000 concurrent raw grpc-js streams. Errors, completion times from the common start, and peak RSS of this
// process (sampled every 10 ms) above the RSS before the round. Rounds alternate SDK and raw; GC runs between
// rounds (node --expose-gc, passed by bench/run.ts).
import { Chat as ChatService } from "../src/gen/xai/api/v1/chat_pb.js";
import { Client } from "../src/index.js";
import { rawGrpcClient } from "../test/helpers/raw-grpc.js";
import { startEmulatorProcess } from "./lib/emulator.js";
import { type BenchResult, runBenchmark, target } from "./lib/report.js";
import { median, mib, msSince, percentile, round } from "./lib/stats.js";
import { PROMPT, rawRequest, sdkChat } from "./lib/workload.js";

const STREAMS = Number(process.env.BENCH_CONCURRENT_STREAMS ?? 1_000);
/** Each stream is the emulator's ordinary reply to the prompt (a realistic chat: about 70 chunks). */
let CHUNKS = 0;
const ROUNDS = 2;

interface Round {
  errors: number;
  firstError?: string;
  completions: number[];
  wallMs: number;
  peakRssDelta: number;
  peakRss: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function round_(one: () => Promise<number>): Promise<Round> {
  gc?.();
  await new Promise((r) => setTimeout(r, 50));
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const start = performance.now();
  const completions: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  await Promise.all(
    Array.from({ length: STREAMS }, async () => {
      try {
        const chunks = await one();
        if (chunks !== CHUNKS) throw new Error(`got ${chunks} chunks instead of ${CHUNKS}`);
        completions.push(msSince(start));
      } catch (err) {
        errors++;
        firstError ??= String(err);
      }
    }),
  );
  const wallMs = msSince(start);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { errors, firstError, completions, wallMs, peakRssDelta: peak - before, peakRss: peak };
}

async function main(): Promise<BenchResult> {
  const started = performance.now();
  const emu = await startEmulatorProcess();
  const client = new Client(emu.clientOptions());
  const raw = rawGrpcClient(emu.apiHost, emu.apiKey);
  const prompt = PROMPT;
  const sdkOne = async () => {
    let n = 0;
    for await (const _ of sdkChat(client, prompt).stream()) n++;
    return n;
  };
  const rawOne = async () => {
    let n = 0;
    for await (const _ of raw.serverStream(ChatService.method.getCompletionChunk, rawRequest(prompt))) n++;
    return n;
  };
  try {
    // Warm-up: open the connections, JIT the paths; learn the reply's chunk count (the same for every stream).
    CHUNKS = await sdkOne();
    if ((await rawOne()) !== CHUNKS) throw new Error("the SDK and the raw client got different streams");
    await Promise.all(Array.from({ length: 50 }, () => sdkOne()));
    await Promise.all(Array.from({ length: 50 }, () => rawOne()));
    const rounds: Record<"sdk" | "raw", Round[]> = { sdk: [], raw: [] };
    const emulatorBusy: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const side of r % 2 === 0 ? (["sdk", "raw"] as const) : (["raw", "sdk"] as const)) {
        const before = await emu.usage();
        const round = await round_(side === "sdk" ? sdkOne : rawOne);
        emulatorBusy.push(((await emu.usage()).cpuMs - before.cpuMs) / round.wallMs);
        rounds[side].push(round);
      }
    }
    const summary = (side: "sdk" | "raw") => {
      const rs = rounds[side];
      const all = rs.flatMap((x) => x.completions);
      return {
        errors: rs.reduce((s, x) => s + x.errors, 0),
        firstError: rs.find((x) => x.firstError)?.firstError,
        p50: percentile(all, 50),
        p99: percentile(all, 99),
        wall: median(rs.map((x) => x.wallMs)),
        peakDelta: Math.max(...rs.map((x) => x.peakRssDelta)),
        peak: Math.max(...rs.map((x) => x.peakRss)),
      };
    };
    const sdk = summary("sdk");
    const rawS = summary("raw");
    const maxRss = process.resourceUsage().maxRSS * 1024;
    const rows = [
      ["SDK chat.stream()", sdk],
      ["raw grpc-js", rawS],
    ] as const;
    return {
      name: "concurrency",
      title: `Concurrency: ${STREAMS} concurrent streams of ${CHUNKS} chunks on one client (${ROUNDS} rounds per side)`,
      durationMs: msSince(started),
      tables: [
        {
          head: [
            "client",
            "errors",
            "p50 completion ms",
            "p99 completion ms",
            "round wall ms",
            "peak RSS MiB",
            "peak RSS growth MiB",
          ],
          rows: rows.map(([name, s]) => [
            name,
            s.errors,
            round(s.p50, 1),
            round(s.p99, 1),
            round(s.wall, 1),
            mib(s.peak),
            mib(s.peakDelta),
          ]),
        },
        {
          head: ["ratio SDK / raw", "p50", "p99", "peak RSS growth"],
          rows: [
            [
              "",
              round(sdk.p50 / rawS.p50, 3),
              round(sdk.p99 / rawS.p99, 3),
              round(sdk.peakDelta / rawS.peakDelta, 2),
            ],
          ],
        },
      ],
      metrics: {
        sdkErrors: sdk.errors,
        rawErrors: rawS.errors,
        sdkP50Ms: round(sdk.p50, 1),
        sdkP99Ms: round(sdk.p99, 1),
        rawP50Ms: round(rawS.p50, 1),
        rawP99Ms: round(rawS.p99, 1),
        sdkPeakRssMiB: mib(sdk.peak),
        sdkPeakRssGrowthMiB: mib(sdk.peakDelta),
        rawPeakRssGrowthMiB: mib(rawS.peakDelta),
        processMaxRssMiB: mib(maxRss),
        emulatorBusyMax: round(Math.max(...emulatorBusy), 3),
      },
      targets: [target("SDK errors", sdk.errors, "==", 0)],
      notes: [
        ...(sdk.firstError ? [`first SDK error: ${sdk.firstError}`] : []),
        ...(rawS.firstError ? [`first raw error: ${rawS.firstError}`] : []),
        `process max RSS over the whole run (getrusage): ${mib(maxRss)} MiB; emulator busy at most ${Math.round(Math.max(...emulatorBusy) * 100)} % of one core in a round`,
      ],
    };
  } finally {
    client.close();
    raw.close();
    await emu.stop();
  }
}

await runBenchmark(main);
