// Keys the emulator accepts, and how it shows them: never whole, as the real API redacts them.

/**
 * The API key an emulator accepts unless told otherwise.
 *
 * @example
 * ```ts
 * process.env.XAI_API_KEY = DEFAULT_API_KEY; // for code that reads the key from the environment
 * ```
 */
export const DEFAULT_API_KEY = "xai-emulator-api-key-0001";
/**
 * The management key an emulator accepts unless told otherwise.
 *
 * @example
 * ```ts
 * process.env.XAI_MANAGEMENT_KEY = DEFAULT_MANAGEMENT_API_KEY;
 * ```
 */
export const DEFAULT_MANAGEMENT_API_KEY = "xai-emulator-management-key-0002";

/**
 * Redacts a key as the console does: the `xai-` prefix and the last four characters stay, the rest
 * becomes `****`. Keys shorter than 12 characters are fully masked.
 *
 * @example
 * ```ts
 * redactKey("xai-0123456789abcdef"); // "xai-****cdef"
 * ```
 */
export function redactKey(key: string): string {
  const prefix = key.startsWith("xai-") ? "xai-" : "";
  return key.length >= 12 ? `${prefix}****${key.slice(-4)}` : `${prefix}****`;
}

/**
 * Masks an `authorization` header value for the call log: `Bearer xai-****abcd`.
 *
 * @example
 * ```ts
 * maskAuthorization("Bearer xai-0123456789abcdef"); // "Bearer xai-****cdef"
 * ```
 */
export function maskAuthorization(value: string): string {
  const bearer = /^Bearer\s+(.+)$/i.exec(value.trim());
  return bearer ? `Bearer ${redactKey(bearer[1])}` : "****";
}

/** The key of a `Bearer <key>` header value, or undefined when the value is not of that form. */
export function bearerKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(value.trim());
  return bearer ? bearer[1] : undefined;
}
