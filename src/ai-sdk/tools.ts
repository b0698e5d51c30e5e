// xAI's server-side tools as AI SDK provider tools (`xaiGrpc.tools.webSearch()`, …), and the AI SDK's tools and
// tool choice as our chat request's.
import type {
  LanguageModelV3FunctionTool,
  LanguageModelV3ProviderTool,
  LanguageModelV3ToolChoice,
  SharedV3Warning,
} from "@ai-sdk/provider";
import type { StandardJSONSchemaV1, StandardSchemaV1 } from "@standard-schema/spec";
import {
  attachmentSearch,
  type CollectionsSearchOptions,
  codeExecution,
  collectionsSearch,
  type ImageGenerationAction,
  type IncludeOptionName,
  imageGeneration,
  type McpOptions,
  mcp,
  type ToolCallTypeName,
  type ToolChoiceOption,
  tool,
  type WebSearchOptions,
  webSearch,
  XaiInputError,
  type XSearchOptions,
  xSearch,
} from "../index.js";

/** What a server-side tool is in a chat request (a `Tool` message made by `webSearch()`, …). */
type ServerTool = ReturnType<typeof webSearch>;

/**
 * A schema that accepts any value and describes it with a JSON Schema: what the AI SDK checks the input of a
 * server-side tool call against (the server already validated it).
 */
type PassThroughSchema<T> = StandardSchemaV1<unknown, T> & StandardJSONSchemaV1<unknown, T>;

/**
 * One of xAI's server-side tools as an AI SDK provider tool: put it in `tools` under any name; xAI runs it,
 * and its calls and results show in the steps as provider-executed.
 *
 * @example
 * ```ts
 * const tools: Record<string, XaiGrpcServerTool> = { web_search: xaiGrpc.tools.webSearch() };
 * ```
 */
export interface XaiGrpcServerTool<INPUT = unknown> {
  readonly type: "provider";
  readonly id: `xai-grpc.${string}`;
  /** The tool's settings (secrets such as an MCP authorization are kept out of it). */
  readonly args: Record<string, unknown>;
  readonly inputSchema: PassThroughSchema<INPUT>;
}

/** The built Tool message of each provider tool, by its args object (the AI SDK passes that object on). */
const builtTools = new WeakMap<object, ServerTool>();

function passThrough<T>(jsonSchema: Record<string, unknown>): PassThroughSchema<T> {
  return {
    "~standard": {
      version: 1,
      vendor: "xai-grpc",
      validate: (value) => ({ value: value as T }),
      jsonSchema: { input: () => jsonSchema, output: () => jsonSchema },
    },
  };
}

const QUERY_SCHEMA = { type: "object", properties: { query: { type: "string" } } };

/** The tool id suffix of each server-side call type. */
const ID_OF_CALL_TYPE: Partial<Record<ToolCallTypeName, string>> = {
  web_search_tool: "web_search",
  x_search_tool: "x_search",
  code_execution_tool: "code_execution",
  collections_search_tool: "collections_search",
  mcp_tool: "mcp",
  attachment_search_tool: "attachment_search",
  image_generation_tool: "image_generation",
};

function serverTool<INPUT>(
  name: string,
  args: Record<string, unknown>,
  built: ServerTool,
  inputSchema: Record<string, unknown> = QUERY_SCHEMA,
): XaiGrpcServerTool<INPUT> {
  builtTools.set(args, built);
  return { type: "provider", id: `xai-grpc.${name}`, args, inputSchema: passThrough<INPUT>(inputSchema) };
}

/**
 * Factories of xAI's server-side tools for the AI SDK (also reachable as `xaiGrpc.tools`). Options are those
 * of the SDK's `webSearch()`, `xSearch()`, … and are checked when the tool is made.
 *
 * @example
 * ```ts
 * const { text, sources } = await generateText({
 *   model: xaiGrpc("grok-4"),
 *   tools: { web_search: xaiGrpcTools.webSearch({ allowedDomains: ["x.ai"] }) },
 *   prompt: "What did xAI announce this week?",
 * });
 * ```
 */
export const xaiGrpcTools = {
  /** Web search (`webSearch()` options). */
  webSearch(options: WebSearchOptions = {}): XaiGrpcServerTool<{ query: string }> {
    return serverTool("web_search", { ...options }, webSearch(options));
  },
  /** Search of posts on X (`xSearch()` options). */
  xSearch(options: XSearchOptions = {}): XaiGrpcServerTool<{ query: string }> {
    return serverTool("x_search", { ...options }, xSearch(options));
  },
  /** A Python sandbox the model runs code in. */
  codeExecution(): XaiGrpcServerTool<{ code: string }> {
    return serverTool("code_execution", {}, codeExecution(), {
      type: "object",
      properties: { code: { type: "string" } },
    });
  },
  /** Search of your document collections. */
  collectionsSearch(
    options: CollectionsSearchOptions & { collectionIds: string[] },
  ): XaiGrpcServerTool<{ query: string }> {
    const { collectionIds, ...rest } = options ?? ({} as typeof options);
    return serverTool("collections_search", { ...options }, collectionsSearch(collectionIds, rest));
  },
  /** Search of the files attached to the conversation. */
  attachmentSearch(options: { limit?: number } = {}): XaiGrpcServerTool<{ query: string }> {
    return serverTool("attachment_search", { ...options }, attachmentSearch(options));
  },
  /** A remote MCP server whose tools xAI calls (its `authorization` and `extraHeaders` stay out of `args`). */
  mcp(options: McpOptions): XaiGrpcServerTool {
    const built = mcp(options);
    const { authorization, extraHeaders, ...visible } = options;
    return serverTool("mcp", visible, built, { type: "object" });
  },
  /** Image generation; the images come back as file parts of the result. */
  imageGeneration(options: { action?: ImageGenerationAction } = {}): XaiGrpcServerTool<{ prompt: string }> {
    return serverTool("image_generation", { ...options }, imageGeneration(options), {
      type: "object",
      properties: { prompt: { type: "string" } },
    });
  },
};

/** What a request's tools are, and how to name the server-side calls in the result. */
export interface PreparedTools {
  tools: (ReturnType<typeof tool> | ServerTool)[];
  toolChoice: ToolChoiceOption | undefined;
  /** The name under which each server-side tool was given (by id suffix, e.g. `web_search`). */
  serverToolNames: Map<string, string>;
  /** The outputs of the server-side tools given, asked for so that their results reach the steps. */
  include: IncludeOptionName[];
}

/** The `include` option that returns a server-side tool's output, by id suffix. */
const OUTPUT_OF_TOOL: Record<string, IncludeOptionName> = {
  web_search: "web_search_call_output",
  x_search: "x_search_call_output",
  code_execution: "code_execution_call_output",
  collections_search: "collections_search_call_output",
  attachment_search: "attachment_search_call_output",
  mcp: "mcp_call_output",
};

/** The name a server-side call gets in the AI SDK's steps: the tool's name in `tools`, if it was given. */
export function serverToolName(prepared: PreparedTools, type: ToolCallTypeName): string | undefined {
  const id = ID_OF_CALL_TYPE[type];
  return id === undefined ? undefined : prepared.serverToolNames.get(id);
}

/** Our tools and tool choice for the AI SDK's; what we cannot send is reported in `warnings`. */
export function prepareTools(
  given: readonly (LanguageModelV3FunctionTool | LanguageModelV3ProviderTool)[] | undefined,
  choice: LanguageModelV3ToolChoice | undefined,
  warnings: SharedV3Warning[],
): PreparedTools {
  const prepared: PreparedTools = {
    tools: [],
    toolChoice: undefined,
    serverToolNames: new Map(),
    include: [],
  };
  const functions = new Set<string>();
  for (const t of given ?? []) {
    if (t.type === "function") {
      prepared.tools.push(tool(t.name, t.description ?? "", t.inputSchema as Record<string, unknown>));
      functions.add(t.name);
      if (t.inputExamples !== undefined) warnings.push({ type: "unsupported", feature: "inputExamples" });
      continue;
    }
    const [owner, id] = t.id.split(".", 2);
    const built = builtTools.get(t.args);
    if (owner !== "xai-grpc" || id === undefined) {
      warnings.push({
        type: "unsupported",
        feature: `provider tool ${t.id}`,
        details: "only xaiGrpc.tools (webSearch, xSearch, codeExecution, …) run on xAI",
      });
      continue;
    }
    if (!built) {
      throw new XaiInputError(
        `the provider tool ${JSON.stringify(t.name)} (${t.id}) was not made by xaiGrpc.tools in this process; make it with xaiGrpc.tools.${id.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())}()`,
      );
    }
    prepared.tools.push(built);
    prepared.serverToolNames.set(id, t.name);
    const output = OUTPUT_OF_TOOL[id];
    if (output !== undefined && !prepared.include.includes(output)) prepared.include.push(output);
  }
  if (prepared.tools.length === 0 || choice === undefined) return prepared;
  if (choice.type === "tool") {
    if (functions.has(choice.toolName)) prepared.toolChoice = { function: choice.toolName };
    else {
      warnings.push({
        type: "unsupported",
        feature: "toolChoice naming a server-side tool",
        details: `${choice.toolName} runs on xAI: the model decides when (tool choice "auto")`,
      });
      prepared.toolChoice = "auto";
    }
  } else prepared.toolChoice = choice.type;
  return prepared;
}
