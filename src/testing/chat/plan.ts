// Plans a chat completion: validates the request, reads the conversation and decides every output
// (server-side tool steps, tool calls, content, reasoning, citations), the usage and the settings echo.
// Rendering into a response or a stream of chunks is in render.ts.
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import {
  type GetCompletionsRequest,
  IncludeOption,
  type Message,
  MessageRole,
  MessageSchema,
  type RequestSettingsSchema,
  ToolCallType,
} from "../../gen/xai/api/v1/chat_pb.js";
import { FinishReason } from "../../gen/xai/api/v1/sample_pb.js";
import { type SamplingUsageSchema, type ServerSideTool, ServiceTier } from "../../gen/xai/api/v1/usage_pb.js";
import {
  type CatalogModel,
  Code,
  type EmulatorContext,
  EmulatorError,
  type ScriptedChatReply,
} from "../types.js";
import { type Conversation, namedPhrases, readConversation } from "./conversation.js";
import { encryptContent } from "./encrypted.js";
import { functionCalls, selectFunctions, type ToolCallInit } from "./function-calls.js";
import { generateValid } from "./json-schema.js";
import { type ChatOptions, chatOptions } from "./options.js";
import { hash, hexId, Rng, uuidFrom } from "./random.js";
import {
  type CitedSource,
  type InlineCitationInit,
  liveSearch,
  runServerTools,
  type ServerToolStep,
  withInlineCitations,
} from "./server-tools.js";
import { chatStore } from "./store.js";
import { answerFromToolResults, jsonObjectAnswer, reasoningText, replyText } from "./text.js";
import { truncateOutput } from "./tokens.js";

/** Usage (protobuf init shape). */
export type UsageInit = MessageInitShape<typeof SamplingUsageSchema>;
/** Request settings echo (protobuf init shape). */
export type SettingsInit = MessageInitShape<typeof RequestSettingsSchema>;

/** One output of a completion, before rendering. */
export interface PlannedOutput {
  index: number;
  role: MessageRole;
  content: string;
  reasoning: string;
  encrypted: string;
  toolCalls: ToolCallInit[];
  citations: InlineCitationInit[];
  finishReason: FinishReason;
  /** Whether the content's tokens carry log probabilities. */
  logprobs: boolean;
}

/** Everything needed to render a completion as a response or as chunks. */
export interface ChatPlan {
  id: string;
  created: Date;
  model: string;
  systemFingerprint: string;
  outputs: PlannedOutput[];
  /** Outputs grouped by choice (one lane per `n`); streaming interleaves lanes. */
  lanes: number;
  citations: string[];
  usage: UsageInit;
  settings: SettingsInit;
  topLogprobs: number;
  seed: number;
  /** The tier that served the request (DEFAULT unless PRIORITY was asked for). */
  serviceTier: ServiceTier;
  /** Set for the `#chunks N` (or `!chunks N`) test command: stream exactly N content chunks. */
  longStream?: number;
  /** The whole conversation (stored history first). */
  messages: Message[];
  /** What the assistant said (choice 0), as messages to replay after previous_response_id. */
  reply: Message[];
}

/** Image parts count this many prompt tokens each. */
export const IMAGE_PROMPT_TOKENS = 256;
/** Largest N accepted by the `#chunks N` (or `!chunks N`) test command. */
export const MAX_LONG_STREAM = 10_000_000;
/** Cost of one server-side tool invocation, in USD ticks (1e-10 USD). */
export const SERVER_TOOL_CALL_TICKS = 50_000_000n;

// `#chunks N` is the spelling for shells: `!` inside double quotes triggers history expansion in bash and
// zsh (`xai chat "!chunks 5"` fails), `#` does not; `/chunks` would be read by the CLI's REPL as a command.
// `!chunks N` stays accepted.
const LONG_STREAM = /^([#!])chunks\s+(\d+)$/;

/**
 * The latest user message asks for a long stream (`#chunks N`, or the older `!chunks N`): returns N, else
 * `undefined`.
 *
 * @example
 * ```ts
 * longStreamLength("#chunks 100000"); // 100000
 * longStreamLength("!chunks 5"); // 5
 * ```
 */
export function longStreamLength(lastUser: string): number | undefined {
  const match = LONG_STREAM.exec(lastUser.trim());
  if (!match) return undefined;
  const n = Number(match[2]);
  if (!(n >= 1 && n <= MAX_LONG_STREAM)) {
    throw new EmulatorError(
      Code.INVALID_ARGUMENT,
      `${match[1]}chunks accepts 1 to ${MAX_LONG_STREAM} chunks, got ${match[2]}.`,
    );
  }
  return n;
}

/** Options of {@link planChat}. */
export interface PlanOptions {
  /** Honour the next scripted reply queued by a test (interactive calls do; batch does not). */
  scripted: boolean;
}

/**
 * Validates `request` and plans its completion. Throws EmulatorError (INVALID_ARGUMENT, NOT_FOUND, or a
 * scripted error) before anything is produced.
 *
 * @example
 * ```ts
 * const plan = planChat(ctx, request, { scripted: true });
 * plan.outputs[0].content; // "You asked: “…”. …"
 * ```
 */
export function planChat(
  ctx: EmulatorContext,
  request: GetCompletionsRequest,
  planOptions: PlanOptions,
): ChatPlan {
  const store = chatStore(ctx);
  let history: Message[] = [];
  if (request.previousResponseId) {
    const previous = store.stored.get(request.previousResponseId);
    if (!previous) {
      throw new EmulatorError(
        Code.NOT_FOUND,
        `No stored response has the id "${request.previousResponseId}": it was not stored (store_messages) or was deleted.`,
      );
    }
    history = [...previous.messages, ...previous.reply];
  }
  const messages = [...history, ...request.messages];
  const options = chatOptions(ctx, request, messages);
  const conversation = readConversation(messages);
  const promptLength =
    ctx.countTokens(conversation.promptText) + conversation.imageCount * IMAGE_PROMPT_TOKENS;
  if (promptLength > options.model.maxPromptLength) {
    throw new EmulatorError(
      Code.INVALID_ARGUMENT,
      `The prompt has ${promptLength} tokens, more than the ${options.model.maxPromptLength} that ${options.model.name} accepts; shorten the conversation or compact it.`,
    );
  }
  const scripted = planOptions.scripted ? ctx.takeScriptedChatReply() : undefined;
  if (scripted?.kind === "error") throw new EmulatorError(scripted.code, scripted.details);

  const id = uuidFrom("chat", ctx.newId("chatcmpl"));
  const seed = hash(
    options.model.name,
    options.seed,
    options.temperature,
    options.topP,
    request.responseFormat?.schema,
    ...options.functionTools.map((t) => t.name),
    ...conversation.turns.map((t) => `${t.role}:${t.text}`),
  );
  const rng = new Rng(seed);
  const longStream = scripted ? undefined : longStreamLength(conversation.lastUser);

  let outputs: PlannedOutput[];
  let steps: ServerToolStep[] = [];
  let sources: CitedSource[] = [];
  let citations: string[] = [];
  if (scripted) {
    outputs = Array.from({ length: options.n }, (_, i) => scriptedOutput(scripted, i, `${id}/${i}`, options));
  } else if (longStream !== undefined) {
    outputs = [emptyOutput(0, "", FinishReason.REASON_STOP, false)];
  } else {
    const toolsAllowed = options.toolPolicy.mode === "auto" || options.toolPolicy.mode === "required";
    if (toolsAllowed && options.serverTools.length > 0) {
      steps = runServerTools(options.serverTools, options.include, conversation, rng, id, options.maxTurns);
    }
    const search = liveSearch(request.searchParameters, conversation, rng.fork("search"));
    sources = [...steps.flatMap((s) => s.sources), ...(search?.sources ?? [])];
    citations = [
      ...steps.flatMap((s) => s.sources.map((src) => src.url)),
      ...(search && request.searchParameters?.returnCitations ? search.sources.map((s) => s.url) : []),
    ];
    const findings = [...steps.map((s) => s.finding), ...(search ? [search.finding] : [])];
    outputs = [];
    let index = 0;
    for (const step of steps) {
      outputs.push({
        ...emptyOutput(index++, "", FinishReason.REASON_TOOL_CALLS, false),
        toolCalls: [step.call],
      });
      if (step.reported) {
        outputs.push({
          ...emptyOutput(index++, step.output, FinishReason.REASON_STOP, false),
          role: MessageRole.ROLE_TOOL,
          toolCalls: [step.call],
        });
      }
    }
    const finals: PlannedOutput[] = [];
    for (let lane = 0; lane < options.n; lane++) {
      const output = finalOutput(
        ctx,
        options,
        conversation,
        rng.fork(lane),
        `${id}/${lane}`,
        findings,
        sources,
      );
      output.index = index + lane;
      if (output.toolCalls.length === 0 && options.format.kind === "text") {
        for (let dup = 1; finals.some((f) => f.content === output.content) && dup < 1000; dup++) {
          output.content = `${output.content} (Variant ${lane + 1}.)`;
        }
      }
      finals.push(output);
    }
    outputs.push(...finals);
  }

  const usage = usageOf(
    ctx,
    options.model,
    conversation,
    outputs,
    steps,
    sources.length,
    history,
    longStream,
  );
  return {
    id,
    created: ctx.now(),
    model: options.model.name,
    systemFingerprint:
      options.model.systemFingerprint ?? `fp_${hexId(10, options.model.name, options.model.version)}`,
    outputs,
    lanes: options.n,
    citations,
    usage,
    settings: settingsOf(request, options),
    topLogprobs: options.topLogprobs,
    seed,
    serviceTier: request.serviceTier === ServiceTier.PRIORITY ? ServiceTier.PRIORITY : ServiceTier.DEFAULT,
    longStream,
    messages,
    reply: replyMessages(outputs, options.n),
  };
}

function emptyOutput(
  index: number,
  content: string,
  finishReason: FinishReason,
  logprobs: boolean,
): PlannedOutput {
  return {
    index,
    role: MessageRole.ROLE_ASSISTANT,
    content,
    reasoning: "",
    encrypted: "",
    toolCalls: [],
    citations: [],
    finishReason,
    logprobs,
  };
}

function scriptedOutput(
  reply: ScriptedChatReply,
  index: number,
  idSeed: string,
  options: ChatOptions,
): PlannedOutput {
  if (reply.kind === "toolCalls") {
    const toolCalls: ToolCallInit[] = reply.toolCalls.map((call, i) => ({
      id: call.id ?? `call_${hexId(24, idSeed, call.name, i)}`,
      type: ToolCallType.CLIENT_SIDE_TOOL,
      tool: {
        case: "function",
        value: {
          name: call.name,
          arguments:
            typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments ?? {}),
        },
      },
    }));
    return { ...emptyOutput(index, "", FinishReason.REASON_TOOL_CALLS, false), toolCalls };
  }
  if (reply.kind === "text") {
    return {
      ...emptyOutput(index, reply.content, FinishReason.REASON_STOP, options.logprobs),
      reasoning: reply.reasoningContent ?? "",
    };
  }
  throw new EmulatorError(reply.code, reply.details);
}

function finalOutput(
  ctx: EmulatorContext,
  options: ChatOptions,
  conversation: Conversation,
  rng: Rng,
  idSeed: string,
  findings: readonly string[],
  sources: readonly CitedSource[],
): PlannedOutput {
  const output = emptyOutput(0, "", FinishReason.REASON_STOP, options.logprobs);
  if (options.effort) {
    output.reasoning = reasoningText(conversation, rng.fork("reasoning"), options.effort);
    if (output.reasoning && options.useEncryptedContent) {
      output.encrypted = encryptContent({
        kind: "reasoning",
        model: options.model.name,
        reasoning: output.reasoning,
      });
    }
  }
  const selected = selectFunctions(options, conversation);
  if (selected.length > 0) {
    output.toolCalls = functionCalls(selected, conversation, rng.fork("calls"), idSeed);
    output.finishReason = FinishReason.REASON_TOOL_CALLS;
    output.logprobs = false;
    return output;
  }
  let content: string;
  if (options.format.kind === "json_schema") {
    // Fields are filled from what the message names (a `city` field gets the city it names, `amount` its "$42").
    const hints = { phrases: namedPhrases(conversation.lastUser), message: conversation.lastUser };
    content = JSON.stringify(generateValid(options.format.schema, rng.fork("json"), hints));
  } else if (options.format.kind === "json_object") {
    content = jsonObjectAnswer(conversation, rng.fork("json"));
  } else {
    const base =
      conversation.toolResults.length > 0
        ? answerFromToolResults(conversation, rng.fork("answer"))
        : replyText(conversation, rng.fork("answer"), options.temperature);
    content = [...findings, base].join(" ");
    if (options.include.has(IncludeOption.INLINE_CITATIONS) && sources.length > 0) {
      const cited = withInlineCitations(content, sources);
      content = cited.content;
      output.citations = cited.citations;
    }
  }
  const truncated = truncateOutput(ctx, content, options.stop, options.maxTokens);
  output.content = truncated.content;
  output.finishReason = truncated.finishReason;
  if (truncated.content.length < content.length) {
    output.citations = output.citations.filter(
      (c) => (c.endIndex ?? 0) <= Array.from(truncated.content).length,
    );
  }
  return output;
}

function usageOf(
  ctx: EmulatorContext,
  model: CatalogModel,
  conversation: Conversation,
  outputs: readonly PlannedOutput[],
  steps: readonly ServerToolStep[],
  sourceCount: number,
  history: readonly Message[],
  longStream: number | undefined,
): UsageInit {
  let promptText = ctx.countTokens(conversation.promptText);
  for (const step of steps) promptText += ctx.countTokens(step.output);
  const promptImage = conversation.imageCount * IMAGE_PROMPT_TOKENS;
  const cached =
    history.length > 0 ? Math.min(promptText, ctx.countTokens(readConversation(history).promptText)) : 0;
  let completion = longStream ?? 0;
  let reasoning = 0;
  for (const output of outputs) {
    if (output.role !== MessageRole.ROLE_ASSISTANT) continue;
    completion += ctx.countTokens(output.content);
    reasoning += ctx.countTokens(output.reasoning);
    for (const call of output.toolCalls) {
      if (call.tool?.case === "function") {
        completion += ctx.countTokens(`${call.tool.value.name ?? ""}${call.tool.value.arguments ?? ""}`);
      }
    }
  }
  const prompt = promptText + promptImage;
  const tools: ServerSideTool[] = steps.map((s) => s.usage);
  const ticks =
    BigInt(promptText - cached) * BigInt(model.promptTextTokenPrice) +
    BigInt(cached) * BigInt(model.cachedPromptTokenPrice) +
    BigInt(promptImage) * BigInt(model.promptImageTokenPrice) +
    BigInt(completion + reasoning) * BigInt(model.completionTextTokenPrice) +
    BigInt(sourceCount) * BigInt(model.searchPrice) +
    BigInt(steps.length) * SERVER_TOOL_CALL_TICKS;
  return {
    promptTokens: prompt,
    promptTextTokens: promptText,
    promptImageTokens: promptImage,
    cachedPromptTextTokens: cached,
    completionTokens: completion,
    reasoningTokens: reasoning,
    totalTokens: prompt + completion + reasoning,
    numSourcesUsed: sourceCount,
    serverSideToolsUsed: tools,
    costInUsdTicks: ticks,
  };
}

function settingsOf(request: GetCompletionsRequest, options: ChatOptions): SettingsInit {
  return {
    maxTokens: request.maxTokens,
    parallelToolCalls: options.parallelToolCalls,
    previousResponseId: request.previousResponseId,
    reasoningEffort: request.reasoningEffort,
    temperature: request.temperature,
    responseFormat: request.responseFormat,
    toolChoice: request.toolChoice,
    tools: request.tools,
    topP: request.topP,
    user: request.user,
    searchParameters: request.searchParameters,
    storeMessages: request.storeMessages,
    useEncryptedContent: request.useEncryptedContent,
    include: request.include,
  };
}

function replyMessages(outputs: readonly PlannedOutput[], lanes: number): Message[] {
  // With n > 1 the lanes are alternative answers: continue from choice 0 (the first of the final outputs).
  const firstFinal = outputs.length - lanes;
  const chosen = outputs.filter((o, i) => o.role === MessageRole.ROLE_ASSISTANT && i <= firstFinal);
  return chosen.map((o) =>
    create(MessageSchema, {
      role: MessageRole.ROLE_ASSISTANT,
      content: [{ content: { case: "text", value: o.content } }],
      reasoningContent: o.reasoning || undefined,
      encryptedContent: o.encrypted,
      toolCalls: o.toolCalls,
    }),
  );
}
