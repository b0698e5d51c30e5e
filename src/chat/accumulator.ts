// Accumulation of a streamed completion: the empty completion a stream starts from, and the accumulator that
// folds each chunk into it (text batched for the garbage collector, tool calls merged, citations deduplicated).

import { create } from "@bufbuild/protobuf";
import {
  type CompletionMessage,
  CompletionMessageSchema,
  CompletionOutputSchema,
  type GetChatCompletionChunk,
  type GetChatCompletionResponse,
  GetChatCompletionResponseSchema,
  LogProbsSchema,
  type ToolCall,
} from "../gen/xai/api/v1/chat_pb.js";

/** Adds streamed tool calls; a call whose id was already seen (a status update) replaces the earlier one. */
function mergeToolCalls(calls: ToolCall[], incoming: readonly ToolCall[]): void {
  for (const call of incoming) {
    const at = call.id === "" ? -1 : calls.findIndex((c) => c.id === call.id);
    if (at >= 0) calls[at] = call;
    else calls.push(call);
  }
}

/** Chunks between two joins of a text field's pending deltas (see {@link ChunkAccumulator}). */
export const TEXT_BATCH = 256;

type TextField = "content" | "reasoningContent" | "encryptedContent";

/** A text field's accumulated value as a joined prefix and the deltas since; `value` is what was last written. */
interface TextBatch {
  prefix: string;
  pending: string[];
  value: string;
}

/** The text batches of one output's message. */
interface OutputTexts {
  message: CompletionMessage;
  content?: TextBatch;
  reasoningContent?: TextBatch;
  encryptedContent?: TextBatch;
}

/**
 * Folds the streamed chunks of one completion into it. Only what a chunk carries changes: a chunk without a role,
 * finish reason, id, model or fingerprint leaves the previous value (unlike the Python SDK, which resets them);
 * usage is replaced (the server reports running totals); citations are deduplicated; a tool call seen again (same
 * id, e.g. a status update with verbose streaming) replaces the earlier one; log probabilities accumulate.
 *
 * Text is current after every chunk. Every {@link TEXT_BATCH} chunks a field's recent deltas are joined into one
 * string, so a long stream keeps one string per batch alive instead of one per chunk (which made every garbage
 * collection copy them: about 5 % of a 100,000-chunk stream's CPU).
 *
 * @internal
 */
export class ChunkAccumulator {
  readonly #completion: GetChatCompletionResponse;
  readonly #seenCitations = new Set<string>();
  /** By output index. */
  readonly #texts: (OutputTexts | undefined)[] = [];

  constructor(completion: GetChatCompletionResponse) {
    this.#completion = completion;
  }

  /** Folds one chunk into the completion. */
  add(chunk: GetChatCompletionChunk): void {
    const proto = this.#completion;
    if (chunk.id) proto.id = chunk.id;
    if (chunk.model) proto.model = chunk.model;
    if (chunk.systemFingerprint) proto.systemFingerprint = chunk.systemFingerprint;
    if (chunk.created) proto.created = chunk.created;
    if (chunk.usage) proto.usage = chunk.usage;
    if (chunk.serviceTier) proto.serviceTier = chunk.serviceTier;
    if (chunk.debugOutput) proto.debugOutput = chunk.debugOutput;
    if (chunk.citations.length > 0) {
      for (const url of chunk.citations) {
        if (!this.#seenCitations.has(url)) {
          this.#seenCitations.add(url);
          proto.citations.push(url);
        }
      }
    }
    if (chunk.outputFiles.length > 0) proto.outputFiles.push(...chunk.outputFiles);
    const outputs = proto.outputs;
    for (const piece of chunk.outputs) {
      const index = piece.index;
      while (outputs.length <= index) {
        outputs.push(
          create(CompletionOutputSchema, { index: outputs.length, message: create(CompletionMessageSchema) }),
        );
      }
      const output = outputs[index];
      if (!output.message) output.message = create(CompletionMessageSchema);
      const message = output.message;
      const delta = piece.delta;
      if (delta) {
        if (delta.role) message.role = delta.role;
        if (delta.content) this.#append(index, message, "content", delta.content);
        if (delta.reasoningContent) this.#append(index, message, "reasoningContent", delta.reasoningContent);
        if (delta.encryptedContent) this.#append(index, message, "encryptedContent", delta.encryptedContent);
        if (delta.toolCalls.length > 0) mergeToolCalls(message.toolCalls, delta.toolCalls);
        if (delta.citations.length > 0) message.citations.push(...delta.citations);
      }
      if (piece.finishReason) output.finishReason = piece.finishReason;
      if (piece.logprobs && piece.logprobs.content.length > 0) {
        output.logprobs ??= create(LogProbsSchema);
        output.logprobs.content.push(...piece.logprobs.content);
      }
    }
  }

  #append(index: number, message: CompletionMessage, field: TextField, delta: string): void {
    let texts = this.#texts[index];
    if (texts?.message !== message) texts = this.#texts[index] = { message };
    let batch = texts[field];
    // First delta, or the field was changed from outside (then its new value is kept): start from its value.
    if (batch === undefined || message[field] !== batch.value) {
      batch = texts[field] = { prefix: message[field], pending: [], value: message[field] };
    }
    batch.pending.push(delta);
    if (batch.pending.length < TEXT_BATCH) {
      batch.value = message[field] += delta;
    } else {
      batch.prefix += batch.pending.join("");
      batch.pending.length = 0;
      batch.value = message[field] = batch.prefix;
    }
  }
}

/** A fresh, empty completion for a stream to accumulate into (one output per index). */
export function emptyCompletion(outputs: number): GetChatCompletionResponse {
  return create(GetChatCompletionResponseSchema, {
    outputs: Array.from({ length: outputs }, (_, index) =>
      create(CompletionOutputSchema, { index, message: create(CompletionMessageSchema) }),
    ),
  });
}
