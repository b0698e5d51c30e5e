// Upload benchmark: streams a 200 MB file from a path to the emulator (running in its own process, so only
// the client's memory is measured) and reports throughput and the client's RSS growth.
// Target: RSS grows by less than 50 MB, i.e. the file is never held in memory whole.
//
// Baseline: the same upload through raw grpc-js (the generated schema, one message in flight, fresh 3 MiB
// buffers), interleaved with the SDK's runs so both see the same machine. RSS growth depends on when V8
// collects the 3 MiB buffers each chunk allocates (read, protobuf encoding, gRPC framing), so each runs
// several times (BENCH_UPLOAD_RUNS, default 3); medians decide, every run is printed. Growth is measured
// against the idle client's RSS before the first run: a collection does not always give memory back to
// the OS, so a per-run baseline would hide growth.
//
//   npx tsx --expose-gc bench/upload.ts            (BENCH_UPLOAD_MB=500 for another size)
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { FileSchema, UploadFileChunkSchema } from "../src/gen/xai/api/v1/files_pb.js";
import { Client } from "../src/index.js";
import { type EmulatorProcess, startEmulatorProcess } from "./lib/emulator.js";

const MB = 1024 * 1024;
const CHUNK = 3 * MB;
const SIZE_MB = Number(process.env.BENCH_UPLOAD_MB ?? 200);
const RUNS = Number(process.env.BENCH_UPLOAD_RUNS ?? 3);
const TARGET_GROWTH_MB = 50;

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Writes `sizeMb` MiB of varied (not all-zero) bytes, 1 MiB at a time. */
async function makeFile(path: string, sizeMb: number): Promise<void> {
  const out = createWriteStream(path);
  const block = Buffer.alloc(MB);
  for (let i = 0; i < sizeMb; i++) {
    for (let j = 0; j < block.length; j += 4) block.writeUInt32LE((i * 2654435761 + j) >>> 0, j);
    if (!out.write(block)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

/** Uploads with grpc-js directly: what any client must at least do. Resolves with the stored size. */
function rawUpload(client: grpc.Client, apiKey: string, path: string): Promise<number> {
  const metadata = new grpc.Metadata();
  metadata.set("authorization", `Bearer ${apiKey}`);
  return new Promise((resolve, reject) => {
    const call = client.makeClientStreamRequest(
      "/xai_api.Files/UploadFile",
      (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      (bytes: Buffer) => fromBinary(FileSchema, bytes),
      metadata,
      {},
      (err, file) => (err ? reject(err) : resolve(Number(file?.size ?? -1))),
    );
    const send = (chunk: Parameters<typeof create<typeof UploadFileChunkSchema>>[1]) =>
      new Promise<void>((done) =>
        call.write(toBinary(UploadFileChunkSchema, create(UploadFileChunkSchema, chunk)), done),
      );
    void (async () => {
      await send({ chunk: { case: "init", value: { name: "raw.bin" } } });
      const handle = await open(path, "r");
      try {
        for (;;) {
          const buffer = Buffer.allocUnsafe(CHUNK);
          const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
          if (bytesRead === 0) break;
          await send({ chunk: { case: "data", value: buffer.subarray(0, bytesRead) } });
        }
      } finally {
        await handle.close();
      }
      call.end();
    })().catch(reject);
  });
}

interface Run {
  seconds: number;
  peakRss: number;
}

/** Runs `upload` with the client's RSS sampled every 10 ms. */
async function measure(upload: () => Promise<number>): Promise<Run> {
  gc();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 10);
  const started = performance.now();
  const size = await upload();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  if (size !== SIZE_MB * MB) throw new Error(`the server stored ${size} bytes, expected ${SIZE_MB * MB}`);
  return { seconds, peakRss };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const dir = await mkdtemp(join(tmpdir(), "xai-upload-bench-"));
const path = join(dir, "upload-bench.bin");
let emu: EmulatorProcess | undefined;
let client: Client | undefined;
let raw: grpc.Client | undefined;
try {
  emu = await startEmulatorProcess();
  const options = emu.clientOptions();
  client = new Client(options);
  raw = new grpc.Client(options.apiHost, grpc.credentials.createInsecure(), {
    "grpc.max_send_message_length": 20 * MB,
  });
  await makeFile(path, SIZE_MB);
  // Warm-up: the first calls load grpc-js and connect; neither belongs to the upload's cost.
  const sdk = client;
  const rawClient = raw;
  await sdk.files.upload(Buffer.from("warm-up"), { filename: "warm-up.txt" });
  const small = join(dir, "warm-up.bin");
  await makeFile(small, 1);
  await rawUpload(rawClient, options.apiKey, small);
  await emu.reset();
  gc();
  const baseline = process.memoryUsage().rss;
  console.log(
    `upload: ${SIZE_MB} MB from a path to the emulator (separate process), 3 MiB chunks, ${RUNS} runs each`,
  );
  console.log(`  idle client RSS ${(baseline / MB).toFixed(1)} MB`);
  const sdkRuns: Run[] = [];
  const rawRuns: Run[] = [];
  const report = (name: string, i: number, run: Run) =>
    console.log(
      `  ${name} run ${i + 1}: ${run.seconds.toFixed(2)} s, ${(SIZE_MB / run.seconds).toFixed(1)} MB/s, ` +
        `peak RSS ${(run.peakRss / MB).toFixed(1)} MB (+${((run.peakRss - baseline) / MB).toFixed(1)} MB)`,
    );
  for (let i = 0; i < RUNS; i++) {
    const rawRun = await measure(() => rawUpload(rawClient, options.apiKey, path));
    rawRuns.push(rawRun);
    report("grpc-js", i, rawRun);
    await emu.reset();
    const sdkRun = await measure(async () => (await sdk.files.upload(path)).size);
    sdkRuns.push(sdkRun);
    report("SDK    ", i, sdkRun);
    await emu.reset();
  }
  const growth = (runs: Run[]) => round1(median(runs.map((r) => (r.peakRss - baseline) / MB)));
  const throughput = (runs: Run[]) => round1(median(runs.map((r) => SIZE_MB / r.seconds)));
  const figures = {
    bench: "upload",
    sizeMb: SIZE_MB,
    runs: RUNS,
    idleRssMb: round1(baseline / MB),
    sdkThroughputMbPerSecond: throughput(sdkRuns),
    sdkRssGrowthMb: growth(sdkRuns),
    sdkWorstRssGrowthMb: round1(Math.max(...sdkRuns.map((r) => (r.peakRss - baseline) / MB))),
    grpcJsThroughputMbPerSecond: throughput(rawRuns),
    grpcJsRssGrowthMb: growth(rawRuns),
    targetRssGrowthMb: TARGET_GROWTH_MB,
    pass: growth(sdkRuns) < TARGET_GROWTH_MB,
  };
  console.log(
    `  throughput   SDK ${figures.sdkThroughputMbPerSecond} MB/s, raw grpc-js ${figures.grpcJsThroughputMbPerSecond} MB/s (medians)`,
  );
  console.log(
    `  RSS growth   SDK ${figures.sdkRssGrowthMb} MB (worst ${figures.sdkWorstRssGrowthMb}), raw grpc-js ${figures.grpcJsRssGrowthMb} MB ` +
      `(target < ${TARGET_GROWTH_MB} MB: ${figures.pass ? "met" : "MISSED"})`,
  );
  console.log(JSON.stringify(figures));
  if (!figures.pass) process.exitCode = 1;
} finally {
  client?.close();
  raw?.close();
  await emu?.stop();
  await rm(dir, { recursive: true, force: true });
}
