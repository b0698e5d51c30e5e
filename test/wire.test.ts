// The generated messages encode to exactly the bytes the reference records from the Python SDK
// (xai-wire-schema.md, "Verified wire encodings"): a wrong field number or type fails here.
import assert from "node:assert/strict";
import { test } from "node:test";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { BatchRequestSchema } from "../src/gen/xai/api/v1/batch_pb.js";
import {
  GetCompletionsRequestSchema,
  MessageRole,
  MessageSchema,
  SearchMode,
  SearchParametersSchema,
  SourceSchema,
  ToolSchema,
} from "../src/gen/xai/api/v1/chat_pb.js";
import { ImageFormat } from "../src/gen/xai/api/v1/image_pb.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const clean = (s: string) => s.replace(/\s+/g, "");

test("chat request: user('hi'), model grok-4, n=1, temperature 0.5", () => {
  const request = create(GetCompletionsRequestSchema, {
    messages: [{ content: [{ content: { case: "text", value: "hi" } }], role: MessageRole.ROLE_USER }],
    model: "grok-4",
    n: 1,
    temperature: 0.5,
  });
  const bytes = toBinary(GetCompletionsRequestSchema, request);
  assert.equal(hex(bytes), clean("0a080a040a0268691001 120667726f6b2d34 4001 750000003f"));
  assert.equal(fromBinary(GetCompletionsRequestSchema, bytes).temperature, 0.5);
});

test("web_search() and x_search() tools with their defaults", () => {
  const web = create(ToolSchema, {
    tool: { case: "webSearch", value: { enableImageUnderstanding: false, enableImageSearch: false } },
  });
  assert.equal(hex(toBinary(ToolSchema, web)), "1a0418002800");
  const x = create(ToolSchema, {
    tool: { case: "xSearch", value: { enableImageUnderstanding: false, enableVideoUnderstanding: false } },
  });
  assert.equal(hex(toBinary(ToolSchema, x)), "220428003000");
});

test("SearchParameters() and web_source() defaults", () => {
  const params = create(SearchParametersSchema, { mode: SearchMode.AUTO_SEARCH_MODE, returnCitations: true });
  assert.equal(hex(toBinary(SearchParametersSchema, params)), "08033801");
  const source = create(SourceSchema, { source: { case: "web", value: { safeSearch: true } } });
  assert.equal(hex(toBinary(SourceSchema, source)), "0a022001");
});

test("a replayed empty assistant message keeps reasoning_content present", () => {
  const message = create(MessageSchema, {
    content: [{ content: { case: "text", value: "" } }],
    role: MessageRole.ROLE_ASSISTANT,
    reasoningContent: "",
  });
  assert.equal(hex(toBinary(MessageSchema, message)), clean("0a020a00 1002 2a00"));
});

test("a prepared image batch request: empty id present, n=1, format URL", () => {
  const request = create(BatchRequestSchema, {
    batchRequestId: "",
    request: {
      case: "imageRequest",
      value: { prompt: "p", model: "m", n: 1, format: ImageFormat.IMG_FORMAT_URL },
    },
  });
  assert.equal(hex(toBinary(BatchRequestSchema, request)), clean("0a00 1a0a 0a0170 12016d 1801 5802"));
});
