// A server that replays pre-encoded chat chunks as fast as grpc-js can send them, in its own process: it lets the
// streaming benchmark measure the client's side when the emulator (which builds and encodes every chunk) would
// be the bottleneck. It answers `/xai_api.Chat/GetCompletionChunk` for a request whose last message is
// `!chunks N` with the same N chunks the emulator sends (content "0 ", "1 ", …; the last one with a finish
// reason and usage). Forked by bench/lib/stream-server.ts; prints nothing, talks over IPC.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Server, ServerCredentials, type ServerWritableStream } from "@grpc/grpc-js";
import {
  GetChatCompletionChunkSchema,
  GetCompletionsRequestSchema,
  MessageRole,
} from "../../src/gen/xai/api/v1/chat_pb.js";
import { FinishReason } from "../../src/gen/xai/api/v1/sample_pb.js";

export type StreamServerReply = { type: "ready"; address: string } | { type: "cpu"; cpuMs: number };

const encoded = new Map<number, Buffer[]>();

/** The N chunks of a `!chunks N` stream, encoded once and reused. */
function chunksFor(n: number): Buffer[] {
  let chunks = encoded.get(n);
  if (chunks) return chunks;
  chunks = [];
  const created = timestampFromMs(Date.UTC(2025, 0, 1));
  for (let i = 0; i < n; i++) {
    const message = create(GetChatCompletionChunkSchema, {
      outputs: [
        {
          delta: { role: MessageRole.ROLE_ASSISTANT, content: `${i} ` },
          finishReason: i === n - 1 ? FinishReason.REASON_STOP : undefined,
        },
      ],
      ...(i === 0 ? { id: "replay", model: "grok-3", created, systemFingerprint: "fp-replay" } : {}),
      ...(i === n - 1 ? { usage: { completionTokens: n, promptTokens: 3, totalTokens: n + 3 } } : {}),
    });
    chunks.push(Buffer.from(toBinary(GetChatCompletionChunkSchema, message)));
  }
  encoded.set(n, chunks);
  return chunks;
}

function replay(call: ServerWritableStream<Buffer, Buffer>): void {
  const request = fromBinary(GetCompletionsRequestSchema, call.request);
  const last = request.messages.at(-1)?.content[0]?.content;
  const match = last?.case === "text" ? /^!chunks (\d+)$/.exec(last.value) : null;
  const chunks = chunksFor(match ? Number(match[1]) : 1);
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

const server = new Server();
const identity = (b: Buffer) => b;
server.register("/xai_api.Chat/GetCompletionChunk", replay, identity, identity, "serverStream");
const port = await new Promise<number>((resolve, reject) =>
  server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (err, p) =>
    err ? reject(err) : resolve(p),
  ),
);
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
    process.disconnect();
  }
});
send({ type: "ready", address: `127.0.0.1:${port}` });
