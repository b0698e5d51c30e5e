// Wrappers of chat completions: ChatResponse (a whole completion, possibly accumulated from a stream), ChatChunk (one
// streamed piece), CompactionResult, and the readable views of tool calls, citations and tool outputs.

import { create } from "@bufbuild/protobuf";
import { costUsdOf } from "../core/cost.js";
import { optionalDate } from "../core/dates.js";
import { lazy } from "../core/lazy.js";
import { ProtoWrapper } from "../core/wrapper.js";
import {
  type CompactContextResponse,
  CompactContextResponseSchema,
  CompletionMessageSchema,
  type CompletionOutput,
  type CompletionOutputChunk,
  CompletionOutputSchema,
  ContentSchema,
  type GetChatCompletionChunk,
  GetChatCompletionChunkSchema,
  type GetChatCompletionResponse,
  GetChatCompletionResponseSchema,
  type InlineCitation as InlineCitationProto,
  type LogProb,
  type Message,
  MessageRole,
  MessageSchema,
  type OutputFile,
  type ToolCall,
  ToolCallStatus,
  ToolCallType,
} from "../gen/xai/api/v1/chat_pb.js";
import { InternalError, XaiInputError } from "../transport/errors.js";
import { Status } from "../transport/status.js";
import {
  countServerSideTools,
  type FinishReasonName,
  finishReasonName,
  type Role,
  roleName,
  type ServerSideToolName,
  type ServiceTierName,
  serviceTierName,
  type ToolCallStatusName,
  type ToolCallTypeName,
  toolCallStatusName,
  toolCallTypeName,
  type Usage,
  usageOf,
} from "./types.js";

/** @internal */
export const READ_ALL_OUTPUTS: unique symbol = Symbol("readAllOutputs");
/** @internal Marks a response as being accumulated from a stream (`true`) or settled (`false`). */
export const STREAMING: unique symbol = Symbol("streaming");

/**
 * A tool call made by the model: one of your functions (`type === "client_side_tool"`) to run, or a server-side
 * tool xAI already ran. `arguments` is the parsed JSON (undefined when the model wrote invalid JSON, see
 * `argumentsJson`).
 *
 * @example
 * ```ts
 * for (const call of response.toolCalls.filter((c) => c.type === "client_side_tool")) {
 *   chat.append(toolResult(await run(call.name, call.arguments), call.id));
 * }
 * ```
 */
export class ToolCallInfo {
  /** The underlying message. */
  readonly proto: ToolCall;
  #parsed: { value: unknown } | undefined;
  /** @internal */
  constructor(proto: ToolCall) {
    this.proto = proto;
  }
  /** The call's id; answer it with `toolResult(result, call.id)`. */
  get id(): string {
    return this.proto.id;
  }
  /** The function's name. */
  get name(): string {
    return this.proto.tool.case === "function" ? this.proto.tool.value.name : "";
  }
  /** The arguments exactly as the model wrote them (a JSON string). */
  get argumentsJson(): string {
    return this.proto.tool.case === "function" ? this.proto.tool.value.arguments : "";
  }
  /** The parsed arguments, or undefined when they are not valid JSON. */
  get arguments(): unknown {
    if (!this.#parsed) {
      let value: unknown;
      try {
        value = this.argumentsJson === "" ? {} : JSON.parse(this.argumentsJson);
      } catch {
        value = undefined;
      }
      this.#parsed = { value };
    }
    return this.#parsed.value;
  }
  /** Who runs it: `"client_side_tool"` (your code) or a server-side tool such as `"web_search_tool"`. */
  get type(): ToolCallTypeName {
    return toolCallTypeName(this.proto.type);
  }
  /** Progress of a server-side call (`"completed"`, `"failed"`, …). */
  get status(): ToolCallStatusName {
    return toolCallStatusName(this.proto.status);
  }
  /** Why a server-side call failed, if it did. */
  get errorMessage(): string | undefined {
    return this.proto.errorMessage;
  }
  toJSON(): Record<string, unknown> {
    return {
      id: this.id,
      name: this.name,
      type: this.type,
      status: this.status,
      arguments: this.argumentsJson,
    };
  }
}

/** Whether a tool call is for one of your functions (calls without a type count as yours). */
export function isClientSideCall(call: ToolCall): boolean {
  return call.type === ToolCallType.CLIENT_SIDE_TOOL || call.type === ToolCallType.INVALID;
}

/**
 * A citation placed in the answer text, pointing at a web page, an X post or a collection chunk.
 *
 * @example
 * ```ts
 * for (const c of response.inlineCitations) console.log(response.content.slice(c.startIndex, c.endIndex), "→", c.url);
 * ```
 */
export interface InlineCitation {
  /** Citation id as it appears in the text. */
  id: string;
  /** Character range of the cited text in the content. */
  startIndex: number;
  endIndex: number;
  /** What is cited. */
  kind: "web" | "x" | "collections" | "unknown";
  /** The page or post URL (web and X citations). */
  url?: string;
  /** The cited chunk (collections citations). */
  fileId?: string;
  chunkId?: string;
  chunkContent?: string;
  score?: number;
  collectionIds?: string[];
  /** The underlying message. */
  proto: InlineCitationProto;
}

function toInlineCitation(proto: InlineCitationProto): InlineCitation {
  const base = { id: proto.id, startIndex: proto.startIndex, endIndex: proto.endIndex, proto };
  switch (proto.citation.case) {
    case "webCitation":
      return { ...base, kind: "web", url: proto.citation.value.url };
    case "xCitation":
      return { ...base, kind: "x", url: proto.citation.value.url };
    case "collectionsCitation": {
      const c = proto.citation.value;
      return {
        ...base,
        kind: "collections",
        fileId: c.fileId,
        chunkId: c.chunkId,
        chunkContent: c.chunkContent,
        score: c.score,
        collectionIds: c.collectionIds,
      };
    }
    default:
      return { ...base, kind: "unknown" };
  }
}

/**
 * The output of a server-side tool in an agentic response (role `tool`).
 *
 * @example
 * ```ts
 * for (const output of response.toolOutputs) console.log(output.toolCalls[0]?.type, output.content);
 * ```
 */
export interface ToolOutput {
  /** Position of the output in the response. */
  index: number;
  /** What the tool returned (often JSON). */
  content: string;
  /** The call(s) this output answers. */
  toolCalls: ToolCallInfo[];
  /** The underlying message. */
  proto: CompletionOutput;
}

/**
 * An image made by the server-side image generation tool.
 *
 * @example
 * ```ts
 * for (const [i, picture] of response.imageOutputs.entries()) await writeFile(`image-${i}.png`, picture.bytes);
 * ```
 */
export class ImageGenerationOutput {
  /** The `data:image/...;base64,...` URL of the image. */
  readonly dataUrl: string;
  /** e.g. `image/jpeg`. */
  readonly mimeType: string;
  /** The server's id of the image, or "" when absent. */
  readonly imageUuid: string;
  /** The call that produced it. */
  readonly toolCall: ToolCallInfo;
  /** The tool output message. */
  readonly proto: CompletionOutput;
  /** @internal */
  constructor(proto: CompletionOutput, toolCall: ToolCallInfo) {
    const content = proto.message?.content ?? "";
    let envelope: { __type?: unknown; result?: unknown; image_uuid?: unknown } | undefined;
    try {
      envelope = JSON.parse(content) as typeof envelope;
    } catch {
      envelope = undefined;
    }
    const result = envelope?.result;
    const match = typeof result === "string" ? /^data:(image\/[\w.+-]+);base64,/.exec(result) : null;
    if (envelope?.__type !== "image_generation_result" || !match) {
      throw new InternalError({
        code: Status.INTERNAL,
        details: `an image generation output is not a well-formed result envelope: ${JSON.stringify(content.slice(0, 64))}`,
      });
    }
    this.dataUrl = result as string;
    this.mimeType = match[1];
    this.imageUuid = typeof envelope.image_uuid === "string" ? envelope.image_uuid : "";
    this.toolCall = toolCall;
    this.proto = proto;
  }
  /** The decoded image bytes. */
  get bytes(): Buffer {
    return Buffer.from(this.dataUrl.slice(this.dataUrl.indexOf("base64,") + 7), "base64");
  }
  toJSON(): Record<string, unknown> {
    return { mimeType: this.mimeType, imageUuid: this.imageUuid, bytes: this.bytes.length };
  }
}

function isAssistantLike(role: MessageRole): boolean {
  // An output whose role has not arrived (yet) counts as the assistant's.
  return role === MessageRole.ROLE_ASSISTANT || role === MessageRole.INVALID_ROLE;
}

const EMPTY_OUTPUT = lazy(() => create(CompletionOutputSchema, { message: create(CompletionMessageSchema) }));

/**
 * A chat completion. With an `index` it is one answer of a (possibly multi-answer, `n > 1`) completion; without
 * one it covers every output of an agentic completion (assistant turns and server-side tool outputs), and its
 * content is the last assistant output's. While streaming, the same ChatResponse accumulates every chunk.
 *
 * @example
 * ```ts
 * const response = await chat.sample();
 * console.log(response.content, response.finishReason, response.usage.totalTokens, response.costUsd);
 * chat.append(response); // continue the conversation
 * ```
 */
export class ChatResponse extends ProtoWrapper<typeof GetChatCompletionResponseSchema> {
  /** `output` is the raw message the text getters read; `serverSideToolUsage` is also in `usage`. */
  protected static override readonly hiddenFields: readonly string[] = ["output", "serverSideToolUsage"];
  #index: number | undefined;
  /** Whether a stream is still adding to this response (then a missing finish reason means "not yet"). */
  #streaming = false;

  /**
   * Wraps a completion message, e.g. a batch result's. `index` picks one answer of an `n > 1` completion; omit it
   * for agentic (multi-output) completions.
   */
  constructor(proto: GetChatCompletionResponse, index?: number) {
    super(GetChatCompletionResponseSchema, proto);
    this.#index = index;
  }

  /** Which output this response reads (`n > 1` completions), or undefined for all of them (agentic completions). */
  get index(): number | undefined {
    return this.#index;
  }

  /** @internal Switches a streamed response to all outputs once the stream shows several (agentic). */
  [READ_ALL_OUTPUTS](): void {
    this.#index = undefined;
  }

  /** @internal Marks the response as streaming (its stream started) or settled (its stream ended). */
  [STREAMING](streaming: boolean): void {
    this.#streaming = streaming;
  }

  /**
   * Wraps a completion message, choosing the index as `sample()` does: 0, unless the outputs carry several indices
   * (an agentic completion), then all of them.
   *
   * @example
   * ```ts
   * const response = ChatResponse.fromProto(batchResult.proto.response.value.completionResponse);
   * ```
   */
  static fromProto(proto: GetChatCompletionResponse, index?: number): ChatResponse {
    if (index !== undefined) return new ChatResponse(proto, index);
    return new ChatResponse(proto, proto.outputs.some((o) => o.index > 0) ? undefined : 0);
  }

  private matches(output: { index: number }): boolean {
    return this.index === undefined || output.index === this.index;
  }

  /** The output the text accessors read: the last assistant output (of this index). */
  get output(): CompletionOutput {
    const outputs = this.proto.outputs;
    for (let i = outputs.length - 1; i >= 0; i--) {
      const o = outputs[i];
      if (this.matches(o) && isAssistantLike(o.message?.role ?? MessageRole.INVALID_ROLE)) return o;
    }
    return EMPTY_OUTPUT();
  }

  /** The completion's id (use it as `previousResponseId`, or with `getStoredCompletion`). */
  get id(): string {
    return this.proto.id;
  }
  /** The model that answered (the full name, even when an alias was requested). */
  get model(): string {
    return this.proto.model;
  }
  /** When the completion was created. */
  get created(): Date | undefined {
    return optionalDate(this.proto.created);
  }
  /** The answer's text. */
  get content(): string {
    return this.output.message?.content ?? "";
  }
  /** The model's visible reasoning (reasoning models), if returned. */
  get reasoningContent(): string {
    return this.output.message?.reasoningContent ?? "";
  }
  /** The encrypted reasoning (with `useEncryptedContent: true`); appending the response sends it back. */
  get encryptedContent(): string {
    return this.output.message?.encryptedContent ?? "";
  }
  /** The author of the answer, `"assistant"`; undefined before any output arrived. */
  get role(): Role | undefined {
    const role = this.output.message?.role ?? MessageRole.INVALID_ROLE;
    return roleName(role) ?? (this.output === EMPTY_OUTPUT() ? undefined : "assistant");
  }
  /**
   * Why the model stopped: `"stop"`, `"length"`, `"max_context"`, `"tool_calls"`, `"time_limit"`; undefined
   * while still streaming; `"incomplete"` when the answer ended without a finish reason (the completion has no
   * output, or its stream ended with status OK before the last piece: the server or the connection cut it short;
   * then {@link complete} is false).
   *
   * @example
   * ```ts
   * const response = await chat.stream().done();
   * if (response.finishReason === "incomplete") console.warn("the answer was cut short: retry");
   * ```
   */
  get finishReason(): FinishReasonName | "incomplete" | undefined {
    const reason = finishReasonName(this.output.finishReason);
    return reason !== undefined || this.#streaming ? reason : "incomplete";
  }
  /**
   * Whether the answer is whole: it has a finish reason. False while streaming, and for an answer cut short
   * (`finishReason === "incomplete"`), which `parse()` and `streamParse().parsed()` reject with an
   * `IncompleteResponseError` instead of validating a fragment.
   *
   * @example
   * ```ts
   * const response = await chat.sample();
   * if (!response.complete) throw new Error(`cut short after ${response.content.length} characters`);
   * ```
   */
  get complete(): boolean {
    return finishReasonName(this.output.finishReason) !== undefined;
  }
  /** Log probabilities of the answer's tokens (with `logprobs: true`). */
  get logprobs(): LogProb[] {
    return this.output.logprobs?.content ?? [];
  }
  /**
   * The tool calls of the answer (with an index) or of every assistant turn (agentic completions), in order,
   * including server-side calls; filter on `type === "client_side_tool"` for yours.
   */
  get toolCalls(): ToolCallInfo[] {
    const calls: ToolCallInfo[] = [];
    for (const o of this.proto.outputs) {
      if (!this.matches(o) || !isAssistantLike(o.message?.role ?? MessageRole.INVALID_ROLE)) continue;
      for (const call of o.message?.toolCalls ?? []) calls.push(new ToolCallInfo(call));
    }
    return calls;
  }
  /** URLs of the sources used by live search or search tools (deduplicated, in order). */
  get citations(): string[] {
    return this.proto.citations;
  }
  /** Citations placed in the text (with `include: ["inline_citations"]`). */
  get inlineCitations(): InlineCitation[] {
    const out: InlineCitation[] = [];
    for (const o of this.proto.outputs) {
      if (!this.matches(o) || !isAssistantLike(o.message?.role ?? MessageRole.INVALID_ROLE)) continue;
      for (const c of o.message?.citations ?? []) out.push(toInlineCitation(c));
    }
    return out;
  }
  /** Outputs of server-side tools (agentic completions, with `include` of the tool's output). */
  get toolOutputs(): ToolOutput[] {
    return this.proto.outputs
      .filter((o) => this.matches(o) && o.message?.role === MessageRole.ROLE_TOOL)
      .map((o) => ({
        index: o.index,
        content: o.message?.content ?? "",
        toolCalls: (o.message?.toolCalls ?? []).map((c) => new ToolCallInfo(c)),
        proto: o,
      }));
  }
  /** Images made by the server-side image generation tool (failed generations are left out). */
  get imageOutputs(): ImageGenerationOutput[] {
    const images: ImageGenerationOutput[] = [];
    for (const output of this.toolOutputs) {
      const call = output.toolCalls.find(
        (c) =>
          c.proto.type === ToolCallType.IMAGE_GENERATION_TOOL && c.proto.status === ToolCallStatus.COMPLETED,
      );
      if (call) images.push(new ImageGenerationOutput(output.proto, call));
    }
    return images;
  }
  /** Files produced by server-side code execution (with `include: ["code_execution_files_output"]`). */
  get outputFiles(): OutputFile[] {
    return this.proto.outputFiles;
  }
  /**
   * Token counts (prompt, completion, reasoning, cached, …), sources, server-side tool uses and the cost in USD,
   * as plain numbers; zeros until the server reports them (a stream's last chunk). The message is `proto.usage`.
   */
  get usage(): Usage {
    return usageOf(this.proto.usage);
  }
  /** The cost of the call in USD (`usage.costInUsdTicks` × 10⁻¹⁰), undefined if the server did not report it. */
  get costUsd(): number | undefined {
    return costUsdOf(this.proto.usage);
  }
  /** Server-side tool uses by tool, e.g. `{ web_search: 2 }`. */
  get serverSideToolUsage(): Partial<Record<ServerSideToolName, number>> {
    return countServerSideTools(this.proto.usage?.serverSideToolsUsed ?? []);
  }
  /** Identifies the backend configuration that answered. */
  get systemFingerprint(): string {
    return this.proto.systemFingerprint;
  }
  /** The tier that processed the request (`"default"` unless priority was granted). */
  get serviceTier(): ServiceTierName {
    return serviceTierName(this.proto.serviceTier);
  }

  /**
   * The messages that continue the conversation from this response (what `chat.append(response)` adds): the
   * answer with its reasoning, encrypted content and tool calls or, for an agentic completion, every output in
   * order, tool outputs answering their call ids. Differences from the Python SDK: with an index, only that
   * answer's tool calls are replayed (Python copies those of every assistant output); reasoning is sent only
   * when there is some (Python always sends the field, even empty); a response without an answer is an error
   * rather than a message with no role.
   *
   * @example
   * ```ts
   * const next = client.chat.create({ model: "grok-4", messages: [...history, ...response.toMessages(), user("And then?")] });
   * ```
   */
  toMessages(): Message[] {
    if (this.index !== undefined) {
      const output = this.output;
      if (output === EMPTY_OUTPUT()) {
        throw new XaiInputError(`this response has no answer (output ${this.index}) to append`);
      }
      return [replay(output)];
    }
    if (this.proto.outputs.length === 0) throw new XaiInputError("this response has no outputs to append");
    return this.proto.outputs.map(replay);
  }
}

/** The message that replays one output: text, non-empty reasoning, encrypted content, tool calls and call id. */
function replay(output: CompletionOutput): Message {
  const m = output.message ?? create(CompletionMessageSchema);
  const role = m.role === MessageRole.INVALID_ROLE ? MessageRole.ROLE_ASSISTANT : m.role;
  return create(MessageSchema, {
    role,
    content: [create(ContentSchema, { content: { case: "text", value: m.content } })],
    reasoningContent: m.reasoningContent === "" ? undefined : m.reasoningContent,
    encryptedContent: m.encryptedContent,
    toolCalls: [...m.toolCalls],
    toolCallId: role === MessageRole.ROLE_TOOL && m.toolCalls.length > 0 ? m.toolCalls[0].id : undefined,
  });
}

function pieceIsAssistantLike(piece: CompletionOutputChunk): boolean {
  return isAssistantLike(piece.delta?.role ?? MessageRole.INVALID_ROLE);
}

/**
 * One streamed piece of a completion: the text, reasoning and tool calls that just arrived (for this index, or
 * for every output of an agentic stream).
 *
 * @example
 * ```ts
 * for await (const [response, chunk] of chat.stream()) process.stdout.write(chunk.content);
 * ```
 */
export class ChatChunk extends ProtoWrapper<typeof GetChatCompletionChunkSchema> {
  /** `serverSideToolUsage` is also in `usage`. */
  protected static override readonly hiddenFields: readonly string[] = ["serverSideToolUsage"];
  /** Which output this chunk reads, or undefined for all. */
  readonly index: number | undefined;

  /** Wraps a chunk message; `index` picks one output of an `n > 1` stream. */
  constructor(proto: GetChatCompletionChunk, index?: number) {
    super(GetChatCompletionChunkSchema, proto);
    this.index = index;
  }

  private pieces(): CompletionOutputChunk[] {
    return this.proto.outputs.filter(
      (o) => (this.index === undefined || o.index === this.index) && pieceIsAssistantLike(o),
    );
  }

  private join(field: "content" | "reasoningContent" | "encryptedContent"): string {
    const outputs = this.proto.outputs;
    if (outputs.length === 1) {
      const only = outputs[0];
      if ((this.index === undefined || only.index === this.index) && pieceIsAssistantLike(only)) {
        return only.delta?.[field] ?? "";
      }
      return "";
    }
    let out = "";
    for (const piece of this.pieces()) out += piece.delta?.[field] ?? "";
    return out;
  }

  /** The completion's id. */
  get id(): string {
    return this.proto.id;
  }
  /** When the completion was created. */
  get created(): Date | undefined {
    return optionalDate(this.proto.created);
  }
  /** Text that just arrived. */
  get content(): string {
    return this.join("content");
  }
  /** Reasoning that just arrived. */
  get reasoningContent(): string {
    return this.join("reasoningContent");
  }
  /** Encrypted reasoning that just arrived. */
  get encryptedContent(): string {
    return this.join("encryptedContent");
  }
  /** The role announced by this chunk, if any. */
  get role(): Role | undefined {
    for (const piece of this.pieces()) {
      const role = roleName(piece.delta?.role ?? MessageRole.INVALID_ROLE);
      if (role) return role;
    }
    return undefined;
  }
  /** Set on the chunk that ends the output. */
  get finishReason(): FinishReasonName | undefined {
    for (const piece of this.pieces()) {
      const reason = finishReasonName(piece.finishReason);
      if (reason) return reason;
    }
    return undefined;
  }
  /** Tool calls that just arrived (they arrive whole). */
  get toolCalls(): ToolCallInfo[] {
    return this.pieces().flatMap((p) => (p.delta?.toolCalls ?? []).map((c) => new ToolCallInfo(c)));
  }
  /** Source URLs (usually on the last chunk). */
  get citations(): string[] {
    return this.proto.citations;
  }
  /** Inline citations that just arrived. */
  get inlineCitations(): InlineCitation[] {
    return this.pieces().flatMap((p) => (p.delta?.citations ?? []).map(toInlineCitation));
  }
  /** Server-side tool outputs that just arrived. */
  get toolOutputs(): CompletionOutputChunk[] {
    return this.proto.outputs.filter(
      (o) => (this.index === undefined || o.index === this.index) && o.delta?.role === MessageRole.ROLE_TOOL,
    );
  }
  /** Log probabilities of the tokens that just arrived. */
  get logprobs(): LogProb[] {
    return this.pieces().flatMap((p) => p.logprobs?.content ?? []);
  }
  /** Usage totals as plain numbers, when this chunk carries them (usually the last); undefined otherwise. */
  get usage(): Usage | undefined {
    return this.proto.usage && usageOf(this.proto.usage);
  }
  /** Server-side tool uses so far, by tool. */
  get serverSideToolUsage(): Partial<Record<ServerSideToolName, number>> {
    return countServerSideTools(this.proto.usage?.serverSideToolsUsed ?? []);
  }
}

/**
 * The result of compacting a conversation: an encrypted summary that stands for the dropped messages. Append it
 * to a chat (`chat.compact()` does) to continue with the shorter context.
 *
 * @example
 * ```ts
 * const compacted = await client.chat.compactContext({ model: "grok-4", messages: chat.messages });
 * console.log(compacted.droppedMessageCount, compacted.usage.promptTokens);
 * ```
 */
export class CompactionResult extends ProtoWrapper<typeof CompactContextResponseSchema> {
  /** @internal */
  constructor(proto: CompactContextResponse) {
    super(CompactContextResponseSchema, proto);
  }
  /** The compaction's id. */
  get id(): string {
    return this.proto.id;
  }
  /** The encrypted summary. */
  get encryptedContent(): string {
    return this.proto.encryptedContent;
  }
  /** How many leading messages the summary replaces. */
  get droppedMessageCount(): number {
    return this.proto.droppedMessageCount;
  }
  /** Tokens used by the compaction, and its cost, as plain numbers (zeros when not reported). */
  get usage(): Usage {
    return usageOf(this.proto.usage);
  }
  /** The cost in USD, if reported. */
  get costUsd(): number | undefined {
    return costUsdOf(this.proto.usage);
  }
}
