/**
 * File storage: upload (streamed in 3 MiB chunks), list, download, delete and public URLs.
 *
 * @example
 * ```ts
 * const file = await client.files.upload("report.pdf");
 * console.log(file.id, file.size);
 * ```
 * @module
 */
export {
  type FileContentOptions,
  FilesClient,
  type ListFilesOptions,
  type UploadItem,
  type UploadManyOptions,
} from "./client.js";
export { type GeneratedFileStorage, storageOptionsProto } from "./storage.js";
export {
  DeletedFile,
  GeneratedFileOutput,
  PublicUrl,
  RevokedPublicUrl,
  StoredFile,
} from "./stored-file.js";
export {
  rechunk,
  UPLOAD_CHUNK_BYTES,
  type UploadOptions,
  type UploadProgress,
  type UploadSource,
} from "./upload-source.js";
