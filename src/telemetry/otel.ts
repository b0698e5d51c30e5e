// @opentelemetry/api is an optional peer dependency: loaded on first use, once per process, never imported
// statically (a program without it pays nothing, one with it pays only when a client traces).
// Imported under a name of its own: bundles often declare `createRequire` in a banner, and esbuild keeps
// the names of external imports when an application bundles this package.
import { createRequire as createOtelRequire } from "node:module";
import type * as OtelApi from "@opentelemetry/api";

/** The OpenTelemetry API module. */
export type Otel = typeof OtelApi;

/**
 * Where every copy of @opentelemetry/api 1.x keeps what was registered globally (the API's own cross-copy
 * registry): `trace` is there once a tracer provider was registered.
 */
const OTEL_GLOBAL = Symbol.for("opentelemetry.js.api.1");

/**
 * Whether some copy of the API registered a global tracer provider: read without loading the API, so that an
 * application that has it installed but traces nothing does not pay for loading it.
 */
export function globalTracerRegistered(): boolean {
  const registry = (globalThis as Record<symbol, { trace?: unknown } | undefined>)[OTEL_GLOBAL];
  return registry?.trace !== undefined;
}

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
