// Scrubbing before anything is written: key values wherever they appear (strings, bytes, headers, status
// details), the `authorization` header, and the fields and headers a user names.
import { create, type DescField, type DescMessage, type Message, ScalarType } from "@bufbuild/protobuf";

/** What replaces a scrubbed value. */
export const SCRUBBED = "[scrubbed]";

/** Headers never written, whatever the options say: they carry the key. */
const ALWAYS_SCRUBBED_HEADERS = ["authorization", "x-api-key"];

/** What a recorder scrubs. */
export class Scrubber {
  readonly fields: ReadonlySet<string>;
  readonly headers: ReadonlySet<string>;
  readonly #secrets = new Set<string>();

  constructor(options: {
    fields?: readonly string[];
    headers?: readonly string[];
    secrets?: readonly string[];
  }) {
    this.fields = new Set(options.fields ?? []);
    this.headers = new Set([
      ...ALWAYS_SCRUBBED_HEADERS,
      ...(options.headers ?? []).map((h) => h.toLowerCase()),
    ]);
    for (const secret of options.secrets ?? []) this.addSecret(secret);
  }

  /** A value (a key) to scrub wherever it appears from now on; values under 8 characters are ignored. */
  addSecret(secret: string | undefined): void {
    if (secret !== undefined && secret.length >= 8) this.#secrets.add(secret);
  }

  /** `text` with every secret replaced. */
  text(text: string): string {
    let out = text;
    for (const secret of this.#secrets) if (out.includes(secret)) out = out.replaceAll(secret, SCRUBBED);
    return out;
  }

  /**
   * Headers without the scrubbed ones' values and without secrets. A binary header (`-bin`, held as base64)
   * is scrubbed in its decoded bytes, where a secret is visible, then encoded again.
   */
  headerMap(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase();
      if (this.headers.has(lower)) out[name] = SCRUBBED;
      else if (lower.endsWith("-bin")) {
        const bytes = Buffer.from(value, "base64");
        const scrubbed = this.opaqueBytes(bytes);
        out[name] = scrubbed === bytes ? value : Buffer.from(scrubbed).toString("base64");
      } else out[name] = this.text(value);
    }
    return out;
  }

  /** Scrubs a decoded message in place; returns whether anything changed. */
  message(schema: DescMessage, message: Message): boolean {
    return scrubMessage(schema, message as unknown as Record<string, unknown>, this);
  }

  /** `bytes` with every secret replaced by the marker's bytes (the same array when none occurs). */
  bytes(bytes: Uint8Array): Uint8Array {
    let out = bytes;
    for (const secret of this.#secrets) out = replaceBytes(out, Buffer.from(secret), Buffer.from(SCRUBBED));
    return out;
  }

  /**
   * Bytes of unknown structure (a `-bin` header, a message's wire bytes) with every secret replaced by a
   * marker of the same length (`[scrubbed]***`), so that the length prefixes of a protobuf around it (the
   * `google.rpc.Status` of `grpc-status-details-bin`, say) stay true and it still decodes. The same array
   * when no secret occurs.
   */
  opaqueBytes(bytes: Uint8Array): Uint8Array {
    let out = bytes;
    for (const secret of this.#secrets) {
      const needle = Buffer.from(secret);
      out = replaceBytes(
        out,
        needle,
        Buffer.from(SCRUBBED.padEnd(needle.length, "*").slice(0, needle.length)),
      );
    }
    return out;
  }
}

function replaceBytes(bytes: Uint8Array, needle: Buffer, replacement: Buffer): Uint8Array {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = buffer.indexOf(needle);
  if (at < 0) return bytes;
  const parts: Buffer[] = [];
  let from = 0;
  while (at >= 0) {
    parts.push(buffer.subarray(from, at), replacement);
    from = at + needle.length;
    at = buffer.indexOf(needle, from);
  }
  parts.push(buffer.subarray(from));
  return new Uint8Array(Buffer.concat(parts));
}

function named(field: DescField, scrubber: Scrubber): boolean {
  return (
    scrubber.fields.has(field.name) ||
    scrubber.fields.has(field.jsonName) ||
    scrubber.fields.has(field.localName)
  );
}

/** Scrubs one value of `field` (a singular value, a list element or a map value); returns the new value. */
function scrubValue(
  field: DescField,
  value: unknown,
  scrubber: Scrubber,
  whole: boolean,
  changed: { any: boolean },
): unknown {
  const kind =
    field.fieldKind === "list" ? field.listKind : field.fieldKind === "map" ? field.mapKind : field.fieldKind;
  const scalar = "scalar" in field ? field.scalar : undefined;
  if (kind === "message" && field.message) {
    if (whole) {
      changed.any = true;
      return create(field.message);
    }
    if (scrubMessage(field.message, value as Record<string, unknown>, scrubber)) changed.any = true;
    return value;
  }
  if (kind === "scalar" && scalar === ScalarType.STRING && typeof value === "string") {
    const next = whole ? (value === "" ? value : SCRUBBED) : scrubber.text(value);
    if (next !== value) changed.any = true;
    return next;
  }
  if (kind === "scalar" && scalar === ScalarType.BYTES && value instanceof Uint8Array) {
    // An Any's value is a message's wire bytes: a marker of another length would break them.
    const opaque = field.parent.typeName === "google.protobuf.Any";
    const next = whole ? new Uint8Array(0) : opaque ? scrubber.opaqueBytes(value) : scrubber.bytes(value);
    if (next !== value) changed.any = true;
    return next;
  }
  return value;
}

function scrubMessage(schema: DescMessage, message: Record<string, unknown>, scrubber: Scrubber): boolean {
  const changed = { any: false };
  const defaults = create(schema) as unknown as Record<string, unknown>;
  for (const field of schema.fields) {
    const whole = named(field, scrubber);
    if (field.oneof) {
      const holder = message[field.oneof.localName] as { case?: string; value?: unknown } | undefined;
      if (!holder || holder.case !== field.localName) continue;
      if (whole && !(field.fieldKind === "scalar" && field.scalar === ScalarType.STRING)) {
        message[field.oneof.localName] = { case: undefined };
        changed.any = true;
      } else holder.value = scrubValue(field, holder.value, scrubber, whole, changed);
      continue;
    }
    const value = message[field.localName];
    if (value === undefined) continue;
    if (field.fieldKind === "list") {
      const list = value as unknown[];
      for (let i = 0; i < list.length; i++) list[i] = scrubValue(field, list[i], scrubber, whole, changed);
    } else if (field.fieldKind === "map") {
      const map = value as Record<string, unknown>;
      for (const key of Object.keys(map)) map[key] = scrubValue(field, map[key], scrubber, whole, changed);
    } else if (whole && !(field.fieldKind === "scalar" && field.scalar === ScalarType.STRING)) {
      if (field.fieldKind !== "message" || value !== undefined) {
        message[field.localName] = defaults[field.localName];
        changed.any = true;
      }
    } else {
      message[field.localName] = scrubValue(field, value, scrubber, whole, changed);
    }
  }
  return changed.any;
}
