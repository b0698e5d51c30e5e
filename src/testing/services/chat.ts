// The emulator's `xai_api.Chat` service. Generation is deterministic (same request → same answer) and
// lives in ../chat/; this module wires it to the methods, the stored and the deferred completions.
//
// Test commands understood in the latest user message:
// - `#chunks N` (1 ≤ N ≤ 10,000,000; the older `!chunks N` too): the stream carries exactly N content
//   chunks, chunk i being `"${i} "`; the unary response carries their concatenation. Meant for throughput
//   tests; `#` survives a shell's double quotes (`xai chat "#chunks 5"`), where `!` is history expansion.
// Other documented rules: function calling in ../chat/function-calls.ts, live search and server-side
// tools in ../chat/server-tools.ts, the `n` bound (128) and ranges in ../chat/options.ts.
import { create } from "@bufbuild/protobuf";
import {
  Chat,
  type GetChatCompletionResponse,
  GetChatCompletionResponseSchema,
  type GetCompletionsRequest,
} from "../../gen/xai/api/v1/chat_pb.js";
import { DeferredStatus } from "../../gen/xai/api/v1/deferred_pb.js";
import { compactContext } from "../chat/compact.js";
import { type ChatPlan, planChat } from "../chat/plan.js";
import { uuidFrom } from "../chat/random.js";
import { renderChunks, renderResponse } from "../chat/render.js";
import { chatStore, resetChatStore } from "../chat/store.js";
import { Code, type EmulatorContext, EmulatorError, register, type ServiceRegistration } from "../types.js";

function cancelled(): EmulatorError {
  return new EmulatorError(Code.CANCELLED, "The request was cancelled.");
}

function finish(
  ctx: EmulatorContext,
  request: GetCompletionsRequest,
  plan: ChatPlan,
): GetChatCompletionResponse {
  const response = create(GetChatCompletionResponseSchema, renderResponse(ctx, plan));
  if (request.storeMessages) {
    chatStore(ctx).stored.set(response.id, { messages: plan.messages, reply: plan.reply, response });
  }
  return response;
}

/**
 * Answers a chat request as GetCompletion does, without taking a scripted reply (scripts are for the
 * interactive calls). Used by the batch service. Throws EmulatorError for an invalid request.
 *
 * @example
 * ```ts
 * const response = await completeChat(ctx, batchRequest.request.value);
 * response.outputs[0].message?.content;
 * ```
 */
export async function completeChat(
  ctx: EmulatorContext,
  request: GetCompletionsRequest,
  signal?: AbortSignal,
): Promise<GetChatCompletionResponse> {
  if (signal?.aborted) throw cancelled();
  return finish(ctx, request, planChat(ctx, request, { scripted: false }));
}

function required(value: string, field: string): string {
  if (!value) throw new EmulatorError(Code.INVALID_ARGUMENT, `${field} is required.`);
  return value;
}

/**
 * The emulator's `xai_api.Chat` service.
 *
 * @example
 * ```ts
 * const registration = chatService(ctx); // served by the emulator's server
 * ```
 */
export function chatService(ctx: EmulatorContext): ServiceRegistration {
  const store = resetChatStore(ctx);
  return register(Chat, {
    getCompletion(request) {
      return finish(ctx, request, planChat(ctx, request, { scripted: true }));
    },
    async *getCompletionChunk(request, call) {
      const plan = planChat(ctx, request, { scripted: true });
      if (request.storeMessages) finish(ctx, request, plan);
      yield* renderChunks(ctx, plan, call.signal);
    },
    startDeferredCompletion(request) {
      const response = finish(ctx, request, planChat(ctx, request, { scripted: true }));
      const requestId = uuidFrom("deferred", ctx.newId("deferred"));
      store.deferred.set(requestId, { pollsLeft: ctx.deferredPolls, response });
      return { requestId };
    },
    getDeferredCompletion({ requestId }) {
      const job = store.deferred.get(required(requestId, "request_id"));
      if (!job) {
        throw new EmulatorError(Code.NOT_FOUND, `No deferred completion has the request id "${requestId}".`);
      }
      if (job.pollsLeft > 0) {
        job.pollsLeft--;
        return { status: DeferredStatus.PENDING };
      }
      return { status: DeferredStatus.DONE, response: job.response };
    },
    getStoredCompletion({ responseId }) {
      const stored = store.stored.get(required(responseId, "response_id"));
      if (!stored) {
        throw new EmulatorError(
          Code.NOT_FOUND,
          `No stored completion has the id "${responseId}": it was not stored (store_messages) or was deleted.`,
        );
      }
      return stored.response;
    },
    deleteStoredCompletion({ responseId }) {
      if (!store.stored.delete(required(responseId, "response_id"))) {
        throw new EmulatorError(Code.NOT_FOUND, `No stored completion has the id "${responseId}".`);
      }
      return { responseId };
    },
    compactContext(request) {
      return compactContext(ctx, request);
    },
  });
}
