/**
 * Batch jobs: many chat, image and video requests processed asynchronously at a lower price: `client.batch`.
 *
 * @example
 * ```ts
 * const batch = await client.batch.create({ name: "captions" });
 * await client.batch.add(batch.id, [chat, client.image.prepare({ prompt: "a fox", model: "grok-2-image" })]);
 * await client.batch.waitUntilDone(batch.id);
 * for await (const result of client.batch.listResults(batch.id)) console.log(result.id, result.kind);
 * ```
 * @module
 */
export type { Batch, BatchCounts, BatchEndpointCost, BatchRequestInfo, BatchRequestState } from "./batch.js";
export type {
  BatchClient,
  BatchListOptions,
  CreateBatchOptions,
  RequestMetadataListOptions,
} from "./client.js";
export type { BatchItem, BatchRequestSource, PreparedRequest } from "./requests.js";
export type {
  BatchResult,
  ChatBatchResult,
  FailedBatchResult,
  ImageBatchResult,
  VideoBatchResult,
} from "./result.js";
