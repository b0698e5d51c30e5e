// Reasoning: choose the effort, read the reasoning as it streams, and carry the encrypted reasoning into the
// next turn by appending the response.
//   npx tsx examples/chat-reasoning.ts
import { user } from "xai-grpc";
import { connect } from "./_connect.js";

await using session = await connect();
const chat = session.client.chat.create({
  model: "grok-4",
  reasoningEffort: "high",
  useEncryptedContent: true, // the server returns its reasoning encrypted, to be sent back next turn
  messages: [
    user("A bat and a ball cost $1.10; the bat costs $1 more than the ball. What does the ball cost?"),
  ],
});

const stream = chat.stream();
let thinking = false;
for await (const [, chunk] of stream) {
  if (chunk.reasoningContent) {
    if (!thinking) process.stdout.write("thinking: ");
    thinking = true;
    process.stdout.write(chunk.reasoningContent);
  }
  if (chunk.content) {
    if (thinking) process.stdout.write("\n\nanswer: ");
    thinking = false;
    process.stdout.write(chunk.content);
  }
}
const response = stream.response;
console.log(
  `\n\n${response.usage?.reasoningTokens} reasoning tokens; encrypted reasoning: ${response.encryptedContent.length} characters`,
);

chat.append(response); // replays content, reasoning and encrypted reasoning
chat.append(user("And if the bat cost $2 more?"));
console.log(`\n${(await chat.sample()).content}`);
