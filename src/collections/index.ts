/**
 * Collections of documents for retrieval, and search over them: `client.collections`.
 * @module
 */

export type {
  AddDocumentOptions,
  CollectionsClient,
  UpdateDocumentOptions,
  UploadDocumentOptions,
} from "./client.js";
export type { Collection } from "./collection.js";
export type {
  CollectionDocument,
  DocumentSearchMatch,
  DocumentSearchResults,
  DocumentStatus,
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
