// Bad inputs to every public function: each gets a clear, typed error raised before any network activity, which
// the emulator's call log proves (no call reaches it). Two tables: the arguments of each function, and the
// per-call options (timeout 0, NaN, negative, not a number; an AbortSignal already aborted) applied to every
// method that takes them.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  type CallOptions,
  Client,
  image,
  tool,
  UserAbortError,
  user,
  XaiError,
  XaiInputError,
} from "../src/index.js";
import { type Emulator, startEmulator } from "../src/testing/index.js";

let emu: Emulator;
let client: Client;

before(async () => {
  emu = await startEmulator();
  client = new Client(emu.clientOptions());
});

after(async () => {
  client.close();
  await emu.stop();
});

const MODEL = "grok-3";
const chat = () => client.chat.create({ model: MODEL, messages: [user("hi")] });

/** Calls `f`, whether it throws synchronously or returns a promise that rejects, and returns what it threw. */
async function thrown(f: () => unknown): Promise<unknown> {
  try {
    const value = f();
    if (value && typeof (value as Promise<unknown>).then === "function") await value;
    else if (value && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") {
      for await (const _ of value as AsyncIterable<unknown>) {
        // a stream: its first step makes the call
      }
    }
  } catch (err) {
    return err;
  }
  return undefined;
}

/** A bad input: the call, and what its error message must say (the parameter, or the problem). */
type Row = [what: string, call: () => unknown, message: RegExp];

const argumentRows: Row[] = [
  // chat.create: every option is checked when the chat is created
  ["chat.create: empty model", () => client.chat.create({ model: "" }), /model/],
  ["chat.create: model not a string", () => client.chat.create({ model: 42 as never }), /model/],
  ["chat.create: no options", () => client.chat.create(undefined as never), /model|options/],
  [
    "chat.create: messages not an array",
    () => client.chat.create({ model: MODEL, messages: "hi" as never }),
    /messages/,
  ],
  [
    "chat.create: a plain message with an unknown role",
    () => client.chat.create({ model: MODEL, messages: [{ role: "usr", content: "hi" } as never] }),
    /messages\[0\]\.role/,
  ],
  [
    "chat.create: reasoningEffort not one of the values",
    () => client.chat.create({ model: MODEL, reasoningEffort: "extreme" as never }),
    /reasoningEffort/,
  ],
  [
    "chat.create: serviceTier not one of the values",
    () => client.chat.create({ model: MODEL, serviceTier: "gold" as never }),
    /serviceTier/,
  ],
  [
    "chat.create: include with an unknown option",
    () => client.chat.create({ model: MODEL, include: ["everything" as never] }),
    /include/,
  ],
  [
    "chat.create: toolChoice not one of the values",
    () => client.chat.create({ model: MODEL, toolChoice: "sometimes" as never }),
    /toolChoice/,
  ],
  [
    "chat.create: agentCount not 4 or 16",
    () => client.chat.create({ model: MODEL, agentCount: 5 as never }),
    /agentCount/,
  ],
  [
    "chat.create: responseFormat not one of the forms",
    () => client.chat.create({ model: MODEL, responseFormat: "yaml" as never }),
    /responseFormat/,
  ],
  [
    "chat.create: temperature above 2",
    () => client.chat.create({ model: MODEL, temperature: 3 }),
    /temperature/,
  ],
  [
    "chat.create: temperature NaN",
    () => client.chat.create({ model: MODEL, temperature: Number.NaN }),
    /temperature/,
  ],
  ["chat.create: topP negative", () => client.chat.create({ model: MODEL, topP: -0.1 }), /topP/],
  ["chat.create: maxTokens 0", () => client.chat.create({ model: MODEL, maxTokens: 0 }), /maxTokens/],
  ["chat.create: maxTokens negative", () => client.chat.create({ model: MODEL, maxTokens: -5 }), /maxTokens/],
  [
    "chat.create: maxTokens fractional",
    () => client.chat.create({ model: MODEL, maxTokens: 1.5 }),
    /maxTokens/,
  ],
  [
    "chat.create: topLogprobs above 8",
    () => client.chat.create({ model: MODEL, logprobs: true, topLogprobs: 9 }),
    /topLogprobs/,
  ],
  [
    "chat.create: frequencyPenalty out of range",
    () => client.chat.create({ model: MODEL, frequencyPenalty: 5 }),
    /frequencyPenalty/,
  ],
  [
    "chat.create: a misspelt option",
    () => client.chat.create({ model: MODEL, temprature: 1 } as never),
    /temprature/,
  ],
  [
    "chat.create: tools not an array",
    () => client.chat.create({ model: MODEL, tools: tool("f", "d", { type: "object" }) as never }),
    /tools/,
  ],
  // tools and schemas
  [
    "tool: a schema that is not JSON Schema (unknown type)",
    () => tool("f", "d", { type: "objekt" } as never),
    /schema|type/i,
  ],
  [
    "tool: a schema that is not JSON Schema (properties not an object)",
    () => tool("f", "d", { type: "object", properties: 5 } as never),
    /schema|properties/i,
  ],
  ["tool: a schema that is a number", () => tool("f", "d", 42 as never), /schema|parameters/i],
  ["tool: empty name", () => tool("", "d", { type: "object" }), /name/],
  ["tool: a name with spaces", () => tool("get weather", "d", { type: "object" }), /name/],
  // messages
  ["user: content that is a number", () => user(42 as never), /argument 1 must be a string/],
  ["image: not a URL, data URL or bytes", () => image("not a url"), /image|URL/i],
  // chat calls
  ["chat.sample: no messages", () => client.chat.create({ model: MODEL }).sample(), /message|conversation/i],
  ["chat.stream: no messages", () => client.chat.create({ model: MODEL }).stream(), /message|conversation/i],
  ["chat.sampleBatch: negative n", () => chat().sampleBatch(-1), /\bn\b/],
  ["chat.sampleBatch: n = 0", () => chat().sampleBatch(0), /\bn\b/],
  ["chat.sampleBatch: fractional n", () => chat().sampleBatch(1.5), /\bn\b/],
  ["chat.streamBatch: negative n", () => chat().streamBatch(-1), /\bn\b/],
  ["chat.deferBatch: negative n", () => chat().deferBatch(-2), /\bn\b/],
  ["chat.parse: a schema that is not a schema", () => chat().parse(42 as never), /schema/i],
  [
    "chat.append: something that is not a message or response",
    () => chat().append({ text: "hi" } as never),
    /append|message/i,
  ],
  ["chat.getStoredCompletion: empty id", () => client.chat.getStoredCompletion(""), /id/i],
  ["chat.deleteStoredCompletion: empty id", () => client.chat.deleteStoredCompletion(""), /id/i],
  // models, tokenize, embeddings
  ["models.getLanguageModel: empty name", () => client.models.getLanguageModel(""), /name|model/i],
  ["models.getEmbeddingModel: empty name", () => client.models.getEmbeddingModel(""), /name|model/i],
  [
    "models.getImageGenerationModel: empty name",
    () => client.models.getImageGenerationModel(""),
    /name|model/i,
  ],
  ["tokenize: empty model", () => client.tokenize.tokenize("hi", { model: "" }), /model/],
  ["tokenize: text not a string", () => client.tokenize.tokenize(42 as never, { model: MODEL }), /text/],
  ["embeddings.create: empty model", () => client.embeddings.create({ model: "", input: "x" }), /model/],
  ["embeddings.create: no input", () => client.embeddings.create({ model: "v1", input: [] }), /input/],
  [
    "embeddings.create: input a number",
    () => client.embeddings.create({ model: "v1", input: 42 as never }),
    /input/,
  ],
  // images and videos
  ["image.sample: empty prompt", () => client.image.sample({ prompt: "", model: "grok-2-image" }), /prompt/],
  ["image.sample: empty model", () => client.image.sample({ prompt: "a cat", model: "" }), /model/],
  [
    "image.sample: negative n",
    () => client.image.sample({ prompt: "a cat", model: "grok-2-image", n: -1 }),
    /n must be a whole number from 1 to 10, got -1/,
  ],
  [
    "image.sampleBatch: negative n",
    () => client.image.sampleBatch(-1, { prompt: "a cat", model: "grok-2-image" }),
    /\bn\b/,
  ],
  [
    "image.sample: invalid format",
    () => client.image.sample({ prompt: "a cat", model: "grok-2-image", format: "gif" as never }),
    /format/,
  ],
  [
    "image.sample: invalid aspect ratio",
    () => client.image.sample({ prompt: "a cat", model: "grok-2-image", aspectRatio: "7:5" as never }),
    /aspect/i,
  ],
  [
    "video.generate: empty prompt",
    () => client.video.generate({ prompt: "", model: "grok-imagine-video" }),
    /prompt/,
  ],
  [
    "video.start: negative duration",
    () => client.video.start({ prompt: "waves", model: "grok-imagine-video", duration: -5 }),
    /duration/,
  ],
  [
    "video.start: invalid aspect ratio",
    () => client.video.start({ prompt: "waves", model: "grok-imagine-video", aspectRatio: "7:5" as never }),
    /aspect/i,
  ],
  ["video.get: empty request id", () => client.video.get(""), /id/i],
  // files
  [
    "files.upload: a path that does not exist",
    () => client.files.upload("/no/such/dir/report.pdf"),
    /no\/such\/dir\/report\.pdf|not exist|no such file/i,
  ],
  ["files.upload: a directory", () => client.files.upload("/tmp"), /directory|not a file|\/tmp/i],
  ["files.upload: bytes without a filename", () => client.files.upload(Buffer.from("hello")), /filename/],
  ["files.get: empty id", () => client.files.get(""), /id/i],
  ["files.delete: empty id", () => client.files.delete(""), /id/i],
  ["files.content: empty id", () => client.files.content(""), /id/i],
  ["files.list: negative limit", () => client.files.list({ limit: -1 }), /limit/],
  ["files.list: invalid order", () => client.files.list({ order: "up" as never }), /order/],
  // batches and collections
  ["batch.create: empty name", () => client.batch.create(""), /name/],
  ["batch.get: empty id", () => client.batch.get(""), /id/i],
  ["batch.add: empty id", () => client.batch.add("", []), /id/i],
  ["collections.create: empty name", () => client.collections.create({ name: "" }), /name/],
  ["collections.get: empty id", () => client.collections.get(""), /id/i],
];

describe("bad arguments: a clear XaiInputError and no RPC", () => {
  for (const [what, call, message] of argumentRows) {
    test(what, async () => {
      const before = emu.calls.length;
      const err = await thrown(call);
      assert.ok(
        err instanceof XaiInputError,
        `expected an XaiInputError, got ${err === undefined ? "no error" : String(err)}`,
      );
      assert.match(err.message, message);
      // A clear error is a sentence of some length that names the problem, not a bare "invalid argument".
      assert.ok(err.message.length >= 20, `message too terse: ${err.message}`);
      assert.equal(err.method, undefined, "raised before any call");
      assert.equal(emu.calls.length, before, `no call reached the emulator (${emu.calls.at(-1)?.method})`);
    });
  }
});

const IMAGE = { prompt: "a lighthouse", model: "grok-2-image" } as const;
const VIDEO = { prompt: "waves", model: "grok-imagine-video" } as const;

/** Every method that takes per-call options, with valid arguments. */
const methodsWithOptions: [name: string, call: (options: CallOptions) => unknown][] = [
  ["chat.sample", (o) => chat().sample(o)],
  ["chat.stream", (o) => chat().stream(o)],
  ["chat.sampleBatch", (o) => chat().sampleBatch(2, o)],
  ["chat.streamBatch", (o) => chat().streamBatch(2, o)],
  ["chat.parse", (o) => chat().parse({ type: "object", properties: { a: { type: "string" } } }, o)],
  ["chat.compact", (o) => chat().compact(o)],
  ["chat.getStoredCompletion", (o) => client.chat.getStoredCompletion("resp-1", o)],
  ["chat.deleteStoredCompletion", (o) => client.chat.deleteStoredCompletion("resp-1", o)],
  ["chat.compactContext", (o) => client.chat.compactContext(MODEL, [user("hi")], o)],
  ["auth.apiKeyInfo", (o) => client.auth.apiKeyInfo(o)],
  ["models.listLanguageModels", (o) => client.models.listLanguageModels(o)],
  ["models.getLanguageModel", (o) => client.models.getLanguageModel(MODEL, o)],
  ["models.listEmbeddingModels", (o) => client.models.listEmbeddingModels(o)],
  ["models.getEmbeddingModel", (o) => client.models.getEmbeddingModel("v1", o)],
  ["models.listImageGenerationModels", (o) => client.models.listImageGenerationModels(o)],
  ["models.getImageGenerationModel", (o) => client.models.getImageGenerationModel("grok-2-image", o)],
  ["tokenize.tokenize", (o) => client.tokenize.tokenize("hi", { model: MODEL }, o)],
  ["embeddings.create", (o) => client.embeddings.create({ model: "v1", input: "x" }, o)],
  ["image.sample", (o) => client.image.sample(IMAGE, o)],
  ["image.sampleBatch", (o) => client.image.sampleBatch(2, IMAGE, o)],
  ["video.start", (o) => client.video.start(VIDEO, o)],
  ["video.get", (o) => client.video.get("video-1", o)],
  ["files.upload", (o) => client.files.upload(Buffer.from("hello"), { filename: "a.txt" }, o)],
  ["files.list", (o) => client.files.list({}, o)],
  ["files.get", (o) => client.files.get("file-1", o)],
  ["files.delete", (o) => client.files.delete("file-1", o)],
  ["files.content", (o) => client.files.content("file-1", {}, o)],
  ["files.createPublicUrl", (o) => client.files.createPublicUrl("file-1", {}, o)],
  ["files.revokePublicUrl", (o) => client.files.revokePublicUrl("file-1", o)],
  ["batch.create", (o) => client.batch.create("nightly", o)],
  ["batch.get", (o) => client.batch.get("batch-1", o)],
  ["batch.cancel", (o) => client.batch.cancel("batch-1", o)],
  ["batch.list", (o) => client.batch.list({}, o)],
  ["batch.listRequestMetadata", (o) => client.batch.listRequestMetadata("batch-1", {}, o)],
  ["batch.listResults", (o) => client.batch.listResults("batch-1", {}, o)],
  ["batch.getResult", (o) => client.batch.getResult("batch-1", "req-1", o)],
  ["collections.create", (o) => client.collections.create({ name: "docs" }, o)],
  ["collections.update", (o) => client.collections.update("col-1", { name: "docs" }, o)],
  ["collections.get", (o) => client.collections.get("col-1", o)],
  ["collections.delete", (o) => client.collections.delete("col-1", o)],
  ["collections.list", (o) => client.collections.list({}, o)],
  ["collections.listDocuments", (o) => client.collections.listDocuments("col-1", {}, o)],
  ["collections.getDocument", (o) => client.collections.getDocument("col-1", "file-1", o)],
  ["collections.getDocuments", (o) => client.collections.getDocuments("col-1", ["file-1"], o)],
  ["collections.removeDocument", (o) => client.collections.removeDocument("col-1", "file-1", o)],
  ["collections.reindexDocument", (o) => client.collections.reindexDocument("col-1", "file-1", o)],
  ["collections.generateDescription", (o) => client.collections.generateDescription("col-1", o)],
  ["collections.search", (o) => client.collections.search("vacation days", { collectionIds: ["col-1"] }, o)],
];

const aborted = () => {
  const controller = new AbortController();
  controller.abort(new Error("the user changed their mind"));
  return controller.signal;
};

const badOptions: [what: string, options: () => CallOptions, check: (err: unknown) => void][] = [
  ["timeout 0", () => ({ timeout: 0 }), (err) => assertInput(err, /timeout/)],
  ["timeout NaN", () => ({ timeout: Number.NaN }), (err) => assertInput(err, /timeout/)],
  ["negative timeout", () => ({ timeout: -1 }), (err) => assertInput(err, /timeout/)],
  ["timeout as a string", () => ({ timeout: "30s" as never }), (err) => assertInput(err, /timeout/)],
  [
    "a signal that is not an AbortSignal",
    () => ({ signal: {} as never }),
    (err) => assertInput(err, /signal/),
  ],
  [
    "an AbortSignal aborted before the call",
    () => ({ signal: aborted() }),
    (err) => {
      assert.ok(err instanceof UserAbortError, `expected UserAbortError, got ${String(err)}`);
      assert.equal((err.reason as Error).message, "the user changed their mind");
    },
  ],
];

function assertInput(err: unknown, message: RegExp): void {
  assert.ok(
    err instanceof XaiInputError,
    `expected an XaiInputError, got ${err === undefined ? "no error" : String(err)}`,
  );
  assert.match(err.message, message);
}

describe("bad per-call options on every method: a clear error and no RPC", () => {
  for (const [what, options, check] of badOptions) {
    test(what, async () => {
      const failures: string[] = [];
      for (const [name, call] of methodsWithOptions) {
        const before = emu.calls.length;
        const err = await thrown(() => call(options()));
        try {
          check(err);
          assert.ok(err instanceof XaiError);
          assert.equal(emu.calls.length, before, `a call reached the emulator: ${emu.calls.at(-1)?.method}`);
        } catch (e) {
          failures.push(`${name}: ${(e as Error).message.split("\n")[0]}`);
        }
      }
      assert.deepEqual(failures, []);
    });
  }
});
