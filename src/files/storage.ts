import { create } from "@bufbuild/protobuf";
import { checkSeconds, describe } from "../core/check.js";
import {
  PublicUrlOptionsSchema,
  type StorageOptions as StorageOptionsProto,
  StorageOptionsSchema,
} from "../gen/xai/api/v1/image_pb.js";
import { XaiInputError } from "../transport/errors.js";

/**
 * Where to keep a generated image or video in your file storage, besides the temporary URL or base64.
 *
 * @example
 * ```ts
 * const storage: GeneratedFileStorage = { filename: "fox.png", expiresAfter: 86_400, publicUrl: { expiresAfter: 3_600 } };
 * ```
 */
export interface GeneratedFileStorage {
  /** Name of the stored file. */
  filename: string;
  /** Seconds until the stored file is deleted; omitted: kept until you delete it. */
  expiresAfter?: number;
  /** Also create a public URL: `true`, or `{ expiresAfter }` seconds for its lifetime. */
  publicUrl?: boolean | { expiresAfter?: number };
}

/**
 * Converts storage options to the wire message, checking them (shared by image and video requests).
 *
 * @example
 * ```ts
 * request.storageOptions = storageOptionsProto({ filename: "clip.mp4", publicUrl: true });
 * ```
 */
export function storageOptionsProto(
  options: GeneratedFileStorage,
  name = "storageOptions",
): StorageOptionsProto {
  if (typeof options !== "object" || options === null) {
    throw new XaiInputError(
      `${name} must be an object like { filename: "fox.png" }, got ${describe(options)}`,
    );
  }
  if (typeof options.filename !== "string" || options.filename.trim() === "") {
    throw new XaiInputError(
      `${name}.filename must be a non-empty file name, got ${describe(options.filename)}`,
    );
  }
  const proto = create(StorageOptionsSchema, { filename: options.filename });
  const expiresAfter = checkSeconds(options.expiresAfter, `${name}.expiresAfter`);
  if (expiresAfter !== undefined) proto.expiresAfter = BigInt(expiresAfter);
  const publicUrl = options.publicUrl;
  if (publicUrl === true) {
    proto.publicUrl = create(PublicUrlOptionsSchema);
  } else if (typeof publicUrl === "object" && publicUrl !== null) {
    const seconds = checkSeconds(publicUrl.expiresAfter, `${name}.publicUrl.expiresAfter`);
    proto.publicUrl = create(PublicUrlOptionsSchema);
    if (seconds !== undefined) proto.publicUrl.expiresAfter = BigInt(seconds);
  } else if (publicUrl !== undefined && publicUrl !== false) {
    throw new XaiInputError(
      `${name}.publicUrl must be true, false or { expiresAfter: seconds }, got ${describe(publicUrl)}`,
    );
  }
  return proto;
}
