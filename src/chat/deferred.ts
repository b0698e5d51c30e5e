// Deferred chat completions: start the request, then poll its status until it is done, failed or expired.
import { poll, type WaitOptions } from "../core/poll.js";
import { DeferredCompletionError } from "../errors.js";
import {
  Chat as ChatService,
  type GetChatCompletionResponse,
  type GetCompletionsRequest,
} from "../gen/xai/api/v1/chat_pb.js";
import { DeferredStatus } from "../gen/xai/api/v1/deferred_pb.js";
import type { CallInvoker } from "../transport/calls.js";
import { InternalError } from "../transport/errors.js";
import { Status } from "../transport/status.js";

/**
 * Progress reported while a deferred completion is pending.
 *
 * @example
 * ```ts
 * await chat.defer({ onProgress: ({ requestId, polls }) => console.log(requestId, polls) });
 * ```
 */
export interface DeferredProgress {
  /** The deferred request's id. */
  requestId: string;
  /** How many times its status was fetched. */
  polls: number;
}

/** A deferred completion's defaults: poll every second, give up after 10 minutes. */
const DEFER_DEFAULTS = { pollInterval: 1_000, timeout: 600_000 };

/**
 * Starts `request` as a deferred completion and polls until it is done (the wait's `timeout` covers the start
 * call too). Rejects with `DeferredCompletionError` when it failed or expired, `PollTimeoutError` past the timeout.
 */
export async function deferredCompletion(
  api: CallInvoker,
  request: GetCompletionsRequest,
  options: WaitOptions<DeferredProgress> | undefined,
): Promise<GetChatCompletionResponse> {
  let requestId: string | undefined;
  let polls = 0;
  return poll<GetChatCompletionResponse, DeferredProgress>(
    () => (requestId === undefined ? "deferred chat completion" : `deferred chat completion ${requestId}`),
    async (call) => {
      if (requestId === undefined) {
        requestId = (await api.unary(ChatService.method.startDeferredCompletion, request, call())).requestId;
      }
      const reply = await api.unary(ChatService.method.getDeferredCompletion, { requestId }, call());
      polls++;
      switch (reply.status) {
        case DeferredStatus.DONE:
          if (!reply.response) {
            throw new InternalError({
              code: Status.INTERNAL,
              details: `deferred completion ${requestId} is done but came without a response`,
              method: "/xai_api.Chat/GetDeferredCompletion",
            });
          }
          return { done: true, value: reply.response };
        case DeferredStatus.EXPIRED:
          throw new DeferredCompletionError(requestId, "expired");
        case DeferredStatus.FAILED:
          throw new DeferredCompletionError(requestId, "failed");
        default:
          // PENDING, and statuses newer than this SDK: keep waiting (bounded by the timeout).
          return { done: false, progress: { requestId, polls } };
      }
    },
    options,
    DEFER_DEFAULTS,
  );
}
