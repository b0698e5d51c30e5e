// Embeddings: embed documents and a query, then rank the documents by cosine similarity.
//   npx tsx examples/embeddings.ts "your query"
import { connect } from "./_connect.js";

const query = process.argv[2] ?? "fresh bread";
const documents = [
  "The bakery sells fresh bread every morning",
  "Rust has a borrow checker",
  "Sourdough bread needs a starter",
  "The train leaves at noon",
];

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

await using session = await connect();
const { client } = session;
const result = await client.embeddings.create({ model: "v1", input: [query, ...documents] });
const [queryVector, ...documentVectors] = result.vectors;
console.log(
  `${result.vectors.length} vectors of ${result.dimension} dimensions (${result.usage.textEmbeddings} texts)`,
);
const ranked = documents
  .map((text, i) => ({ text, score: cosine(queryVector, documentVectors[i]) }))
  .sort((a, b) => b.score - a.score);
console.log(`closest to ${JSON.stringify(query)}:`);
for (const { text, score } of ranked) console.log(`  ${score.toFixed(3)}  ${text}`);
