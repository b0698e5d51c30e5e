// A server that replays pre-encoded chat replies as fast as it can send them, in its own process: it lets the
// benchmarks measure the client's side when the emulator (which builds and encodes every chunk) would be the
// bottleneck. Over gRPC it answers `/xai_api.Chat/GetCompletionChunk` for a request whose last message is
// `!chunks N` with the same N chunks the emulator sends (content "0 ", "1 ", …; the last one with a finish
// reason and usage), and `/xai_api.Chat/GetCompletion` with one pre-encoded response. Over HTTP it answers
// `POST /v1/chat/completions` with the same replies as the emulator's REST face renders them (its own
// translation functions, run once): `data:` frames ending with `data: [DONE]` for `stream: true`, else JSON.
// Forked by bench/lib/stream-server.ts; prints nothing, talks over IPC.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServerWritableStream,
  type sendUnaryData,
} from "@grpc/grpc-js";
import {
  GetChatCompletionChunkSchema,
  GetChatCompletionResponseSchema,
  GetCompletionsRequestSchema,
  MessageRole,
} from "../../src/gen/xai/api/v1/chat_pb.js";
import { FinishReason } from "../../src/gen/xai/api/v1/sample_pb.js";
import {
  chatChunkJson,
  chatCompletionJson,
  headerOf,
  type StreamHeader,
  ToolCallIndexes,
} from "../../src/testing/rest/chat-completions.js";

export type StreamServerReply =
  | { type: "ready"; address: string; restUrl: string }
  | { type: "cpu"; cpuMs: number };

const created = timestampFromMs(Date.UTC(2025, 0, 1));

function chunkMessages(n: number) {
  const messages = [];
  for (let i = 0; i < n; i++) {
    messages.push(
      create(GetChatCompletionChunkSchema, {
        outputs: [
          {
            delta: { role: MessageRole.ROLE_ASSISTANT, content: `${i} ` },
            finishReason: i === n - 1 ? FinishReason.REASON_STOP : undefined,
          },
        ],
        ...(i === 0 ? { id: "replay", model: "grok-3", created, systemFingerprint: "fp-replay" } : {}),
        ...(i === n - 1 ? { usage: { completionTokens: n, promptTokens: 3, totalTokens: n + 3 } } : {}),
      }),
    );
  }
  return messages;
}

const encoded = new Map<number, Buffer[]>();
const sseBlocks = new Map<number, Buffer[]>();
/** Bytes per HTTP write of a replayed SSE stream. */
const SSE_BLOCK = 64 * 1024;

/** The N chunks of a `!chunks N` stream, encoded once (protobuf and SSE) and reused. */
function chunksFor(n: number): Buffer[] {
  let chunks = encoded.get(n);
  if (chunks) return chunks;
  const messages = chunkMessages(n);
  chunks = messages.map((m) => Buffer.from(toBinary(GetChatCompletionChunkSchema, m)));
  encoded.set(n, chunks);
  // The same chunks as the emulator's REST face renders them, joined into large writes.
  let header: StreamHeader | undefined;
  const indexes = new ToolCallIndexes();
  const blocks: Buffer[] = [];
  let pending: string[] = [];
  let size = 0;
  const push = (frame: string) => {
    pending.push(frame);
    size += frame.length;
    if (size >= SSE_BLOCK) {
      blocks.push(Buffer.from(pending.join("")));
      pending = [];
      size = 0;
    }
  };
  for (const message of messages) {
    header = headerOf(message, header);
    push(`data: ${JSON.stringify(chatChunkJson(message, header, indexes))}\n\n`);
  }
  push("data: [DONE]\n\n");
  blocks.push(Buffer.from(pending.join("")));
  sseBlocks.set(n, blocks);
  return chunks;
}

/** The one unary reply, as protobuf and as the REST face's JSON. */
const unaryMessage = create(GetChatCompletionResponseSchema, {
  id: "replay",
  model: "grok-3",
  created,
  systemFingerprint: "fp-replay",
  outputs: [
    {
      index: 0,
      finishReason: FinishReason.REASON_STOP,
      message: {
        role: MessageRole.ROLE_ASSISTANT,
        content: "Red, orange and yellow are three colours of the rainbow.",
      },
    },
  ],
  usage: { promptTokens: 8, completionTokens: 12, totalTokens: 20, promptTextTokens: 8 },
});
const unaryBytes = Buffer.from(toBinary(GetChatCompletionResponseSchema, unaryMessage));
const unaryJson = Buffer.from(JSON.stringify(chatCompletionJson(unaryMessage)));

const chunksOf = (text: string | undefined) => {
  const match = text ? /^[!#]chunks (\d+)$/.exec(text) : null;
  return match ? Number(match[1]) : 1;
};

function replay(call: ServerWritableStream<Buffer, Buffer>): void {
  const request = fromBinary(GetCompletionsRequestSchema, call.request);
  const last = request.messages.at(-1)?.content[0]?.content;
  const chunks = chunksFor(chunksOf(last?.case === "text" ? last.value : undefined));
  let i = 0;
  let cancelled = false;
  call.on("cancelled", () => {
    cancelled = true;
  });
  const pump = () => {
    while (i < chunks.length && !cancelled) {
      if (!call.write(chunks[i++])) {
        call.once("drain", pump);
        return;
      }
    }
    if (!cancelled) call.end();
  };
  pump();
}

function replayUnary(_call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void {
  callback(null, unaryBytes);
}

async function serveRest(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const parts: Buffer[] = [];
  for await (const part of request as AsyncIterable<Buffer>) parts.push(part);
  if (request.method !== "POST" || !request.url?.startsWith("/v1/chat/completions")) {
    response.writeHead(404).end();
    return;
  }
  const body = JSON.parse(Buffer.concat(parts).toString("utf8")) as {
    stream?: boolean;
    messages?: { content?: unknown }[];
  };
  if (!body.stream) {
    response.writeHead(200, { "content-type": "application/json", "content-length": unaryJson.length });
    response.end(unaryJson);
    return;
  }
  const last = body.messages?.at(-1)?.content;
  const text =
    typeof last === "string" ? last : Array.isArray(last) ? (last[0] as { text?: string })?.text : undefined;
  const n = chunksOf(text);
  chunksFor(n);
  const blocks = sseBlocks.get(n) ?? [];
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  let i = 0;
  const pump = () => {
    while (i < blocks.length && !response.destroyed) {
      if (!response.write(blocks[i++])) {
        response.once("drain", pump);
        return;
      }
    }
    response.end();
  };
  pump();
}

const server = new Server();
const identity = (b: Buffer) => b;
server.register("/xai_api.Chat/GetCompletionChunk", replay, identity, identity, "serverStream");
server.register("/xai_api.Chat/GetCompletion", replayUnary, identity, identity, "unary");
const port = await new Promise<number>((resolve, reject) =>
  server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (err, p) =>
    err ? reject(err) : resolve(p),
  ),
);
const http = createServer((request, response) => {
  serveRest(request, response).catch(() => response.destroy());
});
await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
const restPort = (http.address() as AddressInfo).port;

const send = (m: StreamServerReply) => process.send?.(m);
process.on("message", (m: { type: "cpu" | "prepare" | "stop"; n?: number }) => {
  if (m.type === "cpu") {
    const u = process.cpuUsage();
    send({ type: "cpu", cpuMs: (u.user + u.system) / 1000 });
  } else if (m.type === "prepare" && m.n) {
    chunksFor(m.n);
    send({ type: "cpu", cpuMs: 0 });
  } else if (m.type === "stop") {
    server.forceShutdown();
    http.closeAllConnections();
    http.close();
    process.disconnect();
  }
});
send({ type: "ready", address: `127.0.0.1:${port}`, restUrl: `http://127.0.0.1:${restPort}/v1` });
