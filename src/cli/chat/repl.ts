// The multi-turn REPL of `xai chat` (no prompt given): node:readline, slash commands, Ctrl-C stops an answer.
import { createInterface } from "node:readline";
import { XaiError } from "../../transport/errors.js";
import { type ErrorContext, errorLine, reportError } from "../errors.js";
import type { Terminal } from "../output.js";
import type { ChatSession } from "./session.js";

/**
 * The REPL's slash commands, for `/help`.
 *
 * @example
 * ```ts
 * for (const [command, what] of REPL_COMMANDS) console.log(command, what);
 * ```
 */
export const REPL_COMMANDS: readonly (readonly [string, string])[] = [
  ["/reset", "forget the conversation (model and system prompt stay)"],
  ["/model [name]", "show the model, or switch to another one"],
  ["/system [text]", "show the system prompt, or set it (/system --clear removes it)"],
  ["/help", "this list"],
  ["/exit", "leave (also /quit, Ctrl-D)"],
];

/**
 * The REPL's input: stdin in practice.
 *
 * @example
 * ```ts
 * const input: ReplInput = process.stdin;
 * ```
 */
export type ReplInput = NodeJS.ReadableStream & { isTTY?: boolean };

/** What a slash command asks the loop to do next. */
type CommandResult = "continue" | "exit";

/**
 * Runs the REPL until `/exit`, end of input (Ctrl-D, or the end of piped stdin) or a second Ctrl-C at an
 * empty prompt. Each line is a turn of `session`; API errors are printed and the REPL goes on. On a
 * terminal, Ctrl-C while an answer streams stops that answer only.
 *
 * @example
 * ```ts
 * await runRepl(session, process.stdin, term, { host: "api.x.ai" });
 * ```
 */
export async function runRepl(
  session: ChatSession,
  input: ReplInput,
  term: Terminal,
  errorContext: ErrorContext,
): Promise<void> {
  const interactive = input.isTTY === true && term.interactive;
  const rl = createInterface({
    input,
    output: interactive ? (term.stdout as NodeJS.WritableStream) : undefined,
    terminal: interactive,
    historySize: 1000,
  });
  const s = term.style;
  rl.setPrompt(interactive ? s.bold(s.cyan("you› ")) : "");

  let current: AbortController | undefined;
  let interruptedOnce = false;
  const interrupt = () => {
    if (current) {
      current.abort(new Error("stopped with Ctrl-C"));
      return;
    }
    if (rl.line) {
      // Discard the line being typed.
      rl.write(null, { ctrl: true, name: "u" });
      interruptedOnce = false;
      return;
    }
    if (interruptedOnce) {
      rl.close();
      return;
    }
    interruptedOnce = true;
    term.out();
    term.err(term.errStyle.dim("(press Ctrl-C again or type /exit to leave)"));
    rl.prompt();
  };
  rl.on("SIGINT", interrupt);
  // Without a terminal, Ctrl-C is a real signal: handle it the same way instead of dying mid-answer.
  const onProcessSigint = () => interrupt();
  if (!interactive) process.on("SIGINT", onProcessSigint);

  term.err(
    term.errStyle.dim(
      `xai chat · model ${session.settings.model}${session.settings.system ? " · with a system prompt" : ""} · /help for commands, /exit to leave`,
    ),
  );
  let exited = false;
  try {
    if (interactive) rl.prompt();
    for await (const raw of rl) {
      interruptedOnce = false;
      const line = raw.trim();
      if (line === "") {
        if (interactive) rl.prompt();
        continue;
      }
      if (line.startsWith("/")) {
        if (runCommand(line, session, term) === "exit") {
          exited = true;
          break;
        }
      } else {
        current = new AbortController();
        try {
          await session.ask(line, current.signal);
        } catch (err) {
          if (!(err instanceof XaiError)) throw err;
          reportError(err, term, errorContext);
        } finally {
          current = undefined;
        }
      }
      if (interactive) rl.prompt();
    }
  } finally {
    process.off("SIGINT", onProcessSigint);
    rl.close();
  }
  // Ctrl-D (or a second Ctrl-C) leaves the cursor after our prompt: end that line, so the shell's prompt
  // starts on its own. /exit was followed by Enter, which already did.
  if (interactive && !exited) term.out();
}

function runCommand(line: string, session: ChatSession, term: Terminal): CommandResult {
  const space = line.indexOf(" ");
  const name = (space === -1 ? line : line.slice(0, space)).toLowerCase();
  const rest = space === -1 ? "" : line.slice(space + 1).trim();
  const note = (text: string) => term.err(term.errStyle.dim(text));
  switch (name) {
    case "/exit":
    case "/quit":
      return "exit";
    case "/reset":
      session.reset();
      note("(conversation cleared)");
      return "continue";
    case "/model":
      if (rest) {
        session.settings.model = rest;
        note(`(model: ${rest}; the conversation continues with it)`);
      } else note(`(model: ${session.settings.model})`);
      return "continue";
    case "/system":
      if (rest === "--clear") {
        session.settings.system = undefined;
        note("(system prompt removed)");
      } else if (rest) {
        session.settings.system = rest;
        note("(system prompt set)");
      } else
        note(session.settings.system ? `(system prompt: ${session.settings.system})` : "(no system prompt)");
      return "continue";
    case "/help":
      for (const [command, what] of REPL_COMMANDS) note(`${command.padEnd(16)} ${what}`);
      note("Ctrl-C stops an answer; at an empty prompt, press it twice to leave.");
      return "continue";
    default:
      term.err(
        errorLine(
          term.errStyle,
          `unknown command ${name} ${term.errStyle.dim("(/help lists the commands)")}`,
        ),
      );
      return "continue";
  }
}
