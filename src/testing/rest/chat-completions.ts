// POST /v1/chat/completions: the OpenAI-compatible request translated into the engine's GetCompletionsRequest,
// and the engine's GetChatCompletionResponse (or its stream of GetChatCompletionChunk) translated back into
// xAI's chat completion JSON (or `data:` frames ending with `data: [DONE]`). No reply logic lives here.
import { create, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import {
  type CompletionOutputChunk,
  FormatType,
  type GetChatCompletionChunk,
  GetChatCompletionChunkSchema,
  type GetChatCompletionResponse,
  type GetCompletionsRequestSchema,
  type LogProbs,
  MessageRole,
  type MessageSchema,
  ReasoningEffort,
  SearchMode,
  type ToolCall,
  ToolCallStatus,
  ToolCallType,
  ToolMode,
  type ToolSchema,
} from "../../gen/xai/api/v1/chat_pb.js";
import { FinishReason } from "../../gen/xai/api/v1/sample_pb.js";
import type { SamplingUsage } from "../../gen/xai/api/v1/usage_pb.js";
import { Code, EmulatorError } from "../types.js";
import { Fields } from "./body.js";
import { badField } from "./errors.js";

type RequestInit = MessageInitShape<typeof GetCompletionsRequestSchema>;
type MessageInit = MessageInitShape<typeof MessageSchema>;
type ToolInit = MessageInitShape<typeof ToolSchema>;
type ContentInit = NonNullable<MessageInit["content"]>[number];

const ROLES: Record<string, MessageRole> = {
  system: MessageRole.ROLE_SYSTEM,
  developer: MessageRole.ROLE_DEVELOPER,
  user: MessageRole.ROLE_USER,
  assistant: MessageRole.ROLE_ASSISTANT,
  tool: MessageRole.ROLE_TOOL,
  function: MessageRole.ROLE_FUNCTION,
};

/** `reasoning_effort` / `reasoning.effort` values. */
export const EFFORTS: Record<string, ReasoningEffort> = {
  none: ReasoningEffort.EFFORT_NONE,
  low: ReasoningEffort.EFFORT_LOW,
  medium: ReasoningEffort.EFFORT_MEDIUM,
  high: ReasoningEffort.EFFORT_HIGH,
  xhigh: ReasoningEffort.EFFORT_XHIGH,
};

const TOOL_MODES: Record<string, ToolMode> = {
  auto: ToolMode.AUTO,
  none: ToolMode.NONE,
  required: ToolMode.REQUIRED,
};

/** Text, image and file parts of a message's content (chat completions and responses spell them alike). */
export function contentParts(value: unknown, field: string): ContentInit[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "string") return [{ content: { case: "text", value } }];
  if (!Array.isArray(value)) throw badField(field, "a string or an array of content parts");
  return value.map((raw, i): ContentInit => {
    const part = new Fields((raw ?? {}) as Record<string, unknown>, `${field}[${i}].`);
    const type = part.string("type");
    switch (type) {
      case "text":
      case "input_text":
      case "output_text":
        return { content: { case: "text", value: part.string("text") ?? "" } };
      case "image_url":
      case "input_image": {
        const nested = part.raw("image_url");
        const url = typeof nested === "string" ? nested : (part.object("image_url")?.string("url") ?? "");
        const fileId = part.string("file_id");
        return {
          content: {
            case: "imageUrl",
            value: { source: fileId ? { case: "fileId", value: fileId } : { case: "imageUrl", value: url } },
          },
        };
      }
      case "file":
      case "input_file": {
        const file = part.object("file") ?? part;
        return { content: { case: "file", value: { fileId: file.string("file_id") ?? "" } } };
      }
      default:
        throw badField(part.field("type"), `"text", "image_url" or "file" (got ${JSON.stringify(type)})`);
    }
  });
}

/** A client-side function call as the engine stores it. */
export function functionCallInit(id: string, name: string, args: string) {
  return {
    id,
    type: ToolCallType.CLIENT_SIDE_TOOL,
    status: ToolCallStatus.COMPLETED,
    tool: { case: "function" as const, value: { name, arguments: args } },
  };
}

function chatMessage(message: Fields): MessageInit {
  const role = message.choice("role", ROLES);
  if (role === undefined) throw badField(message.field("role"), "given");
  const init: MessageInit = { role, content: contentParts(message.raw("content"), message.field("content")) };
  const name = message.string("name");
  if (name) init.name = name;
  const toolCallId = message.string("tool_call_id");
  if (toolCallId !== undefined) init.toolCallId = toolCallId;
  const reasoning = message.string("reasoning_content");
  if (reasoning !== undefined) init.reasoningContent = reasoning;
  const calls = message.objects("tool_calls");
  if (calls) {
    init.toolCalls = calls.map((call) => {
      const fn = call.object("function");
      return functionCallInit(
        call.string("id") ?? "",
        fn?.string("name") ?? "",
        fn?.string("arguments") ?? "",
      );
    });
  }
  return init;
}

/** A function tool: `{ type: "function", function: { name, … } }` or, flat, `{ type: "function", name, … }`. */
export function functionTool(tool: Fields): ToolInit {
  const fn = tool.object("function") ?? tool;
  const name = fn.string("name");
  if (!name) throw badField(fn.field("name"), "a non-empty string");
  const parameters = fn.raw("parameters");
  return {
    tool: {
      case: "function",
      value: {
        name,
        description: fn.string("description") ?? "",
        strict: fn.boolean("strict") ?? false,
        parameters: JSON.stringify(parameters ?? { type: "object", properties: {} }),
      },
    },
  };
}

/** `tool_choice`: "auto" | "none" | "required" | `{ type: "function", function: { name } }` (or `{ name }`). */
export function toolChoice(body: Fields): RequestInit["toolChoice"] {
  const raw = body.raw("tool_choice");
  if (raw === undefined) return undefined;
  if (typeof raw === "string") {
    return { toolChoice: { case: "mode", value: body.choice("tool_choice", TOOL_MODES) as ToolMode } };
  }
  const choice = body.object("tool_choice") as Fields;
  const name = choice.object("function")?.string("name") ?? choice.string("name");
  if (!name) throw badField(body.field("tool_choice"), '"auto", "none", "required" or a function to call');
  return { toolChoice: { case: "functionName", value: name } };
}

/** `response_format` (chat) or `text.format` (responses): text, json_object or json_schema. */
export function responseFormat(format: Fields | undefined): RequestInit["responseFormat"] {
  if (!format) return undefined;
  const type = format.choice("type", { text: 1, json_object: 2, json_schema: 3 });
  if (type === 1) return { formatType: FormatType.TEXT };
  if (type === 2) return { formatType: FormatType.JSON_OBJECT };
  if (type === 3) {
    const holder = format.object("json_schema") ?? format;
    const schema = holder.raw("schema");
    if (typeof schema !== "object" || schema === null)
      throw badField(holder.field("schema"), "a JSON Schema object");
    return { formatType: FormatType.JSON_SCHEMA, schema: JSON.stringify(schema) };
  }
  throw badField(format.field("type"), '"text", "json_object" or "json_schema"');
}

function searchParameters(body: Fields): RequestInit["searchParameters"] {
  const search = body.object("search_parameters");
  if (!search) return undefined;
  const mode = search.choice("mode", {
    off: SearchMode.OFF_SEARCH_MODE,
    on: SearchMode.ON_SEARCH_MODE,
    auto: SearchMode.AUTO_SEARCH_MODE,
  });
  const sources = search.objects("sources")?.map((source) => {
    const type = source.choice("type", { web: "web", news: "news", x: "x", rss: "rss" } as const);
    if (type === "rss")
      return { source: { case: "rss" as const, value: { links: source.strings("links") ?? [] } } };
    if (type === "x") {
      return {
        source: {
          case: "x" as const,
          value: {
            includedXHandles: source.strings("included_x_handles") ?? [],
            excludedXHandles: source.strings("excluded_x_handles") ?? [],
          },
        },
      };
    }
    const value = {
      excludedWebsites: source.strings("excluded_websites") ?? [],
      country: source.string("country"),
      safeSearch: source.boolean("safe_search") ?? false,
    };
    if (type === "news") return { source: { case: "news" as const, value } };
    return {
      source: {
        case: "web" as const,
        value: { ...value, allowedWebsites: source.strings("allowed_websites") ?? [] },
      },
    };
  });
  return {
    mode: mode ?? SearchMode.AUTO_SEARCH_MODE,
    returnCitations: search.boolean("return_citations") ?? true,
    maxSearchResults: search.integer("max_search_results"),
    sources: sources ?? [],
  };
}

/**
 * The engine's request for a chat completions body.
 *
 * @example
 * ```ts
 * const init = chatRequest(new Fields({ model: "grok-4", messages: [{ role: "user", content: "Hi" }] }));
 * ```
 */
export function chatRequest(body: Fields): RequestInit {
  const messages = body.objects("messages");
  if (!messages)
    throw new EmulatorError(Code.INVALID_ARGUMENT, "messages is required: an array of messages.");
  const tools = body.objects("tools")?.map((tool) => {
    const type = tool.string("type") ?? "function";
    if (type !== "function") throw badField(tool.field("type"), `"function" (got "${type}")`);
    return functionTool(tool);
  });
  const stop = body.strings("stop");
  return {
    model: body.string("model") ?? "",
    messages: messages.map(chatMessage),
    n: body.integer("n"),
    maxTokens: body.integer("max_completion_tokens") ?? body.integer("max_tokens"),
    seed: body.integer("seed"),
    stop: stop ?? [],
    temperature: body.number("temperature"),
    topP: body.number("top_p"),
    logprobs: body.boolean("logprobs") ?? false,
    topLogprobs: body.integer("top_logprobs"),
    frequencyPenalty: body.number("frequency_penalty"),
    presencePenalty: body.number("presence_penalty"),
    user: body.string("user") ?? "",
    tools: tools ?? [],
    toolChoice: toolChoice(body),
    responseFormat: responseFormat(body.object("response_format")),
    reasoningEffort: body.choice("reasoning_effort", EFFORTS),
    parallelToolCalls: body.boolean("parallel_tool_calls") ?? body.boolean("parallel_function_calling"),
    searchParameters: searchParameters(body),
  };
}

/** `finish_reason` of a REST choice. */
export function finishReasonText(reason: FinishReason): string | null {
  switch (reason) {
    case FinishReason.REASON_STOP:
    case FinishReason.REASON_TIME_LIMIT:
      return "stop";
    case FinishReason.REASON_MAX_LEN:
    case FinishReason.REASON_MAX_CONTEXT:
      return "length";
    case FinishReason.REASON_TOOL_CALLS:
      return "tool_calls";
    default:
      return null;
  }
}

/** The chat completions `usage` object, reasoning tokens included. */
export function chatUsage(usage: SamplingUsage | undefined): Record<string, unknown> | undefined {
  if (!usage) return undefined;
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
    prompt_tokens_details: {
      text_tokens: usage.promptTextTokens,
      audio_tokens: 0,
      image_tokens: usage.promptImageTokens,
      cached_tokens: usage.cachedPromptTextTokens,
    },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
    num_sources_used: usage.numSourcesUsed,
    ...(usage.costInUsdTicks !== undefined ? { cost_in_usd_ticks: Number(usage.costInUsdTicks) } : {}),
  };
}

/** The client-side function calls of a message or delta (server-side tool calls are the API's business). */
export function functionCalls(calls: readonly ToolCall[]): { id: string; name: string; arguments: string }[] {
  const out: { id: string; name: string; arguments: string }[] = [];
  for (const call of calls) {
    const clientSide = call.type === ToolCallType.CLIENT_SIDE_TOOL || call.type === ToolCallType.INVALID;
    if (call.tool.case !== "function" || !clientSide) continue;
    out.push({ id: call.id, name: call.tool.value.name, arguments: call.tool.value.arguments });
  }
  return out;
}

function logprobsJson(logprobs: LogProbs | undefined): Record<string, unknown> | null {
  if (!logprobs || logprobs.content.length === 0) return null;
  return {
    content: logprobs.content.map((p) => ({
      token: p.token,
      logprob: p.logprob,
      bytes: [...p.bytes],
      top_logprobs: p.topLogprobs.map((t) => ({ token: t.token, logprob: t.logprob, bytes: [...t.bytes] })),
    })),
  };
}

const seconds = (created: { seconds: bigint } | undefined) => Number(created?.seconds ?? 0n);

/**
 * The chat completion JSON of an engine response: one choice per index (its assistant output; the
 * outputs of server-side tool steps are left out).
 *
 * @example
 * ```ts
 * sendJson(response, 200, chatCompletionJson(await localUnary(...)));
 * ```
 */
export function chatCompletionJson(response: GetChatCompletionResponse): Record<string, unknown> {
  const byIndex = new Map<number, GetChatCompletionResponse["outputs"][number]>();
  for (const output of response.outputs) {
    if (output.message?.role === MessageRole.ROLE_TOOL) continue;
    byIndex.set(output.index, output);
  }
  const choices = [...byIndex.values()].map((output) => {
    const message = output.message;
    const calls = functionCalls(message?.toolCalls ?? []);
    return {
      index: output.index,
      message: {
        role: "assistant",
        content: message?.content || (calls.length > 0 ? null : ""),
        ...(message?.reasoningContent ? { reasoning_content: message.reasoningContent } : {}),
        ...(calls.length > 0
          ? {
              tool_calls: calls.map((c) => ({
                id: c.id,
                type: "function",
                function: { name: c.name, arguments: c.arguments },
              })),
            }
          : {}),
        refusal: null,
      },
      finish_reason: finishReasonText(output.finishReason),
      logprobs: logprobsJson(output.logprobs),
    };
  });
  return {
    id: response.id,
    object: "chat.completion",
    created: seconds(response.created),
    model: response.model,
    choices,
    usage: chatUsage(response.usage),
    system_fingerprint: response.systemFingerprint,
    ...(response.citations.length > 0 ? { citations: response.citations } : {}),
  };
}

/** Decoded pre-encoded parts (the engine attaches a stream's header once, as unknown fields), by identity. */
const decodedUnknown = new WeakMap<object, GetChatCompletionChunk>();

/**
 * A chunk with the fields the engine sent pre-encoded (as protobuf unknown fields: the stream header, or the
 * output of a `#chunks N` stream) decoded, so that they can be rendered as JSON.
 *
 * @example
 * ```ts
 * const chunk = readableChunk(message as GetChatCompletionChunk);
 * ```
 */
export function readableChunk(chunk: GetChatCompletionChunk): GetChatCompletionChunk {
  const fields = chunk.$unknown;
  if (!fields || fields.length === 0) return chunk;
  let extra = decodedUnknown.get(fields);
  if (!extra) {
    const holder = create(GetChatCompletionChunkSchema);
    holder.$unknown = fields;
    extra = fromBinary(GetChatCompletionChunkSchema, toBinary(GetChatCompletionChunkSchema, holder));
    decodedUnknown.set(fields, extra);
  }
  return {
    ...chunk,
    id: chunk.id || extra.id,
    model: chunk.model || extra.model,
    created: chunk.created ?? extra.created,
    systemFingerprint: chunk.systemFingerprint || extra.systemFingerprint,
    outputs: chunk.outputs.length > 0 ? chunk.outputs : extra.outputs,
    $unknown: undefined,
  };
}

/** The stream's header (id, model, created, fingerprint), kept from its first chunk for the chunks without. */
export interface StreamHeader {
  id: string;
  model: string;
  created: number;
  fingerprint: string;
}

/** Remembers a stream's header from its first chunk, and fills it in on chunks that carry none. */
export function headerOf(chunk: GetChatCompletionChunk, previous: StreamHeader | undefined): StreamHeader {
  if (previous && !chunk.id) return previous;
  return {
    id: chunk.id || previous?.id || "",
    model: chunk.model || previous?.model || "",
    created: chunk.created ? seconds(chunk.created) : (previous?.created ?? 0),
    fingerprint: chunk.systemFingerprint || previous?.fingerprint || "",
  };
}

/**
 * Numbers a stream's function calls per choice across all its chunks, as `tool_calls[].index` wants: a
 * client accumulates the deltas of one call by that index, so each distinct call id gets the next one.
 *
 * @example
 * ```ts
 * const indexes = new ToolCallIndexes();
 * indexes.of(0, "call_a"); // 0
 * indexes.of(0, "call_b"); // 1
 * indexes.of(0, "call_a"); // 0
 * ```
 */
export class ToolCallIndexes {
  readonly #byChoice = new Map<number, Map<string, number>>();

  /** The index of call `id` in choice `choice`. */
  of(choice: number, id: string): number {
    let ids = this.#byChoice.get(choice);
    if (!ids) {
      ids = new Map();
      this.#byChoice.set(choice, ids);
    }
    let index = ids.get(id);
    if (index === undefined) {
      index = ids.size;
      ids.set(id, index);
    }
    return index;
  }
}

function deltaJson(output: CompletionOutputChunk, indexes: ToolCallIndexes): Record<string, unknown> {
  const delta = output.delta;
  const json: Record<string, unknown> = { role: "assistant" };
  if (!delta) return json;
  if (delta.content) json.content = delta.content;
  if (delta.reasoningContent) json.reasoning_content = delta.reasoningContent;
  const calls = functionCalls(delta.toolCalls);
  if (calls.length > 0) {
    json.tool_calls = calls.map((c) => ({
      index: indexes.of(output.index, c.id),
      id: c.id,
      type: "function",
      function: { name: c.name, arguments: c.arguments },
    }));
  }
  return json;
}

/**
 * The `chat.completion.chunk` JSON of one engine chunk, or undefined when nothing of it is shown over REST
 * (a server-side tool step).
 *
 * @example
 * ```ts
 * const indexes = new ToolCallIndexes(); // one per stream
 * const json = chatChunkJson(readableChunk(chunk), header, indexes);
 * if (json) sse.frame(JSON.stringify(json));
 * ```
 */
export function chatChunkJson(
  chunk: GetChatCompletionChunk,
  header: StreamHeader,
  indexes: ToolCallIndexes,
): Record<string, unknown> | undefined {
  const choices = [];
  for (const output of chunk.outputs) {
    if (output.delta?.role === MessageRole.ROLE_TOOL) continue;
    const choice: Record<string, unknown> = {
      index: output.index,
      delta: deltaJson(output, indexes),
      finish_reason: finishReasonText(output.finishReason),
    };
    const logprobs = logprobsJson(output.logprobs);
    if (logprobs) choice.logprobs = logprobs;
    choices.push(choice);
  }
  if (choices.length === 0 && !chunk.usage) return undefined;
  const json: Record<string, unknown> = {
    id: header.id,
    object: "chat.completion.chunk",
    created: header.created,
    model: header.model,
    choices,
    system_fingerprint: header.fingerprint,
  };
  if (chunk.usage) json.usage = chatUsage(chunk.usage);
  if (chunk.citations.length > 0) json.citations = chunk.citations;
  return json;
}
