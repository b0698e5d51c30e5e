import { optionalDate } from "../core/dates.js";
import { ProtoWrapper } from "../core/wrapper.js";
import { type CollectionMetadata, CollectionMetadataSchema } from "../gen/xai/api/v1/collections_pb.js";
import {
  type ChunkConfiguration,
  chunkConfigurationFromProto,
  type FieldDefinition,
  fieldDefinitionFromProto,
} from "./options.js";

/**
 * A collection of documents: name, description, counts, index and chunking settings, field definitions.
 *
 * @example
 * ```ts
 * const col = await client.collections.get(collectionId);
 * console.log(col.name, col.documentCount, col.chunkConfiguration);
 * ```
 */
export class Collection extends ProtoWrapper<typeof CollectionMetadataSchema> {
  /** @internal */
  constructor(proto: CollectionMetadata) {
    super(CollectionMetadataSchema, proto);
  }
  /** The collection id. */
  get id(): string {
    return this.proto.collectionId;
  }
  /** The collection's name. */
  get name(): string {
    return this.proto.collectionName;
  }
  /** What the collection holds, if described. */
  get description(): string | undefined {
    return this.proto.collectionDescription;
  }
  /** When it was created. */
  get createdAt(): Date | undefined {
    return optionalDate(this.proto.createdAt);
  }
  /** How many documents it holds. */
  get documentCount(): number {
    return this.proto.documentsCount;
  }
  /** Total size of its documents in bytes. */
  get totalFileSize(): number {
    return Number(this.proto.totalFileSize);
  }
  /** The embedding model of its index. */
  get embeddingModel(): string | undefined {
    return this.proto.indexConfiguration?.modelName || undefined;
  }
  /** How its documents are chunked. */
  get chunkConfiguration(): ChunkConfiguration | undefined {
    return chunkConfigurationFromProto(this.proto.chunkConfiguration);
  }
  /** Metadata fields of its documents. */
  get fieldDefinitions(): FieldDefinition[] {
    return this.proto.fieldDefinitions.map(fieldDefinitionFromProto);
  }
}
