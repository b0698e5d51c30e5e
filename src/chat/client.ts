import { checkString } from "../core/check.js";
import { Chat as ChatService } from "../gen/xai/api/v1/chat_pb.js";
import type { Telemetry } from "../telemetry/telemetry.js";
import type { CallOptions } from "../transport/options.js";
import type { Transport } from "../transport/transport.js";
import { Chat, compactMessages } from "./chat.js";
import type { MessageInput } from "./messages.js";
import { buildChatSettings, type ChatCreateOptions, checkMessages } from "./options.js";
import { ChatResponse, type CompactionResult } from "./response.js";
import type { ChatModel } from "./types.js";

/**
 * Chat completions (Chat service). Reached as `client.chat`.
 *
 * @example
 * ```ts
 * const chat = client.chat.create({ model: "grok-4", messages: [user("Hi")] });
 * const stored = await client.chat.getStoredCompletion(responseId);
 * ```
 */
export class ChatClient {
  /** @internal */
  constructor(
    protected readonly transport: Transport,
    private readonly telemetry?: Telemetry,
  ) {}

  /**
   * Starts a conversation (no call is made). Every option is checked now; a bad one throws `XaiInputError`.
   *
   * @example
   * ```ts
   * const chat = client.chat.create({ model: "grok-4", messages: [system("You are a pirate.")], temperature: 0.7 });
   * chat.append(user("Hello!"));
   * console.log((await chat.sample()).content);
   * ```
   */
  create(options: ChatCreateOptions): Chat {
    return new Chat(this.transport, buildChatSettings(options), this.telemetry);
  }

  /**
   * Fetches a completion stored with `storeMessages: true`. The ChatResponse covers all its outputs when it is
   * agentic (several output indices), else its single answer. (The Python SDK returns one response per output.)
   *
   * @example
   * ```ts
   * const stored = await client.chat.getStoredCompletion(response.id);
   * console.log(stored.content);
   * ```
   */
  async getStoredCompletion(responseId: string, options?: CallOptions): Promise<ChatResponse> {
    checkString("responseId", responseId, { nonEmpty: true });
    const proto = await this.transport.api.unary(
      ChatService.method.getStoredCompletion,
      { responseId },
      options,
    );
    return ChatResponse.fromProto(proto);
  }

  /**
   * Deletes a stored completion; resolves with the deleted id.
   *
   * @example
   * ```ts
   * await client.chat.deleteStoredCompletion(response.id);
   * ```
   */
  async deleteStoredCompletion(responseId: string, options?: CallOptions): Promise<string> {
    checkString("responseId", responseId, { nonEmpty: true });
    const reply = await this.transport.api.unary(
      ChatService.method.deleteStoredCompletion,
      { responseId },
      options,
    );
    return reply.responseId;
  }

  /**
   * Compacts a conversation into an encrypted summary (see `chat.compact()`, which also applies it).
   *
   * @example
   * ```ts
   * const result = await client.chat.compactContext("grok-4", chat.messages);
   * chat.append(result);
   * ```
   */
  async compactContext(
    model: ChatModel,
    messages: readonly MessageInput[],
    options?: CallOptions,
  ): Promise<CompactionResult> {
    checkString("model", model, { nonEmpty: true });
    return compactMessages(this.transport, model, checkMessages("messages", messages), options);
  }
}
