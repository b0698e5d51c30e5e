// Files: upload from a path, a Buffer and a stream (with progress), list, download, share, delete.
//   npx tsx examples/files.ts
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { connect } from "./_connect.js";

await using session = await connect();
const { client } = session;
const dir = await mkdtemp(join(tmpdir(), "xai-files-example-"));
const uploaded: string[] = [];
try {
  // From a path: read and sent in 3 MiB chunks, never whole in memory.
  const path = join(dir, "notes.txt");
  await writeFile(path, "Meeting notes\n".repeat(400_000)); // about 5.6 MB
  const fromPath = await client.files.upload(path, {
    expiresAfter: 24 * 3600,
    onProgress: ({ bytesSent, totalBytes }) => console.log(`  sent ${bytesSent} of ${totalBytes} bytes`),
  });
  console.log(
    `uploaded ${fromPath.filename} (${fromPath.size} bytes) as ${fromPath.id}, expires ${fromPath.expiresAt?.toISOString()}`,
  );

  // From a Buffer (needs a name) and from a stream.
  const fromBuffer = await client.files.upload(Buffer.from("a,b\n1,2\n"), { filename: "table.csv" });
  const fromStream = await client.files.upload(Readable.from(["streamed ", "text"]), {
    filename: "stream.txt",
  });
  uploaded.push(fromPath.id, fromBuffer.id, fromStream.id);

  // One page, then every file.
  const page = await client.files.list({ limit: 2, order: "desc" });
  console.log(
    `first page: ${page.items.map((f) => f.filename).join(", ")} (more: ${page.nextPageToken !== undefined})`,
  );
  for await (const file of client.files.list({ sortBy: "size", order: "desc" })) {
    console.log(
      `  ${file.filename.padEnd(12)} ${String(file.size).padStart(9)} bytes  ${file.createdAt?.toISOString()}`,
    );
  }

  // Download: whole, or streamed chunk by chunk.
  console.log(`table.csv says: ${(await client.files.content(fromBuffer.id)).toString("utf8").trim()}`);
  let received = 0;
  for await (const chunk of client.files.contentStream(fromPath.id)) received += chunk.length;
  console.log(`streamed back ${received} bytes of notes.txt`);

  // Share with a public URL, then revoke it.
  const link = await client.files.createPublicUrl(fromStream.id, { expiresAfter: 3600 });
  console.log(`public URL ${link.url} until ${link.expiresAt?.toISOString()}`);
  await client.files.revokePublicUrl(fromStream.id);
} finally {
  for (const id of uploaded) await client.files.delete(id);
  console.log(`deleted ${uploaded.length} files`);
  await rm(dir, { recursive: true, force: true });
}
