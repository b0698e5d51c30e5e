import assert from "node:assert/strict";
import { once } from "node:events";
import { readdir, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { PNG } from "pngjs";
import { downloadBytes, downloadToFile } from "../src/core/download.js";
import { mimeTypeFromName, sniffMimeType } from "../src/core/mime.js";
import { DownloadError } from "../src/errors.js";
import {
  GeneratedImageSchema,
  GenerateImageRequestSchema,
  ImageResponseSchema,
} from "../src/gen/xai/api/v1/image_pb.js";
import { buildGenerateImageRequest } from "../src/image/request.js";
import { ImageResponse } from "../src/image/response.js";
import { ContentModeratedError, NotFoundError, UserAbortError, XaiInputError } from "../src/index.js";
import { useEmulator } from "./helpers/emulator.js";
import { useTempDir } from "./helpers/temp-dir.js";

const tmp = useTempDir("xai-image-test-");
let server: Server;
let base: string;
const png = PNG.sync.write(new PNG({ width: 3, height: 2 }));

before(async () => {
  server = createServer((req, res) => {
    if (req.url === "/img.png") {
      res.writeHead(200, { "content-type": "image/png" });
      res.end(png);
    } else if (req.url === "/slow") {
      res.writeHead(200);
      res.write("x");
      // never ends: the client's timeout must fire
    } else {
      res.writeHead(404, "Not Found");
      res.end();
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  server.close();
});

describe("downloads", () => {
  test("bytes and files arrive whole", async () => {
    assert.deepEqual(await downloadBytes(`${base}/img.png`), png);
    const path = join(tmp.path, "copy.png");
    await downloadToFile(`${base}/img.png`, path);
    assert.deepEqual(await readFile(path), png);
  });

  test("an HTTP error is a DownloadError with the status, and leaves no file", async () => {
    const path = join(tmp.path, "missing.png");
    await assert.rejects(downloadToFile(`${base}/missing.png`, path), (err: unknown) => {
      assert.ok(err instanceof DownloadError);
      assert.equal(err.httpStatus, 404);
      assert.equal(err.statusName, "NOT_FOUND");
      return true;
    });
    assert.deepEqual(
      (await readdir(tmp.path)).filter((f) => f.startsWith("missing")),
      [],
    );
  });

  test("the timeout covers the whole transfer; an abort is a UserAbortError", async () => {
    await assert.rejects(downloadBytes(`${base}/slow`, { timeout: 100 }), (err: unknown) => {
      assert.ok(err instanceof DownloadError);
      assert.equal(err.statusName, "DEADLINE_EXCEEDED");
      return true;
    });
    const controller = new AbortController();
    const pending = downloadBytes(`${base}/slow`, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("stop")), 20);
    await assert.rejects(pending, UserAbortError);
  });

  test("non-http URLs and bad timeouts are input errors", async () => {
    await assert.rejects(downloadBytes("file:///etc/passwd"), XaiInputError);
    await assert.rejects(downloadBytes("not a url"), XaiInputError);
    await assert.rejects(downloadBytes(`${base}/img.png`, { timeout: -1 }), XaiInputError);
  });

  test("media types from magic bytes and names", () => {
    assert.equal(sniffMimeType(png), "image/png");
    assert.equal(sniffMimeType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0, 0, 0, 0, 0])), "image/jpeg");
    assert.equal(sniffMimeType(Buffer.from("hello world, plain")), undefined);
    assert.equal(mimeTypeFromName("https://x.test/a/b.JPEG?sig=1"), "image/jpeg");
    assert.equal(mimeTypeFromName("clip.mp4"), "video/mp4");
    assert.equal(mimeTypeFromName("noext"), undefined);
  });
});

describe("image request building", () => {
  test("n and format are always present; unset options stay unset", () => {
    const request = buildGenerateImageRequest({ prompt: "p", model: "m" });
    // prompt, model, n=1, format=URL(2): the bytes the Python SDK sends
    assert.equal(
      Buffer.from(toBinary(GenerateImageRequestSchema, request)).toString("hex"),
      "0a017012016d18015802",
    );
  });

  test("options map to the wire enums; inputs by URL and file id", () => {
    const request = buildGenerateImageRequest({
      prompt: "p",
      model: "m",
      format: "base64",
      aspectRatio: "19.5:9",
      resolution: "2k",
      quality: "low",
      images: [
        { fileId: "file-1" },
        "https://x.test/a.png",
        { url: "data:image/png;base64,AA==", detail: "high" },
      ],
      storageOptions: { filename: "out.png", expiresAfter: 3600, publicUrl: { expiresAfter: 60 } },
      user: "u1",
    });
    assert.equal(request.format, 1);
    assert.equal(request.aspectRatio, 10);
    assert.equal(request.resolution, 2);
    assert.equal(request.quality, 1);
    assert.deepEqual(
      request.images.map((i) => [i.source.case, i.source.value, i.detail]),
      [
        ["fileId", "file-1", 1],
        ["imageUrl", "https://x.test/a.png", 1],
        ["imageUrl", "data:image/png;base64,AA==", 3],
      ],
    );
    assert.equal(request.storageOptions?.filename, "out.png");
    assert.equal(request.storageOptions?.expiresAfter, 3600n);
    assert.equal(request.storageOptions?.publicUrl?.expiresAfter, 60n);
    assert.equal(request.user, "u1");
  });

  test("bad input names the problem", () => {
    const ok = { prompt: "p", model: "m" };
    assert.throws(
      () => buildGenerateImageRequest({ ...ok, prompt: "" }),
      /prompt must be a non-empty string/,
    );
    assert.throws(
      () => buildGenerateImageRequest({ ...ok, aspectRatio: "5:4" as never }),
      /aspectRatio must be one of/,
    );
    assert.throws(
      () => buildGenerateImageRequest({ ...ok, format: "png" as never }),
      /format must be one of "url", "base64"/,
    );
    assert.throws(() => buildGenerateImageRequest({ ...ok, n: 11 }), /n must be a whole number from 1 to 10/);
    assert.throws(
      () => buildGenerateImageRequest({ ...ok, image: "https://a", images: ["https://b"] }),
      /either `image`.*or `images`/,
    );
    assert.throws(
      () => buildGenerateImageRequest({ ...ok, image: { url: "a", fileId: "b" } as never }),
      /not both/,
    );
    assert.throws(() => buildGenerateImageRequest({ ...ok, storageOptions: { filename: "" } }), /filename/);
    assert.throws(
      () =>
        buildGenerateImageRequest({ ...ok, storageOptions: { filename: "a", publicUrl: "yes" as never } }),
      /publicUrl must be true, false or/,
    );
  });
});

describe("image response", () => {
  function responseWith(images: Parameters<typeof create<typeof GeneratedImageSchema>>[1][]) {
    return create(ImageResponseSchema, {
      model: "grok-imagine-image",
      images: images.map((i) => create(GeneratedImageSchema, i)),
      usage: { costInUsdTicks: 200_000_000n },
    });
  }

  test("base64 data URLs decode; mime type, data URL and cost are exposed", async () => {
    const proto = responseWith([
      {
        image: { case: "base64", value: `data:image/png;base64,${png.toString("base64")}` },
        respectModeration: true,
      },
    ]);
    const image = new ImageResponse(proto, 0);
    assert.equal(image.mimeType, "image/png");
    assert.equal(image.base64, png.toString("base64"));
    assert.equal(image.dataUrl, `data:image/png;base64,${png.toString("base64")}`);
    assert.equal(image.costUsd, 0.02);
    assert.deepEqual(await image.bytes(), png);
    const path = join(tmp.path, "saved.png");
    assert.equal(await image.save(path), path);
    const decoded = PNG.sync.read(await readFile(path));
    assert.deepEqual([decoded.width, decoded.height], [3, 2]);
  });

  test("a moderated image without content rejects with ContentModeratedError", async () => {
    const image = new ImageResponse(responseWith([{ respectModeration: false }]), 0);
    assert.equal(image.url, undefined);
    await assert.rejects(image.bytes(), ContentModeratedError);
  });

  test("URL images download once; the type comes from the bytes", async () => {
    const image = new ImageResponse(
      responseWith([{ image: { case: "url", value: `${base}/img.png` }, respectModeration: true }]),
      0,
    );
    assert.equal(image.mimeType, "image/png");
    assert.deepEqual(await image.bytes(), png);
    assert.equal(await image.bytes(), await image.bytes());
  });

  test("the revised prompt is read from the legacy field 2 when the server sends it", () => {
    const withPrompt = new BinaryWriter().tag(2, 2).string("a detailed fox").tag(3, 2).string("u").finish();
    const proto = create(ImageResponseSchema, {
      images: [fromBinary(GeneratedImageSchema, withPrompt)],
    });
    assert.equal(new ImageResponse(proto).revisedPrompt, "a detailed fox");
    assert.equal(new ImageResponse(responseWith([{ respectModeration: true }])).revisedPrompt, undefined);
  });

  test("an index out of range is refused", () => {
    assert.throws(() => new ImageResponse(responseWith([{}]), 1), RangeError);
    assert.equal(ImageResponse.all(responseWith([{}, {}])).length, 2);
  });
});

describe("images against the emulator", () => {
  const env = useEmulator();

  test("sample by URL: downloads, decodes as PNG and saves", async () => {
    const image = await env.client.image.sample({
      prompt: "a lighthouse at dusk",
      model: "grok-imagine-image",
    });
    assert.ok(image.url?.startsWith(env.emulator.httpUrl));
    assert.equal(image.base64, undefined);
    assert.equal(image.respectModeration, true);
    assert.equal(image.model, "grok-imagine-image");
    assert.ok((image.costUsd ?? 0) > 0);
    const decoded = PNG.sync.read(await image.bytes());
    assert.deepEqual([decoded.width, decoded.height], [256, 256]);
    assert.equal(image.mimeType, "image/png");
    const path = join(tmp.path, "lighthouse.png");
    await image.save(path);
    assert.deepEqual(await readFile(path), await image.bytes());
    const request = env.emulator.calls.at(-1)?.request as unknown as { n?: number; format: number };
    assert.equal(request.n, 1);
    assert.equal(request.format, 2);
  });

  test("base64 format with aspect ratio and resolution", async () => {
    const image = await env.client.image.sample({
      prompt: "a wide valley",
      model: "grok-imagine-image",
      format: "base64",
      aspectRatio: "2:1",
      resolution: "2k",
    });
    assert.equal(image.url, undefined);
    assert.ok(image.base64 && image.base64.length > 100);
    assert.equal(image.mimeType, "image/png");
    assert.ok(image.dataUrl?.startsWith("data:image/png;base64,"));
    const decoded = PNG.sync.read(await image.bytes());
    assert.deepEqual([decoded.width, decoded.height], [512, 256]);
  });

  test("sampleBatch returns n distinct images sharing the request's cost", async () => {
    const images = await env.client.image.sampleBatch(3, {
      prompt: "logo ideas",
      model: "grok-2-image",
      format: "base64",
    });
    assert.equal(images.length, 3);
    assert.deepEqual(
      images.map((i) => i.index),
      [0, 1, 2],
    );
    assert.equal(new Set(images.map((i) => i.base64)).size, 3);
    assert.equal(images[0].costUsd, images[2].costUsd);
    const request = env.emulator.calls.at(-1)?.request as unknown as { n?: number } | undefined;
    assert.equal(request?.n, 3);
  });

  test("storage options store the image in files, with a public URL", async () => {
    const image = await env.client.image.sample({
      prompt: "a stored fox",
      model: "grok-imagine-image",
      storageOptions: { filename: "fox.png", publicUrl: true },
    });
    const output = image.fileOutput;
    assert.ok(output, "file output present");
    assert.equal(output.filename, "fox.png");
    assert.equal(image.storageError, undefined);
    assert.ok(image.publicUrl);
    assert.equal(image.publicUrl, output.publicUrl);
    const stored = await env.client.files.content(output.fileId);
    assert.deepEqual(stored, await image.bytes());
    assert.deepEqual(Buffer.from(await (await fetch(image.publicUrl)).arrayBuffer()), stored);
  });

  test("an edit from an uploaded file id keeps the input's ratio", async () => {
    const input = new PNG({ width: 40, height: 20 });
    input.data.fill(200);
    const file = await env.client.files.upload(PNG.sync.write(input), { filename: "input.png" });
    const edited = await env.client.image.sample({
      prompt: "make it blue",
      model: "grok-imagine-image",
      image: { fileId: file.id },
    });
    const decoded = PNG.sync.read(await edited.bytes());
    assert.equal(decoded.width, 2 * decoded.height);
    const request = env.emulator.calls.at(-1)?.request as unknown as {
      image?: { source: { case: string; value: string } };
    };
    assert.deepEqual(request.image?.source, { case: "fileId", value: file.id });
  });

  test("a moderated image has no content and says so", async () => {
    const image = await env.client.image.sample({
      prompt: "[moderated] something",
      model: "grok-imagine-image",
    });
    assert.equal(image.respectModeration, false);
    await assert.rejects(image.save(join(tmp.path, "moderated.png")), ContentModeratedError);
  });

  test("prepare builds the batch request without calling", () => {
    const calls = env.emulator.calls.length;
    const prepared = env.client.image.prepare({ prompt: "p", model: "m" }, { batchRequestId: "img-1" });
    assert.equal(prepared.kind, "image");
    assert.equal(prepared.batchRequestId, "img-1");
    assert.equal(prepared.proto.n, 1);
    const entry = prepared.toBatchRequest();
    assert.equal(entry.batchRequestId, "img-1");
    assert.equal(entry.request.case, "imageRequest");
    assert.equal(env.client.image.prepare({ prompt: "p", model: "m", n: 4 }).proto.n, 4);
    assert.equal(
      env.client.image.prepare({ prompt: "p", model: "m" }).toBatchRequest().batchRequestId,
      undefined,
    );
    assert.equal(env.emulator.calls.length, calls);
  });

  test("invalid requests are rejected before any call; unknown models are NOT_FOUND", async () => {
    const calls = env.emulator.calls.length;
    const ok = { prompt: "p", model: "grok-imagine-image" };
    await assert.rejects(env.client.image.sample({ ...ok, n: 2 }), /sampleBatch\(2, params\)/);
    await assert.rejects(env.client.image.sampleBatch(0, ok), /from 1 to 10/);
    await assert.rejects(env.client.image.sampleBatch(2, { ...ok, n: 3 }), /give the count once/);
    await assert.rejects(env.client.image.sample({ ...ok, resolution: "4k" as never }), XaiInputError);
    await assert.rejects(
      env.client.image.sample({ ...ok, quality: "ultra" as never }),
      /quality must be one of/,
    );
    assert.throws(() => env.client.image.prepare({ ...ok, images: [] }), /non-empty array/);
    assert.throws(() => env.client.image.prepare(ok, { batchRequestId: "" }), /batchRequestId/);
    assert.equal(env.emulator.calls.length, calls);
    await assert.rejects(env.client.image.sample({ ...ok, model: "grok-4" }), NotFoundError);
  });
});
