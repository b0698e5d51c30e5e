// How `xai chat` prints what is not the answer itself: the usage footer, citations and the --json document.
import type { ChatResponse } from "../../chat/index.js";
import { protoToJson } from "../../core/wrapper.js";
import { GetChatCompletionResponseSchema } from "../../gen/xai/api/v1/chat_pb.js";

/**
 * The `--usage` footer: prompt, completion and reasoning tokens (the API counts reasoning apart from the
 * completion), and the cost when the server reports it.
 *
 * @example
 * ```ts
 * formatUsage(response); // "tokens: 12 prompt + 40 completion + 25 reasoning = 77 · cost $0.000310"
 * ```
 */
export function formatUsage(response: ChatResponse): string {
  if (!response.proto.usage) return "tokens: not reported";
  const usage = response.usage;
  const cached = usage.cachedPromptTokens ? ` (${usage.cachedPromptTokens} cached)` : "";
  const reasoning = usage.reasoningTokens ? ` + ${usage.reasoningTokens} reasoning` : "";
  const total = usage.totalTokens || usage.promptTokens + usage.completionTokens + usage.reasoningTokens;
  const sources = usage.numSourcesUsed ? ` · ${usage.numSourcesUsed} sources` : "";
  const cost = response.costUsd === undefined ? "" : ` · cost $${response.costUsd.toFixed(6)}`;
  return `tokens: ${usage.promptTokens} prompt${cached} + ${usage.completionTokens} completion${reasoning} = ${total}${sources}${cost}`;
}

/**
 * The sources a search-backed answer cites, one per line, or "" when there are none.
 *
 * @example
 * ```ts
 * formatCitations(response); // "Sources:\n  [1] https://example.com/a"
 * ```
 */
export function formatCitations(response: ChatResponse): string {
  const citations = response.citations;
  if (citations.length === 0) return "";
  return ["Sources:", ...citations.map((url, i) => `  [${i + 1}] ${url}`)].join("\n");
}

/**
 * What `xai chat --json` prints for one answer.
 *
 * @example
 * ```ts
 * // xai chat --json "hi" | jq -r .content
 * const { content, usage }: ChatJsonOutput = responseSummary(response);
 * ```
 */
export interface ChatJsonOutput {
  id: string;
  model: string;
  content: string;
  reasoningContent: string;
  finishReason: string | undefined;
  toolCalls: unknown[];
  citations: string[];
  usage: unknown;
  costUsd: number | undefined;
  /** The complete response message as proto3 JSON. */
  response: unknown;
}

/**
 * The `--json` document for a response: the fields people script against, plus the full proto3 JSON.
 *
 * @example
 * ```ts
 * console.log(JSON.stringify(responseSummary(response), null, 2));
 * ```
 */
export function responseSummary(response: ChatResponse): ChatJsonOutput {
  const json = protoToJson(GetChatCompletionResponseSchema, response.proto) as { model?: string };
  return {
    id: response.id,
    model: json.model ?? "",
    content: response.content,
    reasoningContent: response.reasoningContent,
    finishReason: response.finishReason,
    toolCalls: response.toolCalls.map((call) => ({
      id: call.id,
      name: call.name,
      arguments: call.arguments,
    })),
    citations: response.citations,
    usage: response.proto.usage ? response.usage : null,
    costUsd: response.costUsd,
    response: json,
  };
}
