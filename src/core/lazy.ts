/**
 * A value computed on first use and kept. For module-level tables built from generated enums or schemas:
 * the published build loads those modules on first use (scripts/lazy-modules.mjs), and a table built at
 * module level would load them at import.
 *
 * @example
 * ```ts
 * const roleNames = lazy(() => ({ [MessageRole.ROLE_USER]: "user" }));
 * roleNames()[role];
 * ```
 * @internal
 */
export function lazy<T>(make: () => T): () => T {
  let value: T;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}
