// `xai chat`: one streamed answer, or a conversation (REPL) when no prompt is given.
import { type Command, Option } from "commander";
import { REASONING_EFFORTS, type ReasoningEffortName } from "../../chat/index.js";
import { runRepl } from "../chat/repl.js";
import { ChatSession } from "../chat/session.js";
import type { CliContext } from "../context.js";
import { DEFAULT_CHAT_MODEL } from "../defaults.js";
import { UsageError } from "../errors.js";
import { examples } from "../help.js";
import { parseModelName, parsePositiveInteger, parseTemperature } from "../parsers.js";
import { readAll } from "../stdin.js";

interface ChatCommandOptions {
  model: string;
  system?: string;
  reasoningEffort?: ReasoningEffortName;
  showReasoning?: boolean;
  temperature?: number;
  maxTokens?: number;
  search?: boolean;
  json?: boolean;
  usage?: boolean;
}

/**
 * Registers `xai chat`.
 *
 * @example
 * ```ts
 * registerChatCommand(program, ctx); // then: xai chat --help
 * ```
 */
export function registerChatCommand(program: Command, ctx: CliContext): void {
  program
    .command("chat")
    .summary("ask Grok (streamed), or open a conversation without a prompt")
    .description(
      "Ask Grok. With a prompt, the answer is streamed as it arrives. Without one, a conversation opens " +
        "(a REPL keeping the history; /reset, /model, /system, /help, /exit; Ctrl-C stops the current answer). " +
        'A prompt of "-" is read from standard input.',
    )
    .argument("[prompt...]", "what to ask (several words are joined with spaces)")
    .option("-m, --model <name>", "the model", parseModelName, DEFAULT_CHAT_MODEL)
    .option("-s, --system <text>", "a system prompt framing the conversation")
    .addOption(
      new Option("--reasoning-effort <level>", "how hard a reasoning model thinks").choices(
        REASONING_EFFORTS,
      ),
    )
    .option("--show-reasoning", "show the model's reasoning (dimmed) before the answer")
    .option("--temperature <t>", "sampling temperature, 0 to 2", parseTemperature)
    .option("--max-tokens <n>", "the longest answer, in tokens", parsePositiveInteger)
    .option("--search", "let the model search the web and X; its sources are listed after the answer")
    .option("--json", "print each response as a JSON document instead of streaming text")
    .option("--usage", "print a token and cost footer after each answer (on stderr)")
    .addHelpText(
      "after",
      examples([
        ['xai chat "Write a haiku about gRPC"', "stream one answer"],
        ['xai chat -m grok-3-mini --show-reasoning "Is 221 prime?"', "see the reasoning, dimmed"],
        ['xai chat --json "hi" | jq -r .content', "script against the response"],
        ['git diff | xai chat -s "Review this diff" -', "the prompt from standard input"],
        ['xai chat -s "You are a pirate"', "a conversation with a persona"],
      ]),
    )
    .action(async (promptParts: string[], options: ChatCommandOptions, command: Command) => {
      let prompt = promptParts.join(" ");
      if (prompt === "-") prompt = await readAll(ctx.stdin);
      const explicitPrompt = promptParts.length > 0;
      if (explicitPrompt && prompt.trim() === "") {
        throw new UsageError("the prompt is empty: give some text, or no prompt at all for a conversation");
      }
      const client = ctx.client(command);
      const session = new ChatSession(client, { ...options }, ctx.term);
      if (explicitPrompt) {
        await session.ask(prompt);
        return;
      }
      await runRepl(session, ctx.stdin, ctx.term, ctx.errorContext());
    });
}
