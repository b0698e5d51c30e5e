import type { MessageInitShape } from "@bufbuild/protobuf";
import { checkLimit, requireText } from "../core/check.js";
import { PagePromise, pageOf } from "../core/paginate.js";
import { checkWaitOptions, poll, remainingCallOptions, type WaitOptions } from "../core/poll.js";
import { DocumentIndexingError } from "../errors.js";
import type { FilesClient } from "../files/client.js";
import type { UploadOptions, UploadSource } from "../files/upload-source.js";
import type { ListCollectionsResponse, ListDocumentsResponse } from "../gen/xai/api/v1/collections_pb.js";
import {
  Collections,
  FieldDefinitionOperation,
  type UpdateCollectionRequestSchema,
} from "../gen/xai/api/v1/collections_pb.js";
import { Documents } from "../gen/xai/api/v1/documents_pb.js";
import type { CallInvoker } from "../transport/calls.js";
import { XaiInputError } from "../transport/errors.js";
import type { CallOptions } from "../transport/options.js";
import type { Transport } from "../transport/transport.js";
import { Collection } from "./collection.js";
import { CollectionDocument, DocumentSearchResults } from "./documents.js";
import {
  type CreateCollectionOptions,
  chunkConfigurationProto,
  collectionsSortProto,
  type DocumentSearchOptions,
  documentsSortProto,
  fieldDefinitionsProto,
  fieldsRecord,
  type ListCollectionsOptions,
  type ListDocumentsOptions,
  metricProto,
  optionalText,
  orderingProto,
  requireIds,
  requireObject,
  searchRequest,
  type UpdateCollectionOptions,
} from "./options.js";

/**
 * Default interval between polls of a document's indexing state: 2 s (the Python SDK waits 10 s).
 *
 * @example
 * ```ts
 * await client.collections.waitForIndexing(col.id, fileId, { pollInterval: DEFAULT_INDEXING_POLL_INTERVAL_MS / 4 });
 * ```
 */
export const DEFAULT_INDEXING_POLL_INTERVAL_MS = 2_000;
/**
 * Default time to wait for a document to be indexed: 2 minutes (as the Python SDK).
 *
 * @example
 * ```ts
 * await client.collections.waitForIndexing(col.id, fileId, { timeout: 5 * DEFAULT_INDEXING_TIMEOUT_MS });
 * ```
 */
export const DEFAULT_INDEXING_TIMEOUT_MS = 120_000;

const INDEXING_DEFAULTS = {
  pollInterval: DEFAULT_INDEXING_POLL_INTERVAL_MS,
  timeout: DEFAULT_INDEXING_TIMEOUT_MS,
};

/**
 * What `client.collections.uploadDocument` uploads and adds (how to wait is its last argument, a
 * `WaitOptions`).
 *
 * @example
 * ```ts
 * await client.collections.uploadDocument(col.id, "handbook.pdf", { fields: { year: "2025" }, waitForIndexing: true });
 * ```
 */
export interface UploadDocumentOptions {
  /** The document's name; defaults as in `client.files.upload` (a path's base name, …). */
  filename?: string;
  /** The content's media type (adds the extension to a `filename` without one). */
  mimeType?: string;
  /** Field values of the document (see the collection's field definitions). */
  fields?: Record<string, string>;
  /** Wait until the document is indexed (or failed); otherwise return its state right after adding it. */
  waitForIndexing?: boolean;
  /** Upload progress (bytes sent). */
  onUploadProgress?: UploadOptions["onProgress"];
}

/**
 * What `client.collections.addExistingDocument` adds with the file.
 *
 * @example
 * ```ts
 * await client.collections.addExistingDocument(col.id, file.id, { fields: { author: "Ada" } });
 * ```
 */
export interface AddDocumentOptions {
  /** Field values of the document (see the collection's field definitions). */
  fields?: Record<string, string>;
}

/**
 * Changes to a document; give at least one.
 *
 * @example
 * ```ts
 * await client.collections.updateDocument(col.id, fileId, { fields: { reviewed: "yes" } });
 * ```
 */
export interface UpdateDocumentOptions {
  /** A new name. */
  name?: string;
  /** New content (replaces the file's bytes; the document is indexed again). */
  data?: Uint8Array | string;
  /** Media type of the new content. */
  contentType?: string;
  /** New field values. */
  fields?: Record<string, string>;
}

function pageToken(value: unknown): string | undefined {
  return optionalText(value, "paginationToken") || undefined;
}

/**
 * Collections of documents for retrieval (the Collections service on the management host, plus
 * Documents.Search on the API host). Reached as `client.collections`. Every method except `search` needs a
 * management key; without one it rejects with `XaiInputError` before any call.
 *
 * Methods that address a document take the collection id first, then the file id.
 *
 * @example
 * ```ts
 * const col = await client.collections.create({ name: "handbook" });
 * await client.collections.uploadDocument(col.id, "handbook.pdf", { waitForIndexing: true });
 * const { matches } = await client.collections.search("vacation days", { collectionIds: [col.id] });
 * ```
 */
export class CollectionsClient {
  /** @internal */
  constructor(
    protected readonly transport: Transport,
    protected readonly files: FilesClient,
  ) {}

  /** The management channel; throws the clear missing-key error before any call. */
  private get management(): CallInvoker {
    return this.transport.management;
  }

  /**
   * Creates a collection.
   *
   * @example
   * ```ts
   * const col = await client.collections.create({ name: "papers", chunkConfiguration: { unit: "chars", maxChunkSize: 1_500, overlap: 150 } });
   * ```
   */
  async create(params: CreateCollectionOptions, options?: CallOptions): Promise<Collection> {
    const management = this.management;
    requireObject(params, "create options");
    const proto = await management.unary(
      Collections.method.createCollection,
      {
        collectionName: requireText(params.name, "name"),
        collectionDescription: optionalText(params.description, "description"),
        indexConfiguration:
          params.embeddingModel === undefined
            ? undefined
            : { modelName: requireText(params.embeddingModel, "embeddingModel") },
        chunkConfiguration:
          params.chunkConfiguration === undefined
            ? undefined
            : chunkConfigurationProto(params.chunkConfiguration),
        metricSpace: metricProto(params.metricSpace),
        fieldDefinitions:
          params.fieldDefinitions === undefined
            ? []
            : fieldDefinitionsProto(params.fieldDefinitions, "fieldDefinitions"),
      },
      options,
    );
    return new Collection(proto);
  }

  /**
   * Changes a collection's name, description, chunking or field definitions.
   *
   * @example
   * ```ts
   * await client.collections.update(col.id, { name: "papers (2025)" });
   * ```
   */
  async update(
    collectionId: string,
    changes: UpdateCollectionOptions,
    options?: CallOptions,
  ): Promise<Collection> {
    const management = this.management;
    const id = requireText(collectionId, "collectionId");
    requireObject(changes, "update options");
    const request: MessageInitShape<typeof UpdateCollectionRequestSchema> = {
      collectionId: id,
      collectionName: changes.name === undefined ? undefined : requireText(changes.name, "name"),
      collectionDescription: optionalText(changes.description, "description"),
      chunkConfiguration:
        changes.chunkConfiguration === undefined
          ? undefined
          : chunkConfigurationProto(changes.chunkConfiguration),
      fieldDefinitionUpdates: [
        ...(changes.addFields === undefined ? [] : fieldDefinitionsProto(changes.addFields, "addFields")).map(
          (fieldDefinition) => ({
            fieldDefinition,
            operation: FieldDefinitionOperation.FIELD_DEFINITION_ADD,
          }),
        ),
        ...(changes.removeFields === undefined ? [] : requireIds(changes.removeFields, "removeFields")).map(
          (key) => ({
            fieldDefinition: { key },
            operation: FieldDefinitionOperation.FIELD_DEFINITION_DELETE,
          }),
        ),
      ],
    };
    if (
      request.collectionName === undefined &&
      request.collectionDescription === undefined &&
      request.chunkConfiguration === undefined &&
      request.fieldDefinitionUpdates?.length === 0
    ) {
      throw new XaiInputError(
        "update needs at least one change: name, description, chunkConfiguration, addFields or removeFields",
      );
    }
    return new Collection(await management.unary(Collections.method.updateCollection, request, options));
  }

  /**
   * Gets one collection.
   *
   * @example
   * ```ts
   * const col = await client.collections.get("col_123");
   * ```
   */
  async get(collectionId: string, options?: CallOptions): Promise<Collection> {
    const management = this.management;
    const proto = await management.unary(
      Collections.method.getCollectionMetadata,
      { collectionId: requireText(collectionId, "collectionId") },
      options,
    );
    return new Collection(proto);
  }

  /**
   * Deletes a collection (its files stay in your file storage).
   *
   * @example
   * ```ts
   * await client.collections.delete(col.id);
   * ```
   */
  async delete(collectionId: string, options?: CallOptions): Promise<void> {
    const management = this.management;
    await management.unary(
      Collections.method.deleteCollection,
      { collectionId: requireText(collectionId, "collectionId") },
      options,
    );
  }

  /**
   * Your collections: awaited, one page (`limit` at most, from `paginationToken`); iterated with `for await`,
   * every collection from there, page after page. Parameters and the management key are checked at once;
   * each await or loop makes its own calls (see {@link PagePromise}).
   *
   * @example
   * ```ts
   * const page = await client.collections.list({ limit: 20 });
   * for await (const col of client.collections.list({ sortBy: "age" })) console.log(col.name);
   * ```
   */
  list(
    params: ListCollectionsOptions = {},
    options?: CallOptions,
  ): PagePromise<Collection, ListCollectionsResponse> {
    const management = this.management;
    requireObject(params, "list options");
    const request = {
      limit: checkLimit(params.limit),
      order: orderingProto(params.order),
      sortBy: collectionsSortProto(params.sortBy),
      filter: optionalText(params.filter, "filter") || undefined,
    };
    return new PagePromise(async (paginationToken) => {
      const response = await management.unary(
        Collections.method.listCollections,
        { ...request, paginationToken },
        options,
      );
      return pageOf(response, response.collections, (c) => new Collection(c));
    }, pageToken(params.paginationToken));
  }

  /**
   * Uploads a file through `client.files` and adds it to the collection; with `waitForIndexing`, waits
   * until it is indexed (a failed indexing rejects with {@link DocumentIndexingError}). The management key is
   * checked before the upload starts.
   *
   * `options` apply to the whole operation: `timeout` is its budget (upload, add and wait; without it the
   * upload and the add have the client's timeout each and the wait {@link DEFAULT_INDEXING_TIMEOUT_MS}),
   * `signal` aborts any step, `metadata` goes on every call, and `pollInterval` / `onProgress` are those of
   * the wait.
   *
   * @example
   * ```ts
   * const doc = await client.collections.uploadDocument(
   *   col.id,
   *   Buffer.from("Refunds take 14 days."),
   *   { filename: "refunds.txt", fields: { team: "support" }, waitForIndexing: true },
   *   { timeout: 300_000, onProgress: (d) => console.log(d.status) },
   * );
   * ```
   */
  async uploadDocument(
    collectionId: string,
    source: UploadSource,
    params: UploadDocumentOptions = {},
    options?: WaitOptions<CollectionDocument>,
  ): Promise<CollectionDocument> {
    const management = this.management;
    const id = requireText(collectionId, "collectionId");
    requireObject(params, "uploadDocument options");
    const fields = fieldsRecord(params.fields);
    if (params.waitForIndexing !== undefined && typeof params.waitForIndexing !== "boolean") {
      throw new XaiInputError(`waitForIndexing must be true or false, got ${String(params.waitForIndexing)}`);
    }
    checkWaitOptions(options, INDEXING_DEFAULTS);
    const uploadOptions: UploadOptions = {};
    if (params.filename !== undefined) uploadOptions.filename = params.filename;
    if (params.mimeType !== undefined) uploadOptions.mimeType = params.mimeType;
    if (params.onUploadProgress !== undefined) uploadOptions.onProgress = params.onUploadProgress;
    const startedAt = Date.now();
    const call = () => remainingCallOptions(options, options?.timeout, startedAt);
    const file = await this.files.upload(source, uploadOptions, call());
    await management.unary(
      Collections.method.addDocumentToCollection,
      { collectionId: id, fileId: file.id, fields },
      call(),
    );
    if (params.waitForIndexing) {
      // A given timeout is the whole operation's budget; the default one is the wait's alone.
      return this.pollIndexing(id, file.id, options, options?.timeout === undefined ? Date.now() : startedAt);
    }
    return this.getDocument(id, file.id, call());
  }

  /**
   * Adds a file already in your file storage to the collection.
   *
   * @example
   * ```ts
   * await client.collections.addExistingDocument(col.id, file.id, { fields: { author: "Ada" } });
   * ```
   */
  async addExistingDocument(
    collectionId: string,
    fileId: string,
    params: AddDocumentOptions = {},
    options?: CallOptions,
  ): Promise<void> {
    const management = this.management;
    requireObject(params, "addExistingDocument options");
    await management.unary(
      Collections.method.addDocumentToCollection,
      {
        collectionId: requireText(collectionId, "collectionId"),
        fileId: requireText(fileId, "fileId"),
        fields: fieldsRecord(params.fields),
      },
      options,
    );
  }

  /**
   * Waits until a document is indexed; rejects with {@link DocumentIndexingError} if indexing fails and with
   * `PollTimeoutError` if `options.timeout` (the whole wait's budget, default
   * {@link DEFAULT_INDEXING_TIMEOUT_MS}) passes first. `pollInterval` defaults to
   * {@link DEFAULT_INDEXING_POLL_INTERVAL_MS}; `onProgress` receives the document after each poll; `metadata`
   * goes on every poll.
   *
   * @example
   * ```ts
   * await client.collections.reindexDocument(col.id, fileId);
   * await client.collections.waitForIndexing(col.id, fileId, { timeout: 60_000, onProgress: (d) => console.log(d.status) });
   * ```
   */
  async waitForIndexing(
    collectionId: string,
    fileId: string,
    options?: WaitOptions<CollectionDocument>,
  ): Promise<CollectionDocument> {
    return this.pollIndexing(collectionId, fileId, options, Date.now());
  }

  private async pollIndexing(
    collectionId: string,
    fileId: string,
    options: WaitOptions<CollectionDocument> | undefined,
    startedAt: number,
  ): Promise<CollectionDocument> {
    const collection = requireText(collectionId, "collectionId");
    const file = requireText(fileId, "fileId");
    return poll<CollectionDocument, CollectionDocument>(
      `indexing of document ${file} in collection ${collection}`,
      async (call) => {
        const document = await this.getDocument(collection, file, call());
        if (document.isIndexed) return { done: true, value: document };
        if (document.status === "failed") throw new DocumentIndexingError(collection, document);
        return { done: false, progress: document };
      },
      options,
      INDEXING_DEFAULTS,
      startedAt,
    );
  }

  /**
   * A collection's documents: awaited, one page (`limit` at most, from `paginationToken`); iterated with
   * `for await`, every document from there, page after page (see {@link CollectionsClient.list}).
   *
   * @example
   * ```ts
   * const page = await client.collections.listDocuments(col.id, { limit: 100 });
   * for await (const doc of client.collections.listDocuments(col.id)) console.log(doc.name, doc.status);
   * ```
   */
  listDocuments(
    collectionId: string,
    params: ListDocumentsOptions = {},
    options?: CallOptions,
  ): PagePromise<CollectionDocument, ListDocumentsResponse> {
    const management = this.management;
    const id = requireText(collectionId, "collectionId");
    requireObject(params, "listDocuments options");
    const request = {
      collectionId: id,
      limit: checkLimit(params.limit),
      order: orderingProto(params.order),
      sortBy: documentsSortProto(params.sortBy),
      filter: optionalText(params.filter, "filter") || undefined,
    };
    return new PagePromise(async (paginationToken) => {
      const response = await management.unary(
        Collections.method.listDocuments,
        { ...request, paginationToken },
        options,
      );
      return pageOf(response, response.documents, (d) => new CollectionDocument(d));
    }, pageToken(params.paginationToken));
  }

  /**
   * Gets one document of a collection.
   *
   * @example
   * ```ts
   * const doc = await client.collections.getDocument(col.id, fileId);
   * ```
   */
  async getDocument(
    collectionId: string,
    fileId: string,
    options?: CallOptions,
  ): Promise<CollectionDocument> {
    const management = this.management;
    const proto = await management.unary(
      Collections.method.getDocumentMetadata,
      { collectionId: requireText(collectionId, "collectionId"), fileId: requireText(fileId, "fileId") },
      options,
    );
    return new CollectionDocument(proto);
  }

  /**
   * Gets several documents of a collection in one call.
   *
   * @example
   * ```ts
   * const docs = await client.collections.getDocuments(col.id, [a.id, b.id]);
   * ```
   */
  async getDocuments(
    collectionId: string,
    fileIds: string[],
    options?: CallOptions,
  ): Promise<CollectionDocument[]> {
    const management = this.management;
    const response = await management.unary(
      Collections.method.batchGetDocuments,
      { collectionId: requireText(collectionId, "collectionId"), fileIds: requireIds(fileIds, "fileIds") },
      options,
    );
    return response.documents.map((d) => new CollectionDocument(d));
  }

  /**
   * Removes a document from a collection (the file stays in your file storage).
   *
   * @example
   * ```ts
   * await client.collections.removeDocument(col.id, fileId);
   * ```
   */
  async removeDocument(collectionId: string, fileId: string, options?: CallOptions): Promise<void> {
    const management = this.management;
    await management.unary(
      Collections.method.removeDocumentFromCollection,
      { collectionId: requireText(collectionId, "collectionId"), fileId: requireText(fileId, "fileId") },
      options,
    );
  }

  /**
   * Changes a document's name, content or fields.
   *
   * @example
   * ```ts
   * const doc = await client.collections.updateDocument(col.id, fileId, { data: "New text", contentType: "text/plain" });
   * ```
   */
  async updateDocument(
    collectionId: string,
    fileId: string,
    changes: UpdateDocumentOptions,
    options?: CallOptions,
  ): Promise<CollectionDocument> {
    const management = this.management;
    const collection = requireText(collectionId, "collectionId");
    const file = requireText(fileId, "fileId");
    requireObject(changes, "updateDocument options");
    let data: Uint8Array | undefined;
    if (typeof changes.data === "string") data = new TextEncoder().encode(changes.data);
    else if (changes.data instanceof Uint8Array) data = changes.data;
    else if (changes.data !== undefined) {
      throw new XaiInputError("data must be a string or a Uint8Array (e.g. a Buffer)");
    }
    const fields = changes.fields === undefined ? undefined : fieldsRecord(changes.fields);
    const name = changes.name === undefined ? undefined : requireText(changes.name, "name");
    const contentType = optionalText(changes.contentType, "contentType");
    if (name === undefined && data === undefined && contentType === undefined && fields === undefined) {
      throw new XaiInputError("updateDocument needs at least one change: name, data, contentType or fields");
    }
    const proto = await management.unary(
      Collections.method.updateDocument,
      { collectionId: collection, fileId: file, name, data, contentType, fields: fields ?? {} },
      options,
    );
    return new CollectionDocument(proto);
  }

  /**
   * Indexes a document again (e.g. after the collection's chunking changed).
   *
   * @example
   * ```ts
   * await client.collections.reindexDocument(col.id, fileId);
   * ```
   */
  async reindexDocument(collectionId: string, fileId: string, options?: CallOptions): Promise<void> {
    const management = this.management;
    await management.unary(
      Collections.method.reIndexDocument,
      { collectionId: requireText(collectionId, "collectionId"), fileId: requireText(fileId, "fileId") },
      options,
    );
  }

  /**
   * Asks the server to write a description of the collection from its documents; returns it.
   *
   * @example
   * ```ts
   * const description = await client.collections.generateDescription(col.id);
   * ```
   */
  async generateDescription(collectionId: string, options?: CallOptions): Promise<string> {
    const management = this.management;
    const response = await management.unary(
      Collections.method.generateCollectionDescription,
      { collectionId: requireText(collectionId, "collectionId") },
      options,
    );
    return response.collectionDescription;
  }

  /**
   * Searches the documents of one or more collections (Documents.Search, on the API host: no management key
   * needed).
   *
   * @example
   * ```ts
   * const results = await client.collections.search("How many vacation days?", { collectionIds: [col.id], limit: 3, retrievalMode: "semantic" });
   * for (const m of results.matches) console.log(m.score, m.content);
   * ```
   */
  async search(
    query: string,
    params: DocumentSearchOptions,
    options?: CallOptions,
  ): Promise<DocumentSearchResults> {
    const request = searchRequest(query, params);
    return new DocumentSearchResults(
      await this.transport.api.unary(Documents.method.search, request, options),
    );
  }
}
