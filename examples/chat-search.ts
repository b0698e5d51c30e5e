// Search: server-side web and X search tools (the agentic way), then live search parameters; print the
// answer, the sources and the server-side tool usage.
//   npx tsx examples/chat-search.ts
import { searchParameters, user, webSearch, webSource, xSearch, xSource } from "xai-grpc";
import { connect } from "./_connect.js";

await using session = await connect();

const agentic = session.client.chat.create({
  model: "grok-4",
  tools: [webSearch({ allowedDomains: ["x.ai"] }), xSearch({ allowedXHandles: ["xai"] })],
  include: ["inline_citations"],
  messages: [user("Search the web and X: what did xAI announce most recently?")],
});
const response = await agentic.sample();
console.log(response.content);
for (const call of response.toolCalls) console.log(`  tool: ${call.type} ${call.argumentsJson}`);
console.log("sources:", response.citations);
console.log(
  "inline citations:",
  response.inlineCitations.map((c) => `${c.url} [${c.startIndex}-${c.endIndex}]`),
);
console.log("server-side tool usage:", response.serverSideToolUsage, `cost $${response.costUsd?.toFixed(4)}`);

const live = session.client.chat.create({
  model: "grok-4",
  searchParameters: searchParameters({
    mode: "on",
    sources: [webSource({ country: "FR" }), xSource({ postFavoriteCount: 100 })],
    fromDate: new Date(Date.now() - 7 * 24 * 3600 * 1000),
    maxSearchResults: 5,
  }),
  messages: [user("What is new in Paris this week?")],
});
const answer = await live.sample();
console.log(`\n${answer.content}\nsources: ${answer.citations.join(", ")}`);
