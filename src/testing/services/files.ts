// The emulator's `xai_api.Files` service: client-streamed uploads into an in-memory store, listing with
// order, sorting, filter and pagination, streamed downloads, deletion and public URLs.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type File, Files, FilesSortBy, Ordering } from "../../gen/xai/api/v1/files_pb.js";
import {
  allStoredFiles,
  deleteStoredFile,
  expiryFrom,
  fileSlices,
  getStoredFile,
  MAX_FILE_BYTES,
  publishFile,
  type StoredFile,
  storeFile,
  unpublishFile,
} from "../store/files.js";
import { compileFilter } from "../store/filter.js";
import { pageOf } from "../store/pagination.js";
import { Code, type EmulatorContext, EmulatorError, register, type ServiceRegistration } from "../types.js";

export { findStoredFile, getStoredFile, type StoredFile, storeFile } from "../store/files.js";

/** Size of the chunks RetrieveFileContent streams (1 MiB). */
export const DOWNLOAD_CHUNK_BYTES = 1024 * 1024;
/** Longest lifetime of a public URL, in seconds (30 days). */
const PUBLIC_URL_TTL_RANGE = { min: 1, max: 2_592_000 } as const;

/**
 * A stored file as the wire's `File` message.
 *
 * @example
 * ```ts
 * return fileMessage(getStoredFile(ctx, id));
 * ```
 */
export function fileMessage(file: StoredFile): Omit<File, "$typeName"> {
  return {
    id: file.id,
    filename: file.filename,
    size: BigInt(file.size),
    createdAt: timestampFromDate(file.createdAt),
    expiresAt: file.expiresAt ? timestampFromDate(file.expiresAt) : undefined,
    publicUrl: file.publicUrl?.url,
    publicUrlExpiresAt: file.publicUrl?.expiresAt ? timestampFromDate(file.publicUrl.expiresAt) : undefined,
  };
}

const fileFilterFields = { names: ["filename", "id", "size", "created_at"], mainField: "filename" } as const;

/**
 * The emulator's Files service.
 *
 * @example
 * ```ts
 * const registration = filesService(ctx);
 * ```
 */
export function filesService(ctx: EmulatorContext): ServiceRegistration {
  return register(Files, {
    async uploadFile(requests) {
      let init: { name: string; expiresAt?: Date } | undefined;
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const message of requests) {
        const chunk = message.chunk;
        if (chunk.case === "init") {
          if (init) {
            throw new EmulatorError(
              Code.INVALID_ARGUMENT,
              "The upload sent a second init message: send one init (name, expiry) first, then only data chunks.",
            );
          }
          const name = chunk.value.name.trim();
          if (!name) {
            throw new EmulatorError(Code.INVALID_ARGUMENT, "The upload's init message needs a file name.");
          }
          init = { name, expiresAt: expiryFrom(ctx, chunk.value.expiresAfter, "expires_after") };
        } else if (chunk.case === "data") {
          if (!init) {
            throw new EmulatorError(
              Code.INVALID_ARGUMENT,
              "The upload sent data before its init message: the first message must be an init with the file name.",
            );
          }
          size += chunk.value.byteLength;
          if (size > MAX_FILE_BYTES) {
            throw new EmulatorError(
              Code.INVALID_ARGUMENT,
              `The file "${init.name}" is larger than the ${MAX_FILE_BYTES / 1024 / 1024} MiB limit.`,
            );
          }
          if (chunk.value.byteLength > 0) chunks.push(chunk.value);
        } else {
          throw new EmulatorError(
            Code.INVALID_ARGUMENT,
            "An upload message carried neither init nor data: set exactly one of them.",
          );
        }
      }
      if (!init) {
        throw new EmulatorError(
          Code.INVALID_ARGUMENT,
          "The upload ended without an init message: the first message must be an init with the file name.",
        );
      }
      return fileMessage(storeFile(ctx, { filename: init.name, chunks, expiresAt: init.expiresAt }));
    },

    listFiles(request) {
      if (request.order !== Ordering.ASCENDING && request.order !== Ordering.DESCENDING) {
        throw new EmulatorError(Code.INVALID_ARGUMENT, `The order ${request.order} is not a known ordering.`);
      }
      const sortBy = request.sortBy ?? FilesSortBy.CREATED_AT;
      const keyOf =
        sortBy === FilesSortBy.CREATED_AT
          ? (f: StoredFile) => f.seq
          : sortBy === FilesSortBy.FILENAME
            ? (f: StoredFile) => f.filename
            : sortBy === FilesSortBy.SIZE
              ? (f: StoredFile) => f.size
              : undefined;
      if (!keyOf) {
        throw new EmulatorError(
          Code.INVALID_ARGUMENT,
          `The sort_by value ${sortBy} is not a known sort field.`,
        );
      }
      const matches = compileFilter(request.filter, fileFilterFields);
      const files = allStoredFiles(ctx).filter((file) =>
        matches((field) =>
          field === "filename"
            ? file.filename
            : field === "id"
              ? file.id
              : field === "size"
                ? file.size
                : file.createdAt,
        ),
      );
      const page = pageOf(files, {
        limit: request.limit,
        token: request.paginationToken,
        keyOf,
        idOf: (f) => f.id,
        descending: request.order === Ordering.DESCENDING,
      });
      return { data: page.items.map(fileMessage), paginationToken: page.nextToken };
    },

    retrieveFile(request) {
      return fileMessage(getStoredFile(ctx, request.fileId));
    },

    deleteFile(request) {
      getStoredFile(ctx, request.fileId);
      deleteStoredFile(ctx, request.fileId);
      return { id: request.fileId, deleted: true };
    },

    async *retrieveFileContent(request, call) {
      const file = getStoredFile(ctx, request.fileId);
      for (const data of fileSlices(file, DOWNLOAD_CHUNK_BYTES)) {
        if (call.signal.aborted) return;
        yield { data };
      }
    },

    createPublicUrl(request) {
      const file = getStoredFile(ctx, request.fileId);
      const expiresAt = expiryFrom(ctx, request.expiresAfter, "expires_after", PUBLIC_URL_TTL_RANGE);
      const published = publishFile(ctx, file, expiresAt);
      return {
        publicUrl: published.url,
        expiresAt: published.expiresAt ? timestampFromDate(published.expiresAt) : undefined,
      };
    },

    revokePublicUrl(request) {
      const file = getStoredFile(ctx, request.fileId);
      const revoked = unpublishFile(ctx, file);
      return { fileId: file.id, revoked: revoked !== undefined, publicUrl: revoked };
    },
  });
}
