// The emulator's `xai_api.Files` service: client-streamed uploads into an in-memory store, listing with
// order, sorting, filter and pagination, streamed downloads, deletion and public URLs.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type File, Files, FilesSortBy, Ordering } from "../../gen/xai/api/v1/files_pb.js";
import {
  allStoredFiles,
  checkLifetime,
  deleteStoredFile,
  fileSlices,
  getStoredFile,
  MAX_FILE_BYTES,
  PUBLIC_URL_TTL_RANGE,
  publishFile,
  type StoredFile,
  storeFile,
  unpublishFile,
} from "../store/files.js";
import { compileFilter } from "../store/filter.js";
import { pageOf } from "../store/pagination.js";
import { UploadBuffer } from "../store/spill.js";
import { Code, type EmulatorContext, EmulatorError, register, type ServiceRegistration } from "../types.js";

export { findStoredFile, getStoredFile, type StoredFile, storeFile } from "../store/files.js";

/** Size of the chunks RetrieveFileContent streams (1 MiB). */
export const DOWNLOAD_CHUNK_BYTES = 1024 * 1024;

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
    async uploadFile(requests, call) {
      let init: { name: string; lifetimeSeconds?: number } | undefined;
      const buffer = new UploadBuffer(ctx);
      try {
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
            if (!name)
              throw new EmulatorError(Code.INVALID_ARGUMENT, "The upload's init message needs a file name.");
            init = { name, lifetimeSeconds: checkLifetime(chunk.value.expiresAfter, "expires_after") };
          } else if (chunk.case === "data") {
            if (!init) {
              throw new EmulatorError(
                Code.INVALID_ARGUMENT,
                "The upload sent data before its init message: the first message must be an init with the file name.",
              );
            }
            if (buffer.size + chunk.value.byteLength > MAX_FILE_BYTES) {
              throw new EmulatorError(
                Code.INVALID_ARGUMENT,
                `The file "${init.name}" is larger than the ${MAX_FILE_BYTES / 1024 / 1024} MiB limit.`,
              );
            }
            await buffer.append(chunk.value);
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
        const size = buffer.size;
        const content = await buffer.finish();
        // Cancelled while the content was being put together: nothing is stored.
        if (call.signal.aborted) throw call.signal.reason;
        const stored = storeFile(ctx, {
          filename: init.name,
          content,
          size,
          lifetimeSeconds: init.lifetimeSeconds,
        });
        // A client that cancels just after its last chunk gets CANCELLED, not the file: the upload is undone.
        call.signal.addEventListener("abort", () => deleteStoredFile(ctx, stored.id), { once: true });
        return fileMessage(stored);
      } catch (error) {
        await buffer.discard();
        throw error;
      }
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
      const lifetime = checkLifetime(request.expiresAfter, "expires_after", PUBLIC_URL_TTL_RANGE);
      const published = publishFile(ctx, file, lifetime);
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
