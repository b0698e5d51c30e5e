// The model catalogue: every language, embedding and image model with its prices.
//   npx tsx examples/models.ts          (uses the real API when XAI_API_KEY is set, else a local emulator)
import { connect } from "./_connect.js";

await using session = await connect();
const { client } = session;
console.log("Language models (USD per million tokens):");
for (const model of await client.models.listLanguageModels()) {
  const { promptText, completionText, cachedPromptText } = model.prices;
  console.log(
    `  ${model.name.padEnd(28)} in $${promptText}  out $${completionText}  cached $${cachedPromptText}  ` +
      `context ${model.maxPromptLength}  accepts ${model.inputModalities.join("+")}`,
  );
}
console.log("Embedding models:");
for (const model of await client.models.listEmbeddingModels()) {
  console.log(`  ${model.name.padEnd(28)} $${model.prices.promptText} per million tokens`);
}
console.log("Image generation models:");
for (const model of await client.models.listImageGenerationModels()) {
  console.log(
    `  ${model.name.padEnd(28)} $${model.imagePrice} per image  aliases: ${model.aliases.join(", ")}`,
  );
}
const grok = await client.models.getLanguageModel("grok-4-latest");
console.log(
  `"grok-4-latest" is ${grok.name} version ${grok.version}, created ${grok.created?.toDateString()}`,
);
