// Reads the JSONL input file of CreateBatch(input_file_id). Each non-empty line is one request, written
// either as a BatchRequest in protobuf JSON (`{"batchRequestId": "...", "completionRequest": {...}}`) or in
// the OpenAI-compatible batch form the REST API accepts:
//   {"custom_id": "r1", "method": "POST", "url": "/v1/chat/completions",
//    "body": {"model": "grok-3", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 40}}
// with url /v1/chat/completions (model, messages with string or text-part content, max_tokens, temperature,
// top_p, n, seed, stop), /v1/images/generations (model, prompt, n, response_format url | b64_json) or
// /v1/videos/generations (model, prompt, duration). Other body fields are rejected, never dropped.
import { create, fromJson, type JsonValue } from "@bufbuild/protobuf";
import { type BatchRequest, BatchRequestSchema } from "../../gen/xai/api/v1/batch_pb.js";
import { GetCompletionsRequestSchema, MessageRole } from "../../gen/xai/api/v1/chat_pb.js";
import { GenerateImageRequestSchema, ImageFormat } from "../../gen/xai/api/v1/image_pb.js";
import { GenerateVideoRequestSchema } from "../../gen/xai/api/v1/video_pb.js";
import { Code, EmulatorError } from "../types.js";

const ROLES: Record<string, MessageRole> = {
  user: MessageRole.ROLE_USER,
  assistant: MessageRole.ROLE_ASSISTANT,
  system: MessageRole.ROLE_SYSTEM,
  developer: MessageRole.ROLE_DEVELOPER,
};

type Json = { [key: string]: unknown };

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

class LineError extends Error {}

function onlyKeys(body: Json, allowed: string[], where: string): void {
  const extra = Object.keys(body).filter((key) => !allowed.includes(key));
  if (extra.length > 0) {
    throw new LineError(`${where} has fields the emulator does not support: ${extra.join(", ")}`);
  }
}

function text(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => {
        if (isObject(part) && part.type === "text" && typeof part.text === "string") return part.text;
        throw new LineError("message content parts must be text parts ({type: 'text', text})");
      })
      .join("");
  }
  throw new LineError("message content must be a string or a list of text parts");
}

function num(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number") throw new LineError(`${field} must be a number`);
  return value;
}

function str(value: unknown, field: string): string {
  if (typeof value !== "string") throw new LineError(`${field} must be a string`);
  return value;
}

function openAiLine(line: Json): BatchRequest {
  onlyKeys(line, ["custom_id", "method", "url", "body"], "the line");
  if (line.method !== undefined && line.method !== "POST") throw new LineError('method must be "POST"');
  const body = line.body;
  if (!isObject(body)) throw new LineError("body must be an object");
  const batchRequestId = line.custom_id === undefined ? undefined : str(line.custom_id, "custom_id");
  switch (line.url) {
    case "/v1/chat/completions": {
      onlyKeys(
        body,
        ["model", "messages", "max_tokens", "temperature", "top_p", "n", "seed", "stop"],
        "body",
      );
      if (!Array.isArray(body.messages)) throw new LineError("body.messages must be a list");
      const messages = body.messages.map((message) => {
        if (!isObject(message)) throw new LineError("each message must be an object");
        const role = ROLES[String(message.role)];
        if (!role) throw new LineError(`unknown message role ${JSON.stringify(message.role)}`);
        return { role, content: [{ content: { case: "text" as const, value: text(message.content) } }] };
      });
      const stop =
        body.stop === undefined ? [] : Array.isArray(body.stop) ? body.stop.map(String) : [String(body.stop)];
      return create(BatchRequestSchema, {
        batchRequestId,
        request: {
          case: "completionRequest",
          value: create(GetCompletionsRequestSchema, {
            model: str(body.model, "body.model"),
            messages,
            maxTokens: num(body.max_tokens, "body.max_tokens"),
            temperature: num(body.temperature, "body.temperature"),
            topP: num(body.top_p, "body.top_p"),
            n: num(body.n, "body.n"),
            seed: num(body.seed, "body.seed"),
            stop,
          }),
        },
      });
    }
    case "/v1/images/generations": {
      onlyKeys(body, ["model", "prompt", "n", "response_format"], "body");
      const format = body.response_format ?? "url";
      if (format !== "url" && format !== "b64_json")
        throw new LineError('response_format must be "url" or "b64_json"');
      return create(BatchRequestSchema, {
        batchRequestId,
        request: {
          case: "imageRequest",
          value: create(GenerateImageRequestSchema, {
            model: str(body.model, "body.model"),
            prompt: str(body.prompt, "body.prompt"),
            n: num(body.n, "body.n") ?? 1,
            format: format === "url" ? ImageFormat.IMG_FORMAT_URL : ImageFormat.IMG_FORMAT_BASE64,
          }),
        },
      });
    }
    case "/v1/videos/generations": {
      onlyKeys(body, ["model", "prompt", "duration"], "body");
      return create(BatchRequestSchema, {
        batchRequestId,
        request: {
          case: "videoRequest",
          value: create(GenerateVideoRequestSchema, {
            model: str(body.model, "body.model"),
            prompt: str(body.prompt, "body.prompt"),
            duration: num(body.duration, "body.duration"),
          }),
        },
      });
    }
    default:
      throw new LineError(
        `url ${JSON.stringify(line.url)} is not a batch endpoint (use /v1/chat/completions, /v1/images/generations or /v1/videos/generations)`,
      );
  }
}

/**
 * Parses a batch input file into BatchRequests; INVALID_ARGUMENT names the first bad line.
 *
 * @example
 * ```ts
 * const requests = parseBatchInput(new TextDecoder().decode(fileBytes(file)), file.filename);
 * ```
 */
export function parseBatchInput(content: string, filename: string): BatchRequest[] {
  const requests: BatchRequest[] = [];
  const lines = content.split(/\r?\n/);
  lines.forEach((raw, index) => {
    if (!raw.trim()) return;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!isObject(parsed)) throw new LineError("the line is not a JSON object");
      requests.push(
        "url" in parsed || "body" in parsed
          ? openAiLine(parsed)
          : fromJson(BatchRequestSchema, parsed as JsonValue),
      );
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new EmulatorError(
        Code.INVALID_ARGUMENT,
        `Line ${index + 1} of the batch input file "${filename}" is not a valid batch request: ${why}.`,
      );
    }
  });
  if (requests.length === 0) {
    throw new EmulatorError(Code.INVALID_ARGUMENT, `The batch input file "${filename}" holds no requests.`);
  }
  return requests;
}
