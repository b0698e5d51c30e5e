import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createReadStream } from "node:fs";
import { lstat, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { before, describe, test } from "node:test";
import { buildListFilesRequest, uploadMessages } from "../src/files/client.js";
import { rechunk, resolveUpload, UPLOAD_CHUNK_BYTES } from "../src/files/upload-source.js";
import {
  NotFoundError,
  RateLimitError,
  Status,
  type StoredFile,
  type UploadProgress,
  UserAbortError,
  XaiInputError,
} from "../src/index.js";
import { collect } from "./helpers/collect.js";
import { useEmulator } from "./helpers/emulator.js";
import { useTempDir } from "./helpers/temp-dir.js";

const tmp = useTempDir("xai-files-test-");

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
    const missing = join(tmp.path, "nope.bin");
    await assert.rejects(resolveUpload(missing, {}), (err: unknown) => {
      assert.ok(err instanceof XaiInputError);
      assert.match(err.message, /nope\.bin/);
      return true;
    });
  });

  test("a directory is not a file", async () => {
    await assert.rejects(resolveUpload(tmp.path, {}), /not a regular file/);
  });

  test("a path is named by its base name, or by filename when given; size known", async () => {
    const path = join(tmp.path, "hello.txt");
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
    const path = join(tmp.path, "stream.csv");
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

describe("files against the emulator", () => {
  const env = useEmulator();

  function uploadRequests(): { chunk: { case: string; value: unknown } }[] {
    const call = env.emulator.calls.findLast((c) => c.method === "/xai_api.Files/UploadFile");
    return call?.request as never;
  }

  test("upload from a path: streamed in 3 MiB chunks with progress, content round-trips", async () => {
    const path = join(tmp.path, "seven.bin");
    const content = Buffer.alloc(7 * 1024 * 1024);
    for (let i = 0; i < content.length; i += 4096) content[i] = i % 251;
    await writeFile(path, content);
    const progress: UploadProgress[] = [];
    const file = await env.client.files.upload(path, { onProgress: (p) => progress.push(p) });
    assert.equal(file.filename, "seven.bin");
    assert.equal(file.size, content.length);
    assert.ok(file.createdAt instanceof Date);
    assert.equal(file.expiresAt, undefined);
    assert.deepEqual(
      progress.map((p) => [p.bytesSent, p.totalBytes, p.filename]),
      [
        [UPLOAD_CHUNK_BYTES, content.length, "seven.bin"],
        [2 * UPLOAD_CHUNK_BYTES, content.length, "seven.bin"],
        [content.length, content.length, "seven.bin"],
      ],
    );
    const messages = uploadRequests();
    assert.equal(messages.length, 4);
    assert.equal(messages[0].chunk.case, "init");
    assert.deepEqual(await env.client.files.content(file.id), content);
  });

  test("upload from a Buffer, with an expiry", async () => {
    const file = await env.client.files.upload(Buffer.from("hello buffer"), {
      filename: "b.txt",
      expiresAfter: 3600,
    });
    assert.equal(file.size, 12);
    assert.ok(file.expiresAt && file.createdAt);
    assert.equal(Math.round((file.expiresAt.getTime() - file.createdAt.getTime()) / 1000), 3600);
    assert.equal((await env.client.files.content(file.id)).toString(), "hello buffer");
  });

  test("upload from a Node stream and a web stream: progress without a total", async () => {
    const pieces = Array.from({ length: 80 }, (_, i) => Buffer.alloc(64 * 1024, i));
    const progress: UploadProgress[] = [];
    const file = await env.client.files.upload(Readable.from(pieces), {
      filename: "stream.bin",
      onProgress: (p) => progress.push(p),
    });
    assert.equal(file.size, 80 * 64 * 1024);
    assert.deepEqual(
      progress.map((p) => [p.bytesSent, p.totalBytes]),
      [
        [UPLOAD_CHUNK_BYTES, undefined],
        [80 * 64 * 1024, undefined],
      ],
    );
    assert.deepEqual(await env.client.files.content(file.id), Buffer.concat(pieces));

    const web = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("web "));
        controller.enqueue(new TextEncoder().encode("stream"));
        controller.close();
      },
    });
    const fromWeb = await env.client.files.upload(web, { filename: "web.txt" });
    assert.equal((await env.client.files.content(fromWeb.id)).toString(), "web stream");
    const fromBlob = await env.client.files.upload(new File(["blob body"], "blob.txt"));
    assert.equal(fromBlob.filename, "blob.txt");
    assert.equal((await env.client.files.content(fromBlob.id)).toString(), "blob body");
  });

  test("invalid uploads are rejected before any call", async () => {
    const calls = env.emulator.calls.length;
    await assert.rejects(env.client.files.upload(join(tmp.path, "absent.pdf")), /no file at .*absent\.pdf/);
    await assert.rejects(env.client.files.upload(Buffer.from("x")), /needs a file name/);
    await assert.rejects(
      env.client.files.upload(Buffer.from("x"), { filename: "x", expiresAfter: 1.5 }),
      /expiresAfter/,
    );
    await assert.rejects(
      env.client.files.upload(Buffer.from("x"), { filename: "x", onProgress: 1 as never }),
      /onProgress/,
    );
    await assert.rejects(env.client.files.get(""), XaiInputError);
    await assert.rejects(env.client.files.delete(undefined as never), XaiInputError);
    await assert.rejects(env.client.files.createPublicUrl("f", { expiresAfter: -5 }), /expiresAfter/);
    assert.throws(() => env.client.files.list({ sortBy: "date" as never }), /sortBy must be one of/);
    assert.throws(() => env.client.files.list({ limit: -1 }), /limit/);
    assert.throws(() => env.client.files.contentStream("f", { format: "pdf" as never }), /format/);
    await assert.rejects(env.client.files.uploadMany([], { concurrency: 0 }), /concurrency/);
    assert.equal(env.emulator.calls.length, calls);
  });

  test("a server failure during upload is a typed error; an abort cancels the upload", async () => {
    env.emulator.faults.failNext("Files/UploadFile", 1, Status.RESOURCE_EXHAUSTED, "quota");
    await assert.rejects(env.client.files.upload(Buffer.from("x"), { filename: "x.txt" }), RateLimitError);
    const controller = new AbortController();
    const big = Buffer.alloc(4 * UPLOAD_CHUNK_BYTES);
    await assert.rejects(
      env.client.files.upload(
        big,
        { filename: "big.bin", onProgress: () => controller.abort() },
        { signal: controller.signal },
      ),
      UserAbortError,
    );
  });

  test("uploadMany: per-file results in input order, a bad entry does not stop the others", async () => {
    const completed: number[] = [];
    const results = await env.client.files.uploadMany(
      [
        Buffer.from("one"),
        { source: Buffer.from("two"), filename: "two.txt" },
        join(tmp.path, "missing.txt"),
      ],
      { concurrency: 2, onFileComplete: (i) => completed.push(i) },
    );
    assert.equal(results.length, 3);
    assert.equal(results[0].status, "rejected"); // bytes without a filename
    assert.ok(results[0].status === "rejected" && results[0].reason instanceof XaiInputError);
    assert.ok(results[1].status === "fulfilled" && results[1].value.filename === "two.txt");
    assert.ok(results[2].status === "rejected" && /missing\.txt/.test(String(results[2].reason)));
    assert.deepEqual(completed.sort(), [0, 1, 2]);
  });

  describe("listing", () => {
    const names = ["f-a.txt", "f-b.txt", "f-c.txt", "f-d.txt", "f-e.txt", "f-f.txt", "f-g.txt"];
    const ids: string[] = [];
    before(async () => {
      env.emulator.reset();
      for (const [i, name] of names.entries()) {
        ids.push((await env.client.files.upload(Buffer.alloc(10 + i), { filename: name })).id);
      }
    });

    test("a paginated listing walked page by page to the end", async () => {
      const seen: string[] = [];
      const sizes: number[] = [];
      let page = await env.client.files.list({ limit: 3 });
      for (;;) {
        sizes.push(page.items.length);
        seen.push(...page.items.map((f) => f.id));
        assert.equal(page.proto.$typeName, "xai_api.ListFilesResponse");
        assert.equal(page.proto.data.length, page.items.length);
        if (!page.nextPageToken) break;
        page = await env.client.files.list({ limit: 3, paginationToken: page.nextPageToken });
      }
      assert.deepEqual(sizes, [3, 3, 1]);
      assert.deepEqual(seen.sort(), [...ids].sort());
    });

    test("list iterated with for await yields every file in the requested order", async () => {
      const bySizeDesc: StoredFile[] = [];
      for await (const file of env.client.files.list({ limit: 2, sortBy: "size", order: "desc" }))
        bySizeDesc.push(file);
      assert.deepEqual(
        bySizeDesc.map((f) => f.filename),
        [...names].reverse(),
      );
      const byName: string[] = [];
      for await (const file of env.client.files.list({ sortBy: "filename" })) byName.push(file.filename);
      assert.deepEqual(byName, names);
      const listCalls = env.emulator.calls.filter((c) => c.method === "/xai_api.Files/ListFiles");
      assert.ok(listCalls.length >= 4 + 1);
    });

    test("a filter reaches the server", async () => {
      const page = await env.client.files.list({ filter: "size>=14" });
      assert.deepEqual(page.items.map((f) => f.filename).sort(), ["f-e.txt", "f-f.txt", "f-g.txt"]);
      const request = env.emulator.calls.at(-1)?.request as unknown as { filter?: string } | undefined;
      assert.equal(request?.filter, "size>=14");
    });
  });

  test("get, content in chunks, saveContent, delete", async () => {
    const content = Buffer.alloc(2 * 1024 * 1024 + 500, 9);
    const file = await env.client.files.upload(content, { filename: "data.bin" });
    assert.equal((await env.client.files.get(file.id)).filename, "data.bin");
    const chunks: Uint8Array[] = [];
    for await (const chunk of env.client.files.contentStream(file.id)) chunks.push(chunk);
    assert.ok(chunks.length > 1, "streamed in several chunks");
    assert.deepEqual(Buffer.concat(chunks), content);
    // leaving the loop early cancels the download
    for await (const _ of env.client.files.contentStream(file.id)) break;
    const target = join(tmp.path, "saved.bin");
    await env.client.files.saveContent(file.id, target);
    assert.deepEqual(await readFile(target), content);
    const deleted = await env.client.files.delete(file.id);
    assert.equal(deleted.id, file.id);
    assert.equal(deleted.deleted, true);
    await assert.rejects(env.client.files.get(file.id), NotFoundError);
    await assert.rejects(env.client.files.content(file.id), NotFoundError);
    await assert.rejects(env.client.files.saveContent(file.id, join(tmp.path, "never.bin")), NotFoundError);
    await assert.rejects(readFile(join(tmp.path, "never.bin")), /ENOENT/);
  });

  test("saveContent writes through a symbolic link and refuses special files before any call", async () => {
    const file = await env.client.files.upload(Buffer.from("through the link"), { filename: "l.txt" });
    const real = join(tmp.path, "real.txt");
    await writeFile(real, "old");
    const link = join(tmp.path, "link.txt");
    await symlink(real, link);
    const chained = join(tmp.path, "chained.txt");
    await symlink("link.txt", chained); // relative, through another link
    await env.client.files.saveContent(file.id, chained);
    assert.ok((await lstat(link)).isSymbolicLink(), "the link stays a link");
    assert.ok((await lstat(chained)).isSymbolicLink(), "the chained link stays a link");
    assert.equal(await readFile(real, "utf8"), "through the link");
    const dangling = join(tmp.path, "dangling.txt");
    await symlink("created-by-save.txt", dangling);
    await env.client.files.saveContent(file.id, dangling);
    assert.equal(await readFile(join(tmp.path, "created-by-save.txt"), "utf8"), "through the link");

    const fifo = join(tmp.path, "pipe");
    execFileSync("mkfifo", [fifo]);
    const linkToFifo = join(tmp.path, "to-pipe");
    await symlink(fifo, linkToFifo);
    const calls = env.emulator.calls.length;
    for (const [path, kind] of [
      [fifo, "a FIFO"],
      [linkToFifo, "a FIFO"],
      ["/dev/null", "a device"],
      [tmp.path, "a directory"],
    ] as const) {
      await assert.rejects(env.client.files.saveContent(file.id, path), (err: Error) => {
        assert.ok(err instanceof XaiInputError, String(err));
        assert.match(err.message, new RegExp(`is ${kind}[^:]*: a save never replaces one`));
        return true;
      });
    }
    assert.ok((await lstat(fifo)).isFIFO(), "the FIFO is still a FIFO");
    assert.equal(env.emulator.calls.length, calls, "no call was made for a refused destination");
  });

  test("public URLs: created, fetchable, revoked", async () => {
    const file = await env.client.files.upload(Buffer.from("public bytes"), { filename: "pub.txt" });
    const link = await env.client.files.createPublicUrl(file.id, { expiresAfter: 600 });
    assert.match(link.url, /^http:\/\/127\.0\.0\.1:/);
    assert.ok(link.expiresAt instanceof Date);
    assert.equal(await (await fetch(link.url)).text(), "public bytes");
    assert.equal((await env.client.files.get(file.id)).publicUrl, link.url);
    const revoked = await env.client.files.revokePublicUrl(file.id);
    assert.equal(revoked.fileId, file.id);
    assert.equal(revoked.revoked, true);
    assert.equal(revoked.publicUrl, link.url);
    assert.equal((await fetch(link.url)).status, 404);
    assert.equal((await env.client.files.get(file.id)).publicUrl, undefined);
  });
});
