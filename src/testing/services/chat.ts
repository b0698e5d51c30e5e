import {
  Chat,
  type GetChatCompletionResponse,
  type GetCompletionsRequest,
} from "../../gen/xai/api/v1/chat_pb.js";
import { Code, type EmulatorContext, EmulatorError, register, type ServiceRegistration } from "../types.js";

const notYet = (): never => {
  throw new EmulatorError(Code.UNIMPLEMENTED, "The emulator's chat service is being built.");
};

/** Answers a chat request as GetCompletion would (also used by the batch service). */
export async function completeChat(
  _ctx: EmulatorContext,
  _request: GetCompletionsRequest,
  _signal?: AbortSignal,
): Promise<GetChatCompletionResponse> {
  return notYet();
}

/** The emulator's `xai_api.Chat` service. */
export function chatService(_ctx: EmulatorContext): ServiceRegistration {
  return register(Chat, {
    getCompletion: notYet,
    // biome-ignore lint/correctness/useYield: placeholder until the generator lands
    async *getCompletionChunk() {
      notYet();
    },
    startDeferredCompletion: notYet,
    getDeferredCompletion: notYet,
    getStoredCompletion: notYet,
    deleteStoredCompletion: notYet,
    compactContext: notYet,
  });
}
