// The emulator's "language model": deterministic text derived from the conversation. It acknowledges
// the latest user message, keeps the system prompt's persona, remembers earlier turns, uses tool
// results, and varies with the random stream (seeded from the request, so the same request gives the
// same text).
import type { Conversation } from "./conversation.js";
import { keywords } from "./conversation.js";
import type { Rng } from "./random.js";

/** How much a reasoning model thinks: number of reasoning sentences by effort. */
export type Effort = "none" | "low" | "medium" | "high" | "xhigh";
const REASONING_SENTENCES: Record<Effort, number> = { none: 0, low: 2, medium: 4, high: 7, xhigh: 10 };

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

function list(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? "";
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/**
 * The persona the system prompt asks for ("You are a pirate." → "a pirate"), if any.
 *
 * @example
 * ```ts
 * personaOf("You are a helpful pirate. Answer briefly."); // "a helpful pirate"
 * ```
 */
export function personaOf(system: string): string | undefined {
  const match = /\b(?:you are|you're|act as|behave like|pretend to be)\s+([^.,;!?\n]{2,60})/i.exec(system);
  return match ? match[1].trim() : undefined;
}

function topicOf(conversation: Conversation): string {
  const words = keywords(conversation.lastUser, 3);
  return words.length > 0 ? list(words) : "your message";
}

const OPENERS = [
  (quote: string) => `You asked: “${quote}”.`,
  (quote: string) => `Regarding “${quote}”: here is my answer.`,
  (quote: string) => `Thanks for your message, “${quote}”.`,
  (quote: string) => `On “${quote}”, here is what I can say.`,
];

const BODY = [
  (k: string) => `${capitalize(k)} is the central point here.`,
  (k: string) => `The details of ${k} depend on the context you are working in.`,
  (k: string) => `Most sources agree on the basics of ${k}.`,
  (k: string) => `A common misconception about ${k} is that it is simple.`,
  (k: string) => `It helps to look at ${k} step by step.`,
  (k: string) => `There are a few practical points to keep in mind about ${k}.`,
  (k: string) => `In short, ${k} is worth understanding well.`,
  (k: string) => `One useful way to think about ${k} is through a concrete example.`,
];

const CLOSERS = [
  "Let me know if you want more detail.",
  "I hope this helps.",
  "Feel free to ask a follow-up question.",
  "Tell me if you would like an example.",
];

const REASONING = [
  (topic: string) => `The user is asking about ${topic}.`,
  (topic: string) => `I should make sure I understand what they mean by ${topic}.`,
  (topic: string) => `Let me recall what I know about ${topic}.`,
  () => "I will structure the answer so that the main point comes first.",
  () => "Checking whether anything in the conversation changes the answer.",
  (topic: string) => `A short, direct explanation of ${topic} should work best.`,
  () => "I should keep the tone consistent with the instructions.",
  () => "Double-checking the reasoning before I answer.",
  (topic: string) => `Are there edge cases for ${topic}? A brief mention is enough.`,
  () => "Now I can write the final answer.",
];

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The assistant's reply to the latest user message.
 *
 * @example
 * ```ts
 * replyText(readConversation(messages), new Rng(hash("seed")), 1); // "You asked: “…”. …"
 * ```
 */
export function replyText(conversation: Conversation, rng: Rng, temperature: number): string {
  const sentences: string[] = [];
  const persona = personaOf(conversation.system);
  const last = conversation.lastUser.trim();
  if (/^(hi|hello|hey|good (morning|afternoon|evening))\b/i.test(last)) {
    sentences.push(rng.pick(["Hello!", "Hi there!", "Hey!"]));
    if (persona) sentences.push(`Speaking as ${persona}, I am happy to help.`);
    sentences.push("How can I help you today?");
    return sentences.join(" ");
  }
  sentences.push(rng.pick(OPENERS)(truncate(last || "(no question)", 80)));
  if (persona) sentences.push(`Speaking as ${persona}, I will answer in that role.`);
  if (conversation.earlierUsers.length > 0) {
    sentences.push(`Earlier you said: “${truncate(conversation.earlierUsers[0], 60)}”.`);
  }
  const lastTurn = [...conversation.turns].reverse().find((t) => t.role === "user");
  if (lastTurn && lastTurn.imageCount > 0) {
    sentences.push(`I looked at the ${lastTurn.imageCount === 1 ? "image" : "images"} you shared.`);
  }
  const words = keywords(last, 5);
  const subjects = words.length > 0 ? words : ["this topic"];
  const brief = /\b(brief|concise|short|one sentence)\b/i.test(conversation.system);
  const count = brief ? 1 : 2 + Math.round(Math.min(2, Math.max(0, temperature))) + rng.int(0, 1);
  const bodies = [...BODY];
  for (let i = 0; i < count && bodies.length > 0; i++) {
    const template = bodies.splice(rng.int(0, bodies.length - 1), 1)[0];
    sentences.push(template(subjects[i % subjects.length]));
  }
  sentences.push(rng.pick(CLOSERS));
  return sentences.join(" ");
}

/**
 * The assistant's answer once tool results are in: it reports each result's content.
 *
 * @example
 * ```ts
 * answerFromToolResults(conversation, rng); // "Here is what I found. get_weather returned {\"temp\":21}. …"
 * ```
 */
export function answerFromToolResults(conversation: Conversation, rng: Rng): string {
  const parts = [
    rng.pick(["Here is what I found.", "I have the results.", "The tools returned the following."]),
  ];
  for (const result of conversation.toolResults) {
    parts.push(`${result.name} returned ${truncate(result.content || "nothing", 500)}.`);
  }
  const topic = topicOf(conversation);
  parts.push(`That should answer your question about ${topic}.`);
  return parts.join(" ");
}

/**
 * The reasoning of a reasoning model: a few sentences about the question, more with a higher effort.
 *
 * @example
 * ```ts
 * reasoningText(conversation, rng, "low"); // two sentences
 * ```
 */
export function reasoningText(conversation: Conversation, rng: Rng, effort: Effort): string {
  const count = REASONING_SENTENCES[effort];
  if (count === 0) return "";
  const topic = topicOf(conversation);
  const persona = personaOf(conversation.system);
  const out: string[] = [REASONING[0](topic)];
  const pool = REASONING.slice(1, -1);
  while (out.length < count - 1 && pool.length > 0) {
    out.push(pool.splice(rng.int(0, pool.length - 1), 1)[0](topic));
  }
  if (persona && count > 2) out.splice(1, 0, `The instructions ask me to answer as ${persona}.`);
  if (conversation.toolResults.length > 0) out.splice(1, 0, "The tool results are in; I can use them.");
  if (count > 1) out.push(REASONING[REASONING.length - 1](topic));
  return out.join(" ");
}

/**
 * A JSON object answering the latest message (for the `json_object` response format).
 *
 * @example
 * ```ts
 * JSON.parse(jsonObjectAnswer(conversation, rng)).answer; // a sentence
 * ```
 */
export function jsonObjectAnswer(conversation: Conversation, rng: Rng): string {
  const words = keywords(conversation.lastUser, 5);
  const answer =
    conversation.toolResults.length > 0
      ? answerFromToolResults(conversation, rng)
      : replyText(conversation, rng, 0);
  return JSON.stringify({
    answer,
    topic: words[0] ?? "general",
    keywords: words,
    confidence: Math.round((0.6 + rng.next() * 0.39) * 100) / 100,
  });
}

/**
 * The continuation of a plain prompt (Sample service).
 *
 * @example
 * ```ts
 * continuationText("Once upon a time", rng); // " there was …"
 * ```
 */
export function continuationText(prompt: string, rng: Rng): string {
  const words = keywords(prompt, 50).slice(-3).reverse();
  const subject = words.length > 0 ? list(words) : "the story";
  const sentences = [
    ` and so the text continues with ${subject}.`,
    ` It goes on to describe ${rng.pick(words.length > 0 ? words : ["the idea"])} in more detail.`,
    rng.pick([" The end.", " More follows in the next part.", " That is all for now."]),
  ];
  return sentences.join("");
}
