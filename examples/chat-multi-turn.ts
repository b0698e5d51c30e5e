// Multi-turn chat: a system prompt, questions, and each answer appended so the model remembers it.
//   npx tsx examples/chat-multi-turn.ts
import { system, user } from "xai-grpc";
import { connect } from "./_connect.js";

await using session = await connect();
const chat = session.client.chat.create({
  model: "grok-4",
  messages: [system("You are a pirate. Answer in at most two sentences.")],
});

for (const question of ["Who are you?", "Where did you bury the treasure?", "What did I ask first?"]) {
  chat.append(user(question));
  const response = await chat.sample();
  chat.append(response); // the answer becomes part of the conversation
  console.log(`> ${question}\n${response.content}\n`);
  console.log(`  (${response.usage?.totalTokens} tokens, $${response.costUsd?.toFixed(6) ?? "?"})\n`);
}
console.log(`the conversation now holds ${chat.messages.length} messages`);
