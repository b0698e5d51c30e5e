// Terminal output of the CLI: colour only on a TTY and never with NO_COLOR, a spinner only on a TTY.
import { createSpinner } from "nanospinner";
import * as colors from "yoctocolors";

/**
 * A function that styles a piece of text (or leaves it as is).
 *
 * @example
 * ```ts
 * const warn: StyleFn = term.errStyle.yellow;
 * ```
 */
export type StyleFn = (text: string) => string;

/**
 * The styles the CLI uses; each is the identity when colour is off.
 *
 * @example
 * ```ts
 * const s: Styles = stylesFor(process.stdout, process.env);
 * console.log(s.bold("models"), s.dim("(3)"));
 * ```
 */
export interface Styles {
  bold: StyleFn;
  dim: StyleFn;
  red: StyleFn;
  green: StyleFn;
  yellow: StyleFn;
  cyan: StyleFn;
  magenta: StyleFn;
}

/**
 * The part of a writable stream the CLI needs (process.stdout / process.stderr in practice).
 *
 * @example
 * ```ts
 * const sink: OutputStream = { write: (chunk) => process.stdout.write(chunk), isTTY: false };
 * ```
 */
export interface OutputStream {
  write(chunk: string): boolean;
  isTTY?: boolean | undefined;
}

/**
 * Whether to colour what goes to `stream`: only a TTY, and never when `NO_COLOR` is set to a non-empty
 * value (https://no-color.org) or `TERM=dumb`.
 *
 * @example
 * ```ts
 * colourEnabled(process.stdout, process.env); // false when piped
 * ```
 */
export function colourEnabled(stream: OutputStream, env: NodeJS.ProcessEnv): boolean {
  if (stream.isTTY !== true) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return env.TERM !== "dumb";
}

const identity: StyleFn = (text) => text;

/**
 * The CLI's styles for a stream: yoctocolors when colour is enabled, plain text otherwise.
 *
 * @example
 * ```ts
 * const s = stylesFor(process.stderr, process.env);
 * process.stderr.write(s.red("error") + "\n");
 * ```
 */
export function stylesFor(stream: OutputStream, env: NodeJS.ProcessEnv): Styles {
  const on = colourEnabled(stream, env);
  return {
    bold: on ? colors.bold : identity,
    dim: on ? colors.dim : identity,
    red: on ? colors.red : identity,
    green: on ? colors.green : identity,
    yellow: on ? colors.yellow : identity,
    cyan: on ? colors.cyan : identity,
    magenta: on ? colors.magenta : identity,
  };
}

/**
 * A running spinner, or nothing when the output is not a TTY.
 *
 * @example
 * ```ts
 * const waiting = term.wait("listing models…");
 * try { await work(); } finally { waiting.stop(); }
 * ```
 */
export interface Waiting {
  /** Removes the spinner (no trace left on screen). */
  stop(): void;
}

/**
 * The CLI's view of the terminal: stdout for results, stderr for progress, warnings and errors, each with
 * its own styles.
 *
 * @example
 * ```ts
 * const term = Terminal.fromProcess();
 * term.out(term.style.bold("hello"));
 * ```
 */
export class Terminal {
  /** Styles for stdout. */
  readonly style: Styles;
  /** Styles for stderr. */
  readonly errStyle: Styles;

  constructor(
    readonly stdout: OutputStream,
    readonly stderr: OutputStream,
    readonly env: NodeJS.ProcessEnv,
  ) {
    this.style = stylesFor(stdout, env);
    this.errStyle = stylesFor(stderr, env);
  }

  /** The terminal of the current process. */
  static fromProcess(): Terminal {
    return new Terminal(process.stdout, process.stderr, process.env);
  }

  /** Whether stdout is an interactive terminal. */
  get interactive(): boolean {
    return this.stdout.isTTY === true;
  }

  /** Writes text to stdout as is. */
  write(text: string): void {
    this.stdout.write(text);
  }

  /** Writes a line to stdout. */
  out(line = ""): void {
    this.stdout.write(`${line}\n`);
  }

  /** Writes a line to stderr. */
  err(line = ""): void {
    this.stderr.write(`${line}\n`);
  }

  /**
   * Shows a spinner on stderr while something is awaited, only when stderr is a TTY and colour is allowed.
   * Returns a handle whose `stop()` clears it.
   */
  wait(text: string): Waiting {
    const stream = this.stderr as NodeJS.WriteStream;
    // nanospinner divides by the terminal's width: a terminal reporting no width (0 columns) gets no spinner.
    const columns = typeof stream.columns === "number" ? stream.columns : 0;
    if (this.stderr.isTTY !== true || !colourEnabled(this.stderr, this.env) || columns <= 0)
      return { stop() {} };
    const spinner = createSpinner(text, { stream }).start();
    let stopped = false;
    return {
      stop() {
        if (stopped) return;
        stopped = true;
        spinner.stop();
      },
    };
  }
}
