// Server-side tools (web search, X search, code execution, collections search, attachment search, MCP,
// image generation) and live search: what the emulated agent "runs", the tool calls and outputs it
// reports, the sources it cites and the usage it bills. Results are made up but deterministic.
//
// Live search (search_parameters) rule: mode ON always searches; AUTO searches when the latest user
// message mentions news, latest, today, current, recent, search, look up, price, weather, update,
// yesterday or this week; OFF never does.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { PNG } from "pngjs";
import {
  IncludeOption,
  type InlineCitationSchema,
  SearchMode,
  type SearchParameters,
  type Tool,
  ToolCallStatus,
  ToolCallType,
} from "../../gen/xai/api/v1/chat_pb.js";
import { ServerSideTool } from "../../gen/xai/api/v1/usage_pb.js";
import { type Conversation, keywords } from "./conversation.js";
import type { ToolCallInit } from "./function-calls.js";
import { hash, hexId, type Rng, uuidFrom } from "./random.js";

/** An inline citation (protobuf init shape). */
export type InlineCitationInit = MessageInitShape<typeof InlineCitationSchema>;

/** A source the answer can cite. */
export type CitedSource =
  | { kind: "web" | "x"; url: string }
  | {
      kind: "collections";
      url: string;
      fileId: string;
      chunkId: string;
      chunkContent: string;
      score: number;
      collectionIds: string[];
    };

/** One server-side tool invocation of the agentic loop. */
export interface ServerToolStep {
  call: ToolCallInit;
  /** The tool's output (JSON text), reported as a ROLE_TOOL output when `reported`. */
  output: string;
  reported: boolean;
  sources: CitedSource[];
  usage: ServerSideTool;
  /** A sentence for the final answer about what the tool found. */
  finding: string;
}

const WEB_DOMAINS = ["en.wikipedia.org", "www.britannica.com", "www.nature.com", "arxiv.org", "www.bbc.com"];
const NEWS_DOMAINS = ["www.reuters.com", "apnews.com", "www.theguardian.com"];
const X_HANDLES = ["xai", "grok", "XDevelopers"];
const AUTO_SEARCH =
  /\b(news|latest|today|current|recent|search|look up|price|weather|update|yesterday|this week)\b/i;

function slug(conversation: Conversation): string {
  return keywords(conversation.lastUser, 3).join("-") || "overview";
}

function queryOf(conversation: Conversation): string {
  const text = conversation.lastUser.replace(/\s+/g, " ").trim();
  return text.length <= 100 ? text : text.slice(0, 100);
}

function webSources(domains: readonly string[], conversation: Conversation, count: number): CitedSource[] {
  const s = slug(conversation);
  return Array.from({ length: count }, (_, i) => {
    const domain = domains[i % domains.length];
    const path = domain.includes("wikipedia")
      ? `wiki/${s.replace(/^./, (c) => c.toUpperCase())}`
      : `${s}-${i + 1}`;
    return { kind: "web" as const, url: `https://${domain}/${path}` };
  });
}

function xSources(handles: readonly string[], conversation: Conversation, count: number): CitedSource[] {
  return Array.from({ length: count }, (_, i) => {
    const id = `18${String(hash(conversation.lastUser, i)).padStart(10, "0")}${String(hash(i, "x")).slice(0, 7).padStart(7, "0")}`;
    return { kind: "x" as const, url: `https://x.com/${handles[i % handles.length]}/status/${id}` };
  });
}

function without(list: readonly string[], excluded: readonly string[]): string[] {
  const rest = list.filter((d) => !excluded.some((e) => d === e || d.endsWith(`.${e}`)));
  return rest.length > 0 ? rest : ["example.org"];
}

/** Evaluates + - * / and parentheses over numbers; `undefined` when the text is not such an expression. */
export function evaluateArithmetic(expression: string): number | undefined {
  const tokens = expression.match(/\d+(?:\.\d+)?|[-+*/()]/g);
  if (!tokens || tokens.join("") !== expression.replace(/\s+/g, "")) return undefined;
  let pos = 0;
  const primary = (): number => {
    const t = tokens[pos++];
    if (t === "(") {
      const v = sum();
      if (tokens[pos++] !== ")") throw new Error("unbalanced");
      return v;
    }
    if (t === "-") return -primary();
    const v = Number(t);
    if (Number.isNaN(v)) throw new Error("number expected");
    return v;
  };
  const product = (): number => {
    let v = primary();
    while (tokens[pos] === "*" || tokens[pos] === "/")
      v = tokens[pos++] === "*" ? v * primary() : v / primary();
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (tokens[pos] === "+" || tokens[pos] === "-")
      v = tokens[pos++] === "+" ? v + product() : v - product();
    return v;
  };
  try {
    const value = sum();
    return pos === tokens.length && Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function tinyPng(rng: Rng): string {
  const png = new PNG({ width: 32, height: 32 });
  const [r, g, b] = [rng.int(40, 255), rng.int(40, 255), rng.int(40, 255)];
  for (let y = 0; y < 32; y++) {
    for (let x = 0; x < 32; x++) {
      const i = (y * 32 + x) * 4;
      const edge = x < 2 || y < 2 || x > 29 || y > 29;
      png.data[i] = edge ? 255 - r : r;
      png.data[i + 1] = edge ? 255 - g : (g + x * 4) & 0xff;
      png.data[i + 2] = edge ? 255 - b : (b + y * 4) & 0xff;
      png.data[i + 3] = 255;
    }
  }
  return `data:image/png;base64,${PNG.sync.write(png).toString("base64")}`;
}

function call(type: ToolCallType, name: string, args: unknown, idSeed: string, i: number): ToolCallInit {
  return {
    id: `call_${hexId(24, idSeed, name, "server", i)}`,
    type,
    status: ToolCallStatus.COMPLETED,
    tool: { case: "function", value: { name, arguments: JSON.stringify(args) } },
  };
}

/**
 * Runs the server-side tools of the request, once each in request order (at most `maxTurns`).
 *
 * @example
 * ```ts
 * runServerTools(options.serverTools, options.include, conversation, rng, "seed", undefined)[0].usage;
 * // ServerSideTool.WEB_SEARCH
 * ```
 */
export function runServerTools(
  tools: readonly Tool[],
  include: ReadonlySet<IncludeOption>,
  conversation: Conversation,
  rng: Rng,
  idSeed: string,
  maxTurns: number | undefined,
): ServerToolStep[] {
  const steps: ServerToolStep[] = [];
  const query = queryOf(conversation);
  const limit = Math.min(tools.length, maxTurns ?? tools.length);
  for (let i = 0; i < limit; i++) {
    const tool = tools[i].tool;
    const stepRng = rng.fork(`server${i}`);
    switch (tool.case) {
      case "webSearch": {
        const domains = tool.value.allowedDomains.length > 0 ? tool.value.allowedDomains : WEB_DOMAINS;
        const sources = webSources(without(domains, tool.value.excludedDomains), conversation, 3);
        const output = sources.map((s, k) => ({
          title: `${keywords(conversation.lastUser, 3).join(" ") || "Result"} (${k + 1})`,
          url: s.url,
          snippet: `A page about ${keywords(conversation.lastUser, 2).join(" and ") || "the topic"}.`,
        }));
        steps.push({
          call: call(ToolCallType.WEB_SEARCH_TOOL, "web_search", { query }, idSeed, i),
          output: JSON.stringify(output),
          reported: include.has(IncludeOption.WEB_SEARCH_CALL_OUTPUT),
          sources,
          usage: ServerSideTool.WEB_SEARCH,
          finding: `A web search found ${sources.length} relevant pages.`,
        });
        break;
      }
      case "xSearch": {
        const handles = tool.value.allowedXHandles.length > 0 ? tool.value.allowedXHandles : X_HANDLES;
        const kept = handles.filter((h) => !tool.value.excludedXHandles.includes(h));
        const sources = xSources(kept.length > 0 ? kept : ["xai"], conversation, 2);
        steps.push({
          call: call(
            ToolCallType.X_SEARCH_TOOL,
            "x_keyword_search",
            { query, limit: 10, mode: "Latest" },
            idSeed,
            i,
          ),
          output: JSON.stringify(sources.map((s) => ({ url: s.url, text: `A post about ${query}` }))),
          reported: include.has(IncludeOption.X_SEARCH_CALL_OUTPUT),
          sources,
          usage: ServerSideTool.X_SEARCH,
          finding: `Posts on X discuss this (${sources.length} found).`,
        });
        break;
      }
      case "codeExecution": {
        const expression = /[-(]*\d+(?:\.\d+)?(?:\s*[-+*/]\s*[-(]*\d+(?:\.\d+)?\)*)+/.exec(
          conversation.lastUser,
        )?.[0];
        const value = expression ? evaluateArithmetic(expression) : undefined;
        const code = value === undefined ? `print(${JSON.stringify(query)})` : `print(${expression})`;
        const stdout = value === undefined ? query : String(value);
        steps.push({
          call: call(ToolCallType.CODE_EXECUTION_TOOL, "code_execution", { code }, idSeed, i),
          output: JSON.stringify({ stdout: `${stdout}\n`, stderr: "", exit_code: 0 }),
          reported: include.has(IncludeOption.CODE_EXECUTION_CALL_OUTPUT),
          sources: [],
          usage: ServerSideTool.CODE_EXECUTION,
          finding: value === undefined ? "I ran the code." : `Running ${expression} gives ${value}.`,
        });
        break;
      }
      case "collectionsSearch": {
        const ids = tool.value.collectionIds;
        const count = Math.min(tool.value.limit ?? 2, 2);
        const sources: CitedSource[] = Array.from({ length: Math.max(1, count) }, (_, k) => {
          const fileId = `file_${hexId(12, ids[k % ids.length], query, k)}`;
          return {
            kind: "collections",
            url: `collections://${ids[k % ids.length]}/files/${fileId}`,
            fileId,
            chunkId: uuidFrom("chunk", fileId, k),
            chunkContent: `A passage about ${keywords(conversation.lastUser, 3).join(", ") || "the topic"}.`,
            score: Math.round((0.9 - k * 0.1) * 100) / 100,
            collectionIds: [ids[k % ids.length]],
          };
        });
        const matches = sources.map((s) =>
          s.kind === "collections"
            ? { file_id: s.fileId, chunk_id: s.chunkId, chunk_content: s.chunkContent, score: s.score }
            : {},
        );
        steps.push({
          call: call(
            ToolCallType.COLLECTIONS_SEARCH_TOOL,
            "collections_search",
            { query, collection_ids: ids },
            idSeed,
            i,
          ),
          output: JSON.stringify({ matches }),
          reported: include.has(IncludeOption.COLLECTIONS_SEARCH_CALL_OUTPUT),
          sources,
          usage: ServerSideTool.COLLECTIONS_SEARCH,
          finding: `Your documents contain ${sources.length} relevant passages.`,
        });
        break;
      }
      case "attachmentSearch": {
        const wanted = keywords(conversation.lastUser, 5);
        const passages = conversation.turns
          .flatMap((t) => t.files)
          .flatMap((file) => file.split(/(?<=[.!?])\s+|\n+/))
          .filter((passage) => wanted.some((w) => passage.toLowerCase().includes(w)))
          .slice(0, tool.value.limit ?? 3);
        steps.push({
          call: call(ToolCallType.ATTACHMENT_SEARCH_TOOL, "attachment_search", { query }, idSeed, i),
          output: JSON.stringify({ results: passages.map((text) => ({ text })) }),
          reported: include.has(IncludeOption.ATTACHMENT_SEARCH_CALL_OUTPUT),
          sources: [],
          usage: ServerSideTool.ATTACHMENT_SEARCH,
          finding:
            passages.length > 0
              ? `The attached files say: “${passages[0].slice(0, 160)}”.`
              : "The attached files do not mention this.",
        });
        break;
      }
      case "mcp": {
        const label = tool.value.serverLabel || "mcp";
        const name = tool.value.allowedToolNames[0] ?? "search";
        steps.push({
          call: call(ToolCallType.MCP_TOOL, `${label}.${name}`, { query }, idSeed, i),
          output: JSON.stringify({ content: [{ type: "text", text: `${label} answered: ${query}` }] }),
          reported: include.has(IncludeOption.MCP_CALL_OUTPUT),
          sources: [],
          usage: ServerSideTool.MCP,
          finding: `The ${label} server answered.`,
        });
        break;
      }
      case "imageGeneration": {
        const action = tool.value.action ?? "auto";
        const hasImage = conversation.turns.some((t) => t.imageCount > 0);
        const edit = action === "edit" || (action !== "generate" && hasImage);
        const name = edit ? "imagine_image_to_image" : "imagine_text_to_image";
        steps.push({
          call: call(ToolCallType.IMAGE_GENERATION_TOOL, name, { prompt: query }, idSeed, i),
          output: JSON.stringify({
            __type: "image_generation_result",
            result: tinyPng(stepRng),
            image_uuid: uuidFrom("image", idSeed, i),
          }),
          reported: true,
          sources: [],
          usage: ServerSideTool.IMAGE_GENERATION,
          finding: "Here is the image I generated.",
        });
        break;
      }
      default:
        break;
    }
  }
  return steps;
}

/**
 * Live search (search_parameters): the sources found, or `undefined` when the mode does not search.
 *
 * @example
 * ```ts
 * liveSearch(request.searchParameters, conversation, rng)?.sources.length; // 3
 * ```
 */
export function liveSearch(
  params: SearchParameters | undefined,
  conversation: Conversation,
  rng: Rng,
): { sources: CitedSource[]; finding: string } | undefined {
  if (!params || params.mode === SearchMode.OFF_SEARCH_MODE) return undefined;
  if (params.mode !== SearchMode.ON_SEARCH_MODE && !AUTO_SEARCH.test(conversation.lastUser)) return undefined;
  const wanted = Math.min(params.maxSearchResults ?? 5, 3 + rng.int(0, 2));
  const kinds = params.sources.length > 0 ? params.sources : undefined;
  const pool: CitedSource[] = [];
  if (!kinds) {
    pool.push(...webSources(WEB_DOMAINS, conversation, 2), ...xSources(X_HANDLES, conversation, 2));
    pool.push(...webSources(NEWS_DOMAINS, conversation, 1));
  } else {
    for (const source of kinds) {
      switch (source.source.case) {
        case "web": {
          const allowed = source.source.value.allowedWebsites;
          const domains = allowed.length > 0 ? allowed : WEB_DOMAINS;
          pool.push(...webSources(without(domains, source.source.value.excludedWebsites), conversation, 3));
          break;
        }
        case "news":
          pool.push(
            ...webSources(without(NEWS_DOMAINS, source.source.value.excludedWebsites), conversation, 2),
          );
          break;
        case "x": {
          const included = source.source.value.includedXHandles;
          pool.push(...xSources(included.length > 0 ? included : X_HANDLES, conversation, 2));
          break;
        }
        case "rss":
          for (const link of source.source.value.links) pool.push({ kind: "web", url: link });
          break;
      }
    }
  }
  const sources = pool.slice(0, Math.max(1, wanted));
  return { sources, finding: `I searched and found ${sources.length} sources.` };
}

/**
 * Adds inline citation markers (`[[1]](url)`) after the first sentences of `content` and describes them.
 * Indices count Unicode code points; `end_index` is exclusive.
 *
 * @example
 * ```ts
 * withInlineCitations("First. Second.", [{ kind: "web", url: "https://a.example" }]).content;
 * // "First. [[1]](https://a.example) Second."
 * ```
 */
export function withInlineCitations(
  content: string,
  sources: readonly CitedSource[],
): { content: string; citations: InlineCitationInit[] } {
  const shown = sources.slice(0, 3);
  if (shown.length === 0) return { content, citations: [] };
  const sentences = content.match(/[^.!?]+[.!?]+["”]?|[^.!?]+$/g) ?? [content];
  let out = "";
  const citations: InlineCitationInit[] = [];
  sentences.forEach((sentence, i) => {
    out += sentence;
    const source = i < shown.length ? shown[i] : undefined;
    if (!source) return;
    const marker = `[[${i + 1}]](${source.url})`;
    out += " ";
    const start = Array.from(out).length;
    out += marker;
    const end = Array.from(out).length;
    citations.push({
      id: String(i + 1),
      startIndex: start,
      endIndex: end,
      citation:
        source.kind === "collections"
          ? {
              case: "collectionsCitation",
              value: {
                fileId: source.fileId,
                chunkId: source.chunkId,
                chunkContent: source.chunkContent,
                score: source.score,
                collectionIds: source.collectionIds,
              },
            }
          : source.kind === "x"
            ? { case: "xCitation", value: { url: source.url } }
            : { case: "webCitation", value: { url: source.url } },
    });
  });
  return { content: out, citations };
}
