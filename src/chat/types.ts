// Readable literal names for the chat enums, and their mapping to and from the wire values.

import { costUsdOf } from "../core/cost.js";
import { lazy } from "../core/lazy.js";
import {
  AgentCount,
  IncludeOption,
  MessageRole,
  ReasoningEffort,
  ToolCallStatus,
  ToolCallType,
} from "../gen/xai/api/v1/chat_pb.js";
import { ImageDetail } from "../gen/xai/api/v1/image_pb.js";
import { FinishReason } from "../gen/xai/api/v1/sample_pb.js";
import { type SamplingUsage, ServerSideTool, ServiceTier } from "../gen/xai/api/v1/usage_pb.js";

/**
 * A chat model name. Known names autocomplete; any other string is accepted (the server decides).
 *
 * @example
 * ```ts
 * const model: ChatModel = "grok-4";
 * ```
 */
export type ChatModel =
  | "grok-4"
  | "grok-4-0709"
  | "grok-4-latest"
  | "grok-4-1-fast"
  | "grok-4-1-fast-reasoning"
  | "grok-4-1-fast-reasoning-latest"
  | "grok-4-1-fast-non-reasoning"
  | "grok-4-1-fast-non-reasoning-latest"
  | "grok-4-fast"
  | "grok-4-fast-reasoning"
  | "grok-4-fast-reasoning-latest"
  | "grok-4-fast-non-reasoning"
  | "grok-4-fast-non-reasoning-latest"
  | "grok-4.20"
  | "grok-4.20-0309"
  | "grok-4.20-0309-reasoning"
  | "grok-4.20-reasoning-latest"
  | "grok-4.20-0309-non-reasoning"
  | "grok-4.20-non-reasoning"
  | "grok-4.20-non-reasoning-latest"
  | "grok-4.20-multi-agent"
  | "grok-4.20-multi-agent-0309"
  | "grok-4.20-multi-agent-latest"
  | "grok-4.3"
  | "grok-4.3-latest"
  | "grok-4.5"
  | "grok-4.5-latest"
  | "grok-4.6"
  | "grok-code-fast-1"
  | "grok-build-0.1"
  | "grok-3"
  | "grok-3-latest"
  | "grok-3-mini"
  | "grok-3-fast"
  | "grok-3-fast-latest"
  | "grok-3-mini-fast"
  | "grok-3-mini-fast-latest"
  | (string & {});

/**
 * How hard a reasoning model thinks before answering.
 *
 * @example
 * ```ts
 * client.chat.create({ model: "grok-4", reasoningEffort: "low", messages });
 * ```
 */
export type ReasoningEffortName = "none" | "low" | "medium" | "high" | "xhigh";
/**
 * Accepted reasoning efforts, in increasing order.
 *
 * @example
 * ```ts
 * if (!REASONING_EFFORTS.includes(flag as ReasoningEffortName)) throw new Error(`effort must be one of ${REASONING_EFFORTS}`);
 * ```
 */
export const REASONING_EFFORTS: readonly ReasoningEffortName[] = ["none", "low", "medium", "high", "xhigh"];
export const reasoningEffortToProto = lazy(
  (): Record<ReasoningEffortName, ReasoningEffort> => ({
    none: ReasoningEffort.EFFORT_NONE,
    low: ReasoningEffort.EFFORT_LOW,
    medium: ReasoningEffort.EFFORT_MEDIUM,
    high: ReasoningEffort.EFFORT_HIGH,
    xhigh: ReasoningEffort.EFFORT_XHIGH,
  }),
);

/**
 * Extra outputs the server should return (`include` option).
 *
 * @example
 * ```ts
 * client.chat.create({ model: "grok-4", tools: [webSearch()], include: ["web_search_call_output", "inline_citations"], messages });
 * ```
 */
export type IncludeOptionName =
  | "web_search_call_output"
  | "x_search_call_output"
  | "code_execution_call_output"
  | "collections_search_call_output"
  | "attachment_search_call_output"
  | "mcp_call_output"
  | "inline_citations"
  | "verbose_streaming"
  | "code_execution_files_output";
export const includeOptionToProto = lazy(
  (): Record<IncludeOptionName, IncludeOption> => ({
    web_search_call_output: IncludeOption.WEB_SEARCH_CALL_OUTPUT,
    x_search_call_output: IncludeOption.X_SEARCH_CALL_OUTPUT,
    code_execution_call_output: IncludeOption.CODE_EXECUTION_CALL_OUTPUT,
    collections_search_call_output: IncludeOption.COLLECTIONS_SEARCH_CALL_OUTPUT,
    attachment_search_call_output: IncludeOption.ATTACHMENT_SEARCH_CALL_OUTPUT,
    mcp_call_output: IncludeOption.MCP_CALL_OUTPUT,
    inline_citations: IncludeOption.INLINE_CITATIONS,
    verbose_streaming: IncludeOption.VERBOSE_STREAMING,
    code_execution_files_output: IncludeOption.CODE_EXECUTION_FILES_OUTPUT,
  }),
);
/**
 * Accepted `include` options.
 *
 * @example
 * ```ts
 * client.chat.create({ model: "grok-4", include: INCLUDE_OPTIONS.filter((o) => o.endsWith("_call_output")), messages });
 * ```
 */
export const INCLUDE_OPTIONS: readonly IncludeOptionName[] = [
  "web_search_call_output",
  "x_search_call_output",
  "code_execution_call_output",
  "collections_search_call_output",
  "attachment_search_call_output",
  "mcp_call_output",
  "inline_citations",
  "verbose_streaming",
  "code_execution_files_output",
];

/**
 * Number of agents a multi-agent model runs.
 *
 * @example
 * ```ts
 * client.chat.create({ model: "grok-4.20-multi-agent", agentCount: 16, messages });
 * ```
 */
export type AgentCountValue = 4 | 16;
export const agentCountToProto = lazy(
  (): Record<AgentCountValue, AgentCount> => ({
    4: AgentCount.AGENT_COUNT_4,
    16: AgentCount.AGENT_COUNT_16,
  }),
);

/**
 * Processing tier of a request.
 *
 * @example
 * ```ts
 * client.chat.create({ model: "grok-4", serviceTier: "priority", messages });
 * ```
 */
export type ServiceTierName = "default" | "priority";
export const serviceTierToProto = lazy(
  (): Record<ServiceTierName, ServiceTier> => ({
    default: ServiceTier.DEFAULT,
    priority: ServiceTier.PRIORITY,
  }),
);

/**
 * Image detail level for image inputs.
 *
 * @example
 * ```ts
 * image(url, { detail: "low" });
 * ```
 */
export type ImageDetailName = "auto" | "low" | "high";
export const imageDetailToProto = lazy(
  (): Record<ImageDetailName, ImageDetail> => ({
    auto: ImageDetail.DETAIL_AUTO,
    low: ImageDetail.DETAIL_LOW,
    high: ImageDetail.DETAIL_HIGH,
  }),
);

/**
 * The author of a message.
 *
 * @example
 * ```ts
 * if (response.role === "assistant") console.log(response.content);
 * ```
 */
export type Role = "user" | "assistant" | "system" | "function" | "tool" | "developer";
const roleNames = lazy(
  (): Record<number, Role> => ({
    [MessageRole.ROLE_USER]: "user",
    [MessageRole.ROLE_ASSISTANT]: "assistant",
    [MessageRole.ROLE_SYSTEM]: "system",
    [MessageRole.ROLE_FUNCTION]: "function",
    [MessageRole.ROLE_TOOL]: "tool",
    [MessageRole.ROLE_DEVELOPER]: "developer",
  }),
);
/** The readable role of a wire role, undefined for INVALID_ROLE (not yet known). */
export function roleName(role: MessageRole): Role | undefined {
  return roleNames()[role];
}

/**
 * Why the model stopped: `"stop"` (natural end or stop sequence), `"length"` (max tokens), `"max_context"`
 * (context window full), `"tool_calls"` (it wants tool results), `"time_limit"`.
 *
 * @example
 * ```ts
 * if (response.finishReason === "length") console.warn("the answer was cut: raise maxTokens");
 * ```
 */
export type FinishReasonName = "stop" | "length" | "max_context" | "tool_calls" | "time_limit";
const finishReasonNames = lazy(
  (): Record<number, FinishReasonName> => ({
    [FinishReason.REASON_STOP]: "stop",
    [FinishReason.REASON_MAX_LEN]: "length",
    [FinishReason.REASON_MAX_CONTEXT]: "max_context",
    [FinishReason.REASON_TOOL_CALLS]: "tool_calls",
    [FinishReason.REASON_TIME_LIMIT]: "time_limit",
  }),
);
/** The readable finish reason, undefined while the output is unfinished (REASON_INVALID). */
export function finishReasonName(reason: FinishReason): FinishReasonName | undefined {
  return finishReasonNames()[reason];
}

/**
 * Who runs a tool call: your code (`"client_side_tool"`) or one of xAI's server-side tools.
 *
 * @example
 * ```ts
 * const mine = response.toolCalls.filter((c) => c.type === "client_side_tool");
 * ```
 */
export type ToolCallTypeName =
  | "client_side_tool"
  | "web_search_tool"
  | "x_search_tool"
  | "code_execution_tool"
  | "collections_search_tool"
  | "mcp_tool"
  | "attachment_search_tool"
  | "image_generation_tool";
const toolCallTypeNames = lazy(
  (): Record<number, ToolCallTypeName> => ({
    [ToolCallType.CLIENT_SIDE_TOOL]: "client_side_tool",
    [ToolCallType.WEB_SEARCH_TOOL]: "web_search_tool",
    [ToolCallType.X_SEARCH_TOOL]: "x_search_tool",
    [ToolCallType.CODE_EXECUTION_TOOL]: "code_execution_tool",
    [ToolCallType.COLLECTIONS_SEARCH_TOOL]: "collections_search_tool",
    [ToolCallType.MCP_TOOL]: "mcp_tool",
    [ToolCallType.ATTACHMENT_SEARCH_TOOL]: "attachment_search_tool",
    [ToolCallType.IMAGE_GENERATION_TOOL]: "image_generation_tool",
  }),
);
/**
 * The readable type of a tool call. A call without a type (older servers, or a plain function call) counts as
 * `"client_side_tool"`.
 */
export function toolCallTypeName(type: ToolCallType): ToolCallTypeName {
  return toolCallTypeNames()[type] ?? "client_side_tool";
}

/**
 * Progress of a tool call.
 *
 * @example
 * ```ts
 * const failed = response.toolCalls.filter((c) => c.status === "failed");
 * ```
 */
export type ToolCallStatusName = "in_progress" | "completed" | "incomplete" | "failed";
const toolCallStatusNames = lazy(
  (): Record<number, ToolCallStatusName> => ({
    [ToolCallStatus.IN_PROGRESS]: "in_progress",
    [ToolCallStatus.COMPLETED]: "completed",
    [ToolCallStatus.INCOMPLETE]: "incomplete",
    [ToolCallStatus.FAILED]: "failed",
  }),
);
export function toolCallStatusName(status: ToolCallStatus): ToolCallStatusName {
  return toolCallStatusNames()[status] ?? "in_progress";
}

/**
 * A server-side tool counted in usage, e.g. `"web_search"`.
 *
 * @example
 * ```ts
 * console.log(response.serverSideToolUsage.web_search ?? 0, "web searches");
 * ```
 */
export type ServerSideToolName =
  | "web_search"
  | "x_search"
  | "code_execution"
  | "view_image"
  | "view_x_video"
  | "collections_search"
  | "mcp"
  | "attachment_search"
  | "image_search"
  | "image_generation";
const serverSideToolNames = lazy(
  (): Record<number, ServerSideToolName> => ({
    [ServerSideTool.WEB_SEARCH]: "web_search",
    [ServerSideTool.X_SEARCH]: "x_search",
    [ServerSideTool.CODE_EXECUTION]: "code_execution",
    [ServerSideTool.VIEW_IMAGE]: "view_image",
    [ServerSideTool.VIEW_X_VIDEO]: "view_x_video",
    [ServerSideTool.COLLECTIONS_SEARCH]: "collections_search",
    [ServerSideTool.MCP]: "mcp",
    [ServerSideTool.ATTACHMENT_SEARCH]: "attachment_search",
    [ServerSideTool.IMAGE_SEARCH]: "image_search",
    [ServerSideTool.IMAGE_GENERATION]: "image_generation",
  }),
);
/** Counts server-side tool uses by readable name (unknown values are counted as `"unknown_<n>"`). */
export function countServerSideTools(
  used: readonly ServerSideTool[],
): Partial<Record<ServerSideToolName, number>> {
  const counts: Record<string, number> = {};
  for (const tool of used) {
    const name = serverSideToolNames()[tool] ?? `unknown_${tool}`;
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts as Partial<Record<ServerSideToolName, number>>;
}

/** Readable service tier of a response: PRIORITY is `"priority"`, anything else `"default"`. */
export function serviceTierName(tier: ServiceTier): ServiceTierName {
  return tier === ServiceTier.PRIORITY ? "priority" : "default";
}

/**
 * What a completion (or an image, a video, a compaction) used, as plain numbers: safe for `JSON.stringify`, zeros
 * for what the server did not report. Token counts are 32-bit on the wire; `costUsd` comes from a 64-bit count of
 * 10⁻¹⁰ USD ticks, exact as a Number up to 2⁵³ ticks (about USD 900,000).
 *
 * @example
 * ```ts
 * const { promptTokens, completionTokens, reasoningTokens, cachedPromptTokens, costUsd } = response.usage;
 * console.log(`${promptTokens} in (${cachedPromptTokens} cached), ${completionTokens} + ${reasoningTokens} out, $${costUsd}`);
 * ```
 */
export interface Usage {
  /** Tokens of the prompt (text and images), cached ones included. */
  promptTokens: number;
  /** Tokens of the answer, reasoning not included (see `reasoningTokens`). */
  completionTokens: number;
  /** Tokens the model spent reasoning. */
  reasoningTokens: number;
  /** Every token billed: prompt, completion and reasoning. */
  totalTokens: number;
  /** Text tokens of the prompt. */
  promptTextTokens: number;
  /** Image tokens of the prompt. */
  promptImageTokens: number;
  /** Prompt tokens served from the cache (billed at the cached price). */
  cachedPromptTokens: number;
  /** Search results the answer used (live search and search tools). */
  numSourcesUsed: number;
  /** Server-side tool uses by tool, e.g. `{ web_search: 2 }`. */
  serverSideToolUsage: Partial<Record<ServerSideToolName, number>>;
  /** The cost in USD; 0 when the server did not report one (the wrapper's own `costUsd` is then undefined). */
  costUsd: number;
}

/**
 * The {@link Usage} of a usage message (all zeros when there is none).
 *
 * @example
 * ```ts
 * const usage = usageOf(response.proto.usage);
 * ```
 */
export function usageOf(usage: SamplingUsage | undefined): Usage {
  return {
    promptTokens: usage?.promptTokens ?? 0,
    completionTokens: usage?.completionTokens ?? 0,
    reasoningTokens: usage?.reasoningTokens ?? 0,
    totalTokens: usage?.totalTokens ?? 0,
    promptTextTokens: usage?.promptTextTokens ?? 0,
    promptImageTokens: usage?.promptImageTokens ?? 0,
    cachedPromptTokens: usage?.cachedPromptTextTokens ?? 0,
    numSourcesUsed: usage?.numSourcesUsed ?? 0,
    serverSideToolUsage: countServerSideTools(usage?.serverSideToolsUsed ?? []),
    costUsd: costUsdOf(usage) ?? 0,
  };
}
