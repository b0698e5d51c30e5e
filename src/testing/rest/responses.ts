// /v1/responses: the Responses API over the engine's stored completions. A create is a chat completion with
// `store_messages` (default true, as on the wire) and `previous_response_id`; GET reads the stored completion,
// DELETE deletes it. Streams are the engine's chunks turned into Responses events. No reply logic lives here.
import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  type ContentSchema,
  type GetChatCompletionChunk,
  type GetChatCompletionResponse,
  type GetCompletionsRequestSchema,
  IncludeOption,
  MessageRole,
  type MessageSchema,
  ReasoningEffort,
  type RequestSettings,
  type ToolCallSchema,
  type ToolSchema,
} from "../../gen/xai/api/v1/chat_pb.js";
import { FinishReason } from "../../gen/xai/api/v1/sample_pb.js";
import type { SamplingUsage } from "../../gen/xai/api/v1/usage_pb.js";
import { Code, EmulatorError } from "../types.js";
import type { Fields } from "./body.js";
import {
  contentParts,
  EFFORTS,
  functionCallInit,
  functionCalls,
  functionTool,
  responseFormat,
  toolChoice,
} from "./chat-completions.js";
import { badField } from "./errors.js";

type RequestInit = MessageInitShape<typeof GetCompletionsRequestSchema>;
type MessageInit = MessageInitShape<typeof MessageSchema>;
type ToolInit = MessageInitShape<typeof ToolSchema>;
type ContentInit = MessageInitShape<typeof ContentSchema>;
type ToolCallInit = MessageInitShape<typeof ToolCallSchema>;

const INPUT_ROLES: Record<string, MessageRole> = {
  system: MessageRole.ROLE_SYSTEM,
  developer: MessageRole.ROLE_DEVELOPER,
  user: MessageRole.ROLE_USER,
  assistant: MessageRole.ROLE_ASSISTANT,
};

const INPUT_TYPES = `"message", "function_call", "function_call_output" or "reasoning"`;

/** The summary text of a `reasoning` input item (`summary: [{ type: "summary_text", text }]`), joined. */
function summaryText(item: Fields): string {
  return (item.objects("summary") ?? [])
    .map((part) => part.string("text") ?? "")
    .filter((text) => text !== "")
    .join("\n\n");
}

/**
 * The engine's messages for a Responses `input` array. The output items of one response, passed back as
 * input to continue it (a `reasoning` item, then `function_call` items, then an assistant `message`), are one
 * assistant turn: they become ONE assistant message, as the gRPC API keeps it (reasoning, encrypted content,
 * tool calls and text together). A reasoning item that carries nothing and is followed by nothing of its
 * turn is dropped.
 */
function inputMessages(items: readonly Fields[]): MessageInit[] {
  const messages: MessageInit[] = [];
  // The assistant turn being gathered, while its items keep coming.
  let turn: (MessageInit & { content: ContentInit[]; toolCalls: ToolCallInit[] }) | undefined;
  const close = () => {
    if (
      turn &&
      (turn.content.length > 0 || turn.toolCalls.length > 0 || turn.encryptedContent || turn.reasoningContent)
    )
      messages.push(turn);
    turn = undefined;
  };
  const open = () => {
    turn ??= { role: MessageRole.ROLE_ASSISTANT, content: [], toolCalls: [] };
    return turn;
  };
  for (const item of items) {
    const type = item.string("type") ?? "message";
    switch (type) {
      case "reasoning": {
        // A reasoning item starts a turn: the model reasons first.
        close();
        const encrypted = item.string("encrypted_content");
        const summary = summaryText(item);
        const next = open();
        if (encrypted) next.encryptedContent = encrypted;
        if (summary) next.reasoningContent = summary;
        break;
      }
      case "function_call":
        open().toolCalls.push(
          functionCallInit(
            item.string("call_id") ?? "",
            item.string("name") ?? "",
            item.string("arguments") ?? "",
          ),
        );
        break;
      case "message": {
        const role = item.choice("role", INPUT_ROLES);
        if (role === undefined) throw badField(item.field("role"), "given");
        const content = contentParts(item.raw("content"), item.field("content"));
        if (role === MessageRole.ROLE_ASSISTANT && turn?.content.length === 0) {
          // The text that ends the turn.
          turn.content = content;
          close();
        } else {
          close();
          messages.push({ role, content });
        }
        break;
      }
      case "function_call_output": {
        close();
        const output = item.raw("output");
        messages.push({
          role: MessageRole.ROLE_TOOL,
          toolCallId: item.string("call_id") ?? "",
          content: contentParts(
            typeof output === "string" ? output : JSON.stringify(output ?? ""),
            item.field("output"),
          ),
        });
        break;
      }
      default:
        throw badField(item.field("type"), `${INPUT_TYPES} (got "${type}")`);
    }
  }
  close();
  return messages;
}

function tool(toolFields: Fields): ToolInit {
  const type = toolFields.string("type");
  switch (type) {
    case "function":
      return functionTool(toolFields);
    case "web_search":
      return {
        tool: {
          case: "webSearch",
          value: {
            allowedDomains: toolFields.strings("allowed_domains") ?? [],
            excludedDomains: toolFields.strings("excluded_domains") ?? [],
          },
        },
      };
    case "x_search":
      return {
        tool: {
          case: "xSearch",
          value: {
            allowedXHandles: toolFields.strings("allowed_x_handles") ?? [],
            excludedXHandles: toolFields.strings("excluded_x_handles") ?? [],
          },
        },
      };
    case "code_interpreter":
    case "code_execution":
      return { tool: { case: "codeExecution", value: {} } };
    case "file_search":
    case "collections_search":
      return {
        tool: {
          case: "collectionsSearch",
          value: { collectionIds: toolFields.strings("vector_store_ids") ?? [] },
        },
      };
    default:
      throw badField(
        toolFields.field("type"),
        `"function", "web_search", "x_search", "code_interpreter" or "file_search" (got ${JSON.stringify(type)})`,
      );
  }
}

/**
 * The engine's request for a `POST /v1/responses` body.
 *
 * @example
 * ```ts
 * const init = responsesRequest(new Fields({ model: "grok-4", input: "Hi", store: true }));
 * ```
 */
export function responsesRequest(body: Fields): RequestInit {
  const rawInput = body.raw("input");
  let messages: MessageInit[];
  if (typeof rawInput === "string") {
    messages = [{ role: MessageRole.ROLE_USER, content: [{ content: { case: "text", value: rawInput } }] }];
  } else if (Array.isArray(rawInput)) {
    messages = inputMessages(body.objects("input") ?? []);
  } else {
    throw new EmulatorError(Code.INVALID_ARGUMENT, "input is required: a string or an array of input items.");
  }
  const instructions = body.string("instructions");
  if (instructions) {
    messages.unshift({
      role: MessageRole.ROLE_SYSTEM,
      content: [{ content: { case: "text", value: instructions } }],
    });
  }
  const include = body.strings("include") ?? [];
  const text = body.object("text");
  const reasoning = body.object("reasoning");
  return {
    model: body.string("model") ?? "",
    messages,
    maxTokens: body.integer("max_output_tokens"),
    temperature: body.number("temperature"),
    topP: body.number("top_p"),
    seed: body.integer("seed"),
    logprobs: body.boolean("logprobs") ?? false,
    topLogprobs: body.integer("top_logprobs"),
    user: body.string("user") ?? "",
    tools: body.objects("tools")?.map(tool) ?? [],
    toolChoice: toolChoice(body),
    responseFormat: responseFormat(text?.object("format")),
    reasoningEffort: reasoning?.choice("effort", EFFORTS),
    parallelToolCalls: body.boolean("parallel_tool_calls"),
    previousResponseId: body.string("previous_response_id"),
    storeMessages: body.boolean("store") ?? true,
    useEncryptedContent: include.includes("reasoning.encrypted_content"),
    include: include.includes("inline_citations") ? [IncludeOption.INLINE_CITATIONS] : [],
  };
}

/** The request settings a response echoes (the stored completion's, or the request's while streaming). */
type Echo = Pick<
  RequestSettings,
  | "maxTokens"
  | "parallelToolCalls"
  | "previousResponseId"
  | "reasoningEffort"
  | "temperature"
  | "topP"
  | "storeMessages"
  | "user"
>;

const EFFORT_TEXT: Record<number, string> = {
  [ReasoningEffort.EFFORT_NONE]: "none",
  [ReasoningEffort.EFFORT_LOW]: "low",
  [ReasoningEffort.EFFORT_MEDIUM]: "medium",
  [ReasoningEffort.EFFORT_HIGH]: "high",
  [ReasoningEffort.EFFORT_XHIGH]: "xhigh",
};

/** What a response says, gathered from a whole completion or from its chunks. */
interface Gathered {
  id: string;
  model: string;
  created: number;
  content: string;
  reasoning: string;
  encrypted: string;
  calls: { id: string; name: string; arguments: string }[];
  finishReason: FinishReason;
  usage: SamplingUsage | undefined;
}

function usageJson(usage: SamplingUsage | undefined): Record<string, unknown> | undefined {
  if (!usage) return undefined;
  return {
    input_tokens: usage.promptTokens,
    input_tokens_details: { cached_tokens: usage.cachedPromptTextTokens },
    output_tokens: usage.totalTokens - usage.promptTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: usage.totalTokens,
    num_sources_used: usage.numSourcesUsed,
    num_server_side_tools_used: usage.serverSideToolsUsed.length,
    ...(usage.costInUsdTicks !== undefined ? { cost_in_usd_ticks: Number(usage.costInUsdTicks) } : {}),
  };
}

const reasoningItem = (g: Gathered, status: string) => ({
  type: "reasoning",
  id: `rs_${g.id}`,
  summary: g.reasoning ? [{ type: "summary_text", text: g.reasoning }] : [],
  status,
  ...(g.encrypted ? { encrypted_content: g.encrypted } : {}),
});

const callItem = (call: Gathered["calls"][number], status: string) => ({
  type: "function_call",
  id: `fc_${call.id}`,
  call_id: call.id,
  name: call.name,
  arguments: call.arguments,
  status,
});

const textPart = (text: string) => ({ type: "output_text", text, annotations: [], logprobs: [] });

const messageItem = (g: Gathered, status: string, content: unknown[]) => ({
  type: "message",
  id: `msg_${g.id}`,
  role: "assistant",
  status,
  content,
});

function outputItems(g: Gathered): unknown[] {
  const items: unknown[] = [];
  if (g.reasoning || g.encrypted) items.push(reasoningItem(g, "completed"));
  for (const call of g.calls) items.push(callItem(call, "completed"));
  if (g.content || g.calls.length === 0) items.push(messageItem(g, "completed", [textPart(g.content)]));
  return items;
}

function responseJson(g: Gathered, echo: Echo, status: string, output: unknown[]): Record<string, unknown> {
  const incomplete = status === "incomplete";
  return {
    id: g.id,
    object: "response",
    created_at: g.created,
    model: g.model,
    status,
    output,
    usage: usageJson(g.usage),
    previous_response_id: echo.previousResponseId ?? null,
    store: echo.storeMessages,
    temperature: echo.temperature ?? null,
    top_p: echo.topP ?? null,
    max_output_tokens: echo.maxTokens ?? null,
    parallel_tool_calls: echo.parallelToolCalls,
    reasoning: {
      effort: echo.reasoningEffort !== undefined ? (EFFORT_TEXT[echo.reasoningEffort] ?? null) : null,
    },
    user: echo.user || null,
    incomplete_details: incomplete ? { reason: "max_output_tokens" } : null,
    error: null,
    instructions: null,
    metadata: {},
  };
}

const statusOf = (reason: FinishReason) =>
  reason === FinishReason.REASON_MAX_LEN || reason === FinishReason.REASON_MAX_CONTEXT
    ? "incomplete"
    : "completed";

/**
 * The Response object of a stored (or just created) completion: choice 0's assistant output.
 *
 * @example
 * ```ts
 * sendJson(response, 200, responseObject(completion));
 * ```
 */
export function responseObject(completion: GetChatCompletionResponse): Record<string, unknown> {
  const outputs = completion.outputs.filter(
    (o) => o.index === 0 && o.message?.role !== MessageRole.ROLE_TOOL,
  );
  const last = outputs.at(-1);
  const g: Gathered = {
    id: completion.id,
    model: completion.model,
    created: Number(completion.created?.seconds ?? 0n),
    content: last?.message?.content ?? "",
    reasoning: last?.message?.reasoningContent ?? "",
    encrypted: last?.message?.encryptedContent ?? "",
    calls: functionCalls(last?.message?.toolCalls ?? []),
    finishReason: last?.finishReason ?? FinishReason.REASON_STOP,
    usage: completion.usage,
  };
  const settings = completion.settings;
  const echo: Echo = settings ?? {
    parallelToolCalls: false,
    storeMessages: false,
    user: "",
  };
  return responseJson(g, echo, statusOf(g.finishReason), outputItems(g));
}

/** The JSON of `DELETE /v1/responses/{id}`. */
export function deletedJson(id: string): Record<string, unknown> {
  return { id, object: "response", deleted: true };
}

/**
 * Turns the engine's chunks of one completion into Responses stream events (`response.created`, output items,
 * text and reasoning deltas, `response.completed`), each with its `type` and `sequence_number`.
 *
 * @example
 * ```ts
 * const events = new ResponseEvents(request);
 * for await (const chunk of chunks) for (const event of events.chunk(readableChunk(chunk))) send(event);
 * for (const event of events.end()) send(event);
 * ```
 */
export class ResponseEvents {
  readonly #echo: Echo;
  #sequence = 0;
  #g: Gathered = {
    id: "",
    model: "",
    created: 0,
    content: "",
    reasoning: "",
    encrypted: "",
    calls: [],
    finishReason: FinishReason.REASON_STOP,
    usage: undefined,
  };
  #started = false;
  #items: unknown[] = [];
  #open: "reasoning" | "message" | undefined;
  #index = -1;

  constructor(request: Echo) {
    this.#echo = request;
  }

  #event(type: string, fields: Record<string, unknown>): Record<string, unknown> {
    return { type, sequence_number: this.#sequence++, ...fields };
  }

  #close(out: Record<string, unknown>[]): void {
    const g = this.#g;
    const at = { output_index: this.#index };
    if (this.#open === "reasoning") {
      const id = `rs_${g.id}`;
      if (g.reasoning) {
        out.push(
          this.#event("response.reasoning_summary_text.done", {
            item_id: id,
            ...at,
            summary_index: 0,
            text: g.reasoning,
          }),
        );
        out.push(
          this.#event("response.reasoning_summary_part.done", {
            item_id: id,
            ...at,
            summary_index: 0,
            part: { type: "summary_text", text: g.reasoning },
          }),
        );
      }
      const item = reasoningItem(g, "completed");
      this.#items.push(item);
      out.push(this.#event("response.output_item.done", { ...at, item }));
    } else if (this.#open === "message") {
      const id = `msg_${g.id}`;
      const part = textPart(g.content);
      out.push(
        this.#event("response.output_text.done", {
          item_id: id,
          ...at,
          content_index: 0,
          text: g.content,
          logprobs: [],
        }),
      );
      out.push(this.#event("response.content_part.done", { item_id: id, ...at, content_index: 0, part }));
      const item = messageItem(g, "completed", [part]);
      this.#items.push(item);
      out.push(this.#event("response.output_item.done", { ...at, item }));
    }
    this.#open = undefined;
  }

  #openItem(kind: "reasoning" | "message", out: Record<string, unknown>[]): void {
    if (this.#open === kind) return;
    this.#close(out);
    this.#open = kind;
    this.#index++;
    const g = this.#g;
    const at = { output_index: this.#index };
    if (kind === "reasoning") {
      out.push(
        this.#event("response.output_item.added", {
          ...at,
          item: { ...reasoningItem(g, "in_progress"), summary: [] },
        }),
      );
      out.push(
        this.#event("response.reasoning_summary_part.added", {
          item_id: `rs_${g.id}`,
          ...at,
          summary_index: 0,
          part: { type: "summary_text", text: "" },
        }),
      );
    } else {
      out.push(this.#event("response.output_item.added", { ...at, item: messageItem(g, "in_progress", []) }));
      out.push(
        this.#event("response.content_part.added", {
          item_id: `msg_${g.id}`,
          ...at,
          content_index: 0,
          part: textPart(""),
        }),
      );
    }
  }

  /** The events of one chunk (the first chunk also opens the response). */
  chunk(chunk: GetChatCompletionChunk): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    const g = this.#g;
    if (!this.#started) {
      this.#started = true;
      g.id = chunk.id;
      g.model = chunk.model;
      g.created = Number(chunk.created?.seconds ?? 0n);
      const response = responseJson(g, this.#echo, "in_progress", []);
      out.push(this.#event("response.created", { response }));
      out.push(this.#event("response.in_progress", { response }));
    }
    if (chunk.usage) g.usage = chunk.usage;
    for (const output of chunk.outputs) {
      const delta = output.delta;
      if (output.index !== 0 || !delta || delta.role === MessageRole.ROLE_TOOL) continue;
      if (output.finishReason !== FinishReason.REASON_INVALID) g.finishReason = output.finishReason;
      if (delta.reasoningContent) {
        this.#openItem("reasoning", out);
        g.reasoning += delta.reasoningContent;
        out.push(
          this.#event("response.reasoning_summary_text.delta", {
            item_id: `rs_${g.id}`,
            output_index: this.#index,
            summary_index: 0,
            delta: delta.reasoningContent,
          }),
        );
      }
      if (delta.encryptedContent) {
        this.#openItem("reasoning", out);
        g.encrypted += delta.encryptedContent;
      }
      for (const call of functionCalls(delta.toolCalls)) {
        this.#close(out);
        this.#index++;
        g.calls.push(call);
        const at = { output_index: this.#index, item_id: `fc_${call.id}` };
        out.push(
          this.#event("response.output_item.added", {
            output_index: this.#index,
            item: { ...callItem(call, "in_progress"), arguments: "" },
          }),
        );
        out.push(this.#event("response.function_call_arguments.delta", { ...at, delta: call.arguments }));
        out.push(this.#event("response.function_call_arguments.done", { ...at, arguments: call.arguments }));
        const item = callItem(call, "completed");
        this.#items.push(item);
        out.push(this.#event("response.output_item.done", { output_index: this.#index, item }));
      }
      if (delta.content) {
        this.#openItem("message", out);
        g.content += delta.content;
        out.push(
          this.#event("response.output_text.delta", {
            item_id: `msg_${g.id}`,
            output_index: this.#index,
            content_index: 0,
            delta: delta.content,
            logprobs: [],
          }),
        );
      }
    }
    return out;
  }

  /** The closing events: open items done, then `response.completed` (or `response.incomplete`). */
  end(): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    const g = this.#g;
    if (!this.#open && this.#items.length === 0) this.#openItem("message", out);
    this.#close(out);
    const status = statusOf(g.finishReason);
    const response = responseJson(g, this.#echo, status, this.#items);
    out.push(
      this.#event(status === "completed" ? "response.completed" : "response.incomplete", { response }),
    );
    return out;
  }
}
