// The emulator's "encrypted content": an opaque base64 string that carries reasoning (from a reasoning
// model asked for `use_encrypted_content`) or a compacted conversation (from CompactContext), so that a
// client can replay it and the emulator can read it back. It is obfuscated, not secure.

/** What an encrypted blob stands for. */
export type EncryptedPayload =
  | { kind: "reasoning"; model: string; reasoning: string }
  | { kind: "compaction"; model: string; summary: string; messages: { role: string; text: string }[] };

const MAGIC = "xemu1";
const KEY = new TextEncoder().encode("xai-grpc emulator keystream");

function mask(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] ^ KEY[i % KEY.length] ^ ((i * 31) & 0xff);
  return out;
}

/**
 * Encodes a payload as opaque base64.
 *
 * @example
 * ```ts
 * const blob = encryptContent({ kind: "reasoning", model: "grok-4", reasoning: "…" });
 * decryptContent(blob)?.kind; // "reasoning"
 * ```
 */
export function encryptContent(payload: EncryptedPayload): string {
  const json = new TextEncoder().encode(`${MAGIC}${JSON.stringify(payload)}`);
  return Buffer.from(mask(json)).toString("base64");
}

/**
 * Decodes a blob made by {@link encryptContent}; `undefined` when it is not one (tampered, truncated or foreign).
 *
 * @example
 * ```ts
 * decryptContent("not ours"); // undefined
 * ```
 */
export function decryptContent(blob: string): EncryptedPayload | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) return undefined;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(mask(Buffer.from(blob, "base64")));
    if (!text.startsWith(MAGIC)) return undefined;
    const payload = JSON.parse(text.slice(MAGIC.length)) as EncryptedPayload;
    if (payload.kind === "reasoning" && typeof payload.reasoning === "string") return payload;
    if (payload.kind === "compaction" && Array.isArray(payload.messages)) return payload;
    return undefined;
  } catch {
    return undefined;
  }
}
