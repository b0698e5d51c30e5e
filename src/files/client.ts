import type { MessageInitShape } from "@bufbuild/protobuf";
import { writeFileAtomic } from "../core/atomic-write.js";
import { checkEnum, checkLimit, checkSeconds, requireText } from "../core/check.js";
import { lazy } from "../core/lazy.js";
import { PagePromise, pageOf } from "../core/paginate.js";
import type { ListFilesResponse } from "../gen/xai/api/v1/files_pb.js";
import {
  DownloadFormat,
  Files,
  FilesSortBy,
  type ListFilesRequestSchema,
  Ordering,
  type UploadFileChunkSchema,
} from "../gen/xai/api/v1/files_pb.js";
import { XaiInputError } from "../transport/errors.js";
import type { CallOptions } from "../transport/options.js";
import type { Transport } from "../transport/transport.js";
import { DeletedFile, PublicUrl, RevokedPublicUrl, StoredFile } from "./stored-file.js";
import {
  type ResolvedUpload,
  rechunk,
  resolveUpload,
  UPLOAD_CHUNK_BYTES,
  type UploadOptions,
  type UploadProgress,
  type UploadSource,
} from "./upload-source.js";

/**
 * Options of `client.files.list`.
 *
 * @example
 * ```ts
 * const page = await client.files.list({ limit: 20, order: "desc", sortBy: "size" });
 * ```
 */
export interface ListFilesOptions {
  /** Files per page (per call); the server's default when omitted. */
  limit?: number;
  /** `"asc"` (the default) or `"desc"`. */
  order?: "asc" | "desc";
  /** What to sort by; creation time by default. */
  sortBy?: "createdAt" | "filename" | "size";
  /** A server-side filter expression, e.g. on the file name. */
  filter?: string;
  /** Start at this page: the `nextPageToken` of a previous page. */
  paginationToken?: string;
}

/**
 * Options of `client.files.uploadMany`.
 *
 * @example
 * ```ts
 * await client.files.uploadMany(paths, { concurrency: 8, onFileComplete: (i, r) => console.log(i, r.status) });
 * ```
 */
export interface UploadManyOptions {
  /** How many uploads run at once; default 4. */
  concurrency?: number;
  /** Applied to every file that has no `expiresAfter` of its own. */
  expiresAfter?: number;
  /** Called as each file finishes, in completion order, with its index in `sources`. */
  onFileComplete?: (index: number, result: PromiseSettledResult<StoredFile>) => void;
  /** Progress of every upload, with the file's index in `sources`. */
  onProgress?: (index: number, progress: UploadProgress) => void;
}

/**
 * One entry of `uploadMany` with its own options.
 *
 * @example
 * ```ts
 * const item: UploadItem = { source: Buffer.from("a,b\n1,2\n"), filename: "table.csv" };
 * ```
 */
export interface UploadItem extends UploadOptions {
  /** What to upload. */
  source: UploadSource;
}

/**
 * Options of `client.files.content`, `contentStream` and `saveContent`.
 *
 * @example
 * ```ts
 * const text = (await client.files.content(id, { format: "text" })).toString("utf8");
 * ```
 */
export interface FileContentOptions {
  /** `"original"` bytes (the default), or `"text"` extracted by the server (e.g. from a PDF). */
  format?: "original" | "text";
}

const ORDERS = lazy(
  (): Record<NonNullable<ListFilesOptions["order"]>, Ordering> => ({
    asc: Ordering.ASCENDING,
    desc: Ordering.DESCENDING,
  }),
);

const SORTS = lazy(
  (): Record<NonNullable<ListFilesOptions["sortBy"]>, FilesSortBy> => ({
    createdAt: FilesSortBy.CREATED_AT,
    filename: FilesSortBy.FILENAME,
    size: FilesSortBy.SIZE,
  }),
);

const FORMATS = lazy(
  (): Record<NonNullable<FileContentOptions["format"]>, DownloadFormat> => ({
    original: DownloadFormat.ORIGINAL,
    text: DownloadFormat.TEXT,
  }),
);

function checkFileId(id: unknown): string {
  return requireText(id, "a file id", "the `id` of an uploaded file");
}

function checkObject(value: unknown, name: string): void {
  if (value !== undefined && (typeof value !== "object" || value === null)) {
    throw new XaiInputError(`${name} must be an object, got ${JSON.stringify(value)}`);
  }
}

/** Builds the ListFiles request (no network). @internal */
export function buildListFilesRequest(
  params: ListFilesOptions = {},
): MessageInitShape<typeof ListFilesRequestSchema> {
  checkObject(params, "list options");
  const request: MessageInitShape<typeof ListFilesRequestSchema> = {};
  const limit = checkLimit(params.limit);
  if (limit !== undefined) request.limit = limit;
  const order = checkEnum(ORDERS(), params.order, "order");
  if (order !== undefined) request.order = order;
  const sortBy = checkEnum(SORTS(), params.sortBy, "sortBy");
  if (sortBy !== undefined) request.sortBy = sortBy;
  if (params.filter !== undefined) {
    if (typeof params.filter !== "string") throw new XaiInputError("filter must be a string");
    if (params.filter !== "") request.filter = params.filter;
  }
  if (params.paginationToken !== undefined) {
    if (typeof params.paginationToken !== "string")
      throw new XaiInputError("paginationToken must be a string");
    if (params.paginationToken !== "") request.paginationToken = params.paginationToken;
  }
  return request;
}

/**
 * The messages of an upload: the init message, then the content in {@link UPLOAD_CHUNK_BYTES} chunks,
 * reporting progress after each one is taken by the connection.
 * @internal
 */
export async function* uploadMessages(
  upload: ResolvedUpload,
  expiresAfter: number | undefined,
  onProgress: UploadOptions["onProgress"],
): AsyncGenerator<MessageInitShape<typeof UploadFileChunkSchema>> {
  const init =
    expiresAfter === undefined
      ? { name: upload.filename }
      : { name: upload.filename, expiresAfter: BigInt(expiresAfter) };
  yield { chunk: { case: "init", value: init } };
  let bytesSent = 0;
  for await (const data of rechunk(upload.open(), UPLOAD_CHUNK_BYTES)) {
    yield { chunk: { case: "data", value: data } };
    bytesSent += data.length;
    onProgress?.({ filename: upload.filename, bytesSent, totalBytes: upload.totalBytes });
  }
}

function isUploadItem(value: unknown): value is UploadItem {
  return (
    typeof value === "object" &&
    value !== null &&
    !(value instanceof Uint8Array) &&
    !(value instanceof URL) &&
    Object.hasOwn(value, "source")
  );
}

/**
 * File storage (Files service). Reached as `client.files`.
 *
 * @example
 * ```ts
 * const file = await client.files.upload("notes.pdf", { onProgress: (p) => console.log(p.bytesSent) });
 * for await (const f of client.files.list({ sortBy: "size", order: "desc" })) console.log(f.filename, f.size);
 * await client.files.delete(file.id);
 * ```
 */
export class FilesClient {
  /** @internal */
  constructor(protected readonly transport: Transport) {}

  /**
   * Uploads a file, streaming it in 3 MiB chunks: a path or stream is read as it is sent, never whole.
   * A path that does not exist, or bytes without a `filename`, are rejected before any call.
   *
   * @example
   * ```ts
   * const a = await client.files.upload("data/report.pdf", { expiresAfter: 86_400 });
   * const b = await client.files.upload(Buffer.from("hi"), { filename: "hi.txt" });
   * const c = await client.files.upload(fs.createReadStream("big.bin"), {
   *   onProgress: ({ bytesSent }) => console.log(`${bytesSent} bytes`),
   * });
   * ```
   */
  async upload(source: UploadSource, params: UploadOptions = {}, options?: CallOptions): Promise<StoredFile> {
    checkObject(params, "upload options");
    const expiresAfter = checkSeconds(params.expiresAfter, "expiresAfter");
    if (params.onProgress !== undefined && typeof params.onProgress !== "function") {
      throw new XaiInputError("onProgress must be a function, e.g. (p) => console.log(p.bytesSent)");
    }
    const upload = await resolveUpload(source, params);
    const file = await this.transport.api.clientStream(
      Files.method.uploadFile,
      uploadMessages(upload, expiresAfter, params.onProgress),
      options,
    );
    return new StoredFile(file);
  }

  /**
   * Uploads several files, at most `concurrency` at a time. Never rejects for a single file: the result
   * holds one settled result per source, in the order of `sources`.
   *
   * @example
   * ```ts
   * const results = await client.files.uploadMany(["a.pdf", "b.pdf", { source: buf, filename: "c.txt" }]);
   * for (const r of results) console.log(r.status === "fulfilled" ? r.value.id : r.reason);
   * ```
   */
  async uploadMany(
    sources: readonly (UploadSource | UploadItem)[],
    params: UploadManyOptions = {},
    options?: CallOptions,
  ): Promise<PromiseSettledResult<StoredFile>[]> {
    if (!Array.isArray(sources)) throw new XaiInputError("uploadMany takes an array of sources");
    checkObject(params, "uploadMany options");
    const concurrency = params.concurrency ?? 4;
    if (typeof concurrency !== "number" || !Number.isInteger(concurrency) || concurrency < 1) {
      throw new XaiInputError(
        `concurrency must be a whole number of at least 1, got ${JSON.stringify(concurrency)}`,
      );
    }
    checkSeconds(params.expiresAfter, "expiresAfter");
    const results: PromiseSettledResult<StoredFile>[] = new Array(sources.length);
    let next = 0;
    const worker = async () => {
      while (next < sources.length) {
        const index = next++;
        const entry = sources[index];
        const item: UploadItem = isUploadItem(entry) ? entry : { source: entry };
        const { source, ...own } = item;
        const onProgress = params.onProgress;
        const itemParams: UploadOptions = {
          expiresAfter: params.expiresAfter,
          ...own,
          onProgress: own.onProgress ?? (onProgress ? (p) => onProgress(index, p) : undefined),
        };
        let result: PromiseSettledResult<StoredFile>;
        try {
          result = { status: "fulfilled", value: await this.upload(source, itemParams, options) };
        } catch (reason) {
          result = { status: "rejected", reason };
        }
        results[index] = result;
        params.onFileComplete?.(index, result);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, sources.length) }, worker));
    return results;
  }

  /**
   * Your files: awaited, one page (`limit` files at most, from `paginationToken`) with the token of the next;
   * iterated with `for await`, every file from there, page after page. Parameters are checked at once; each
   * await or loop makes its own calls (see {@link PagePromise}).
   *
   * @example
   * ```ts
   * let page = await client.files.list({ limit: 50 });
   * while (page.nextPageToken) page = await client.files.list({ limit: 50, paginationToken: page.nextPageToken });
   *
   * for await (const file of client.files.list({ sortBy: "filename" })) console.log(file.filename);
   * ```
   */
  list(params: ListFilesOptions = {}, options?: CallOptions): PagePromise<StoredFile, ListFilesResponse> {
    const request = buildListFilesRequest(params);
    const api = this.transport.api;
    return new PagePromise(async (paginationToken) => {
      const response = await api.unary(Files.method.listFiles, { ...request, paginationToken }, options);
      return pageOf(response, response.data, (f) => new StoredFile(f));
    }, request.paginationToken);
  }

  /**
   * A file's metadata.
   *
   * @example
   * ```ts
   * const file = await client.files.get("file-123");
   * ```
   */
  async get(fileId: string, options?: CallOptions): Promise<StoredFile> {
    const id = checkFileId(fileId);
    return new StoredFile(await this.transport.api.unary(Files.method.retrieveFile, { fileId: id }, options));
  }

  /**
   * Deletes a file.
   *
   * @example
   * ```ts
   * const { deleted } = await client.files.delete(file.id);
   * ```
   */
  async delete(fileId: string, options?: CallOptions): Promise<DeletedFile> {
    const id = checkFileId(fileId);
    return new DeletedFile(await this.transport.api.unary(Files.method.deleteFile, { fileId: id }, options));
  }

  /**
   * A file's content as it arrives, chunk by chunk; leaving the loop early cancels the download.
   *
   * @example
   * ```ts
   * for await (const chunk of client.files.contentStream(file.id)) hash.update(chunk);
   * ```
   */
  contentStream(
    fileId: string,
    params: FileContentOptions = {},
    options?: CallOptions,
  ): AsyncGenerator<Uint8Array> {
    const id = checkFileId(fileId);
    checkObject(params, "content options");
    const format = checkEnum(FORMATS(), params.format, "format");
    const api = this.transport.api;
    return (async function* () {
      const stream = api.serverStream(Files.method.retrieveFileContent, { fileId: id, format }, options);
      for await (const chunk of stream) yield chunk.data;
    })();
  }

  /**
   * A file's whole content in memory.
   *
   * @example
   * ```ts
   * const text = (await client.files.content(file.id)).toString("utf8");
   * ```
   */
  async content(fileId: string, params: FileContentOptions = {}, options?: CallOptions): Promise<Buffer> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of this.contentStream(fileId, params, options)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  /**
   * Streams a file's content to `path` (written completely or not at all).
   *
   * @example
   * ```ts
   * await client.files.saveContent(file.id, "copy.pdf");
   * ```
   */
  async saveContent(
    fileId: string,
    path: string,
    params: FileContentOptions = {},
    options?: CallOptions,
  ): Promise<void> {
    if (typeof path !== "string" || path === "")
      throw new XaiInputError("saveContent needs a destination path");
    await writeFileAtomic(path, this.contentStream(fileId, params, options));
  }

  /**
   * Makes a file downloadable by anyone with the returned URL.
   *
   * @example
   * ```ts
   * const link = await client.files.createPublicUrl(file.id, { expiresAfter: 3_600 });
   * console.log(link.url);
   * ```
   */
  async createPublicUrl(
    fileId: string,
    params: { expiresAfter?: number } = {},
    options?: CallOptions,
  ): Promise<PublicUrl> {
    const id = checkFileId(fileId);
    checkObject(params, "createPublicUrl options");
    const seconds = checkSeconds(params.expiresAfter, "expiresAfter");
    const response = await this.transport.api.unary(
      Files.method.createPublicUrl,
      { fileId: id, expiresAfter: seconds === undefined ? undefined : BigInt(seconds) },
      options,
    );
    return new PublicUrl(response);
  }

  /**
   * Stops a file's public URL from working.
   *
   * @example
   * ```ts
   * await client.files.revokePublicUrl(file.id);
   * ```
   */
  async revokePublicUrl(fileId: string, options?: CallOptions): Promise<RevokedPublicUrl> {
    const id = checkFileId(fileId);
    return new RevokedPublicUrl(
      await this.transport.api.unary(Files.method.revokePublicUrl, { fileId: id }, options),
    );
  }
}
