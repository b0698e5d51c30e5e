// The GenAI attributes of chat calls (OpenTelemetry GenAI semantic conventions): what the tracer records
// of a completion request, of its response or chunks, and of deferred completions.
import type {
  CompletionMessage,
  Delta,
  GetChatCompletionChunk,
  GetChatCompletionResponse,
  GetCompletionsRequest,
  GetDeferredCompletionResponse,
  Message,
  ToolCall,
} from "../gen/xai/api/v1/chat_pb.js";
import type { StartDeferredResponse } from "../gen/xai/api/v1/deferred_pb.js";
import type { SamplingUsage } from "../gen/xai/api/v1/usage_pb.js";
import {
  type Attributes,
  genAiRequest,
  jsonAttribute,
  type MethodDescriber,
  type ResponseDescriber,
} from "../telemetry/describe.js";
import { finishReasonName, roleName } from "./types.js";

/** One part of a message, in the conventions' JSON shape for `gen_ai.input.messages` / `gen_ai.output.messages`. */
type Part =
  | { type: "text"; content: string }
  | { type: "reasoning"; content: string }
  | { type: "tool_call"; id: string; name: string; arguments: string }
  | { type: "tool_call_response"; id: string; response: string }
  | { type: "uri" | "file"; modality: string; uri?: string; file_id?: string };

function toolCallParts(calls: readonly ToolCall[]): Part[] {
  return calls.map((c) => ({
    type: "tool_call",
    id: c.id,
    name: c.tool.case === "function" ? c.tool.value.name : "",
    arguments: c.tool.case === "function" ? c.tool.value.arguments : "",
  }));
}

function inputMessage(m: Message): { role: string; parts: Part[] } {
  const role = roleName(m.role) ?? "user";
  const parts: Part[] = [];
  for (const c of m.content) {
    const v = c.content;
    if (v.case === "text") {
      if (role === "tool")
        parts.push({ type: "tool_call_response", id: m.toolCallId ?? "", response: v.value });
      else parts.push({ type: "text", content: v.value });
    } else if (v.case === "imageUrl") {
      // A data: URL is the image itself: only its kind is recorded.
      const source = v.value.source;
      if (source.case === "fileId") parts.push({ type: "file", modality: "image", file_id: source.value });
      else {
        const url = source.value ?? "";
        parts.push({ type: "uri", modality: "image", uri: url.startsWith("data:") ? undefined : url });
      }
    } else if (v.case === "file") {
      parts.push({ type: "file", modality: "file", file_id: v.value.fileId });
    }
  }
  if (m.reasoningContent) parts.push({ type: "reasoning", content: m.reasoningContent });
  parts.push(...toolCallParts(m.toolCalls));
  return { role, parts };
}

/** The request attributes of a completion (sample, stream, deferred start). */
function completionRequest(request: unknown, content: boolean) {
  const r = request as GetCompletionsRequest;
  return genAiRequest("chat", r.model, {
    "gen_ai.request.max_tokens": r.maxTokens,
    "gen_ai.request.temperature": r.temperature,
    "gen_ai.request.top_p": r.topP,
    "gen_ai.request.frequency_penalty": r.frequencyPenalty,
    "gen_ai.request.presence_penalty": r.presencePenalty,
    "gen_ai.request.seed": r.seed,
    "gen_ai.request.stop_sequences": r.stop.length > 0 ? [...r.stop] : undefined,
    "gen_ai.request.choice.count": r.n !== undefined && r.n !== 1 ? r.n : undefined,
    "gen_ai.output.type": r.responseFormat ? "json" : "text",
    "gen_ai.conversation.id": r.previousResponseId || undefined,
    "gen_ai.input.messages": content ? jsonAttribute(r.messages.map(inputMessage)) : undefined,
  });
}

/**
 * The usage attributes (GenAI names, plus the Python SDK's for reasoning tokens). `output_tokens` counts every
 * token the model generated, reasoning included (xAI bills them as output, and the AI SDK and openai-style
 * usage count them so): xAI's `completion_tokens` leaves reasoning out, and `reasoning_tokens` is the breakdown.
 */
export function usageAttributes(usage: SamplingUsage | undefined): Attributes {
  if (!usage) return {};
  return {
    "gen_ai.usage.input_tokens": usage.promptTokens,
    "gen_ai.usage.output_tokens": usage.completionTokens + usage.reasoningTokens,
    "gen_ai.usage.reasoning_tokens": usage.reasoningTokens,
    "gen_ai.usage.cache_read.input_tokens": usage.cachedPromptTextTokens,
    "xai.usage.cost_in_usd_ticks":
      usage.costInUsdTicks === undefined ? undefined : Number(usage.costInUsdTicks),
  };
}

/** One output being gathered: its text so far (when content is recorded), tool calls and finish reason. */
interface OutputSoFar {
  index: number;
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
  finishReason: string | undefined;
}

/** Gathers completions (one response, or every chunk of a stream) into response attributes. */
class CompletionResponses implements ResponseDescriber {
  #id = "";
  #model = "";
  #usage: SamplingUsage | undefined;
  readonly #outputs = new Map<number, OutputSoFar>();
  constructor(private readonly content: boolean) {}

  #output(index: number): OutputSoFar {
    let o = this.#outputs.get(index);
    if (!o) {
      o = { index, text: "", reasoning: "", toolCalls: [], finishReason: undefined };
      this.#outputs.set(index, o);
    }
    return o;
  }

  /** A full response or a chunk (both have `id`, `model`, `usage` and indexed outputs). */
  add(message: unknown): void {
    const m = message as GetChatCompletionResponse | GetChatCompletionChunk;
    if (m.id) this.#id = m.id;
    if (m.model) this.#model = m.model;
    if (m.usage) this.#usage = m.usage;
    for (const out of m.outputs) {
      const o = this.#output(out.index);
      const reason = finishReasonName(out.finishReason);
      if (reason) o.finishReason = reason;
      const body: CompletionMessage | Delta | undefined =
        "delta" in out ? out.delta : (out as { message?: CompletionMessage }).message;
      if (!body) continue;
      if (body.toolCalls.length > 0) o.toolCalls.push(...body.toolCalls);
      if (this.content) {
        o.text += body.content;
        o.reasoning += body.reasoningContent;
      }
    }
  }

  attributes(): Attributes {
    const outputs = [...this.#outputs.values()].sort((a, b) => a.index - b.index);
    const reasons = outputs.flatMap((o) => (o.finishReason ? [o.finishReason] : []));
    const attributes: Attributes = {
      "gen_ai.response.id": this.#id || undefined,
      "gen_ai.response.model": this.#model || undefined,
      "gen_ai.response.finish_reasons": reasons.length > 0 ? reasons : undefined,
      ...usageAttributes(this.#usage),
    };
    if (this.content && outputs.length > 0) {
      attributes["gen_ai.output.messages"] = jsonAttribute(
        outputs.map((o) => {
          const parts: Part[] = [];
          if (o.reasoning) parts.push({ type: "reasoning", content: o.reasoning });
          if (o.text) parts.push({ type: "text", content: o.text });
          parts.push(...toolCallParts(o.toolCalls));
          return { role: "assistant", parts, finish_reason: o.finishReason ?? "" };
        }),
      );
    }
    return attributes;
  }
}

/** Sampling (`GetCompletion`) and streaming (`GetCompletionChunk`). */
const completion: MethodDescriber = {
  operation: "chat",
  request: completionRequest,
  response: (content) => new CompletionResponses(content),
};

/** `StartDeferredCompletion`: the request of a chat, answered with the id to poll. */
const startDeferred: MethodDescriber = {
  operation: "chat",
  request: completionRequest,
  response: () => {
    let id = "";
    return {
      add: (m) => {
        id = (m as StartDeferredResponse).requestId;
      },
      attributes: () => ({ "xai.deferred.request_id": id || undefined }),
    };
  },
};

/** DeferredStatus values by number (the enum's module is not needed for this). */
const DEFERRED_STATUS: Record<number, string> = { 1: "done", 2: "expired", 3: "pending", 4: "failed" };

/** `GetDeferredCompletion`, a poll: the completion's attributes once it is done. */
const pollDeferred: MethodDescriber = {
  operation: undefined,
  request: (request) => ({
    attributes: { "xai.deferred.request_id": (request as { requestId: string }).requestId },
  }),
  response: (content) => {
    const done = new CompletionResponses(content);
    let status: string | undefined;
    return {
      add: (m) => {
        const reply = m as GetDeferredCompletionResponse;
        status = DEFERRED_STATUS[reply.status] ?? String(reply.status);
        if (reply.response) done.add(reply.response);
      },
      attributes: () => ({ "xai.deferred.status": status, ...done.attributes() }),
    };
  },
};

/** The chat service's describers, by method path. */
export const chatDescribers: Record<string, MethodDescriber> = {
  "/xai_api.Chat/GetCompletion": completion,
  "/xai_api.Chat/GetCompletionChunk": completion,
  "/xai_api.Chat/StartDeferredCompletion": startDeferred,
  "/xai_api.Chat/GetDeferredCompletion": pollDeferred,
};
