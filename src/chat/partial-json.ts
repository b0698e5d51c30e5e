// A tolerant parser for the prefix of a JSON document, used to read structured output while it streams.

const MISSING: unique symbol = Symbol("missing");
type Parsed = unknown | typeof MISSING;

class Truncated extends Error {}

class PartialParser {
  private i = 0;
  constructor(private readonly s: string) {}

  parseDocument(): unknown {
    const value = this.value();
    this.ws();
    if (this.i < this.s.length)
      throw new SyntaxError(`unexpected ${JSON.stringify(this.s[this.i])} after the value`);
    return value === MISSING ? undefined : value;
  }

  private ws(): void {
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.i++;
      else break;
    }
  }

  private get atEnd(): boolean {
    return this.i >= this.s.length;
  }

  private value(): Parsed {
    this.ws();
    if (this.atEnd) return MISSING;
    const c = this.s[this.i];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') {
      try {
        return this.string();
      } catch (err) {
        if (err instanceof Truncated) return (err as Truncated & { partial: string }).partial;
        throw err;
      }
    }
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    return this.literal();
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++; // {
    for (;;) {
      this.ws();
      if (this.atEnd) return out;
      if (this.s[this.i] === "}") {
        this.i++;
        return out;
      }
      if (this.s[this.i] !== '"') throw new SyntaxError(`expected a key at ${this.i}`);
      let key: string;
      try {
        key = this.string();
      } catch (err) {
        if (err instanceof Truncated) {
          this.i = this.s.length;
          return out; // a key cut short carries no value yet
        }
        throw err;
      }
      this.ws();
      if (this.atEnd) return out;
      if (this.s[this.i] !== ":") throw new SyntaxError(`expected ':' at ${this.i}`);
      this.i++;
      const value = this.value();
      if (value === MISSING) return out;
      out[key] = value;
      this.ws();
      if (this.atEnd) return out;
      const sep = this.s[this.i];
      if (sep === ",") this.i++;
      else if (sep === "}") {
        this.i++;
        return out;
      } else throw new SyntaxError(`expected ',' or '}' at ${this.i}`);
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.i++; // [
    for (;;) {
      this.ws();
      if (this.atEnd) return out;
      if (this.s[this.i] === "]") {
        this.i++;
        return out;
      }
      const value = this.value();
      if (value === MISSING) return out;
      out.push(value);
      this.ws();
      if (this.atEnd) return out;
      const sep = this.s[this.i];
      if (sep === ",") this.i++;
      else if (sep === "]") {
        this.i++;
        return out;
      } else throw new SyntaxError(`expected ',' or ']' at ${this.i}`);
    }
  }

  /** A complete string, or throws Truncated carrying the decoded part read so far. */
  private string(): string {
    const start = ++this.i; // opening quote
    let out = "";
    let chunkStart = start;
    let cutInEscape = false;
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '"') {
        out += this.s.slice(chunkStart, this.i);
        this.i++;
        return out;
      }
      if (c === "\\") {
        out += this.s.slice(chunkStart, this.i);
        const esc = this.s[this.i + 1];
        if (esc === undefined) {
          cutInEscape = true;
          break;
        }
        if (esc === "u") {
          const hex = this.s.slice(this.i + 2, this.i + 6);
          if (hex.length < 4) {
            cutInEscape = true;
            break;
          }
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new SyntaxError(`bad unicode escape at ${this.i}`);
          out += String.fromCharCode(Number.parseInt(hex, 16));
          this.i += 6;
        } else {
          const map: Record<string, string> = {
            '"': '"',
            "\\": "\\",
            "/": "/",
            b: "\b",
            f: "\f",
            n: "\n",
            r: "\r",
            t: "\t",
          };
          const decoded = map[esc];
          if (decoded === undefined) throw new SyntaxError(`bad escape at ${this.i}`);
          out += decoded;
          this.i += 2;
        }
        chunkStart = this.i;
        continue;
      }
      this.i++;
    }
    if (!cutInEscape) out += this.s.slice(chunkStart);
    this.i = this.s.length;
    const truncated = new Truncated("truncated string") as Truncated & { partial: string };
    truncated.partial = out;
    throw truncated;
  }

  private number(): Parsed {
    const match = /^-?(?:0|[1-9]\d*)?(?:\.\d*)?(?:[eE][+-]?\d*)?/.exec(this.s.slice(this.i));
    const text = match ? match[0] : "";
    this.i += text.length;
    const valid = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(text);
    if (valid) return Number(text);
    if (!this.atEnd) throw new SyntaxError(`bad number ${JSON.stringify(text)}`);
    // Cut mid-number ("1.", "-", "2e"): keep the longest valid prefix, if any.
    const prefix = /^-?(?:0|[1-9]\d*)(?:\.\d+)?/.exec(text);
    return prefix ? Number(prefix[0]) : MISSING;
  }

  private literal(): Parsed {
    for (const [word, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      const rest = this.s.slice(this.i, this.i + word.length);
      if (rest === word) {
        this.i += word.length;
        return value;
      }
      if (word.startsWith(rest) && this.i + rest.length >= this.s.length) {
        this.i = this.s.length;
        return MISSING; // a literal cut short: not known yet
      }
    }
    throw new SyntaxError(`unexpected ${JSON.stringify(this.s[this.i])} at ${this.i}`);
  }
}

/**
 * Parses the beginning of a JSON document as far as it goes: open objects and arrays are closed, a string cut
 * short keeps what arrived, a key without its value yet is left out. Returns `undefined` when nothing usable has
 * arrived or the text is not the start of valid JSON.
 *
 * @example
 * ```ts
 * parsePartialJson('{"city": "Par');          // { city: "Par" }
 * parsePartialJson('{"temps": [12, 1');       // { temps: [12, 1] }
 * ```
 */
export function parsePartialJson(text: string): unknown {
  try {
    return new PartialParser(text).parseDocument();
  } catch {
    return undefined;
  }
}
