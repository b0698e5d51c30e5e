// Collections and their documents, in memory, and the search over their indexed chunks.
//
// A document added (or re-indexed, or updated with new data) is PROCESSING for ctx.processingDelayMs, then
// PROCESSED; its text is the file's bytes read as UTF-8, chunked with the collection's chunk configuration
// as it was when indexing started. A document FAILS to index when its file is empty or its name contains
// "[fail]" (a switch for tests).
import { createHash } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import type { FieldDefinition } from "../../gen/xai/api/v1/collections_pb.js";
import { type ChunkConfiguration, ChunkConfigurationSchema } from "../../gen/xai/api/v1/types_pb.js";
import { Code, type EmulatorContext, EmulatorError } from "../types.js";
import { chunkText, type RetrievalMode, scoreChunks, termsOf } from "./chunking.js";
import { fileBytes, findStoredFile, type StoredFile } from "./files.js";
import { perEmulator } from "./per-emulator.js";

/**
 * The chunk configuration of a collection created without one: 2,000-character chunks, 200 overlapping.
 *
 * @example
 * ```ts
 * const config = request.chunkConfiguration ?? defaultChunkConfiguration();
 * ```
 */
export function defaultChunkConfiguration(): ChunkConfiguration {
  return create(ChunkConfigurationSchema, {
    config: { case: "charsConfiguration", value: { maxChunkSizeChars: 2000, chunkOverlapChars: 200 } },
    stripWhitespace: true,
  });
}

/** A document of a collection: an uploaded file, its fields and its indexing state. */
export interface DocumentRecord {
  fileId: string;
  seq: number;
  fields: Record<string, string>;
  addedAt: Date;
  /** When indexing finishes (ms since the epoch, on the emulator's clock). */
  readyAt: number;
  /** The chunk configuration indexing uses (the collection's when indexing started). */
  chunkConfiguration: ChunkConfiguration;
  /** Why indexing fails, decided when it starts. */
  failure?: string;
  /** Chunks, computed once per indexing. */
  chunks?: string[];
}

/** A collection. */
export interface CollectionRecord {
  id: string;
  seq: number;
  name: string;
  description?: string;
  createdAt: Date;
  indexModel: string;
  chunkConfiguration: ChunkConfiguration;
  fieldDefinitions: FieldDefinition[];
  documents: Map<string, DocumentRecord>;
  documentSeq: number;
}

const collectionStore = perEmulator(() => ({ collections: new Map<string, CollectionRecord>(), seq: 0 }));

/**
 * Every collection of an emulator, by id.
 *
 * @example
 * ```ts
 * collectionsOf(ctx).set(collection.id, collection);
 * ```
 */
export function collectionsOf(ctx: EmulatorContext): Map<string, CollectionRecord> {
  return collectionStore.of(ctx).collections;
}

/**
 * The next creation number, for stable sorting by age.
 *
 * @example
 * ```ts
 * const seq = nextCollectionSeq(ctx);
 * ```
 */
export function nextCollectionSeq(ctx: EmulatorContext): number {
  return ++collectionStore.of(ctx).seq;
}

/**
 * The collection with this id; NOT_FOUND (a clear sentence) when there is none.
 *
 * @example
 * ```ts
 * const collection = getCollection(ctx, request.collectionId);
 * ```
 */
export function getCollection(ctx: EmulatorContext, id: string): CollectionRecord {
  if (!id) throw new EmulatorError(Code.INVALID_ARGUMENT, "collection_id is required.");
  const collection = collectionsOf(ctx).get(id);
  if (!collection) throw new EmulatorError(Code.NOT_FOUND, `The collection "${id}" does not exist.`);
  return collection;
}

/** Indexing state of a document at the emulator's current time. */
export type DocumentState = "processing" | "processed" | "failed";

/**
 * The state of a document now.
 *
 * @example
 * ```ts
 * documentState(ctx, document); // "processing" until processingDelayMs has passed
 * ```
 */
export function documentState(ctx: EmulatorContext, document: DocumentRecord): DocumentState {
  if (ctx.now().getTime() < document.readyAt) return "processing";
  return document.failure ? "failed" : "processed";
}

/**
 * (Re)starts indexing a document with the collection's current chunk configuration.
 *
 * @example
 * ```ts
 * startIndexing(ctx, collection, document, file);
 * ```
 */
export function startIndexing(
  ctx: EmulatorContext,
  collection: CollectionRecord,
  document: DocumentRecord,
  file: StoredFile,
): void {
  document.readyAt = ctx.now().getTime() + ctx.processingDelayMs;
  document.chunkConfiguration = collection.chunkConfiguration;
  document.chunks = undefined;
  document.failure =
    file.size === 0
      ? "The document is empty: there is no text to index."
      : file.filename.toLowerCase().includes("[fail]")
        ? "The document could not be parsed (its name asks the emulator to fail with [fail])."
        : undefined;
}

/**
 * The file behind a document, or undefined when the file was deleted or expired.
 *
 * @example
 * ```ts
 * const file = documentFile(ctx, document);
 * ```
 */
export function documentFile(ctx: EmulatorContext, document: DocumentRecord): StoredFile | undefined {
  return findStoredFile(ctx, document.fileId);
}

/**
 * The chunks of a processed document (computed once per indexing).
 *
 * @example
 * ```ts
 * const chunks = documentChunks(ctx, collection, document, file);
 * ```
 */
export function documentChunks(
  ctx: EmulatorContext,
  collection: CollectionRecord,
  document: DocumentRecord,
  file: StoredFile,
): string[] {
  if (!document.chunks) {
    const text = new TextDecoder().decode(fileBytes(file));
    const injectedFields = collection.fieldDefinitions
      .filter((definition) => definition.injectIntoChunk && document.fields[definition.key] !== undefined)
      .map((definition): [string, string] => [definition.key, document.fields[definition.key]]);
    document.chunks = chunkText(ctx, text, document.chunkConfiguration, {
      name: file.filename,
      injectedFields,
    });
  }
  return document.chunks;
}

/** A search hit. */
export interface SearchHit {
  fileId: string;
  chunkId: string;
  chunkContent: string;
  score: number;
  collectionIds: string[];
}

/** What to search. */
export interface SearchQuery {
  query: string;
  collectionIds: string[];
  limit?: number;
  mode?: RetrievalMode;
  weights?: { keyword: number; semantic: number };
}

function chunkIdOf(fileId: string, index: number, content: string): string {
  const hex = createHash("sha256").update(`${fileId}\u0000${index}\u0000${content}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Searches the processed documents of the given collections; hits are ranked by score (ties by file id and
 * chunk order). Also usable by the chat service for its collections_search tool.
 *
 * @example
 * ```ts
 * const hits = searchCollections(ctx, { query: "red fox", collectionIds: ["collection_0001"], limit: 5 });
 * ```
 */
export function searchCollections(ctx: EmulatorContext, search: SearchQuery): SearchHit[] {
  const collections = search.collectionIds.map((id) => getCollection(ctx, id));
  const byKey = new Map<string, SearchHit & { order: number; terms: string[] }>();
  let order = 0;
  for (const collection of collections) {
    for (const document of collection.documents.values()) {
      const file = documentFile(ctx, document);
      if (!file || documentState(ctx, document) !== "processed") continue;
      documentChunks(ctx, collection, document, file).forEach((content, index) => {
        const key = `${document.fileId}\u0000${content}`;
        const existing = byKey.get(key);
        if (existing) {
          if (!existing.collectionIds.includes(collection.id)) existing.collectionIds.push(collection.id);
          return;
        }
        byKey.set(key, {
          fileId: document.fileId,
          chunkId: chunkIdOf(document.fileId, index, content),
          chunkContent: content,
          score: 0,
          collectionIds: [collection.id],
          order: order++,
          terms: termsOf(content),
        });
      });
    }
  }
  const candidates = [...byKey.values()];
  const scores = scoreChunks(
    search.query,
    candidates.map((c) => ({ terms: c.terms, text: c.chunkContent })),
    search.mode ?? "hybrid",
    search.weights,
  );
  candidates.forEach((candidate, i) => {
    candidate.score = scores[i];
  });
  return candidates
    .filter((candidate) => candidate.score > 0)
    .sort(
      (a, b) => b.score - a.score || (a.fileId < b.fileId ? -1 : a.fileId > b.fileId ? 1 : a.order - b.order),
    )
    .slice(0, search.limit ?? 10)
    .map(({ fileId, chunkId, chunkContent, score, collectionIds }) => ({
      fileId,
      chunkId,
      chunkContent,
      score,
      collectionIds,
    }));
}
