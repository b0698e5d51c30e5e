// What every model of the provider reads from the AI SDK's call options: our entry of `providerOptions`, and
// the headers, sent as gRPC metadata.
import type { SharedV3ProviderOptions, SharedV3Warning } from "@ai-sdk/provider";
import { XaiInputError } from "../index.js";

/** The key of our provider options and provider metadata. */
export const PROVIDER_KEY = "xaiGrpc";

/** Our entry of a call's (or a part's) provider options; `{}` when there is none. */
export function ownOptions(options: SharedV3ProviderOptions | undefined): Record<string, unknown> {
  const own = options?.[PROVIDER_KEY];
  return typeof own === "object" && own !== null ? own : {};
}

/** Our entry of a call's provider options, checked to hold only `accepted` keys. */
export function checkedOwnOptions(
  options: SharedV3ProviderOptions | undefined,
  accepted: readonly string[],
): Record<string, unknown> {
  const own = ownOptions(options);
  const unknown = Object.keys(own).filter((key) => !accepted.includes(key));
  if (unknown.length > 0) {
    throw new XaiInputError(
      `providerOptions.${PROVIDER_KEY} has unknown ${unknown.length > 1 ? "keys" : "key"} ${unknown.map((k) => JSON.stringify(k)).join(", ")}; this call accepts ${accepted.join(", ")}`,
    );
  }
  return own;
}

/**
 * The call's headers as gRPC metadata (lower-case names, unset values left out). `authorization` is
 * dropped with a warning: the client sends the API key itself, and a second value would break the call.
 */
export function metadataOf(
  headers: Record<string, string | undefined> | undefined,
  warnings: SharedV3Warning[],
): Record<string, string> | undefined {
  if (!headers) return undefined;
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    if (key === "authorization") {
      warnings.push({
        type: "unsupported",
        feature: "header authorization",
        details: "the client sends the API key",
      });
    } else metadata[key] = value;
  }
  return metadata;
}
