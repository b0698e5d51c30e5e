// Batch: queue chat and image requests together, wait for the batch, then read every typed result.
//   npx tsx examples/batch.ts [output-directory]     (default: a folder in the system temp directory)
// Uses the real API when XAI_API_KEY is set (batches can take hours there), else an in-process emulator.
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, system, user } from "xai-grpc";
import { startEmulator } from "xai-grpc/testing";

const outDir = process.argv[2] ?? join(tmpdir(), "xai-batch-example");
await mkdir(outDir, { recursive: true });
const emulator = process.env.XAI_API_KEY ? undefined : await startEmulator();
const client = new Client(emulator?.clientOptions());
try {
  const batch = await client.batch.create({ name: "animal-captions" });
  const animals = ["fox", "owl", "otter"];
  await client.batch.add(batch.id, [
    // Chats carry their id from create(); prepared images take it as an option.
    ...animals.map((animal) =>
      client.chat.create({
        model: "grok-3",
        messages: [system("Answer in one sentence."), user(`Describe a ${animal}.`)],
        batchRequestId: `${animal}-caption`,
      }),
    ),
    ...animals.map((animal) =>
      client.image.prepare(
        { prompt: `A watercolour ${animal}`, model: "grok-2-image" },
        { batchRequestId: `${animal}-picture` },
      ),
    ),
  ]);
  console.log(`batch ${batch.id} created with ${animals.length * 2} requests`);

  const done = await client.batch.waitUntilDone(batch.id, {
    pollInterval: emulator ? 20 : 30_000,
    onProgress: (b) => console.log(`  ${b.counts.pending} of ${b.counts.total} pending`),
  });
  console.log(
    `done: ${done.counts.succeeded} succeeded, ${done.counts.failed} failed, $${done.costUsd.toFixed(4)}`,
  );

  for await (const result of client.batch.listResults(batch.id)) {
    switch (result.kind) {
      case "chat":
        console.log(`${result.id}: ${result.response.content}`);
        break;
      case "image":
        console.log(`${result.id}: saved ${await result.response.save(join(outDir, `${result.id}.png`))}`);
        break;
      case "video":
        console.log(`${result.id}: ${result.response.url}`);
        break;
      case "error":
        console.log(`${result.id} failed: ${result.error.statusName} ${result.error.details}`);
        break;
    }
  }

  // One result by id, with the request that produced it.
  const owl = await client.batch.getResult(batch.id, "owl-caption");
  console.log(
    `owl request model: ${owl.request?.request.case === "completionRequest" ? owl.request.request.value.model : "?"}`,
  );
} finally {
  client.close();
  await emulator?.stop();
}
