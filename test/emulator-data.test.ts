// The emulator's data services (Files, Image, Video, BatchMgmt, Documents, Collections) over real gRPC on
// loopback, through raw grpc-js clients built from the generated descriptors: no SDK code.
import assert from "node:assert/strict";
import { existsSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { create, type MessageInitShape, toJsonString } from "@bufbuild/protobuf";
import { PNG } from "pngjs";
import { BatchMgmt, BatchRequestMetadata_State, BatchRequestSchema } from "../src/gen/xai/api/v1/batch_pb.js";
import { MessageRole } from "../src/gen/xai/api/v1/chat_pb.js";
import {
  Collections,
  CollectionsSortBy,
  DocumentStatus,
  FieldDefinitionOperation,
} from "../src/gen/xai/api/v1/collections_pb.js";
import { DeferredStatus } from "../src/gen/xai/api/v1/deferred_pb.js";
import { Documents } from "../src/gen/xai/api/v1/documents_pb.js";
import { Files, FilesSortBy, Ordering, type UploadFileChunkSchema } from "../src/gen/xai/api/v1/files_pb.js";
import {
  Image,
  ImageAspectRatio,
  ImageFormat,
  ImageResolution,
  type ImageResponse,
} from "../src/gen/xai/api/v1/image_pb.js";
import { Ordering as SharedOrdering } from "../src/gen/xai/api/v1/shared_pb.js";
import { ChunkConfigurationSchema } from "../src/gen/xai/api/v1/types_pb.js";
import {
  type GeneratedVideo,
  type GetDeferredVideoResponse,
  Video,
  VideoAspectRatio,
} from "../src/gen/xai/api/v1/video_pb.js";
import { Code, startEmulator } from "../src/testing/index.js";
import { chunkText, scoreChunks, termsOf } from "../src/testing/store/chunking.js";
import { compileFilter } from "../src/testing/store/filter.js";
import { pageOf } from "../src/testing/store/pagination.js";
import { tokenize as tokenizeText } from "../src/testing/tokenizer.js";
import { useRawEmulator } from "./helpers/emulator.js";
import { RawClient, rejectsWithStatus } from "./helpers/raw-client.js";

// ---- helpers -----------------------------------------------------------------------------------------

const bytesOf = (text: string) => new TextEncoder().encode(text);

/** UploadFile data messages of at most `size` bytes each. */
function dataChunks(content: Uint8Array, size: number): MessageInitShape<typeof UploadFileChunkSchema>[] {
  const chunks: MessageInitShape<typeof UploadFileChunkSchema>[] = [];
  for (let offset = 0; offset < content.length; offset += size) {
    chunks.push({ chunk: { case: "data", value: content.subarray(offset, offset + size) } });
  }
  return chunks;
}

// ---- fixtures -----------------------------------------------------------------------------------------

/** Documents and batch requests take this long (on the emulator's clock, which the tests advance). */
const DELAY = 60_000;

const env = useRawEmulator({ deferredPolls: 2, processingDelayMs: DELAY });

async function upload(name: string, content: Uint8Array | string, expiresAfter?: bigint) {
  const data = typeof content === "string" ? bytesOf(content) : content;
  return env.api.clientStreamOk(Files.method.uploadFile, [
    { chunk: { case: "init", value: { name, expiresAfter } } },
    { chunk: { case: "data", value: data } },
  ]);
}

async function fetchBytes(url: string): Promise<{ status: number; bytes: Uint8Array; type: string | null }> {
  const response = await fetch(url);
  return {
    status: response.status,
    bytes: new Uint8Array(await response.arrayBuffer()),
    type: response.headers.get("content-type"),
  };
}

function decodePng(bytes: Uint8Array): PNG {
  return PNG.sync.read(Buffer.from(bytes));
}

function pngFromBase64(image: ImageResponse["images"][number]): PNG {
  assert.equal(image.image.case, "base64");
  const value = image.image.value as string;
  assert.ok(value.startsWith("data:image/png;base64,"), "base64 images are PNG data URLs");
  return decodePng(Buffer.from(value.slice("data:image/png;base64,".length), "base64"));
}

function averageColour(png: PNG): [number, number, number] {
  const sum = [0, 0, 0];
  for (let i = 0; i < png.data.length; i += 4) for (let c = 0; c < 3; c++) sum[c] += png.data[i + c];
  const count = png.data.length / 4;
  return [sum[0] / count, sum[1] / count, sum[2] / count];
}

// ---- Files --------------------------------------------------------------------------------------------

describe("Files", () => {
  test("upload, retrieve, download in 1 MiB chunks, delete", async () => {
    const content = new Uint8Array(2.5 * 1024 * 1024).map((_, i) => (i * 7) % 251);
    const chunks = dataChunks(content, 1024 * 1024);
    const file = await env.api.clientStreamOk(Files.method.uploadFile, [
      { chunk: { case: "init", value: { name: "blob.bin", expiresAfter: 7200n } } },
      ...chunks,
    ]);
    assert.equal(file.filename, "blob.bin");
    assert.equal(file.size, BigInt(content.length));
    assert.ok(file.expiresAt && file.createdAt);
    assert.equal(Number(file.expiresAt.seconds - file.createdAt.seconds), 7200);

    const retrieved = await env.api.unaryOk(Files.method.retrieveFile, { fileId: file.id });
    assert.equal(
      toJsonString(Files.method.retrieveFile.output, retrieved),
      toJsonString(Files.method.retrieveFile.output, file),
    );

    const pieces = await env.api.serverStreamOk(Files.method.retrieveFileContent, { fileId: file.id });
    assert.deepEqual(
      pieces.map((p) => p.data.length),
      [1024 * 1024, 1024 * 1024, 512 * 1024],
    );
    assert.deepEqual(Buffer.concat(pieces.map((p) => p.data)), Buffer.from(content));

    const deleted = await env.api.unaryOk(Files.method.deleteFile, { fileId: file.id });
    assert.deepEqual([deleted.id, deleted.deleted], [file.id, true]);
    await rejectsWithStatus(
      env.api.unaryOk(Files.method.retrieveFile, { fileId: file.id }),
      Code.NOT_FOUND,
      /does not exist/,
    );
    await rejectsWithStatus(
      env.api.serverStreamOk(Files.method.retrieveFileContent, { fileId: file.id }),
      Code.NOT_FOUND,
      /file/,
    );
    await rejectsWithStatus(
      env.api.unaryOk(Files.method.deleteFile, { fileId: file.id }),
      Code.NOT_FOUND,
      /does not exist/,
    );
  });

  test("large uploads are kept on disk, removed on delete and when the emulator stops", async () => {
    const own = await startEmulator();
    const client = new RawClient(own.apiHost, own.apiKey);
    const foldersBefore = new Set(
      readdirSync(tmpdir()).filter((name) => name.startsWith("xai-emulator-files-")),
    );
    const size = 20 * 1024 * 1024 + 5;
    const content = new Uint8Array(size).map((_, i) => (i * 31) % 253);
    const chunks = dataChunks(content, 3 * 1024 * 1024);
    const upload = (name: string) =>
      client.clientStreamOk(Files.method.uploadFile, [
        { chunk: { case: "init", value: { name } } },
        ...chunks,
      ]);
    const file = await upload("big.bin");
    assert.equal(file.size, BigInt(size));
    const folder = readdirSync(tmpdir())
      .filter((name) => name.startsWith("xai-emulator-files-") && !foldersBefore.has(name))
      .map((name) => join(tmpdir(), name))
      .find((path) => readdirSync(path).some((entry) => statSync(join(path, entry)).size === size));
    assert.ok(folder, "the upload was written to the emulator's temporary folder");
    const pieces = await client.serverStreamOk(Files.method.retrieveFileContent, { fileId: file.id });
    assert.equal(pieces.length, 21);
    assert.ok(Buffer.concat(pieces.map((p) => p.data)).equals(content));
    await client.unaryOk(Files.method.deleteFile, { fileId: file.id });
    assert.deepEqual(readdirSync(folder), []);
    await upload("big-again.bin");
    assert.equal(readdirSync(folder).length, 1);
    client.close();
    await own.stop();
    assert.equal(existsSync(folder), false, "stop() removes the folder");
  });

  test("an empty file is only an init message", async () => {
    const file = await env.api.clientStreamOk(Files.method.uploadFile, [
      { chunk: { case: "init", value: { name: "empty.txt" } } },
    ]);
    assert.equal(file.size, 0n);
    const pieces = await env.api.serverStreamOk(Files.method.retrieveFileContent, { fileId: file.id });
    assert.equal(pieces.length, 0);
  });

  test("malformed uploads are refused with INVALID_ARGUMENT", async () => {
    await rejectsWithStatus(
      env.api.clientStreamOk(Files.method.uploadFile, [{ chunk: { case: "data", value: bytesOf("x") } }]),
      Code.INVALID_ARGUMENT,
      /data before its init/,
    );
    await rejectsWithStatus(
      env.api.clientStreamOk(Files.method.uploadFile, []),
      Code.INVALID_ARGUMENT,
      /without an init/,
    );
    await rejectsWithStatus(
      env.api.clientStreamOk(Files.method.uploadFile, [
        { chunk: { case: "init", value: { name: "a" } } },
        { chunk: { case: "init", value: { name: "b" } } },
      ]),
      Code.INVALID_ARGUMENT,
      /second init/,
    );
    await rejectsWithStatus(upload("", "x"), Code.INVALID_ARGUMENT, /file name/);
    await rejectsWithStatus(upload("short.txt", "x", 60n), Code.INVALID_ARGUMENT, /between 3600 and 2592000/);
  });

  test("list: sort, order, filter and pagination walked to the end", async () => {
    const tag = "listing";
    const names = ["delta", "alpha", "charlie", "bravo", "echo"];
    const uploaded = [];
    for (const [i, name] of names.entries())
      uploaded.push(await upload(`${tag}-${name}.txt`, "x".repeat(10 * (i + 1))));

    const byName = await env.api.unaryOk(Files.method.listFiles, {
      sortBy: FilesSortBy.FILENAME,
      order: Ordering.ASCENDING,
      filter: `filename:${tag}-`,
    });
    assert.deepEqual(
      byName.data.map((f) => f.filename),
      [...names].sort().map((n) => `${tag}-${n}.txt`),
    );
    assert.equal(byName.paginationToken, undefined);

    const bySizeDesc = await env.api.unaryOk(Files.method.listFiles, {
      sortBy: FilesSortBy.SIZE,
      order: Ordering.DESCENDING,
      filter: `${tag} AND size>=20`,
    });
    assert.deepEqual(
      bySizeDesc.data.map((f) => Number(f.size)),
      [50, 40, 30, 20],
    );

    // Walk pages of 2 in creation order; deleting an already-listed file mid-walk skips nothing.
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await env.api.unaryOk(Files.method.listFiles, {
        limit: 2,
        paginationToken: token,
        filter: `filename:${tag}`,
      });
      assert.ok(page.data.length <= 2);
      seen.push(...page.data.map((f) => f.id));
      if (pages === 0) await env.api.unaryOk(Files.method.deleteFile, { fileId: page.data[0].id });
      token = page.paginationToken;
      pages++;
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(
      seen,
      uploaded.map((f) => f.id),
    );

    await rejectsWithStatus(
      env.api.unaryOk(Files.method.listFiles, { paginationToken: "not-a-token" }),
      Code.INVALID_ARGUMENT,
      /pagination token/,
    );
    await rejectsWithStatus(
      env.api.unaryOk(Files.method.listFiles, { filter: "colour=red" }),
      Code.INVALID_ARGUMENT,
      /unknown field "colour"/,
    );
  });

  test("public URLs serve the bytes, expire with the clock and can be revoked", async () => {
    const file = await upload("public.txt", "hello from a public url");
    const created = await env.api.unaryOk(Files.method.createPublicUrl, {
      fileId: file.id,
      expiresAfter: 600n,
    });
    const fetched = await fetchBytes(created.publicUrl);
    assert.equal(fetched.status, 200);
    assert.equal(new TextDecoder().decode(fetched.bytes), "hello from a public url");
    const listed = await env.api.unaryOk(Files.method.retrieveFile, { fileId: file.id });
    assert.equal(listed.publicUrl, created.publicUrl);
    assert.ok(listed.publicUrlExpiresAt);

    const revoked = await env.api.unaryOk(Files.method.revokePublicUrl, { fileId: file.id });
    assert.deepEqual(
      [revoked.fileId, revoked.revoked, revoked.publicUrl],
      [file.id, true, created.publicUrl],
    );
    assert.equal((await fetchBytes(created.publicUrl)).status, 404);
    const again = await env.api.unaryOk(Files.method.revokePublicUrl, { fileId: file.id });
    assert.equal(again.revoked, false);

    const expiring = await env.api.unaryOk(Files.method.createPublicUrl, {
      fileId: file.id,
      expiresAfter: 60n,
    });
    assert.equal((await fetchBytes(expiring.publicUrl)).status, 200);
    env.emulator.advanceClock(61_000);
    assert.equal((await fetchBytes(expiring.publicUrl)).status, 404);
    assert.equal(
      (await env.api.unaryOk(Files.method.retrieveFile, { fileId: file.id })).publicUrl,
      undefined,
    );
    await rejectsWithStatus(
      env.api.unaryOk(Files.method.createPublicUrl, { fileId: "file_nope" }),
      Code.NOT_FOUND,
      /file_nope/,
    );
  });

  test("files expire with the clock", async () => {
    const file = await upload("ephemeral.txt", "soon gone", 3600n);
    env.emulator.advanceClock(3_601_000);
    await rejectsWithStatus(
      env.api.unaryOk(Files.method.retrieveFile, { fileId: file.id }),
      Code.NOT_FOUND,
      /does not exist/,
    );
  });
});

// ---- Image --------------------------------------------------------------------------------------------

describe("Image", () => {
  test("base64 PNGs with the size of the aspect ratio and resolution, deterministic per prompt", async () => {
    const request = {
      prompt: "a lighthouse at dusk",
      model: "grok-imagine-image",
      n: 3,
      format: ImageFormat.IMG_FORMAT_BASE64,
      aspectRatio: ImageAspectRatio.IMG_ASPECT_RATIO_16_9,
    };
    const response = await env.api.unaryOk(Image.method.generateImage, request);
    assert.equal(response.model, "grok-imagine-image");
    assert.equal(response.images.length, 3);
    const pngs = response.images.map(pngFromBase64);
    for (const png of pngs) assert.deepEqual([png.width, png.height], [256, 144]);
    const base64 = response.images.map((i) => i.image.value);
    assert.equal(new Set(base64).size, 3, "the n images differ");
    assert.ok(response.images.every((i) => i.respectModeration));
    assert.equal(response.usage?.costInUsdTicks, 3n * 200_000_000n);
    assert.ok((response.usage?.promptTextTokens ?? 0) > 0);

    const again = await env.api.unaryOk(Image.method.generateImage, request);
    assert.deepEqual(
      again.images.map((i) => i.image.value),
      base64,
    );

    const tall = await env.api.unaryOk(Image.method.generateImage, {
      ...request,
      n: 1,
      aspectRatio: ImageAspectRatio.IMG_ASPECT_RATIO_9_16,
      resolution: ImageResolution.IMG_RESOLUTION_2K,
    });
    const png = pngFromBase64(tall.images[0]);
    assert.deepEqual([png.width, png.height], [288, 512]);
  });

  test("URL format: the emulator serves the PNG over HTTP", async () => {
    const response = await env.api.unaryOk(Image.method.generateImage, {
      prompt: "a cat",
      model: "grok-2-image",
      n: 1,
      format: ImageFormat.IMG_FORMAT_URL,
    });
    const image = response.images[0];
    assert.equal(image.image.case, "url");
    const fetched = await fetchBytes(image.image.value as string);
    assert.equal(fetched.status, 200);
    assert.equal(fetched.type, "image/png");
    const png = decodePng(fetched.bytes);
    assert.deepEqual([png.width, png.height], [256, 256]);
  });

  test("a [moderated] prompt gives no image and respect_moderation false", async () => {
    const response = await env.api.unaryOk(Image.method.generateImage, {
      prompt: "something [moderated]",
      model: "grok-2-image",
      n: 2,
      format: ImageFormat.IMG_FORMAT_URL,
    });
    assert.equal(response.images.length, 2);
    for (const image of response.images) {
      assert.equal(image.respectModeration, false);
      assert.equal(image.image.case, undefined);
    }
  });

  test("storage options store the image as a file with a public URL", async () => {
    const response = await env.api.unaryOk(Image.method.generateImage, {
      prompt: "a stored picture",
      model: "grok-2-image",
      n: 2,
      format: ImageFormat.IMG_FORMAT_BASE64,
      storageOptions: { filename: "picture.png", expiresAfter: 7200n, publicUrl: { expiresAfter: 300n } },
    });
    const outputs = response.images.map((i) => i.fileOutput!);
    assert.deepEqual(
      outputs.map((o) => o.filename),
      ["picture-1.png", "picture-2.png"],
    );
    const file = await env.api.unaryOk(Files.method.retrieveFile, { fileId: outputs[0].fileId });
    assert.equal(file.filename, "picture-1.png");
    assert.ok(file.expiresAt);
    const stored = Buffer.concat(
      (await env.api.serverStreamOk(Files.method.retrieveFileContent, { fileId: file.id })).map(
        (c) => c.data,
      ),
    );
    assert.deepEqual(
      stored.toString("base64"),
      (response.images[0].image.value as string).slice("data:image/png;base64,".length),
    );
    const publicCopy = await fetchBytes(outputs[0].publicUrl!);
    assert.deepEqual(Buffer.from(publicCopy.bytes), stored);
    assert.ok(outputs[0].publicUrlExpiresAt);
  });

  test("edits derive from the input image (data URL, file id or emulator URL)", async () => {
    const input = new PNG({ width: 40, height: 20 });
    for (let i = 0; i < input.data.length; i += 4) input.data.set([250, 10, 10, 255], i);
    const inputBytes = PNG.sync.write(input);
    const dataUrl = `data:image/png;base64,${inputBytes.toString("base64")}`;
    const edit = await env.api.unaryOk(Image.method.generateImage, {
      prompt: "make it calmer",
      model: "grok-imagine-image",
      n: 1,
      format: ImageFormat.IMG_FORMAT_BASE64,
      image: { source: { case: "imageUrl", value: dataUrl } },
    });
    const png = pngFromBase64(edit.images[0]);
    assert.deepEqual([png.width, png.height], [256, 128], "keeps the input's 2:1 ratio");
    const [r, g, b] = averageColour(png);
    assert.ok(r > g + 60 && r > b + 60, `the red input stays dominant (${r}, ${g}, ${b})`);
    assert.equal(edit.usage?.promptImageTokens, 256);

    const uploaded = await upload("red.png", new Uint8Array(inputBytes));
    const byFile = await env.api.unaryOk(Image.method.generateImage, {
      prompt: "make it calmer",
      model: "grok-imagine-image",
      n: 1,
      format: ImageFormat.IMG_FORMAT_URL,
      images: [{ source: { case: "fileId", value: uploaded.id } }],
    });
    const viaUrl = await env.api.unaryOk(Image.method.generateImage, {
      prompt: "again",
      model: "grok-imagine-image",
      n: 1,
      format: ImageFormat.IMG_FORMAT_BASE64,
      aspectRatio: ImageAspectRatio.IMG_ASPECT_RATIO_1_1,
      image: { source: { case: "imageUrl", value: byFile.images[0].image.value as string } },
    });
    const second = pngFromBase64(viaUrl.images[0]);
    assert.deepEqual([second.width, second.height], [256, 256]);
    assert.ok(averageColour(second)[0] > averageColour(second)[2] + 30);
  });

  test("validation: unknown model, text-only model edits, bad inputs and values", async () => {
    const base = { prompt: "p", model: "grok-2-image", n: 1, format: ImageFormat.IMG_FORMAT_URL };
    await rejectsWithStatus(
      env.api.unaryOk(Image.method.generateImage, { ...base, model: "dall-e" }),
      Code.NOT_FOUND,
      /dall-e/,
    );
    await rejectsWithStatus(
      env.api.unaryOk(Image.method.generateImage, {
        ...base,
        image: { source: { case: "imageUrl", value: "https://example.com/a.png" } },
      }),
      Code.INVALID_ARGUMENT,
      /does not accept input images/,
    );
    await rejectsWithStatus(
      env.api.unaryOk(Image.method.generateImage, { ...base, prompt: " " }),
      Code.INVALID_ARGUMENT,
      /prompt is empty/,
    );
    await rejectsWithStatus(
      env.api.unaryOk(Image.method.generateImage, { ...base, n: 11 }),
      Code.INVALID_ARGUMENT,
      /n must be between 1 and 10/,
    );
    await rejectsWithStatus(
      env.api.unaryOk(Image.method.generateImage, { ...base, aspectRatio: 99 as ImageAspectRatio }),
      Code.INVALID_ARGUMENT,
      /aspect_ratio/,
    );
    await rejectsWithStatus(
      env.api.unaryOk(Image.method.generateImage, {
        ...base,
        model: "grok-imagine-image",
        image: { source: { case: "fileId", value: "file_missing" } },
      }),
      Code.NOT_FOUND,
      /file_missing/,
    );
    await rejectsWithStatus(
      env.api.unaryOk(Image.method.generateImage, {
        ...base,
        model: "grok-imagine-image",
        image: { source: { case: "imageUrl", value: "data:image/png;base64,aGVsbG8=" } },
      }),
      Code.INVALID_ARGUMENT,
      /not an image/,
    );
    await rejectsWithStatus(
      env.api.unaryOk(Image.method.generateImage, { ...base, storageOptions: { filename: "" } }),
      Code.INVALID_ARGUMENT,
      /storage_options.filename/,
    );
  });
});

// ---- Video --------------------------------------------------------------------------------------------

describe("Video", () => {
  test("deferred generation reports progress, then a URL to a real MP4; extension adds durations", async () => {
    const { requestId } = await env.api.unaryOk(Video.method.generateVideo, {
      prompt: "waves on a beach",
      model: "grok-imagine-video",
      duration: 4,
      aspectRatio: VideoAspectRatio.VIDEO_ASPECT_RATIO_9_16,
    });
    const progress: number[] = [];
    let done: GetDeferredVideoResponse | undefined;
    for (let poll = 0; poll < 5 && !done; poll++) {
      const reply = await env.api.unaryOk(Video.method.getDeferredVideo, { requestId });
      if (reply.status === DeferredStatus.PENDING) progress.push(reply.response?.progress ?? -1);
      else done = reply;
    }
    assert.deepEqual(progress, [33, 66]);
    assert.equal(done?.status, DeferredStatus.DONE);
    const video = done!.response!.video!;
    assert.equal(video.duration, 4);
    assert.equal(video.respectModeration, true);
    assert.equal(done!.response!.progress, 100);
    assert.equal(done!.response!.usage?.costInUsdTicks, 4n * 500_000_000n);
    const fetched = await fetchBytes(video.url);
    assert.equal(fetched.status, 200);
    assert.equal(fetched.type, "video/mp4");
    assert.equal(Buffer.from(fetched.bytes.subarray(4, 8)).toString("latin1"), "ftyp");
    // Later polls keep answering DONE with the same video.
    const later = await env.api.unaryOk(Video.method.getDeferredVideo, { requestId });
    assert.equal(later.response?.video?.url, video.url);

    const extension = await env.api.unaryOk(Video.method.extendVideo, {
      prompt: "and then a storm",
      model: "grok-imagine-video",
      duration: 3,
      video: { source: { case: "url", value: video.url } },
      storageOptions: { filename: "storm.mp4" },
    });
    let extended: GeneratedVideo | undefined;
    for (let poll = 0; poll < 4 && !extended; poll++) {
      const reply = await env.api.unaryOk(Video.method.getDeferredVideo, { requestId: extension.requestId });
      if (reply.status === DeferredStatus.DONE) extended = reply.response!.video!;
    }
    assert.equal(extended?.duration, 7);
    const stored = await env.api.unaryOk(Files.method.retrieveFile, { fileId: extended!.fileOutput!.fileId });
    assert.equal(stored.filename, "storm.mp4");
    assert.equal(stored.size, BigInt((await fetchBytes(extended!.url)).bytes.length));
  });

  test("[fail] → FAILED with a VideoError; [expire] → EXPIRED; [moderated] → no URL", async () => {
    const start = (prompt: string) =>
      env.api.unaryOk(Video.method.generateVideo, { prompt, model: "grok-imagine-video", image: undefined });
    const finalStatus = async (requestId: string) => {
      for (let poll = 0; poll < 4; poll++) {
        const reply = await env.api.unaryOk(Video.method.getDeferredVideo, { requestId });
        if (reply.status !== DeferredStatus.PENDING) return reply;
      }
      throw new Error("still pending");
    };
    const failed = await finalStatus((await start("boom [fail]")).requestId);
    assert.equal(failed.status, DeferredStatus.FAILED);
    assert.equal(failed.response?.error?.code, "generation_failed");
    assert.match(failed.response?.error?.message ?? "", /could not be generated/);
    const expired = await finalStatus((await start("slow [expire]")).requestId);
    assert.equal(expired.status, DeferredStatus.EXPIRED);
    const moderated = await finalStatus((await start("nope [moderated]")).requestId);
    assert.equal(moderated.status, DeferredStatus.DONE);
    assert.deepEqual(
      [moderated.response?.video?.url, moderated.response?.video?.respectModeration],
      ["", false],
    );
  });

  test("validation and unknown ids", async () => {
    const base = { prompt: "p", model: "grok-imagine-video" };
    await rejectsWithStatus(
      env.api.unaryOk(Video.method.generateVideo, { ...base, duration: 16 }),
      Code.INVALID_ARGUMENT,
      /duration/,
    );
    await rejectsWithStatus(
      env.api.unaryOk(Video.method.generateVideo, { ...base, model: "grok-4" }),
      Code.NOT_FOUND,
      /not a video/,
    );
    await rejectsWithStatus(
      env.api.unaryOk(Video.method.generateVideo, {
        ...base,
        image: { source: { case: "imageUrl", value: "https://example.com/a.png" } },
        video: { source: { case: "url", value: "https://example.com/a.mp4" } },
      }),
      Code.INVALID_ARGUMENT,
      /not both/,
    );
    await rejectsWithStatus(
      env.api.unaryOk(Video.method.generateVideo, {
        ...base,
        referenceAudios: [{ source: { case: "voiceId", value: " " } }],
      }),
      Code.INVALID_ARGUMENT,
      /voice_id/,
    );
    await rejectsWithStatus(
      env.api.unaryOk(Video.method.extendVideo, base),
      Code.INVALID_ARGUMENT,
      /video is required/,
    );
    await rejectsWithStatus(
      env.api.unaryOk(Video.method.extendVideo, {
        ...base,
        video: { source: { case: "fileId", value: "file_nope" } },
      }),
      Code.NOT_FOUND,
      /file_nope/,
    );
    await rejectsWithStatus(
      env.api.unaryOk(Video.method.getDeferredVideo, { requestId: "video_9999" }),
      Code.NOT_FOUND,
      /video_9999/,
    );
  });
});

// ---- Batch --------------------------------------------------------------------------------------------

describe("BatchMgmt", () => {
  const chat = (id: string, text: string, model = "grok-3") =>
    create(BatchRequestSchema, {
      batchRequestId: id,
      request: {
        case: "completionRequest",
        value: {
          model,
          messages: [{ role: MessageRole.ROLE_USER, content: [{ content: { case: "text", value: text } }] }],
        },
      },
    });
  const image = (id: string, prompt: string) =>
    create(BatchRequestSchema, {
      batchRequestId: id,
      request: {
        case: "imageRequest",
        value: { prompt, model: "grok-2-image", n: 1, format: ImageFormat.IMG_FORMAT_URL },
      },
    });

  test("a batch mixing chat and image requests progresses to completion", async () => {
    const batch = await env.api.unaryOk(BatchMgmt.method.createBatch, { name: "mixed" });
    assert.equal(batch.state?.numRequests, 0n);
    await env.api.unaryOk(BatchMgmt.method.addBatchRequests, {
      batchId: batch.batchId,
      batchRequests: [
        chat("c1", "Hello there"),
        image("i1", "a red barn"),
        chat("c2", "Bye", "no-such-model"),
        chat("c3", "Again"),
      ],
    });
    const pending = await env.api.unaryOk(BatchMgmt.method.getBatch, { batchId: batch.batchId });
    assert.equal(pending.state?.numRequests, 4n);
    assert.equal(pending.state?.numPending, 4n);
    await rejectsWithStatus(
      env.api.unaryOk(BatchMgmt.method.addBatchRequests, {
        batchId: batch.batchId,
        batchRequests: [chat("c1", "dup")],
      }),
      Code.ALREADY_EXISTS,
      /c1/,
    );

    env.emulator.advanceClock(DELAY / 2);
    const partial = await env.api.unaryOk(BatchMgmt.method.getBatch, { batchId: batch.batchId });
    assert.ok(
      partial.state!.numPending > 0n && partial.state!.numPending < 4n,
      "requests finish one after another",
    );

    env.emulator.advanceClock(DELAY / 2);
    const finished = await env.api.unaryOk(BatchMgmt.method.getBatch, { batchId: batch.batchId });
    assert.deepEqual(
      [
        finished.state?.numPending,
        finished.state?.numSuccess,
        finished.state?.numError,
        finished.state?.numCancelled,
      ],
      [0n, 3n, 1n, 0n],
    );
    const costs = finished.costBreakdown!;
    const imageCost = costs.endpointCosts.find((e) => e.endpoint === "/v1/images/generations");
    assert.equal(imageCost?.costUsdTicks, 700_000_000n);
    assert.equal(
      costs.totalCostUsdTicks,
      costs.endpointCosts.reduce((total, e) => total + e.costUsdTicks, 0n),
    );

    // Results, two per page, in request order.
    const results = [];
    let token: string | undefined;
    do {
      const page = await env.api.unaryOk(BatchMgmt.method.listBatchResults, {
        batchId: batch.batchId,
        limit: 2,
        paginationToken: token,
      });
      results.push(...page.results);
      token = page.paginationToken;
    } while (token);
    assert.deepEqual(
      results.map((r) => r.batchRequestId),
      ["c1", "i1", "c2", "c3"],
    );
    const [c1, i1, c2] = results;
    assert.equal(c1.result.case, "response");
    assert.ok(c1.result.case === "response" && c1.result.value.response.case === "completionResponse");
    assert.ok(i1.result.case === "response" && i1.result.value.response.case === "imageResponse");
    const imageUrl = i1.result.value.response.value.images[0].image.value as string;
    assert.equal((await fetchBytes(imageUrl)).status, 200);
    assert.ok(c2.result.case === "error");
    assert.equal(c2.result.value.code, Code.NOT_FOUND);
    assert.match(c2.result.value.message, /no-such-model/);

    const failedOnly = await env.api.unaryOk(BatchMgmt.method.listBatchRequestMetadata, {
      batchId: batch.batchId,
      status: [BatchRequestMetadata_State.FAILED],
    });
    assert.deepEqual(
      failedOnly.batchRequestMetadata.map((m) => [m.batchRequestId, m.endpoint, m.model]),
      [["c2", "/v1/chat/completions", "no-such-model"]],
    );
    const metadataPage = await env.api.unaryOk(BatchMgmt.method.listBatchRequestMetadata, {
      batchId: batch.batchId,
      limit: 3,
    });
    assert.equal(metadataPage.batchRequestMetadata.length, 3);
    assert.ok(metadataPage.paginationToken);
    assert.ok(metadataPage.batchRequestMetadata.every((m) => m.finishTime));

    const one = await env.api.unaryOk(BatchMgmt.method.getBatchRequestResult, {
      batchId: batch.batchId,
      batchRequestId: "i1",
    });
    assert.equal(one.request?.request.case, "imageRequest");
    assert.equal(one.result?.batchRequestId, "i1");
    await rejectsWithStatus(
      env.api.unaryOk(BatchMgmt.method.getBatchRequestResult, {
        batchId: batch.batchId,
        batchRequestId: "zz",
      }),
      Code.NOT_FOUND,
      /zz/,
    );
  });

  test("cancel, list, input files and unknown batches", async () => {
    const batch = await env.api.unaryOk(BatchMgmt.method.createBatch, { name: "to cancel" });
    await env.api.unaryOk(BatchMgmt.method.addBatchRequests, {
      batchId: batch.batchId,
      batchRequests: [chat("a", "one"), chat("b", "two")],
    });
    const cancelled = await env.api.unaryOk(BatchMgmt.method.cancelBatch, { batchId: batch.batchId });
    assert.ok(cancelled.cancelTime);
    assert.equal(cancelled.state?.numCancelled, 2n);
    env.emulator.advanceClock(DELAY);
    const later = await env.api.unaryOk(BatchMgmt.method.getBatch, { batchId: batch.batchId });
    assert.equal(later.state?.numCancelled, 2n);
    const noResults = await env.api.unaryOk(BatchMgmt.method.listBatchResults, { batchId: batch.batchId });
    assert.equal(noResults.results.length, 0);
    const cancelledOne = await env.api.unaryOk(BatchMgmt.method.getBatchRequestResult, {
      batchId: batch.batchId,
      batchRequestId: "a",
    });
    assert.ok(
      cancelledOne.result?.result.case === "error" &&
        cancelledOne.result.result.value.code === Code.CANCELLED,
    );
    await rejectsWithStatus(
      env.api.unaryOk(BatchMgmt.method.addBatchRequests, {
        batchId: batch.batchId,
        batchRequests: [chat("c", "three")],
      }),
      Code.FAILED_PRECONDITION,
      /cancelled/,
    );

    const lines = [
      JSON.stringify({
        custom_id: "line-1",
        method: "POST",
        url: "/v1/chat/completions",
        body: { model: "grok-3", messages: [{ role: "user", content: "Hi" }], max_tokens: 20 },
      }),
      toJsonString(BatchRequestSchema, image("line-2", "a boat")),
    ];
    const input = await upload("requests.jsonl", lines.join("\n"));
    const fromFile = await env.api.unaryOk(BatchMgmt.method.createBatch, {
      name: "from file",
      inputFileId: input.id,
    });
    assert.equal(fromFile.inputFileId, input.id);
    assert.equal(fromFile.state?.numRequests, 2n);
    const bad = await upload("bad.jsonl", '{"url": "/v1/embeddings", "body": {}}');
    await rejectsWithStatus(
      env.api.unaryOk(BatchMgmt.method.createBatch, { name: "bad", inputFileId: bad.id }),
      Code.INVALID_ARGUMENT,
      /Line 1 .*"\/v1\/embeddings" is not a batch endpoint/,
    );

    const newestFirst = [];
    let token: string | undefined;
    do {
      const page = await env.api.unaryOk(BatchMgmt.method.listBatches, { limit: 1, paginationToken: token });
      newestFirst.push(...page.batches.map((b) => b.batchId));
      token = page.paginationToken;
    } while (token);
    assert.deepEqual(newestFirst.slice(0, 2), [fromFile.batchId, batch.batchId]);

    await rejectsWithStatus(
      env.api.unaryOk(BatchMgmt.method.getBatch, { batchId: "batch_404" }),
      Code.NOT_FOUND,
      /batch_404/,
    );
    await rejectsWithStatus(
      env.api.unaryOk(BatchMgmt.method.cancelBatch, { batchId: "batch_404" }),
      Code.NOT_FOUND,
      /batch_404/,
    );
    await rejectsWithStatus(
      env.api.unaryOk(BatchMgmt.method.createBatch, { name: " " }),
      Code.INVALID_ARGUMENT,
      /name/,
    );
  });
});

// ---- Collections and Documents ------------------------------------------------------------------------

describe("Collections and Documents", () => {
  const FOXES = "The quick red fox jumps over the lazy dog. Foxes are clever hunters of the forest.";
  const RIVERS = "Rivers carry water from the mountains to the sea. A river delta forms at the mouth.";
  const COOKING = "Bake the bread at two hundred degrees. Knead the dough until it is smooth.";

  test("create, add documents, index after the delay, search ranks by term overlap", async () => {
    const collection = await env.management.unaryOk(Collections.method.createCollection, {
      collectionName: "nature",
      chunkConfiguration: {
        config: { case: "charsConfiguration", value: { maxChunkSizeChars: 60, chunkOverlapChars: 10 } },
        stripWhitespace: true,
      },
      fieldDefinitions: [{ key: "topic", required: true, injectIntoChunk: false }],
    });
    assert.equal(collection.collectionName, "nature");
    assert.equal(collection.indexConfiguration?.modelName, "v1");

    const files = [
      await upload("foxes.txt", FOXES),
      await upload("rivers.txt", RIVERS),
      await upload("cooking.txt", COOKING),
    ];
    const topics = ["animals", "water", "food"];
    for (const [i, file] of files.entries()) {
      await env.management.unaryOk(Collections.method.addDocumentToCollection, {
        collectionId: collection.collectionId,
        fileId: file.id,
        fields: { topic: topics[i] },
      });
    }
    await rejectsWithStatus(
      env.management.unaryOk(Collections.method.addDocumentToCollection, {
        collectionId: collection.collectionId,
        fileId: files[0].id,
        fields: { topic: "x" },
      }),
      Code.ALREADY_EXISTS,
      /already a document/,
    );
    const extra = await upload("untagged.txt", "no topic here");
    await rejectsWithStatus(
      env.management.unaryOk(Collections.method.addDocumentToCollection, {
        collectionId: collection.collectionId,
        fileId: extra.id,
      }),
      Code.INVALID_ARGUMENT,
      /requires the field "topic"/,
    );

    const before = await env.management.unaryOk(Collections.method.getDocumentMetadata, {
      collectionId: collection.collectionId,
      fileId: files[0].id,
    });
    assert.equal(before.status, DocumentStatus.PROCESSING);
    const search = (query: string, limit?: number) =>
      env.api.unaryOk(Documents.method.search, {
        query,
        source: { collectionIds: [collection.collectionId] },
        limit,
        retrievalMode: { case: "keywordRetrieval", value: {} },
      });
    assert.equal((await search("fox")).matches.length, 0, "nothing is searchable while processing");

    env.emulator.advanceClock(DELAY);
    const indexed = await env.management.unaryOk(Collections.method.getDocumentMetadata, {
      collectionId: collection.collectionId,
      fileId: files[0].id,
    });
    assert.equal(indexed.status, DocumentStatus.PROCESSED);
    assert.equal(indexed.fileMetadata?.name, "foxes.txt");
    assert.equal(indexed.fileMetadata?.sizeBytes, BigInt(FOXES.length));
    assert.ok((indexed.chunkCount ?? 0) >= 2, "60-character chunks split the text");
    assert.deepEqual(indexed.fields, { topic: "animals" });

    const result = await search("clever fox in the forest");
    assert.ok(result.matches.length > 0);
    assert.equal(result.matches[0].fileId, files[0].id);
    assert.match(result.matches[0].chunkContent, /fox|Foxes|forest/i);
    assert.deepEqual(result.matches[0].collectionIds, [collection.collectionId]);
    assert.ok(
      result.matches.every((m, i) => i === 0 || m.score <= result.matches[i - 1].score),
      "sorted by score",
    );
    assert.ok(
      result.matches.every((m) => m.fileId !== files[2].id),
      "unrelated documents do not match",
    );
    assert.equal((await search("river delta mountains", 1)).matches[0].fileId, files[1].id);
    assert.equal((await search("river", 1)).matches.length, 1);

    for (const mode of [
      { case: "semanticRetrieval" as const, value: {} },
      { case: "hybridRetrieval" as const, value: {} },
    ]) {
      const ranked = await env.api.unaryOk(Documents.method.search, {
        query: "bread dough",
        source: { collectionIds: [collection.collectionId] },
        retrievalMode: mode,
      });
      assert.equal(ranked.matches[0].fileId, files[2].id, `${mode.case} ranks the cooking document first`);
    }
    await rejectsWithStatus(
      env.api.unaryOk(Documents.method.search, { query: "x", source: { collectionIds: ["collection_404"] } }),
      Code.NOT_FOUND,
      /collection_404/,
    );
    await rejectsWithStatus(
      env.api.unaryOk(Documents.method.search, { query: "x", source: { collectionIds: [] } }),
      Code.INVALID_ARGUMENT,
      /collection_ids/,
    );

    const description = await env.management.unaryOk(Collections.method.generateCollectionDescription, {
      collectionId: collection.collectionId,
    });
    assert.match(
      description.collectionDescription,
      /^A collection of 3 documents \(foxes\.txt, rivers\.txt and cooking\.txt\) about /,
    );

    const metadata = await env.management.unaryOk(Collections.method.getCollectionMetadata, {
      collectionId: collection.collectionId,
    });
    assert.equal(metadata.documentsCount, 3);
    assert.equal(metadata.totalFileSize, BigInt(FOXES.length + RIVERS.length + COOKING.length));
  });

  test("documents: list, batch get, update, re-index, remove; failures", async () => {
    const collection = await env.management.unaryOk(Collections.method.createCollection, {
      collectionName: "docs",
      fieldDefinitions: [{ key: "code", unique: true }],
    });
    const a = await upload("b-second.txt", "alpha beta gamma");
    const b = await upload("a-first.txt", "delta epsilon and more words to be bigger");
    const broken = await upload("broken [fail].txt", "cannot parse");
    for (const [file, code] of [
      [a, "A"],
      [b, "B"],
      [broken, "C"],
    ] as const) {
      await env.management.unaryOk(Collections.method.addDocumentToCollection, {
        collectionId: collection.collectionId,
        fileId: file.id,
        fields: { code },
      });
    }
    const dup = await upload("dup.txt", "dup");
    await rejectsWithStatus(
      env.management.unaryOk(Collections.method.addDocumentToCollection, {
        collectionId: collection.collectionId,
        fileId: dup.id,
        fields: { code: "A" },
      }),
      Code.ALREADY_EXISTS,
      /unique/,
    );
    env.emulator.advanceClock(DELAY);

    const byName = await env.management.unaryOk(Collections.method.listDocuments, {
      collectionId: collection.collectionId,
    });
    assert.deepEqual(
      byName.documents.map((d) => d.fileMetadata?.name),
      ["a-first.txt", "b-second.txt", "broken [fail].txt"],
    );
    const failed = byName.documents[2];
    assert.equal(failed.status, DocumentStatus.FAILED);
    assert.match(failed.errorMessage ?? "", /\[fail\]/);
    const filtered = await env.management.unaryOk(Collections.method.listDocuments, {
      collectionId: collection.collectionId,
      filter: "status=processed AND fields.code!=B",
    });
    assert.deepEqual(
      filtered.documents.map((d) => d.fileMetadata?.fileId),
      [a.id],
    );
    const paged = await env.management.unaryOk(Collections.method.listDocuments, {
      collectionId: collection.collectionId,
      limit: 2,
      order: SharedOrdering.DESCENDING,
    });
    assert.equal(paged.documents.length, 2);
    const rest = await env.management.unaryOk(Collections.method.listDocuments, {
      collectionId: collection.collectionId,
      limit: 2,
      order: SharedOrdering.DESCENDING,
      paginationToken: paged.paginationToken,
    });
    assert.deepEqual(
      [...paged.documents, ...rest.documents].map((d) => d.fileMetadata?.name),
      ["broken [fail].txt", "b-second.txt", "a-first.txt"],
    );
    assert.equal(rest.paginationToken, undefined);

    const got = await env.management.unaryOk(Collections.method.batchGetDocuments, {
      collectionId: collection.collectionId,
      fileIds: [b.id, a.id],
    });
    assert.deepEqual(
      got.documents.map((d) => d.fileMetadata?.fileId),
      [b.id, a.id],
    );
    await rejectsWithStatus(
      env.management.unaryOk(Collections.method.batchGetDocuments, {
        collectionId: collection.collectionId,
        fileIds: [a.id, "file_x"],
      }),
      Code.NOT_FOUND,
      /file_x/,
    );

    const updated = await env.management.unaryOk(Collections.method.updateDocument, {
      collectionId: collection.collectionId,
      fileId: a.id,
      name: "renamed.txt",
      data: bytesOf("zeta eta theta"),
      fields: { extra: "yes" },
    });
    assert.equal(updated.status, DocumentStatus.PROCESSING);
    assert.equal(updated.fileMetadata?.name, "renamed.txt");
    assert.deepEqual(updated.fields, { code: "A", extra: "yes" });
    env.emulator.advanceClock(DELAY);
    const hits = await env.api.unaryOk(Documents.method.search, {
      query: "theta",
      source: { collectionIds: [collection.collectionId] },
    });
    assert.equal(hits.matches[0]?.fileId, a.id);

    await env.management.unaryOk(Collections.method.reIndexDocument, {
      collectionId: collection.collectionId,
      fileId: a.id,
    });
    const reindexing = await env.management.unaryOk(Collections.method.getDocumentMetadata, {
      collectionId: collection.collectionId,
      fileId: a.id,
    });
    assert.equal(reindexing.status, DocumentStatus.PROCESSING);

    await env.management.unaryOk(Collections.method.removeDocumentFromCollection, {
      collectionId: collection.collectionId,
      fileId: b.id,
    });
    await rejectsWithStatus(
      env.management.unaryOk(Collections.method.getDocumentMetadata, {
        collectionId: collection.collectionId,
        fileId: b.id,
      }),
      Code.NOT_FOUND,
      /no document/,
    );
    // Removing a document keeps its file.
    assert.equal((await env.api.unaryOk(Files.method.retrieveFile, { fileId: b.id })).id, b.id);
  });

  test("collections: list with sort, order, filter, pages; update; delete", async () => {
    const names = ["zebra-set", "apple-set", "mango-set"];
    const created = [];
    for (const collectionName of names) {
      created.push(await env.management.unaryOk(Collections.method.createCollection, { collectionName }));
    }
    const byName = await env.management.unaryOk(Collections.method.listCollections, {
      filter: "collection_name:-set",
    });
    assert.deepEqual(
      byName.collections.map((c) => c.collectionName),
      ["apple-set", "mango-set", "zebra-set"],
    );
    const byAgeDesc = [];
    let token: string | undefined;
    do {
      const page = await env.management.unaryOk(Collections.method.listCollections, {
        sortBy: CollectionsSortBy.AGE,
        order: SharedOrdering.DESCENDING,
        filter: "-set",
        limit: 2,
        paginationToken: token,
      });
      byAgeDesc.push(...page.collections.map((c) => c.collectionName));
      token = page.paginationToken;
    } while (token);
    assert.deepEqual(byAgeDesc, ["mango-set", "apple-set", "zebra-set"]);

    const updated = await env.management.unaryOk(Collections.method.updateCollection, {
      collectionId: created[0].collectionId,
      collectionName: "zebra-renamed",
      collectionDescription: "Stripes.",
      chunkConfiguration: {
        config: { case: "tokensConfiguration", value: { maxChunkSizeTokens: 50, chunkOverlapTokens: 5 } },
      },
      fieldDefinitionUpdates: [
        {
          fieldDefinition: { key: "lang", required: true },
          operation: FieldDefinitionOperation.FIELD_DEFINITION_ADD,
        },
      ],
    });
    assert.equal(updated.collectionName, "zebra-renamed");
    assert.equal(updated.collectionDescription, "Stripes.");
    assert.equal(updated.chunkConfiguration?.config.case, "tokensConfiguration");
    assert.deepEqual(
      updated.fieldDefinitions.map((f) => [f.key, f.required]),
      [["lang", true]],
    );
    const removed = await env.management.unaryOk(Collections.method.updateCollection, {
      collectionId: created[0].collectionId,
      fieldDefinitionUpdates: [
        { fieldDefinition: { key: "lang" }, operation: FieldDefinitionOperation.FIELD_DEFINITION_DELETE },
      ],
    });
    assert.equal(removed.fieldDefinitions.length, 0);
    await rejectsWithStatus(
      env.management.unaryOk(Collections.method.updateCollection, {
        collectionId: created[0].collectionId,
        chunkConfiguration: {
          config: { case: "charsConfiguration", value: { maxChunkSizeChars: 10, chunkOverlapChars: 10 } },
        },
      }),
      Code.INVALID_ARGUMENT,
      /chunk_overlap_chars/,
    );

    await env.management.unaryOk(Collections.method.deleteCollection, {
      collectionId: created[1].collectionId,
    });
    await rejectsWithStatus(
      env.management.unaryOk(Collections.method.getCollectionMetadata, {
        collectionId: created[1].collectionId,
      }),
      Code.NOT_FOUND,
      /does not exist/,
    );
    await rejectsWithStatus(
      env.management.unaryOk(Collections.method.deleteCollection, { collectionId: "collection_404" }),
      Code.NOT_FOUND,
      /collection_404/,
    );
    await rejectsWithStatus(
      env.management.unaryOk(Collections.method.createCollection, { collectionName: "" }),
      Code.INVALID_ARGUMENT,
      /collection_name/,
    );
    await rejectsWithStatus(
      env.management.unaryOk(Collections.method.createCollection, {
        collectionName: "x",
        indexConfiguration: { modelName: "nope" },
      }),
      Code.NOT_FOUND,
      /nope/,
    );
    await rejectsWithStatus(
      env.management.unaryOk(Collections.method.generateCollectionDescription, {
        collectionId: "collection_404",
      }),
      Code.NOT_FOUND,
      /collection_404/,
    );
  });

  test("collections are served on the management port only", async () => {
    await rejectsWithStatus(env.api.unaryOk(Collections.method.listCollections, {}), Code.UNIMPLEMENTED, /./);
  });
});

// ---- pure helpers -------------------------------------------------------------------------------------

describe("pure helpers", () => {
  test("filter language: clauses, operators, quotes, bare words, unknown fields", () => {
    const fields = {
      names: ["filename", "size", "created_at"],
      mainField: "filename",
      dynamicPrefixes: ["fields."],
    };
    const record = (field: string) =>
      ({
        filename: "Quarterly AND Report.pdf",
        size: 2048,
        created_at: new Date("2026-01-02T00:00:00Z"),
        "fields.team": "red",
      })[field];
    const matches = (filter: string) => compileFilter(filter, fields)(record);
    assert.ok(matches(""));
    assert.ok(matches("quarterly"));
    assert.ok(matches('filename:"and report"'), "a quoted value keeps its AND");
    assert.ok(matches("size>1000 and size<=2048"));
    assert.ok(!matches("size>1000 AND size<2048"));
    assert.ok(matches("created_at>=2026-01-01"));
    assert.ok(matches("fields.team=RED AND fields.owner!=bob"));
    assert.ok(!matches("fields.owner=bob"));
    assert.throws(() => compileFilter("colour=red", fields), /unknown field "colour"/);
  });

  test("pagination tokens survive deletions and reject garbage", () => {
    const items = ["a", "b", "c", "d", "e"].map((id, i) => ({ id, key: i }));
    const request = {
      limit: 2,
      keyOf: (x: { key: number }) => x.key,
      idOf: (x: { id: string }) => x.id,
      descending: false,
    };
    const first = pageOf(items, { ...request, token: undefined });
    assert.deepEqual(
      first.items.map((x) => x.id),
      ["a", "b"],
    );
    const second = pageOf(
      items.filter((x) => x.id !== "b" && x.id !== "c"),
      { ...request, token: first.nextToken },
    );
    assert.deepEqual(
      second.items.map((x) => x.id),
      ["d", "e"],
    );
    assert.equal(second.nextToken, undefined);
    assert.throws(() => pageOf(items, { ...request, token: "garbage" }), /pagination token is not valid/);
    assert.throws(() => pageOf(items, { ...request, limit: -1, token: undefined }), /positive number/);
  });

  test("chunking by chars, tokens and bytes, with overlap, never splitting a character", () => {
    const ctx = { tokenize: (text: string) => tokenizeText(text) } as Parameters<typeof chunkText>[0];
    const chars = create(ChunkConfigurationSchema, {
      config: { case: "charsConfiguration", value: { maxChunkSizeChars: 4, chunkOverlapChars: 1 } },
    });
    assert.deepEqual(chunkText(ctx, "abcdefghij", chars, { name: "n", injectedFields: [] }), [
      "abcd",
      "defg",
      "ghij",
    ]);
    const bytes = create(ChunkConfigurationSchema, {
      config: { case: "bytesConfiguration", value: { maxChunkSizeBytes: 5, chunkOverlapBytes: 0 } },
    });
    const pieces = chunkText(ctx, "ééééé", bytes, { name: "n", injectedFields: [] });
    assert.equal(pieces.join(""), "ééééé");
    assert.ok(
      pieces.every((p) => !p.includes("\uFFFD")),
      "no character is cut in two",
    );
    const tokens = create(ChunkConfigurationSchema, {
      config: { case: "tokensConfiguration", value: { maxChunkSizeTokens: 3, chunkOverlapTokens: 0 } },
      injectNameIntoChunks: true,
    });
    const tokenPieces = chunkText(ctx, "one two three four", tokens, {
      name: "doc.txt",
      injectedFields: [["lang", "en"]],
    });
    assert.ok(tokenPieces.length >= 2);
    assert.ok(tokenPieces.every((p) => p.startsWith("doc.txt\nlang: en\n")));
  });

  test("scores: stop words ignored, matching terms ranked first, modes agree on the obvious", () => {
    const chunks = ["the fox and the hound", "the bread and the oven", "a fox den"].map((text) => ({
      text,
      terms: termsOf(text),
    }));
    const keyword = scoreChunks("the fox", chunks, "keyword");
    assert.equal(keyword[1], 0, "'the' alone does not match");
    assert.ok(keyword[0] > 0 && keyword[2] > 0);
    const semantic = scoreChunks("bread oven", chunks, "semantic");
    assert.ok(semantic[1] > semantic[0] && semantic[1] > semantic[2]);
  });
});
