// Deferred chat: the server works on the request while the SDK polls for the result; useful for long
// reasoning that would outlive a connection.
//   npx tsx examples/chat-deferred.ts
import { DeferredCompletionError, PollTimeoutError, user } from "xai-grpc";
import { connect } from "./_connect.js";

await using session = await connect();
const chat = session.client.chat.create({
  model: "grok-4",
  messages: [user("Write a limerick about patience.")],
});
try {
  const response = await chat.defer({
    pollInterval: session.emulated ? 100 : 1_000,
    timeout: 600_000,
    onProgress: ({ requestId, polls }) => console.log(`  ${requestId}: still pending after ${polls} poll(s)`),
  });
  console.log(response.content);
} catch (err) {
  if (err instanceof PollTimeoutError) console.error("gave up waiting:", err.message);
  else if (err instanceof DeferredCompletionError) console.error(`the request ${err.status}`);
  else throw err;
}
