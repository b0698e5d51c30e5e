// Client-side function calling: which functions the emulated model calls, and with which arguments.
//
// Rule (documented for users of the emulator): when function tools are offered, tool_choice is not
// "none", and no tool result follows the latest user message yet, the model reads the latest user
// message as clauses (split at ", ", ";", "and", "also", "then", "plus" and sentence ends) and calls:
// - tool_choice naming a function → that function, once;
// - for each clause, the function it names (as written, or with underscores read as spaces), else the
//   function whose name and description share the most words with it (a name word counts 2, a
//   description word 1, a score of 2 is needed; plural, "-ing" and a few synonyms such as
//   forecast/temperature → weather are understood; ties → the first in `tools`);
// - a clause that only names places or things ("… and Tokyo") repeats the previous clause's function
//   for them: "weather in Paris and Tokyo" → two get_weather calls;
// - nothing fits → no call: the model answers in text; tool_choice "required" → the best-scoring one;
// - parallel_tool_calls false keeps only the first call.
// Arguments validate against each function's JSON Schema and are read from the call's clause, then the
// whole message (see json-schema.ts and prompt-facts.ts): a city named there fills `city`, "$42" an
// `amount`, "5 minutes" a `minutes`, a mentioned enum value the enum.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { type ToolCallSchema, ToolCallType } from "../../gen/xai/api/v1/chat_pb.js";
import type { Conversation } from "./conversation.js";
import { namedPhrases } from "./conversation.js";
import { generateValid } from "./json-schema.js";
import type { ChatOptions, FunctionTool } from "./options.js";
import { promptFacts, sliceFacts } from "./prompt-facts.js";
import { hexId, type Rng } from "./random.js";

/** A tool call as sent in a response (protobuf init shape). */
export type ToolCallInit = MessageInitShape<typeof ToolCallSchema>;

/** A function the model decided to call, and the clause of the message the call answers. */
export interface PlannedCall {
  tool: FunctionTool;
  /** `[start, end)` of the latest user message (the whole message when the call answers all of it). */
  focus: readonly [number, number];
}

/** Words that say nothing about what a tool does. */
const GENERIC = new Set(
  (
    "get set the for and of an to in on at by with from into current currently given returns return " +
    "function tool call calls use uses using data info information specified specific value values api " +
    "this that its is are be can will what whats how who which when where please me my you your our " +
    "tell give show want need would like could some any all one two now today there here about just also"
  ).split(" "),
);

/** Words read as one: a prompt's "forecast" fits a tool's "weather". */
const SYNONYMS: Record<string, string> = {};
for (const [head, words] of Object.entries({
  weather: "forecast temperature rain raining rainy sunny snow snowing wind windy humidity climate umbrella",
  time: "clock hour hours oclock",
  currency: "currencies exchange usd eur gbp jpy dollar dollars euro euros pound pounds yen",
  email: "mail e-mail inbox",
  search: "find look lookup google web",
  calendar: "event events meeting meetings appointment appointments schedule",
  reminder: "remind timer alarm",
  calculate: "calculator compute math arithmetic multiply divide plus minus sum",
  translate: "translation translator translated",
  stock: "stocks shares ticker",
  payment: "pay pays paying paid transfer wire money",
  flight: "flights fly plane airline",
  hotel: "hotels room rooms accommodation",
  restaurant: "restaurants table dinner lunch reservation",
})) {
  SYNONYMS[head] = head;
  for (const word of words.split(" ")) SYNONYMS[word] = head;
}

function stem(word: string): string {
  let w = word.toLowerCase();
  if (SYNONYMS[w]) return SYNONYMS[w];
  if (w.length > 4 && w.endsWith("ies")) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && /(ses|xes|ches|shes)$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss")) w = w.slice(0, -1);
  else if (w.length > 5 && w.endsWith("ing")) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith("ed")) w = w.slice(0, -2);
  return SYNONYMS[w] ?? w;
}

function stems(text: string): string[] {
  const out = new Set<string>();
  for (const raw of text.replace(/([a-z])([A-Z])/g, "$1 $2").split(/[^\p{L}\p{N}'’-]+/u)) {
    const word = raw.toLowerCase().replace(/['’]/g, "");
    if (word.length < 3 || GENERIC.has(word)) continue;
    out.add(stem(word));
  }
  return [...out];
}

function related(a: string, b: string): boolean {
  if (a === b) return true;
  const shorter = Math.min(a.length, b.length);
  let common = 0;
  while (common < shorter && a[common] === b[common]) common++;
  return common >= 5 && common >= 0.75 * shorter;
}

interface ToolWords {
  tool: FunctionTool;
  name: string[];
  description: string[];
  spelled: string[];
}

const wordsCache = new WeakMap<FunctionTool, ToolWords>();

function toolWords(tool: FunctionTool): ToolWords {
  let words = wordsCache.get(tool);
  if (!words) {
    const name = stems(tool.name.replace(/[_.-]+/g, " "));
    words = {
      tool,
      name,
      description: stems(tool.description).filter((w) => !name.includes(w)),
      spelled: [...new Set([tool.name.toLowerCase(), tool.name.toLowerCase().replace(/[_.-]+/g, " ")])],
    };
    wordsCache.set(tool, words);
  }
  return words;
}

function score(tool: ToolWords, asked: readonly string[]): number {
  let total = 0;
  for (const word of asked) {
    if (tool.name.some((w) => related(w, word))) total += 2;
    else if (tool.description.some((w) => related(w, word))) total += 1;
  }
  return total;
}

/** A score a clause must reach for a tool to fit it: one word of the name, or two of the description. */
const FIT = 2;

interface Clause {
  start: number;
  end: number;
  text: string;
}

const CLAUSE_BREAK = /[,;]\s+|\s+(?:and|also|then|plus|as well as|&)\s+|[.?!]+(?:\s+|$)|\n+/giu;

function clausesOf(message: string): Clause[] {
  const out: Clause[] = [];
  let start = 0;
  const push = (end: number) => {
    const text = message.slice(start, end);
    if (text.trim()) out.push({ start, end, text });
  };
  for (const match of message.matchAll(CLAUSE_BREAK)) {
    push(match.index ?? 0);
    start = (match.index ?? 0) + match[0].length;
  }
  push(message.length);
  return out;
}

function namedIn(message: string, clause: Clause) {
  const facts = sliceFacts(promptFacts(message), clause.start, clause.end);
  return [...facts.places, ...facts.names, ...facts.countries, ...facts.dates, ...facts.amounts];
}

/** The clause only names places, people or things ("Tokyo", "for New York"): it continues the previous one. */
function onlyNames(message: string, clause: Clause): boolean {
  const named = namedIn(message, clause);
  if (named.length === 0) return false;
  const nameWords = new Set(stems(named.map((m) => String(m.value)).join(" ")));
  return stems(clause.text).every((w) => nameWords.has(w) || /^\p{N}/u.test(w));
}

/**
 * The functions the model calls for this conversation, each with the clause it answers (empty: it
 * answers in text instead).
 *
 * @example
 * ```ts
 * selectFunctions(options, conversation).map((c) => c.tool.name); // ["get_weather", "get_time"]
 * ```
 */
export function selectFunctions(options: ChatOptions, conversation: Conversation): PlannedCall[] {
  const tools = options.functionTools;
  const policy = options.toolPolicy;
  if (tools.length === 0 || policy.mode === "none" || conversation.toolResults.length > 0) return [];
  const message = conversation.lastUser;
  const whole: readonly [number, number] = [0, message.length];
  if (policy.mode === "function") {
    const named = tools.find((t) => t.name === policy.name);
    return named ? [{ tool: named, focus: whole }] : [];
  }
  const all = tools.map(toolWords);
  const calls: PlannedCall[] = [];
  let previous: ToolWords | undefined;
  for (const clause of clausesOf(message)) {
    const lower = clause.text.toLowerCase();
    const named = all.filter((t) => t.spelled.some((s) => lower.includes(s)));
    let chosen: ToolWords[] = named;
    if (chosen.length === 0) {
      const asked = stems(clause.text);
      let best: ToolWords | undefined;
      let bestScore = FIT - 1;
      for (const tool of all) {
        const s = score(tool, asked);
        if (s > bestScore) [best, bestScore] = [tool, s];
      }
      if (best) chosen = [best];
      else if (previous && onlyNames(message, clause)) chosen = [previous];
    }
    for (const tool of chosen) {
      const last = calls.at(-1);
      // The same function again for a clause that names nothing new ("…, and is it raining?"): one call.
      if (last && last.tool === tool.tool && namedIn(message, clause).length === 0) {
        last.focus = [last.focus[0], clause.end];
        continue;
      }
      calls.push({ tool: tool.tool, focus: [clause.start, clause.end] });
    }
    if (chosen.length > 0) previous = chosen[chosen.length - 1];
  }
  if (calls.length === 0 && policy.mode === "required") {
    const asked = stems(message);
    let best = all[0];
    let bestScore = -1;
    for (const tool of all) {
      const s = score(tool, asked);
      if (s > bestScore) [best, bestScore] = [tool, s];
    }
    calls.push({ tool: best.tool, focus: whole });
  }
  return options.parallelToolCalls ? calls : calls.slice(0, 1);
}

/**
 * Tool calls for the selected functions: unique ids, arguments valid against each schema, read from
 * each call's clause first (a city named there fills a `city` field), then from the whole message.
 *
 * @example
 * ```ts
 * const [call] = functionCalls(selectFunctions(options, conversation), conversation, rng, "resp-seed");
 * JSON.parse(call.function.arguments); // { city: "Paris" }
 * ```
 */
export function functionCalls(
  calls: readonly PlannedCall[],
  conversation: Conversation,
  rng: Rng,
  idSeed: string,
): ToolCallInit[] {
  const phrases = namedPhrases(conversation.lastUser);
  return calls.map(({ tool, focus }, i) => {
    const hints = { phrases, message: conversation.lastUser, focus };
    const args = generateValid(tool.parameters, rng.fork(`${tool.name}#${i}`), hints);
    return {
      id: `call_${hexId(24, idSeed, tool.name, i)}`,
      type: ToolCallType.CLIENT_SIDE_TOOL,
      tool: { case: "function", value: { name: tool.name, arguments: JSON.stringify(args) } },
    };
  });
}
