import { create } from "@bufbuild/protobuf";
import {
  checkLiteral,
  checkString,
  closest,
  describe,
  fail,
  isMessageOf,
  isPlainObject,
  oneOf,
} from "../core/check.js";
import { lazy } from "../core/lazy.js";
import {
  type Content,
  ContentSchema,
  FunctionCallSchema,
  type Message,
  MessageRole,
  MessageSchema,
  type ToolCall,
  ToolCallSchema,
  ToolCallType,
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

// ---------------------------------------------------------------------------------------------------------------
// Plain messages: `{ role, content }` objects and bare strings, as openai-node users write them.

/**
 * The content of a plain message: a string, or an array of strings and parts made by {@link text},
 * {@link image} or {@link file}.
 *
 * @example
 * ```ts
 * const content: PlainContent = ["Compare these:", image(urlA), image(urlB)];
 * ```
 */
export type PlainContent = string | readonly ContentInput[];

/**
 * A plain user, system or developer message.
 *
 * @example
 * ```ts
 * const messages: PlainTextMessage[] = [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }];
 * ```
 */
export interface PlainTextMessage {
  role: "user" | "system" | "developer";
  content: PlainContent;
  /** A name for the author, to tell participants of the same role apart. */
  name?: string;
}

/**
 * A tool call in a plain assistant message: an entry of `response.toolCalls`, `{ id, name, arguments }` (the
 * arguments as a JSON string or a value sent as JSON), or openai-node's `{ id, type: "function", function }`.
 *
 * @example
 * ```ts
 * const call: PlainToolCall = { id: "call_1", name: "get_weather", arguments: { city: "Paris" } };
 * ```
 */
export type PlainToolCall =
  | { readonly id: string; readonly name: string; readonly arguments?: unknown }
  | { id: string; type?: "function"; function: { name: string; arguments: string } };

/**
 * A plain assistant message: few-shot answers, or a turn replayed from your own storage. `content` may be
 * left out (or null) when the turn only calls tools.
 *
 * @example
 * ```ts
 * const turn: PlainAssistantMessage = {
 *   role: "assistant",
 *   content: null,
 *   toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }],
 * };
 * ```
 */
export interface PlainAssistantMessage {
  role: "assistant";
  content?: PlainContent | null;
  name?: string;
  /** The model's visible reasoning of that turn. */
  reasoningContent?: string;
  /** The encrypted reasoning of that turn (`response.encryptedContent`). */
  encryptedContent?: string;
  /** The calls the model made in that turn. */
  toolCalls?: readonly PlainToolCall[];
}

/**
 * A plain tool message: the result of your function, answering the call with id `toolCallId`.
 *
 * @example
 * ```ts
 * chat.append({ role: "tool", toolCallId: call.id, content: JSON.stringify(weather) });
 * ```
 */
export interface PlainToolMessage {
  role: "tool";
  content: PlainContent;
  /** The id of the call this answers (`call.id` of `response.toolCalls`). */
  toolCallId: string;
}

/**
 * A message as a plain object, discriminated by `role`.
 *
 * @example
 * ```ts
 * const chat = client.chat.create({
 *   model: "grok-4",
 *   messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }],
 * });
 * ```
 */
export type PlainMessage = PlainTextMessage | PlainAssistantMessage | PlainToolMessage;

/**
 * A message made by the builders ({@link user}, {@link system}, {@link toolResult}, …) or taken from
 * `chat.messages` and `response.toMessages()`: the generated message type, named here without its enum-typed
 * `role` and `content` so that a mistyped plain message gets a readable TypeScript error.
 *
 * @example
 * ```ts
 * const built: BuiltMessage = user("Hi");
 * ```
 */
export interface BuiltMessage extends Omit<Message, "role" | "content"> {}

/**
 * Every form a message can take in `client.chat.create({ messages })` and `chat.append()`: a string (a user
 * message), a plain `{ role, content }` object, or a message made by a builder.
 *
 * @example
 * ```ts
 * const messages: MessageInput[] = [
 *   system("You are a pirate."),
 *   { role: "user", content: ["What is this?", image("https://example.com/cat.jpg")] },
 *   "And in one word?",
 * ];
 * ```
 */
export type MessageInput = string | PlainMessage | BuiltMessage;

const PLAIN_ROLES = ["user", "system", "developer", "assistant", "tool"] as const;
type PlainRole = (typeof PLAIN_ROLES)[number];

// Lazy: reading the enum at import would load the generated schemas before first use.
const roleToProto = lazy(
  (): Record<PlainRole, MessageRole> => ({
    user: MessageRole.ROLE_USER,
    system: MessageRole.ROLE_SYSTEM,
    developer: MessageRole.ROLE_DEVELOPER,
    assistant: MessageRole.ROLE_ASSISTANT,
    tool: MessageRole.ROLE_TOOL,
  }),
);

const KEYS_OF_ROLE: Record<PlainRole, readonly string[]> = {
  user: ["role", "content", "name"],
  system: ["role", "content", "name"],
  developer: ["role", "content", "name"],
  assistant: ["role", "content", "name", "reasoningContent", "encryptedContent", "toolCalls"],
  tool: ["role", "content", "toolCallId"],
};

/** What a message may be, for error messages. */
const ACCEPTED_FORMS =
  'a string (a user message), { role: "user" | "system" | "developer" | "assistant" | "tool", content } or a message made by user(), system(), developer(), assistant() or toolResult()';

function plainContent(where: string, content: unknown): Content[] {
  const expected = "a string or an array of strings and parts made by text(), image() or file()";
  if (typeof content === "string")
    return [create(ContentSchema, { content: { case: "text", value: content } })];
  if (!Array.isArray(content)) fail(`${where}.content must be ${expected}, got ${describe(content)}`);
  if (content.length === 0)
    fail(`${where}.content must not be an empty array; give at least one string or part`);
  return content.map((part: unknown, i) => {
    if (typeof part === "string") return create(ContentSchema, { content: { case: "text", value: part } });
    if (isMessageOf<Content>(part, "xai_api.Content")) return part;
    const type = isPlainObject(part) ? part.type : undefined;
    const hint =
      type === "text"
        ? ' (an OpenAI-style { type: "text" } part: pass the string itself, or text(...))'
        : type === "image_url"
          ? ' (an OpenAI-style { type: "image_url" } part: use image(url))'
          : "";
    return fail(
      `${where}.content[${i}] must be a string or a part made by text(), image() or file(), got ${describe(part)}${hint}`,
    );
  });
}

function plainToolCall(where: string, call: unknown): ToolCall {
  // An entry of response.toolCalls (a ToolCallInfo) carries its message.
  const wrapped = typeof call === "object" && call !== null ? (call as { proto?: unknown }).proto : undefined;
  if (isMessageOf<ToolCall>(wrapped, "xai_api.ToolCall")) return wrapped;
  if (isMessageOf<ToolCall>(call, "xai_api.ToolCall")) return call;
  const accepted =
    '{ id, name, arguments }, { id, type: "function", function: { name, arguments } } or an entry of response.toolCalls';
  if (!isPlainObject(call)) fail(`${where} must be ${accepted}, got ${describe(call)}`);
  const id = checkString(`${where}.id`, call.id, { nonEmpty: true });
  let name: unknown;
  let args: unknown;
  if (call.function !== undefined) {
    if (!isPlainObject(call.function))
      fail(`${where}.function must be { name, arguments }, got ${describe(call.function)}`);
    name = call.function.name;
    args = call.function.arguments;
  } else {
    name = call.name;
    args = call.arguments;
  }
  checkString(`${where} name`, name, { nonEmpty: true });
  let json: string;
  if (typeof args === "string") json = args;
  else if (args === undefined) json = "{}";
  else {
    try {
      json = JSON.stringify(args) ?? "{}";
    } catch (err) {
      fail(`${where} arguments could not be sent as JSON (${(err as Error).message}); pass a JSON string`);
    }
  }
  return create(ToolCallSchema, {
    id,
    type: ToolCallType.CLIENT_SIDE_TOOL,
    tool: { case: "function", value: create(FunctionCallSchema, { name: name as string, arguments: json }) },
  });
}

function plainMessage(where: string, value: Record<string, unknown>): Message {
  const role = value.role;
  if (role === undefined) {
    fail(`${where} has no role: give one of ${oneOf(PLAIN_ROLES)}, e.g. { role: "user", content: "Hello" }`);
  }
  if (!PLAIN_ROLES.includes(role as PlainRole)) {
    const guess = typeof role === "string" ? closest(role, PLAIN_ROLES) : undefined;
    fail(
      `${where}.role must be ${oneOf(PLAIN_ROLES)}, got ${describe(role)}${guess ? `; did you mean ${JSON.stringify(guess)}?` : ""}`,
    );
  }
  const r = role as PlainRole;
  const known = KEYS_OF_ROLE[r];
  for (const key of Object.keys(value)) {
    if (known.includes(key) || value[key] === undefined) continue;
    const guess = closest(key, known);
    fail(
      `${where} has an unknown key ${JSON.stringify(key)}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ""}; a "${r}" message accepts ${known.join(", ")}`,
    );
  }
  const name = value.name === undefined ? "" : checkString(`${where}.name`, value.name);
  if (r === "tool") {
    if (value.toolCallId === undefined) {
      fail(
        `${where} has role "tool" but no toolCallId: give the id of the call it answers, e.g. { role: "tool", toolCallId: call.id, content: "..." }`,
      );
    }
    const toolCallId = checkString(`${where}.toolCallId`, value.toolCallId, { nonEmpty: true });
    return create(MessageSchema, {
      role: roleToProto().tool,
      content: plainContent(where, value.content),
      toolCallId,
    });
  }
  if (r !== "assistant") {
    if (value.content === undefined) fail(`${where} has no content: e.g. { role: "${r}", content: "Hello" }`);
    return create(MessageSchema, {
      role: roleToProto()[r],
      content: plainContent(where, value.content),
      name,
    });
  }
  const toolCalls =
    value.toolCalls === undefined
      ? []
      : Array.isArray(value.toolCalls)
        ? value.toolCalls.map((c: unknown, i) => plainToolCall(`${where}.toolCalls[${i}]`, c))
        : fail(`${where}.toolCalls must be an array, got ${describe(value.toolCalls)}`);
  const hasContent = value.content !== undefined && value.content !== null;
  if (!hasContent && toolCalls.length === 0) {
    fail(`${where} has no content: an assistant message needs content, toolCalls or both`);
  }
  return create(MessageSchema, {
    role: roleToProto().assistant,
    // Without content, one empty text part, as a replayed response sends.
    content: hasContent ? plainContent(where, value.content) : plainContent(where, ""),
    name,
    reasoningContent:
      value.reasoningContent === undefined
        ? undefined
        : checkString(`${where}.reasoningContent`, value.reasoningContent),
    encryptedContent:
      value.encryptedContent === undefined
        ? ""
        : checkString(`${where}.encryptedContent`, value.encryptedContent),
    toolCalls,
  });
}

/**
 * @internal The message a {@link MessageInput} stands for, or an XaiInputError naming `where`
 * (e.g. `messages[2]`, `append() argument 3`), what is wrong and the accepted forms.
 */
export function toMessage(where: string, value: unknown): Message {
  if (typeof value === "string")
    return create(MessageSchema, {
      role: MessageRole.ROLE_USER,
      content: [create(ContentSchema, { content: { case: "text", value } })],
    });
  if (isMessageOf<Message>(value, "xai_api.Message")) return value;
  if (isPlainObject(value) && value.$typeName === undefined) return plainMessage(where, value);
  return fail(`${where} must be ${ACCEPTED_FORMS}, got ${describe(value)}`);
}
