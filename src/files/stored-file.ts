import { optionalDate } from "../core/dates.js";
import { ProtoWrapper } from "../core/wrapper.js";
import {
  type CreatePublicUrlResponse,
  CreatePublicUrlResponseSchema,
  type DeleteFileResponse,
  DeleteFileResponseSchema,
  type File as FileProto,
  FileSchema,
  type RevokePublicUrlResponse,
  RevokePublicUrlResponseSchema,
} from "../gen/xai/api/v1/files_pb.js";
import { type FileOutput, FileOutputSchema } from "../gen/xai/api/v1/image_pb.js";

/**
 * A file in your xAI file storage, as returned by `upload`, `get` and `list` (awaited or iterated).
 *
 * @example
 * ```ts
 * const file = await client.files.upload("report.pdf");
 * console.log(file.id, file.filename, file.size, file.createdAt?.toISOString());
 * ```
 */
export class StoredFile extends ProtoWrapper<typeof FileSchema> {
  /** @internal */
  constructor(proto: FileProto) {
    super(FileSchema, proto);
  }
  /** The file's id, e.g. `file-…`; pass it to chat (`file({ fileId })`), images, videos, batches or collections. */
  get id(): string {
    return this.proto.id;
  }
  /** The file's name. */
  get filename(): string {
    return this.proto.filename;
  }
  /** Size in bytes. */
  get size(): number {
    return Number(this.proto.size);
  }
  /** When the file was uploaded. */
  get createdAt(): Date | undefined {
    return optionalDate(this.proto.createdAt);
  }
  /** When the file will be deleted automatically; undefined when it is kept until deleted. */
  get expiresAt(): Date | undefined {
    return optionalDate(this.proto.expiresAt);
  }
  /** The file's public URL, when one was created (`createPublicUrl`). */
  get publicUrl(): string | undefined {
    return this.proto.publicUrl;
  }
  /** When the public URL stops working. */
  get publicUrlExpiresAt(): Date | undefined {
    return optionalDate(this.proto.publicUrlExpiresAt);
  }
}

/**
 * The outcome of `client.files.delete(id)`.
 *
 * @example
 * ```ts
 * const result = await client.files.delete(file.id);
 * if (!result.deleted) console.warn(`${result.id} was not deleted`);
 * ```
 */
export class DeletedFile extends ProtoWrapper<typeof DeleteFileResponseSchema> {
  /** @internal */
  constructor(proto: DeleteFileResponse) {
    super(DeleteFileResponseSchema, proto);
  }
  /** The id of the file. */
  get id(): string {
    return this.proto.id;
  }
  /** Whether the file was deleted. */
  get deleted(): boolean {
    return this.proto.deleted;
  }
}

/**
 * A public URL created for a file: anyone with the URL can download the file until it expires or is revoked.
 *
 * @example
 * ```ts
 * const link = await client.files.createPublicUrl(file.id, { expiresAfter: 3_600 });
 * console.log(link.url, link.expiresAt);
 * ```
 */
export class PublicUrl extends ProtoWrapper<typeof CreatePublicUrlResponseSchema> {
  /** @internal */
  constructor(proto: CreatePublicUrlResponse) {
    super(CreatePublicUrlResponseSchema, proto);
  }
  /** The public URL. */
  get url(): string {
    return this.proto.publicUrl;
  }
  /** When the URL stops working; undefined when it does not expire. */
  get expiresAt(): Date | undefined {
    return optionalDate(this.proto.expiresAt);
  }
}

/**
 * The outcome of `client.files.revokePublicUrl(id)`.
 *
 * @example
 * ```ts
 * const result = await client.files.revokePublicUrl(file.id);
 * console.log(result.revoked, result.publicUrl);
 * ```
 */
export class RevokedPublicUrl extends ProtoWrapper<typeof RevokePublicUrlResponseSchema> {
  /** @internal */
  constructor(proto: RevokePublicUrlResponse) {
    super(RevokePublicUrlResponseSchema, proto);
  }
  /** The file whose URL was revoked. */
  get fileId(): string {
    return this.proto.fileId;
  }
  /** Whether a URL was revoked. */
  get revoked(): boolean {
    return this.proto.revoked;
  }
  /** The URL that no longer works, when there was one. */
  get publicUrl(): string | undefined {
    return this.proto.publicUrl;
  }
}

/**
 * Where a generated image or video was stored in your files, when the request had `storageOptions`.
 *
 * @example
 * ```ts
 * const image = await client.image.sample({ prompt: "a fox", model: "grok-imagine-image", storageOptions: { filename: "fox.png", publicUrl: true } });
 * console.log(image.fileOutput?.fileId, image.fileOutput?.publicUrl ?? image.fileOutput?.publicUrlError);
 * ```
 */
export class GeneratedFileOutput extends ProtoWrapper<typeof FileOutputSchema> {
  /** @internal */
  constructor(proto: FileOutput) {
    super(FileOutputSchema, proto);
  }
  /** The id of the stored file (usable with `client.files`). */
  get fileId(): string {
    return this.proto.fileId;
  }
  /** The stored file's name. */
  get filename(): string {
    return this.proto.filename;
  }
  /** The public URL, when one was asked for and created. */
  get publicUrl(): string | undefined {
    return this.proto.publicUrl;
  }
  /** When the public URL stops working. */
  get publicUrlExpiresAt(): Date | undefined {
    return optionalDate(this.proto.publicUrlExpiresAt);
  }
  /** Why the public URL could not be created, when it could not. */
  get publicUrlError(): string | undefined {
    return this.proto.publicUrlError;
  }
  /** When the stored file will be deleted; undefined when it is kept. */
  get expiresAt(): Date | undefined {
    return optionalDate(this.proto.expiresAt);
  }
}
