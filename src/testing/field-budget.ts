// A cheap pass over a request's wire bytes before it is decoded: a 20 MiB message of millions of empty
// repeated entries (two bytes each) would otherwise become millions of objects, gigabytes of heap, for an
// authenticated caller. Only large requests are counted; the pass allocates nothing per field.
import type { DescField, DescMessage } from "@bufbuild/protobuf";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";

/** The most fields (at every depth: messages, parts, values) a request may hold; beyond it, INVALID_ARGUMENT. */
export const MAX_REQUEST_FIELDS = 200_000;

/** Requests up to this many bytes are not counted: they cannot hold more fields than half their size. */
const COUNTED_ABOVE_BYTES = 2 * MAX_REQUEST_FIELDS;

/** Thrown by {@link checkFieldBudget}; its message is the sentence the caller sees. */
export class FieldBudgetError extends Error {}

/** What a length-delimited field holds: a message (read into), or a packed list of scalars (a value a byte at most). */
type Delimited = DescMessage | "packed";

const delimitedFields = new WeakMap<DescMessage, Map<number, Delimited>>();

/** The fields of `desc` that hold messages or scalar lists, by field number. */
function delimitedOf(desc: DescMessage): Map<number, Delimited> {
  let fields = delimitedFields.get(desc);
  if (fields === undefined) {
    fields = new Map();
    for (const field of desc.fields as readonly DescField[]) {
      if (field.fieldKind === "message") fields.set(field.number, field.message);
      else if (field.fieldKind === "list")
        fields.set(field.number, field.listKind === "message" ? field.message : "packed");
    }
    delimitedFields.set(desc, fields);
  }
  return fields;
}

/**
 * Throws a {@link FieldBudgetError} when `bytes`, read as a `desc` message, holds more than
 * {@link MAX_REQUEST_FIELDS} fields (a packed scalar list counts one per byte; bytes and strings one each). Small requests pass unread.
 *
 * @example
 * ```ts
 * checkFieldBudget(GetCompletionsRequestSchema, received); // before fromBinary
 * ```
 */
export function checkFieldBudget(desc: DescMessage, bytes: Uint8Array): void {
  if (bytes.byteLength <= COUNTED_ABOVE_BYTES) return;
  const reader = new BinaryReader(bytes);
  let count = 0;
  // Ends of the nested messages being read, with their types; the top level ends with the buffer.
  const ends: number[] = [bytes.byteLength];
  const types: DescMessage[] = [desc];
  while (ends.length > 0) {
    const end = ends[ends.length - 1] as number;
    if (reader.pos >= end) {
      ends.pop();
      types.pop();
      continue;
    }
    const [fieldNo, wireType] = reader.tag();
    count += 1;
    if (wireType === WireType.LengthDelimited) {
      const length = reader.uint32();
      const start = reader.pos;
      const held = delimitedOf(types[types.length - 1] as DescMessage).get(fieldNo);
      if (typeof held === "object" && start + length <= end) {
        ends.push(start + length);
        types.push(held);
      } else {
        if (held === "packed") count += length;
        reader.pos = Math.min(start + length, end); // bytes and strings are one value; fromBinary checks bounds
      }
    } else {
      reader.skip(wireType, fieldNo);
    }
    if (count > MAX_REQUEST_FIELDS) {
      throw new FieldBudgetError(
        `The request holds more than ${MAX_REQUEST_FIELDS} fields (messages, content parts and values, counted at every depth); the emulator decodes at most that many. Send fewer entries per request.`,
      );
    }
  }
}
