// The emulator's `xai_api.BatchMgmt` service, in memory. AddBatchRequests answers each request at once
// with the same logic as the live services (chat via completeChat, images, videos), but reveals each
// answer only after its share of ctx.processingDelayMs: request i of n added together turns from PENDING
// to SUCCEEDED or FAILED at (i + 1) / n × processingDelayMs, so progress is visible while polling.
// A request whose model or content the live service would reject FAILS with that status (google.rpc.Status);
// CancelBatch cancels the requests still pending. Costs add up the responses' usage.cost_in_usd_ticks per
// endpoint (REST paths: /v1/chat/completions, /v1/images/generations, /v1/images/edits,
// /v1/videos/generations, /v1/videos/extensions).

import { createHash } from "node:crypto";
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { StatusSchema } from "../../gen/google/rpc/status_pb.js";
import {
  BatchMgmt,
  type BatchRequest,
  BatchRequestMetadata_State,
  type BatchResultData,
  BatchResultDataSchema,
  type BatchResultSchema,
  type BatchSchema,
} from "../../gen/xai/api/v1/batch_pb.js";
import { ImageResponseSchema } from "../../gen/xai/api/v1/image_pb.js";
import { VideoResponseSchema } from "../../gen/xai/api/v1/video_pb.js";
import { parseBatchInput } from "../store/batch-input.js";
import { fileBytes, getStoredFile } from "../store/files.js";
import { pageOf } from "../store/pagination.js";
import { perEmulator } from "../store/per-emulator.js";
import { Code, type EmulatorContext, EmulatorError, register, type ServiceRegistration } from "../types.js";
import { completeChat } from "./chat.js";
import { generateImages } from "./image.js";
import { finishJob, planExtension, planGeneration } from "./video.js";

/** How long a batch lives before it expires (reported in expire_time), in milliseconds. */
const BATCH_LIFETIME_MS = 24 * 60 * 60 * 1000;

type StatusInit = MessageInitShape<typeof StatusSchema>;
type Outcome = { case: "response"; value: BatchResultData } | { case: "error"; value: StatusInit };

interface RequestRecord {
  id: string;
  seq: number;
  request: BatchRequest;
  endpoint: string;
  model: string;
  createTime: Date;
  readyAt: number;
  outcome: Outcome;
  costTicks: bigint;
}

interface BatchRecord {
  id: string;
  seq: number;
  name: string;
  createTime: Date;
  apiKeyId: string;
  cancelTime?: Date;
  inputFileId?: string;
  requests: Map<string, RequestRecord>;
  requestSeq: number;
}

const batchStore = perEmulator(() => ({ batches: new Map<string, BatchRecord>(), seq: 0 }));

const State = BatchRequestMetadata_State;

function stateOf(record: RequestRecord, batch: BatchRecord, now: number): BatchRequestMetadata_State {
  if (batch.cancelTime && batch.cancelTime.getTime() < record.readyAt) return State.CANCELLED;
  if (now < record.readyAt) return State.PENDING;
  return record.outcome.case === "response" ? State.SUCCEEDED : State.FAILED;
}

function finishTime(
  record: RequestRecord,
  batch: BatchRecord,
  state: BatchRequestMetadata_State,
): Date | undefined {
  if (state === State.CANCELLED) return batch.cancelTime;
  if (state === State.SUCCEEDED || state === State.FAILED) return new Date(record.readyAt);
  return undefined;
}

function apiKeyIdOf(authorization: string | undefined): string {
  const key = /^Bearer\s+(\S+)/i.exec(authorization ?? "")?.[1] ?? "";
  return createHash("sha256").update(key).digest("hex").slice(0, 32);
}

function errorStatus(error: unknown): StatusInit {
  if (error instanceof EmulatorError) return { code: error.code, message: error.details, details: [] };
  const why = error instanceof Error ? error.message : String(error);
  return { code: Code.INTERNAL, message: `The request failed inside the emulator: ${why}`, details: [] };
}

function describe(request: BatchRequest): { endpoint: string; model: string } {
  const r = request.request;
  switch (r.case) {
    case "completionRequest":
      return { endpoint: "/v1/chat/completions", model: r.value.model };
    case "imageRequest":
      return {
        endpoint: r.value.image || r.value.images.length > 0 ? "/v1/images/edits" : "/v1/images/generations",
        model: r.value.model,
      };
    case "videoRequest":
      return { endpoint: "/v1/videos/generations", model: r.value.model };
    case "videoExtensionRequest":
      return { endpoint: "/v1/videos/extensions", model: r.value.model };
    default:
      return { endpoint: "", model: "" };
  }
}

async function answer(ctx: EmulatorContext, request: BatchRequest, signal: AbortSignal): Promise<Outcome> {
  try {
    const r = request.request;
    let data: BatchResultData;
    if (r.case === "completionRequest") {
      const response = await completeChat(ctx, r.value, signal);
      data = create(BatchResultDataSchema, { response: { case: "completionResponse", value: response } });
    } else if (r.case === "imageRequest") {
      const response = create(ImageResponseSchema, generateImages(ctx, r.value));
      data = create(BatchResultDataSchema, { response: { case: "imageResponse", value: response } });
    } else if (r.case === "videoRequest" || r.case === "videoExtensionRequest") {
      const job = r.case === "videoRequest" ? planGeneration(ctx, r.value) : planExtension(ctx, r.value);
      if (job.outcome === "expired") {
        return {
          case: "error",
          value: {
            code: Code.DEADLINE_EXCEEDED,
            message: "The video request expired before it finished.",
            details: [],
          },
        };
      }
      const response = create(VideoResponseSchema, finishJob(ctx, job));
      if (response.error) {
        return {
          case: "error",
          value: {
            code: Code.INTERNAL,
            message: `Video generation failed [${response.error.code}]: ${response.error.message}`,
            details: [],
          },
        };
      }
      data = create(BatchResultDataSchema, { response: { case: "videoResponse", value: response } });
    } else {
      throw new EmulatorError(Code.INVALID_ARGUMENT, "The batch request carries no request.");
    }
    return { case: "response", value: data };
  } catch (error) {
    return { case: "error", value: errorStatus(error) };
  }
}

function costOf(outcome: Outcome): bigint {
  if (outcome.case !== "response") return 0n;
  const response = outcome.value.response;
  return response.case ? (response.value.usage?.costInUsdTicks ?? 0n) : 0n;
}

function batchMessage(ctx: EmulatorContext, batch: BatchRecord): MessageInitShape<typeof BatchSchema> {
  const now = ctx.now().getTime();
  const counts = { numRequests: 0n, numPending: 0n, numSuccess: 0n, numError: 0n, numCancelled: 0n };
  const endpoints = new Map<string, { costUsdTicks: bigint; requestCount: bigint }>();
  let total = 0n;
  for (const record of batch.requests.values()) {
    counts.numRequests += 1n;
    const state = stateOf(record, batch, now);
    if (state === State.PENDING) counts.numPending += 1n;
    else if (state === State.SUCCEEDED) counts.numSuccess += 1n;
    else if (state === State.FAILED) counts.numError += 1n;
    else counts.numCancelled += 1n;
    if (state === State.SUCCEEDED || state === State.FAILED) {
      const entry = endpoints.get(record.endpoint) ?? { costUsdTicks: 0n, requestCount: 0n };
      entry.costUsdTicks += record.costTicks;
      entry.requestCount += 1n;
      endpoints.set(record.endpoint, entry);
      total += record.costTicks;
    }
  }
  return {
    batchId: batch.id,
    name: batch.name,
    createTime: timestampFromDate(batch.createTime),
    expireTime: timestampFromDate(new Date(batch.createTime.getTime() + BATCH_LIFETIME_MS)),
    createApiKeyId: batch.apiKeyId,
    cancelTime: batch.cancelTime ? timestampFromDate(batch.cancelTime) : undefined,
    state: counts,
    costBreakdown: {
      totalCostUsdTicks: total,
      endpointCosts: [...endpoints].map(([endpoint, entry]) => ({ endpoint, ...entry })),
      calculationTime: timestampFromDate(new Date(now)),
    },
    inputFileId: batch.inputFileId,
  };
}

function resultOf(
  record: RequestRecord,
  state: BatchRequestMetadata_State,
): MessageInitShape<typeof BatchResultSchema> | undefined {
  if (state === State.CANCELLED) {
    return {
      batchRequestId: record.id,
      result: {
        case: "error",
        value: {
          code: Code.CANCELLED,
          message: "The batch was cancelled before this request ran.",
          details: [],
        },
      },
    };
  }
  if (state === State.PENDING) return undefined;
  return record.outcome.case === "response"
    ? { batchRequestId: record.id, result: { case: "response", value: record.outcome.value } }
    : {
        batchRequestId: record.id,
        result: { case: "error", value: record.outcome.value },
      };
}

/**
 * Adds requests to a batch: each is answered now and revealed over ctx.processingDelayMs.
 *
 * @example
 * ```ts
 * await addRequests(ctx, batch, [request], signal);
 * ```
 */
async function addRequests(
  ctx: EmulatorContext,
  batch: BatchRecord,
  requests: BatchRequest[],
  signal: AbortSignal,
): Promise<void> {
  const ids = new Set<string>();
  requests.forEach((request, i) => {
    if (request.request.case === undefined) {
      throw new EmulatorError(
        Code.INVALID_ARGUMENT,
        `batch_requests[${i}] carries no request: set a completion, image, video or video extension request.`,
      );
    }
    const id = request.batchRequestId;
    if (id) {
      if (ids.has(id) || batch.requests.has(id)) {
        throw new EmulatorError(
          Code.ALREADY_EXISTS,
          `The batch "${batch.id}" already has a request with batch_request_id "${id}"; ids must be unique within a batch.`,
        );
      }
      ids.add(id);
    }
  });
  const createTime = ctx.now();
  const outcomes: Outcome[] = [];
  for (const request of requests) outcomes.push(await answer(ctx, request, signal));
  // The delay runs from the end of the work, so a slow machine never skips the PENDING phase.
  const start = ctx.now().getTime();
  requests.forEach((request, i) => {
    const record: RequestRecord = {
      id: request.batchRequestId || ctx.newId("batch_request"),
      seq: ++batch.requestSeq,
      request,
      ...describe(request),
      createTime,
      readyAt: start + Math.round((ctx.processingDelayMs * (i + 1)) / requests.length),
      outcome: outcomes[i],
      costTicks: costOf(outcomes[i]),
    };
    batch.requests.set(record.id, record);
  });
}

/**
 * The emulator's BatchMgmt service.
 *
 * @example
 * ```ts
 * const registration = batchService(ctx);
 * ```
 */
export function batchService(ctx: EmulatorContext): ServiceRegistration {
  const store = () => batchStore.of(ctx);
  const getBatch = (id: string): BatchRecord => {
    if (!id)
      throw new EmulatorError(
        Code.INVALID_ARGUMENT,
        "batch_id is required: pass the id CreateBatch returned.",
      );
    const batch = store().batches.get(id);
    if (!batch) throw new EmulatorError(Code.NOT_FOUND, `The batch "${id}" does not exist.`);
    return batch;
  };

  return register(BatchMgmt, {
    async createBatch(request, call) {
      const name = request.name.trim();
      if (!name) throw new EmulatorError(Code.INVALID_ARGUMENT, "The batch needs a name.");
      let initial: BatchRequest[] = [];
      if (request.inputFileId) {
        const file = getStoredFile(ctx, request.inputFileId, "input_file_id");
        initial = parseBatchInput(new TextDecoder().decode(fileBytes(file)), file.filename);
      }
      const batch: BatchRecord = {
        id: ctx.newId("batch"),
        seq: ++store().seq,
        name,
        createTime: ctx.now(),
        apiKeyId: apiKeyIdOf(call.headers.authorization),
        inputFileId: request.inputFileId || undefined,
        requests: new Map(),
        requestSeq: 0,
      };
      if (initial.length > 0) await addRequests(ctx, batch, initial, call.signal);
      store().batches.set(batch.id, batch);
      return batchMessage(ctx, batch);
    },

    getBatch: (request) => batchMessage(ctx, getBatch(request.batchId)),

    listBatches(request) {
      const page = pageOf(store().batches.values(), {
        limit: request.limit,
        token: request.paginationToken,
        keyOf: (b) => b.seq,
        idOf: (b) => b.id,
        descending: true,
      });
      return { batches: page.items.map((b) => batchMessage(ctx, b)), paginationToken: page.nextToken };
    },

    cancelBatch(request) {
      const batch = getBatch(request.batchId);
      batch.cancelTime ??= ctx.now();
      return batchMessage(ctx, batch);
    },

    async addBatchRequests(request, call) {
      const batch = getBatch(request.batchId);
      if (batch.cancelTime) {
        throw new EmulatorError(
          Code.FAILED_PRECONDITION,
          `The batch "${batch.id}" was cancelled; requests can no longer be added to it.`,
        );
      }
      if (request.batchRequests.length === 0) {
        throw new EmulatorError(Code.INVALID_ARGUMENT, "batch_requests is empty: add at least one request.");
      }
      await addRequests(ctx, batch, request.batchRequests, call.signal);
      return {};
    },

    listBatchRequestMetadata(request) {
      const batch = getBatch(request.batchId);
      for (const status of request.status) {
        if (!Object.values(State).includes(status) || status === State.UNKNOWN) {
          throw new EmulatorError(
            Code.INVALID_ARGUMENT,
            `status ${status} is not a request state to filter on.`,
          );
        }
      }
      const now = ctx.now().getTime();
      const records = [...batch.requests.values()]
        .map((record) => ({ record, state: stateOf(record, batch, now) }))
        .filter(({ state }) => request.status.length === 0 || request.status.includes(state));
      const page = pageOf(records, {
        limit: request.limit,
        token: request.paginationToken,
        keyOf: (r) => r.record.seq,
        idOf: (r) => r.record.id,
        descending: false,
      });
      return {
        batchRequestMetadata: page.items.map(({ record, state }) => {
          const finished = finishTime(record, batch, state);
          return {
            batchRequestId: record.id,
            endpoint: record.endpoint,
            model: record.model,
            state,
            createTime: timestampFromDate(record.createTime),
            finishTime: finished ? timestampFromDate(finished) : undefined,
          };
        }),
        paginationToken: page.nextToken,
      };
    },

    listBatchResults(request) {
      const batch = getBatch(request.batchId);
      const now = ctx.now().getTime();
      const finished = [...batch.requests.values()].filter((record) => {
        const state = stateOf(record, batch, now);
        return state === State.SUCCEEDED || state === State.FAILED;
      });
      const page = pageOf(finished, {
        limit: request.limit,
        token: request.paginationToken,
        keyOf: (r) => r.seq,
        idOf: (r) => r.id,
        descending: false,
      });
      return {
        results: page.items.map((record) => resultOf(record, stateOf(record, batch, now))!),
        paginationToken: page.nextToken,
      };
    },

    getBatchRequestResult(request) {
      const batch = getBatch(request.batchId);
      const record = batch.requests.get(request.batchRequestId);
      if (!record) {
        throw new EmulatorError(
          Code.NOT_FOUND,
          `The batch "${batch.id}" has no request with batch_request_id "${request.batchRequestId}".`,
        );
      }
      return {
        request: record.request,
        result: resultOf(record, stateOf(record, batch, ctx.now().getTime())),
      };
    },
  });
}
