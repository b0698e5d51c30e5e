// One conversation of `xai chat`: the settings, the history, and a turn streamed to the terminal.
import type { ChatResponse } from "../../chat/index.js";
import { assistant, type ReasoningEffortName, system, user, webSearch, xSearch } from "../../chat/index.js";
import type { Client } from "../../client.js";
import type { Message } from "../../gen/xai/api/v1/chat_pb.js";
import { UserAbortError } from "../../transport/errors.js";
import type { Terminal } from "../output.js";
import { formatCitations, formatUsage, responseSummary } from "./format.js";

/**
 * The options of `xai chat` that shape each request and how answers are shown.
 *
 * @example
 * ```ts
 * const settings: ChatSettings = { model: "grok-4", system: "Be brief", usage: true };
 * ```
 */
export interface ChatSettings {
  model: string;
  system?: string | undefined;
  reasoningEffort?: ReasoningEffortName | undefined;
  showReasoning?: boolean | undefined;
  temperature?: number | undefined;
  maxTokens?: number | undefined;
  search?: boolean | undefined;
  json?: boolean | undefined;
  usage?: boolean | undefined;
}

/**
 * How a turn ended.
 *
 * @example
 * ```ts
 * if ((await session.ask("hi", signal)) === "stopped") console.error("interrupted");
 * ```
 */
export type TurnOutcome = "answered" | "stopped";

/**
 * A conversation: each {@link ask} sends the whole history plus the new prompt, streams the answer to the
 * terminal and keeps both in the history. `model` and `system` can change between turns (`/model`,
 * `/system`); {@link reset} forgets the history.
 *
 * @example
 * ```ts
 * const session = new ChatSession(client, { model: "grok-4" }, term);
 * await session.ask("Hello!");
 * await session.ask("And again?");
 * ```
 */
export class ChatSession {
  readonly #history: (Message | ChatResponse)[] = [];

  constructor(
    private readonly client: Client,
    readonly settings: ChatSettings,
    private readonly term: Terminal,
  ) {}

  /** Number of messages kept (user prompts and answers; the system prompt is not counted). */
  get length(): number {
    return this.#history.length;
  }

  /** Forgets the conversation (the model and system prompt stay). */
  reset(): void {
    this.#history.length = 0;
  }

  #newChat() {
    const { settings } = this;
    const chat = this.client.chat.create({
      model: settings.model,
      messages: settings.system ? [system(settings.system)] : [],
      ...(settings.reasoningEffort !== undefined ? { reasoningEffort: settings.reasoningEffort } : {}),
      ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
      ...(settings.maxTokens !== undefined ? { maxTokens: settings.maxTokens } : {}),
      ...(settings.search ? { tools: [webSearch(), xSearch()] } : {}),
    });
    for (const item of this.#history) chat.append(item);
    return chat;
  }

  /**
   * Sends `prompt` after the history and shows the answer: streamed (reasoning dimmed with
   * `showReasoning`), or as one JSON document with `json`. Aborting `signal` stops the answer; what was
   * shown stays in the history. API errors reject, and the turn is then not kept.
   */
  async ask(prompt: string, signal?: AbortSignal): Promise<TurnOutcome> {
    const chat = this.#newChat();
    const message = user(prompt);
    chat.append(message);
    const callOptions = signal ? { signal } : {};
    if (this.settings.json) {
      const response = await chat.sample(callOptions);
      this.term.out(JSON.stringify(responseSummary(response), null, 2));
      this.#history.push(message, response);
      return "answered";
    }

    const { term } = this;
    const shown: string[] = [];
    let last: ChatResponse | undefined;
    let inReasoning = false;
    const waiting = term.wait("thinking…");
    try {
      for await (const [response, chunk] of chat.stream(callOptions)) {
        last = response;
        const reasoning = this.settings.showReasoning ? chunk.reasoningContent : "";
        const content = chunk.content;
        if (reasoning || content) waiting.stop();
        if (reasoning) {
          inReasoning = true;
          term.write(term.style.dim(reasoning));
        }
        if (content) {
          if (inReasoning) {
            inReasoning = false;
            term.write("\n\n");
          }
          shown.push(content);
          term.write(content);
        }
      }
    } catch (err) {
      waiting.stop();
      if (err instanceof UserAbortError) {
        if (shown.length > 0 || inReasoning) term.out();
        term.err(term.errStyle.dim("(answer stopped)"));
        const partial = shown.join("");
        if (partial) this.#history.push(message, assistant(partial));
        return "stopped";
      }
      if (shown.length > 0) term.out();
      throw err;
    }
    waiting.stop();
    term.out();
    if (last) {
      const citations = formatCitations(last);
      if (citations) term.out(term.style.dim(citations));
      if (last.finishReason === "length") {
        term.err(term.errStyle.yellow("(the answer reached the token limit; raise --max-tokens for more)"));
      }
      if (this.settings.usage) term.err(term.errStyle.dim(formatUsage(last)));
      this.#history.push(message, last);
    }
    return "answered";
  }
}
