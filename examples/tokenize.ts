// Tokenize a text with a model's tokenizer and show each token.
//   npx tsx examples/tokenize.ts "Your text here"
import { connect } from "./_connect.js";

const text = process.argv[2] ?? "Tokenizers split text into pieces: «Grüße», 世界, and emoji 🚀.";
await using session = await connect();
const { client } = session;
const result = await client.tokenize.tokenize(text, { model: "grok-4" });
console.log(`${result.length} tokens for ${JSON.stringify(text)} (tokenizer of ${result.model}):`);
for (const token of result) {
  console.log(
    `  ${String(token.id).padStart(7)}  ${JSON.stringify(token.text).padEnd(14)} ${Buffer.from(token.bytes).toString("hex")}`,
  );
}
