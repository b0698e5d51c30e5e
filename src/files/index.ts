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
export type {
  FileContentOptions,
  FilesClient,
  ListFilesOptions,
  UploadItem,
  UploadManyOptions,
} from "./client.js";
export type { GeneratedFileStorage } from "./storage.js";
export type {
  DeletedFile,
  GeneratedFileOutput,
  PublicUrl,
  RevokedPublicUrl,
  StoredFile,
} from "./stored-file.js";
export type { UploadOptions, UploadProgress, UploadSource } from "./upload-source.js";
