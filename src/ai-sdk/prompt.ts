// The AI SDK's prompt as our messages: system, user text, images and files, assistant text, reasoning (with its
// encrypted form, kept in the reasoning part's provider options) and tool calls, and tool results.
import type {
  LanguageModelV3FilePart,
  LanguageModelV3Prompt,
  LanguageModelV3ToolResultOutput,
  SharedV3Warning,
} from "@ai-sdk/provider";
import { type ContentInput, file, type ImageDetailName, image, type PlainMessage } from "../index.js";
import { ownOptions } from "./options.js";

/** Bytes of base64 text or of a `data:` URL's payload. */
function decodeBase64(data: string): Uint8Array {
  return new Uint8Array(Buffer.from(data, "base64"));
}

/** A file part of a user message as an image or file part of ours. */
function filePart(part: LanguageModelV3FilePart): ContentInput {
  const own = ownOptions(part.providerOptions);
  const isImage = part.mediaType.startsWith("image/");
  const concrete = isImage && part.mediaType !== "image/*" ? part.mediaType : undefined;
  const detail = own.imageDetail as ImageDetailName | undefined;
  const filename = part.filename;
  const mimeType = isImage ? concrete : part.mediaType;
  if (typeof own.fileId === "string") {
    return isImage ? image({ fileId: own.fileId }, { detail }) : file({ fileId: own.fileId });
  }
  const data = part.data;
  if (data instanceof URL) {
    const url = data.toString();
    if (data.protocol === "data:") {
      const comma = url.indexOf(",");
      const bytes = decodeBase64(url.slice(comma + 1));
      return isImage
        ? image(bytes, { detail, mimeType: concrete })
        : file({ data: bytes, filename, mimeType });
    }
    return isImage ? image(url, { detail }) : file({ url, filename, mimeType });
  }
  const bytes = typeof data === "string" ? decodeBase64(data) : data;
  return isImage ? image(bytes, { detail, mimeType: concrete }) : file({ data: bytes, filename, mimeType });
}

/** A tool's output as the text of a tool message; parts other than text are left out with a warning. */
function toolOutputText(output: LanguageModelV3ToolResultOutput, warnings: SharedV3Warning[]): string {
  switch (output.type) {
    case "text":
    case "error-text":
      return output.value;
    case "json":
    case "error-json":
      return JSON.stringify(output.value);
    case "execution-denied":
      return JSON.stringify({ error: "the tool call was denied", reason: output.reason });
    case "content":
      return output.value
        .flatMap((part) => {
          if (part.type === "text") return [part.text];
          warnings.push({
            type: "unsupported",
            feature: `tool result part of type ${part.type}`,
            details: "only text reaches the model in a tool result",
          });
          return [];
        })
        .join("\n");
  }
}

/**
 * Our messages for an AI SDK prompt. Calls of server-side tools and their results in assistant messages are
 * left out: the server ran them, and the assistant's text says what they found.
 */
export function toMessages(prompt: LanguageModelV3Prompt, warnings: SharedV3Warning[]): PlainMessage[] {
  const messages: PlainMessage[] = [];
  for (const message of prompt) {
    switch (message.role) {
      case "system":
        messages.push({ role: "system", content: message.content });
        break;
      case "user":
        messages.push({
          role: "user",
          content: message.content.map((part) => (part.type === "text" ? part.text : filePart(part))),
        });
        break;
      case "assistant": {
        let text = "";
        let reasoning = "";
        let encrypted = "";
        const toolCalls: { id: string; name: string; arguments: unknown }[] = [];
        for (const part of message.content) {
          if (part.type === "text") text += part.text;
          else if (part.type === "reasoning") {
            reasoning += part.text;
            const own = ownOptions(part.providerOptions);
            if (typeof own.encryptedContent === "string" && own.encryptedContent !== "") {
              encrypted = own.encryptedContent;
            }
          } else if (part.type === "tool-call") {
            if (!part.providerExecuted) {
              toolCalls.push({ id: part.toolCallId, name: part.toolName, arguments: part.input });
            }
          } else if (part.type === "file") {
            warnings.push({ type: "unsupported", feature: "file parts in assistant messages" });
          }
        }
        if (text === "" && toolCalls.length === 0 && reasoning === "" && encrypted === "") break;
        messages.push({
          role: "assistant",
          content: text,
          ...(reasoning !== "" && { reasoningContent: reasoning }),
          ...(encrypted !== "" && { encryptedContent: encrypted }),
          ...(toolCalls.length > 0 && { toolCalls }),
        });
        break;
      }
      case "tool":
        for (const part of message.content) {
          if (part.type !== "tool-result") continue;
          messages.push({
            role: "tool",
            toolCallId: part.toolCallId,
            content: toolOutputText(part.output, warnings),
          });
        }
        break;
    }
  }
  return messages;
}
