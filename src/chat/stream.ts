// Streams of chat completions: iterate `[response, chunk]` pairs while the response accumulates every chunk.

import { IncompleteResponseError, StructuredOutputError } from "../errors.js";
import type { GetChatCompletionChunk, GetChatCompletionResponse } from "../gen/xai/api/v1/chat_pb.js";
import type { ServerStream } from "../transport/calls.js";
import { ChunkAccumulator } from "./accumulator.js";
import { parsePartialJson } from "./partial-json.js";
import { ChatChunk, ChatResponse, READ_ALL_OUTPUTS, STREAMING } from "./response.js";
import type { ResolvedSchema } from "./schema.js";

const partialResponses = new WeakMap<object, ChatResponse>();

/**
 * The response accumulated before a stream failed, from the error the stream rejected with; undefined for errors
 * that did not end a chat stream. (The same object is `stream.response`.)
 *
 * @example
 * ```ts
 * try {
 *   for await (const [, chunk] of chat.stream()) process.stdout.write(chunk.content);
 * } catch (err) {
 *   console.error(`failed after ${partialResponseOf(err)?.content.length ?? 0} characters`, err);
 * }
 * ```
 */
export function partialResponseOf(error: unknown): ChatResponse | undefined {
  return typeof error === "object" && error !== null ? partialResponses.get(error) : undefined;
}

/**
 * `T` with every property optional, recursively, as a JSON value cut off mid-stream is: objects' properties
 * optional at every depth, arrays of deep partials (the last element may be incomplete), primitives as they are
 * (a string may be a prefix of the final one). Functions, dates and regular expressions are left untouched.
 *
 * @example
 * ```ts
 * type Recipe = { title: string; author: { name: string; age: number }; steps: { text: string }[] };
 * const soFar: DeepPartial<Recipe> = { author: { name: "Ann" }, steps: [{}] };
 * ```
 */
export type DeepPartial<T> = T extends ((...args: never[]) => unknown) | Date | RegExp
  ? T
  : T extends readonly (infer U)[]
    ? T extends unknown[]
      ? DeepPartial<U>[]
      : readonly DeepPartial<U>[]
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> }
      : T;

/** How a stream turns each chunk into what it yields, after the chunk was accumulated. */
interface Projection<T> {
  accumulate(chunk: GetChatCompletionChunk): void;
  yield(chunk: GetChatCompletionChunk): T;
}

/**
 * The machinery shared by chat streams: the RPC starts on first use, each chunk is folded into the accumulating
 * completion, leaving a loop early cancels the RPC, and a failure rejects with the typed error while everything
 * received so far stays readable.
 */
abstract class CompletionStream<T> implements AsyncIterable<T> {
  #source: ServerStream<GetChatCompletionChunk> | undefined;
  readonly #open: () => ServerStream<GetChatCompletionChunk>;
  #iterating = false;
  #state: "idle" | "open" | "done" | "failed" | "cancelled" = "idle";
  #error: unknown;
  #chunks = 0;
  #settled: Promise<void> | undefined;
  #settle: { resolve: () => void; reject: (e: unknown) => void } | undefined;
  protected abstract readonly projection: Projection<T>;
  /** The completion being accumulated (shared by every response view). */
  protected readonly completion: GetChatCompletionResponse;

  /** @internal */
  constructor(open: () => ServerStream<GetChatCompletionChunk>, completion: GetChatCompletionResponse) {
    this.#open = open;
    this.completion = completion;
  }

  /** How many chunks arrived so far. */
  get chunkCount(): number {
    return this.#chunks;
  }

  /** Whether the stream ended (completely, by failure or by cancellation). */
  get finished(): boolean {
    return this.#state === "done" || this.#state === "failed" || this.#state === "cancelled";
  }

  /** The error the stream failed with, if it did. */
  get error(): unknown {
    return this.#error;
  }

  /** The response a failure leaves readable. */
  protected abstract partialResponse(): ChatResponse;

  /** Settles the responses once the stream ended (however): a missing finish reason now reads "incomplete". */
  protected abstract ended(): void;

  private next(): Promise<IteratorResult<T>> {
    if (this.#state === "done" || this.#state === "cancelled")
      return Promise.resolve({ value: undefined, done: true });
    if (this.#state === "failed") return Promise.reject(this.#error);
    let source = this.#source;
    if (!source) {
      try {
        source = this.#source = this.#open();
        this.#state = "open";
      } catch (err) {
        this.fail(err);
        return Promise.reject(err);
      }
    }
    const buffered = source.takeBuffered();
    if (buffered !== undefined) {
      // Fast path: no extra promise hop for a chunk that already arrived.
      try {
        return Promise.resolve(this.#onChunk(buffered));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return source.next().then(this.#onResult, this.#onError);
  }

  #onChunk(chunk: GetChatCompletionChunk): IteratorResult<T> {
    try {
      this.#chunks++;
      this.projection.accumulate(chunk);
      return { value: this.projection.yield(chunk), done: false };
    } catch (err) {
      // A failure of our own: stop the RPC (the server sees the cancellation) and fail like a broken stream.
      this.fail(err);
      this.#source?.cancel();
      throw err;
    }
  }

  readonly #onResult = (result: IteratorResult<GetChatCompletionChunk>): IteratorResult<T> => {
    if (!result.done) return this.#onChunk(result.value);
    if (this.#state === "open") this.#state = "done";
    this.ended();
    this.#settle?.resolve();
    return { value: undefined, done: true };
  };

  readonly #onError = (err: unknown): never => {
    this.fail(err);
    throw err;
  };

  private fail(err: unknown): void {
    this.#state = "failed";
    this.#error = err;
    this.ended();
    if (typeof err === "object" && err !== null) partialResponses.set(err, this.partialResponse());
    this.#settle?.reject(err);
  }

  /** Stops the RPC; the loop ends and what arrived so far stays readable. */
  cancel(): void {
    if (this.finished) return;
    this.#state = "cancelled";
    this.ended();
    this.#source?.cancel();
    this.#settle?.resolve();
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.#iterating)
      throw new Error("a chat stream can be iterated only once; use stream.done() to wait for it");
    this.#iterating = true;
    return {
      next: () => this.next(),
      return: () => {
        this.cancel();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  /** Resolves when the stream ends; drains it first when nobody iterates it. Rejects if it fails. */
  protected async drain(): Promise<void> {
    if (!this.#iterating) {
      this.#iterating = true;
      for (;;) {
        const result = await this.next();
        if (result.done) return;
      }
    }
    if (this.#state === "failed") throw this.#error;
    if (this.finished) return;
    this.#settled ??= new Promise<void>((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    return this.#settled;
  }
}

/**
 * A streamed completion: `for await (const [response, chunk] of stream)` yields the same accumulating
 * {@link ChatResponse} with each new {@link ChatChunk}. Breaking out of the loop cancels the RPC. If the stream fails, the
 * loop rejects with the typed error (e.g. `UnavailableError`) and `stream.response` (or
 * `partialResponseOf(error)`) keeps what arrived. An exception while folding a chunk in cancels the RPC and
 * fails the stream the same way: the loop and `done()` reject with it.
 *
 * Accumulation takes time linear in the output. A chunk changes only what it carries: unlike the Python SDK, a
 * chunk without a role, finish reason, id, model or fingerprint keeps the previous value instead of resetting it
 * (so a role-less chunk never hides the content); usage is replaced by the latest running total; source
 * citations are deduplicated; a tool call streamed again with the same id (a status update) replaces the earlier
 * one; log probabilities accumulate. Getting `response.content` is O(1); turning it into
 * a flat string costs its length, so render from `chunk.content` rather than re-reading the whole text per chunk.
 *
 * @example
 * ```ts
 * const stream = chat.stream();
 * for await (const [, chunk] of stream) process.stdout.write(chunk.content);
 * chat.append(stream.response);
 * ```
 */
export class ChatStream extends CompletionStream<[ChatResponse, ChatChunk]> {
  /** The response accumulated so far; complete once the stream ends. */
  readonly response: ChatResponse;
  protected readonly projection: Projection<[ChatResponse, ChatChunk]>;

  /** @internal */
  constructor(
    open: () => ServerStream<GetChatCompletionChunk>,
    completion: GetChatCompletionResponse,
    index: number | undefined,
  ) {
    super(open, completion);
    const response = new ChatResponse(completion, index);
    response[STREAMING](true);
    this.response = response;
    const accumulator = new ChunkAccumulator(completion);
    this.projection = {
      accumulate(chunk) {
        if (response.index !== undefined) {
          for (const piece of chunk.outputs) if (piece.index > 0) response[READ_ALL_OUTPUTS]();
        }
        accumulator.add(chunk);
      },
      yield: (chunk) => [response, new ChatChunk(chunk, response.index)],
    };
  }

  protected partialResponse(): ChatResponse {
    return this.response;
  }

  protected ended(): void {
    this.response[STREAMING](false);
  }

  /**
   * Waits for the end of the stream (consuming it if no loop does) and resolves with the complete response.
   *
   * @example
   * ```ts
   * const response = await chat.stream().done();
   * ```
   */
  async done(): Promise<ChatResponse> {
    await this.drain();
    return this.response;
  }
}

/**
 * A streamed `n > 1` completion: yields `[responses, chunks]`, one response and one chunk view per answer, every
 * response always up to date (the Python SDK only keeps the first one current).
 *
 * @example
 * ```ts
 * for await (const [responses] of chat.streamBatch(3)) render(responses.map((r) => r.content));
 * ```
 */
export class BatchChatStream extends CompletionStream<[ChatResponse[], ChatChunk[]]> {
  /** One accumulating response per answer. */
  readonly responses: ChatResponse[];
  protected readonly projection: Projection<[ChatResponse[], ChatChunk[]]>;

  /** @internal */
  constructor(
    open: () => ServerStream<GetChatCompletionChunk>,
    completion: GetChatCompletionResponse,
    n: number,
  ) {
    super(open, completion);
    const responses = Array.from({ length: n }, (_, i) => new ChatResponse(completion, i));
    for (const response of responses) response[STREAMING](true);
    this.responses = responses;
    const accumulator = new ChunkAccumulator(completion);
    this.projection = {
      accumulate: (chunk) => accumulator.add(chunk),
      yield: (chunk) => [responses, responses.map((_, i) => new ChatChunk(chunk, i))],
    };
  }

  protected partialResponse(): ChatResponse {
    return this.responses[0];
  }

  protected ended(): void {
    for (const response of this.responses) response[STREAMING](false);
  }

  /** Waits for the end of the stream and resolves with every complete response. */
  async done(): Promise<ChatResponse[]> {
    await this.drain();
    return this.responses;
  }
}

/**
 * A streamed structured answer: a {@link ChatStream} whose `partial` is the JSON value parsed so far (tolerant of
 * the cut-off end, typed {@link DeepPartial}), and whose `parsed()` validates the complete answer against the
 * schema (`done()` resolves with the response, as for any chat stream).
 *
 * @example
 * ```ts
 * const stream = chat.streamParse(Recipe);
 * for await (const _ of stream) render(stream.partial?.title ?? "");
 * const [response, recipe] = await stream.parsed();
 * ```
 */
export class ParsedChatStream<T> extends ChatStream {
  readonly #schema: ResolvedSchema;
  #cache: { length: number; value: unknown } | undefined;

  /** @internal */
  constructor(
    open: () => ServerStream<GetChatCompletionChunk>,
    completion: GetChatCompletionResponse,
    index: number | undefined,
    schema: ResolvedSchema,
  ) {
    super(open, completion, index);
    this.#schema = schema;
  }

  /**
   * The value parsed from the text so far (a prefix of the final value: any property at any depth may be missing
   * yet), undefined before any usable JSON.
   */
  get partial(): DeepPartial<T> | undefined {
    const content = this.response.content;
    if (this.#cache?.length !== content.length) {
      this.#cache = { length: content.length, value: parsePartialJson(content) };
    }
    return this.#cache.value as DeepPartial<T> | undefined;
  }

  /**
   * Waits for the end of the stream, then parses and validates the answer.
   * Rejects with {@link StructuredOutputError} when it does not match the schema, and with its subclass
   * `IncompleteResponseError` when the stream ended without a finish reason (a fragment is not validated).
   */
  async parsed(): Promise<[ChatResponse, T]> {
    const response = await this.done();
    return [response, await validateAnswer(response, this.#schema)];
  }
}

/**
 * Parses a response's text as JSON and validates it, or rejects with {@link StructuredOutputError}; an answer
 * that is not complete (no output, or no finish reason) is an `IncompleteResponseError`, not validated.
 */
export async function validateAnswer<T>(response: ChatResponse, schema: ResolvedSchema): Promise<T> {
  if (!response.complete) throw new IncompleteResponseError(response);
  let value: unknown;
  try {
    value = JSON.parse(response.content);
  } catch (err) {
    throw new StructuredOutputError(response, [
      { message: `not valid JSON (${(err as Error).message})`, path: [] },
    ]);
  }
  const result = await schema.validate(value);
  if (!result.ok) throw new StructuredOutputError(response, result.issues);
  return result.value as T;
}
