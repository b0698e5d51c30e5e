// A plain view of a chat conversation for the generator: roles as words, text per message, the
// latest user turn, tool results after it, the system persona. Compacted context is expanded here.
import { type Message, MessageRole } from "../../gen/xai/api/v1/chat_pb.js";
import { Code, EmulatorError } from "../types.js";
import { decryptContent } from "./encrypted.js";
import { namedPhraseSpans } from "./prompt-facts.js";

/** A message role, as a word. */
export type Role = "user" | "assistant" | "system" | "developer" | "tool" | "function";

/** One message of the conversation, reduced to what the generator reads. */
export interface Turn {
  role: Role;
  /** The text parts, joined with newlines (attached files are in `files`). */
  text: string;
  imageCount: number;
  /** Text of the files attached inline (`data`), or their names when only referenced. */
  files: string[];
  /** Client tool calls made by an assistant message: id → function name. */
  toolCalls: { id: string; name: string; arguments: string }[];
  toolCallId?: string;
}

/** A tool result that answers a tool call of the current turn. */
export interface ToolResult {
  toolCallId: string;
  /** The function name, when the call is found in an earlier assistant message. */
  name: string;
  content: string;
}

/** What the generator knows about a conversation. */
export interface Conversation {
  turns: Turn[];
  /** System and developer instructions, joined. */
  system: string;
  /** Text of the latest user message ("" when there is none). */
  lastUser: string;
  /** Texts of the earlier user messages, oldest first. */
  earlierUsers: string[];
  /** Tool results that follow the latest user message, in order. */
  toolResults: ToolResult[];
  /** All text the prompt carries (for token counts). */
  promptText: string;
  /** Number of image parts in the prompt. */
  imageCount: number;
}

const ROLE_NAMES: Record<number, Role> = {
  [MessageRole.ROLE_USER]: "user",
  [MessageRole.ROLE_ASSISTANT]: "assistant",
  [MessageRole.ROLE_SYSTEM]: "system",
  [MessageRole.ROLE_DEVELOPER]: "developer",
  [MessageRole.ROLE_TOOL]: "tool",
  [MessageRole.ROLE_FUNCTION]: "function",
};

/** The role of a message as a word; `undefined` for INVALID_ROLE or unknown numbers. */
export function roleName(role: MessageRole): Role | undefined {
  return ROLE_NAMES[role];
}

function messageText(message: Message): { text: string; images: number; files: string[] } {
  const parts: string[] = [];
  const files: string[] = [];
  let images = 0;
  for (const part of message.content) {
    switch (part.content.case) {
      case "text":
        parts.push(part.content.value);
        break;
      case "imageUrl":
        images++;
        break;
      case "file": {
        const file = part.content.value;
        const fileText =
          file.data.length > 0
            ? new TextDecoder().decode(file.data)
            : `[file ${file.filename || file.fileId || file.url}]`;
        files.push(fileText);
        break;
      }
    }
  }
  return { text: parts.join("\n"), images, files };
}

/**
 * Builds the generator's view of `messages` (already validated). Encrypted content is read back:
 * reasoning blobs are accepted, compaction blobs are expanded into the messages they stand for.
 * Throws INVALID_ARGUMENT for encrypted content that the emulator did not produce.
 *
 * @example
 * ```ts
 * readConversation(request.messages).lastUser; // "What's the weather in Paris?"
 * ```
 */
export function readConversation(messages: readonly Message[]): Conversation {
  const turns: Turn[] = [];
  const prompt: string[] = [];
  let imageCount = 0;
  messages.forEach((message, index) => {
    const role = roleName(message.role) ?? "user";
    const { text, images, files } = messageText(message);
    imageCount += images;
    if (message.encryptedContent) {
      const payload = decryptContent(message.encryptedContent);
      if (!payload) {
        throw new EmulatorError(
          Code.INVALID_ARGUMENT,
          `messages[${index}].encrypted_content could not be decrypted; send back the encrypted_content the API returned, unchanged.`,
        );
      }
      if (payload.kind === "compaction") {
        for (const dropped of payload.messages) {
          turns.push({
            role: Object.values(ROLE_NAMES).find((r) => r === dropped.role) ?? "user",
            text: dropped.text,
            imageCount: 0,
            files: [],
            toolCalls: [],
          });
        }
        prompt.push(payload.summary);
      } else {
        prompt.push(payload.reasoning);
      }
    }
    if (message.reasoningContent) prompt.push(message.reasoningContent);
    const toolCalls = message.toolCalls.flatMap((call) =>
      call.tool.case === "function"
        ? [{ id: call.id, name: call.tool.value.name, arguments: call.tool.value.arguments }]
        : [],
    );
    for (const call of toolCalls) prompt.push(`${call.name}(${call.arguments})`);
    if (text) prompt.push(text);
    prompt.push(...files);
    // A message that only carries encrypted compaction stands for the messages expanded above.
    if (text || toolCalls.length > 0 || images > 0 || files.length > 0 || !message.encryptedContent) {
      turns.push({ role, text, imageCount: images, files, toolCalls, toolCallId: message.toolCallId });
    }
  });

  let lastUserIndex = -1;
  for (let i = turns.length - 1; i >= 0; i--) {
    if (turns[i].role === "user") {
      lastUserIndex = i;
      break;
    }
  }
  const callNames = new Map<string, string>();
  for (const turn of turns) for (const call of turn.toolCalls) callNames.set(call.id, call.name);
  const toolResults: ToolResult[] = [];
  for (let i = lastUserIndex + 1; i < turns.length; i++) {
    const turn = turns[i];
    if (turn.role === "tool" || turn.role === "function") {
      const id = turn.toolCallId ?? "";
      toolResults.push({ toolCallId: id, name: callNames.get(id) ?? "the tool", content: turn.text });
    }
  }
  return {
    turns,
    system: turns
      .filter((t) => t.role === "system" || t.role === "developer")
      .map((t) => t.text)
      .join("\n"),
    lastUser: lastUserIndex >= 0 ? turns[lastUserIndex].text : "",
    earlierUsers: turns
      .slice(0, Math.max(0, lastUserIndex))
      .flatMap((t) => (t.role === "user" ? [t.text] : [])),
    toolResults,
    promptText: prompt.join("\n"),
    imageCount,
  };
}

const STOPWORDS = new Set(
  (
    "about above after again against also among because been before being below between both could does " +
    "doing down during each from further have having here hers herself himself into itself just more most " +
    "myself only other ought ours ourselves over same should some such than that their theirs them themselves " +
    "then there these they this those through under until very were what when where which while whom with " +
    "would your yours yourself yourselves please tell give explain write make want need know like think " +
    "today will shall might must can't don't won't what's it's i'm works work working worked explain " +
    "explains describe show help using used uses thing things something anything everything really much " +
    "many give gives going well tell says said does done make makes made want wants let's there's"
  ).split(" "),
);

/**
 * Salient words of a text (four letters or more, not stop words), lower case, first occurrence order.
 *
 * @example
 * ```ts
 * keywords("Explain how photosynthesis works in plants"); // ["photosynthesis", "works", "plants"]
 * ```
 */
export function keywords(text: string, limit = 5): string[] {
  const out: string[] = [];
  for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu)) {
    const word = match[0].replace(/^'+|'+$/g, "");
    if (word.length < 4 || STOPWORDS.has(word) || out.includes(word)) continue;
    out.push(word);
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * Names and quoted phrases of a text: runs of capitalized words that do not start a sentence, and
 * text in quotes, in order of appearance (used to fill tool arguments such as a city).
 *
 * @example
 * ```ts
 * namedPhrases("What's the weather in Paris and New York?"); // ["Paris", "New York"]
 * ```
 */
export function namedPhrases(text: string): string[] {
  return namedPhraseSpans(text).map((p) => p.text);
}
