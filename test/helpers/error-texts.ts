import { inspect } from "node:util";

/** Every textual form of an error: message, stack, String(), inspect with hidden fields, JSON, the cause chain. */
export function errorTexts(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e && depth < 5; depth++) {
    if (e instanceof Error) parts.push(e.message, e.stack ?? "");
    parts.push(String(e), inspect(e, { depth: 10, showHidden: true }));
    try {
      parts.push(JSON.stringify(e) ?? "");
    } catch {
      // not serialisable: nothing more to see
    }
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join("\n");
}
