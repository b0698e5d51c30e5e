// The emulator survives hostile input (issue "Hardening", points 1–8): each attack goes through raw gRPC;
// attacks that could crash the process run against an emulator in a child process with a capped heap, whose
// RSS after the attack must stay within 2× its baseline.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { credentials, Client as GrpcClient, Metadata, type ServiceError } from "@grpc/grpc-js";
import { Code } from "../src/testing/index.js";
import { type ChildMemory, type EmulatorChild, spawnEmulatorChild } from "./helpers/emulator-child.js";

/** Sends `body` as the bytes of a unary request, with `key` (no encoding on the client). */
function rawUnary(
  host: string,
  path: string,
  body: Buffer,
  key: string,
): Promise<{ code: number; details: string }> {
  const client = new GrpcClient(host, credentials.createInsecure(), {
    "grpc.max_send_message_length": -1,
  });
  const metadata = new Metadata();
  metadata.set("authorization", `Bearer ${key}`);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      path,
      (bytes: Buffer) => bytes,
      (bytes: Buffer) => bytes,
      body,
      metadata,
      {},
      (error: ServiceError | null) => {
        client.close();
        resolve(error ? { code: error.code, details: error.details } : { code: 0, details: "" });
      },
    );
  });
}

/** `count` empty `messages` (field 1) of a GetCompletionsRequest: two bytes each. */
function emptyMessages(count: number): Buffer {
  const body = Buffer.alloc(count * 2);
  for (let i = 0; i < body.length; i += 2) body[i] = 0x0a;
  return body;
}

const MiB = 1024 * 1024;
const COMPLETION = "/xai_api.Chat/GetCompletion";

function withinTwice(before: ChildMemory, after: ChildMemory, what: string): void {
  const figures = `RSS ${(before.rss / MiB).toFixed(0)} MiB before, ${(after.rss / MiB).toFixed(0)} MiB after ${what}`;
  console.log(`# ${figures}`);
  assert.ok(after.rss <= 2 * before.rss, figures);
}

describe("emulator hardening: oversized and unauthenticated requests (point 1)", () => {
  let child: EmulatorChild;
  let baseline: ChildMemory;
  before(async () => {
    child = await spawnEmulatorChild({ heapMiB: 384 });
    baseline = await child.memory();
  });
  after(async () => {
    await child?.stop();
  });

  test("a 64 MB request with a wrong key is refused by size without being decoded", async () => {
    const result = await rawUnary(child.apiHost, COMPLETION, emptyMessages(32 * MiB), "xai-wrong-key");
    assert.equal(result.code, Code.RESOURCE_EXHAUSTED, result.details);
    assert.ok(child.alive(), child.stderr());
    withinTwice(baseline, await child.memory(), "a 64 MB request");
  });

  test("a 19 MiB request of empty messages with a wrong key is UNAUTHENTICATED; its body is not kept", async () => {
    const result = await rawUnary(child.apiHost, COMPLETION, emptyMessages(9.5 * MiB), "xai-wrong-key");
    assert.equal(result.code, Code.UNAUTHENTICATED, result.details);
    assert.ok(child.alive(), child.stderr());
    const memory = await child.memory();
    assert.equal(memory.bodies, 0, "the failed-auth call keeps no body");
    withinTwice(baseline, memory, "a 19 MiB unauthenticated request");
  });

  test("a request the key opens but that is not a valid message is INVALID_ARGUMENT", async () => {
    const result = await rawUnary(child.apiHost, COMPLETION, Buffer.from([0x0a, 0x05, 0x01]), child.apiKey);
    assert.equal(result.code, Code.INVALID_ARGUMENT, result.details);
    assert.match(result.details, /not a valid xai_api\.GetCompletionsRequest/);
  });
});
