// Deterministic randomness for the chat generator: the same request always draws the same numbers.

/**
 * A 32-bit FNV-1a hash of the given parts (joined with a separator that cannot appear in UTF-16 text).
 *
 * @example
 * ```ts
 * hash("grok-4", "hello") === hash("grok-4", "hello"); // true
 * ```
 */
export function hash(...parts: readonly (string | number | undefined)[]): number {
  let h = 0x811c9dc5;
  for (let p = 0; p < parts.length; p++) {
    const text = parts[p] === undefined ? "\u0000undefined" : String(parts[p]);
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0xffff;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A small seeded pseudo-random generator (mulberry32).
 *
 * @example
 * ```ts
 * const rng = new Rng(hash("seed"));
 * rng.int(1, 6); // always the same roll for the same seed
 * ```
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    if (max <= min) return min;
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** A new generator derived from this one and a label (independent streams for independent choices). */
  fork(label: string | number): Rng {
    return new Rng(hash(this.state, label));
  }
}

/**
 * Hex digits derived from the parts (for ids): `length` characters, deterministic.
 *
 * @example
 * ```ts
 * hexId(24, "call", 0); // e.g. "9f3a0c…"
 * ```
 */
export function hexId(length: number, ...parts: readonly (string | number | undefined)[]): string {
  let out = "";
  let round = 0;
  while (out.length < length) {
    out += hash(round++, ...parts)
      .toString(16)
      .padStart(8, "0");
  }
  return out.slice(0, length);
}

/**
 * A UUID-shaped id (version 4 layout) derived from the parts.
 *
 * @example
 * ```ts
 * uuidFrom("resp", 1); // "xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx"
 * ```
 */
export function uuidFrom(...parts: readonly (string | number | undefined)[]): string {
  const h = hexId(32, ...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
