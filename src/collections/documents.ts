// Documents of a collection: their metadata and indexing status, the indexing failure, and search results
// (the Documents service of the API).
import { optionalDate } from "../core/dates.js";
import { ProtoWrapper } from "../core/wrapper.js";
import {
  type DocumentMetadata,
  DocumentMetadataSchema,
  DocumentStatus as DocumentStatusProto,
} from "../gen/xai/api/v1/collections_pb.js";
import { type SearchResponse, SearchResponseSchema } from "../gen/xai/api/v1/documents_pb.js";

/**
 * Indexing state of a document: `processing` (and its finer steps `chunked`, `embedding`, `writing`),
 * `processed` (searchable), `failed`, or `unknown`.
 *
 * @example
 * ```ts
 * if (doc.status === "failed") console.error(doc.errorMessage);
 * ```
 */
export type DocumentStatus =
  | "processing"
  | "chunked"
  | "embedding"
  | "writing"
  | "processed"
  | "failed"
  | "unknown";

function documentStatusName(status: DocumentStatusProto): DocumentStatus {
  switch (status) {
    case DocumentStatusProto.PROCESSING:
      return "processing";
    case DocumentStatusProto.CHUNKED:
      return "chunked";
    case DocumentStatusProto.EMBEDDING:
      return "embedding";
    case DocumentStatusProto.WRITING:
      return "writing";
    case DocumentStatusProto.PROCESSED:
      return "processed";
    case DocumentStatusProto.FAILED:
      return "failed";
    default:
      return "unknown";
  }
}

/**
 * A document of a collection: its file, field values and indexing state.
 *
 * @example
 * ```ts
 * const doc = await client.collections.getDocument(col.id, fileId);
 * console.log(doc.name, doc.status, doc.fields.author, doc.chunkCount);
 * ```
 */
export class CollectionDocument extends ProtoWrapper<typeof DocumentMetadataSchema> {
  /** @internal */
  constructor(proto: DocumentMetadata) {
    super(DocumentMetadataSchema, proto);
  }
  /** The document's file id (the id used with `client.files` too). */
  get fileId(): string {
    return this.proto.fileMetadata?.fileId ?? "";
  }
  /** The document's name. */
  get name(): string {
    return this.proto.fileMetadata?.name ?? "";
  }
  /** Size in bytes. */
  get size(): number {
    return Number(this.proto.fileMetadata?.sizeBytes ?? 0n);
  }
  /** Media type, e.g. `text/plain`. */
  get contentType(): string {
    return this.proto.fileMetadata?.contentType ?? "";
  }
  /** Content hash. */
  get hash(): string {
    return this.proto.fileMetadata?.hash ?? "";
  }
  /** When the file was created. */
  get createdAt(): Date | undefined {
    return optionalDate(this.proto.fileMetadata?.createdAt);
  }
  /** When the file expires, if it does. */
  get expiresAt(): Date | undefined {
    return optionalDate(this.proto.fileMetadata?.expiresAt);
  }
  /** Field values given when the document was added or updated. */
  get fields(): Record<string, string> {
    return { ...this.proto.fields };
  }
  /** Indexing state. */
  get status(): DocumentStatus {
    return documentStatusName(this.proto.status);
  }
  /** Whether the document is indexed and searchable. */
  get isIndexed(): boolean {
    return this.proto.status === DocumentStatusProto.PROCESSED;
  }
  /** Why indexing failed, when it did. */
  get errorMessage(): string | undefined {
    return this.proto.errorMessage;
  }
  /** When the document was last indexed. */
  get lastIndexedAt(): Date | undefined {
    return optionalDate(this.proto.lastIndexedAt);
  }
  /** Number of chunks, once known. */
  get chunkCount(): number | undefined {
    return this.proto.chunkCount;
  }
  /** Chunks processed so far, while indexing. */
  get chunksProcessed(): number | undefined {
    const n = this.proto.chunksProcessedCount;
    return n === undefined ? undefined : Number(n);
  }
}

/**
 * One chunk found by a search.
 *
 * @example
 * ```ts
 * for (const m of results.matches) console.log(m.score.toFixed(3), m.fileId, m.content.slice(0, 80));
 * ```
 */
export interface DocumentSearchMatch {
  /** The document's file id. */
  fileId: string;
  /** The chunk's id. */
  chunkId: string;
  /** The chunk's text. */
  content: string;
  /** Relevance (higher is better). */
  score: number;
  /** The searched collections that hold the document. */
  collectionIds: string[];
}

/**
 * The chunks a search found, best first.
 *
 * @example
 * ```ts
 * const results = await client.collections.search("refund policy", { collectionIds: [col.id] });
 * console.log(results.matches[0]?.content);
 * ```
 */
export class DocumentSearchResults extends ProtoWrapper<typeof SearchResponseSchema> {
  /** @internal */
  constructor(proto: SearchResponse) {
    super(SearchResponseSchema, proto);
  }
  /** The matching chunks, in the server's order. */
  get matches(): DocumentSearchMatch[] {
    return this.proto.matches.map((m) => ({
      fileId: m.fileId,
      chunkId: m.chunkId,
      content: m.chunkContent,
      score: m.score,
      collectionIds: [...m.collectionIds],
    }));
  }
}
