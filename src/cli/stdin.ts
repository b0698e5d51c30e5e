// Reading a whole input stream (for prompts and texts given as "-").

/**
 * Reads a stream to its end as UTF-8 text.
 *
 * @example
 * ```ts
 * const prompt = await readAll(process.stdin);
 * ```
 */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const parts: string[] = [];
  stream.setEncoding("utf8");
  for await (const part of stream) parts.push(String(part));
  return parts.join("");
}
