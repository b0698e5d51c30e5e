// The emulator answers what was asked, over real gRPC with the SDK client: every model name the SDK knows is
// served, tool calls pick the tools the prompt asks for (several, one or none) with arguments read from the
// prompt, structured outputs take their fields from the prompt, images depend on the prompt (its colours
// and words) and are byte-identical for the same prompt, and `#chunks N` streams N chunks like `!chunks N`.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { PNG } from "pngjs";
import { type ChatResponse, tool, user } from "../src/index.js";
import { promptFacts } from "../src/testing/chat/prompt-facts.js";
import { drawPicture, seedOf } from "../src/testing/media/png.js";
import { useEmulator } from "./helpers/emulator.js";

const env = useEmulator({ resetBeforeEach: true });

/** The string literals of an exported type union in an SDK source file (read as text). */
function unionNames(file: string, type: string): string[] {
  const source = readFileSync(new URL(`../src/${file}`, import.meta.url), "utf8");
  const start = source.indexOf(`export type ${type} =`);
  assert.ok(start >= 0, `${type} is declared in src/${file}`);
  const body = source.slice(start, source.indexOf(";", start));
  const names = [...body.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  assert.ok(names.length > 0, `${type} lists names`);
  return names;
}

describe("the catalogue serves every model name the SDK knows", () => {
  test("each ChatModel name is a language model of the Models service, with plausible figures", async () => {
    const names = unionNames("chat/types.ts", "ChatModel");
    assert.ok(names.length >= 30, `${names.length} names`);
    for (const name of names) {
      const model = await env.client.models.getLanguageModel(name);
      assert.ok(model.name === name || model.aliases.includes(name), `${name} → ${model.name}`);
      assert.ok(model.maxPromptLength >= 100_000, `${name} context ${model.maxPromptLength}`);
      assert.ok(model.inputModalities.includes("text"), name);
      assert.deepEqual(model.outputModalities, ["text"], name);
      assert.ok(
        model.prices.promptText > 0 && model.prices.promptText <= 10,
        `${name} $${model.prices.promptText}/M`,
      );
      assert.ok(model.prices.completionText >= model.prices.promptText, name);
      assert.ok((model.created?.getUTCFullYear() ?? 0) >= 2025, name);
    }
    const listed = await env.client.models.listLanguageModels();
    for (const name of names)
      assert.ok(
        listed.some((m) => m.name === name || m.aliases.includes(name)),
        name,
      );
  });

  test("each ImageModel name is an image-generation model; each VideoModel name starts a video", async () => {
    for (const name of unionNames("image/request.ts", "ImageModel")) {
      const model = await env.client.models.getImageGenerationModel(name);
      assert.ok(model.name === name || model.aliases.includes(name), name);
      assert.ok(model.imagePrice > 0 && model.imagePrice < 1, `${name} $${model.imagePrice} per image`);
      const image = await env.client.image.sample({ prompt: "a lighthouse", model: name, format: "base64" });
      assert.equal(image.model, model.name);
    }
    // The Models service has no video methods: the Video service accepts each name.
    for (const name of unionNames("video/request.ts", "VideoModel")) {
      assert.match(await env.client.video.start({ prompt: "a comet", model: name }), /\S/, name);
    }
    await assert.rejects(
      env.client.video.start({ prompt: "a comet", model: "grok-imagine-video-9" }),
      /does not exist/,
    );
  });

  test("the embedding model the SDK documents (v1) is served", async () => {
    const model = await env.client.models.getEmbeddingModel("v1");
    assert.ok(model.inputModalities.includes("text"));
    assert.ok(model.prices.promptText > 0);
  });
});

// ---------------------------------------------------------------------------------------------------------

const weather = tool("get_weather", "Current weather for a city", {
  type: "object",
  properties: {
    city: { type: "string", description: "City name" },
    unit: { type: "string", enum: ["celsius", "fahrenheit"] },
    days: { type: "integer", minimum: 1, maximum: 14 },
  },
  required: ["city", "unit"],
  additionalProperties: false,
});
const time = tool("get_time", "Current local time in a time zone", {
  type: "object",
  properties: { timezone: { type: "string", pattern: "^[A-Z][a-z]+/[A-Za-z_]+$" } },
  required: ["timezone"],
});
const payment = tool("send_payment", "Send money to a person", {
  type: "object",
  properties: {
    recipient: { type: "string" },
    amount: { type: "number", exclusiveMinimum: 0 },
    currency: { type: "string", enum: ["USD", "EUR", "GBP"] },
  },
  required: ["recipient", "amount", "currency"],
});
const timer = tool("set_timer", "Start a countdown timer", {
  type: "object",
  properties: { minutes: { type: "integer", minimum: 1 }, label: { type: "string" } },
  required: ["minutes"],
});
const search = tool("search_flights", "Find flights between two cities on a date", {
  type: "object",
  properties: {
    origin: { type: "string" },
    destination: { type: "string" },
    date: { type: "string", format: "date" },
    passengers: { type: "integer", minimum: 1, maximum: 9 },
  },
  required: ["origin", "destination", "date", "passengers"],
});
const tools = [weather, time, payment, timer, search];

async function ask(prompt: string, options: { parallel?: boolean } = {}): Promise<ChatResponse> {
  return env.client.chat
    .create({ model: "grok-3", tools, messages: [user(prompt)], parallelToolCalls: options.parallel })
    .sample();
}

const calls = (response: ChatResponse) =>
  response.toolCalls.map((c) => ({ name: c.name, args: c.arguments as Record<string, unknown> }));

describe("tool calls answer the prompt", () => {
  test("what a prompt names (pure): places, amounts, numbers, dates, currencies, colours", () => {
    const facts = promptFacts(
      "Fly from paris to Rio de Janeiro on 5 March for 2 adults, budget €1,250.50 or 1400 dollars; a gold suite in Turkey, not turkey",
    );
    const values = (list: { value: unknown }[]) => list.map((m) => m.value);
    assert.deepEqual(values(facts.places), ["Paris", "Rio de Janeiro"]);
    assert.deepEqual(
      facts.places.map((m) => m.before),
      ["from", "to"],
    );
    assert.deepEqual(values(facts.dates), ["2026-03-05"]);
    assert.deepEqual(values(facts.amounts), [1250.5, 1400]);
    assert.deepEqual(values(facts.numbers), [2]);
    assert.deepEqual(values(facts.currencies), ["EUR", "USD"]);
    assert.deepEqual(values(facts.colours), ["gold"]);
    assert.deepEqual(values(facts.countries), ["Turkey"]);
  });

  test("one fitting tool is called; a prompt that fits none gets a text answer", async () => {
    const lisbon = await ask("Is it going to rain in Lisbon?");
    assert.equal(lisbon.finishReason, "tool_calls");
    assert.deepEqual(
      calls(lisbon).map((c) => c.name),
      ["get_weather"],
    );
    const joke = await ask("Tell me a joke about penguins");
    assert.equal(joke.finishReason, "stop");
    assert.equal(joke.toolCalls.length, 0);
    assert.match(joke.content, /penguins/);
  });

  test("several things asked → several calls, each with its own arguments", async () => {
    const both = await ask("What's the weather in Paris and the time in Tokyo?");
    assert.deepEqual(calls(both), [
      { name: "get_weather", args: calls(both)[0].args },
      { name: "get_time", args: { timezone: "Asia/Tokyo" } },
    ]);
    assert.equal(calls(both)[0].args.city, "Paris");
    const twoCities = await ask("What's the weather in Oslo and Nairobi?");
    assert.deepEqual(
      calls(twoCities).map((c) => [c.name, c.args.city]),
      [
        ["get_weather", "Oslo"],
        ["get_weather", "Nairobi"],
      ],
    );
    const single = await ask("What's the weather in Paris and the time in Tokyo?", { parallel: false });
    assert.deepEqual(
      calls(single).map((c) => c.name),
      ["get_weather"],
    );
  });

  test("arguments are plausible: cities from the prompt, amounts, small positive integers, enums, dates", async () => {
    const rain = await ask("Weather in Montreal for the next 3 days, in fahrenheit");
    assert.deepEqual(calls(rain)[0].args, { city: "Montreal", unit: "fahrenheit", days: 3 });
    const pay = await ask("Send $42 to Ada Lovelace");
    assert.deepEqual(calls(pay), [
      { name: "send_payment", args: { recipient: "Ada Lovelace", amount: 42, currency: "USD" } },
    ]);
    const euros = await ask("Pay Grace Hopper 19.50 EUR");
    assert.deepEqual(calls(euros)[0].args, { recipient: "Grace Hopper", amount: 19.5, currency: "EUR" });
    const countdown = await ask("Set a timer for 5 minutes");
    assert.equal(calls(countdown)[0].name, "set_timer");
    assert.equal(calls(countdown)[0].args.minutes, 5);
    const flight = await ask("Find flights from Berlin to New York on March 5 for 2 passengers");
    assert.deepEqual(calls(flight)[0], {
      name: "search_flights",
      args: { origin: "Berlin", destination: "New York", date: "2026-03-05", passengers: 2 },
    });
    // A lower-case city, a sentence-initial one, and no number given: a small positive integer.
    const unnamed = await env.client.chat
      .create({ model: "grok-3", tools: [timer], messages: [user("start a countdown timer please")] })
      .sample();
    const minutes = calls(unnamed)[0].args.minutes as number;
    assert.ok(Number.isInteger(minutes) && minutes >= 1 && minutes <= 10, String(minutes));
    assert.equal(calls(await ask("weather in lima?"))[0].args.city, "Lima");
    assert.equal(calls(await ask("Sydney weather tomorrow?"))[0].args.city, "Sydney");
  });

  test("the same request gives the same calls (ids stay unique per response)", async () => {
    const a = await ask("What's the weather in Paris and the time in Tokyo?");
    const b = await ask("What's the weather in Paris and the time in Tokyo?");
    assert.deepEqual(
      a.toolCalls.map((c) => [c.name, c.argumentsJson]),
      b.toolCalls.map((c) => [c.name, c.argumentsJson]),
    );
    assert.notEqual(a.toolCalls[0].id, b.toolCalls[0].id);
  });
});

describe("structured outputs take their fields from the prompt", () => {
  test("json_schema fields whose names match what the prompt gives are filled with it", async () => {
    const [, booking] = await env.client.chat
      .create({
        model: "grok-4",
        messages: [user("Book a table for 4 guests in Rome on 2026-06-12, name: Alan Turing, budget $120")],
      })
      .parse({
        type: "object",
        properties: {
          name: { type: "string" },
          city: { type: "string" },
          date: { type: "string", format: "date" },
          guests: { type: "integer", minimum: 1 },
          budget: { type: "number" },
          confirmed: { type: "boolean" },
        },
        required: ["name", "city", "date", "guests", "budget", "confirmed"],
        additionalProperties: false,
      });
    const { confirmed, ...fromPrompt } = booking as Record<string, unknown>;
    assert.equal(typeof confirmed, "boolean");
    assert.deepEqual(fromPrompt, {
      name: "Alan Turing",
      city: "Rome",
      date: "2026-06-12",
      guests: 4,
      budget: 120,
    });
  });
  test("with nothing to copy, fields still fit the prompt: a title from its words, plausible list items", async () => {
    const [, recipe] = await env.client.chat
      .create({ model: "grok-4", messages: [user("A quick pancake recipe, please.")] })
      .parse({
        type: "object",
        properties: {
          title: { type: "string" },
          servings: { type: "integer", minimum: 1, maximum: 12 },
          ingredients: { type: "array", items: { type: "string" }, minItems: 3, maxItems: 8 },
        },
        required: ["title", "servings", "ingredients"],
      });
    const { title, ingredients } = recipe as { title: string; ingredients: string[] };
    assert.equal(title, "Quick Pancake Recipe");
    assert.deepEqual(ingredients.slice(0, 3), ["flour", "milk", "eggs"]);
  });
});

// ---------------------------------------------------------------------------------------------------------

async function draw(prompt: string): Promise<{ bytes: Uint8Array; png: PNG }> {
  const image = await env.client.image.sample({ prompt, model: "grok-imagine-image", format: "base64" });
  const bytes = await image.bytes();
  return { bytes, png: PNG.sync.read(Buffer.from(bytes)) };
}

/** Share of pixels whose colour is dominated by one channel (0 red, 1 green, 2 blue). */
function dominated(png: PNG, channel: number): number {
  let count = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const c = png.data[i + channel];
    const others = [0, 1, 2].filter((k) => k !== channel).map((k) => png.data[i + k]);
    if (others.every((o) => c > o + 40)) count++;
  }
  return count / (png.width * png.height);
}

describe("images depend on the prompt", () => {
  test("the same prompt gives the same bytes; another prompt other bytes", async () => {
    const a = await draw("a lighthouse at dusk");
    const again = await draw("a lighthouse at dusk");
    const b = await draw("a fox in the snow");
    assert.deepEqual(again.bytes, a.bytes);
    assert.notDeepEqual(b.bytes, a.bytes);
    assert.ok(a.bytes.length < 64 * 1024, `${a.bytes.length} bytes`);
  });

  test("the colours the prompt names are the picture's colours", async () => {
    const red = await draw("a red square");
    const blue = await draw("a blue square");
    assert.ok(dominated(red.png, 0) > 0.6, `red share ${dominated(red.png, 0)}`);
    assert.ok(dominated(blue.png, 2) > 0.6, `blue share ${dominated(blue.png, 2)}`);
  });

  test("the prompt's words are written on it, in ink pixels of the caption band only", async () => {
    const { png } = await draw("a red cat");
    const { width, height } = png;
    let ink = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        if (png.data[i] === 250 && png.data[i + 1] === 250 && png.data[i + 2] === 250) {
          ink++;
          assert.ok(y > height * 0.7, `ink at ${x},${y}, above the caption band`);
        }
      }
    }
    // "A RED CAT": 7 glyphs of 3×5 cells, about half of them set, each cell 4×4 pixels at 256 px.
    assert.ok(ink > 7 * 5 * 16, `${ink} ink pixels`);
  });

  test("with the same seed, two captions differ only in the caption band (pure drawing)", () => {
    const seed = seedOf("fixed");
    const cat = drawPicture(128, 128, seed, "a cat");
    const dog = drawPicture(128, 128, seed, "a dog");
    let differing = 0;
    for (let i = 0; i < cat.data.length; i += 4) {
      if (cat.data[i] === dog.data[i] && cat.data[i + 1] === dog.data[i + 1]) continue;
      differing++;
      assert.ok(i / 4 / 128 > 128 * 0.7, `pixel row ${Math.floor(i / 4 / 128)} differs`);
    }
    assert.ok(differing > 20, `${differing} pixels differ`);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe("long streams: #chunks N and the older !chunks N", () => {
  for (const spelling of ["#chunks", "!chunks"]) {
    test(`${spelling} 2500 streams exactly 2500 content chunks, in order; the unary reply concatenates them`, async () => {
      const stream = env.client.chat
        .create({ model: "grok-3", messages: [user(`${spelling} 2500`)] })
        .stream();
      let chunks = 0;
      let content = "";
      for await (const [, chunk] of stream) {
        if (chunk.content) chunks++;
        content += chunk.content;
      }
      assert.equal(chunks, 2500);
      assert.ok(content.startsWith("0 1 2 "));
      assert.ok(content.endsWith("2498 2499 "));
      const unary = await env.client.chat
        .create({ model: "grok-3", messages: [user(`${spelling} 3`)] })
        .sample();
      assert.equal(unary.content, "0 1 2 ");
    });
  }

  test("#chunks out of range is INVALID_ARGUMENT naming the spelling used", async () => {
    await assert.rejects(
      env.client.chat.create({ model: "grok-3", messages: [user("#chunks 0")] }).sample(),
      /#chunks accepts 1 to 10000000 chunks, got 0/,
    );
  });
});
