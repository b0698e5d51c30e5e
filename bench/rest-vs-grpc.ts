// Benchmark: the same chat work over gRPC and over REST. A 10,000- and a 100,000-chunk stream and 2,000
// sequential completions, consumed by (a) xai-grpc over gRPC, (b) openai-node over REST/SSE and (c) the AI
// SDK's `@ai-sdk/xai` (`streamText` / `generateText`, chat completions). Two floors show what the transports
// cost without a client library: raw grpc-js iteration, and a raw node:http read that only counts SSE frames.
// (d) the AI SDK's functions over gRPC through `xai-grpc/ai-sdk` separate the AI SDK's own cost from REST's.
//
// The server is the replay server (bench/lib/stream-server-process.ts) in its own process: the same chunks and
// reply, pre-encoded once for both protocols (the SSE frames as the emulator's REST face renders them), so that
// the server is not the bottleneck. The check: the server's CPU per chunk and its busy share during each
// client's runs are reported beside the client's, and the raw HTTP floor consumes far faster than any client.
// Bytes on the wire are counted in a separate pass through a TCP relay (never in a timed run).
//
// `npm run bench -- rest-vs-grpc`; `BENCH_QUICK=1` runs small sizes only (a check that it works, not figures).
import { Agent, request as httpRequest } from "node:http";
import { createXai } from "@ai-sdk/xai";
import { generateText, streamText } from "ai";
import OpenAI from "openai";
import { createXaiGrpc } from "../src/ai-sdk/index.js";
import { Client } from "../src/index.js";
import { rawGrpcClient } from "../test/helpers/raw-grpc.js";
import { startByteCounter } from "./lib/byte-counter.js";
import { type BenchResult, runBenchmark } from "./lib/report.js";
import { cpuMsSince, median, msSince, percentile, round } from "./lib/stats.js";
import { startStreamServer } from "./lib/stream-server.js";
import { chunksPrompt, MODEL, PROMPT, readRawStream, sdkChat } from "./lib/workload.js";

const QUICK = process.env.BENCH_QUICK === "1";
const SIZES = QUICK ? [2_000, 10_000] : [10_000, 100_000];
const ROUNDS: Record<number, number> = QUICK ? { 2000: 2, 10000: 1 } : { 10000: 7, 100000: 3 };
const CALLS = QUICK ? 200 : 2_000;
/** Calls per block: each round runs one block of every client. */
const BLOCK = 50;
const API_KEY = "xai-replay";

interface Endpoints {
  grpc: string;
  rest: string;
}

interface Consumer {
  name: string;
  /** Consumes a `!chunks n` stream; returns what it saw. */
  stream(n: number): Promise<{ chunks: number; chars: number }>;
  /** One completion; undefined for the floors. */
  call?: () => Promise<string>;
  close(): void;
}

/** Reads an SSE response and counts its frames, without parsing them (the floor of REST consumption). */
function rawSse(restUrl: string, n: number): Promise<{ chunks: number; chars: number }> {
  const body = JSON.stringify({
    model: MODEL,
    messages: [{ role: "user", content: chunksPrompt(n) }],
    stream: true,
  });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${restUrl}/chat/completions`,
      {
        method: "POST",
        agent: rawAgent,
        headers: {
          authorization: `Bearer ${API_KEY}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
        },
      },
      (res) => {
        let frames = 0;
        let endsWithNewline = false; // a "\n\n" may straddle two reads
        res.on("data", (d: Buffer) => {
          if (endsWithNewline && d[0] === 10) frames++;
          for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) if (d[i + 1] === 10) frames++;
          endsWithNewline = d[d.length - 1] === 10;
        });
        res.on("end", () => resolve({ chunks: frames - 1, chars: Number.NaN }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const rawAgent = new Agent({ keepAlive: true });

function consumers(at: Endpoints): Consumer[] {
  const client = new Client({ apiKey: API_KEY, apiHost: at.grpc });
  const raw = rawGrpcClient(at.grpc, API_KEY);
  const openai = new OpenAI({ apiKey: API_KEY, baseURL: at.rest, maxRetries: 0 });
  const xai = createXai({ apiKey: API_KEY, baseURL: at.rest });
  const xaiGrpc = createXaiGrpc({ apiKey: API_KEY, apiHost: at.grpc });
  return [
    {
      name: "xai-grpc (gRPC)",
      async stream(n) {
        let chunks = 0;
        let last: { content: string } | undefined;
        for await (const [response] of sdkChat(client, chunksPrompt(n)).stream()) {
          chunks++;
          last = response;
        }
        return { chunks, chars: last?.content.length ?? 0 };
      },
      call: async () => (await sdkChat(client, PROMPT).sample()).content,
      close: () => client.close(),
    },
    {
      name: "openai-node (REST)",
      async stream(n) {
        let chunks = 0;
        let chars = 0;
        const stream = await openai.chat.completions.create({
          model: MODEL,
          messages: [{ role: "user", content: chunksPrompt(n) }],
          stream: true,
        });
        for await (const chunk of stream) {
          chunks++;
          chars += chunk.choices[0]?.delta.content?.length ?? 0;
        }
        return { chunks, chars };
      },
      call: async () =>
        (
          await openai.chat.completions.create({
            model: MODEL,
            messages: [{ role: "user", content: PROMPT }],
          })
        ).choices[0]?.message.content ?? "",
      close: () => {},
    },
    {
      name: "@ai-sdk/xai streamText / generateText (REST)",
      async stream(n) {
        let chunks = 0;
        let chars = 0;
        const result = streamText({ model: xai(MODEL), prompt: chunksPrompt(n), maxRetries: 0 });
        for await (const text of result.textStream) {
          chunks++;
          chars += text.length;
        }
        return { chunks, chars };
      },
      call: async () => (await generateText({ model: xai(MODEL), prompt: PROMPT, maxRetries: 0 })).text,
      close: () => {},
    },
    {
      name: "xai-grpc/ai-sdk streamText / generateText (gRPC)",
      async stream(n) {
        let chunks = 0;
        let chars = 0;
        const result = streamText({ model: xaiGrpc(MODEL), prompt: chunksPrompt(n), maxRetries: 0 });
        for await (const text of result.textStream) {
          chunks++;
          chars += text.length;
        }
        return { chunks, chars };
      },
      call: async () => (await generateText({ model: xaiGrpc(MODEL), prompt: PROMPT, maxRetries: 0 })).text,
      close: () => xaiGrpc.close(),
    },
    {
      name: "floor: raw grpc-js for await",
      stream: (n) => readRawStream(raw, n),
      close: () => raw.close(),
    },
    {
      name: "floor: raw node:http, frames counted",
      stream: (n) => rawSse(at.rest, n),
      close: () => {},
    },
  ];
}

interface Run {
  ms: number;
  cpuMs: number;
  serverCpuMs: number;
}

async function main(): Promise<BenchResult> {
  const started = performance.now();
  const server = await startStreamServer();
  const clients = consumers({ grpc: server.address, rest: server.restUrl });
  const baseline = clients[0] as Consumer;
  try {
    for (const n of SIZES) await server.prepare(n);
    // Every client sees the same stream and the same reply.
    const check = await Promise.all(clients.map((c) => c.stream(2_000)));
    for (const [i, seen] of check.entries()) {
      const expected = check[0] as { chunks: number; chars: number };
      const name = (clients[i] as Consumer).name;
      if (seen.chunks !== 2_000 || (!Number.isNaN(seen.chars) && seen.chars !== expected.chars)) {
        throw new Error(
          `${name} saw ${seen.chunks} chunks and ${seen.chars} characters (expected 2000, ${expected.chars})`,
        );
      }
    }
    const answers = new Set(await Promise.all(clients.filter((c) => c.call).map((c) => c.call?.())));
    if (answers.size !== 1) throw new Error(`the clients got different replies: ${[...answers].join(" | ")}`);

    // Warm-up, then the streams: every client once per round, in rotating order.
    for (const c of clients) for (let i = 0; i < 3; i++) await c.stream(SIZES[0] as number);
    const streamRuns = new Map<string, Run[]>();
    for (const n of SIZES) {
      for (let r = 0; r < (ROUNDS[n] ?? 1); r++) {
        for (let k = 0; k < clients.length; k++) {
          const c = clients[(k + r) % clients.length] as Consumer;
          const serverBefore = await server.cpuMs();
          const cpu = process.cpuUsage();
          const t = performance.now();
          const seen = await c.stream(n);
          const run = {
            ms: msSince(t),
            cpuMs: cpuMsSince(cpu),
            serverCpuMs: (await server.cpuMs()) - serverBefore,
          };
          if (seen.chunks !== n) throw new Error(`${c.name}: asked for ${n} chunks, saw ${seen.chunks}`);
          const key = `${c.name}:${n}`;
          streamRuns.set(key, [...(streamRuns.get(key) ?? []), run]);
        }
      }
    }

    // Sequential completions, in rotating blocks.
    const callers = clients.filter((c) => c.call);
    const latencies = new Map<string, number[]>();
    const blockCpu = new Map<string, number[]>();
    for (const c of callers) for (let i = 0; i < 100; i++) await c.call?.();
    const serverBeforeUnary = await server.cpuMs();
    for (let b = 0; b < CALLS / BLOCK; b++) {
      for (let k = 0; k < callers.length; k++) {
        const c = callers[(k + b) % callers.length] as Consumer;
        const lat = latencies.get(c.name) ?? [];
        const cpu = process.cpuUsage();
        for (let i = 0; i < BLOCK; i++) {
          const t = performance.now();
          await c.call?.();
          lat.push(msSince(t));
        }
        latencies.set(c.name, lat);
        blockCpu.set(c.name, [...(blockCpu.get(c.name) ?? []), cpuMsSince(cpu)]);
      }
    }
    const serverUnaryUs = (((await server.cpuMs()) - serverBeforeUnary) * 1000) / (CALLS * callers.length);

    // Bytes on the wire, through relays, in a pass of their own.
    const grpcPort = Number(server.address.split(":")[1]);
    const restPort = Number(new URL(server.restUrl).port);
    const grpcRelay = await startByteCounter(grpcPort);
    const restRelay = await startByteCounter(restPort);
    const counted = consumers({ grpc: grpcRelay.address, rest: `http://${restRelay.address}/v1` });
    const wire = new Map<
      string,
      { streamDown: number; streamUp: number; callDown: number; callUp: number }
    >();
    const n0 = SIZES[0] as number;
    for (const [i, c] of counted.entries()) {
      const relay = i === 0 || i === 3 ? grpcRelay : restRelay;
      relay.reset();
      await c.stream(n0);
      const stream = { down: relay.down / n0, up: relay.up };
      relay.reset();
      if (c.call) for (let j = 0; j < 50; j++) await c.call();
      wire.set(c.name, {
        streamDown: stream.down,
        streamUp: stream.up,
        callDown: relay.down / 50,
        callUp: relay.up / 50,
      });
    }
    for (const c of counted) c.close();
    await grpcRelay.close();
    await restRelay.close();

    // Figures and ratios against xai-grpc over gRPC, paired by round.
    const streamRows: (string | number)[][] = [];
    const metrics: BenchResult["metrics"] = {};
    for (const n of SIZES) {
      const base = streamRuns.get(`${baseline.name}:${n}`) ?? [];
      for (const c of clients) {
        const runs = streamRuns.get(`${c.name}:${n}`) ?? [];
        const ms = median(runs.map((r) => r.ms));
        const cpuUs = (median(runs.map((r) => r.cpuMs)) * 1000) / n;
        const serverUs = (median(runs.map((r) => r.serverCpuMs)) * 1000) / n;
        const busy = median(runs.map((r) => r.serverCpuMs / r.ms));
        const speed = median(runs.map((r, i) => (base[i]?.ms ?? Number.NaN) / r.ms));
        const cpuRatio = median(runs.map((r, i) => r.cpuMs / (base[i]?.cpuMs ?? Number.NaN)));
        const bytes = wire.get(c.name)?.streamDown ?? Number.NaN;
        streamRows.push([
          c === clients[0] ? n.toLocaleString("en-US") : "",
          c.name,
          round(ms, 1),
          Math.round(n / (ms / 1000)),
          round(cpuUs, 2),
          round(speed, 3),
          round(cpuRatio, 2),
          round(bytes, 1),
          round(serverUs, 2),
          `${Math.round(busy * 100)} %`,
        ]);
        const key = c.name.split(" ")[0]?.replace(/[^a-z]/gi, "") ?? c.name;
        metrics[`${key}ChunksPerSec${n}`] = Math.round(n / (ms / 1000));
        metrics[`${key}CpuUsPerChunk${n}`] = round(cpuUs, 2);
        metrics[`${key}CpuRatio${n}`] = round(cpuRatio, 3);
      }
    }
    const unaryRows: (string | number)[][] = [];
    const baseBlocks = blockCpu.get(baseline.name) ?? [];
    for (const c of callers) {
      const lat = latencies.get(c.name) ?? [];
      const blocks = blockCpu.get(c.name) ?? [];
      const cpuUs = (blocks.reduce((a, b) => a + b, 0) * 1000) / lat.length;
      const ratio = median(blocks.map((b, i) => b / (baseBlocks[i] ?? Number.NaN)));
      const w = wire.get(c.name);
      unaryRows.push([
        c.name,
        round(percentile(lat, 50), 3),
        round(percentile(lat, 99), 3),
        Math.round(cpuUs),
        round(ratio, 2),
        w ? Math.round(w.callUp) : "",
        w ? Math.round(w.callDown) : "",
      ]);
      const key = c.name.split(" ")[0]?.replace(/[^a-z]/gi, "") ?? c.name;
      metrics[`${key}UnaryP50Ms`] = round(percentile(lat, 50), 3);
      metrics[`${key}UnaryCpuUsPerCall`] = Math.round(cpuUs);
      metrics[`${key}UnaryCpuRatio`] = round(ratio, 3);
    }
    metrics.serverUnaryCpuUsPerCall = round(serverUnaryUs, 1);
    return {
      name: "rest-vs-grpc",
      title: "gRPC vs REST: xai-grpc, openai-node and @ai-sdk/xai on the same replayed chat work",
      durationMs: msSince(started),
      tables: [
        {
          title: `streams (${SIZES.map((n) => `${ROUNDS[n]} × ${n.toLocaleString("en-US")}`).join(", ")} chunks per client)`,
          head: [
            "chunks",
            "client",
            "ms (median)",
            "chunks/s",
            "client CPU µs/chunk",
            "speed vs xai-grpc",
            "CPU vs xai-grpc",
            "bytes/chunk down",
            "server CPU µs/chunk",
            "server busy",
          ],
          rows: streamRows,
        },
        {
          title: `${CALLS.toLocaleString("en-US")} sequential completions per client`,
          head: [
            "client",
            "p50 ms",
            "p99 ms",
            "client CPU µs/call",
            "CPU vs xai-grpc",
            "bytes/call up",
            "bytes/call down",
          ],
          rows: unaryRows,
        },
      ],
      metrics,
      targets: [],
      notes: [
        "server: the replay server (its own process), every reply pre-encoded once for both protocols; its CPU per chunk and busy share (of one core) during each client's runs are in the table: it waits on the clients, never the reverse",
        "ratios are medians of per-round ratios against xai-grpc in the same round (speed: > 1 is faster; CPU: > 1 costs more); wire bytes were counted in a separate pass through a TCP relay, for one stream of the smaller size and 50 completions",
        `server CPU per completion: ${round(serverUnaryUs, 1)} µs (all clients)`,
      ],
    };
  } finally {
    for (const c of clients) c.close();
    rawAgent.destroy();
    await server.stop();
  }
}

await runBenchmark(main);
