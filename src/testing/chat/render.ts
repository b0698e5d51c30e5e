// Renders a planned completion as a GetChatCompletionResponse or as a stream of GetChatCompletionChunk.
// Streams: a chunk per token (reasoning, then encrypted content, then tool calls, then content), every
// chunk carrying id, model, created, fingerprint (encoded once per stream) and the role of its output; the last chunk of an
// output carries its finish reason and inline citations; the stream's last chunk carries usage and
// citations. With n > 1 the choices are interleaved chunk by chunk.
import { create, type MessageInitShape, toBinary, type UnknownField } from "@bufbuild/protobuf";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { type Timestamp, timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  type CompletionOutputChunkSchema,
  type CompletionOutputSchema,
  GetChatCompletionChunkSchema,
  type GetChatCompletionResponseSchema,
  MessageRole,
} from "../../gen/xai/api/v1/chat_pb.js";
import { FinishReason } from "../../gen/xai/api/v1/sample_pb.js";
import type { EmulatorContext } from "../types.js";
import { type LogProbInit, tokenLogprob } from "./logprobs.js";
import type { ChatPlan, PlannedOutput } from "./plan.js";
import { pieces } from "./tokens.js";

/** A chat response (protobuf init shape). */
export type ResponseInit = MessageInitShape<typeof GetChatCompletionResponseSchema>;
/** A chat stream chunk (protobuf init shape). */
export type ChunkInit = MessageInitShape<typeof GetChatCompletionChunkSchema>;
type OutputInit = MessageInitShape<typeof CompletionOutputSchema>;
type OutputChunkInit = MessageInitShape<typeof CompletionOutputChunkSchema>;
type ChunkHeader = { id: string; model: string; created: Timestamp; systemFingerprint: string };

function longStreamText(n: number): string {
  const parts = new Array<string>(n);
  for (let i = 0; i < n; i++) parts[i] = `${i} `;
  return parts.join("");
}

function contentLogprobs(ctx: EmulatorContext, plan: ChatPlan, output: PlannedOutput): LogProbInit[] {
  return ctx
    .tokenize(output.content)
    .map((token, position) => tokenLogprob(ctx, token, position, plan.topLogprobs, plan.seed + output.index));
}

/**
 * The unary response for a plan.
 *
 * @example
 * ```ts
 * const response = create(GetChatCompletionResponseSchema, renderResponse(ctx, plan));
 * ```
 */
export function renderResponse(ctx: EmulatorContext, plan: ChatPlan): ResponseInit {
  const outputs: OutputInit[] = plan.outputs.map((output) => ({
    index: output.index,
    finishReason: output.finishReason,
    message: {
      role: output.role,
      content: plan.longStream !== undefined ? longStreamText(plan.longStream) : output.content,
      reasoningContent: output.reasoning,
      encryptedContent: output.encrypted,
      toolCalls: output.toolCalls,
      citations: output.citations,
    },
    logprobs: output.logprobs ? { content: contentLogprobs(ctx, plan, output) } : undefined,
  }));
  return {
    id: plan.id,
    outputs,
    created: timestampFromDate(plan.created),
    model: plan.model,
    systemFingerprint: plan.systemFingerprint,
    usage: plan.usage,
    citations: plan.citations,
    settings: plan.settings,
    serviceTier: plan.serviceTier,
  };
}

function outputChunks(ctx: EmulatorContext, plan: ChatPlan, output: PlannedOutput): OutputChunkInit[] {
  const role = output.role;
  const chunks: OutputChunkInit[] = [];
  for (const piece of pieces(ctx, output.reasoning)) {
    chunks.push({ index: output.index, delta: { role, reasoningContent: piece.text } });
  }
  if (output.encrypted)
    chunks.push({ index: output.index, delta: { role, encryptedContent: output.encrypted } });
  if (role === MessageRole.ROLE_TOOL) {
    chunks.push({
      index: output.index,
      delta: { role, content: output.content, toolCalls: output.toolCalls },
    });
  } else {
    if (output.toolCalls.length > 0) {
      chunks.push({ index: output.index, delta: { role, toolCalls: output.toolCalls } });
    }
    let position = 0;
    for (const piece of pieces(ctx, output.content)) {
      const chunk: OutputChunkInit = { index: output.index, delta: { role, content: piece.text } };
      if (output.logprobs) {
        const tokens = piece.token ? [piece.token] : ctx.tokenize(piece.text);
        chunk.logprobs = {
          content: tokens.map((t) =>
            tokenLogprob(ctx, t, position++, plan.topLogprobs, plan.seed + output.index),
          ),
        };
      }
      chunks.push(chunk);
    }
  }
  if (chunks.length === 0) chunks.push({ index: output.index, delta: { role } });
  const last = chunks[chunks.length - 1];
  last.finishReason = output.finishReason;
  if (output.citations.length > 0 && last.delta) last.delta.citations = output.citations;
  return chunks;
}

/** Lanes of outputs: with n > 1 one per choice; otherwise one lane holding every output in order. */
function lanesOf(plan: ChatPlan): PlannedOutput[][] {
  if (plan.lanes <= 1) return [plan.outputs];
  return plan.outputs.map((o) => [o]);
}

/**
 * The fields of an encoded message as protobuf-es unknown fields, which its serializer writes verbatim:
 * a way to encode a part shared by many messages (a stream's header) once.
 *
 * @example
 * ```ts
 * chunk.$unknown = preEncodedFields(toBinary(GetChatCompletionChunkSchema, header));
 * ```
 */
export function preEncodedFields(bytes: Uint8Array): UnknownField[] {
  const reader = new BinaryReader(bytes);
  const fields: UnknownField[] = [];
  while (reader.pos < reader.len) {
    const [no, wireType] = reader.tag();
    fields.push({ no, wireType, data: reader.skip(wireType, no) });
  }
  return fields;
}

const encoder = new TextEncoder();

function varint(value: number, out: number[]): void {
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

/**
 * The wire bytes of field 2 (`outputs`) of a GetChatCompletionChunk holding one CompletionOutputChunk
 * `{ delta: { content, role: ROLE_ASSISTANT } }` (index 0), length prefix included: what protobuf-es
 * writes verbatim for an unknown field. Pre-encoding skips the reflective serializer on the hot path.
 */
export function encodedContentOutput(content: string): Uint8Array {
  const text = encoder.encode(content);
  const delta: number[] = [0x0a];
  varint(text.length, delta);
  const deltaBytes = [...delta, ...text, 0x10, MessageRole.ROLE_ASSISTANT];
  const output: number[] = [0x0a];
  varint(deltaBytes.length, output);
  output.push(...deltaBytes);
  const field: number[] = [];
  varint(output.length, field);
  field.push(...output);
  return Uint8Array.from(field);
}

/**
 * The `#chunks N` (or `!chunks N`) stream, built for throughput: chunk i carries `"${i} "`. The first
 * and last chunks are ordinary messages with the header (id, model, created, fingerprint); the last one also carries the
 * finish reason and usage. The chunks in between carry only their output, pre-encoded (see
 * {@link encodedContentOutput}); every chunk carries the role, as clients that overwrite the role per
 * chunk need it.
 */
async function* longStream(
  n: number,
  header: ChunkHeader,
  plan: ChatPlan,
  signal: AbortSignal | undefined,
): AsyncGenerator<ChunkInit> {
  const role = MessageRole.ROLE_ASSISTANT;
  for (let i = 0; i < n; i++) {
    if (i % 2000 === 1999) {
      await yieldToEventLoop();
      if (signal?.aborted) return;
    }
    if (i === 0 || i === n - 1) {
      const output: OutputChunkInit = { index: 0, delta: { role, content: `${i} ` } };
      if (i === n - 1) output.finishReason = FinishReason.REASON_STOP;
      const last = i === n - 1;
      yield {
        ...header,
        outputs: [output],
        usage: last ? plan.usage : undefined,
        serviceTier: last ? plan.serviceTier : undefined,
      };
    } else {
      const chunk = create(GetChatCompletionChunkSchema);
      chunk.$unknown = [{ no: 2, wireType: WireType.LengthDelimited, data: encodedContentOutput(`${i} `) }];
      yield chunk;
    }
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The stream of chunks for a plan. Stops early when `signal` aborts.
 *
 * @example
 * ```ts
 * for await (const chunk of renderChunks(ctx, plan, handler.signal)) yield chunk;
 * ```
 */
export async function* renderChunks(
  ctx: EmulatorContext,
  plan: ChatPlan,
  signal?: AbortSignal,
): AsyncGenerator<ChunkInit> {
  const created = timestampFromDate(plan.created);
  const header: ChunkHeader = {
    id: plan.id,
    model: plan.model,
    created,
    systemFingerprint: plan.systemFingerprint,
  };
  if (plan.longStream !== undefined) {
    yield* longStream(plan.longStream, header, plan, signal);
    return;
  }
  // The header is the same on every chunk: encode it once and attach it as pre-encoded fields.
  const headerFields = preEncodedFields(
    toBinary(GetChatCompletionChunkSchema, create(GetChatCompletionChunkSchema, header)),
  );
  const lanes = lanesOf(plan).map((lane) => lane.flatMap((output) => outputChunks(ctx, plan, output)));
  const total = lanes.reduce((sum, lane) => sum + lane.length, 0);
  let emitted = 0;
  for (let step = 0; emitted < total; step++) {
    for (const lane of lanes) {
      if (step >= lane.length) continue;
      if (signal?.aborted) return;
      emitted++;
      const last = emitted === total;
      const chunk = create(
        GetChatCompletionChunkSchema,
        last
          ? {
              outputs: [lane[step]],
              usage: plan.usage,
              citations: plan.citations,
              serviceTier: plan.serviceTier,
            }
          : { outputs: [lane[step]] },
      );
      chunk.$unknown = headerFields;
      yield chunk;
      if (emitted % 2000 === 0) await yieldToEventLoop();
    }
  }
}
