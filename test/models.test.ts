import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { NotFoundError, XaiInputError } from "../src/index.js";
import { useEmulator } from "./helpers/emulator.js";

const env = useEmulator();

describe("language models", () => {
  test("lists every language model with modalities, prices in USD per million, dates", async () => {
    const models = await env.client.models.listLanguageModels();
    const names = models.map((m) => m.name);
    for (const name of ["grok-4", "grok-3", "grok-3-mini", "grok-code-fast-1"])
      assert.ok(names.includes(name), name);
    const grok4 = models.find((m) => m.name === "grok-4");
    assert.ok(grok4);
    assert.deepEqual(grok4.inputModalities, ["text", "image"]);
    assert.deepEqual(grok4.outputModalities, ["text"]);
    assert.ok(grok4.aliases.includes("grok-4-latest"));
    assert.ok(grok4.created instanceof Date);
    assert.ok(grok4.maxPromptLength > 0);
    // the wrapper divides the wire integer (1/100 cent per million tokens) by 10,000
    assert.equal(grok4.prices.promptText, Number(grok4.proto.promptTextTokenPrice) / 10_000); // the API: 10^-10 USD per token
    assert.equal(grok4.prices.completionText, Number(grok4.proto.completionTextTokenPrice) / 10_000);
    assert.ok(
      grok4.prices.promptText > 0 && grok4.prices.promptText < 100,
      `${grok4.prices.promptText} USD/M`,
    );
    assert.equal(grok4.prices.search, Number(grok4.proto.searchPrice) * 1e-10);
  });

  test("gets a model by name or alias, and says NOT_FOUND for an unknown one", async () => {
    const byAlias = await env.client.models.getLanguageModel("grok-4-latest");
    assert.equal(byAlias.name, "grok-4");
    assert.equal(byAlias.version, (await env.client.models.getLanguageModel("grok-4")).version);
    await assert.rejects(env.client.models.getLanguageModel("grok-99"), NotFoundError);
  });

  test("JSON and inspect show the message", async () => {
    const model = await env.client.models.getLanguageModel("grok-3");
    const json = JSON.parse(JSON.stringify(model)) as Record<string, unknown>;
    assert.equal(json.name, "grok-3");
  });
});

describe("embedding and image models", () => {
  test("embedding models", async () => {
    const models = await env.client.models.listEmbeddingModels();
    assert.deepEqual(
      models.map((m) => m.name),
      ["v1"],
    );
    const v1 = await env.client.models.getEmbeddingModel("v1");
    assert.ok(v1.outputModalities.includes("embedding"));
    assert.equal(v1.prices.promptText, Number(v1.proto.promptTextTokenPrice) / 10_000);
    assert.ok(v1.created instanceof Date);
  });

  test("image generation models, with the image price in USD per image", async () => {
    const models = await env.client.models.listImageGenerationModels();
    assert.ok(models.some((m) => m.name === "grok-imagine-image"));
    const model = await env.client.models.getImageGenerationModel("grok-2-image-latest");
    assert.equal(model.name, "grok-2-image");
    assert.deepEqual(model.outputModalities, ["image"]);
    assert.equal(model.imagePrice, Number(model.proto.imagePrice) * 1e-10);
    assert.ok(model.imagePrice > 0 && model.imagePrice < 1, `${model.imagePrice} USD per image`);
    await assert.rejects(env.client.models.getImageGenerationModel("grok-4"), NotFoundError);
  });
});

describe("input checks", () => {
  test("an empty or missing name is rejected before any call", async () => {
    const calls = env.emulator.calls.length;
    await assert.rejects(env.client.models.getLanguageModel(""), XaiInputError);
    await assert.rejects(env.client.models.getEmbeddingModel(undefined as never), XaiInputError);
    await assert.rejects(env.client.models.getImageGenerationModel("  "), /non-empty string/);
    assert.equal(env.emulator.calls.length, calls);
  });

  test("call options reach the server", async () => {
    await env.client.models.listLanguageModels({ metadata: { "x-test": "models" } });
    assert.equal(env.emulator.calls.at(-1)?.headers["x-test"], "models");
  });
});
