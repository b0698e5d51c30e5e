// Produces a string that a (simple) regular expression accepts: used for JSON Schema `pattern`.
// Supports literals, `.`, classes (`[a-z0-9_]`, negated), escapes (`\d \w \s` and their negations),
// groups (capturing, `(?:…)`, named), alternation and quantifiers (`? * + {n} {n,} {n,m}`, lazy or not).
// Anchors, word boundaries and lookarounds are skipped. The caller checks the result with `RegExp`.
// Sampling is bounded: a pattern needing more than MAX_SAMPLE_CHARS characters (`a{1000000000}`) or more than
// MAX_SAMPLE_STEPS steps is refused with INVALID_ARGUMENT.
import { Code, EmulatorError } from "../types.js";
import type { Rng } from "./random.js";

/** The longest string the sampler draws. */
export const MAX_SAMPLE_CHARS = 10_000;
/** The most nodes the sampler visits for one string. */
const MAX_SAMPLE_STEPS = 200_000;

/** Thrown by `emit` past the bounds. */
class SampleTooLarge extends Error {}

type Node =
  | { kind: "chars"; set: string[]; negated: boolean }
  | { kind: "seq"; items: Node[] }
  | { kind: "alt"; options: Node[] }
  | { kind: "repeat"; node: Node; min: number; max: number }
  | { kind: "empty" };

const DIGITS = "0123456789".split("");
const LOWER = "abcdefghijklmnopqrstuvwxyz".split("");
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("");
const WORD = [...LOWER, ...UPPER, ...DIGITS, "_"];
const SPACE = [" "];
const PRINTABLE: string[] = [];
for (let c = 0x20; c < 0x7f; c++) PRINTABLE.push(String.fromCharCode(c));

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.alternation();
    return node;
  }

  private peek(): string | undefined {
    return this.src[this.pos];
  }

  private alternation(): Node {
    const options: Node[] = [this.sequence()];
    while (this.peek() === "|") {
      this.pos++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0] : { kind: "alt", options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.pos < this.src.length && this.peek() !== "|" && this.peek() !== ")") {
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return { kind: "seq", items };
  }

  private quantified(atom: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === "?") [min, max] = [0, 1];
    else if (c === "*") [min, max] = [0, Number.POSITIVE_INFINITY];
    else if (c === "+") [min, max] = [1, Number.POSITIVE_INFINITY];
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
      if (!m) {
        return atom;
      }
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? Number.POSITIVE_INFINITY : Number(m[3]);
      this.pos += m[0].length - 1;
    } else return atom;
    this.pos++;
    if (this.peek() === "?") this.pos++;
    return { kind: "repeat", node: atom, min, max };
  }

  private atom(): Node {
    const c = this.src[this.pos++];
    switch (c) {
      case "^":
      case "$":
        return { kind: "empty" };
      case ".":
        return { kind: "chars", set: [...LOWER, ...DIGITS], negated: false };
      case "(": {
        let lookaround = false;
        if (this.peek() === "?") {
          const rest = this.src.slice(this.pos);
          if (rest.startsWith("?:")) this.pos += 2;
          else if (rest.startsWith("?=") || rest.startsWith("?!")) {
            this.pos += 2;
            lookaround = true;
          } else if (rest.startsWith("?<=") || rest.startsWith("?<!")) {
            this.pos += 3;
            lookaround = true;
          } else if (rest.startsWith("?<")) {
            this.pos = this.src.indexOf(">", this.pos) + 1;
          }
        }
        const inner = this.alternation();
        if (this.peek() === ")") this.pos++;
        return lookaround ? { kind: "empty" } : inner;
      }
      case "[":
        return this.charClass();
      case "\\":
        return this.escape(false) as Node;
      default:
        return { kind: "chars", set: [c], negated: false };
    }
  }

  private escape(inClass: boolean): Node | string[] {
    const c = this.src[this.pos++];
    const chars = (set: string[], negated = false): Node | string[] =>
      inClass ? (negated ? [] : set) : { kind: "chars", set, negated };
    switch (c) {
      case "d":
        return chars(DIGITS);
      case "D":
        return chars(LOWER, false);
      case "w":
        return chars(WORD);
      case "W":
        return chars(["-"]);
      case "s":
        return chars(SPACE);
      case "S":
        return chars(LOWER);
      case "b":
      case "B":
        return inClass ? ["\b"] : { kind: "empty" };
      case "n":
        return chars(["\n"]);
      case "t":
        return chars(["\t"]);
      case "u": {
        const hex = /^[0-9a-fA-F]{4}/.exec(this.src.slice(this.pos));
        if (hex) {
          this.pos += 4;
          return chars([String.fromCharCode(Number.parseInt(hex[0], 16))]);
        }
        return chars(["u"]);
      }
      case "x": {
        const hex = /^[0-9a-fA-F]{2}/.exec(this.src.slice(this.pos));
        if (hex) {
          this.pos += 2;
          return chars([String.fromCharCode(Number.parseInt(hex[0], 16))]);
        }
        return chars(["x"]);
      }
      case "p":
      case "P": {
        const end = this.src.indexOf("}", this.pos);
        if (this.peek() === "{" && end > 0) this.pos = end + 1;
        return chars(LOWER);
      }
      default:
        if (c !== undefined && /[1-9]/.test(c)) return inClass ? [] : { kind: "empty" };
        return chars([c ?? ""]);
    }
  }

  private charClass(): Node {
    let negated = false;
    if (this.peek() === "^") {
      negated = true;
      this.pos++;
    }
    const set: string[] = [];
    let first = true;
    while (this.pos < this.src.length && (this.peek() !== "]" || first)) {
      first = false;
      let from: string;
      if (this.peek() === "\\") {
        this.pos++;
        const escaped = this.escape(true) as string[];
        if (escaped.length !== 1) {
          set.push(...escaped);
          continue;
        }
        from = escaped[0];
      } else from = this.src[this.pos++];
      if (this.peek() === "-" && this.src[this.pos + 1] !== "]" && this.pos + 1 < this.src.length) {
        this.pos++;
        let to = this.src[this.pos++];
        if (to === "\\") to = (this.escape(true) as string[])[0] ?? to;
        const a = from.charCodeAt(0);
        const b = to.charCodeAt(0);
        for (let code = a; code <= b && code - a < 512; code++) set.push(String.fromCharCode(code));
      } else set.push(from);
    }
    this.pos++;
    return { kind: "chars", set, negated };
  }
}

class Emitter {
  steps = 0;
  constructor(
    readonly rng: Rng,
    readonly out: string[],
  ) {}

  emit(node: Node): void {
    const { rng, out } = this;
    if (++this.steps > MAX_SAMPLE_STEPS || out.length > MAX_SAMPLE_CHARS) throw new SampleTooLarge();
    switch (node.kind) {
      case "empty":
        return;
      case "chars": {
        if (!node.negated) {
          if (node.set.length > 0) out.push(rng.pick(node.set));
          return;
        }
        const allowed = PRINTABLE.filter((c) => !node.set.includes(c));
        if (allowed.length > 0) out.push(rng.pick(allowed));
        return;
      }
      case "seq":
        for (const item of node.items) this.emit(item);
        return;
      case "alt":
        this.emit(rng.pick(node.options));
        return;
      case "repeat": {
        if (node.min > MAX_SAMPLE_CHARS) throw new SampleTooLarge();
        const upper = Math.min(node.max, node.min + 3);
        const count = rng.int(node.min, upper);
        for (let i = 0; i < count; i++) this.emit(node.node);
      }
    }
  }
}

/**
 * A string matching `pattern`, drawn with `rng`, or `undefined` when the pattern cannot be parsed.
 * Not every construct is understood: callers check the result against the real `RegExp`. Throws
 * INVALID_ARGUMENT (an EmulatorError) when the pattern needs more than {@link MAX_SAMPLE_CHARS} characters.
 *
 * @example
 * ```ts
 * sampleRegex("^[A-Z]{3}-\\d{2}$", new Rng(1)); // e.g. "QKD-07"
 * ```
 */
export function sampleRegex(pattern: string, rng: Rng): string | undefined {
  try {
    const out: string[] = [];
    new Emitter(rng, out).emit(new Parser(pattern).parse());
    return out.join("");
  } catch (error) {
    if (error instanceof SampleTooLarge) {
      const shown = pattern.length > 80 ? `${pattern.slice(0, 77)}...` : pattern;
      throw new EmulatorError(
        Code.INVALID_ARGUMENT,
        `The pattern ${JSON.stringify(shown)} asks for strings longer than the emulator draws (at most ${MAX_SAMPLE_CHARS} characters); lower its repetition counts.`,
      );
    }
    return undefined;
  }
}
