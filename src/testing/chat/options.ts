// Validation of a chat request as the real API does it, and the normalized options the generator reads.
// Every rejection is INVALID_ARGUMENT (or NOT_FOUND for an unknown model) with a sentence naming the
// field and the fix.
import {
  FormatType,
  type GetCompletionsRequest,
  IncludeOption,
  type Message,
  ReasoningEffort,
  type Tool,
  ToolMode,
} from "../../gen/xai/api/v1/chat_pb.js";
import { type CatalogModel, type EmulatorContext, invalidArgument } from "../types.js";
import { roleName } from "./conversation.js";
import { type CheckedSchema, checkSchemaText } from "./json-schema.js";
import type { Effort } from "./text.js";

/** Largest `n` the emulator accepts (outputs per request). */
export const MAX_N = 128;
/** Largest `top_logprobs`. */
export const MAX_TOP_LOGPROBS = 8;
/** Most stop sequences per request. */
export const MAX_STOP_SEQUENCES = 8;

/** A client-side function tool, with its compiled parameters schema. */
export interface FunctionTool {
  name: string;
  description: string;
  parameters: CheckedSchema;
}

/** How the request lets the model use tools. */
export type ToolPolicy = { mode: "auto" | "none" | "required" } | { mode: "function"; name: string };

/** The shape the content must take. */
export type OutputFormat =
  | { kind: "text" }
  | { kind: "json_object" }
  | { kind: "json_schema"; schema: CheckedSchema };

/** A validated chat request, normalized for the generator. */
export interface ChatOptions {
  model: CatalogModel;
  n: number;
  temperature: number;
  topP: number;
  seed: number;
  maxTokens: number | undefined;
  stop: string[];
  logprobs: boolean;
  topLogprobs: number;
  /** Reasoning effort of a reasoning model (undefined for other models). */
  effort: Effort | undefined;
  functionTools: FunctionTool[];
  /** Server-side tools (web search, code execution, …), in request order. */
  serverTools: Tool[];
  toolPolicy: ToolPolicy;
  parallelToolCalls: boolean;
  format: OutputFormat;
  include: Set<IncludeOption>;
  maxTurns: number | undefined;
  useEncryptedContent: boolean;
}

/**
 * Resolves a language model by name, with the emulator's wording for an empty name.
 *
 * @example
 * ```ts
 * languageModel(ctx, "grok-4-latest").name; // "grok-4"
 * ```
 */
export function languageModel(ctx: EmulatorContext, name: string): CatalogModel {
  if (!name.trim()) throw invalidArgument("model is required: name a language model such as grok-4.");
  return ctx.resolveModel(name, "language");
}

/** Checks a sampling parameter range shared by chat and sample requests. */
export function checkSampling(fields: {
  temperature?: number;
  topP?: number;
  n?: number;
  maxTokens?: number;
  topLogprobs?: number;
  logprobs: boolean;
  frequencyPenalty?: number;
  presencePenalty?: number;
  stop: readonly string[];
}): void {
  const { temperature, topP, n, maxTokens, topLogprobs } = fields;
  if (temperature !== undefined && !(temperature >= 0 && temperature <= 2)) {
    throw invalidArgument(`temperature must be between 0 and 2 (inclusive), got ${temperature}.`);
  }
  if (topP !== undefined && !(topP > 0 && topP <= 1)) {
    throw invalidArgument(`top_p must be greater than 0 and at most 1, got ${topP}.`);
  }
  if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= MAX_N)) {
    throw invalidArgument(`n must be between 1 and ${MAX_N}, got ${n}.`);
  }
  if (maxTokens !== undefined && maxTokens <= 0) {
    throw invalidArgument(`max_tokens must be a positive number of tokens, got ${maxTokens}.`);
  }
  if (topLogprobs !== undefined) {
    if (!(topLogprobs >= 0 && topLogprobs <= MAX_TOP_LOGPROBS)) {
      throw invalidArgument(`top_logprobs must be between 0 and ${MAX_TOP_LOGPROBS}, got ${topLogprobs}.`);
    }
    if (topLogprobs > 0 && !fields.logprobs) {
      throw invalidArgument(
        "top_logprobs requires logprobs to be true; set logprobs or remove top_logprobs.",
      );
    }
  }
  for (const [name, value] of [
    ["frequency_penalty", fields.frequencyPenalty],
    ["presence_penalty", fields.presencePenalty],
  ] as const) {
    if (value !== undefined && !(value >= -2 && value <= 2)) {
      throw invalidArgument(`${name} must be between -2 and 2, got ${value}.`);
    }
  }
  if (fields.stop.length > MAX_STOP_SEQUENCES) {
    throw invalidArgument(`stop accepts at most ${MAX_STOP_SEQUENCES} sequences, got ${fields.stop.length}.`);
  }
  fields.stop.forEach((s, i) => {
    if (s.length === 0) throw invalidArgument(`stop[${i}] is empty; remove it or give a non-empty sequence.`);
  });
}

/**
 * Checks the messages of a conversation (after any stored history was prepended).
 *
 * @example
 * ```ts
 * checkMessages([], model); // throws INVALID_ARGUMENT: the conversation is empty
 * ```
 */
export function checkMessages(messages: readonly Message[], model: CatalogModel): void {
  if (messages.length === 0) {
    throw invalidArgument(
      "The conversation is empty: send at least one message (for example a user message) or a previous_response_id.",
    );
  }
  const acceptsImages = model.inputModalities.includes("image");
  messages.forEach((message, i) => {
    const role = roleName(message.role);
    if (!role) {
      throw invalidArgument(
        `messages[${i}].role is not set or unknown (${message.role}); use ROLE_USER, ROLE_ASSISTANT, ROLE_SYSTEM, ROLE_DEVELOPER or ROLE_TOOL.`,
      );
    }
    message.content.forEach((part, j) => {
      if (part.content.case === undefined) {
        throw invalidArgument(`messages[${i}].content[${j}] is empty; set text, image_url or file.`);
      }
      if (part.content.case === "imageUrl") {
        if (!acceptsImages) {
          throw invalidArgument(
            `The model ${model.name} does not accept image input (messages[${i}].content[${j}]); use a model with image input such as grok-4.`,
          );
        }
        const source = part.content.value.source;
        if (source.case === undefined || !source.value) {
          throw invalidArgument(
            `messages[${i}].content[${j}].image_url has neither an image_url nor a file_id.`,
          );
        }
        if (
          source.case === "imageUrl" &&
          !/^(https?:\/\/|data:image\/[a-z.+-]+;base64,)/i.test(source.value)
        ) {
          throw invalidArgument(
            `messages[${i}].content[${j}].image_url must be an http(s) URL or a data:image/...;base64, URL.`,
          );
        }
      }
      if (part.content.case === "file") {
        const file = part.content.value;
        if (!file.fileId && file.data.length === 0 && !file.url) {
          throw invalidArgument(`messages[${i}].content[${j}].file needs one of file_id, data or url.`);
        }
      }
    });
    const hasContent = message.content.length > 0 || message.encryptedContent.length > 0;
    if ((role === "user" || role === "system" || role === "developer") && !hasContent) {
      throw invalidArgument(`messages[${i}] (${role}) has no content; give it at least one text part.`);
    }
    if (role === "assistant" && !hasContent && message.toolCalls.length === 0 && !message.reasoningContent) {
      throw invalidArgument(`messages[${i}] (assistant) has no content and no tool calls.`);
    }
    if (role === "tool" && !message.toolCallId) {
      throw invalidArgument(
        `messages[${i}] is a tool result without tool_call_id; set it to the id of the tool call it answers.`,
      );
    }
  });
}

const EFFORTS: Partial<Record<ReasoningEffort, Effort>> = {
  [ReasoningEffort.EFFORT_NONE]: "none",
  [ReasoningEffort.EFFORT_LOW]: "low",
  [ReasoningEffort.EFFORT_MEDIUM]: "medium",
  [ReasoningEffort.EFFORT_HIGH]: "high",
  [ReasoningEffort.EFFORT_XHIGH]: "xhigh",
};

const FUNCTION_NAME = /^[a-zA-Z0-9_.-]{1,64}$/;

function checkTools(tools: readonly Tool[]): { functionTools: FunctionTool[]; serverTools: Tool[] } {
  const functionTools: FunctionTool[] = [];
  const serverTools: Tool[] = [];
  tools.forEach((tool, i) => {
    switch (tool.tool.case) {
      case undefined:
        throw invalidArgument(`tools[${i}] is empty; set function or a server-side tool such as web_search.`);
      case "function": {
        const fn = tool.tool.value;
        if (!FUNCTION_NAME.test(fn.name)) {
          throw invalidArgument(
            `tools[${i}].function.name "${fn.name}" is invalid; use 1 to 64 letters, digits, underscores, dots or dashes.`,
          );
        }
        if (functionTools.some((t) => t.name === fn.name)) {
          throw invalidArgument(
            `tools[${i}].function.name "${fn.name}" is defined twice; tool names must be unique.`,
          );
        }
        const where = `tools[${i}].function.parameters (${fn.name})`;
        const parameters = checkSchemaText(
          fn.parameters.trim() || '{"type":"object","properties":{}}',
          where,
        );
        const root = parameters.root;
        if (typeof root === "object" && root.type !== undefined && root.type !== "object") {
          throw invalidArgument(
            `${where} must describe an object ("type": "object"), because arguments are a JSON object.`,
          );
        }
        functionTools.push({ name: fn.name, description: fn.description, parameters });
        break;
      }
      case "mcp":
        if (!/^https?:\/\//.test(tool.tool.value.serverUrl)) {
          throw invalidArgument(`tools[${i}].mcp.server_url must be an http(s) URL.`);
        }
        serverTools.push(tool);
        break;
      case "collectionsSearch":
        if (tool.tool.value.collectionIds.length === 0) {
          throw invalidArgument(`tools[${i}].collections_search needs at least one collection id.`);
        }
        serverTools.push(tool);
        break;
      default:
        serverTools.push(tool);
    }
  });
  return { functionTools, serverTools };
}

/**
 * Validates a chat request and returns the generator's options. `messages` is the full conversation
 * (stored history first when `previous_response_id` is set).
 *
 * @example
 * ```ts
 * const options = chatOptions(ctx, request, messages);
 * options.n; // 1 when unset
 * ```
 */
export function chatOptions(
  ctx: EmulatorContext,
  request: GetCompletionsRequest,
  messages: readonly Message[],
): ChatOptions {
  const model = languageModel(ctx, request.model);
  checkSampling(request);
  checkMessages(messages, model);
  if (request.maxTurns !== undefined && request.maxTurns <= 0) {
    throw invalidArgument(`max_turns must be at least 1, got ${request.maxTurns}.`);
  }
  let effort: Effort | undefined;
  if (request.reasoningEffort !== undefined) {
    if (!model.reasoning) {
      throw invalidArgument(
        `The model ${model.name} does not support reasoning_effort; remove it or use a reasoning model such as grok-3-mini.`,
      );
    }
    effort = EFFORTS[request.reasoningEffort];
    if (!effort) throw invalidArgument(`reasoning_effort ${request.reasoningEffort} is not a valid effort.`);
  } else if (model.reasoning) effort = "medium";

  const include = new Set<IncludeOption>();
  for (const option of request.include) {
    if (option === IncludeOption.INVALID || IncludeOption[option] === undefined) {
      throw invalidArgument(`include contains an invalid option (${option}).`);
    }
    include.add(option);
  }

  const { functionTools, serverTools } = checkTools(request.tools);
  let toolPolicy: ToolPolicy = { mode: "auto" };
  const choice = request.toolChoice?.toolChoice;
  if (choice?.case === "mode") {
    if (choice.value === ToolMode.INVALID || ToolMode[choice.value] === undefined) {
      throw invalidArgument(
        "tool_choice.mode is invalid; use TOOL_MODE_AUTO, TOOL_MODE_NONE or TOOL_MODE_REQUIRED.",
      );
    }
    toolPolicy = {
      mode:
        choice.value === ToolMode.NONE ? "none" : choice.value === ToolMode.REQUIRED ? "required" : "auto",
    };
    if (toolPolicy.mode === "required" && request.tools.length === 0) {
      throw invalidArgument(
        "tool_choice is required but no tools were given; add tools or change tool_choice.",
      );
    }
  } else if (choice?.case === "functionName") {
    const name = choice.value;
    if (!functionTools.some((t) => t.name === name)) {
      const known = functionTools.map((t) => t.name);
      throw invalidArgument(
        `tool_choice names the function "${name}", which is not among the tools${known.length > 0 ? ` (${known.join(", ")})` : ""}.`,
      );
    }
    toolPolicy = { mode: "function", name };
  }

  let format: OutputFormat = { kind: "text" };
  const responseFormat = request.responseFormat;
  if (responseFormat?.formatType === FormatType.JSON_OBJECT) format = { kind: "json_object" };
  else if (responseFormat?.formatType === FormatType.JSON_SCHEMA) {
    if (!responseFormat.schema?.trim()) {
      throw invalidArgument(
        "response_format is json_schema but has no schema; set response_format.schema to a JSON Schema.",
      );
    }
    format = {
      kind: "json_schema",
      schema: checkSchemaText(responseFormat.schema, "response_format.schema"),
    };
  } else if (
    responseFormat &&
    responseFormat.formatType !== FormatType.TEXT &&
    responseFormat.formatType !== 0
  ) {
    throw invalidArgument(`response_format.format_type ${responseFormat.formatType} is unknown.`);
  }

  const n = request.n ?? 1;
  if (n > 1 && serverTools.length > 0) {
    throw invalidArgument("n greater than 1 is not supported together with server-side tools; use n = 1.");
  }
  const sp = request.searchParameters;
  if (sp?.maxSearchResults !== undefined && sp.maxSearchResults <= 0) {
    throw invalidArgument(
      `search_parameters.max_search_results must be at least 1, got ${sp.maxSearchResults}.`,
    );
  }
  if (sp?.fromDate && sp.toDate && sp.fromDate.seconds > sp.toDate.seconds) {
    throw invalidArgument("search_parameters.from_date is after to_date.");
  }

  return {
    model,
    n,
    temperature: request.temperature ?? 1,
    topP: request.topP ?? 1,
    seed: request.seed ?? 0,
    maxTokens: request.maxTokens,
    stop: request.stop,
    logprobs: request.logprobs,
    topLogprobs: request.topLogprobs ?? 0,
    effort,
    functionTools,
    serverTools,
    toolPolicy,
    parallelToolCalls: request.parallelToolCalls ?? true,
    format,
    include,
    maxTurns: request.maxTurns,
    useEncryptedContent: request.useEncryptedContent,
  };
}
