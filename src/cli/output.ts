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
 * A progress line on stderr: rewritten in place on a terminal, one line per update otherwise (when asked
 * for), nothing at all when stderr is not a terminal and progress was not asked for.
 *
 * @example
 * ```ts
 * const progress = term.progress(false);
 * progress.update("uploading a.bin: 3.0 MiB of 7.0 MiB (42%)");
 * progress.done("uploaded a.bin: 7.0 MiB (100%)");
 * ```
 */
export interface Progress {
  /** Whether the line is rewritten in place (a terminal), so that a "starting…" state is worth showing. */
  readonly live: boolean;
  /** Shows the current state. */
  update(text: string): void;
  /** Shows the final state, which stays on screen. */
  done(text: string): void;
  /** Ends the line without a final state (on failure), so that what follows starts on a new line. */
  stop(): void;
}

const noProgress: Progress = { live: false, update() {}, done() {}, stop() {} };

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

  /**
   * The width tables should fit: the terminal's on a TTY, else `COLUMNS` when set, else 80.
   */
  get columns(): number {
    const columns = (this.stdout as Partial<NodeJS.WriteStream>).columns;
    if (this.stdout.isTTY === true && typeof columns === "number" && columns > 0) return columns;
    const fromEnv = Number(this.env.COLUMNS);
    return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 80;
  }

  /**
   * A {@link Progress} line on stderr: on a terminal always, elsewhere only when `always` (one line per update).
   */
  progress(always: boolean): Progress {
    const stderr = this.stderr;
    if (stderr.isTTY !== true) {
      if (!always) return noProgress;
      return { live: false, update: (text) => this.err(text), done: (text) => this.err(text), stop() {} };
    }
    // Rewritten in place: a carriage return, the text, and spaces over what was longer before.
    let shown = 0;
    const show = (text: string) => {
      stderr.write(`\r${text}${" ".repeat(Math.max(0, shown - text.length))}`);
      shown = text.length;
    };
    return {
      live: true,
      update: show,
      done(text) {
        show(text);
        stderr.write("\n");
        shown = 0;
      },
      stop() {
        if (shown > 0) stderr.write("\n");
        shown = 0;
      },
    };
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
