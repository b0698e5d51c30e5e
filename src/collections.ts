/**
 * Collections of documents for retrieval, and search over them: `client.collections`.
 * @module
 */
export {
  CollectionsClient,
  DEFAULT_INDEXING_POLL_INTERVAL_MS,
  DEFAULT_INDEXING_TIMEOUT_MS,
  type IndexingWaitOptions,
  type UpdateDocumentOptions,
  type UploadDocumentOptions,
} from "./collections/client.js";
export type {
  ChunkConfiguration,
  CreateCollectionOptions,
  DocumentSearchOptions,
  FieldDefinition,
  ListCollectionsOptions,
  ListDocumentsOptions,
  MetricSpace,
  UpdateCollectionOptions,
} from "./collections/options.js";
export {
  Collection,
  CollectionDocument,
  DocumentIndexingError,
  type DocumentSearchMatch,
  DocumentSearchResults,
  type DocumentStatus,
} from "./collections/wrappers.js";
