// Tool definitions: client-side functions (`tool`) and xAI's server-side tools (web and X search, code
// execution, collections search, MCP servers, image generation, attachment search).
import { create } from "@bufbuild/protobuf";
import {
  checkBoolean,
  checkDateRange,
  checkExclusiveLists,
  checkLimit,
  checkLiteral,
  checkOptions,
  checkString,
  checkStringArray,
  describe,
  fail,
  isPlainObject,
} from "../core/check.js";
import {
  type Tool,
  type ToolChoice,
  ToolChoiceSchema,
  ToolSchema,
  WebSearchUserLocationSchema,
} from "../gen/xai/api/v1/chat_pb.js";
import {
  HybridRetrievalSchema,
  KeywordRetrievalSchema,
  SemanticRetrievalSchema,
} from "../gen/xai/api/v1/documents_pb.js";
import { resolveSchema, type SchemaLike } from "./schema.js";

const FUNCTION_NAME = /^[A-Za-z0-9_.:-]{1,128}$/;

/** Checks a client-side function name (letters, digits, `_`, `-`, `.`, `:`; at most 128 characters). */
export function checkFunctionName(what: string, name: unknown): string {
  checkString(what, name, { nonEmpty: true });
  if (!FUNCTION_NAME.test(name as string)) {
    fail(`${what} ${describe(name)} may contain only letters, digits, "_", "-", "." and ":" (at most 128)`);
  }
  return name as string;
}

/**
 * A client-side function the model may call. `parameters` is a JSON Schema object or a zod (4+) / Standard JSON
 * Schema; it is sent as compact JSON (the Python SDK uses `json.dumps` spacing; the server reads both alike).
 *
 * @example
 * ```ts
 * const getWeather = tool("get_weather", "Current weather of a city", z.object({ city: z.string() }));
 * const chat = client.chat.create({ model: "grok-4", tools: [getWeather], messages: [user("Weather in Paris?")] });
 * ```
 */
export function tool(name: string, description: string, parameters: SchemaLike): Tool {
  checkFunctionName("tool() name", name);
  checkString(`tool "${name}" description`, description);
  const { jsonSchema } = resolveSchema(`tool "${name}" parameters`, parameters);
  return create(ToolSchema, {
    tool: { case: "function", value: { name, description, parameters: JSON.stringify(jsonSchema) } },
  });
}

/**
 * A tool choice that forces the model to call the named function (pass it as `toolChoice`).
 *
 * @example
 * ```ts
 * client.chat.create({ model: "grok-4", tools: [getWeather], toolChoice: requiredTool("get_weather"), messages });
 * ```
 */
export function requiredTool(name: string): ToolChoice {
  checkFunctionName("requiredTool() name", name);
  return create(ToolChoiceSchema, { toolChoice: { case: "functionName", value: name } });
}

/**
 * Where the user is, to localize web search results.
 *
 * @example
 * ```ts
 * webSearch({ userLocation: { country: "JP", city: "Tokyo", timezone: "Asia/Tokyo" } });
 * ```
 */
export interface UserLocation {
  /** ISO 3166-1 alpha-2 country code, e.g. `"FR"`. */
  country?: string;
  city?: string;
  region?: string;
  /** IANA time zone, e.g. `"Europe/Paris"`. */
  timezone?: string;
}

/**
 * Options of {@link webSearch}.
 *
 * @example
 * ```ts
 * webSearch({ excludedDomains: ["wikipedia.org"], enableImageUnderstanding: true });
 * ```
 */
export interface WebSearchOptions {
  /** Only search these domains (at most 5); not with `excludedDomains`. */
  allowedDomains?: string[];
  /** Never search these domains (at most 5); not with `allowedDomains`. */
  excludedDomains?: string[];
  /** Let the model look at images found on pages. Default false. */
  enableImageUnderstanding?: boolean;
  /** Let the model search for images. Default false. */
  enableImageSearch?: boolean;
  /** Localizes results. */
  userLocation?: UserLocation;
}

/**
 * The server-side web search tool. Both image flags are always sent (false by default), as the Python SDK does.
 *
 * @example
 * ```ts
 * client.chat.create({ model: "grok-4", tools: [webSearch({ allowedDomains: ["x.ai"] })], messages });
 * ```
 */
export function webSearch(options?: WebSearchOptions): Tool {
  const o = checkOptions("webSearch()", options, [
    "allowedDomains",
    "excludedDomains",
    "enableImageUnderstanding",
    "enableImageSearch",
    "userLocation",
  ]);
  const [allowedDomains, excludedDomains] = checkExclusiveLists(
    "webSearch()",
    o,
    "allowedDomains",
    "excludedDomains",
  );
  let userLocation: ReturnType<typeof create<typeof WebSearchUserLocationSchema>> | undefined;
  if (o.userLocation !== undefined) {
    const loc = checkOptions("webSearch() userLocation", o.userLocation, [
      "country",
      "city",
      "region",
      "timezone",
    ]);
    const init: Record<string, string> = {};
    for (const key of ["country", "city", "region", "timezone"] as const) {
      if (loc[key] !== undefined) init[key] = checkString(`webSearch() userLocation.${key}`, loc[key]);
    }
    userLocation = create(WebSearchUserLocationSchema, init);
  }
  return create(ToolSchema, {
    tool: {
      case: "webSearch",
      value: {
        allowedDomains,
        excludedDomains,
        enableImageUnderstanding: checkBoolean(
          "webSearch() enableImageUnderstanding",
          o.enableImageUnderstanding ?? false,
        ),
        enableImageSearch: checkBoolean("webSearch() enableImageSearch", o.enableImageSearch ?? false),
        userLocation,
      },
    },
  });
}

/**
 * Options of {@link xSearch}.
 *
 * @example
 * ```ts
 * xSearch({ fromDate: new Date("2025-06-01"), enableVideoUnderstanding: true });
 * ```
 */
export interface XSearchOptions {
  /** Only posts from this date on (a Date or an ISO 8601 string). */
  fromDate?: Date | string;
  /** Only posts up to this date. */
  toDate?: Date | string;
  /** Only posts from these handles (without `@`). */
  allowedXHandles?: string[];
  /** Never posts from these handles. */
  excludedXHandles?: string[];
  /** Let the model look at images in posts. Default false. */
  enableImageUnderstanding?: boolean;
  /** Let the model watch videos in posts. Default false. */
  enableVideoUnderstanding?: boolean;
}

/**
 * The server-side X (Twitter) search tool. Both understanding flags are always sent (false by default).
 *
 * @example
 * ```ts
 * client.chat.create({ model: "grok-4", tools: [xSearch({ allowedXHandles: ["xai"], fromDate: "2025-01-01" })], messages });
 * ```
 */
export function xSearch(options?: XSearchOptions): Tool {
  const o = checkOptions("xSearch()", options, [
    "fromDate",
    "toDate",
    "allowedXHandles",
    "excludedXHandles",
    "enableImageUnderstanding",
    "enableVideoUnderstanding",
  ]);
  const { fromDate, toDate } = checkDateRange("xSearch()", o);
  const [allowedXHandles, excludedXHandles] = checkExclusiveLists(
    "xSearch()",
    o,
    "allowedXHandles",
    "excludedXHandles",
  );
  return create(ToolSchema, {
    tool: {
      case: "xSearch",
      value: {
        fromDate,
        toDate,
        allowedXHandles,
        excludedXHandles,
        enableImageUnderstanding: checkBoolean(
          "xSearch() enableImageUnderstanding",
          o.enableImageUnderstanding ?? false,
        ),
        enableVideoUnderstanding: checkBoolean(
          "xSearch() enableVideoUnderstanding",
          o.enableVideoUnderstanding ?? false,
        ),
      },
    },
  });
}

/**
 * The server-side code execution tool (a Python sandbox the model can run code in).
 *
 * @example
 * ```ts
 * client.chat.create({ model: "grok-4", tools: [codeExecution()], messages: [user("What is 2**100?")] });
 * ```
 */
export function codeExecution(): Tool {
  return create(ToolSchema, { tool: { case: "codeExecution", value: {} } });
}

/**
 * How collections search finds chunks: combined (`"hybrid"`), by embedding (`"semantic"`) or by words (`"keyword"`).
 *
 * @example
 * ```ts
 * collectionsSearch(["col_1"], { retrievalMode: "keyword" });
 * ```
 */
export type RetrievalMode = "hybrid" | "semantic" | "keyword";

/**
 * Options of {@link collectionsSearch}.
 *
 * @example
 * ```ts
 * collectionsSearch(["col_1", "col_2"], { limit: 8, instructions: "Prefer the 2025 handbook" });
 * ```
 */
export interface CollectionsSearchOptions {
  /** Maximum number of chunks returned to the model. */
  limit?: number;
  /** Guidance for the search, e.g. what counts as relevant. */
  instructions?: string;
  /** Retrieval strategy; the server's default when omitted. */
  retrievalMode?: RetrievalMode;
}

/** The proto oneof for a retrieval mode (shared by the collections search tool). */
export function retrievalModeToProto(mode: RetrievalMode) {
  switch (mode) {
    case "hybrid":
      return { case: "hybridRetrieval" as const, value: create(HybridRetrievalSchema) };
    case "semantic":
      return { case: "semanticRetrieval" as const, value: create(SemanticRetrievalSchema) };
    case "keyword":
      return { case: "keywordRetrieval" as const, value: create(KeywordRetrievalSchema) };
  }
}

/**
 * The server-side search over your document collections.
 *
 * @example
 * ```ts
 * client.chat.create({ model: "grok-4", tools: [collectionsSearch(["col_123"], { limit: 5, retrievalMode: "hybrid" })], messages });
 * ```
 */
export function collectionsSearch(collectionIds: string[], options?: CollectionsSearchOptions): Tool {
  checkStringArray("collectionsSearch() collectionIds", collectionIds);
  if (collectionIds.length === 0) fail("collectionsSearch() needs at least one collection id");
  const o = checkOptions("collectionsSearch()", options, ["limit", "instructions", "retrievalMode"]);
  return create(ToolSchema, {
    tool: {
      case: "collectionsSearch",
      value: {
        collectionIds,
        limit: checkLimit(o.limit, "collectionsSearch() limit"),
        instructions:
          o.instructions === undefined
            ? undefined
            : checkString("collectionsSearch() instructions", o.instructions),
        retrievalMode:
          o.retrievalMode === undefined
            ? { case: undefined }
            : retrievalModeToProto(
                checkLiteral("collectionsSearch() retrievalMode", o.retrievalMode, [
                  "hybrid",
                  "semantic",
                  "keyword",
                ] as const),
              ),
      },
    },
  });
}

/**
 * Options of {@link mcp}.
 *
 * @example
 * ```ts
 * mcp({ serverUrl: "https://mcp.example.com/sse", allowedToolNames: ["search"], authorization: `Bearer ${token}` });
 * ```
 */
export interface McpOptions {
  /** URL of the remote MCP server. */
  serverUrl: string;
  /** A short label the model sees. */
  serverLabel?: string;
  /** What the server offers, for the model. */
  serverDescription?: string;
  /** Only these of the server's tools; all when omitted. */
  allowedToolNames?: string[];
  /** Sent to the MCP server as its `Authorization` header (a secret: not shown when the chat is printed). */
  authorization?: string;
  /** More headers for the MCP server. */
  extraHeaders?: Record<string, string>;
}

/**
 * A remote MCP server whose tools xAI calls on the model's behalf.
 *
 * @example
 * ```ts
 * client.chat.create({ model: "grok-4", tools: [mcp({ serverUrl: "https://mcp.example.com/sse", serverLabel: "docs" })], messages });
 * ```
 */
export function mcp(options: McpOptions): Tool {
  const o = checkOptions("mcp()", options, [
    "serverUrl",
    "serverLabel",
    "serverDescription",
    "allowedToolNames",
    "authorization",
    "extraHeaders",
  ]);
  const serverUrl = checkString("mcp() serverUrl", o.serverUrl, { nonEmpty: true });
  if (!/^https?:\/\//i.test(serverUrl))
    fail(`mcp() serverUrl must be an http(s) URL, got ${describe(serverUrl)}`);
  const extraHeaders: Record<string, string> = {};
  if (o.extraHeaders !== undefined) {
    if (!isPlainObject(o.extraHeaders)) fail(`mcp() extraHeaders must be an object of strings`);
    for (const [k, v] of Object.entries(o.extraHeaders))
      extraHeaders[k] = checkString(`mcp() extraHeaders.${k}`, v);
  }
  return create(ToolSchema, {
    tool: {
      case: "mcp",
      value: {
        serverUrl,
        serverLabel: o.serverLabel === undefined ? "" : checkString("mcp() serverLabel", o.serverLabel),
        serverDescription:
          o.serverDescription === undefined
            ? ""
            : checkString("mcp() serverDescription", o.serverDescription),
        allowedToolNames:
          o.allowedToolNames === undefined
            ? []
            : checkStringArray("mcp() allowedToolNames", o.allowedToolNames),
        authorization:
          o.authorization === undefined ? undefined : checkString("mcp() authorization", o.authorization),
        extraHeaders,
      },
    },
  });
}

/**
 * What the image generation tool may do: decide itself, only create new images, or only edit given ones.
 *
 * @example
 * ```ts
 * imageGeneration({ action: "edit" });
 * ```
 */
export type ImageGenerationAction = "auto" | "generate" | "edit";

/**
 * The server-side image generation tool; generated images come back in `response.imageOutputs`.
 *
 * @example
 * ```ts
 * const response = await client.chat.create({ model: "grok-4", tools: [imageGeneration()], messages: [user("Draw a cat")] }).sample();
 * await writeFile("cat.jpg", response.imageOutputs[0].bytes);
 * ```
 */
export function imageGeneration(options?: { action?: ImageGenerationAction }): Tool {
  const o = checkOptions("imageGeneration()", options, ["action"]);
  const action =
    o.action === undefined
      ? undefined
      : checkLiteral("imageGeneration() action", o.action, ["auto", "generate", "edit"] as const);
  return create(ToolSchema, { tool: { case: "imageGeneration", value: { action } } });
}

/**
 * The server-side search over files attached to the conversation (the Python SDK has no helper for it).
 *
 * @example
 * ```ts
 * client.chat.create({ model: "grok-4", tools: [attachmentSearch({ limit: 10 })], messages: [user("Summarize", file({ fileId }))] });
 * ```
 */
export function attachmentSearch(options?: { limit?: number }): Tool {
  const o = checkOptions("attachmentSearch()", options, ["limit"]);
  const limit = checkLimit(o.limit, "attachmentSearch() limit");
  return create(ToolSchema, { tool: { case: "attachmentSearch", value: { limit } } });
}
