// CompactContext: the conversation is replaced by one opaque blob standing for the dropped messages.
// Replayed as a message's encrypted_content, the blob is expanded back so the model still "remembers".
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { CompactContextRequest, CompactContextResponseSchema } from "../../gen/xai/api/v1/chat_pb.js";
import { Code, type EmulatorContext, EmulatorError } from "../types.js";
import { keywords, readConversation } from "./conversation.js";
import { encryptContent } from "./encrypted.js";
import { checkMessages, languageModel } from "./options.js";
import { uuidFrom } from "./random.js";
import { textUsage } from "./tokens.js";

/**
 * Answers a CompactContext request: every input message is dropped and summarized into
 * `encrypted_content`.
 *
 * @example
 * ```ts
 * compactContext(ctx, request).droppedMessageCount; // request.input.length
 * ```
 */
export function compactContext(
  ctx: EmulatorContext,
  request: CompactContextRequest,
): MessageInitShape<typeof CompactContextResponseSchema> {
  const model = languageModel(ctx, request.model);
  if (request.input.length === 0) {
    throw new EmulatorError(
      Code.INVALID_ARGUMENT,
      "input is empty: send the conversation messages to compact.",
    );
  }
  checkMessages(request.input, model);
  const conversation = readConversation(request.input);
  const users = conversation.turns.filter((t) => t.role === "user");
  const topics = keywords(users.map((t) => t.text).join(" "), 6);
  const summary =
    `Summary of ${conversation.turns.length} earlier messages: ` +
    `the user wrote ${users.length} messages${topics.length > 0 ? ` about ${topics.join(", ")}` : ""}` +
    `${conversation.system ? "; the system set the instructions" : ""}; the assistant answered each of them.`;
  const encryptedContent = encryptContent({
    kind: "compaction",
    model: model.name,
    summary,
    messages: conversation.turns.map((t) => ({ role: t.role, text: t.text })),
  });
  const promptTokens = ctx.countTokens(conversation.promptText);
  const completionTokens = ctx.countTokens(summary);
  return {
    id: uuidFrom("compact", ctx.newId("compact")),
    encryptedContent,
    droppedMessageCount: request.input.length,
    usage: textUsage(model, promptTokens, completionTokens),
  };
}
