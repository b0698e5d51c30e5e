// In-memory state of the data services (files, images, videos, batches, collections), one instance per
// emulator: keyed by the emulator's context, so two emulators in one process never share data, and
// `reset()` (which replaces the context) starts from empty stores.
import type { EmulatorContext } from "../types.js";

const stores = new WeakMap<EmulatorContext, Map<symbol, unknown>>();

/** A lazily created piece of state, one per emulator context. */
export interface PerEmulator<T> {
  /** The state of this emulator, created on first use. */
  of(ctx: EmulatorContext): T;
}

/**
 * Declares state that each emulator owns separately.
 *
 * @example
 * ```ts
 * const uploads = perEmulator(() => new Map<string, Uint8Array>());
 * uploads.of(ctx).set(id, bytes);
 * ```
 */
export function perEmulator<T>(create: () => T): PerEmulator<T> {
  const key = Symbol("emulator-state");
  return {
    of(ctx) {
      let store = stores.get(ctx);
      if (!store) {
        store = new Map();
        stores.set(ctx, store);
      }
      if (!store.has(key)) store.set(key, create());
      return store.get(key) as T;
    },
  };
}
