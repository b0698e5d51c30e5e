import { ticksToUsd } from "../core/cost.js";
import { optionalDate } from "../core/dates.js";
import { lazy } from "../core/lazy.js";
import { ProtoWrapper } from "../core/wrapper.js";
import {
  type Batch as BatchProto,
  type BatchRequestMetadata,
  BatchRequestMetadataSchema,
  BatchSchema,
  BatchRequestMetadata_State as RequestStateProto,
} from "../gen/xai/api/v1/batch_pb.js";

/**
 * How many requests of a batch are in each state.
 *
 * @example
 * ```ts
 * const { total, pending, succeeded, failed, cancelled } = batch.counts;
 * ```
 */
export interface BatchCounts {
  /** Requests added to the batch. */
  total: number;
  /** Requests not processed yet. */
  pending: number;
  /** Requests that produced a response. */
  succeeded: number;
  /** Requests that ended with an error. */
  failed: number;
  /** Requests cancelled before they were processed. */
  cancelled: number;
}

/**
 * The cost of the requests of one endpoint (chat, image, video) in a batch.
 *
 * @example
 * ```ts
 * for (const c of batch.costBreakdown) console.log(c.endpoint, c.requestCount, c.costUsd.toFixed(4));
 * ```
 */
export interface BatchEndpointCost {
  /** The endpoint, e.g. `/v1/chat/completions`. */
  endpoint: string;
  /** What its requests cost, in USD. */
  costUsd: number;
  /** How many of its requests were billed. */
  requestCount: number;
}

/**
 * A batch job: its name, dates, request counts and cost so far.
 *
 * @example
 * ```ts
 * const batch = await client.batch.get(batchId);
 * console.log(batch.name, `${batch.counts.pending} pending`, `$${batch.costUsd}`);
 * ```
 */
export class Batch extends ProtoWrapper<typeof BatchSchema> {
  /** @internal */
  constructor(proto: BatchProto) {
    super(BatchSchema, proto);
  }
  /** The batch id. */
  get id(): string {
    return this.proto.batchId;
  }
  /** The name given at creation. */
  get name(): string {
    return this.proto.name;
  }
  /** When the batch was created. */
  get createdAt(): Date | undefined {
    return optionalDate(this.proto.createTime);
  }
  /** When the batch expires (requests still pending then are not processed). */
  get expiresAt(): Date | undefined {
    return optionalDate(this.proto.expireTime);
  }
  /** When the batch was cancelled, if it was. */
  get cancelledAt(): Date | undefined {
    return optionalDate(this.proto.cancelTime);
  }
  /** Why xAI cancelled the batch, if it did. */
  get cancelledByXaiMessage(): string | undefined {
    return this.proto.cancelByXaiMessage;
  }
  /** Id of the API key that created the batch. */
  get apiKeyId(): string {
    return this.proto.createApiKeyId;
  }
  /** The file the batch's requests were read from, if it was created from one. */
  get inputFileId(): string | undefined {
    return this.proto.inputFileId;
  }
  /** How many requests are in each state. */
  get counts(): BatchCounts {
    const s = this.proto.state;
    return {
      total: Number(s?.numRequests ?? 0n),
      pending: Number(s?.numPending ?? 0n),
      succeeded: Number(s?.numSuccess ?? 0n),
      failed: Number(s?.numError ?? 0n),
      cancelled: Number(s?.numCancelled ?? 0n),
    };
  }
  /** Whether no request is pending any more (all succeeded, failed or were cancelled). */
  get isDone(): boolean {
    return (this.proto.state?.numPending ?? 0n) === 0n;
  }
  /** Total cost so far, in USD. */
  get costUsd(): number {
    return ticksToUsd(this.proto.costBreakdown?.totalCostUsdTicks ?? 0n);
  }
  /** Cost per endpoint. */
  get costBreakdown(): BatchEndpointCost[] {
    return (this.proto.costBreakdown?.endpointCosts ?? []).map((c) => ({
      endpoint: c.endpoint,
      costUsd: ticksToUsd(c.costUsdTicks),
      requestCount: Number(c.requestCount),
    }));
  }
  /** When the cost was last computed. */
  get costCalculatedAt(): Date | undefined {
    return optionalDate(this.proto.costBreakdown?.calculationTime);
  }
}

/**
 * The state of one request of a batch.
 *
 * @example
 * ```ts
 * const states: BatchRequestState[] = ["failed", "cancelled"];
 * ```
 */
export type BatchRequestState = "pending" | "succeeded" | "cancelled" | "failed" | "unknown";

/** @internal */
export const REQUEST_STATES = lazy(
  (): Record<Exclude<BatchRequestState, "unknown">, RequestStateProto> => ({
    pending: RequestStateProto.PENDING,
    succeeded: RequestStateProto.SUCCEEDED,
    cancelled: RequestStateProto.CANCELLED,
    failed: RequestStateProto.FAILED,
  }),
);

function requestStateName(state: RequestStateProto): BatchRequestState {
  switch (state) {
    case RequestStateProto.PENDING:
      return "pending";
    case RequestStateProto.SUCCEEDED:
      return "succeeded";
    case RequestStateProto.CANCELLED:
      return "cancelled";
    case RequestStateProto.FAILED:
      return "failed";
    default:
      return "unknown";
  }
}

/**
 * What is known about one request of a batch before fetching its result: endpoint, model, state, dates.
 *
 * @example
 * ```ts
 * for await (const info of client.batch.listRequestMetadata(batchId, { status: "failed" })) console.log(info.id, info.model);
 * ```
 */
export class BatchRequestInfo extends ProtoWrapper<typeof BatchRequestMetadataSchema> {
  /** @internal */
  constructor(proto: BatchRequestMetadata) {
    super(BatchRequestMetadataSchema, proto);
  }
  /** The request's id in the batch. */
  get id(): string {
    return this.proto.batchRequestId;
  }
  /** The endpoint it targets. */
  get endpoint(): string {
    return this.proto.endpoint;
  }
  /** The model it uses. */
  get model(): string {
    return this.proto.model;
  }
  /** Its state. */
  get state(): BatchRequestState {
    return requestStateName(this.proto.state);
  }
  /** When it was added. */
  get createdAt(): Date | undefined {
    return optionalDate(this.proto.createTime);
  }
  /** When it finished, if it did. */
  get finishedAt(): Date | undefined {
    return optionalDate(this.proto.finishTime);
  }
}
