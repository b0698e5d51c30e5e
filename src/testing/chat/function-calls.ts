// Client-side function calling: which functions the emulated model calls, and with which arguments.
//
// Rule (documented for users of the emulator): when function tools are offered, tool_choice is not
// "none", and no tool result follows the latest user message yet, the model calls tools:
// - tool_choice naming a function → that function;
// - otherwise the functions whose names appear in the latest user message (as written, or with
//   underscores read as spaces), in the order of `tools`; when none is named, the single function whose
//   name and description share the most words with the message (ties → the first);
// - parallel_tool_calls false keeps only the first of them.
// Arguments are drawn from each function's JSON Schema and always validate against it.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { type ToolCallSchema, ToolCallType } from "../../gen/xai/api/v1/chat_pb.js";
import type { Conversation } from "./conversation.js";
import { keywords, namedPhrases } from "./conversation.js";
import { generateValid } from "./json-schema.js";
import type { ChatOptions, FunctionTool } from "./options.js";
import { hexId, type Rng } from "./random.js";

/** A tool call as sent in a response (protobuf init shape). */
export type ToolCallInit = MessageInitShape<typeof ToolCallSchema>;

function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length >= 3),
  );
}

/**
 * The functions the model calls for this conversation (empty: it answers in text instead).
 *
 * @example
 * ```ts
 * selectFunctions(options, conversation).map((t) => t.name); // ["get_weather"]
 * ```
 */
export function selectFunctions(options: ChatOptions, conversation: Conversation): FunctionTool[] {
  const tools = options.functionTools;
  const policy = options.toolPolicy;
  if (tools.length === 0 || policy.mode === "none" || conversation.toolResults.length > 0) return [];
  if (policy.mode === "function") return tools.filter((t) => t.name === policy.name);
  const message = conversation.lastUser.toLowerCase();
  let chosen = tools.filter(
    (t) =>
      message.includes(t.name.toLowerCase()) ||
      message.includes(t.name.toLowerCase().replace(/[_.-]+/g, " ")),
  );
  if (chosen.length === 0) {
    const asked = new Set(keywords(conversation.lastUser, 20));
    let best = tools[0];
    let bestScore = -1;
    for (const tool of tools) {
      let score = 0;
      for (const w of words(`${tool.name.replace(/[_.-]+/g, " ")} ${tool.description}`))
        if (asked.has(w)) score++;
      if (score > bestScore) [best, bestScore] = [tool, score];
    }
    chosen = [best];
  }
  return options.parallelToolCalls ? chosen : chosen.slice(0, 1);
}

/**
 * Tool calls for the selected functions: unique ids, arguments valid against each schema, drawn from
 * `rng` with names from the user's message as hints (a city named in the message fills a `city` field).
 *
 * @example
 * ```ts
 * const [call] = functionCalls(tools, conversation, rng, "resp-seed");
 * JSON.parse(call.function.arguments); // { city: "Paris" }
 * ```
 */
export function functionCalls(
  tools: readonly FunctionTool[],
  conversation: Conversation,
  rng: Rng,
  idSeed: string,
): ToolCallInit[] {
  const phrases = namedPhrases(conversation.lastUser);
  return tools.map((tool, i) => {
    // Each call uses the message's names from a different starting point: "Paris and Tokyo" → two cities.
    const hints = { phrases: phrases.slice(i % Math.max(1, phrases.length)), message: conversation.lastUser };
    const args = generateValid(tool.parameters, rng.fork(`${tool.name}#${i}`), hints);
    return {
      id: `call_${hexId(24, idSeed, tool.name, i)}`,
      type: ToolCallType.CLIENT_SIDE_TOOL,
      tool: { case: "function", value: { name: tool.name, arguments: JSON.stringify(args) } },
    };
  });
}
