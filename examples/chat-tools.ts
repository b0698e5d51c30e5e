// Function calling, twice: a manual loop (read the tool calls, run them, append the results), then
// chat.runTools(), which runs the loop itself with arguments validated against zod schemas.
//   npx tsx examples/chat-tools.ts

import { tool, toolResult, user } from "xai-grpc";
import { z } from "zod";
import { connect } from "./_connect.js";

const City = z.object({ city: z.string().describe("City name, e.g. Paris") });
function weatherOf(city: string) {
  return { city, celsius: 10 + (city.length % 15), sky: city.length % 2 ? "sunny" : "cloudy" };
}

await using session = await connect();

// 1. The manual loop.
const chat = session.client.chat.create({
  model: "grok-4",
  tools: [tool("get_weather", "Current weather of a city", City)],
  messages: [user("Use get_weather: is it warmer in Paris or in Oslo?")],
});
for (let round = 1; ; round++) {
  const response = await chat.sample();
  chat.append(response);
  if (response.toolCalls.length === 0) {
    console.log(`manual loop, after ${round - 1} round(s) of tools: ${response.content}\n`);
    break;
  }
  for (const call of response.toolCalls) {
    const { city } = City.parse(call.arguments);
    console.log(`  model calls ${call.name}(${call.argumentsJson})`);
    chat.append(toolResult(weatherOf(city), call.id));
  }
}

// 2. runTools(): the same loop, with typed handlers; parallel calls run concurrently.
const planner = session.client.chat.create({
  model: "grok-4",
  messages: [user("Use get_weather and get_time for Tokyo, then tell me if it's a good time for a walk.")],
});
const { response, rounds } = await planner.runTools({
  tools: {
    get_weather: {
      description: "Current weather of a city",
      parameters: City,
      execute: ({ city }) => weatherOf(city),
    },
    get_time: {
      description: "Local time of a city",
      parameters: City,
      execute: async ({ city }) => `${city}: ${new Date().toISOString().slice(11, 16)} UTC`,
    },
  },
  maxRounds: 5,
});
for (const [i, round] of rounds.entries()) {
  console.log(`round ${i + 1}: ${round.calls.map((c) => `${c.call.name} → ${c.status}`).join(", ")}`);
}
console.log(`runTools: ${response.content}`);
