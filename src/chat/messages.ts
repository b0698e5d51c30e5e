import { create } from "@bufbuild/protobuf";
import { checkLiteral, checkString, describe, fail, isMessageOf, isPlainObject } from "../core/check.js";
import {
  type Content,
  ContentSchema,
  type Message,
  MessageRole,
  MessageSchema,
} from "../gen/xai/api/v1/chat_pb.js";
import { ImageUrlContentSchema } from "../gen/xai/api/v1/image_pb.js";
import { type ImageDetailName, imageDetailToProto } from "./types.js";

/**
 * A piece of message content: a plain string (text) or a part built by {@link text}, {@link image} or {@link file}.
 *
 * @example
 * ```ts
 * const parts: ContentInput[] = ["Compare these:", image(urlA), image(urlB)];
 * chat.append(user(...parts));
 * ```
 */
export type ContentInput = string | Content;

/**
 * A text part of a message. Plain strings passed to the message builders become text parts too.
 *
 * @example
 * ```ts
 * chat.append(user(text("Describe this:"), image("https://example.com/cat.jpg")));
 * ```
 */
export function text(value: string): Content {
  checkString("text()", value);
  return create(ContentSchema, { content: { case: "text", value } });
}

/**
 * Options of {@link image}.
 *
 * @example
 * ```ts
 * image(pngBytes, { detail: "low", mimeType: "image/png" });
 * ```
 */
export interface ImageOptions {
  /** How closely the model looks: `"auto"` (default), `"low"` (cheaper) or `"high"`. */
  detail?: ImageDetailName;
  /** MIME type of raw bytes; detected from the bytes for PNG, JPEG, GIF and WebP when omitted. */
  mimeType?: string;
}

/**
 * Where an image comes from: a URL, a `data:image/...;base64,` URL, raw bytes, or a file uploaded with `client.files`.
 *
 * @example
 * ```ts
 * const sources: ImageSource[] = ["https://example.com/a.jpg", await readFile("b.png"), { fileId: "file_123" }];
 * ```
 */
export type ImageSource = string | Uint8Array | { fileId: string };

function sniffImageType(bytes: Uint8Array): string | undefined {
  const startsWith = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (startsWith(0x89, 0x50, 0x4e, 0x47)) return "image/png";
  if (startsWith(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (startsWith(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  if (startsWith(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42) {
    return "image/webp";
  }
  return undefined;
}

/**
 * An image part: an `https://` URL, a base64 `data:image/...` URL, raw bytes (sent as a data URL) or
 * `{ fileId }` of an uploaded file. Unlike the Python SDK, an unknown `detail` is an error, not silently "auto".
 *
 * @example
 * ```ts
 * chat.append(user("What is in this picture?", image("https://example.com/cat.jpg", { detail: "high" })));
 * chat.append(user("And this one?", image(await readFile("dog.png"))));
 * ```
 */
export function image(source: ImageSource, options: ImageOptions = {}): Content {
  if (!isPlainObject(options)) fail(`image() options must be an object, got ${describe(options)}`);
  const detail =
    imageDetailToProto()[checkLiteral("image() detail", options.detail ?? "auto", ["auto", "low", "high"])];
  let imageSource: { case: "imageUrl"; value: string } | { case: "fileId"; value: string };
  if (typeof source === "string") {
    if (/^data:/i.test(source)) {
      if (!/^data:image\/[\w.+-]+;base64,/i.test(source)) {
        fail("image() data URL must look like data:image/<type>;base64,<data>");
      }
    } else if (!/^https?:\/\//i.test(source)) {
      fail(
        `image() expects an http(s) URL, a data:image/...;base64 URL, bytes or { fileId }, got ${describe(source)}`,
      );
    }
    imageSource = { case: "imageUrl", value: source };
  } else if (source instanceof Uint8Array) {
    if (source.length === 0) fail("image() got empty bytes");
    const mimeType = options.mimeType ?? sniffImageType(source);
    if (!mimeType) {
      fail(
        "image() could not tell the image type from the bytes; pass { mimeType: 'image/png' } (or jpeg, gif, webp)",
      );
    }
    const base64 = Buffer.from(source.buffer, source.byteOffset, source.byteLength).toString("base64");
    imageSource = { case: "imageUrl", value: `data:${mimeType};base64,${base64}` };
  } else if (isPlainObject(source) && typeof source.fileId === "string" && source.fileId !== "") {
    imageSource = { case: "fileId", value: source.fileId };
  } else {
    fail(`image() expects an http(s) URL, a data URL, bytes or { fileId }, got ${describe(source)}`);
  }
  return create(ContentSchema, {
    content: { case: "imageUrl", value: create(ImageUrlContentSchema, { source: imageSource, detail }) },
  });
}

/**
 * Where a file part comes from: an uploaded file (`fileId`), inline bytes (`data`, with a `filename` and
 * `mimeType` when known), or a `url` the server downloads.
 *
 * @example
 * ```ts
 * file({ url: "https://example.com/report.pdf", mimeType: "application/pdf" });
 * ```
 */
export type FileSource =
  | { fileId: string }
  | { data: Uint8Array | string; filename?: string; mimeType?: string }
  | { url: string; filename?: string; mimeType?: string };

/**
 * A file part (documents the model reads): exactly one of `fileId`, `data` or `url`.
 *
 * @example
 * ```ts
 * chat.append(user("Summarize this report", file({ fileId: uploaded.id })));
 * chat.append(user("And this one", file({ data: await readFile("q3.pdf"), filename: "q3.pdf", mimeType: "application/pdf" })));
 * ```
 */
export function file(source: FileSource): Content {
  if (!isPlainObject(source)) fail(`file() expects { fileId }, { data } or { url }, got ${describe(source)}`);
  const given = (["fileId", "data", "url"] as const).filter(
    (k) => (source as Record<string, unknown>)[k] !== undefined,
  );
  if (given.length !== 1) {
    fail(
      `file() needs exactly one of fileId, data or url, got ${given.length ? given.join(" and ") : "none"}`,
    );
  }
  const s = source as {
    fileId?: unknown;
    data?: unknown;
    url?: unknown;
    filename?: unknown;
    mimeType?: unknown;
  };
  if (s.fileId !== undefined && (s.filename !== undefined || s.mimeType !== undefined)) {
    fail("file() takes filename and mimeType only with data or url; an uploaded file already has them");
  }
  const filename = s.filename === undefined ? "" : checkString("file() filename", s.filename);
  const mimeType = s.mimeType === undefined ? "" : checkString("file() mimeType", s.mimeType);
  let init: { fileId?: string; data?: Uint8Array; url?: string } = {};
  if (s.fileId !== undefined) {
    init = { fileId: checkString("file() fileId", s.fileId, { nonEmpty: true }) };
  } else if (s.url !== undefined) {
    const url = checkString("file() url", s.url, { nonEmpty: true });
    if (!/^https?:\/\//i.test(url)) fail(`file() url must be an http(s) URL, got ${describe(url)}`);
    init = { url };
  } else if (typeof s.data === "string") {
    init = { data: new TextEncoder().encode(s.data) };
  } else if (s.data instanceof Uint8Array) {
    init = { data: s.data };
  } else {
    fail(`file() data must be bytes or a string, got ${describe(s.data)}`);
  }
  return create(ContentSchema, { content: { case: "file", value: { ...init, filename, mimeType } } });
}

function toContent(builder: string, parts: readonly ContentInput[]): Content[] {
  if (parts.length === 0) fail(`${builder}() needs at least one piece of content, e.g. ${builder}("Hello")`);
  return parts.map((part, i) => {
    if (typeof part === "string") return create(ContentSchema, { content: { case: "text", value: part } });
    if (isMessageOf<Content>(part, "xai_api.Content")) return part;
    return fail(
      `${builder}() argument ${i + 1} must be a string or a part made by text(), image() or file(), got ${describe(part)}`,
    );
  });
}

function message(builder: string, role: MessageRole, parts: readonly ContentInput[]): Message {
  return create(MessageSchema, { role, content: toContent(builder, parts) });
}

/**
 * A user message. Strings are text; mix in {@link image} and {@link file} parts.
 *
 * @example
 * ```ts
 * chat.append(user("What is in this picture?", image(url, { detail: "high" })));
 * ```
 */
export function user(...content: ContentInput[]): Message {
  return message("user", MessageRole.ROLE_USER, content);
}

/**
 * A system message: instructions that frame the conversation.
 *
 * @example
 * ```ts
 * const chat = client.chat.create({ model: "grok-4", messages: [system("You are a pirate.")] });
 * ```
 */
export function system(...content: ContentInput[]): Message {
  return message("system", MessageRole.ROLE_SYSTEM, content);
}

/**
 * A developer message (instructions from the application; models older than grok-4.1 treat it as system).
 *
 * @example
 * ```ts
 * chat.append(developer("Answer in French."));
 * ```
 */
export function developer(...content: ContentInput[]): Message {
  return message("developer", MessageRole.ROLE_DEVELOPER, content);
}

/**
 * An assistant message written by you (e.g. few-shot examples). To continue after a response, append the
 * response itself instead: it also carries reasoning, encrypted content and tool calls.
 *
 * @example
 * ```ts
 * chat.append(user("2+2?"), assistant("4"), user("3+3?"));
 * ```
 */
export function assistant(...content: ContentInput[]): Message {
  return message("assistant", MessageRole.ROLE_ASSISTANT, content);
}

/**
 * The result of a client-side tool call, answering the call with id `toolCallId`. A non-string result is sent as
 * JSON.
 *
 * @example
 * ```ts
 * for (const call of response.toolCalls) chat.append(toolResult(await run(call.name, call.arguments), call.id));
 * ```
 */
export function toolResult(result: unknown, toolCallId?: string): Message {
  let body: string;
  if (typeof result === "string") body = result;
  else if (result === undefined) body = "";
  else {
    try {
      body = JSON.stringify(result) ?? String(result);
    } catch (err) {
      fail(`toolResult() could not serialize the result to JSON (${(err as Error).message}); pass a string`);
    }
  }
  if (toolCallId !== undefined) checkString("toolResult() toolCallId", toolCallId, { nonEmpty: true });
  return create(MessageSchema, {
    role: MessageRole.ROLE_TOOL,
    content: [create(ContentSchema, { content: { case: "text", value: body } })],
    toolCallId,
  });
}
