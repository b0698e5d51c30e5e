// The emulator's `collections.Collections` service (served on the management port): collections of
// uploaded files, their field definitions and chunk configuration, and documents that index after
// ctx.processingDelayMs (see ../store/collections.ts). Searching them is the Documents service's job.
//
// Listing: sort by name (default) or age (creation time; ascending = oldest first), order ascending
// (default) or descending, the filter language of ../store/filter.ts (collections: collection_name,
// description, collection_id, documents_count, created_at; documents: name, status, size, content_type,
// file_id, fields.<key>), and pagination tokens. ListDocuments' `name` keeps documents whose name contains it.
// UpdateDocument merges the given fields into the document's (required fields stay enforced); new data
// replaces the file's content and re-indexes it.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  type CollectionMetadataSchema,
  Collections,
  CollectionsSortBy,
  type DocumentMetadataSchema,
  DocumentStatus,
  DocumentsSortBy,
  type FieldDefinition,
  FieldDefinitionOperation,
} from "../../gen/xai/api/v1/collections_pb.js";
import { Ordering } from "../../gen/xai/api/v1/shared_pb.js";
import type { ChunkConfiguration } from "../../gen/xai/api/v1/types_pb.js";
import { STOP_WORDS, termsOf } from "../store/chunking.js";
import {
  type CollectionRecord,
  collectionsOf,
  type DocumentRecord,
  defaultChunkConfiguration,
  documentChunks,
  documentFile,
  documentState,
  getCollection,
  nextCollectionSeq,
  startIndexing,
} from "../store/collections.js";
import { fileHash, getStoredFile, type StoredFile, updateStoredFile } from "../store/files.js";
import { compileFilter } from "../store/filter.js";
import { pageOf, type SortKey } from "../store/pagination.js";
import {
  Code,
  type EmulatorContext,
  EmulatorError,
  invalidArgument,
  register,
  type ServiceRegistration,
} from "../types.js";

/**
 * Checks a chunk configuration: exactly one strategy, a positive size and an overlap smaller than it.
 *
 * @example
 * ```ts
 * checkChunkConfiguration(request.chunkConfiguration);
 * ```
 */
export function checkChunkConfiguration(config: ChunkConfiguration): void {
  const c = config.config;
  let size: number;
  let overlap: number;
  let unit: string;
  switch (c.case) {
    case "charsConfiguration":
      [size, overlap, unit] = [c.value.maxChunkSizeChars, c.value.chunkOverlapChars, "chars"];
      break;
    case "tokensConfiguration":
      [size, overlap, unit] = [c.value.maxChunkSizeTokens, c.value.chunkOverlapTokens, "tokens"];
      break;
    case "bytesConfiguration":
      [size, overlap, unit] = [c.value.maxChunkSizeBytes, c.value.chunkOverlapBytes, "bytes"];
      break;
    default:
      throw invalidArgument(
        "The chunk configuration has no strategy: set one of chars_configuration, tokens_configuration or bytes_configuration.",
      );
  }
  if (size <= 0) throw invalidArgument(`max_chunk_size_${unit} must be positive; got ${size}.`);
  if (overlap < 0 || overlap >= size) {
    throw invalidArgument(
      `chunk_overlap_${unit} must be at least 0 and less than max_chunk_size_${unit} (${size}); got ${overlap}.`,
    );
  }
}

function checkFieldDefinitions(definitions: FieldDefinition[]): void {
  const seen = new Set<string>();
  for (const definition of definitions) {
    if (!definition.key.trim()) throw invalidArgument("A field definition has an empty key.");
    if (seen.has(definition.key)) throw invalidArgument(`The field "${definition.key}" is defined twice.`);
    seen.add(definition.key);
  }
}

function checkFields(
  collection: CollectionRecord,
  fields: Record<string, string>,
  exceptFileId?: string,
): void {
  for (const definition of collection.fieldDefinitions) {
    const value = fields[definition.key];
    if (definition.required && (value === undefined || value === "")) {
      throw invalidArgument(
        `The collection "${collection.id}" requires the field "${definition.key}" on every document; set it in fields.`,
      );
    }
    if (definition.unique && value !== undefined) {
      for (const other of collection.documents.values()) {
        if (other.fileId !== exceptFileId && other.fields[definition.key] === value) {
          throw new EmulatorError(
            Code.ALREADY_EXISTS,
            `The field "${definition.key}" must be unique in the collection, and the document "${other.fileId}" already has the value "${value}".`,
          );
        }
      }
    }
  }
}

function collectionMessage(
  ctx: EmulatorContext,
  collection: CollectionRecord,
): MessageInitShape<typeof CollectionMetadataSchema> {
  let totalSize = 0;
  let count = 0;
  for (const document of collection.documents.values()) {
    const file = documentFile(ctx, document);
    if (!file) continue;
    count += 1;
    totalSize += file.size;
  }
  return {
    collectionId: collection.id,
    collectionName: collection.name,
    createdAt: timestampFromDate(collection.createdAt),
    indexConfiguration: { modelName: collection.indexModel },
    chunkConfiguration: collection.chunkConfiguration,
    documentsCount: count,
    fieldDefinitions: collection.fieldDefinitions,
    collectionDescription: collection.description,
    totalFileSize: BigInt(totalSize),
  };
}

const STATUS: Record<ReturnType<typeof documentState>, DocumentStatus> = {
  processing: DocumentStatus.PROCESSING,
  processed: DocumentStatus.PROCESSED,
  failed: DocumentStatus.FAILED,
};

function documentMessage(
  ctx: EmulatorContext,
  collection: CollectionRecord,
  document: DocumentRecord,
  file: StoredFile,
): MessageInitShape<typeof DocumentMetadataSchema> {
  const state = documentState(ctx, document);
  const chunks = state === "processed" ? documentChunks(ctx, collection, document, file).length : undefined;
  return {
    fileMetadata: {
      fileId: file.id,
      name: file.filename,
      sizeBytes: BigInt(file.size),
      contentType: file.mimeType,
      createdAt: timestampFromDate(file.createdAt),
      expiresAt: file.expiresAt ? timestampFromDate(file.expiresAt) : undefined,
      hash: fileHash(file),
    },
    fields: document.fields,
    status: STATUS[state],
    errorMessage: state === "failed" ? document.failure : undefined,
    lastIndexedAt: state === "processing" ? undefined : timestampFromDate(new Date(document.readyAt)),
    chunkCount: chunks,
    chunksProcessedCount: chunks === undefined ? undefined : BigInt(chunks),
  };
}

function orderOf(order: Ordering | undefined): boolean {
  if (order === undefined || order === Ordering.UNKNOWN || order === Ordering.ASCENDING) return false;
  if (order === Ordering.DESCENDING) return true;
  throw invalidArgument(`order ${order} is not a known ordering (ascending or descending).`);
}

function describeTopics(texts: string[]): string[] {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const term of termsOf(text)) {
      if (term.length < 3 || STOP_WORDS.has(term) || /^\d+$/.test(term)) continue;
      counts.set(term, (counts.get(term) ?? 0) + 1);
    }
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 4)
    .map(([term]) => term);
}

function listPhrase(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/**
 * The emulator's Collections service (management port).
 *
 * @example
 * ```ts
 * const registration = collectionsService(ctx);
 * ```
 */
export function collectionsService(ctx: EmulatorContext): ServiceRegistration {
  const findDocument = (collection: CollectionRecord, fileId: string) => {
    if (!fileId) throw invalidArgument("file_id is required.");
    const document = collection.documents.get(fileId);
    const file = document ? documentFile(ctx, document) : undefined;
    if (!document || !file) {
      throw new EmulatorError(
        Code.NOT_FOUND,
        `The collection "${collection.id}" has no document "${fileId}".`,
      );
    }
    return { document, file };
  };
  const liveDocuments = (collection: CollectionRecord) =>
    [...collection.documents.values()].flatMap((document) => {
      const file = documentFile(ctx, document);
      return file ? [{ document, file }] : [];
    });

  return register(
    Collections,
    {
      createCollection(request) {
        const name = request.collectionName.trim();
        if (!name) throw invalidArgument("collection_name is required: name the collection.");
        if (request.chunkConfiguration) checkChunkConfiguration(request.chunkConfiguration);
        checkFieldDefinitions(request.fieldDefinitions);
        const modelName = request.indexConfiguration?.modelName;
        const indexModel = modelName
          ? ctx.resolveModel(modelName, "embedding").name
          : (ctx.models.find((m) => m.kind === "embedding")?.name ?? "");
        const collection: CollectionRecord = {
          id: ctx.newId("collection"),
          seq: nextCollectionSeq(ctx),
          name,
          description: request.collectionDescription,
          createdAt: ctx.now(),
          indexModel,
          chunkConfiguration: request.chunkConfiguration ?? defaultChunkConfiguration(),
          fieldDefinitions: request.fieldDefinitions,
          documents: new Map(),
          documentSeq: 0,
        };
        collectionsOf(ctx).set(collection.id, collection);
        return collectionMessage(ctx, collection);
      },

      listCollections(request) {
        const sortBy = request.sortBy ?? CollectionsSortBy.NAME;
        if (sortBy !== CollectionsSortBy.NAME && sortBy !== CollectionsSortBy.AGE) {
          throw invalidArgument(`sort_by ${sortBy} is not a known sort field (name or age).`);
        }
        const matches = compileFilter(request.filter, {
          names: ["collection_name", "description", "collection_id", "documents_count", "created_at"],
          mainField: "collection_name",
        });
        const collections = [...collectionsOf(ctx).values()].filter((c) =>
          matches((field) => {
            switch (field) {
              case "collection_name":
                return c.name;
              case "description":
                return c.description;
              case "collection_id":
                return c.id;
              case "documents_count":
                return liveDocuments(c).length;
              default:
                return c.createdAt;
            }
          }),
        );
        const page = pageOf(collections, {
          limit: request.limit,
          token: request.paginationToken,
          keyOf: (c): SortKey => (sortBy === CollectionsSortBy.NAME ? c.name : c.seq),
          idOf: (c) => c.id,
          descending: orderOf(request.order),
        });
        return {
          collections: page.items.map((c) => collectionMessage(ctx, c)),
          paginationToken: page.nextToken,
        };
      },

      deleteCollection(request) {
        getCollection(ctx, request.collectionId);
        collectionsOf(ctx).delete(request.collectionId);
        return {};
      },

      getCollectionMetadata: (request) => collectionMessage(ctx, getCollection(ctx, request.collectionId)),

      updateCollection(request) {
        const collection = getCollection(ctx, request.collectionId);
        if (request.collectionName !== undefined && !request.collectionName.trim()) {
          throw invalidArgument("collection_name cannot be empty.");
        }
        if (request.chunkConfiguration) checkChunkConfiguration(request.chunkConfiguration);
        const definitions = [...collection.fieldDefinitions];
        for (const update of request.fieldDefinitionUpdates) {
          const key = update.fieldDefinition?.key ?? "";
          if (!key.trim()) throw invalidArgument("A field definition update has no key.");
          const at = definitions.findIndex((d) => d.key === key);
          if (update.operation === FieldDefinitionOperation.FIELD_DEFINITION_ADD) {
            if (at >= 0) {
              throw new EmulatorError(
                Code.ALREADY_EXISTS,
                `The collection already defines the field "${key}".`,
              );
            }
            definitions.push(update.fieldDefinition!);
          } else if (update.operation === FieldDefinitionOperation.FIELD_DEFINITION_DELETE) {
            if (at < 0) throw invalidArgument(`The collection has no field "${key}" to delete.`);
            definitions.splice(at, 1);
          } else {
            throw invalidArgument(`Field definition operation ${update.operation} is not add or delete.`);
          }
        }
        if (request.collectionName !== undefined) collection.name = request.collectionName.trim();
        if (request.collectionDescription !== undefined)
          collection.description = request.collectionDescription;
        if (request.chunkConfiguration) collection.chunkConfiguration = request.chunkConfiguration;
        collection.fieldDefinitions = definitions;
        return collectionMessage(ctx, collection);
      },

      addDocumentToCollection(request) {
        const collection = getCollection(ctx, request.collectionId);
        const file = getStoredFile(ctx, request.fileId);
        if (collection.documents.has(file.id) && documentFile(ctx, collection.documents.get(file.id)!)) {
          throw new EmulatorError(
            Code.ALREADY_EXISTS,
            `The file "${file.id}" is already a document of the collection "${collection.id}".`,
          );
        }
        const fields = { ...request.fields };
        checkFields(collection, fields);
        const document: DocumentRecord = {
          fileId: file.id,
          seq: ++collection.documentSeq,
          fields,
          addedAt: ctx.now(),
          readyAt: 0,
          chunkConfiguration: collection.chunkConfiguration,
        };
        startIndexing(ctx, collection, document, file);
        collection.documents.set(file.id, document);
        return {};
      },

      listDocuments(request) {
        const collection = getCollection(ctx, request.collectionId);
        const sortBy = request.sortBy ?? DocumentsSortBy.NAME;
        if (![DocumentsSortBy.NAME, DocumentsSortBy.SIZE, DocumentsSortBy.AGE].includes(sortBy)) {
          throw invalidArgument(`sort_by ${sortBy} is not a known sort field (name, size or age).`);
        }
        const matches = compileFilter(request.filter, {
          names: ["name", "status", "size", "content_type", "file_id"],
          mainField: "name",
          dynamicPrefixes: ["fields."],
        });
        const nameContains = request.name?.toLowerCase();
        const documents = liveDocuments(collection).filter(({ document, file }) => {
          if (nameContains && !file.filename.toLowerCase().includes(nameContains)) return false;
          return matches((field) => {
            if (field.startsWith("fields.")) return document.fields[field.slice("fields.".length)];
            switch (field) {
              case "name":
                return file.filename;
              case "status":
                return documentState(ctx, document);
              case "size":
                return file.size;
              case "content_type":
                return file.mimeType;
              default:
                return file.id;
            }
          });
        });
        const page = pageOf(documents, {
          limit: request.limit,
          token: request.paginationToken,
          keyOf: ({ document, file }): SortKey =>
            sortBy === DocumentsSortBy.NAME
              ? file.filename
              : sortBy === DocumentsSortBy.SIZE
                ? file.size
                : document.seq,
          idOf: ({ file }) => file.id,
          descending: orderOf(request.order),
        });
        return {
          documents: page.items.map(({ document, file }) => documentMessage(ctx, collection, document, file)),
          paginationToken: page.nextToken,
        };
      },

      getDocumentMetadata(request) {
        const collection = getCollection(ctx, request.collectionId);
        const { document, file } = findDocument(collection, request.fileId);
        return documentMessage(ctx, collection, document, file);
      },

      batchGetDocuments(request) {
        const collection = getCollection(ctx, request.collectionId);
        const missing = request.fileIds.filter((id) => {
          const document = collection.documents.get(id);
          return !document || !documentFile(ctx, document);
        });
        if (missing.length > 0) {
          throw new EmulatorError(
            Code.NOT_FOUND,
            `The collection "${collection.id}" has no document ${missing.map((id) => `"${id}"`).join(", ")}.`,
          );
        }
        return {
          documents: request.fileIds.map((id) => {
            const { document, file } = findDocument(collection, id);
            return documentMessage(ctx, collection, document, file);
          }),
        };
      },

      updateDocument(request) {
        const collection = getCollection(ctx, request.collectionId);
        const { document, file } = findDocument(collection, request.fileId);
        if (request.name !== undefined && !request.name.trim())
          throw invalidArgument("name cannot be empty.");
        const fields = { ...document.fields, ...request.fields };
        checkFields(collection, fields, document.fileId);
        document.fields = fields;
        updateStoredFile(file, { bytes: request.data, filename: request.name?.trim() });
        if (request.contentType) file.mimeType = request.contentType;
        if (
          request.data !== undefined ||
          Object.keys(request.fields).length > 0 ||
          request.name !== undefined
        ) {
          startIndexing(ctx, collection, document, file);
        }
        return documentMessage(ctx, collection, document, file);
      },

      removeDocumentFromCollection(request) {
        const collection = getCollection(ctx, request.collectionId);
        findDocument(collection, request.fileId);
        collection.documents.delete(request.fileId);
        return {};
      },

      reIndexDocument(request) {
        const collection = getCollection(ctx, request.collectionId);
        const { document, file } = findDocument(collection, request.fileId);
        startIndexing(ctx, collection, document, file);
        return {};
      },

      generateCollectionDescription(request) {
        const collection = getCollection(ctx, request.collectionId);
        const documents = liveDocuments(collection);
        const processed = documents.filter(({ document }) => documentState(ctx, document) === "processed");
        if (processed.length === 0) {
          return {
            collectionDescription: `The collection "${collection.name}" has no indexed documents yet, so there is nothing to describe.`,
          };
        }
        const topics = describeTopics(
          processed.flatMap(({ document, file }) => documentChunks(ctx, collection, document, file)),
        );
        const names = processed.slice(0, 3).map(({ file }) => file.filename);
        const more = processed.length > 3 ? ` and ${processed.length - 3} more` : "";
        return {
          collectionDescription:
            `A collection of ${processed.length} document${processed.length === 1 ? "" : "s"} (${listPhrase(names)}${more})` +
            (topics.length > 0 ? ` about ${listPhrase(topics)}.` : "."),
        };
      },
    },
    true,
  );
}
