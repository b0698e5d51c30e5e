// Streaming: print the answer as it arrives, then read the complete response; stop early with `break`.
//   npx tsx examples/chat-streaming.ts
import { partialResponseOf, UserAbortError, user } from "xai-grpc";
import { connect } from "./_connect.js";

await using session = await connect();
const chat = session.client.chat.create({
  model: "grok-4",
  messages: [user("Tell me a short story about a lighthouse.")],
});

const stream = chat.stream();
for await (const [, chunk] of stream) process.stdout.write(chunk.content);
const response = stream.response; // the same object was yielded with every chunk, now complete
console.log(
  `\n\n${stream.chunkCount} chunks, finish reason ${response.finishReason}, ${response.usage?.completionTokens} tokens`,
);
chat.append(response);

// Leaving the loop early cancels the call; what arrived so far stays readable.
chat.append(user("Now a long one about the sea."));
const partial = chat.stream();
for await (const [response] of partial) if (response.content.length > 80) break;
console.log(`\nstopped after ${partial.response.content.length} characters: ${partial.response.content}…`);

// An AbortSignal cancels a stream mid-way: the loop rejects with UserAbortError, the partial response stays.
const controller = new AbortController();
try {
  for await (const [response] of chat.stream({ signal: controller.signal })) {
    if (response.content.length > 40) controller.abort();
  }
} catch (err) {
  if (!(err instanceof UserAbortError)) throw err;
  console.log(`aborted; kept ${partialResponseOf(err)?.content.length} characters`);
}
