// The `xai` program: global options, the commands, and the mapping of outcomes to exit codes.
import { Command, Option } from "commander";
import { VERSION } from "../version.js";
import { registerChatCommand } from "./commands/chat.js";
import { registerEmulatorCommand } from "./commands/emulator.js";
import { registerFilesCommand } from "./commands/files.js";
import { registerImageCommand } from "./commands/image.js";
import { registerModelsCommand } from "./commands/models.js";
import { registerTokenizeCommand } from "./commands/tokenize.js";
import { CliContext } from "./context.js";
import { DEFAULT_HOST } from "./defaults.js";
import { commanderErrorText, ExitCode, type ExitCodeValue, reportError } from "./errors.js";
import { examples } from "./help.js";
import { colourEnabled, Terminal } from "./output.js";
import { parseSeconds } from "./parsers.js";

/**
 * Builds the `xai` program. Errors are thrown (commander's `exitOverride`), never `process.exit`ed, so
 * {@link runCli} decides the exit code.
 *
 * @example
 * ```ts
 * const program = buildProgram(ctx);
 * await program.parseAsync(["models", "--json"], { from: "user" });
 * ```
 */
export function buildProgram(ctx: CliContext): Command {
  const { term } = ctx;
  const program = new Command("xai");
  // Settings made before `.command()` are inherited by every subcommand.
  program
    .exitOverride()
    .configureOutput({
      writeOut: (text) => term.write(text),
      writeErr: (text) => term.stderr.write(text),
      outputError: (text, write) => write(commanderErrorText(text, term.errStyle)),
      // Commander styles help only where the CLI would colour too (a TTY, no NO_COLOR).
      getOutHasColors: () => colourEnabled(term.stdout, term.env),
      getErrHasColors: () => colourEnabled(term.stderr, term.env),
    })
    .showHelpAfterError(term.errStyle.dim("(add --help for usage and examples)"))
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError()
    .hook("preAction", (_program, actionCommand) => {
      ctx.command = actionCommand;
    });

  program
    .description(
      "Use Grok and the xAI API from a terminal: chat, models, tokenize, images and files. " +
        "`xai emulator` serves a local copy of the API that needs no key and no network.",
    )
    .version(VERSION, "-V, --version", "print the version of xai-grpc")
    .helpOption("-h, --help", "show help and examples")
    .addOption(new Option("--api-key <key>", "xAI API key (default: the XAI_API_KEY environment variable)"))
    .addOption(new Option("--host <host[:port]>", `API host (default: XAI_API_HOST, else ${DEFAULT_HOST})`))
    .addOption(
      new Option("--insecure", "plaintext gRPC instead of TLS (the default for localhost/127.0.0.1)"),
    )
    .addOption(
      new Option("--timeout <seconds>", "deadline of each API call in seconds (default: 900)").argParser(
        parseSeconds,
      ),
    )
    .addHelpText(
      "after",
      examples([
        ['xai chat "Why is the sky blue?"', "one answer, streamed"],
        ["xai chat", "a conversation (REPL); /exit to quit"],
        ["xai models", "the model catalogue as a table"],
        ['xai tokenize "Hello, world"', "how a model splits text into tokens"],
        ["xai emulator", "a local API for tests and demos"],
      ]) +
        "\nExit codes: 0 success, 1 API error (the status is printed with a hint), 2 usage error.\n" +
        "Colour is used only on a terminal, and never when NO_COLOR is set.\n",
    );

  registerChatCommand(program, ctx);
  registerModelsCommand(program, ctx);
  registerTokenizeCommand(program, ctx);
  registerImageCommand(program, ctx);
  registerFilesCommand(program, ctx);
  registerEmulatorCommand(program, ctx);
  return program;
}

/**
 * Runs `xai` with the given arguments (without `node` and the script) and returns the exit code:
 * 0 success, 1 API error, 2 usage error.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2));
 * ```
 */
export async function runCli(
  args: readonly string[],
  ctx: CliContext = new CliContext(Terminal.fromProcess(), process.env, process.stdin),
): Promise<ExitCodeValue> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...args], { from: "user" });
    return ExitCode.OK;
  } catch (err) {
    return reportError(err, ctx.term, ctx.errorContext());
  } finally {
    ctx.close();
  }
}
