// Every listing is one method returning a PagePromise: awaited, the first page (one call); iterated with
// for await, every item of every page (one call per page). Parameters are checked when the listing is made,
// before any call, with one limit message. Against the emulator, over real gRPC.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Message } from "@bufbuild/protobuf";
import { PagePromise } from "../src/core/paginate.js";
import { Files, type ListFilesResponse } from "../src/gen/xai/api/v1/files_pb.js";
import {
  attachmentSearch,
  type CallOptions,
  type Client,
  collectionsSearch,
  NotFoundError,
  type Page,
  type StoredFile,
  UserAbortError,
  user,
  XaiInputError,
} from "../src/index.js";
import { type EmulatorContext, register } from "../src/testing/index.js";
import { filesService } from "../src/testing/services/files.js";
import { collect } from "./helpers/collect.js";
import { useEmulator, withEmulator } from "./helpers/emulator.js";

/** How many items each listing is given: more than two pages of LIMIT. */
const COUNT = 5;
const LIMIT = 2;

type ListParams = { limit?: number; paginationToken?: string };
type Listing = (params?: ListParams, options?: CallOptions) => PagePromise<unknown, Message>;

/** A listing of its own, the method it calls and how to make COUNT items for it. */
const listings: [name: string, method: string, setup: (client: Client) => Promise<Listing>][] = [
  [
    "files.list",
    "/xai_api.Files/ListFiles",
    async (client) => {
      for (let i = 0; i < COUNT; i++)
        await client.files.upload(Buffer.from(`file ${i}`), { filename: `f${i}.txt` });
      return (params, options) => client.files.list(params, options);
    },
  ],
  [
    "batch.list",
    "/xai_api.BatchMgmt/ListBatches",
    async (client) => {
      for (let i = 0; i < COUNT; i++) await client.batch.create(`b${i}`);
      return (params, options) => client.batch.list(params, options);
    },
  ],
  [
    "batch.listRequestMetadata",
    "/xai_api.BatchMgmt/ListBatchRequestMetadata",
    async (client) => {
      const id = await batchOfChats(client);
      return (params, options) => client.batch.listRequestMetadata(id, params, options);
    },
  ],
  [
    "batch.listResults",
    "/xai_api.BatchMgmt/ListBatchResults",
    async (client) => {
      const id = await batchOfChats(client);
      return (params, options) => client.batch.listResults(id, params, options);
    },
  ],
  [
    "collections.list",
    "/collections.Collections/ListCollections",
    async (client) => {
      for (let i = 0; i < COUNT; i++) await client.collections.create({ name: `c${i}` });
      return (params, options) => client.collections.list(params, options);
    },
  ],
  [
    "collections.listDocuments",
    "/collections.Collections/ListDocuments",
    async (client) => {
      const col = await client.collections.create({ name: "docs" });
      for (let i = 0; i < COUNT; i++) {
        await client.collections.uploadDocument(col.id, Buffer.from(`doc ${i}`), { filename: `d${i}.txt` });
      }
      return (params, options) => client.collections.listDocuments(col.id, params, options);
    },
  ],
];

async function batchOfChats(client: Client): Promise<string> {
  const batch = await client.batch.create("chats");
  await client.batch.add(
    batch.id,
    Array.from({ length: COUNT }, (_, i) =>
      client.chat.create({ model: "grok-3", messages: [user(`q${i}`)], batchRequestId: `r${i}` }),
    ),
  );
  await client.batch.waitUntilDone(batch.id, { pollInterval: 5 });
  return batch.id;
}

/** The identity of an item of any listing. */
function key(item: unknown): string {
  const { id, fileId } = item as { id?: string; fileId?: string };
  return String(fileId ?? id);
}

describe("a listing is a PagePromise: await gives one page, for await walks every page", () => {
  const env = useEmulator({ resetBeforeEach: true });
  const callsTo = (method: string, since: number) =>
    env.emulator.calls.slice(since).filter((c) => c.method === method);

  for (const [name, method, setup] of listings) {
    test(name, async () => {
      const list = await setup(env.client);

      // Made but not awaited: no call.
      let before = env.emulator.calls.length;
      const listing = list({ limit: LIMIT });
      assert.ok(listing instanceof PagePromise);
      assert.equal(env.emulator.calls.length, before, "no call until awaited or iterated");

      // Awaited: the first page of LIMIT items and a token, in exactly one call.
      const page = await listing;
      assert.equal(callsTo(method, before).length, 1, "one call per await");
      assert.equal(page.items.length, LIMIT);
      assert.ok(page.nextPageToken, "a token for the next page");
      assert.match(page.proto.$typeName, /\.List\w+Response$/);

      // Awaited again: a call of its own. Starting at the token: the next page.
      before = env.emulator.calls.length;
      assert.deepEqual((await listing).items.map(key), page.items.map(key));
      assert.equal(callsTo(method, before).length, 1, "each await makes its own call");
      const second = await list({ limit: LIMIT, paginationToken: page.nextPageToken });
      assert.equal(second.items.length, LIMIT);
      assert.equal(new Set([...page.items, ...second.items].map(key)).size, 2 * LIMIT, "another page");

      // Iterated: every item of every page, LIMIT per call.
      before = env.emulator.calls.length;
      const all = await collect(listing);
      assert.equal(all.length, COUNT);
      assert.equal(new Set(all.map(key)).size, COUNT, "no item twice");
      const calls = callsTo(method, before);
      assert.equal(calls.length, Math.ceil(COUNT / LIMIT), "one call per page");
      for (const call of calls) assert.equal((call.request as unknown as { limit: number }).limit, LIMIT);

      // Iterated from a token: the items from that page on.
      const rest = await collect(list({ limit: LIMIT, paginationToken: page.nextPageToken }));
      assert.deepEqual(rest.map(key), all.slice(LIMIT).map(key));

      // The per-call options go on every page's call.
      before = env.emulator.calls.length;
      await collect(list({ limit: LIMIT }, { metadata: { "x-list": name } }));
      for (const call of callsTo(method, before)) assert.equal(call.headers["x-list"], name);
    });
  }

  test("then, catch and finally behave as a Promise's", async () => {
    await env.client.files.upload(Buffer.from("x"), { filename: "x.txt" });
    const count = await env.client.files.list().then((page) => page.items.length);
    assert.equal(count, 1);
    let settled = false;
    const page = await env.client.files.list().finally(() => {
      settled = true;
    });
    assert.ok(settled);
    assert.equal(page.items.length, 1);
    const missing = await env.client.batch.listResults("batch_missing").catch((err: unknown) => err);
    assert.ok(missing instanceof NotFoundError, `expected NotFoundError, got ${String(missing)}`);
    const aborted = await env.client.files.list({}, { signal: AbortSignal.abort("no") }).then(
      () => "resolved",
      (err: unknown) => err,
    );
    assert.ok(aborted instanceof UserAbortError);
    // Typed: the page's items and proto are those of the listing.
    const typed: Page<StoredFile, ListFilesResponse> = await env.client.files.list({ limit: 1 });
    assert.equal(typed.proto.$typeName, "xai_api.ListFilesResponse");
    assert.equal(String(env.client.files.list()), "[object PagePromise]");
  });
});

describe("listing parameters are checked when the listing is made, before any call", () => {
  const env = useEmulator();
  const LIMIT_MESSAGE = /limit must be a whole number from 1 to 2147483647, got .*; leave it out/;

  test("a bad limit: one XaiInputError message for every listing, searches and search tools included", () => {
    const client = env.client;
    const before = env.emulator.calls.length;
    const withLimit: [string, (limit: number) => unknown][] = [
      ["files.list", (limit) => client.files.list({ limit })],
      ["batch.list", (limit) => client.batch.list({ limit })],
      ["batch.listRequestMetadata", (limit) => client.batch.listRequestMetadata("b", { limit })],
      ["batch.listResults", (limit) => client.batch.listResults("b", { limit })],
      ["collections.list", (limit) => client.collections.list({ limit })],
      ["collections.listDocuments", (limit) => client.collections.listDocuments("c", { limit })],
      ["collectionsSearch()", (limit) => collectionsSearch(["c"], { limit })],
      ["attachmentSearch()", (limit) => attachmentSearch({ limit })],
    ];
    for (const [name, make] of withLimit) {
      for (const limit of [0, -1, 1.5, 2 ** 31, "10" as never]) {
        assert.throws(
          () => make(limit),
          (err: unknown) => err instanceof XaiInputError && LIMIT_MESSAGE.test(err.message),
          `${name} with limit ${String(limit)}`,
        );
      }
    }
    assert.equal(env.emulator.calls.length, before, "no call reached the emulator");
  });

  test("collections.search checks its limit the same way (before any call)", async () => {
    const before = env.emulator.calls.length;
    await assert.rejects(
      env.client.collections.search("q", { collectionIds: ["c"], limit: 0 }),
      (err: unknown) => err instanceof XaiInputError && LIMIT_MESSAGE.test(err.message),
    );
    assert.equal(env.emulator.calls.length, before);
  });

  test("other bad parameters throw at once too, for await and for-await alike", () => {
    const before = env.emulator.calls.length;
    assert.throws(() => env.client.files.list({ order: "up" as never }), /order must be one of/);
    assert.throws(() => env.client.files.list({ paginationToken: 7 as never }), /paginationToken/);
    assert.throws(() => env.client.batch.list({ paginationToken: 7 as never }), /paginationToken/);
    assert.throws(() => env.client.batch.listResults(""), /batchId/);
    assert.throws(
      () => env.client.batch.listRequestMetadata("b", { status: "done" as never }),
      /status must be/,
    );
    assert.throws(() => env.client.collections.list({ sortBy: "size" as never }), /sortBy must be one of/);
    assert.throws(() => env.client.collections.listDocuments("", {}), /collectionId/);
    assert.equal(env.emulator.calls.length, before, "no call reached the emulator");
  });
});

test("iteration stops when a page repeats the token it was asked with (no endless loop)", async () => {
  const stuck = (ctx: EmulatorContext) =>
    register(Files, {
      ...(filesService(ctx).impl as unknown as Parameters<typeof register<typeof Files>>[1]),
      listFiles: (request) => ({
        data: [{ id: `file-${request.paginationToken ?? "first"}`, filename: "a.txt", size: 1n }],
        paginationToken: "same-token",
      }),
    });
  await withEmulator({ services: [stuck] }, async ({ client, emulator }) => {
    const files = await collect(client.files.list({ limit: 1 }));
    assert.deepEqual(
      files.map((f) => f.id),
      ["file-first", "file-same-token"],
    );
    assert.equal(emulator.calls.filter((c) => c.method === "/xai_api.Files/ListFiles").length, 2);
  });
});
