// Help text helpers shared by the commands.

/**
 * Formats an "Examples:" section for `addHelpText("after", …)`: each entry is a command line and what it does.
 *
 * @example
 * ```ts
 * command.addHelpText("after", examples([["xai models --json", "the catalogue as JSON"]]));
 * ```
 */
export function examples(entries: readonly (readonly [command: string, what: string])[]): string {
  const width = Math.max(...entries.map(([command]) => command.length));
  const lines = entries.map(([command, what]) => `  $ ${command.padEnd(width)}  # ${what}`);
  return `\nExamples:\n${lines.join("\n")}\n`;
}
