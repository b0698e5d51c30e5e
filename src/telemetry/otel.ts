// @opentelemetry/api is an optional peer dependency: loaded on first use, once per process, never imported
// statically (a program without it pays nothing, one with it pays only when a client traces).
// Imported under a name of its own: bundles often declare `createRequire` in a banner, and esbuild keeps
// the names of external imports when an application bundles this package.
import { createRequire as createOtelRequire } from "node:module";
import type * as OtelApi from "@opentelemetry/api";

/** The OpenTelemetry API module. */
export type Otel = typeof OtelApi;

/** undefined: not tried yet; null: not installed (or failed to load). */
let loaded: Otel | null | undefined;

/**
 * `@opentelemetry/api` if it is installed where this package can resolve it, else undefined (tried once).
 * `require` resolves it from this file: the application's copy, which holds its registered tracer provider
 * (the API keeps the global provider on `globalThis`, shared by compatible copies).
 */
export function loadOtel(): Otel | undefined {
  if (loaded === undefined) {
    try {
      // The CommonJS build defines import.meta.url (scripts/build.mjs).
      loaded = createOtelRequire(import.meta.url)("@opentelemetry/api") as Otel;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}
