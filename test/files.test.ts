import assert from "node:assert/strict";
import { createReadStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { buildListFilesRequest, uploadMessages } from "../src/files/client.js";
import { rechunk, resolveUpload, UPLOAD_CHUNK_BYTES } from "../src/files/upload-source.js";
import { XaiInputError } from "../src/index.js";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "xai-files-test-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("rechunk", () => {
  test("regroups small and large pieces into fixed-size chunks, the last one shorter", async () => {
    const pieces = [new Uint8Array(5).fill(1), new Uint8Array(2).fill(2), new Uint8Array(10).fill(3)];
    const chunks = await collect(rechunk(pieces, 4));
    assert.deepEqual(
      chunks.map((c) => c.length),
      [4, 4, 4, 4, 1],
    );
    assert.deepEqual(Buffer.concat(chunks), Buffer.concat(pieces));
  });

  test("yields nothing for an empty source", async () => {
    assert.equal((await collect(rechunk([], 4))).length, 0);
  });
});

describe("upload sources", () => {
  test("a missing path is an input error naming the path", async () => {
    const missing = join(dir, "nope.bin");
    await assert.rejects(resolveUpload(missing, {}), (err: unknown) => {
      assert.ok(err instanceof XaiInputError);
      assert.match(err.message, /nope\.bin/);
      return true;
    });
  });

  test("a directory is not a file", async () => {
    await assert.rejects(resolveUpload(dir, {}), /not a regular file/);
  });

  test("a path is named by its base name, or by filename when given; size known", async () => {
    const path = join(dir, "hello.txt");
    await writeFile(path, "hello");
    const plain = await resolveUpload(path, {});
    assert.equal(plain.filename, "hello.txt");
    assert.equal(plain.totalBytes, 5);
    assert.equal((await resolveUpload(path, { filename: "renamed.md" })).filename, "renamed.md");
    assert.equal((await resolveUpload(new URL(`file://${path}`), {})).filename, "hello.txt");
  });

  test("bytes and anonymous streams need a filename; mimeType adds a missing extension", async () => {
    await assert.rejects(resolveUpload(Buffer.from("x"), {}), /filename/);
    await assert.rejects(resolveUpload(Readable.from([Buffer.from("x")]), {}), /filename/);
    const named = await resolveUpload(Buffer.from("x"), { filename: "report", mimeType: "application/pdf" });
    assert.equal(named.filename, "report.pdf");
    const kept = await resolveUpload(Buffer.from("x"), { filename: "a.txt", mimeType: "application/pdf" });
    assert.equal(kept.filename, "a.txt");
    await assert.rejects(
      resolveUpload(Buffer.from("x"), { filename: "a", mimeType: "pdf" }),
      /type\/subtype/,
    );
  });

  test("a file stream takes its path's name; a File its name; a Blob its type's extension", async () => {
    const path = join(dir, "stream.csv");
    await writeFile(path, "a,b\n");
    assert.equal((await resolveUpload(createReadStream(path), {})).filename, "stream.csv");
    assert.equal((await resolveUpload(new File(["x"], "doc.txt"), {})).filename, "doc.txt");
    const blob = await resolveUpload(new Blob(["x"], { type: "image/png" }), { filename: "pic" });
    assert.equal(blob.filename, "pic.png");
    assert.equal(blob.totalBytes, 1);
  });

  test("unsupported values are rejected with the list of accepted kinds", async () => {
    await assert.rejects(resolveUpload(42 as never, {}), /pass a path, a Buffer/);
    await assert.rejects(resolveUpload({} as never, {}), /cannot upload/);
  });
});

describe("upload messages", () => {
  test("init first, then 3 MiB data chunks with progress after each", async () => {
    const size = 2 * UPLOAD_CHUNK_BYTES + 123;
    const bytes = Buffer.alloc(size, 7);
    const upload = await resolveUpload(bytes, { filename: "big.bin" });
    const progress: number[] = [];
    const messages = await collect(uploadMessages(upload, 3600, (p) => progress.push(p.bytesSent)));
    assert.equal(messages.length, 4);
    assert.deepEqual(messages[0].chunk, { case: "init", value: { name: "big.bin", expiresAfter: 3600n } });
    const sizes = messages.slice(1).map((m) => (m.chunk?.value as Uint8Array | undefined)?.length ?? 0);
    assert.deepEqual(sizes, [UPLOAD_CHUNK_BYTES, UPLOAD_CHUNK_BYTES, 123]);
    assert.deepEqual(progress, [UPLOAD_CHUNK_BYTES, 2 * UPLOAD_CHUNK_BYTES, size]);
  });

  test("empty content gives only the init message", async () => {
    const upload = await resolveUpload(new Uint8Array(0), { filename: "empty.txt" });
    const messages = await collect(uploadMessages(upload, undefined, undefined));
    assert.equal(messages.length, 1);
    assert.deepEqual(messages[0].chunk, { case: "init", value: { name: "empty.txt" } });
  });

  test("a stream of small pieces is regrouped into full chunks", async () => {
    const piece = Buffer.alloc(64 * 1024, 1);
    const count = Math.ceil((UPLOAD_CHUNK_BYTES * 1.5) / piece.length);
    const stream = Readable.from(Array.from({ length: count }, () => piece));
    const upload = await resolveUpload(stream, { filename: "s.bin" });
    assert.equal(upload.totalBytes, undefined);
    const messages = await collect(uploadMessages(upload, undefined, undefined));
    const sizes = messages.slice(1).map((m) => (m.chunk?.value as Uint8Array | undefined)?.length ?? 0);
    assert.equal(sizes[0], UPLOAD_CHUNK_BYTES);
    assert.equal(
      sizes.reduce((a, b) => a + b, 0),
      count * piece.length,
    );
  });
});

describe("list request", () => {
  test("maps order, sort and filter; leaves unset fields out", () => {
    assert.deepEqual(buildListFilesRequest({}), {});
    assert.deepEqual(buildListFilesRequest({ limit: 5, order: "desc", sortBy: "size", filter: "" }), {
      limit: 5,
      order: 1,
      sortBy: 2,
    });
    assert.throws(
      () => buildListFilesRequest({ order: "down" as never }),
      /order must be one of "asc", "desc"/,
    );
    assert.throws(() => buildListFilesRequest({ limit: 0 }), /limit/);
  });
});
