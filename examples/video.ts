// Video: generate a clip (waiting with progress), save it, extend it, and handle a failed generation.
//   npx tsx examples/video.ts [output-directory]     (default: a folder in the system temp directory)
// Uses the real API when XAI_API_KEY is set, else an in-process emulator.
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, PollTimeoutError, VideoGenerationError } from "xai-grpc";
import { startEmulator } from "xai-grpc/testing";

const outDir = process.argv[2] ?? join(tmpdir(), "xai-video-example");
await mkdir(outDir, { recursive: true });
const emulator = process.env.XAI_API_KEY ? undefined : await startEmulator();
const client = new Client(emulator?.clientOptions());
const model = "grok-imagine-video";
// The emulator finishes in a few polls; the real API takes a minute or more.
const wait = { pollInterval: emulator ? 20 : 5_000, timeout: 15 * 60_000 };
try {
  const boat = await client.video.generate(
    {
      prompt: "A paper boat drifting down a rainy street, cinematic",
      model,
      duration: 5,
      aspectRatio: "16:9",
    },
    { ...wait, onProgress: (p) => console.log(`  ${p.requestId}: ${p.progress}%`) },
  );
  const path = await boat.save(join(outDir, "boat.mp4"), { timeout: 120_000 });
  console.log(`saved ${path}: ${boat.duration} s, cost $${boat.costUsd ?? "?"}`);

  const longer = await client.video.extend(
    { prompt: "The boat sails into a sunny harbour", model, video: boat.url, duration: 3 },
    wait,
  );
  console.log(`extended to ${longer.duration} s: ${longer.url}`);

  // Start now, check later (e.g. from another process): keep the request id.
  const requestId = await client.video.start({ prompt: "A comet over snowy mountains", model });
  const state = await client.video.get(requestId);
  console.log(`job ${requestId} is ${state.status}`);

  // A failure carries the server's code and message. ("[fail]" makes the emulator fail on purpose.)
  try {
    await client.video.generate({ prompt: emulator ? "[fail] a storm" : "", model }, wait);
  } catch (err) {
    if (err instanceof VideoGenerationError)
      console.log(`failed as expected: [${err.serverCode}] ${err.serverMessage}`);
    else if (err instanceof PollTimeoutError)
      console.log(`still running after ${err.elapsedMs} ms: ${err.what}`);
    else console.log(`rejected before generating: ${(err as Error).message}`);
  }
} finally {
  client.close();
  await emulator?.stop();
}
