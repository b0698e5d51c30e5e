// Upload benchmark: streams a 200 MB file from a path to the emulator (running in its own process, so only
// the client's memory is measured) and reports throughput and the client's RSS growth.
// Target: RSS grows by less than 50 MB, i.e. the file is never held in memory whole.
//
//   npx tsx --expose-gc bench/upload.ts            (BENCH_UPLOAD_MB=500 for another size)

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "../src/index.js";
import { startEmulatorProcess } from "./lib/emulator.js";

const MB = 1024 * 1024;
const SIZE_MB = Number(process.env.BENCH_UPLOAD_MB ?? 200);
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

const dir = await mkdtemp(join(tmpdir(), "xai-upload-bench-"));
const path = join(dir, "upload-bench.bin");
const emu = await startEmulatorProcess();
const client = new Client(emu.clientOptions());
try {
  await makeFile(path, SIZE_MB);
  // Warm-up: the first call loads grpc-js and connects; neither belongs to the upload's cost.
  await client.files.upload(Buffer.from("warm-up"), { filename: "warm-up.txt" });

  gc();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  let progressEvents = 0;
  const started = performance.now();
  const file = await client.files.upload(path, { onProgress: () => progressEvents++ });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);

  if (file.size !== SIZE_MB * MB)
    throw new Error(`the server stored ${file.size} bytes, expected ${SIZE_MB * MB}`);
  const growthMb = (peak - baseline) / MB;
  const figures = {
    bench: "upload",
    sizeMb: SIZE_MB,
    seconds: Number(seconds.toFixed(2)),
    throughputMbPerSecond: Number((SIZE_MB / seconds).toFixed(1)),
    chunks: progressEvents,
    baselineRssMb: Number((baseline / MB).toFixed(1)),
    peakRssMb: Number((peak / MB).toFixed(1)),
    rssGrowthMb: Number(growthMb.toFixed(1)),
    targetRssGrowthMb: TARGET_GROWTH_MB,
    pass: growthMb < TARGET_GROWTH_MB,
  };
  console.log(`upload: ${SIZE_MB} MB from a path to the emulator (separate process), 3 MiB chunks`);
  console.log(`  time         ${figures.seconds} s (${figures.chunks} chunks)`);
  console.log(`  throughput   ${figures.throughputMbPerSecond} MB/s`);
  console.log(`  client RSS   ${figures.baselineRssMb} MB → peak ${figures.peakRssMb} MB`);
  console.log(
    `  RSS growth   ${figures.rssGrowthMb} MB (target < ${TARGET_GROWTH_MB} MB: ${figures.pass ? "met" : "MISSED"})`,
  );
  console.log(JSON.stringify(figures));
  if (!figures.pass) process.exitCode = 1;
} finally {
  client.close();
  await emu.stop();
  await rm(dir, { recursive: true, force: true });
}
