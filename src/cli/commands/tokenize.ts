// `xai tokenize`: how a model splits a text into tokens.
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { DEFAULT_CHAT_MODEL } from "../defaults.js";
import { UsageError } from "../errors.js";
import { examples } from "../help.js";
import { parseModelName } from "../parsers.js";
import { readAll } from "../stdin.js";

interface TokenizeCommandOptions {
  model: string;
  json?: boolean;
}

/**
 * What `xai tokenize --json` prints.
 *
 * @example
 * ```ts
 * // xai tokenize --json - < README.md | jq .count
 * const { count } = JSON.parse(stdout) as TokenizeJson;
 * ```
 */
export interface TokenizeJson {
  model: string;
  count: number;
  tokens: { id: number; text: string }[];
}

/**
 * Registers `xai tokenize`.
 *
 * @example
 * ```ts
 * registerTokenizeCommand(program, ctx); // then: xai tokenize --help
 * ```
 */
export function registerTokenizeCommand(program: Command, ctx: CliContext): void {
  program
    .command("tokenize")
    .summary("split a text into a model's tokens")
    .description(
      'Show how a model splits a text into tokens: the count, and each token\'s id and text. "-" reads stdin.',
    )
    .argument("<text...>", "the text (several words are joined with spaces)")
    .option("-m, --model <name>", "the model whose tokenizer to use", parseModelName, DEFAULT_CHAT_MODEL)
    .option("--json", "print {model, count, tokens: [{id, text}]} as JSON")
    .addHelpText(
      "after",
      examples([
        ['xai tokenize "Hello, world"', "the tokens, one per line"],
        ["cat README.md | xai tokenize --json - | jq .count", "count the tokens of a file"],
      ]),
    )
    .action(async (words: string[], options: TokenizeCommandOptions, command: Command) => {
      const { term } = ctx;
      let text = words.join(" ");
      if (text === "-") text = await readAll(ctx.stdin);
      if (text === "") throw new UsageError("the text is empty: give some text to tokenize");
      const client = ctx.client(command);
      const waiting = term.wait("tokenizing…");
      let result: Awaited<ReturnType<typeof client.tokenize.tokenize>>;
      try {
        result = await client.tokenize.tokenize(text, { model: options.model });
      } finally {
        waiting.stop();
      }
      const model = result.model || options.model;
      if (options.json) {
        const json: TokenizeJson = {
          model,
          count: result.length,
          tokens: result.tokens.map((t) => ({ id: t.id, text: t.text })),
        };
        term.out(JSON.stringify(json, null, 2));
        return;
      }
      const s = term.style;
      term.out(`${s.bold(String(result.length))} tokens ${s.dim(`(${model})`)}`);
      const width = String(Math.max(0, ...result.ids)).length;
      result.tokens.forEach((token, i) => {
        term.out(
          `${s.dim(String(i).padStart(String(result.length).length))}  ${String(token.id).padStart(width)}  ${s.cyan(JSON.stringify(token.text))}`,
        );
      });
    });
}
