/**
 * Every item of an async iterable, in order (for tests of listings walked with `for await`).
 *
 * @example
 * ```ts
 * const files = await collect(client.files.list({ limit: 2 }));
 * ```
 */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
