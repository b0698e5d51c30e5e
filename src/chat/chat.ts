// A conversation: its request template and messages, and every way to get a completion for it.
import { clone, create } from "@bufbuild/protobuf";
import { checkInt, describe, fail, isMessageOf } from "../core/check.js";
import type { WaitOptions } from "../core/poll.js";
import {
  Chat as ChatService,
  type CompactContextResponse,
  type GetChatCompletionResponse,
  type GetCompletionsRequest,
  GetCompletionsRequestSchema,
  type Message,
  MessageRole,
  MessageSchema,
  type Tool,
} from "../gen/xai/api/v1/chat_pb.js";
import type { Telemetry } from "../telemetry/telemetry.js";
import { XaiInputError } from "../transport/errors.js";
import type { CallOptions } from "../transport/options.js";
import type { Transport } from "../transport/transport.js";
import { emptyCompletion } from "./accumulator.js";
import { type DeferredProgress, deferredCompletion } from "./deferred.js";
import { type MessageInput, toMessage } from "./messages.js";
import { type ChatSettings, checkTools, schemaResponseFormat } from "./options.js";
import { ChatResponse, CompactionResult } from "./response.js";
import { type RunToolsOptions, runToolLoop, type ToolRunResult } from "./run-tools.js";
import { type InferSchema, resolveSchema, type SchemaLike } from "./schema.js";
import { BatchChatStream, ChatStream, ParsedChatStream, validateAnswer } from "./stream.js";

/**
 * What `append()` accepts: a message (a string, a plain `{ role, content }` object or a builder's message), a
 * response (replayed), or a compaction result (replaces the history).
 *
 * @example
 * ```ts
 * const items: AppendItem[] = [response, "Thanks! And tomorrow?", { role: "user", content: "In Celsius." }];
 * chat.append(...items);
 * ```
 */
export type AppendItem = MessageInput | ChatResponse | CompactionResult | CompactContextResponse;

/** Sends a CompactContext call (shared by `chat.compact()` and `client.chat.compactContext()`). */
export async function compactMessages(
  transport: Transport,
  model: string,
  messages: Message[],
  options: CallOptions | undefined,
): Promise<CompactionResult> {
  if (messages.length === 0) throw new XaiInputError("there are no messages to compact");
  const proto = await transport.api.unary(
    ChatService.method.compactContext,
    { model, input: messages },
    options,
  );
  return new CompactionResult(proto);
}

function checkCount(what: string, n: unknown): number {
  return checkInt(`${what} n`, n, 1, 128);
}

/**
 * A conversation with a model, made by `client.chat.create()`. It keeps the request options and the messages;
 * `sample()`, `stream()`, `parse()`, `defer()` and `runTools()` send them. Responses are not added
 * automatically: `append(response)` to continue.
 *
 * @example
 * ```ts
 * const chat = client.chat.create({ model: "grok-4", messages: [system("You are a pirate.")] });
 * chat.append(user("Hello!"));
 * const response = await chat.sample();
 * chat.append(response);
 * chat.append(user("Where is the treasure?"));
 * for await (const [, chunk] of chat.stream()) process.stdout.write(chunk.content);
 * ```
 */
export class Chat {
  readonly #transport: Transport;
  readonly #request: GetCompletionsRequest;
  /** Your id for this conversation (the `conversationId` option); never sent. */
  readonly conversationId: string | undefined;
  /** The id of this chat's request in a batch (the `batchRequestId` option). */
  readonly batchRequestId: string | undefined;

  readonly #telemetry: Telemetry | undefined;

  /** @internal Use `client.chat.create()`. */
  constructor(transport: Transport, settings: ChatSettings, telemetry?: Telemetry) {
    this.#transport = transport;
    this.#telemetry = telemetry;
    this.#request = settings.request;
    this.conversationId = settings.conversationId;
    this.batchRequestId = settings.batchRequestId;
  }

  /** The model this chat talks to. */
  get model(): string {
    return this.#request.model;
  }

  /** The conversation so far. The array is the chat's own: prefer `append()` to change it. */
  get messages(): Message[] {
    return this.#request.messages;
  }

  /** The tools given at creation. */
  get tools(): readonly Tool[] {
    return this.#request.tools;
  }

  /**
   * Adds messages, responses or a compaction result to the conversation, in order, and returns the chat. Every
   * item is checked before any is added.
   * - A message (from `user()`, `toolResult()`, …) is added as is; a string is a user message; a plain object
   *   `{ role, content }` becomes the message a builder would make (`{ role: "tool", toolCallId, content }` for a
   *   tool result; an assistant turn may carry `reasoningContent`, `encryptedContent` and `toolCalls`).
   * - A response adds the messages of `response.toMessages()`: the answer with its reasoning, encrypted content
   *   and tool calls; for an agentic completion, every output with tool outputs answering their call ids.
   * - A compaction result replaces the messages it summarizes (the first `droppedMessageCount`; all of them when the
   *   server reports 0) with one user message carrying the encrypted summary; later messages are kept. (The Python
   *   SDK documents an assistant message but sends a user one, as here, and drops every message.)
   *
   * @example
   * ```ts
   * chat.append(response, toolResult(JSON.stringify(weather), response.toolCalls[0].id));
   * chat.append("Thanks!", { role: "user", content: ["And this one?", image(url)] });
   * ```
   */
  append(...items: AppendItem[]): this {
    const additions: (Message | CompactContextResponse)[] = [];
    items.forEach((item: unknown, i) => {
      if (item instanceof ChatResponse) additions.push(...item.toMessages());
      else if (item instanceof CompactionResult) additions.push(item.proto);
      else if (isMessageOf<CompactContextResponse>(item, "xai_api.CompactContextResponse"))
        additions.push(item);
      else if (
        typeof item === "object" &&
        item !== null &&
        "$typeName" in item &&
        !isMessageOf(item, "xai_api.Message")
      ) {
        fail(
          `append() argument ${i + 1} must be a message (a string, { role, content } or user(), toolResult(), …), a ChatResponse or a CompactionResult, got ${describe(item)}`,
        );
      } else additions.push(toMessage(`append() argument ${i + 1}`, item));
    });
    const messages = this.#request.messages;
    for (const item of additions) {
      if (item.$typeName === "xai_api.Message") {
        messages.push(item);
        continue;
      }
      const dropped = item.droppedMessageCount;
      const count = dropped > 0 && dropped <= messages.length ? dropped : messages.length;
      const summary = create(MessageSchema, {
        role: MessageRole.ROLE_USER,
        encryptedContent: item.encryptedContent,
      });
      messages.splice(0, count, summary);
    }
    return this;
  }

  /**
   * The request `sample()` would send now (a copy): every create() option, the messages and `n` (1 by default,
   * as the Python SDK sends). Used by the batch API.
   *
   * @example
   * ```ts
   * const request = chat.toRequest();
   * console.log(request.messages.length, request.n);
   * ```
   */
  toRequest(n = 1): GetCompletionsRequest {
    return clone(GetCompletionsRequestSchema, this.request(checkCount("toRequest()", n)));
  }

  /** The request for one call: the template with `n` and the given overrides, sharing the messages. */
  private request(n: number, overrides?: Partial<GetCompletionsRequest>): GetCompletionsRequest {
    if (this.#request.messages.length === 0 && this.#request.previousResponseId === undefined) {
      throw new XaiInputError(
        'the chat has no messages: append one first, e.g. chat.append(user("Hello")) (or set previousResponseId)',
      );
    }
    // Object.assign, not a spread: V8 gives a spread copy of this 30-field message a slow layout, and encoding
    // it took 4 µs longer per call (npm run bench, unary).
    const request: GetCompletionsRequest = Object.assign({}, this.#request, overrides);
    request.messages = [...this.#request.messages];
    request.n = n;
    return request;
  }

  /** Responses read every output when server-side tools are present (agentic) or outputs carry several indices. */
  private indexFor(tools: readonly Tool[], proto?: GetChatCompletionResponse): number | undefined {
    if (tools.some((t) => t.tool.case !== "function")) return undefined;
    if (proto?.outputs.some((o) => o.index > 0)) return undefined;
    return 0;
  }

  private async complete(
    request: GetCompletionsRequest,
    options: CallOptions | undefined,
  ): Promise<ChatResponse> {
    const proto = await this.#transport.api.unary(ChatService.method.getCompletion, request, options);
    return new ChatResponse(proto, this.indexFor(request.tools, proto));
  }

  /**
   * Gets one answer (`n` = 1 is sent, as the Python SDK does). The response is not appended.
   *
   * @example
   * ```ts
   * const response = await chat.sample({ timeout: 60_000 });
   * console.log(response.content);
   * ```
   */
  sample(options?: CallOptions): Promise<ChatResponse> {
    try {
      return this.complete(this.request(1), options);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Gets `n` independent answers in one call; one ChatResponse per answer.
   *
   * @example
   * ```ts
   * const drafts = await chat.sampleBatch(3);
   * chat.append(drafts[1]);
   * ```
   */
  async sampleBatch(n: number, options?: CallOptions): Promise<ChatResponse[]> {
    const count = checkCount("sampleBatch()", n);
    const proto = await this.#transport.api.unary(
      ChatService.method.getCompletion,
      this.request(count),
      options,
    );
    return Array.from({ length: count }, (_, i) => new ChatResponse(proto, i));
  }

  /**
   * Streams one answer: `for await (const [response, chunk] of chat.stream())`. The RPC starts when iteration
   * starts; breaking out cancels it.
   *
   * @example
   * ```ts
   * for await (const [response, chunk] of chat.stream()) process.stdout.write(chunk.content);
   * ```
   */
  stream(options?: CallOptions): ChatStream {
    const request = this.request(1);
    return new ChatStream(
      () => this.#transport.api.serverStream(ChatService.method.getCompletionChunk, request, options),
      emptyCompletion(1),
      this.indexFor(request.tools),
    );
  }

  /**
   * Streams `n` answers at once; yields `[responses, chunks]` with one entry per answer.
   *
   * @example
   * ```ts
   * const stream = chat.streamBatch(2);
   * const [a, b] = await stream.done();
   * ```
   */
  streamBatch(n: number, options?: CallOptions): BatchChatStream {
    const count = checkCount("streamBatch()", n);
    const request = this.request(count);
    return new BatchChatStream(
      () => this.#transport.api.serverStream(ChatService.method.getCompletionChunk, request, options),
      emptyCompletion(count),
      count,
    );
  }

  /**
   * Gets an answer as JSON following `schema` (zod 4, Standard JSON Schema or JSON Schema) and validates it.
   * Resolves with `[response, value]`, `value` typed from the schema; rejects with `StructuredOutputError` (raw
   * content and issues) when the answer does not match, and with its subclass `IncompleteResponseError` when the
   * answer is not complete (no output, or no finish reason: a fragment is not validated). The chat's own
   * response format is left unchanged.
   *
   * @example
   * ```ts
   * const Weather = z.object({ city: z.string(), celsius: z.number() });
   * const [response, weather] = await chat.parse(Weather);
   * console.log(weather.celsius);
   * ```
   */
  async parse<S extends SchemaLike>(
    schema: S,
    options?: CallOptions,
  ): Promise<[ChatResponse, InferSchema<S>]> {
    const resolved = resolveSchema("parse() schema", schema);
    const request = this.request(1, { responseFormat: schemaResponseFormat("parse() schema", schema) });
    const response = await this.complete(request, options);
    return [response, await validateAnswer<InferSchema<S>>(response, resolved)];
  }

  /**
   * Streams a structured answer: `stream.partial` is the JSON parsed so far; `await stream.parsed()` validates
   * the whole answer (an answer cut short is an `IncompleteResponseError`). The chat's own response format is
   * left unchanged.
   *
   * @example
   * ```ts
   * const stream = chat.streamParse(Recipe);
   * for await (const _ of stream) console.log(stream.partial?.title);
   * const [, recipe] = await stream.parsed();
   * ```
   */
  streamParse<S extends SchemaLike>(schema: S, options?: CallOptions): ParsedChatStream<InferSchema<S>> {
    const resolved = resolveSchema("streamParse() schema", schema);
    const request = this.request(1, { responseFormat: schemaResponseFormat("streamParse() schema", schema) });
    return new ParsedChatStream<InferSchema<S>>(
      () => this.#transport.api.serverStream(ChatService.method.getCompletionChunk, request, options),
      emptyCompletion(1),
      this.indexFor(request.tools),
      resolved,
    );
  }

  /**
   * Starts the completion as a deferred request and polls until it is done: `options.timeout` is the whole
   * wait's budget, the start call included (default 10 min), `pollInterval` defaults to 1 s, `metadata` goes
   * on every call and `onProgress` receives `{ requestId, polls }` after each pending poll. Useful for long
   * reasoning that would outlive a connection. A failed or expired request rejects with
   * `DeferredCompletionError`, a wait longer than `timeout` with `PollTimeoutError`.
   *
   * @example
   * ```ts
   * const response = await chat.defer({ pollInterval: 1_000, timeout: 600_000, metadata: { "x-trace": "t1" } });
   * ```
   */
  async defer(options?: WaitOptions<DeferredProgress>): Promise<ChatResponse> {
    const request = this.request(1);
    const proto = await deferredCompletion(this.#transport.api, request, options);
    return new ChatResponse(proto, this.indexFor(request.tools, proto));
  }

  /**
   * Like {@link defer} with `n` answers; one ChatResponse per answer.
   *
   * @example
   * ```ts
   * const [first, second] = await chat.deferBatch(2);
   * ```
   */
  async deferBatch(n: number, options?: WaitOptions<DeferredProgress>): Promise<ChatResponse[]> {
    const count = checkCount("deferBatch()", n);
    const proto = await deferredCompletion(this.#transport.api, this.request(count), options);
    return Array.from({ length: count }, (_, i) => new ChatResponse(proto, i));
  }

  /**
   * Compacts the conversation on the server into an encrypted summary, and appends the result: the summarized
   * messages are replaced by one message carrying it. Resolves with the result.
   *
   * @example
   * ```ts
   * const { droppedMessageCount } = await chat.compact();
   * ```
   */
  async compact(options?: CallOptions): Promise<CompactionResult> {
    const result = await compactMessages(
      this.#transport,
      this.#request.model,
      [...this.#request.messages],
      options,
    );
    this.append(result);
    return result;
  }

  /**
   * Runs the tool-calling loop: samples, validates the arguments of each call to your functions, runs them
   * (parallel calls concurrently), appends the results and samples again until the model answers without tools.
   * Arguments that fail validation and handler errors go back to the model as the tool's result. The whole
   * exchange, final answer included, is appended to the chat. Server-side tools given at creation stay on.
   *
   * A round (the response calling tools and the results of all its calls) is appended only once it is complete,
   * so however the run ends the chat holds only complete rounds and `chat.sample()` works right after:
   *
   * | how the run ends                                              | resolves / rejects with                      | appended to the chat                          |
   * | ------------------------------------------------------------- | -------------------------------------------- | --------------------------------------------- |
   * | the model answers without calling tools                       | `{ response, rounds }`                       | every round, then the final response          |
   * | unknown tool name, invalid arguments, handler error ("report") | (the run goes on: the error is the result)   | the round, errors as the tools' results       |
   * | `maxRounds` rounds ran and the model still calls tools        | `ToolRoundsExceededError` (`.response`)      | the rounds run; not the unanswered response   |
   * | a handler throws with `onToolError: "throw"`                  | the handler's error                          | earlier rounds; not the failing round         |
   * | a sample fails (server error, deadline)                       | the typed error (e.g. `InternalError`)       | earlier rounds                                |
   * | `signal` aborts during a sample                               | `UserAbortError`                             | earlier rounds                                |
   * | `signal` aborts while handlers run                            | `UserAbortError`, at once (handlers get the signal; their results are dropped) | earlier rounds; not the interrupted round |
   * | `onRound` throws                                              | its error                                    | every round up to that one                    |
   *
   * @example
   * ```ts
   * const { response, rounds } = await chat.runTools({
   *   tools: {
   *     get_weather: {
   *       description: "Current weather of a city",
   *       parameters: z.object({ city: z.string() }),
   *       execute: async ({ city }) => ({ city, celsius: 21 }),
   *     },
   *   },
   *   maxRounds: 5,
   * });
   * console.log(response.content, rounds.length);
   * ```
   */
  runTools<T extends Record<string, SchemaLike>>(
    params: RunToolsOptions<T>,
    options?: CallOptions,
  ): Promise<ToolRunResult> {
    return runToolLoop(
      {
        model: this.#request.model,
        conversationId: this.conversationId,
        telemetry: this.#telemetry,
        tools: this.#request.tools,
        sampleWithTools: (tools, o) =>
          this.complete(this.request(1, { tools: checkTools("tools", tools) }), o),
        appendAll: (items) => {
          if (Array.isArray(items)) this.append(...items);
          else this.append(items);
        },
      },
      params,
      options,
    );
  }

  toJSON(): Record<string, unknown> {
    return { model: this.model, messages: this.messages.length, tools: this.tools.length };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Chat { model: ${JSON.stringify(this.model)}, messages: ${this.messages.length}, tools: ${this.tools.length} }`;
  }
}
