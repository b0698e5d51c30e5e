// Images: generate one and save it, several at once, one as base64, and an edit of an uploaded image.
//   npx tsx examples/image.ts [output-directory]     (default: a folder in the system temp directory)
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "./_connect.js";

const outDir = process.argv[2] ?? join(tmpdir(), "xai-image-example");
await mkdir(outDir, { recursive: true });
await using session = await connect();
const { client } = session;
const model = "grok-imagine-image";
const extension = (mimeType: string | undefined) => (mimeType === "image/png" ? "png" : "jpg");
const lighthouse = await client.image.sample({
  prompt: "A lighthouse at dusk, oil painting",
  model,
  aspectRatio: "3:2",
});
const saved = await lighthouse.save(join(outDir, `lighthouse.${extension(lighthouse.mimeType)}`));
console.log(`saved ${saved} from ${lighthouse.url} (cost $${lighthouse.costUsd ?? "?"})`);

const logos = await client.image.sampleBatch(3, {
  prompt: "Logo of a bakery, flat design",
  model,
  format: "base64",
});
for (const logo of logos) {
  const path = await logo.save(join(outDir, `logo-${logo.index}.${extension(logo.mimeType)}`));
  console.log(`saved ${path} (${(await logo.bytes()).length} bytes, ${logo.mimeType})`);
}

// Edit: the first logo, uploaded, as the input of a new image, stored in your files with a public URL.
const input = await client.files.upload(await logos[0].bytes(), { filename: "logo.png" });
const edited = await client.image.sample({
  prompt: "The same logo in blue",
  model,
  image: { fileId: input.id },
  storageOptions: { filename: "logo-blue.png", publicUrl: true },
});
console.log(`edited image stored as file ${edited.fileOutput?.fileId}, public URL ${edited.publicUrl}`);
await edited.save(join(outDir, `logo-blue.${extension(edited.mimeType)}`));
await client.files.delete(input.id);
if (edited.fileOutput) await client.files.delete(edited.fileOutput.fileId);
