import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { type RetrievalMode, retrievalModeToProto } from "../chat/tools.js";
import { checkEnum, checkLimit, describe, requireText } from "../core/check.js";
import { lazy } from "../core/lazy.js";
import {
  CollectionsSortBy,
  DocumentsSortBy,
  type FieldDefinition as FieldDefinitionProto,
  FieldDefinitionSchema,
} from "../gen/xai/api/v1/collections_pb.js";
import { type SearchRequest, SearchRequestSchema } from "../gen/xai/api/v1/documents_pb.js";
import { Ordering } from "../gen/xai/api/v1/shared_pb.js";
import {
  type ChunkConfiguration as ChunkConfigurationProto,
  ChunkConfigurationSchema,
  HNSWMetric,
} from "../gen/xai/api/v1/types_pb.js";
import { XaiInputError } from "../transport/errors.js";

/**
 * How documents are cut into chunks before indexing: by characters, tokens (with a tokenizer encoding) or
 * bytes, with a maximum chunk size and an overlap between consecutive chunks, in the same unit.
 *
 * @example
 * ```ts
 * const byChars: ChunkConfiguration = { unit: "chars", maxChunkSize: 2_000, overlap: 200 };
 * const byTokens: ChunkConfiguration = { unit: "tokens", maxChunkSize: 512, overlap: 64, encoding: "cl100k_base" };
 * ```
 */
export type ChunkConfiguration = (
  | { unit: "chars"; maxChunkSize: number; overlap?: number }
  | { unit: "tokens"; maxChunkSize: number; overlap?: number; encoding: string }
  | { unit: "bytes"; maxChunkSize: number; overlap?: number }
) & {
  /** Trim whitespace at the edges of chunks. */
  stripWhitespace?: boolean;
  /** Prefix each chunk with the document's name. */
  injectNameIntoChunks?: boolean;
};

/**
 * A metadata field of the documents of a collection (given in `fields` when a document is added).
 *
 * @example
 * ```ts
 * const author: FieldDefinition = { key: "author", required: true, injectIntoChunk: true };
 * ```
 */
export interface FieldDefinition {
  /** The field's name. */
  key: string;
  /** Documents must give this field. */
  required?: boolean;
  /** Add `key: value` to every chunk's text, so that it is searchable. */
  injectIntoChunk?: boolean;
  /** No two documents may have the same value. */
  unique?: boolean;
  /** What the field holds. */
  description?: string;
}

/**
 * The distance used to compare embeddings in a collection's index.
 *
 * @example
 * ```ts
 * await client.collections.create({ name: "docs", metricSpace: "cosine" });
 * ```
 */
export type MetricSpace = "cosine" | "euclidean" | "inner_product";

/**
 * Options of `client.collections.create`.
 *
 * @example
 * ```ts
 * const col = await client.collections.create({
 *   name: "handbook",
 *   description: "Employee handbook, 2025 edition",
 *   chunkConfiguration: { unit: "tokens", maxChunkSize: 512, overlap: 64, encoding: "cl100k_base" },
 *   fieldDefinitions: [{ key: "section", injectIntoChunk: true }],
 * });
 * ```
 */
export interface CreateCollectionOptions {
  /** The collection's name. */
  name: string;
  /** What the collection holds (helps the model choose it). */
  description?: string;
  /** Embedding model of the index; the server's default when omitted. */
  embeddingModel?: string;
  /** How documents are chunked; the server's default when omitted. */
  chunkConfiguration?: ChunkConfiguration;
  /** Distance of the embedding index; the server's default when omitted. */
  metricSpace?: MetricSpace;
  /** Metadata fields of the documents. */
  fieldDefinitions?: FieldDefinition[];
}

/**
 * Changes to a collection; give at least one.
 *
 * @example
 * ```ts
 * await client.collections.update(col.id, { description: "2026 edition", addFields: [{ key: "year" }], removeFields: ["draft"] });
 * ```
 */
export interface UpdateCollectionOptions {
  /** A new name. */
  name?: string;
  /** A new description. */
  description?: string;
  /** A new chunking (applies to documents indexed from now on). */
  chunkConfiguration?: ChunkConfiguration;
  /** Field definitions to add. */
  addFields?: FieldDefinition[];
  /** Keys of field definitions to remove. */
  removeFields?: string[];
}

/**
 * Options of `client.collections.list`.
 *
 * @example
 * ```ts
 * const page = await client.collections.list({ limit: 10, sortBy: "age", order: "desc" });
 * ```
 */
export interface ListCollectionsOptions {
  /** Collections per page (per call); the server's default when omitted. */
  limit?: number;
  /** `"asc"` or `"desc"`; the server's default when omitted. */
  order?: "asc" | "desc";
  /** Sort by name (the default) or by age. */
  sortBy?: "name" | "age";
  /** A server-side filter expression. */
  filter?: string;
  /** Start at this page: the `nextPageToken` of a previous page. */
  paginationToken?: string;
}

/**
 * Options of `client.collections.listDocuments`.
 *
 * @example
 * ```ts
 * const page = await client.collections.listDocuments(col.id, { limit: 50, sortBy: "size", order: "desc" });
 * ```
 */
export interface ListDocumentsOptions {
  /** Documents per page (per call); the server's default when omitted. */
  limit?: number;
  /** `"asc"` or `"desc"`; the server's default when omitted. */
  order?: "asc" | "desc";
  /** Sort by name (the default), size or age. */
  sortBy?: "name" | "size" | "age";
  /** A server-side filter expression (e.g. on fields). */
  filter?: string;
  /** Start at this page: the `nextPageToken` of a previous page. */
  paginationToken?: string;
}

/**
 * Options of `client.collections.search`.
 *
 * @example
 * ```ts
 * const results = await client.collections.search("parental leave", { collectionIds: [col.id], limit: 5, retrievalMode: "hybrid" });
 * ```
 */
export interface DocumentSearchOptions {
  /** The collections to search (at least one). */
  collectionIds: string[];
  /** Maximum number of matches; the server's default when omitted. */
  limit?: number;
  /** Guidance for ranking, e.g. what counts as relevant. */
  instructions?: string;
  /** Hybrid (embeddings and words), semantic (embeddings) or keyword (words); the server's default when omitted. */
  retrievalMode?: RetrievalMode;
}

/** @internal */
export function requireObject(value: unknown, name: string): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new XaiInputError(`${name} must be an options object, got ${describe(value)}`);
  }
}

function optionalBool(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean")
    throw new XaiInputError(`${name} must be true or false, got ${describe(value)}`);
  return value;
}

function wholeNumber(value: unknown, name: string, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > 2_147_483_647) {
    throw new XaiInputError(`${name} must be a whole number of at least ${min}, got ${describe(value)}`);
  }
  return value;
}

/** @internal */
export function optionalText(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new XaiInputError(`${name} must be a string, got ${describe(value)}`);
  return value;
}

const ORDERS = lazy(() => ({ asc: Ordering.ASCENDING, desc: Ordering.DESCENDING }));
const METRICS = lazy(
  (): Record<MetricSpace, HNSWMetric> => ({
    cosine: HNSWMetric.HNSW_METRIC_COSINE,
    euclidean: HNSWMetric.HNSW_METRIC_EUCLIDEAN,
    inner_product: HNSWMetric.HNSW_METRIC_INNER_PRODUCT,
  }),
);

/** @internal */
export function orderingProto(value: unknown): Ordering | undefined {
  return checkEnum(ORDERS(), value, "order");
}

/** @internal */
export function collectionsSortProto(value: unknown): CollectionsSortBy | undefined {
  return checkEnum({ name: CollectionsSortBy.NAME, age: CollectionsSortBy.AGE }, value, "sortBy");
}

/** @internal */
export function documentsSortProto(value: unknown): DocumentsSortBy | undefined {
  return checkEnum(
    { name: DocumentsSortBy.NAME, size: DocumentsSortBy.SIZE, age: DocumentsSortBy.AGE },
    value,
    "sortBy",
  );
}

/** @internal */
export function metricProto(value: unknown): HNSWMetric | undefined {
  return checkEnum(METRICS(), value, "metricSpace");
}

/**
 * Converts and checks a chunk configuration: exactly one unit, a positive size, an overlap smaller than it.
 * @internal
 */
export function chunkConfigurationProto(
  value: ChunkConfiguration,
  name = "chunkConfiguration",
): ChunkConfigurationProto {
  requireObject(value, name);
  const raw = value as Record<string, unknown>;
  const unit = raw.unit;
  if (unit !== "chars" && unit !== "tokens" && unit !== "bytes") {
    throw new XaiInputError(
      `${name}.unit must be "chars", "tokens" or "bytes" (exactly one chunking strategy), got ${describe(unit)}`,
    );
  }
  const size = wholeNumber(raw.maxChunkSize, `${name}.maxChunkSize`, 1);
  const overlap = raw.overlap === undefined ? 0 : wholeNumber(raw.overlap, `${name}.overlap`, 0);
  if (overlap >= size) {
    throw new XaiInputError(`${name}.overlap (${overlap}) must be smaller than maxChunkSize (${size})`);
  }
  const init: MessageInitShape<typeof ChunkConfigurationSchema> = {
    stripWhitespace: optionalBool(raw.stripWhitespace, `${name}.stripWhitespace`),
    injectNameIntoChunks: optionalBool(raw.injectNameIntoChunks, `${name}.injectNameIntoChunks`),
  };
  if (unit === "chars") {
    init.config = {
      case: "charsConfiguration",
      value: { maxChunkSizeChars: size, chunkOverlapChars: overlap },
    };
  } else if (unit === "bytes") {
    init.config = {
      case: "bytesConfiguration",
      value: { maxChunkSizeBytes: size, chunkOverlapBytes: overlap },
    };
  } else {
    const encoding = requireText(
      raw.encoding,
      `${name}.encoding (the tokenizer encoding, e.g. "cl100k_base")`,
    );
    init.config = {
      case: "tokensConfiguration",
      value: { maxChunkSizeTokens: size, chunkOverlapTokens: overlap, encodingName: encoding },
    };
  }
  return create(ChunkConfigurationSchema, init);
}

/**
 * Reads a chunk configuration back into its TypeScript shape (undefined when none is set).
 * @internal
 */
export function chunkConfigurationFromProto(
  proto: ChunkConfigurationProto | undefined,
): ChunkConfiguration | undefined {
  if (!proto) return undefined;
  const flags = { stripWhitespace: proto.stripWhitespace, injectNameIntoChunks: proto.injectNameIntoChunks };
  const c = proto.config;
  switch (c.case) {
    case "charsConfiguration":
      return {
        unit: "chars",
        maxChunkSize: c.value.maxChunkSizeChars,
        overlap: c.value.chunkOverlapChars,
        ...flags,
      };
    case "bytesConfiguration":
      return {
        unit: "bytes",
        maxChunkSize: c.value.maxChunkSizeBytes,
        overlap: c.value.chunkOverlapBytes,
        ...flags,
      };
    case "tokensConfiguration":
      return {
        unit: "tokens",
        maxChunkSize: c.value.maxChunkSizeTokens,
        overlap: c.value.chunkOverlapTokens,
        encoding: c.value.encodingName,
        ...flags,
      };
    default:
      return undefined;
  }
}

/** @internal */
export function fieldDefinitionProto(value: FieldDefinition, name: string): FieldDefinitionProto {
  requireObject(value, name);
  return create(FieldDefinitionSchema, {
    key: requireText(value.key, `${name}.key`),
    required: optionalBool(value.required, `${name}.required`),
    injectIntoChunk: optionalBool(value.injectIntoChunk, `${name}.injectIntoChunk`),
    unique: optionalBool(value.unique, `${name}.unique`),
    description: optionalText(value.description, `${name}.description`),
  });
}

/** @internal */
export function fieldDefinitionFromProto(proto: FieldDefinitionProto): FieldDefinition {
  const out: FieldDefinition = {
    key: proto.key,
    required: proto.required,
    injectIntoChunk: proto.injectIntoChunk,
    unique: proto.unique,
  };
  if (proto.description !== undefined) out.description = proto.description;
  return out;
}

/** @internal */
export function fieldDefinitionsProto(value: unknown, name: string): FieldDefinitionProto[] {
  if (!Array.isArray(value)) {
    throw new XaiInputError(`${name} must be an array of field definitions like [{ key: "author" }]`);
  }
  return value.map((f, i) => fieldDefinitionProto(f as FieldDefinition, `${name}[${i}]`));
}

/**
 * Checks document fields: a record of string values.
 * @internal
 */
export function fieldsRecord(value: unknown, name = "fields"): Record<string, string> {
  if (value === undefined) return {};
  requireObject(value, name);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== "string") {
      throw new XaiInputError(`${name}.${k} must be a string (field values are text), got ${describe(v)}`);
    }
    out[k] = v;
  }
  return out;
}

/** @internal */
export function requireIds(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new XaiInputError(`${name} must be a non-empty array of ids, got ${describe(value)}`);
  }
  return value.map((id, i) => requireText(id, `${name}[${i}]`));
}

/**
 * Builds and checks the Documents.Search request.
 * @internal
 */
export function searchRequest(query: string, options: DocumentSearchOptions): SearchRequest {
  requireText(query, "query");
  requireObject(options, "search options");
  const collectionIds = requireIds(options.collectionIds, "collectionIds");
  const mode = options.retrievalMode;
  if (mode !== undefined && mode !== "hybrid" && mode !== "semantic" && mode !== "keyword") {
    throw new XaiInputError(`retrievalMode must be "hybrid", "semantic" or "keyword", got ${describe(mode)}`);
  }
  return create(SearchRequestSchema, {
    query,
    source: { collectionIds },
    limit: checkLimit(options.limit),
    instructions: optionalText(options.instructions, "instructions"),
    retrievalMode: mode === undefined ? { case: undefined } : retrievalModeToProto(mode),
  });
}
