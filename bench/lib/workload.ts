// The requests every benchmark sends, built once for the SDK and once as raw generated messages, so that both
// sides of a comparison send the same bytes.
import { create } from "@bufbuild/protobuf";
import {
  Chat as ChatService,
  type GetCompletionsRequest,
  GetCompletionsRequestSchema,
  MessageRole,
} from "../../src/gen/xai/api/v1/chat_pb.js";
import { type Chat, type Client, user } from "../../src/index.js";
import type { RawGrpcClient } from "../../test/helpers/raw-grpc.js";

/** A non-reasoning model of the emulator's catalogue: replies carry content only. */
export const MODEL = "grok-3";
/** The prompt of the unary and soak benchmarks. */
export const PROMPT = "Name three colours of the rainbow.";

/**
 * The user message that asks the emulator's chat service for exactly `n` content chunks (its documented way
 * to request a long stream; see src/testing/services/chat.ts).
 */
export function chunksPrompt(n: number): string {
  return `!chunks ${n}`;
}

/** The SDK's chat for a prompt. */
export function sdkChat(client: Client, prompt: string): Chat {
  return client.chat.create({ model: MODEL, messages: [user(prompt)] });
}

/** The same request as {@link sdkChat} (the SDK sends `n: 1` explicitly), as a raw generated message. */
export function rawRequest(prompt: string): GetCompletionsRequest {
  return create(GetCompletionsRequestSchema, {
    model: MODEL,
    n: 1,
    messages: [{ role: MessageRole.ROLE_USER, content: [{ content: { case: "text", value: prompt } }] }],
  });
}

/**
 * The naive raw consumer of a `!chunks n` stream: grpc-js's stream iterated, each delta's length counted.
 *
 * @example
 * ```ts
 * const { chunks, chars } = await readRawStream(raw, 10_000);
 * ```
 */
export async function readRawStream(
  raw: RawGrpcClient,
  n: number,
): Promise<{ chunks: number; chars: number }> {
  let chunks = 0;
  let chars = 0;
  for await (const m of raw.serverStream(
    ChatService.method.getCompletionChunk,
    rawRequest(chunksPrompt(n)),
  )) {
    chunks++;
    chars += m.outputs[0]?.delta?.content.length ?? 0;
  }
  return { chunks, chars };
}
