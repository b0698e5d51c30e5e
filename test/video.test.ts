import assert from "node:assert/strict";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, test } from "node:test";
import { toBinary } from "@bufbuild/protobuf";
import { PollTimeoutError } from "../src/errors.js";
import {
  GenerateVideoRequestSchema,
  VideoAspectRatio,
  VideoResolution,
} from "../src/gen/xai/api/v1/video_pb.js";
import {
  ContentModeratedError,
  NotFoundError,
  RateLimitError,
  Status,
  UserAbortError,
  VideoExpiredError,
  VideoGenerationError,
  type VideoProgress,
  XaiError,
  XaiInputError,
} from "../src/index.js";
import { buildExtendVideoRequest, buildGenerateVideoRequest } from "../src/video/request.js";
import { VideoResponse } from "../src/video/response.js";
import { useEmulator, withEmulator } from "./helpers/emulator.js";
import { useTempDir } from "./helpers/temp-dir.js";

const MODEL = "grok-imagine-video";

describe("video requests (no network)", () => {
  test("every option lands in its field; image and reference inputs by URL or file id", () => {
    const request = buildGenerateVideoRequest({
      prompt: "a cat",
      model: MODEL,
      image: { fileId: "file-1" },
      duration: 5,
      aspectRatio: "9:16",
      resolution: "720p",
      referenceImages: ["https://example.com/a.png", { fileId: "file-2" }],
      referenceAudios: [" voice-1 ", { voiceId: "voice-2" }],
      generateAudio: false,
      storageOptions: { filename: "cat.mp4", expiresAfter: 3600, publicUrl: { expiresAfter: 600 } },
    });
    assert.equal(request.prompt, "a cat");
    assert.equal(request.model, MODEL);
    assert.deepEqual(request.image?.source, { case: "fileId", value: "file-1" });
    assert.equal(request.duration, 5);
    assert.equal(request.aspectRatio, VideoAspectRatio.VIDEO_ASPECT_RATIO_9_16);
    assert.equal(request.resolution, VideoResolution.VIDEO_RESOLUTION_720P);
    assert.deepEqual(
      request.referenceImages.map((i) => i.source),
      [
        { case: "imageUrl", value: "https://example.com/a.png" },
        { case: "fileId", value: "file-2" },
      ],
    );
    assert.deepEqual(
      request.referenceAudios.map((a) => a.source.value),
      ["voice-1", "voice-2"],
    );
    assert.equal(request.generateAudio, false, "false is sent with presence");
    assert.equal(request.storageOptions?.filename, "cat.mp4");
    assert.equal(request.storageOptions?.expiresAfter, 3600n);
    assert.equal(request.storageOptions?.publicUrl?.expiresAfter, 600n);
  });

  test("omitted options stay off the wire (only prompt and model are sent)", () => {
    const request = buildGenerateVideoRequest({ prompt: "p", model: "m" });
    // prompt (field 1, "p") then model (field 3, "m")
    assert.deepEqual(
      [...toBinary(GenerateVideoRequestSchema, request)],
      [0x0a, 0x01, 0x70, 0x1a, 0x01, 0x6d],
    );
  });

  test("video-to-video by URL; extension by file id", () => {
    const edit = buildGenerateVideoRequest({ prompt: "p", model: MODEL, video: "https://example.com/v.mp4" });
    assert.deepEqual(edit.video?.source, { case: "url", value: "https://example.com/v.mp4" });
    const extension = buildExtendVideoRequest({
      prompt: "more",
      model: MODEL,
      video: { fileId: "f" },
      duration: 3,
    });
    assert.deepEqual(extension.video?.source, { case: "fileId", value: "f" });
    assert.equal(extension.duration, 3);
  });

  const invalid: [string, () => unknown, RegExp][] = [
    [
      "image and video together",
      () => buildGenerateVideoRequest({ prompt: "p", model: MODEL, image: "u", video: "v" }),
      /not both/,
    ],
    [
      "an empty prompt",
      () => buildGenerateVideoRequest({ prompt: " ", model: MODEL }),
      /prompt must be a non-empty/,
    ],
    [
      "an unknown aspect ratio",
      () => buildGenerateVideoRequest({ prompt: "p", model: MODEL, aspectRatio: "5:4" as "1:1" }),
      /aspectRatio must be one of "1:1"/,
    ],
    [
      "an unknown resolution",
      () => buildGenerateVideoRequest({ prompt: "p", model: MODEL, resolution: "4k" as "720p" }),
      /resolution must be one of/,
    ],
    [
      "a fractional duration",
      () => buildGenerateVideoRequest({ prompt: "p", model: MODEL, duration: 1.5 }),
      /duration must be a positive whole number/,
    ],
    [
      "a zero duration",
      () => buildGenerateVideoRequest({ prompt: "p", model: MODEL, duration: 0 }),
      /duration/,
    ],
    [
      "url and fileId together",
      () =>
        buildGenerateVideoRequest({
          prompt: "p",
          model: MODEL,
          image: { url: "u", fileId: "f" } as { url: string },
        }),
      /not both/,
    ],
    [
      "an empty voice id",
      () => buildGenerateVideoRequest({ prompt: "p", model: MODEL, referenceAudios: ["  "] }),
      /referenceAudios\[0\]/,
    ],
    [
      "storage without a filename",
      () => buildGenerateVideoRequest({ prompt: "p", model: MODEL, storageOptions: { filename: "" } }),
      /filename/,
    ],
    [
      "an extension without a video",
      () => buildExtendVideoRequest({ prompt: "p", model: MODEL } as never),
      /extend needs the video/,
    ],
    [
      "a non-boolean generateAudio",
      () => buildGenerateVideoRequest({ prompt: "p", model: MODEL, generateAudio: "yes" as never }),
      /generateAudio must be true or false/,
    ],
  ];
  for (const [name, build, message] of invalid) {
    test(`rejects ${name} with XaiInputError`, () => {
      assert.throws(build, (err: unknown) => err instanceof XaiInputError && message.test(err.message));
    });
  }
});

describe("video against the emulator", () => {
  const env = useEmulator({ deferredPolls: 2 });
  const tmp = useTempDir("xai-video-test-");

  test("generate waits through PENDING (progress reported) and returns the video, which saves as an MP4", async () => {
    const progress: VideoProgress[] = [];
    const video = await env.client.video.generate(
      { prompt: "a paper boat on a stream", model: MODEL, duration: 4, aspectRatio: "1:1" },
      { pollInterval: 5, onProgress: (p) => progress.push(p) },
    );
    assert.ok(video instanceof VideoResponse);
    assert.equal(progress.length, 2, "two PENDING polls with deferredPolls: 2");
    assert.ok(progress.every((p) => p.requestId === video.requestId));
    assert.match(video.url, /^http:\/\/127\.0\.0\.1:\d+\//);
    assert.equal(video.duration, 4);
    assert.equal(video.respectModeration, true);
    assert.equal(video.model, MODEL);
    assert.ok((video.costUsd ?? 0) > 0, "cost reported");
    const path = join(tmp.path, "boat.mp4");
    assert.equal(await video.save(path), path);
    const saved = await readFile(path);
    assert.equal(saved.subarray(4, 8).toString("latin1"), "ftyp", "an MP4 file");
    assert.deepEqual(await video.bytes(), saved);
    const polls = env.emulator.calls.filter((c) => c.method === "/xai_api.Video/GetDeferredVideo");
    assert.equal(polls.length, 3);
    assert.equal(env.emulator.calls.filter((c) => c.method === "/xai_api.Video/GenerateVideo").length, 1);
  });

  test("image-to-video from an uploaded file, with reference audio and generated audio, is accepted", async () => {
    const picture = await env.client.image.sample({ prompt: "a red kite", model: "grok-2-image" });
    const file = await env.client.files.upload(await picture.bytes(), { filename: "kite.png" });
    const video = await env.client.video.generate(
      {
        prompt: "the kite rises",
        model: MODEL,
        image: { fileId: file.id },
        referenceAudios: ["voice-1"],
        generateAudio: true,
        resolution: "720p",
      },
      { pollInterval: 5 },
    );
    assert.match(video.url, /^http/);
    const sent = env.emulator.calls.findLast((c) => c.method === "/xai_api.Video/GenerateVideo")
      ?.request as unknown as
      | {
          image?: { source: { case: string; value: string } };
          generateAudio?: boolean;
          referenceAudios: unknown[];
        }
      | undefined;
    assert.deepEqual(sent?.image?.source, { case: "fileId", value: file.id });
    assert.equal(sent?.generateAudio, true);
    assert.equal(sent?.referenceAudios.length, 1);
  });

  test("start and get: pending with progress, then done", async () => {
    const requestId = await env.client.video.start({ prompt: "a comet", model: MODEL });
    assert.ok(requestId.length > 0);
    const first = await env.client.video.get(requestId);
    assert.equal(first.status, "pending");
    await env.client.video.get(requestId);
    const last = await env.client.video.get(requestId);
    assert.equal(last.status, "done");
    if (last.status === "done") assert.match(last.video.url, /^http/);
  });

  test("a failed generation rejects with VideoGenerationError carrying the server's code and message", async () => {
    await assert.rejects(
      env.client.video.generate({ prompt: "[fail] a storm", model: MODEL }, { pollInterval: 5 }),
      (err: unknown) => {
        assert.ok(err instanceof VideoGenerationError);
        assert.ok(err instanceof XaiError);
        assert.equal(err.serverCode, "generation_failed");
        assert.match(err.serverMessage, /could not be generated/);
        assert.ok(err.requestId);
        assert.match(err.message, /video generation failed \(request .+\) \[generation_failed\]/);
        return true;
      },
    );
  });

  test("get() reports a failed job without throwing", async () => {
    const requestId = await env.client.video.start({ prompt: "[fail] quick", model: MODEL });
    let state = await env.client.video.get(requestId);
    while (state.status === "pending") state = await env.client.video.get(requestId);
    assert.equal(state.status, "failed");
    if (state.status === "failed") assert.equal(state.error.serverCode, "generation_failed");
  });

  test("an expired job rejects with VideoExpiredError (DEADLINE_EXCEEDED)", async () => {
    await assert.rejects(
      env.client.video.generate({ prompt: "[expire] slow", model: MODEL }, { pollInterval: 5 }),
      (err: unknown) =>
        err instanceof VideoExpiredError &&
        err instanceof VideoGenerationError &&
        err.code === Status.DEADLINE_EXCEEDED &&
        /expired/.test(err.message),
    );
  });

  test("a moderated video resolves, but its URL throws ContentModeratedError", async () => {
    const video = await env.client.video.generate(
      { prompt: "[moderated] x", model: MODEL },
      { pollInterval: 5 },
    );
    assert.equal(video.respectModeration, false);
    assert.throws(() => video.url, ContentModeratedError);
    await assert.rejects(video.save(join(tmp.path, "never.mp4")), ContentModeratedError);
    await assert.rejects(stat(join(tmp.path, "never.mp4")), /ENOENT/);
  });

  test("waiting longer than the timeout rejects with PollTimeoutError naming the request", async () => {
    await withEmulator({ deferredPolls: 100_000 }, async ({ client: slowClient }) => {
      await assert.rejects(
        slowClient.video.generate({ prompt: "forever", model: MODEL }, { pollInterval: 10, timeout: 150 }),
        (err: unknown) =>
          err instanceof PollTimeoutError &&
          /^video generation \S+$/.test(err.what) &&
          err.code === Status.DEADLINE_EXCEEDED,
      );
    });
  });

  test("an aborted wait rejects with UserAbortError carrying the signal's reason and stops polling", async () => {
    const controller = new AbortController();
    const reason = new Error("user gave up");
    const started = env.emulator.calls.length;
    const pending = env.client.video.generate(
      { prompt: "abort me", model: MODEL },
      {
        pollInterval: 10_000,
        signal: controller.signal,
        onProgress: () => controller.abort(reason),
      },
    );
    await assert.rejects(pending, (err: unknown) => err instanceof UserAbortError && err.reason === reason);
    const made = env.emulator.calls.slice(started).map((c) => c.method);
    assert.deepEqual(made, ["/xai_api.Video/GenerateVideo", "/xai_api.Video/GetDeferredVideo"]);
  });

  test("extend continues a generated video; the reported duration adds up", async () => {
    const first = await env.client.video.generate(
      { prompt: "a kite", model: MODEL, duration: 3 },
      { pollInterval: 5 },
    );
    const longer = await env.client.video.extend(
      { prompt: "the kite flies away", model: MODEL, video: first.url, duration: 2 },
      { pollInterval: 5 },
    );
    assert.equal(longer.duration, 5);
    const extendCall = env.emulator.calls.find((c) => c.method === "/xai_api.Video/ExtendVideo");
    assert.ok(extendCall);
  });

  test("startExtend returns a request id usable with get()", async () => {
    const first = await env.client.video.generate({ prompt: "sea", model: MODEL }, { pollInterval: 5 });
    const requestId = await env.client.video.startExtend({
      prompt: "waves",
      model: MODEL,
      video: { url: first.url },
    });
    const state = await env.client.video.get(requestId);
    assert.equal(state.status, "pending");
  });

  test("storage options store the video in your files and publish it", async () => {
    const video = await env.client.video.generate(
      {
        prompt: "a lighthouse",
        model: MODEL,
        storageOptions: { filename: "lighthouse.mp4", publicUrl: true },
      },
      { pollInterval: 5 },
    );
    const output = video.fileOutput;
    assert.ok(output, "file output present");
    assert.equal(output.filename, "lighthouse.mp4");
    assert.ok(output.publicUrl?.startsWith("http"));
    const stored = await env.client.files.get(output.fileId);
    assert.equal(stored.filename, "lighthouse.mp4");
    assert.ok(stored.size > 0);
  });

  test("invalid input is rejected before any call", async () => {
    const before = env.emulator.calls.length;
    await assert.rejects(env.client.video.generate({ prompt: "", model: MODEL }), XaiInputError);
    await assert.rejects(env.client.video.start({ prompt: "p", model: MODEL, duration: -1 }), XaiInputError);
    await assert.rejects(env.client.video.get(""), XaiInputError);
    await assert.rejects(
      env.client.video.generate({ prompt: "p", model: MODEL }, { pollInterval: 0 }),
      /pollInterval must be a positive number/,
    );
    assert.equal(env.emulator.calls.length, before);
  });

  test("server errors surface typed: unknown model, and a rate limit on the start call", async () => {
    await assert.rejects(
      env.client.video.start({ prompt: "p", model: "no-such-video-model" }),
      NotFoundError,
    );
    env.emulator.faults.failNext("Video/GenerateVideo", 1, Status.RESOURCE_EXHAUSTED, "slow down");
    await assert.rejects(env.client.video.generate({ prompt: "p", model: MODEL }), RateLimitError);
  });

  test("prepare and prepareExtend build batch entries with optional ids (no network)", () => {
    const before = env.emulator.calls.length;
    const prepared = env.client.video.prepare({ prompt: "rain", model: MODEL }, { batchRequestId: "rain-1" });
    assert.equal(prepared.kind, "video");
    assert.equal(prepared.proto.prompt, "rain");
    const entry = prepared.toBatchRequest();
    assert.equal(entry.batchRequestId, "rain-1");
    assert.equal(entry.request.case, "videoRequest");
    const extension = env.client.video.prepareExtend({
      prompt: "more",
      model: MODEL,
      video: "https://x/v.mp4",
    });
    assert.equal(extension.kind, "videoExtension");
    const extensionEntry = extension.toBatchRequest();
    assert.equal(extensionEntry.batchRequestId, undefined, "no id unless asked for");
    assert.equal(extensionEntry.request.case, "videoExtensionRequest");
    assert.throws(
      () => env.client.video.prepare({ prompt: "p", model: MODEL }, { batchRequestId: "" }),
      XaiInputError,
    );
    assert.equal(env.emulator.calls.length, before);
  });
});
