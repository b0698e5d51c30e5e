import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { Embeddings } from "../src/embeddings/client.js";
import { EmbedResponseSchema } from "../src/gen/xai/api/v1/embed_pb.js";
import { NotFoundError, XaiInputError } from "../src/index.js";
import { useEmulator } from "./helpers/emulator.js";

const env = useEmulator();

function norm(v: Float32Array): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot / (norm(a) * norm(b));
}

describe("embeddings", () => {
  test("one Float32Array per input, in order, with the model's dimension and usage", async () => {
    const texts = ["a red apple", "a green apple", "quantum chromodynamics"];
    const result = await env.client.embeddings.create({ model: "v1", input: texts });
    assert.equal(result.vectors.length, 3);
    for (const v of result.vectors) {
      assert.ok(v instanceof Float32Array);
      assert.equal(v.length, 256);
      assert.ok(Math.abs(norm(v) - 1) < 1e-3);
    }
    assert.equal(result.dimension, 256);
    assert.deepEqual(result.usage, { textEmbeddings: 3, imageEmbeddings: 0 });
    assert.equal(result.model, "v1");
    assert.deepEqual(
      result.embeddings.map((e) => e.index),
      [0, 1, 2],
    );
    // order: the second vector is the one the second text gets on its own
    const alone = await env.client.embeddings.create({ model: "v1", input: "a green apple" });
    assert.deepEqual(alone.vectors[0], result.vectors[1]);
    // related texts are closer than unrelated ones
    const [red, green, physics] = result.vectors;
    assert.ok(cosine(red, green) > cosine(red, physics));
  });

  test("images by data URL and by file id count as image embeddings", async () => {
    const file = await env.client.files.upload(Buffer.from("not really a picture"), { filename: "pic.png" });
    const result = await env.client.embeddings.create({
      model: "v1",
      input: ["caption", { url: "data:image/png;base64,iVBORw0KGgo=" }, { fileId: file.id, detail: "low" }],
    });
    assert.deepEqual(result.usage, { textEmbeddings: 1, imageEmbeddings: 2 });
    const request = env.emulator.calls.at(-1)?.request as unknown as { input: { input: { case: string } }[] };
    assert.deepEqual(
      request.input.map((i) => i.input.case),
      ["string", "imageUrl", "imageUrl"],
    );
  });

  test("an unknown model is NOT_FOUND", async () => {
    await assert.rejects(env.client.embeddings.create({ model: "v9", input: "x" }), NotFoundError);
  });

  test("bad input is rejected before any call", async () => {
    const calls = env.emulator.calls.length;
    await assert.rejects(env.client.embeddings.create({ model: "v1", input: [] }), /non-empty list/);
    await assert.rejects(env.client.embeddings.create({ model: "", input: "x" }), /model must be/);
    await assert.rejects(
      env.client.embeddings.create({ model: "v1", input: [42 as never] }),
      /input\[0\] must be a text/,
    );
    await assert.rejects(env.client.embeddings.create({ model: "v1", input: [{ url: "" }] }), XaiInputError);
    await assert.rejects(env.client.embeddings.create(undefined as never), XaiInputError);
    assert.equal(env.emulator.calls.length, calls);
  });

  test("base64 vectors (little-endian float32) decode like float arrays", () => {
    const floats = Float32Array.from([0.5, -1.25, 3]);
    const proto = create(EmbedResponseSchema, {
      embeddings: [
        { index: 1, embeddings: [{ floatArray: [1, 2] }] },
        { index: 0, embeddings: [{ base64Array: Buffer.from(floats.buffer).toString("base64") }] },
      ],
    });
    const result = new Embeddings(proto);
    assert.deepEqual(result.vectors, [floats, Float32Array.from([1, 2])]);
  });
});
