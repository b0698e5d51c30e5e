// Exit codes and the one-line error report of the CLI.
import { CommanderError } from "commander";
import { MessageTooLargeError, XaiError, XaiInputError } from "../transport/errors.js";
import { Status } from "../transport/status.js";
import type { Styles, Terminal } from "./output.js";

/**
 * The exit codes of `xai`.
 *
 * @example
 * ```ts
 * if (code === ExitCode.USAGE_ERROR) console.error("see xai --help");
 * ```
 */
export const ExitCode = {
  /** The command did what it was asked. */
  OK: 0,
  /** The API (or the network) failed: the line printed names the gRPC status. */
  API_ERROR: 1,
  /** The command line was wrong: unknown option, bad value, missing key. Nothing was sent. */
  USAGE_ERROR: 2,
} as const;

/**
 * One of {@link ExitCode}'s values.
 *
 * @example
 * ```ts
 * const code: ExitCodeValue = await runCli(["models"]);
 * ```
 */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A mistake on the command line found by a command itself (not by commander): exit code 2.
 *
 * @example
 * ```ts
 * throw new UsageError("--out needs a file name ending in .png");
 * ```
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * What the error report needs to know about the invocation, to give a useful hint.
 *
 * @example
 * ```ts
 * reportError(err, term, { host: "api.x.ai" } satisfies ErrorContext);
 * ```
 */
export interface ErrorContext {
  /** The API host the call went to. */
  host: string;
  /** What a NOT_FOUND refers to, for its hint: a model (the default) or a stored file. */
  resource?: "model" | "file";
  /**
   * The SDK's option names mapped to the CLI flags that set them (`aspectRatio` → `--aspect-ratio`), so that an
   * input error caught by the SDK names the flag to fix.
   */
  flags?: Readonly<Record<string, string>>;
}

/**
 * The one prefix of every error line of `xai`: `xai: error: <message>`.
 *
 * @example
 * ```ts
 * term.err(errorLine(term.errStyle, "the prompt is empty"));  // xai: error: the prompt is empty
 * ```
 */
export function errorLine(s: Styles, message: string): string {
  return `${s.red("xai: error:")} ${message}`;
}

/**
 * Commander's own error text (`error: unknown command 'chta'\n(Did you mean chat?)\n`) in the CLI's style.
 *
 * @example
 * ```ts
 * commanderErrorText("error: unknown option '--nope'\n", s); // "xai: error: unknown option '--nope'\n"
 * ```
 */
export function commanderErrorText(text: string, s: Styles): string {
  return errorLine(s, text.replace(/^error: /, ""));
}

/**
 * An SDK input error's message with the option it starts with renamed to the CLI flag that sets it
 * (`aspectRatio must be one of …` → `--aspect-ratio must be one of …`); unchanged when no flag matches.
 *
 * @example
 * ```ts
 * withFlagNames('aspectRatio must be one of "1:1", got "7:5"', { aspectRatio: "--aspect-ratio" });
 * // '--aspect-ratio must be one of "1:1", got "7:5"'
 * ```
 */
export function withFlagNames(message: string, flags: Readonly<Record<string, string>> = {}): string {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?=[\s.[]|$)/.exec(message);
  const name = match?.[1];
  if (name === undefined || !Object.hasOwn(flags, name)) return message;
  return `${flags[name]}${message.slice(name.length)}`;
}

/**
 * A hint for an API status, in terms of the CLI's options; empty when there is nothing useful to say.
 *
 * @example
 * ```ts
 * hintFor(Status.UNAUTHENTICATED, { host: "api.x.ai" }); // "set XAI_API_KEY=<your key> or pass --api-key <key> …"
 * hintFor(Status.NOT_FOUND, { host: "api.x.ai", resource: "file" }); // "check the file id (`xai files list` …)"
 * ```
 */
export function hintFor(code: number, context: ErrorContext): string {
  switch (code) {
    case Status.UNAUTHENTICATED:
      return "set XAI_API_KEY=<your key> or pass --api-key <key> (keys are made at https://console.x.ai)";
    case Status.PERMISSION_DENIED:
      return "the key is valid but may not use this model or endpoint: check its ACLs at https://console.x.ai";
    case Status.UNAVAILABLE:
      return `check the host (${context.host}) and your network, or pass --host host:port`;
    case Status.DEADLINE_EXCEEDED:
      return "the call took longer than its deadline: raise --timeout <seconds>";
    case Status.NOT_FOUND:
      return context.resource === "file"
        ? "check the file id (`xai files list` lists the files)"
        : "check the model name (`xai models` lists the models)";
    case Status.RESOURCE_EXHAUSTED:
      return "a rate limit or quota was hit: wait a moment and try again";
    case Status.INVALID_ARGUMENT:
      return "the API rejected the request: check the options (`--help`)";
    default:
      return "";
  }
}

/**
 * Prints the error as one line on stderr (`xai: error: …`, see {@link errorLine}) and returns the exit code: 2 for usage errors (commander's,
 * {@link UsageError}, and bad input caught by the SDK before any call), 1 for API errors, 1 otherwise.
 * Commander has already printed its own message, so only the code is returned for those.
 *
 * @example
 * ```ts
 * process.exitCode = reportError(err, term, { host: "api.x.ai" });
 * ```
 */
export function reportError(err: unknown, term: Terminal, context: ErrorContext): ExitCodeValue {
  const s = term.errStyle;
  if (err instanceof CommanderError) {
    return err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE_ERROR;
  }
  if (err instanceof UsageError) {
    term.err(errorLine(s, `${err.message} ${s.dim("(see --help)")}`));
    return ExitCode.USAGE_ERROR;
  }
  if (err instanceof XaiInputError) {
    term.err(errorLine(s, withFlagNames(err.message, context.flags)));
    return ExitCode.USAGE_ERROR;
  }
  if (err instanceof XaiError) {
    // A size limit is RESOURCE_EXHAUSTED too, but its details already name the option that raises it.
    const hint = err instanceof MessageTooLargeError ? "" : hintFor(err.code, context);
    const details = err.details || "no details";
    term.err(errorLine(s, `${s.bold(err.statusName)}: ${details}${hint ? s.dim(` — hint: ${hint}`) : ""}`));
    return ExitCode.API_ERROR;
  }
  const message = err instanceof Error ? err.message : String(err);
  term.err(errorLine(s, message));
  return ExitCode.API_ERROR;
}
