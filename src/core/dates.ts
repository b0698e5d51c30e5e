import { type Timestamp, timestampDate } from "@bufbuild/protobuf/wkt";

/**
 * The `Date` of an optional `google.protobuf.Timestamp` field, or undefined when the server left it unset.
 *
 * @example
 * ```ts
 * get createdAt(): Date | undefined {
 *   return optionalDate(this.proto.createdAt);
 * }
 * ```
 */
export function optionalDate(timestamp: Timestamp | undefined): Date | undefined {
  return timestamp ? timestampDate(timestamp) : undefined;
}
