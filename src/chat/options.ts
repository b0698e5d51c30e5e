// The options of `client.chat.create()` and how they become a GetCompletionsRequest, checked before any call.
import { create } from "@bufbuild/protobuf";
import {
  checkBoolean,
  checkInt,
  checkKnownKeys,
  checkLiteral,
  checkNumber,
  checkString,
  describe,
  fail,
  isMessageOf,
  isPlainObject,
  oneOf,
} from "../core/check.js";
import {
  FormatType,
  type GetCompletionsRequest,
  GetCompletionsRequestSchema,
  type Message,
  type ResponseFormat,
  ResponseFormatSchema,
  type SearchParameters,
  type Tool,
  type ToolChoice,
  ToolChoiceSchema,
  ToolMode,
} from "../gen/xai/api/v1/chat_pb.js";
import { type MessageInput, toMessage } from "./messages.js";
import { resolveSchema, type SchemaLike } from "./schema.js";
import { searchParameters as buildSearchParameters, type SearchParametersOptions } from "./search.js";
import { checkFunctionName } from "./tools.js";
import {
  type AgentCountValue,
  agentCountToProto,
  type ChatModel,
  INCLUDE_OPTIONS,
  type IncludeOptionName,
  includeOptionToProto,
  REASONING_EFFORTS,
  type ReasoningEffortName,
  reasoningEffortToProto,
  type ServiceTierName,
  serviceTierToProto,
} from "./types.js";

/**
 * Whether and which tools the model calls: `"auto"` (it decides; the default with tools), `"none"`, `"required"`
 * (it must call one), `{ function: name }` or {@link requiredTool}(name) (it must call that one).
 *
 * @example
 * ```ts
 * client.chat.create({ model: "grok-4", tools: [getWeather], toolChoice: "required", messages });
 * ```
 */
export type ToolChoiceOption = "auto" | "none" | "required" | { function: string } | ToolChoice;

/**
 * The shape of the answer: `"text"` (default), `"json_object"` (any JSON object), or a schema the JSON must follow
 * (zod 4, Standard JSON Schema or a JSON Schema object).
 *
 * @example
 * ```ts
 * client.chat.create({ model: "grok-4", responseFormat: z.object({ answer: z.string() }), messages });
 * ```
 */
export type ResponseFormatOption = "text" | "json_object" | SchemaLike | ResponseFormat;

/**
 * Everything `client.chat.create()` accepts: every request option of the Python SDK's `chat.create`, camelCased.
 * Only `model` is required. Each value is checked when the chat is created.
 *
 * @example
 * ```ts
 * const chat = client.chat.create({
 *   model: "grok-4",
 *   messages: [system("Be brief.")],
 *   temperature: 0.2,
 *   maxTokens: 500,
 *   reasoningEffort: "low",
 * });
 * ```
 */
export interface ChatCreateOptions {
  /** The model, e.g. `"grok-4"`. */
  model: ChatModel;
  /**
   * The conversation so far: strings (user messages), plain `{ role, content }` objects or messages built with
   * `system()`, `user()`, …; more can be appended later.
   */
  messages?: readonly MessageInput[];
  /** An id of your end user, for abuse monitoring. */
  user?: string;
  /** Maximum number of tokens to generate (at least 1). */
  maxTokens?: number;
  /** Seed for (mostly) reproducible sampling. */
  seed?: number;
  /** Sequences that end the answer when generated. */
  stop?: string | string[];
  /** Sampling temperature, 0 to 2. */
  temperature?: number;
  /** Nucleus sampling probability mass, 0 to 1. */
  topP?: number;
  /** Return the log probability of each output token. */
  logprobs?: boolean;
  /** Also return the 0 to 8 most likely alternatives of each token (needs `logprobs: true`). */
  topLogprobs?: number;
  /** Client-side functions (`tool()`) and server-side tools (`webSearch()`, `codeExecution()`, …). */
  tools?: Tool[];
  /** Whether and which tool the model must call. */
  toolChoice?: ToolChoiceOption;
  /** Whether the model may call several tools in one turn (the server's default is true). */
  parallelToolCalls?: boolean;
  /** Text, any JSON object, or JSON following a schema. */
  responseFormat?: ResponseFormatOption;
  /** Penalizes tokens by how often they already appeared, -2 to 2. */
  frequencyPenalty?: number;
  /** Penalizes tokens that already appeared, -2 to 2. */
  presencePenalty?: number;
  /** How hard a reasoning model thinks: `"none"`, `"low"`, `"medium"`, `"high"` or `"xhigh"`. */
  reasoningEffort?: ReasoningEffortName;
  /** Live search settings (`searchParameters()`, or its options object). */
  searchParameters?: SearchParameters | SearchParametersOptions;
  /** Store the conversation server-side, so a later chat can continue it with `previousResponseId`. */
  storeMessages?: boolean;
  /** Continue from a stored response: the server prepends its conversation. */
  previousResponseId?: string;
  /** Return the model's reasoning encrypted, so it can be sent back (by appending the response) in later turns. */
  useEncryptedContent?: boolean;
  /** Maximum number of agentic (server-side tool) turns. */
  maxTurns?: number;
  /** Extra outputs: server-side tool outputs, inline citations, verbose streaming. */
  include?: IncludeOptionName[];
  /** Number of agents of a multi-agent model: 4 or 16. */
  agentCount?: AgentCountValue;
  /** `"default"` or `"priority"` processing. */
  serviceTier?: ServiceTierName;
  /** Your id for this conversation; kept on the chat (`chat.conversationId`), never sent. */
  conversationId?: string;
  /** The id this chat's request gets when added to a batch. */
  batchRequestId?: string;
}

const KNOWN_OPTIONS: readonly (keyof ChatCreateOptions)[] = [
  "model",
  "messages",
  "user",
  "maxTokens",
  "seed",
  "stop",
  "temperature",
  "topP",
  "logprobs",
  "topLogprobs",
  "tools",
  "toolChoice",
  "parallelToolCalls",
  "responseFormat",
  "frequencyPenalty",
  "presencePenalty",
  "reasoningEffort",
  "searchParameters",
  "storeMessages",
  "previousResponseId",
  "useEncryptedContent",
  "maxTurns",
  "include",
  "agentCount",
  "serviceTier",
  "conversationId",
  "batchRequestId",
];

/**
 * The messages of a `messages` option: each item a string (a user message), a plain `{ role, content }` object or
 * a message made by a builder; an XaiInputError names the first bad item (`messages[2]`) and the accepted forms.
 */
export function checkMessages(what: string, messages: unknown): Message[] {
  if (!Array.isArray(messages)) {
    fail(
      `${what} must be an array of messages (strings, { role, content } objects or user(), system(), …), got ${describe(messages)}`,
    );
  }
  return messages.map((m: unknown, i) => toMessage(`${what}[${i}]`, m));
}

/** Checks tools: each made by a tool builder, function names unique. */
export function checkTools(what: string, tools: unknown): Tool[] {
  if (!Array.isArray(tools)) fail(`${what} must be an array of tools, got ${describe(tools)}`);
  const names = new Set<string>();
  return tools.map((t, i) => {
    if (!isMessageOf<Tool>(t, "xai_api.Tool") || t.tool.case === undefined) {
      fail(
        `${what}[${i}] must be made by tool(), webSearch(), xSearch(), codeExecution(), … got ${describe(t)}`,
      );
    }
    if (t.tool.case === "function") {
      const name = t.tool.value.name;
      if (names.has(name))
        fail(`${what} has two functions named ${JSON.stringify(name)}; names must be unique`);
      names.add(name);
    }
    return t;
  });
}

function toToolChoice(value: unknown, tools: Tool[]): ToolChoice {
  let choice: ToolChoice;
  if (value === "auto" || value === "none" || value === "required") {
    const mode = { auto: ToolMode.AUTO, none: ToolMode.NONE, required: ToolMode.REQUIRED }[value];
    choice = create(ToolChoiceSchema, { toolChoice: { case: "mode", value: mode } });
  } else if (isMessageOf<ToolChoice>(value, "xai_api.ToolChoice")) {
    choice = value;
  } else if (isPlainObject(value) && Object.keys(value).length === 1 && "function" in value) {
    const name = checkFunctionName("toolChoice.function", value.function);
    choice = create(ToolChoiceSchema, { toolChoice: { case: "functionName", value: name } });
  } else {
    fail(
      `toolChoice must be ${oneOf(["auto", "none", "required"])}, { function: name } or requiredTool(name), got ${describe(value)}`,
    );
  }
  if (choice.toolChoice.case === "functionName") {
    const wanted = choice.toolChoice.value;
    const functions = tools.flatMap((t) => (t.tool.case === "function" ? [t.tool.value.name] : []));
    if (tools.length > 0 && !functions.includes(wanted)) {
      fail(
        `toolChoice names the function ${JSON.stringify(wanted)}, which is not among the tools (${functions.length ? oneOf(functions) : "no functions"})`,
      );
    }
  }
  return choice;
}

/** The ResponseFormat of a schema (JSON_SCHEMA with the schema as JSON). */
export function schemaResponseFormat(what: string, schema: unknown): ResponseFormat {
  const { jsonSchema } = resolveSchema(what, schema);
  return create(ResponseFormatSchema, {
    formatType: FormatType.JSON_SCHEMA,
    schema: JSON.stringify(jsonSchema),
  });
}

function toResponseFormat(value: unknown): ResponseFormat {
  if (value === "text") return create(ResponseFormatSchema, { formatType: FormatType.TEXT });
  if (value === "json_object") return create(ResponseFormatSchema, { formatType: FormatType.JSON_OBJECT });
  if (isMessageOf<ResponseFormat>(value, "xai_api.ResponseFormat")) return value;
  if (typeof value === "string") {
    fail(
      `responseFormat must be "text", "json_object" or a schema (zod or JSON Schema), got ${describe(value)}`,
    );
  }
  return schemaResponseFormat("responseFormat", value);
}

/** What `create()` keeps besides the request template. */
export interface ChatSettings {
  request: GetCompletionsRequest;
  conversationId: string | undefined;
  batchRequestId: string | undefined;
}

/**
 * Checks create() options and builds the request template (without `n`, set per call). Unset options stay
 * unset on the wire.
 */
export function buildChatSettings(options: ChatCreateOptions): ChatSettings {
  if (!isPlainObject(options)) {
    fail(`chat.create() takes an options object such as { model: "grok-4" }, got ${describe(options)}`);
  }
  checkKnownKeys("chat.create()", options, KNOWN_OPTIONS);
  const o = options;
  const model = checkString("model", o.model, { nonEmpty: true });
  const tools = o.tools === undefined ? [] : checkTools("tools", o.tools);
  const request = create(GetCompletionsRequestSchema, {
    model,
    messages: o.messages === undefined ? [] : [...checkMessages("messages", o.messages)],
    tools: [...tools],
  });
  if (o.user !== undefined) request.user = checkString("user", o.user);
  if (o.maxTokens !== undefined) request.maxTokens = checkInt("maxTokens", o.maxTokens, 1);
  if (o.seed !== undefined) request.seed = checkInt("seed", o.seed);
  if (o.stop !== undefined) {
    const stop = typeof o.stop === "string" ? [o.stop] : o.stop;
    if (!Array.isArray(stop) || stop.some((s) => typeof s !== "string" || s === "")) {
      fail(`stop must be a non-empty string or an array of them, got ${describe(o.stop)}`);
    }
    request.stop = [...stop];
  }
  if (o.temperature !== undefined) request.temperature = checkNumber("temperature", o.temperature, 0, 2);
  if (o.topP !== undefined) request.topP = checkNumber("topP", o.topP, 0, 1);
  if (o.logprobs !== undefined) request.logprobs = checkBoolean("logprobs", o.logprobs);
  if (o.topLogprobs !== undefined) {
    request.topLogprobs = checkInt("topLogprobs", o.topLogprobs, 0, 8);
    if (!request.logprobs) fail("topLogprobs needs logprobs: true");
  }
  if (o.toolChoice !== undefined) request.toolChoice = toToolChoice(o.toolChoice, tools);
  if (o.parallelToolCalls !== undefined) {
    request.parallelToolCalls = checkBoolean("parallelToolCalls", o.parallelToolCalls);
  }
  if (o.responseFormat !== undefined) request.responseFormat = toResponseFormat(o.responseFormat);
  if (o.frequencyPenalty !== undefined) {
    request.frequencyPenalty = checkNumber("frequencyPenalty", o.frequencyPenalty, -2, 2);
  }
  if (o.presencePenalty !== undefined) {
    request.presencePenalty = checkNumber("presencePenalty", o.presencePenalty, -2, 2);
  }
  if (o.reasoningEffort !== undefined) {
    request.reasoningEffort =
      reasoningEffortToProto()[checkLiteral("reasoningEffort", o.reasoningEffort, REASONING_EFFORTS)];
  }
  if (o.searchParameters !== undefined) {
    request.searchParameters = isMessageOf<SearchParameters>(o.searchParameters, "xai_api.SearchParameters")
      ? o.searchParameters
      : buildSearchParameters(o.searchParameters as SearchParametersOptions);
  }
  if (o.storeMessages !== undefined) request.storeMessages = checkBoolean("storeMessages", o.storeMessages);
  if (o.previousResponseId !== undefined) {
    request.previousResponseId = checkString("previousResponseId", o.previousResponseId, { nonEmpty: true });
  }
  if (o.useEncryptedContent !== undefined) {
    request.useEncryptedContent = checkBoolean("useEncryptedContent", o.useEncryptedContent);
  }
  if (o.maxTurns !== undefined) request.maxTurns = checkInt("maxTurns", o.maxTurns, 1);
  if (o.include !== undefined) {
    if (!Array.isArray(o.include))
      fail(`include must be an array of ${oneOf(INCLUDE_OPTIONS)}, got ${describe(o.include)}`);
    request.include = o.include.map(
      (item, i) => includeOptionToProto()[checkLiteral(`include[${i}]`, item, INCLUDE_OPTIONS)],
    );
  }
  if (o.agentCount !== undefined) {
    request.agentCount = agentCountToProto()[checkLiteral("agentCount", o.agentCount, [4, 16] as const)];
  }
  if (o.serviceTier !== undefined) {
    request.serviceTier =
      serviceTierToProto()[checkLiteral("serviceTier", o.serviceTier, ["default", "priority"] as const)];
  }
  const conversationId =
    o.conversationId === undefined ? undefined : checkString("conversationId", o.conversationId);
  const batchRequestId =
    o.batchRequestId === undefined ? undefined : checkString("batchRequestId", o.batchRequestId);
  return { request, conversationId, batchRequestId };
}
