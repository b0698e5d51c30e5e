// The AI SDK's language model (specification v3) over our chat client: the call options become a chat
// (`client.chat.create`), `doGenerate` samples it and `doStream` streams it, and the response becomes the AI SDK's
// content, usage, finish reason and provider metadata.
import type {
  JSONObject,
  JSONValue,
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3FinishReason,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
  SharedV3ProviderMetadata,
  SharedV3Warning,
} from "@ai-sdk/provider";
import type {
  AgentCountValue,
  CallOptions,
  Chat,
  ChatChunk,
  ChatCreateOptions,
  ChatResponse,
  ChatStream,
  Client,
  FinishReasonName,
  IncludeOptionName,
  InlineCitation,
  ReasoningEffortName,
  SearchModeName,
  ServiceTierName,
  ToolCallInfo,
  Usage,
} from "../index.js";
import { toAiSdkError } from "./errors.js";
import { checkedOwnOptions, metadataOf, PROVIDER_KEY } from "./options.js";
import { toMessages } from "./prompt.js";
import { type PreparedTools, prepareTools, serverToolName } from "./tools.js";

/**
 * Options of a call for xAI, under `providerOptions.xaiGrpc`: the chat options the AI SDK has no setting for,
 * and the call's `timeout` (ms, instead of the client's) and `idleTimeout` (ms between two streamed chunks).
 *
 * @example
 * ```ts
 * await generateText({
 *   model: xaiGrpc("grok-4"),
 *   prompt: "Think hard: is 1009 prime?",
 *   providerOptions: { xaiGrpc: { reasoningEffort: "high", useEncryptedContent: true } satisfies XaiGrpcChatOptions },
 * });
 * ```
 */
export type XaiGrpcChatOptions = {
  /** How hard a reasoning model thinks. */
  reasoningEffort?: ReasoningEffortName;
  /** Return the reasoning encrypted (in the reasoning part's provider metadata), so later steps send it back. */
  useEncryptedContent?: boolean;
  /** Whether the model may call several tools in one turn. */
  parallelToolCalls?: boolean;
  /** An id of your end user. */
  user?: string;
  /** Live search settings (those that are JSON: dates as ISO 8601 strings). */
  searchParameters?: {
    mode?: SearchModeName;
    fromDate?: string;
    toDate?: string;
    returnCitations?: boolean;
    maxSearchResults?: number;
  };
  /** Store the conversation on xAI's side (continue it with `previousResponseId`). */
  storeMessages?: boolean;
  /** Continue from a stored response (its id is `providerMetadata.xaiGrpc.responseId`). */
  previousResponseId?: string;
  /** Maximum number of server-side tool turns. */
  maxTurns?: number;
  /** Extra outputs (server-side tool outputs are asked for already when such tools are given). */
  include?: IncludeOptionName[];
  /** Agents of a multi-agent model. */
  agentCount?: AgentCountValue;
  /** `"default"` or `"priority"` processing. */
  serviceTier?: ServiceTierName;
  /** Deadline of the call in milliseconds. */
  timeout?: number;
  /** Streaming: the longest wait for the next chunk, in milliseconds. */
  idleTimeout?: number;
};

const CHAT_OPTION_KEYS = [
  "reasoningEffort",
  "useEncryptedContent",
  "parallelToolCalls",
  "user",
  "searchParameters",
  "storeMessages",
  "previousResponseId",
  "maxTurns",
  "agentCount",
  "serviceTier",
] as const;
const OPTION_KEYS: readonly string[] = [...CHAT_OPTION_KEYS, "include", "timeout", "idleTimeout"];

/** A chat ready to send, the call options, and what the result needs to be read. */
interface Prepared {
  chat: Chat;
  call: CallOptions;
  tools: PreparedTools;
  warnings: SharedV3Warning[];
}

function finishReasonOf(reason: FinishReasonName | "incomplete" | undefined): LanguageModelV3FinishReason {
  switch (reason) {
    case "stop":
      return { unified: "stop", raw: reason };
    case "length":
    case "max_context":
      return { unified: "length", raw: reason };
    case "tool_calls":
      return { unified: "tool-calls", raw: reason };
    default:
      return { unified: "other", raw: reason };
  }
}

function usageOf(usage: Usage): LanguageModelV3Usage {
  return {
    inputTokens: {
      total: usage.promptTokens,
      noCache: usage.promptTokens - usage.cachedPromptTokens,
      cacheRead: usage.cachedPromptTokens,
      cacheWrite: undefined,
    },
    outputTokens: {
      total: usage.completionTokens + usage.reasoningTokens,
      text: usage.completionTokens,
      reasoning: usage.reasoningTokens,
    },
    raw: { ...usage } as JSONObject,
  };
}

function providerMetadataOf(response: ChatResponse): SharedV3ProviderMetadata {
  const usage = response.usage;
  const metadata: JSONObject = {
    responseId: response.id,
    model: response.model,
    systemFingerprint: response.systemFingerprint,
    serviceTier: response.serviceTier,
    numSourcesUsed: usage.numSourcesUsed,
    serverSideToolUsage: usage.serverSideToolUsage as JSONObject,
  };
  if (response.costUsd !== undefined) metadata.costUsd = response.costUsd;
  return { [PROVIDER_KEY]: metadata };
}

function reasoningMetadata(encrypted: string): { providerMetadata?: SharedV3ProviderMetadata } {
  return encrypted === "" ? {} : { providerMetadata: { [PROVIDER_KEY]: { encryptedContent: encrypted } } };
}

/** A server-side tool's output as a JSON value (its text when it is not JSON). */
function toolResultValue(output: string): NonNullable<JSONValue> {
  try {
    const value: unknown = JSON.parse(output);
    if (value !== null) return value as NonNullable<JSONValue>;
  } catch {
    // Not JSON: the text itself.
  }
  return output;
}

/** The tool-call part of a call, and its tool-result part when the output (or a failure) is known. */
function callParts(
  call: ToolCallInfo,
  output: string | undefined,
  tools: PreparedTools,
): LanguageModelV3Content[] {
  const input = call.argumentsJson === "" ? "{}" : call.argumentsJson;
  if (call.type === "client_side_tool") {
    return [{ type: "tool-call", toolCallId: call.id, toolName: call.name, input }];
  }
  const registered = serverToolName(tools, call.type);
  const toolName = registered ?? call.name;
  const dynamic = registered === undefined ? { dynamic: true } : {};
  const parts: LanguageModelV3Content[] = [
    { type: "tool-call", toolCallId: call.id, toolName, input, providerExecuted: true, ...dynamic },
  ];
  if (call.status === "failed") {
    parts.push({
      type: "tool-result",
      toolCallId: call.id,
      toolName,
      result: call.errorMessage || "the tool call failed",
      isError: true,
      ...dynamic,
    });
  } else if (output !== undefined) {
    parts.push({
      type: "tool-result",
      toolCallId: call.id,
      toolName,
      result: toolResultValue(output),
      ...dynamic,
    });
  }
  return parts;
}

/** Source parts for the cited URLs and collection chunks not listed yet in `seen`. */
function sourceParts(
  responseId: string,
  urls: readonly string[],
  inline: readonly InlineCitation[],
  seen: Set<string>,
): LanguageModelV3Content[] {
  const parts: LanguageModelV3Content[] = [];
  const id = () => `${responseId}:source-${seen.size}`;
  for (const url of [...urls, ...inline.flatMap((c) => (c.url ? [c.url] : []))]) {
    if (seen.has(url)) continue;
    parts.push({ type: "source", sourceType: "url", id: id(), url });
    seen.add(url);
  }
  for (const c of inline) {
    if (c.kind !== "collections" || c.chunkId === undefined || seen.has(c.chunkId)) continue;
    parts.push({
      type: "source",
      sourceType: "document",
      id: id(),
      mediaType: "text/plain",
      title: c.chunkContent ?? c.chunkId,
      ...(c.fileId !== undefined && { filename: c.fileId }),
      providerMetadata: {
        [PROVIDER_KEY]: { fileId: c.fileId ?? null, chunkId: c.chunkId, score: c.score ?? null },
      },
    });
    seen.add(c.chunkId);
  }
  return parts;
}

/** File parts for the images the image generation tool made. */
function imageParts(response: ChatResponse): LanguageModelV3Content[] {
  return response.imageOutputs.map((picture) => ({
    type: "file",
    mediaType: picture.mimeType,
    data: picture.dataUrl.slice(picture.dataUrl.indexOf("base64,") + 7),
  }));
}

/** The content of a whole response, in the order the AI SDK shows it. */
function contentOf(response: ChatResponse, tools: PreparedTools): LanguageModelV3Content[] {
  const content: LanguageModelV3Content[] = [];
  const reasoning = response.reasoningContent;
  const encrypted = response.encryptedContent;
  if (reasoning !== "" || encrypted !== "") {
    content.push({ type: "reasoning", text: reasoning, ...reasoningMetadata(encrypted) });
  }
  const outputs = new Map<string, string>();
  for (const output of response.toolOutputs) {
    const id = output.toolCalls[0]?.id;
    if (id !== undefined) outputs.set(id, output.content);
  }
  const calls = [...new Map(response.toolCalls.map((c) => [c.id, c])).values()];
  for (const call of calls) {
    if (call.type !== "client_side_tool") content.push(...callParts(call, outputs.get(call.id), tools));
  }
  if (response.content !== "") content.push({ type: "text", text: response.content });
  for (const call of calls) {
    if (call.type === "client_side_tool") content.push(...callParts(call, undefined, tools));
  }
  content.push(...imageParts(response));
  content.push(...sourceParts(response.id, response.citations, response.inlineCitations, new Set()));
  return content;
}

/**
 * Turns the chunks of a chat stream into the AI SDK's stream parts: text and reasoning blocks opened and
 * closed around their deltas, tool calls (which arrive whole) as one input delta and a call, server-side tool
 * results once their output is complete, sources as they are cited, and the finish part.
 */
class StreamParts {
  #blocks = 0;
  #text: string | undefined;
  #reasoning: string | undefined;
  /** How much of the encrypted reasoning a reasoning part already carries. */
  #encryptedSent = "";
  #metadataSent = false;
  readonly #calls = new Map<string, ToolCallInfo>();
  readonly #outputs = new Map<number, { callId: string | undefined; content: string }>();
  readonly #sources = new Set<string>();
  readonly #out: LanguageModelV3StreamPart[] = [];

  constructor(
    private readonly tools: PreparedTools,
    private readonly raw: boolean,
  ) {}

  #take(): LanguageModelV3StreamPart[] {
    return this.#out.splice(0);
  }

  #endText(): void {
    if (this.#text === undefined) return;
    this.#out.push({ type: "text-end", id: this.#text });
    this.#text = undefined;
  }

  #endReasoning(response: ChatResponse): void {
    if (this.#reasoning === undefined) return;
    const encrypted = response.encryptedContent;
    this.#out.push({ type: "reasoning-end", id: this.#reasoning, ...reasoningMetadata(encrypted) });
    this.#encryptedSent = encrypted;
    this.#reasoning = undefined;
  }

  /** Emits the results of the server-side tool outputs received so far. */
  #flushOutputs(): void {
    for (const output of this.#outputs.values()) {
      const call = output.callId === undefined ? undefined : this.#calls.get(output.callId);
      if (!call) continue;
      for (const part of callParts(call, output.content, this.tools)) {
        if (part.type === "tool-result") this.#out.push(part);
      }
    }
    this.#outputs.clear();
  }

  chunk(response: ChatResponse, chunk: ChatChunk): LanguageModelV3StreamPart[] {
    if (this.raw) this.#out.push({ type: "raw", rawValue: chunk.toJSON() });
    if (!this.#metadataSent) {
      this.#out.push({
        type: "response-metadata",
        ...(chunk.id !== "" && { id: chunk.id }),
        ...(response.model !== "" && { modelId: response.model }),
        ...(chunk.created !== undefined && { timestamp: chunk.created }),
      });
      this.#metadataSent = true;
    }
    const reasoning = chunk.reasoningContent;
    if (reasoning !== "") {
      this.#flushOutputs();
      this.#endText();
      if (this.#reasoning === undefined) {
        this.#reasoning = `reasoning-${this.#blocks++}`;
        this.#out.push({ type: "reasoning-start", id: this.#reasoning });
      }
      this.#out.push({ type: "reasoning-delta", id: this.#reasoning, delta: reasoning });
    }
    const text = chunk.content;
    if (text !== "") {
      this.#flushOutputs();
      this.#endReasoning(response);
      if (this.#text === undefined) {
        this.#text = `text-${this.#blocks++}`;
        this.#out.push({ type: "text-start", id: this.#text });
      }
      this.#out.push({ type: "text-delta", id: this.#text, delta: text });
    }
    for (const call of chunk.toolCalls) {
      const known = this.#calls.has(call.id);
      this.#calls.set(call.id, call);
      if (known) continue;
      this.#flushOutputs();
      this.#endReasoning(response);
      this.#endText();
      const [callPart] = callParts(call, undefined, this.tools);
      if (callPart.type !== "tool-call") continue;
      const executed = callPart.providerExecuted ? { providerExecuted: true } : {};
      const dynamic = callPart.dynamic ? { dynamic: true } : {};
      this.#out.push(
        { type: "tool-input-start", id: call.id, toolName: callPart.toolName, ...executed, ...dynamic },
        { type: "tool-input-delta", id: call.id, delta: callPart.input },
        { type: "tool-input-end", id: call.id },
        callPart,
      );
    }
    for (const output of chunk.toolOutputs) {
      const pending = this.#outputs.get(output.index) ?? { callId: undefined, content: "" };
      pending.callId ??= output.delta?.toolCalls[0]?.id;
      pending.content += output.delta?.content ?? "";
      this.#outputs.set(output.index, pending);
    }
    this.#out.push(
      ...(sourceParts(
        response.id,
        chunk.citations,
        chunk.inlineCitations,
        this.#sources,
      ) as LanguageModelV3StreamPart[]),
    );
    return this.#take();
  }

  /** The parts that close the stream: open blocks, pending results, late encrypted reasoning, images, finish. */
  finish(response: ChatResponse, failed: boolean): LanguageModelV3StreamPart[] {
    this.#flushOutputs();
    this.#endReasoning(response);
    this.#endText();
    const encrypted = response.encryptedContent;
    if (encrypted !== "" && encrypted !== this.#encryptedSent) {
      const id = `reasoning-${this.#blocks++}`;
      this.#out.push(
        { type: "reasoning-start", id },
        { type: "reasoning-end", id, ...reasoningMetadata(encrypted) },
      );
    }
    if (!failed) this.#out.push(...(imageParts(response) as LanguageModelV3StreamPart[]));
    this.#out.push({
      type: "finish",
      finishReason: failed ? { unified: "error", raw: undefined } : finishReasonOf(response.finishReason),
      usage: usageOf(response.usage),
      providerMetadata: providerMetadataOf(response),
    });
    return this.#take();
  }
}

function isAbortLike(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

/**
 * An xAI chat model for the AI SDK (language model specification v3, which `ai` 6 uses and `ai` 7 accepts).
 * Made by `xaiGrpc(modelId)`.
 *
 * @example
 * ```ts
 * const model = xaiGrpc.languageModel("grok-4");
 * const { text } = await generateText({ model, prompt: "Hello!" });
 * ```
 */
export class XaiGrpcLanguageModel implements LanguageModelV3 {
  readonly specificationVersion = "v3";
  readonly provider = "xai-grpc.chat";
  readonly modelId: string;
  /** Images and files at http(s) URLs are fetched by xAI, not downloaded first. */
  readonly supportedUrls: Record<string, RegExp[]> = { "*/*": [/^https?:\/\//i] };
  // Not a #private field: ai 7 wraps v3 models in a Proxy, and calls their methods on it.
  private readonly client: () => Client;

  /** @internal Use `xaiGrpc(modelId)` or `createXaiGrpc(...)(modelId)`. */
  constructor(modelId: string, client: () => Client) {
    this.modelId = modelId;
    this.client = client;
  }

  prepare(options: LanguageModelV3CallOptions, streaming: boolean): Prepared {
    const warnings: SharedV3Warning[] = [];
    const own = checkedOwnOptions(options.providerOptions, OPTION_KEYS);
    if (options.topK !== undefined) warnings.push({ type: "unsupported", feature: "topK" });
    const tools = prepareTools(options.tools, options.toolChoice, warnings);
    const create: ChatCreateOptions = { model: this.modelId, messages: toMessages(options.prompt, warnings) };
    const settings = create as unknown as Record<string, unknown>;
    for (const key of CHAT_OPTION_KEYS) if (own[key] !== undefined) settings[key] = own[key];
    if (options.maxOutputTokens !== undefined) create.maxTokens = options.maxOutputTokens;
    if (options.temperature !== undefined) create.temperature = options.temperature;
    if (options.topP !== undefined) create.topP = options.topP;
    if (options.seed !== undefined) create.seed = options.seed;
    if (options.stopSequences !== undefined && options.stopSequences.length > 0) {
      create.stop = options.stopSequences;
    }
    if (options.frequencyPenalty !== undefined) create.frequencyPenalty = options.frequencyPenalty;
    if (options.presencePenalty !== undefined) create.presencePenalty = options.presencePenalty;
    if (options.responseFormat?.type === "json") {
      create.responseFormat = options.responseFormat.schema
        ? (options.responseFormat.schema as Record<string, unknown>)
        : "json_object";
    }
    if (tools.tools.length > 0) create.tools = tools.tools;
    if (tools.toolChoice !== undefined) create.toolChoice = tools.toolChoice;
    const include = own.include;
    if (include !== undefined || tools.include.length > 0) {
      settings.include = Array.isArray(include)
        ? [...new Set([...include, ...tools.include])]
        : (include ?? tools.include);
    }
    const call: CallOptions = {};
    if (options.abortSignal) call.signal = options.abortSignal;
    const metadata = metadataOf(options.headers, warnings);
    if (metadata) call.metadata = metadata;
    if (own.timeout !== undefined) call.timeout = own.timeout as number;
    if (own.idleTimeout !== undefined) {
      if (streaming) call.idleTimeout = own.idleTimeout as number;
      else warnings.push({ type: "other", message: "idleTimeout applies to streams only" });
    }
    const chat = this.client().chat.create(create);
    return { chat, call, tools, warnings };
  }

  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    let response: ChatResponse;
    let prepared: Prepared;
    try {
      prepared = this.prepare(options, false);
      response = await prepared.chat.sample(prepared.call);
    } catch (err) {
      throw toAiSdkError(err, options.abortSignal);
    }
    return {
      content: contentOf(response, prepared.tools),
      finishReason: finishReasonOf(response.finishReason),
      usage: usageOf(response.usage),
      providerMetadata: providerMetadataOf(response),
      response: {
        ...(response.id !== "" && { id: response.id }),
        ...(response.model !== "" && { modelId: response.model }),
        ...(response.created !== undefined && { timestamp: response.created }),
      },
      warnings: prepared.warnings,
    };
  }

  async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    const signal = options.abortSignal;
    let prepared: Prepared;
    let stream: ChatStream;
    let iterator: AsyncIterator<[ChatResponse, ChatChunk]>;
    let next: IteratorResult<[ChatResponse, ChatChunk]> | undefined;
    try {
      prepared = this.prepare(options, true);
      stream = prepared.chat.stream(prepared.call);
      iterator = stream[Symbol.asyncIterator]();
      // Wait for the first chunk: a call refused at once (key, model, rate limit) rejects doStream, which the
      // AI SDK retries when the error allows it.
      next = await iterator.next();
    } catch (err) {
      throw toAiSdkError(err, signal);
    }
    const parts = new StreamParts(prepared.tools, options.includeRawChunks === true);
    return {
      stream: new ReadableStream<LanguageModelV3StreamPart>({
        start(controller) {
          controller.enqueue({ type: "stream-start", warnings: prepared.warnings });
        },
        async pull(controller) {
          try {
            // A pull that enqueues nothing is not repeated: read on until a chunk gives parts (a chunk with
            // only usage or encrypted reasoning gives none).
            for (;;) {
              const result = next ?? (await iterator.next());
              next = undefined;
              if (result.done) {
                for (const part of parts.finish(stream.response, false)) controller.enqueue(part);
                controller.close();
                return;
              }
              const produced = parts.chunk(result.value[0], result.value[1]);
              for (const part of produced) controller.enqueue(part);
              if (produced.length > 0) return;
            }
          } catch (err) {
            const error = toAiSdkError(err, signal);
            if (isAbortLike(error)) {
              controller.error(error);
              return;
            }
            controller.enqueue({ type: "error", error });
            for (const part of parts.finish(stream.response, true)) controller.enqueue(part);
            controller.close();
          }
        },
        async cancel() {
          await iterator.return?.();
        },
      }),
    };
  }
}
