// Structured outputs: parse() returns a value typed from a zod schema; streamParse() shows the JSON as it
// arrives; an answer that does not match rejects with StructuredOutputError.
//   npx tsx examples/chat-structured.ts

import { StructuredOutputError, user } from "xai-grpc";
import { z } from "zod";
import { connect } from "./_connect.js";

const Recipe = z.object({
  title: z.string(),
  minutes: z.number().int().describe("Total time"),
  ingredients: z.array(z.object({ name: z.string(), grams: z.number() })),
  vegetarian: z.boolean(),
});

await using session = await connect();
const chat = session.client.chat.create({
  model: "grok-4",
  messages: [user("A quick recipe for tomato soup.")],
});

try {
  const [, recipe] = await chat.parse(Recipe); // recipe: z.infer<typeof Recipe>
  console.log(
    `${recipe.title}: ${recipe.minutes} min, ${recipe.ingredients.length} ingredients, vegetarian: ${recipe.vegetarian}`,
  );
} catch (err) {
  if (!(err instanceof StructuredOutputError)) throw err;
  console.error("the answer did not match:", err.issues, err.content);
}

const stream = chat.streamParse(Recipe);
let shown = "";
for await (const _ of stream) {
  const partial = stream.partial; // the JSON parsed so far, cut-off end tolerated
  const line = `${partial?.title ?? "…"} (${partial?.ingredients?.length ?? 0} ingredients so far)`;
  if (line !== shown) console.log(`  ${line}`);
  shown = line;
}
const [, streamed] = await stream.parsed();
console.log(`\nstreamed and validated: ${streamed.title}`);
