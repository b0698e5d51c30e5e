import { randomUUID } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { checkLimit, requireText } from "../core/check.js";
import { PagePromise, pageOf } from "../core/paginate.js";
import { poll, type WaitOptions } from "../core/poll.js";
import type {
  ListBatchesResponse,
  ListBatchRequestMetadataResponse,
  ListBatchResultsResponse,
} from "../gen/xai/api/v1/batch_pb.js";
import { BatchMgmt, BatchResultSchema } from "../gen/xai/api/v1/batch_pb.js";
import { XaiInputError } from "../transport/errors.js";
import type { CallOptions } from "../transport/options.js";
import type { Transport } from "../transport/transport.js";
import { Batch, BatchRequestInfo, type BatchRequestState, REQUEST_STATES } from "./batch.js";
import { type BatchItem, toBatchRequest } from "./requests.js";
import { type BatchResult, wrapBatchResult } from "./result.js";

/**
 * Default interval between polls of `waitUntilDone`: 5 s.
 *
 * @example
 * ```ts
 * await client.batch.waitUntilDone(batchId, { pollInterval: 6 * DEFAULT_BATCH_POLL_INTERVAL_MS });
 * ```
 */
export const DEFAULT_BATCH_POLL_INTERVAL_MS = 5_000;
/**
 * Default time `waitUntilDone` waits: 24 hours (batches are processed within a day).
 *
 * @example
 * ```ts
 * await client.batch.waitUntilDone(batchId, { timeout: DEFAULT_BATCH_TIMEOUT_MS / 24 });
 * ```
 */
export const DEFAULT_BATCH_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/**
 * Options of `client.batch.create`.
 *
 * @example
 * ```ts
 * const batch = await client.batch.create({ name: "nightly-eval" });
 * ```
 */
export interface CreateBatchOptions {
  /** A name for the batch. */
  name: string;
  /** Read the batch's requests from this uploaded JSONL file instead of adding them with `add`. */
  inputFileId?: string;
}

/**
 * Paging options of the batch listings.
 *
 * @example
 * ```ts
 * const page = await client.batch.list({ limit: 10 });
 * const next = await client.batch.list({ limit: 10, paginationToken: page.nextPageToken });
 * ```
 */
export interface BatchListOptions {
  /** Items per page (per call); the server's default when omitted. */
  limit?: number;
  /** Start at this page: the `nextPageToken` of a previous page. */
  paginationToken?: string;
}

/**
 * Options of `listRequestMetadata`: paging, and only requests in these states.
 *
 * @example
 * ```ts
 * const failed = await client.batch.listRequestMetadata(batchId, { status: ["failed", "cancelled"] });
 * ```
 */
export interface RequestMetadataListOptions extends BatchListOptions {
  /** Only requests in this state (or these states). */
  status?: Exclude<BatchRequestState, "unknown"> | Exclude<BatchRequestState, "unknown">[];
}

function paging(params: BatchListOptions | undefined): {
  limit: number;
  paginationToken: string | undefined;
} {
  if (params !== undefined && (typeof params !== "object" || params === null)) {
    throw new XaiInputError("list options must be an object like { limit: 50 }");
  }
  const limit = checkLimit(params?.limit);
  const token = params?.paginationToken;
  if (token !== undefined && typeof token !== "string") {
    throw new XaiInputError("paginationToken must be the string `nextPageToken` of the previous page");
  }
  return { limit: limit ?? 0, paginationToken: token || undefined };
}

/**
 * Batch jobs (BatchMgmt service): many chat, image and video requests processed asynchronously at a lower
 * price. Reached as `client.batch`.
 *
 * @example
 * ```ts
 * const batch = await client.batch.create({ name: "captions" });
 * await client.batch.add(batch.id, [
 *   client.chat.create({ model: "grok-4", messages: [user("Caption: a red fox")], batchRequestId: "fox" }),
 *   client.image.prepare({ prompt: "a red fox", model: "grok-2-image" }, { batchRequestId: "fox-image" }),
 * ]);
 * await client.batch.waitUntilDone(batch.id, { onProgress: (b) => console.log(b.counts) });
 * for await (const result of client.batch.listResults(batch.id)) console.log(result.id, result.kind);
 * ```
 */
export class BatchClient {
  /** @internal */
  constructor(protected readonly transport: Transport) {}

  /**
   * Creates a batch (empty unless `inputFileId` is given); add requests with {@link BatchClient.add}.
   *
   * @example
   * ```ts
   * const batch = await client.batch.create({ name: "eval-2025-06" });
   * const fromFile = await client.batch.create({ name: "bulk", inputFileId: jsonl.id });
   * ```
   */
  async create(params: CreateBatchOptions | string, options?: CallOptions): Promise<Batch> {
    const request = typeof params === "string" ? { name: params } : params;
    if (typeof request !== "object" || request === null) {
      throw new XaiInputError(
        'create takes { name } (and optionally inputFileId), e.g. create({ name: "eval" })',
      );
    }
    const name = requireText(request.name, "name");
    const inputFileId =
      request.inputFileId === undefined ? "" : requireText(request.inputFileId, "inputFileId");
    return new Batch(
      await this.transport.api.unary(BatchMgmt.method.createBatch, { name, inputFileId }, options),
    );
  }

  /**
   * Adds requests to a batch: chats, prepared image and video requests, optionally wrapped as
   * `{ batchRequestId, request }` to name them. All are checked before the call. A request without an id gets
   * a random UUID as its `batchRequestId` (results carry it back), so that an add sent twice (e.g. retried with
   * `retry: { methods: "all" }`) is refused rather than queued twice.
   *
   * @example
   * ```ts
   * await client.batch.add(batch.id, [
   *   chat,                                          // a Chat from client.chat.create()
   *   client.image.prepare({ prompt: "a fox", model: "grok-2-image" }),
   *   { batchRequestId: "q-42", request: otherChat },
   * ]);
   * ```
   */
  async add(batchId: string, requests: readonly BatchItem[], options?: CallOptions): Promise<void> {
    const id = requireText(batchId, "batchId");
    if (!Array.isArray(requests) || requests.length === 0) {
      throw new XaiInputError(
        "add needs a non-empty array of requests (chats, prepared image or video requests)",
      );
    }
    const batchRequests = requests.map((item, i) => {
      const entry = toBatchRequest(item, i);
      // An id of our own makes a repeated add detectable (the server refuses a second request with the same id).
      if (!entry.batchRequestId) entry.batchRequestId = randomUUID();
      return entry;
    });
    await this.transport.api.unary(
      BatchMgmt.method.addBatchRequests,
      { batchId: id, batchRequests },
      options,
    );
  }

  /**
   * Gets a batch with its current counts and cost.
   *
   * @example
   * ```ts
   * const batch = await client.batch.get(batchId);
   * ```
   */
  async get(batchId: string, options?: CallOptions): Promise<Batch> {
    const id = requireText(batchId, "batchId");
    return new Batch(await this.transport.api.unary(BatchMgmt.method.getBatch, { batchId: id }, options));
  }

  /**
   * Cancels a batch: requests not processed yet are cancelled; results already produced stay available.
   *
   * @example
   * ```ts
   * const batch = await client.batch.cancel(batchId);
   * console.log(batch.counts.cancelled);
   * ```
   */
  async cancel(batchId: string, options?: CallOptions): Promise<Batch> {
    const id = requireText(batchId, "batchId");
    return new Batch(await this.transport.api.unary(BatchMgmt.method.cancelBatch, { batchId: id }, options));
  }

  /**
   * Your batches: awaited, one page (`limit` batches at most, from `paginationToken`); iterated with
   * `for await`, every batch from there, page after page. Parameters are checked at once; each await or loop
   * makes its own calls (see {@link PagePromise}).
   *
   * @example
   * ```ts
   * const { items, nextPageToken } = await client.batch.list({ limit: 20 });
   * for await (const batch of client.batch.list({ limit: 100 })) console.log(batch.name, batch.counts.pending);
   * ```
   */
  list(params?: BatchListOptions, options?: CallOptions): PagePromise<Batch, ListBatchesResponse> {
    const { limit, paginationToken } = paging(params);
    const api = this.transport.api;
    return new PagePromise(async (pageToken) => {
      const response = await api.unary(
        BatchMgmt.method.listBatches,
        { limit, paginationToken: pageToken },
        options,
      );
      return pageOf(response, response.batches, (b) => new Batch(b));
    }, paginationToken);
  }

  /**
   * The metadata (state, model, dates) of a batch's requests, optionally only in some states: awaited, one
   * page; iterated with `for await`, every request's, page after page (see {@link BatchClient.list}).
   *
   * @example
   * ```ts
   * const page = await client.batch.listRequestMetadata(batchId, { status: "pending", limit: 100 });
   * for await (const info of client.batch.listRequestMetadata(batchId, { status: "failed" })) console.log(info.id);
   * ```
   */
  listRequestMetadata(
    batchId: string,
    params?: RequestMetadataListOptions,
    options?: CallOptions,
  ): PagePromise<BatchRequestInfo, ListBatchRequestMetadataResponse> {
    const id = requireText(batchId, "batchId");
    const raw = params?.status;
    const statuses = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    const status = statuses.map((s) => {
      if (typeof s !== "string" || !Object.hasOwn(REQUEST_STATES(), s)) {
        throw new XaiInputError(
          `status must be "pending", "succeeded", "cancelled" or "failed" (or an array of them), got ${JSON.stringify(s)}`,
        );
      }
      return REQUEST_STATES()[s];
    });
    const { limit, paginationToken } = paging(params);
    const api = this.transport.api;
    return new PagePromise(async (pageToken) => {
      const response = await api.unary(
        BatchMgmt.method.listBatchRequestMetadata,
        { batchId: id, status, limit, paginationToken: pageToken },
        options,
      );
      return pageOf(response, response.batchRequestMetadata, (m) => new BatchRequestInfo(m));
    }, paginationToken);
  }

  /**
   * A batch's results (finished requests only): awaited, one page; iterated with `for await`, every result,
   * page after page (see {@link BatchClient.list}).
   *
   * @example
   * ```ts
   * const page = await client.batch.listResults(batchId, { limit: 100 });
   * const failures = page.items.filter((r) => !r.succeeded);
   * for await (const result of client.batch.listResults(batchId)) if (result.kind === "chat") console.log(result.response.content);
   * ```
   */
  listResults(
    batchId: string,
    params?: BatchListOptions,
    options?: CallOptions,
  ): PagePromise<BatchResult, ListBatchResultsResponse> {
    const id = requireText(batchId, "batchId");
    const { limit, paginationToken } = paging(params);
    const api = this.transport.api;
    return new PagePromise(async (pageToken) => {
      const response = await api.unary(
        BatchMgmt.method.listBatchResults,
        { batchId: id, limit, paginationToken: pageToken },
        options,
      );
      return pageOf(response, response.results, (r) => wrapBatchResult(r));
    }, paginationToken);
  }

  /**
   * The result of one request, by its id, with the request itself in `result.request`.
   * Rejects with `NotFoundError` for an unknown id.
   *
   * @example
   * ```ts
   * const result = await client.batch.getResult(batchId, "fox");
   * if (result.kind === "chat") console.log(result.response.content);
   * ```
   */
  async getResult(batchId: string, batchRequestId: string, options?: CallOptions): Promise<BatchResult> {
    const id = requireText(batchId, "batchId");
    const requestId = requireText(batchRequestId, "batchRequestId");
    const response = await this.transport.api.unary(
      BatchMgmt.method.getBatchRequestResult,
      { batchId: id, batchRequestId: requestId },
      options,
    );
    const result = response.result ?? create(BatchResultSchema, { batchRequestId: requestId });
    return wrapBatchResult(result, response.request);
  }

  /**
   * Polls a batch until no request is pending, and returns it. `options.timeout` is the whole wait's budget
   * (default {@link DEFAULT_BATCH_TIMEOUT_MS}; each poll gets what remains), `pollInterval` defaults to
   * {@link DEFAULT_BATCH_POLL_INTERVAL_MS}, `metadata` goes on every poll and `onProgress` receives the batch
   * (with its counts) after each poll. Rejects with `PollTimeoutError` if `timeout` passes first (the batch
   * keeps running).
   *
   * @example
   * ```ts
   * const done = await client.batch.waitUntilDone(batchId, {
   *   pollInterval: 10_000,
   *   timeout: 3_600_000,
   *   onProgress: (batch) => console.log(batch.counts),
   * });
   * console.log(done.counts, done.costUsd);
   * ```
   */
  async waitUntilDone(batchId: string, options?: WaitOptions<Batch>): Promise<Batch> {
    const id = requireText(batchId, "batchId");
    return poll<Batch, Batch>(
      `batch ${id}`,
      async (call) => {
        const batch = await this.get(id, call());
        return batch.isDone ? { done: true, value: batch } : { done: false, progress: batch };
      },
      options,
      { pollInterval: DEFAULT_BATCH_POLL_INTERVAL_MS, timeout: DEFAULT_BATCH_TIMEOUT_MS },
    );
  }
}
