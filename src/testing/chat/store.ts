// In-memory state of the chat service, one per emulator context: stored completions (store_messages,
// previous_response_id) and deferred completions.
import type { GetChatCompletionResponse, Message } from "../../gen/xai/api/v1/chat_pb.js";
import type { EmulatorContext } from "../types.js";

/** A completion kept for GetStoredCompletion and previous_response_id. */
export interface StoredCompletion {
  /** The whole conversation the response answered (stored history included). */
  messages: Message[];
  /** What the assistant said, as messages to replay when a request continues from this response. */
  reply: Message[];
  response: GetChatCompletionResponse;
}

/** A deferred completion: PENDING for `pollsLeft` more polls, then DONE (or failed). */
export interface DeferredCompletion {
  pollsLeft: number;
  response: GetChatCompletionResponse;
}

/** The chat service's state for one emulator. */
export class ChatStore {
  readonly stored = new Map<string, StoredCompletion>();
  readonly deferred = new Map<string, DeferredCompletion>();
}

const stores = new WeakMap<EmulatorContext, ChatStore>();

/**
 * The chat state of an emulator context (created on first use).
 *
 * @example
 * ```ts
 * chatStore(ctx).stored.get(responseId);
 * ```
 */
export function chatStore(ctx: EmulatorContext): ChatStore {
  let store = stores.get(ctx);
  if (!store) {
    store = new ChatStore();
    stores.set(ctx, store);
  }
  return store;
}

/**
 * Starts a fresh chat state for `ctx` (the chat service factory calls it, so a rebuilt service forgets
 * stored and deferred completions).
 *
 * @example
 * ```ts
 * resetChatStore(ctx);
 * ```
 */
export function resetChatStore(ctx: EmulatorContext): ChatStore {
  const store = new ChatStore();
  stores.set(ctx, store);
  return store;
}
