/**
 * Collections of documents for retrieval, and search over them: `client.collections`.
 * @module
 */

export { DocumentIndexingError } from "../errors.js";
export {
  type AddDocumentOptions,
  CollectionsClient,
  DEFAULT_INDEXING_POLL_INTERVAL_MS,
  DEFAULT_INDEXING_TIMEOUT_MS,
  type UpdateDocumentOptions,
  type UploadDocumentOptions,
} from "./client.js";
export { Collection } from "./collection.js";
export {
  CollectionDocument,
  type DocumentSearchMatch,
  DocumentSearchResults,
  type DocumentStatus,
} from "./documents.js";
export type {
  ChunkConfiguration,
  CreateCollectionOptions,
  DocumentSearchOptions,
  FieldDefinition,
  ListCollectionsOptions,
  ListDocumentsOptions,
  MetricSpace,
  UpdateCollectionOptions,
} from "./options.js";
