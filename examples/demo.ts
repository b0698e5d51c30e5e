// A short tour of xai-grpc: `npm run demo`. No key and no network needed: the demo starts the local xAI emulator
// in this process and talks to it over real gRPC, exactly as it would talk to api.x.ai. (The emulator's answers
// are generated from the conversation, so they read like a model's without being one.)
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { Client, file, system, user } from "xai-grpc";
import { startEmulator } from "xai-grpc/testing";
import * as colors from "yoctocolors";
import { z } from "zod";

// Colour on a terminal only, never with NO_COLOR.
const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
const style = (paint: (text: string) => string) => (text: string) => (colour ? paint(text) : text);
const s = {
  bold: style(colors.bold),
  dim: style(colors.dim),
  cyan: style(colors.cyan),
  green: style(colors.green),
  magenta: style(colors.magenta),
  yellow: style(colors.yellow),
};
let stepNumber = 0;

/** Prints a step's title and what it shows. */
function step(title: string, what: string): void {
  stepNumber += 1;
  console.log(`\n${s.bold(s.cyan(`${stepNumber}. ${title}`))}`);
  console.log(s.dim(what));
}

/** Prints a line of the step's result. */
function show(label: string, value: string): void {
  console.log(`   ${s.bold(label)} ${value}`);
}

const started = performance.now();
console.log(s.bold("xai-grpc tour"));
console.log(s.dim("Everything below runs against the local emulator: no API key, no network."));
console.log(
  s.dim(
    "(Waits poll every 50 ms here because the emulator finishes jobs at once; the defaults suit the real API.)",
  ),
);

// ── The emulator and a client ────────────────────────────────────────────────────────────────────────────
step(
  "Start the emulator",
  "startEmulator() serves the whole xAI API on loopback; Client connects to it like to api.x.ai.",
);
const emulator = await startEmulator();
// The image and the video are saved here; the folder is removed at the end of the tour.
const outDir = await mkdtemp(join(tmpdir(), "xai-demo-"));
await using client = new Client(emulator.clientOptions());
show("API at", emulator.apiHost);
show("client", "new Client(emulator.clientOptions())");

try {
  // ── Multi-turn chat, streamed ──────────────────────────────────────────────────────────────────────────
  step(
    "Multi-turn chat, streamed",
    "client.chat.create() keeps the conversation; chat.stream() yields each chunk as it arrives; chat.append(response) carries it on.",
  );
  const chat = client.chat.create({
    model: "grok-4",
    messages: [system("You are a friendly guide who answers in two sentences.")],
  });
  for (const question of ["What is gRPC, in a nutshell?", "And why would an SDK use it?"]) {
    chat.append(user(question));
    console.log(`   ${s.green("you ›")} ${question}`);
    process.stdout.write(`   ${s.magenta("grok ›")} `);
    let chunks = 0;
    const stream = chat.stream();
    for await (const [, chunk] of stream) {
      chunks += 1;
      process.stdout.write(chunk.content);
    }
    const response = stream.response;
    process.stdout.write("\n");
    console.log(
      s.dim(
        `          ${chunks} chunks · ${response.usage?.promptTokens ?? 0} prompt + ${response.usage?.completionTokens ?? 0} completion tokens`,
      ),
    );
    chat.append(response);
  }
  show("history", `${chat.messages.length} messages kept (system, two questions, two answers)`);

  // ── Function calling ───────────────────────────────────────────────────────────────────────────────────
  step(
    "Function calling",
    "chat.runTools() samples, validates the arguments with your zod schema, runs your functions and samples again until the model answers.",
  );
  const weatherChat = client.chat.create({
    model: "grok-4",
    messages: [user("What's the weather in Paris and in Tokyo?")],
  });
  const { response: weatherAnswer, rounds } = await weatherChat.runTools({
    tools: {
      get_weather: {
        description: "The current weather of a city",
        parameters: z.object({ city: z.string().describe("the city's name") }),
        execute: ({ city }) => ({ city, celsius: city.length + 10, sky: "clear" }),
      },
    },
    onRound: (round) => {
      for (const outcome of round.calls) {
        show("model called", `${outcome.call.name}(${outcome.call.argumentsJson}) → ${outcome.output}`);
      }
    },
  });
  show("rounds", String(rounds.length));
  show("answer", weatherAnswer.content);

  // ── Structured output ──────────────────────────────────────────────────────────────────────────────────
  step(
    "Structured output",
    "chat.parse(schema) asks for JSON matching a zod schema and returns a typed, validated value.",
  );
  const Recipe = z.object({
    title: z.string().describe("the dish's name"),
    servings: z.number().int().min(1).max(12),
    ingredients: z.array(z.string()).min(3).max(8),
  });
  const recipeChat = client.chat.create({
    model: "grok-4",
    messages: [user("A quick pancake recipe, please.")],
  });
  const [, recipe] = await recipeChat.parse(Recipe);
  show("title", JSON.stringify(recipe.title));
  show("servings", String(recipe.servings));
  show(
    "ingredients",
    `${recipe.ingredients.length} (${recipe.ingredients
      .slice(0, 3)
      .map((i) => JSON.stringify(i))
      .join(", ")}…)`,
  );

  // ── Tokenization ───────────────────────────────────────────────────────────────────────────────────────
  step(
    "Tokenization",
    "client.tokenize.tokenize() shows how a model splits text into the tokens it is billed by.",
  );
  const text = "Tokenizers split text into pieces.";
  const tokens = await client.tokenize.tokenize(text, { model: "grok-4" });
  show("text", JSON.stringify(text));
  show(`${tokens.length} tokens`, tokens.tokens.map((t) => s.yellow(`[${t.text}]`)).join(""));

  // ── The model catalogue ────────────────────────────────────────────────────────────────────────────────
  step(
    "The model list",
    "client.models lists language, embedding and image models with their context length and prices.",
  );
  const models = await client.models.listLanguageModels();
  const nameWidth = Math.max(...models.map((m) => m.name.length));
  for (const model of models) {
    show(
      model.name.padEnd(nameWidth),
      `${model.maxPromptLength.toLocaleString("en-US").padStart(9)} tokens · $${model.prices.promptText} in / $${model.prices.completionText} out per million`,
    );
  }

  // ── Embeddings ─────────────────────────────────────────────────────────────────────────────────────────
  step(
    "Embeddings",
    "client.embeddings.create() turns texts into vectors (Float32Array) to compare by meaning.",
  );
  const embedded = await client.embeddings.create({
    model: "v1",
    input: ["a cat sleeping on a sofa", "a cat sleeping on a sofa", "quarterly tax filing deadlines"],
  });
  const [a, b, c] = embedded.vectors;
  const cosine = (x: Float32Array, y: Float32Array) => x.reduce((sum, v, i) => sum + v * y[i], 0);
  show("dimension", String(embedded.dimension));
  show("same text", `cosine ${cosine(a, b).toFixed(3)}`);
  show("other text", `cosine ${cosine(a, c).toFixed(3)}`);

  // ── Images ─────────────────────────────────────────────────────────────────────────────────────────────
  step("Image generation", "client.image.sample() generates an image; image.save(path) writes it to disk.");
  const image = await client.image.sample({
    prompt: "A lighthouse at dawn, watercolour",
    model: "grok-imagine-image",
    format: "base64",
  });
  const path = await image.save(join(outDir, "lighthouse.png"));
  const png = PNG.sync.read(await readFile(path));
  show("saved", `${path} (${png.width}×${png.height} PNG)`);

  // ── Files in a conversation ────────────────────────────────────────────────────────────────────────
  step(
    "Files",
    "client.files.upload() streams a file to storage; file({ fileId }) attaches it to a chat message.",
  );
  const notes = await client.files.upload(
    Buffer.from("Meeting notes: ship the CLI on Friday. Owner: Ada.\n"),
    {
      filename: "notes.txt",
    },
  );
  show("uploaded", `${notes.filename} → ${notes.id} (${notes.size} bytes)`);
  const fileChat = client.chat.create({
    model: "grok-4",
    messages: [user("Who owns the launch?", file({ fileId: notes.id }))],
  });
  show("answer", (await fileChat.sample()).content);

  // ── Batch ──────────────────────────────────────────────────────────────────────────────────────────────
  step(
    "Batch",
    "client.batch runs many chat and image requests asynchronously; waitUntilDone() polls until they finish.",
  );
  const batch = await client.batch.create({ name: "demo" });
  await client.batch.add(batch.id, [
    client.chat.create({ model: "grok-3", messages: [user("Name a colour.")], batchRequestId: "colour" }),
    client.chat.create({ model: "grok-3", messages: [user("Name a fruit.")], batchRequestId: "fruit" }),
    client.image.prepare({ prompt: "a red apple", model: "grok-2-image" }, { batchRequestId: "apple" }),
  ]);
  const finished = await client.batch.waitUntilDone(batch.id, { pollInterval: 50 });
  show("batch", `${batch.id}: ${finished.counts.succeeded} of ${finished.counts.total} succeeded`);
  for await (const result of client.batch.listResults(batch.id)) {
    show(
      `  ${result.id}`,
      result.kind === "chat" ? `chat: ${result.response.content.slice(0, 60)}…` : result.kind,
    );
  }

  // ── Video ──────────────────────────────────────────────────────────────────────────────────────────────
  step(
    "Video generation",
    "client.video.generate() starts a deferred job and polls it, reporting progress, until the video is ready.",
  );
  const progress: number[] = [];
  const video = await client.video.generate(
    { prompt: "Waves on a beach at sunset", model: "grok-imagine-video", duration: 2 },
    { pollInterval: 50, onProgress: (p) => progress.push(p.progress) },
  );
  const videoPath = await video.save(join(outDir, "waves.mp4"));
  show("progress", `${progress.map((p) => `${p}%`).join(" → ")} → done`);
  show("saved", `${videoPath} (${video.duration} s, ${(await stat(videoPath)).size} bytes)`);

  // ── Collections ────────────────────────────────────────────────────────────────────────────────────────
  step(
    "Collections",
    "client.collections indexes documents (management key) and searches them by meaning and keywords.",
  );
  const collection = await client.collections.create({ name: "handbook" });
  const handbook = {
    "vacation.txt": "Vacation: every employee has 25 days of paid leave a year.",
    "expenses.txt": "Expenses: travel is reimbursed within 14 days.",
  };
  await Promise.all(
    Object.entries(handbook).map(([filename, text]) =>
      client.collections.uploadDocument(
        collection.id,
        Buffer.from(text),
        { filename, waitForIndexing: true },
        { pollInterval: 50 },
      ),
    ),
  );
  show("indexed", Object.keys(handbook).join(", "));
  const found = await client.collections.search("How many vacation days do I get?", {
    collectionIds: [collection.id],
  });
  show("best match", JSON.stringify(found.matches[0]?.content ?? "(none)"));

  // ── The call log ───────────────────────────────────────────────────────────────────────────────────────
  step(
    "What the emulator saw",
    "emulator.calls logs every request (key masked), for your own tests to assert on.",
  );
  const counts = new Map<string, number>();
  for (const call of emulator.calls) counts.set(call.method, (counts.get(call.method) ?? 0) + 1);
  for (const [method, count] of counts) show(`${count}×`, method);
} finally {
  await emulator.stop();
  await rm(outDir, { recursive: true, force: true });
}

console.log(
  `\n${s.green("Done")} in ${((performance.now() - started) / 1000).toFixed(1)} s. Next: ${s.bold("npx xai chat")} against the real API with XAI_API_KEY set, or ${s.bold("npx xai emulator")} for a local one.`,
);
