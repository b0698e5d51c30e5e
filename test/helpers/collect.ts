/**
 * Every item of an async iterable, in order (for tests of `iterate…` methods).
 *
 * @example
 * ```ts
 * const files = await collect(client.files.iterate({ limit: 2 }));
 * ```
 */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
