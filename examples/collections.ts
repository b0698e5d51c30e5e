// Collections: create one, upload documents (waiting for indexing), search them, then clean up.
//   npx tsx examples/collections.ts
// Uses the real API when XAI_API_KEY and XAI_MANAGEMENT_KEY are set, else an in-process emulator.
import { Client, DocumentIndexingError } from "xai-grpc";
import { startEmulator } from "xai-grpc/testing";

const emulator = process.env.XAI_API_KEY ? undefined : await startEmulator();
const client = new Client(emulator?.clientOptions());
const wait = { pollInterval: emulator ? 20 : 2_000 };
try {
  const col = await client.collections.create({
    name: "store-policies",
    description: "Customer-facing policies of the web shop",
    chunkConfiguration: { unit: "chars", maxChunkSize: 500, overlap: 50 },
    fieldDefinitions: [{ key: "team", injectIntoChunk: true }],
  });
  console.log(`collection ${col.id} (${col.name})`);

  const policies: Record<string, string> = {
    "refunds.txt": "Refunds are paid within fourteen days of receiving the returned item. Keep the receipt.",
    "shipping.txt": "Orders ship on Mondays and Thursdays by courier. Tracking numbers arrive by email.",
    "warranty.txt":
      "Electronics carry a two-year warranty covering manufacturing defects, not accidental damage.",
  };
  for (const [filename, text] of Object.entries(policies)) {
    const doc = await client.collections.uploadDocument(
      col.id,
      Buffer.from(text),
      {
        filename,
        fields: { team: filename === "shipping.txt" ? "logistics" : "support" },
        waitForIndexing: true,
      },
      wait,
    );
    console.log(`  ${doc.name}: ${doc.status}, ${doc.chunkCount ?? "?"} chunk(s)`);
  }

  for (const query of ["How fast are refunds paid?", "Which days do orders ship?"]) {
    const { matches } = await client.collections.search(query, {
      collectionIds: [col.id],
      limit: 2,
      retrievalMode: "hybrid",
    });
    console.log(`"${query}"`);
    for (const m of matches) console.log(`  ${m.score.toFixed(3)}  ${m.content.replace(/\s*\n\s*/g, " / ")}`);
  }

  for await (const doc of client.collections.listDocuments(col.id, { sortBy: "name" })) {
    console.log(`document ${doc.name} (${doc.size} bytes, team ${doc.fields.team})`);
  }

  // Indexing failures reject with the server's reason. ("[fail]" makes the emulator fail on purpose.)
  if (emulator) {
    try {
      await client.collections.uploadDocument(
        col.id,
        Buffer.from("???"),
        { filename: "[fail] scan.txt", waitForIndexing: true },
        wait,
      );
    } catch (err) {
      if (err instanceof DocumentIndexingError)
        console.log(`indexing failed as expected: ${err.serverMessage}`);
      else throw err;
    }
  }

  await client.collections.delete(col.id);
  console.log("collection deleted");
} finally {
  client.close();
  await emulator?.stop();
}
