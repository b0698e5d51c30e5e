/**
 * What the API knows about the key in use: `client.auth`.
 *
 * @example
 * ```ts
 * const info = await client.auth.apiKeyInfo();
 * console.log(info.redactedKey);
 * ```
 * @module
 */
export type { ApiKeyInfo, AuthClient } from "./client.js";
