import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { Collection } from "../src/collections/collection.js";
import { CollectionDocument } from "../src/collections/documents.js";
import {
  chunkConfigurationFromProto,
  chunkConfigurationProto,
  searchRequest,
} from "../src/collections/options.js";
import { PollTimeoutError } from "../src/errors.js";
import {
  DocumentMetadataSchema,
  DocumentStatus as DocumentStatusProto,
} from "../src/gen/xai/api/v1/collections_pb.js";
import {
  Client,
  DocumentIndexingError,
  type DocumentStatus,
  NotFoundError,
  Status,
  XaiError,
  XaiInputError,
} from "../src/index.js";
import { collect } from "./helpers/collect.js";
import { useEmulator, withEmulator } from "./helpers/emulator.js";
import { useTempDir } from "./helpers/temp-dir.js";

describe("collections options (no network)", () => {
  test("a chunk configuration round-trips through the wire shape", () => {
    const tokens = chunkConfigurationProto({
      unit: "tokens",
      maxChunkSize: 512,
      overlap: 64,
      encoding: "cl100k_base",
      stripWhitespace: true,
    });
    assert.equal(tokens.config.case, "tokensConfiguration");
    assert.deepEqual(chunkConfigurationFromProto(tokens), {
      unit: "tokens",
      maxChunkSize: 512,
      overlap: 64,
      encoding: "cl100k_base",
      stripWhitespace: true,
      injectNameIntoChunks: false,
    });
    const bytes = chunkConfigurationProto({ unit: "bytes", maxChunkSize: 100 });
    assert.deepEqual(bytes.config.value, {
      ...bytes.config.value,
      maxChunkSizeBytes: 100,
      chunkOverlapBytes: 0,
    });
  });

  const bad: [string, unknown, RegExp][] = [
    ["no unit", { maxChunkSize: 10 }, /unit must be "chars", "tokens" or "bytes"/],
    ["a zero size", { unit: "chars", maxChunkSize: 0 }, /maxChunkSize must be a whole number of at least 1/],
    [
      "an overlap as large as the chunk",
      { unit: "chars", maxChunkSize: 10, overlap: 10 },
      /overlap \(10\) must be smaller/,
    ],
    ["tokens without an encoding", { unit: "tokens", maxChunkSize: 10 }, /encoding/],
  ];
  for (const [name, value, message] of bad) {
    test(`rejects a chunk configuration with ${name}`, () => {
      assert.throws(
        () => chunkConfigurationProto(value as never),
        (err: unknown) => {
          return err instanceof XaiInputError && message.test(err.message);
        },
      );
    });
  }

  test("search requests carry the collections, limit, instructions and retrieval mode", () => {
    const request = searchRequest("q", {
      collectionIds: ["a", "b"],
      limit: 3,
      instructions: "i",
      retrievalMode: "keyword",
    });
    assert.deepEqual(request.source?.collectionIds, ["a", "b"]);
    assert.equal(request.limit, 3);
    assert.equal(request.instructions, "i");
    assert.equal(request.retrievalMode.case, "keywordRetrieval");
    assert.equal(searchRequest("q", { collectionIds: ["a"] }).retrievalMode.case, undefined);
    assert.throws(() => searchRequest("q", { collectionIds: [] }), /collectionIds must be a non-empty array/);
    assert.throws(
      () => searchRequest("q", { collectionIds: ["a"], retrievalMode: "fuzzy" as never }),
      /retrievalMode must be "hybrid", "semantic" or "keyword"/,
    );
    assert.throws(() => searchRequest("", { collectionIds: ["a"] }), /query must be a non-empty string/);
  });

  test("document states read as words", () => {
    const states: [DocumentStatusProto, DocumentStatus][] = [
      [DocumentStatusProto.PROCESSING, "processing"],
      [DocumentStatusProto.EMBEDDING, "embedding"],
      [DocumentStatusProto.PROCESSED, "processed"],
      [DocumentStatusProto.FAILED, "failed"],
      [DocumentStatusProto.UNKNOWN, "unknown"],
    ];
    for (const [proto, name] of states) {
      assert.equal(new CollectionDocument(create(DocumentMetadataSchema, { status: proto })).status, name);
    }
  });
});

describe("collections against the emulator", () => {
  const env = useEmulator({ processingDelayMs: 300 });
  const tmp = useTempDir("xai-collections-test-");

  test("without a management key: a clear input error, and no call made (not even the upload)", async () => {
    const { managementApiKey: _unused, ...apiOnly } = env.emulator.clientOptions();
    const saved = process.env.XAI_MANAGEMENT_KEY;
    delete process.env.XAI_MANAGEMENT_KEY;
    const noKey = new Client(apiOnly);
    try {
      const before = env.emulator.calls.length;
      // Listings check the key when made (they throw); the other methods reject.
      const attempts: (() => Promise<unknown>)[] = [
        () => noKey.collections.create({ name: "x" }),
        async () => noKey.collections.list(),
        () => noKey.collections.get("c"),
        () => noKey.collections.uploadDocument("c", Buffer.from("text"), { filename: "a.txt" }),
        async () => collect(noKey.collections.listDocuments("c")),
      ];
      for (const attempt of attempts) {
        await assert.rejects(attempt, (err: unknown) => {
          return (
            err instanceof XaiInputError &&
            /management API key/.test(err.message) &&
            /XAI_MANAGEMENT_KEY/.test(err.message)
          );
        });
      }
      assert.equal(env.emulator.calls.length, before, "no RPC at all");
    } finally {
      noKey.close();
      if (saved !== undefined) process.env.XAI_MANAGEMENT_KEY = saved;
    }
  });

  test("create, get, update (name, description, fields, chunking) and delete", async () => {
    const col = await env.client.collections.create({
      name: "handbook",
      description: "Employee handbook",
      chunkConfiguration: { unit: "chars", maxChunkSize: 300, overlap: 30 },
      metricSpace: "cosine",
      fieldDefinitions: [{ key: "team", required: true, injectIntoChunk: true }, { key: "draft" }],
    });
    assert.ok(col instanceof Collection);
    assert.equal(col.name, "handbook");
    assert.equal(col.description, "Employee handbook");
    assert.equal(col.documentCount, 0);
    assert.ok(col.createdAt instanceof Date);
    assert.deepEqual(col.chunkConfiguration, {
      unit: "chars",
      maxChunkSize: 300,
      overlap: 30,
      stripWhitespace: false,
      injectNameIntoChunks: false,
    });
    assert.deepEqual(
      col.fieldDefinitions.map((f) => [f.key, f.required]),
      [
        ["team", true],
        ["draft", false],
      ],
    );
    const createCall = env.emulator.calls.findLast(
      (c) => c.method === "/collections.Collections/CreateCollection",
    );
    assert.equal(
      (createCall?.request as unknown as { metricSpace: number } | undefined)?.metricSpace,
      1,
      "HNSW_METRIC_COSINE",
    );

    const updated = await env.client.collections.update(col.id, {
      name: "handbook 2025",
      description: "Employee handbook, 2025 edition",
      chunkConfiguration: { unit: "bytes", maxChunkSize: 400, overlap: 40, injectNameIntoChunks: true },
      addFields: [{ key: "year", description: "edition year" }],
      removeFields: ["draft"],
    });
    assert.equal(updated.name, "handbook 2025");
    assert.equal(updated.description, "Employee handbook, 2025 edition");
    assert.deepEqual(updated.chunkConfiguration, {
      unit: "bytes",
      maxChunkSize: 400,
      overlap: 40,
      stripWhitespace: false,
      injectNameIntoChunks: true,
    });
    assert.equal(updated.fieldDefinitions.find((f) => f.key === "year")?.description, "edition year");
    assert.deepEqual(
      updated.fieldDefinitions.map((f) => f.key),
      ["team", "year"],
    );
    assert.equal((await env.client.collections.get(col.id)).name, "handbook 2025");
    await assert.rejects(env.client.collections.update(col.id, {}), /at least one change/);

    await env.client.collections.delete(col.id);
    await assert.rejects(env.client.collections.get(col.id), NotFoundError);
  });

  test("uploadDocument (path, Buffer), waiting for indexing; documents listed, fetched, searched", async () => {
    const col = await env.client.collections.create({
      name: "support",
      chunkConfiguration: { unit: "chars", maxChunkSize: 200, overlap: 0 },
      fieldDefinitions: [{ key: "team" }],
    });
    const path = join(tmp.path, "refunds.txt");
    await writeFile(path, "Refunds are paid within fourteen days of the return. Keep the receipt.");
    const statuses: DocumentStatus[] = [];
    const uploaded: number[] = [];
    const refunds = await env.client.collections.uploadDocument(
      col.id,
      path,
      {
        fields: { team: "billing" },
        waitForIndexing: true,
        onUploadProgress: (p) => uploaded.push(p.bytesSent),
      },
      { pollInterval: 10, onProgress: (d) => statuses.push(d.status) },
    );
    assert.equal(refunds.status, "processed");
    assert.equal(refunds.isIndexed, true);
    assert.equal(refunds.name, "refunds.txt");
    assert.deepEqual(refunds.fields, { team: "billing" });
    assert.ok(statuses.length >= 1 && statuses.every((s) => s !== "processed"), "progress while indexing");
    assert.ok(uploaded.length >= 1, "upload progress forwarded");
    assert.ok((refunds.chunkCount ?? 0) >= 1);

    const shipping = await env.client.collections.uploadDocument(
      col.id,
      Buffer.from("Parcels ship on Mondays by courier. Tracking numbers arrive by email."),
      { filename: "shipping.txt" },
    );
    assert.equal(shipping.status, "processing", "returned right after adding when not waiting");
    await env.client.collections.waitForIndexing(col.id, shipping.fileId, { pollInterval: 10 });

    const page = await env.client.collections.listDocuments(col.id, { limit: 1, sortBy: "name" });
    assert.equal(page.items.length, 1);
    assert.equal(page.items[0].name, "refunds.txt");
    assert.ok(page.nextPageToken);
    const all = await collect(env.client.collections.listDocuments(col.id, { limit: 1, order: "desc" }));
    assert.deepEqual(
      all.map((d) => d.name),
      ["shipping.txt", "refunds.txt"],
    );
    const one = await env.client.collections.getDocument(col.id, refunds.fileId);
    assert.equal(one.fileId, refunds.fileId);
    const both = await env.client.collections.getDocuments(col.id, [refunds.fileId, shipping.fileId]);
    assert.deepEqual(both.map((d) => d.name).sort(), ["refunds.txt", "shipping.txt"]);
    assert.equal((await env.client.collections.get(col.id)).documentCount, 2);

    const results = await env.client.collections.search("how fast are refunds paid", {
      collectionIds: [col.id],
      limit: 5,
      retrievalMode: "hybrid",
    });
    assert.ok(results.matches.length >= 1);
    const best = results.matches[0];
    assert.equal(best.fileId, refunds.fileId);
    assert.match(best.content, /Refunds are paid/);
    assert.ok(best.score > 0);
    assert.deepEqual(best.collectionIds, [col.id]);
    const searchCall = env.emulator.calls.findLast((c) => c.method === "/xai_api.Documents/Search");
    assert.ok(searchCall, "Documents.Search on the API port");
    const keyword = await env.client.collections.search("courier tracking", {
      collectionIds: [col.id],
      retrievalMode: "keyword",
    });
    assert.equal(keyword.matches[0]?.fileId, shipping.fileId);
  });

  test("addExistingDocument, updateDocument, reindexDocument, removeDocument, generateDescription", async () => {
    const col = await env.client.collections.create({ name: "notes" });
    const file = await env.client.files.upload(Buffer.from("The meeting moved to Thursday at noon."), {
      filename: "memo.txt",
    });
    await env.client.collections.addExistingDocument(col.id, file.id, { fields: { author: "Ada" } });
    const indexed = await env.client.collections.waitForIndexing(col.id, file.id, { pollInterval: 10 });
    assert.deepEqual(indexed.fields, { author: "Ada" });

    const renamed = await env.client.collections.updateDocument(col.id, file.id, {
      name: "memo-v2.txt",
      data: "The meeting moved to Friday at nine.",
      fields: { reviewed: "yes" },
    });
    assert.equal(renamed.name, "memo-v2.txt");
    assert.equal(renamed.fields.reviewed, "yes");
    await env.client.collections.waitForIndexing(col.id, file.id, { pollInterval: 10 });
    const friday = await env.client.collections.search("friday meeting", { collectionIds: [col.id] });
    assert.match(friday.matches[0]?.content ?? "", /Friday/);
    await assert.rejects(env.client.collections.updateDocument(col.id, file.id, {}), /at least one change/);

    await env.client.collections.reindexDocument(col.id, file.id);
    assert.equal((await env.client.collections.getDocument(col.id, file.id)).status, "processing");
    await env.client.collections.waitForIndexing(col.id, file.id, { pollInterval: 10 });

    const description = await env.client.collections.generateDescription(col.id);
    assert.ok(description.length > 0);

    await env.client.collections.removeDocument(col.id, file.id);
    await assert.rejects(env.client.collections.getDocument(col.id, file.id), NotFoundError);
    assert.equal((await env.client.files.get(file.id)).id, file.id, "the file itself stays");
  });

  test("a document that fails to index rejects with DocumentIndexingError", async () => {
    const col = await env.client.collections.create({ name: "broken" });
    await assert.rejects(
      env.client.collections.uploadDocument(
        col.id,
        Buffer.from("garbled"),
        { filename: "[fail] scan.txt", waitForIndexing: true },
        { pollInterval: 10 },
      ),
      (err: unknown) => {
        assert.ok(err instanceof DocumentIndexingError);
        assert.ok(err instanceof XaiError);
        assert.equal(err.code, Status.FAILED_PRECONDITION);
        assert.equal(err.collectionId, col.id);
        assert.match(err.serverMessage, /could not be parsed/);
        assert.equal(err.document.status, "failed");
        return true;
      },
    );
  });

  test("waiting for indexing longer than the timeout rejects with PollTimeoutError", async () => {
    await withEmulator({ processingDelayMs: 600_000 }, async ({ client: slowClient }) => {
      const col = await slowClient.collections.create({ name: "slow" });
      await assert.rejects(
        slowClient.collections.uploadDocument(
          col.id,
          Buffer.from("words"),
          { filename: "slow.txt", waitForIndexing: true },
          // The budget of the whole operation: the upload and the add take a few ms of it, the wait the rest.
          { pollInterval: 10, timeout: 1_000 },
        ),
        (err: unknown) =>
          err instanceof PollTimeoutError && /indexing of document \S+ in collection/.test(err.what),
      );
    });
  });

  test("list collections (awaited and iterated) with order, sort and pages", async () => {
    for (const name of ["zeta", "alpha", "mid"]) await env.client.collections.create({ name });
    const page = await env.client.collections.list({ limit: 2, sortBy: "name" });
    assert.equal(page.items.length, 2);
    assert.ok(page.nextPageToken);
    const names = (
      await collect(env.client.collections.list({ limit: 2, sortBy: "name", order: "desc" }))
    ).map((c) => c.name);
    assert.deepEqual(
      names,
      [...names].sort((a, b) => b.localeCompare(a)),
    );
    for (const name of ["zeta", "alpha", "mid"]) assert.ok(names.includes(name));
  });

  test("bad input is rejected before any call", async () => {
    const before = env.emulator.calls.length;
    await assert.rejects(env.client.collections.create({ name: "" }), XaiInputError);
    await assert.rejects(
      env.client.collections.create({ name: "x", metricSpace: "manhattan" as never }),
      /metricSpace must be one of/,
    );
    assert.throws(
      () => env.client.collections.list({ order: "up" as never }),
      /order must be one of "asc", "desc"/,
    );
    await assert.rejects(env.client.collections.getDocuments("c", []), /fileIds must be a non-empty array/);
    await assert.rejects(
      env.client.collections.addExistingDocument("c", "f", { fields: { n: 1 as never } }),
      /fields.n must be a string/,
    );
    await assert.rejects(
      env.client.collections.uploadDocument("c", Buffer.from("x"), {
        filename: "x",
        fields: { a: 2 as never },
      }),
      XaiInputError,
    );
    await assert.rejects(env.client.collections.search("q", { collectionIds: "c" as never }), XaiInputError);
    await assert.rejects(
      env.client.collections.waitForIndexing("c", "f", { pollInterval: -5 }),
      /pollInterval/,
    );
    assert.equal(env.emulator.calls.length, before);
  });
});
