// Resilience against a hostile or broken server, spoken by hand over node:http2 (test/helpers/raw-http2-server.ts):
// a server that echoes the request's `authorization` header into `grpc-message`, its headers or its trailers (the
// key must never surface), ends a stream early with status OK (the answer must be marked incomplete), sends a
// message over the size limit, a compressed frame without `grpc-encoding`, or two messages on a unary call (each
// a clear, typed error).
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { inspect } from "node:util";
import { create, toBinary } from "@bufbuild/protobuf";
import { z } from "zod";
import { reportError } from "../src/cli/errors.js";
import { Terminal } from "../src/cli/output.js";
import { ApiKeySchema } from "../src/gen/xai/api/v1/auth_pb.js";
import {
  GetChatCompletionChunkSchema,
  GetChatCompletionResponseSchema,
  MessageRole,
} from "../src/gen/xai/api/v1/chat_pb.js";
import { FinishReason } from "../src/gen/xai/api/v1/sample_pb.js";
import {
  AuthenticationError,
  Client,
  IncompleteResponseError,
  InternalError,
  MessageTooLargeError,
  RateLimitError,
  Status,
  StructuredOutputError,
  user,
  XaiError,
} from "../src/index.js";
import { redactorFor } from "../src/transport/errors.js";
import { errorTexts } from "./helpers/error-texts.js";
import {
  encodeGrpcMessage,
  grpcFrame,
  type RawCall,
  type RawHttp2Server,
  respond,
  startRawHttp2Server,
} from "./helpers/raw-http2-server.js";

/** The key canary: a unique fake key that must appear nowhere. */
const KEY = "xai-HOSTILECANARY7a6b5c4d3e2f1a0b9c8d";
const SECRETS = [KEY, "HOSTILECANARY7a6b5c"];

function assertNoSecret(what: string, text: string): void {
  for (const secret of SECRETS) {
    assert.ok(!text.includes(secret), `${what} contains the key:\n${text.slice(0, 2_000)}`);
  }
}

const AUTH_PATH = "/xai_api.Auth/get_api_key_info";
const CHAT_STREAM_PATH = "/xai_api.Chat/GetCompletionChunk";
const CHAT_PATH = "/xai_api.Chat/GetCompletion";

let server: RawHttp2Server;
const clients: Client[] = [];

function clientFor(extra: ConstructorParameters<typeof Client>[0] = {}): Client {
  const client = new Client({ apiKey: KEY, apiHost: server.address, retry: false, ...extra });
  clients.push(client);
  return client;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => assert.fail(`expected a failure, got ${inspect(value)}`),
    (err: unknown) => err,
  );
}

const apiKeyMessage = () =>
  grpcFrame(toBinary(ApiKeySchema, create(ApiKeySchema, { name: "k", redactedApiKey: "xai-****" })));

before(async () => {
  server = await startRawHttp2Server((call) => respond(call, { frames: [apiKeyMessage()] }));
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
after(async () => {
  await server.stop();
});

describe("a server that echoes the key back", () => {
  const authorization = (call: RawCall) => String(call.headers.authorization);

  test("into grpc-message: the key is redacted from the message, details, stack and cause", async () => {
    server.handler = (call) =>
      respond(call, {
        status: Status.UNAUTHENTICATED,
        message: `Incorrect API key provided: ${authorization(call)} (key ${authorization(call).slice(7)})`,
      });
    const err = await failure(clientFor().auth.apiKeyInfo());
    assert.equal(server.calls.at(-1)?.headers.authorization, `Bearer ${KEY}`, "the server did see the key");
    assert.ok(err instanceof AuthenticationError, String(err));
    assert.match(err.details, /^Incorrect API key provided: Bearer \[redacted\] \(key \[redacted\]\)$/);
    assertNoSecret("the error", errorTexts(err));
  });

  test("percent-encoded in grpc-message (once or twice): redacted too", async () => {
    server.handler = (call) =>
      respond(call, {
        status: Status.PERMISSION_DENIED,
        // Decoded once by grpc-js: "Bearer <key>" and "Bearer%20<key>", with the key's letters percent-encoded.
        rawMessage: `a: ${encodeURIComponent(authorization(call))}, b: ${encodeGrpcMessage(
          encodeURIComponent(authorization(call)).replace(
            /[A-Z]/g,
            (c) => `%${c.charCodeAt(0).toString(16)}`,
          ),
        )}`,
      });
    const err = await failure(clientFor().auth.apiKeyInfo());
    assert.ok(err instanceof XaiError && err.code === Status.PERMISSION_DENIED, String(err));
    assert.match(err.details, /\[redacted\].*\[redacted\]/);
    assertNoSecret("the error", errorTexts(err));
  });

  test("into response headers and trailers (text and -bin): redacted from error.metadata and the cause", async () => {
    server.handler = (call) =>
      respond(call, {
        headers: { "x-seen-authorization": authorization(call) },
        status: Status.INTERNAL,
        message: "boom",
        trailers: {
          "x-echo": `you sent ${authorization(call)}`,
          "x-echo-bin": Buffer.from(`raw:${authorization(call)}`).toString("base64"),
          "x-other": "kept",
        },
      });
    const err = await failure(clientFor().auth.apiKeyInfo());
    assert.ok(err instanceof InternalError, String(err));
    assert.deepEqual(err.metadata?.get("x-echo"), ["you sent Bearer [redacted]"]);
    assert.deepEqual(err.metadata?.get("x-other"), ["kept"]);
    // Response headers are not part of a failed call's metadata (grpc-js keeps the trailers): nothing to see.
    assert.deepEqual(err.metadata?.get("x-seen-authorization"), []);
    assert.equal(err.metadata?.get("x-echo-bin")[0]?.toString(), "raw:Bearer [redacted]");
    assertNoSecret("the error", errorTexts(err));
  });

  test("on a server stream: the stream's error is redacted too", async () => {
    server.handler = (call) =>
      respond(call, {
        status: Status.UNAUTHENTICATED,
        message: `bad key ${authorization(call)}`,
        trailers: { "x-echo": authorization(call) },
      });
    const chat = clientFor().chat.create({ model: "grok-4", messages: [user("hi")] });
    const err = await failure(chat.stream().done());
    assert.equal(server.calls.at(-1)?.path, CHAT_STREAM_PATH);
    assert.ok(err instanceof AuthenticationError, String(err));
    assertNoSecret("the error", errorTexts(err));
  });

  test("the CLI's error line does not show it", async () => {
    server.handler = (call) =>
      respond(call, { status: Status.UNAUTHENTICATED, message: `bad key ${authorization(call)}` });
    const err = await failure(clientFor().auth.apiKeyInfo());
    const written: string[] = [];
    const sink = { write: (s: string) => written.push(s) !== 0, isTTY: false };
    const term = new Terminal(sink as never, sink as never, { NO_COLOR: "1" });
    reportError(err, term, { host: server.address });
    assert.match(written.join(""), /UNAUTHENTICATED: bad key Bearer \[redacted\]/);
    assertNoSecret("the CLI output", written.join(""));
  });
});

describe("redactorFor", () => {
  test("redacts the key, Bearer <key>, and its percent-encodings, in any case of the hex digits", () => {
    const key = "xai-a/b+c=d";
    const redact = redactorFor(() => key);
    const text = `Bearer ${key} | ${encodeURIComponent(key)} | ${encodeURIComponent(key).toLowerCase()} | Bearer%20${encodeURIComponent(key)}`;
    assert.equal(redact(text), "Bearer [redacted] | [redacted] | [redacted] | Bearer%20[redacted]");
    assert.equal(redact("nothing here"), "nothing here");
  });
  test("leaves text alone for an empty or very short key", () => {
    assert.equal(redactorFor(() => "")("a b"), "a b");
    assert.equal(redactorFor(() => "ab")("a b ab"), "a b ab");
  });
});

/** A chunk of assistant text, with a finish reason or not. */
function chunk(content: string, finishReason = FinishReason.REASON_INVALID): Buffer {
  return grpcFrame(
    toBinary(
      GetChatCompletionChunkSchema,
      create(GetChatCompletionChunkSchema, {
        id: "c1",
        outputs: [{ index: 0, delta: { role: MessageRole.ROLE_ASSISTANT, content }, finishReason }],
      }),
    ),
  );
}

describe("an answer cut short with status OK", () => {
  const Recipe = z.object({ title: z.string(), steps: z.array(z.string()) });

  test('a stream without a finish reason: complete is false and finishReason is "incomplete"', async () => {
    server.handler = (call) =>
      respond(call, { frames: [chunk('{"title":"Soup",'), chunk('"steps":["boil"')] });
    const chat = clientFor().chat.create({ model: "grok-4", messages: [user("hi")] });
    const stream = chat.stream();
    assert.equal(stream.response.complete, false);
    assert.equal(stream.response.finishReason, undefined, "no finish reason while streaming");
    const response = await stream.done();
    assert.equal(response.content, '{"title":"Soup","steps":["boil"');
    assert.equal(response.complete, false);
    assert.equal(response.finishReason, "incomplete");
  });

  test("a stream that does finish is complete", async () => {
    server.handler = (call) =>
      respond(call, { frames: [chunk("Hel"), chunk("lo", FinishReason.REASON_STOP)] });
    const response = await clientFor()
      .chat.create({ model: "grok-4", messages: [user("hi")] })
      .stream()
      .done();
    assert.equal(response.complete, true);
    assert.equal(response.finishReason, "stop");
  });

  test("streamParse().parsed() rejects with IncompleteResponseError instead of validating a fragment", async () => {
    server.handler = (call) => respond(call, { frames: [chunk('{"title":"Soup","steps":[]}')] });
    const chat = clientFor().chat.create({ model: "grok-4", messages: [user("hi")] });
    const stream = chat.streamParse(Recipe);
    const err = await failure(stream.parsed());
    assert.ok(err instanceof IncompleteResponseError, String(err));
    assert.ok(err instanceof StructuredOutputError, "a parse failure handler catches it too");
    assert.equal(err.response, stream.response);
    assert.equal(err.content, '{"title":"Soup","steps":[]}');
    assert.match(err.message, /incomplete.*finish reason/i);
  });

  test("a unary response without outputs: incomplete, and parse() rejects", async () => {
    const empty = grpcFrame(
      toBinary(GetChatCompletionResponseSchema, create(GetChatCompletionResponseSchema, { id: "r1" })),
    );
    server.handler = (call) => respond(call, { frames: [empty] });
    const chat = clientFor().chat.create({ model: "grok-4", messages: [user("hi")] });
    const response = await chat.sample();
    assert.equal(server.calls.at(-1)?.path, CHAT_PATH);
    assert.equal(response.complete, false);
    assert.equal(response.finishReason, "incomplete");
    const err = await failure(chat.parse(Recipe));
    assert.ok(err instanceof IncompleteResponseError, String(err));
    assert.match(err.message, /no output/);
  });
});

describe("messages that say what happened", () => {
  test("a response over the receive limit: MessageTooLargeError naming the option, not a RateLimitError", async () => {
    server.handler = (call) => respond(call, { frames: [grpcFrame(Buffer.alloc(300, 0x41))] });
    const client = clientFor({ channelOptions: { "grpc.max_receive_message_length": 100 } });
    const err = await failure(client.auth.apiKeyInfo());
    assert.ok(err instanceof MessageTooLargeError, String(err));
    assert.equal(err.code, Status.RESOURCE_EXHAUSTED);
    assert.equal(err.direction, "receive");
    assert.equal(err instanceof RateLimitError, false);
    assert.match(err.message, /grpc\.max_receive_message_length/);
    assert.doesNotMatch(err.message, /rate limit|quota/i);
  });

  test("a request over the send limit: MessageTooLargeError naming the send option", async () => {
    const client = clientFor({ channelOptions: { "grpc.max_send_message_length": 100 } });
    const chat = client.chat.create({ model: "grok-4", messages: [user("x".repeat(500))] });
    const err = await failure(chat.sample());
    assert.ok(err instanceof MessageTooLargeError, String(err));
    assert.equal(err.direction, "send");
    assert.match(err.message, /grpc\.max_send_message_length/);
    const written: string[] = [];
    const sink = { write: (s: string) => written.push(s) !== 0, isTTY: false };
    reportError(err, new Terminal(sink as never, sink as never, { NO_COLOR: "1" }), { host: "h" });
    assert.doesNotMatch(written.join(""), /rate limit|quota/i);
    assert.match(written.join(""), /max_send_message_length/);
  });

  test("a quota error stays a RateLimitError", async () => {
    server.handler = (call) =>
      respond(call, { status: Status.RESOURCE_EXHAUSTED, message: "quota exceeded for team" });
    const err = await failure(clientFor().auth.apiKeyInfo());
    assert.ok(err instanceof RateLimitError, String(err));
    assert.equal(err instanceof MessageTooLargeError, false);
  });

  test("a compressed frame without grpc-encoding: an InternalError naming the protocol error", async () => {
    server.handler = (call) => respond(call, { frames: [grpcFrame(Buffer.from([1, 2, 3]), true)] });
    const err = await failure(clientFor().auth.apiKeyInfo());
    assert.ok(err instanceof InternalError, String(err));
    assert.equal(err.code, Status.INTERNAL);
    assert.doesNotMatch(err.message, /undefined/);
    assert.match(err.message, /compressed.*grpc-encoding/);
    assert.equal(err.method, AUTH_PATH);
  });

  test("two messages on a unary call: fails at once with INTERNAL, without waiting for the deadline", async () => {
    server.handler = (call) => respond(call, { frames: [apiKeyMessage(), apiKeyMessage()], keepOpen: true });
    const err = await failure(clientFor().auth.apiKeyInfo());
    assert.ok(err instanceof InternalError, String(err));
    assert.equal(err.code, Status.INTERNAL);
    assert.match(err.message, /more than one response message/);
  });
});
