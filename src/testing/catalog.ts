// The emulator's model catalogue: the models it serves, with the figures the Models service reports.
import type { CatalogModel } from "./types.js";

/**
 * Prices are integers in the API's unit: USD cents per 100 million units, i.e. 1e-10 USD (one "USD tick")
 * per token, per search source or per image: $3 per million tokens is 30000.
 */
const perMillionTokens = (dollars: number): number => Math.round(dollars * 10_000);
/** $ per image (or per second of video) → ticks (1e-10 USD). */
const perItem = (dollars: number): number => Math.round(dollars * 1e10);

type LanguageSpec = Pick<CatalogModel, "name" | "aliases" | "reasoning" | "maxPromptLength" | "created"> & {
  vision: boolean;
  input: number;
  output: number;
  cached: number;
};

function fingerprint(name: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `fp_${(hash >>> 0).toString(16).padStart(8, "0")}`;
}

function language(spec: LanguageSpec): CatalogModel {
  return {
    kind: "language",
    name: spec.name,
    aliases: spec.aliases,
    version: "1.0",
    inputModalities: spec.vision ? ["text", "image"] : ["text"],
    outputModalities: ["text"],
    reasoning: spec.reasoning,
    maxPromptLength: spec.maxPromptLength,
    promptTextTokenPrice: perMillionTokens(spec.input),
    promptImageTokenPrice: spec.vision ? perMillionTokens(spec.input) : 0,
    completionTextTokenPrice: perMillionTokens(spec.output),
    cachedPromptTokenPrice: perMillionTokens(spec.cached),
    // $25 per 1,000 sources.
    searchPrice: perItem(0.025),
    imagePrice: 0,
    dimension: 0,
    created: spec.created,
    systemFingerprint: fingerprint(spec.name),
  };
}

const day = (iso: string): Date => new Date(`${iso}T00:00:00Z`);

// Every model name of the SDK's `ChatModel` union is a name or an alias here (a test reads the union).
const LANGUAGE_MODELS: CatalogModel[] = [
  language({
    name: "grok-4",
    aliases: ["grok-4-latest", "grok-4-0709"],
    reasoning: true,
    vision: true,
    maxPromptLength: 256_000,
    input: 3,
    output: 15,
    cached: 0.75,
    created: day("2025-07-09"),
  }),
  language({
    name: "grok-4-fast-reasoning",
    aliases: ["grok-4-fast-reasoning-latest", "grok-4-fast"],
    reasoning: true,
    vision: true,
    maxPromptLength: 2_000_000,
    input: 0.2,
    output: 0.5,
    cached: 0.05,
    created: day("2025-09-19"),
  }),
  language({
    name: "grok-4-fast-non-reasoning",
    aliases: ["grok-4-fast-non-reasoning-latest"],
    reasoning: false,
    vision: true,
    maxPromptLength: 2_000_000,
    input: 0.2,
    output: 0.5,
    cached: 0.05,
    created: day("2025-09-19"),
  }),
  language({
    name: "grok-3-mini",
    aliases: ["grok-3-mini-latest", "grok-3-mini-beta"],
    reasoning: true,
    vision: false,
    maxPromptLength: 131_072,
    input: 0.3,
    output: 0.5,
    cached: 0.075,
    created: day("2025-02-17"),
  }),
  language({
    name: "grok-3",
    aliases: ["grok-3-latest", "grok-3-beta"],
    reasoning: false,
    vision: false,
    maxPromptLength: 131_072,
    input: 3,
    output: 15,
    cached: 0.75,
    created: day("2025-02-17"),
  }),
  language({
    name: "grok-code-fast-1",
    aliases: ["grok-code-fast", "grok-code-fast-1-0825"],
    reasoning: true,
    vision: false,
    maxPromptLength: 256_000,
    input: 0.2,
    output: 1.5,
    cached: 0.02,
    created: day("2025-08-28"),
  }),
  language({
    name: "grok-4-1-fast-reasoning",
    aliases: ["grok-4-1-fast-reasoning-latest", "grok-4-1-fast"],
    reasoning: true,
    vision: true,
    maxPromptLength: 2_000_000,
    input: 0.2,
    output: 0.5,
    cached: 0.05,
    created: day("2025-11-19"),
  }),
  language({
    name: "grok-4-1-fast-non-reasoning",
    aliases: ["grok-4-1-fast-non-reasoning-latest"],
    reasoning: false,
    vision: true,
    maxPromptLength: 2_000_000,
    input: 0.2,
    output: 0.5,
    cached: 0.05,
    created: day("2025-11-19"),
  }),
  language({
    name: "grok-4.20-0309-reasoning",
    aliases: ["grok-4.20", "grok-4.20-0309", "grok-4.20-reasoning-latest"],
    reasoning: true,
    vision: true,
    maxPromptLength: 2_000_000,
    input: 2,
    output: 6,
    cached: 0.2,
    created: day("2026-03-09"),
  }),
  language({
    name: "grok-4.20-0309-non-reasoning",
    aliases: ["grok-4.20-non-reasoning", "grok-4.20-non-reasoning-latest"],
    reasoning: false,
    vision: true,
    maxPromptLength: 2_000_000,
    input: 2,
    output: 6,
    cached: 0.2,
    created: day("2026-03-09"),
  }),
  language({
    name: "grok-4.20-multi-agent-0309",
    aliases: ["grok-4.20-multi-agent", "grok-4.20-multi-agent-latest"],
    reasoning: true,
    vision: true,
    maxPromptLength: 2_000_000,
    input: 2,
    output: 6,
    cached: 0.2,
    created: day("2026-03-09"),
  }),
  language({
    name: "grok-4.3",
    aliases: ["grok-4.3-latest"],
    reasoning: true,
    vision: true,
    maxPromptLength: 1_000_000,
    input: 2,
    output: 8,
    cached: 0.2,
    created: day("2026-04-30"),
  }),
  language({
    name: "grok-4.5",
    aliases: ["grok-4.5-latest"],
    reasoning: true,
    vision: true,
    maxPromptLength: 1_000_000,
    input: 2.5,
    output: 10,
    cached: 0.25,
    created: day("2026-07-14"),
  }),
  language({
    name: "grok-4.6",
    aliases: ["grok-4.6-latest"],
    reasoning: true,
    vision: true,
    maxPromptLength: 1_000_000,
    input: 2.5,
    output: 10,
    cached: 0.25,
    created: day("2026-08-13"),
  }),
  language({
    name: "grok-build-0.1",
    aliases: ["grok-build", "grok-build-latest"],
    reasoning: true,
    vision: false,
    maxPromptLength: 256_000,
    input: 0.5,
    output: 2,
    cached: 0.05,
    created: day("2026-05-30"),
  }),
  language({
    name: "grok-3-fast",
    aliases: ["grok-3-fast-latest", "grok-3-fast-beta"],
    reasoning: false,
    vision: false,
    maxPromptLength: 131_072,
    input: 5,
    output: 25,
    cached: 1.25,
    created: day("2025-02-17"),
  }),
  language({
    name: "grok-3-mini-fast",
    aliases: ["grok-3-mini-fast-latest", "grok-3-mini-fast-beta"],
    reasoning: true,
    vision: false,
    maxPromptLength: 131_072,
    input: 0.6,
    output: 4,
    cached: 0.15,
    created: day("2025-02-17"),
  }),
];

const base = {
  reasoning: false,
  promptTextTokenPrice: 0,
  promptImageTokenPrice: 0,
  completionTextTokenPrice: 0,
  cachedPromptTokenPrice: 0,
  searchPrice: 0,
  imagePrice: 0,
  dimension: 0,
} as const;

const OTHER_MODELS: CatalogModel[] = [
  {
    ...base,
    kind: "embedding",
    name: "v1",
    aliases: ["v1-latest"],
    version: "1.0",
    inputModalities: ["text", "image"],
    outputModalities: ["embedding"],
    maxPromptLength: 8_192,
    promptTextTokenPrice: perMillionTokens(0.1),
    promptImageTokenPrice: perMillionTokens(0.1),
    dimension: 256,
    created: day("2024-06-20"),
    systemFingerprint: fingerprint("v1"),
  },
  {
    ...base,
    kind: "image",
    name: "grok-2-image",
    aliases: ["grok-2-image-latest", "grok-2-image-1212"],
    version: "1.0",
    inputModalities: ["text"],
    outputModalities: ["image"],
    maxPromptLength: 1_024,
    imagePrice: perItem(0.07),
    created: day("2024-12-12"),
    systemFingerprint: fingerprint("grok-2-image"),
  },
  {
    ...base,
    kind: "image",
    name: "grok-imagine-image",
    aliases: ["grok-imagine-image-latest"],
    version: "1.0",
    inputModalities: ["text", "image"],
    outputModalities: ["image"],
    maxPromptLength: 4_096,
    imagePrice: perItem(0.02),
    created: day("2025-10-28"),
    systemFingerprint: fingerprint("grok-imagine-image"),
  },
  {
    ...base,
    kind: "image",
    name: "grok-imagine-image-2.0",
    aliases: ["grok-imagine-image-2.0-latest"],
    version: "2.0",
    inputModalities: ["text", "image"],
    outputModalities: ["image"],
    maxPromptLength: 8_192,
    imagePrice: perItem(0.04),
    created: day("2026-08-18"),
    systemFingerprint: fingerprint("grok-imagine-image-2.0"),
  },
  {
    ...base,
    kind: "image",
    name: "grok-imagine-image-quality",
    aliases: ["grok-imagine-image-quality-latest"],
    version: "1.0",
    inputModalities: ["text", "image"],
    outputModalities: ["image"],
    maxPromptLength: 4_096,
    imagePrice: perItem(0.07),
    created: day("2026-06-10"),
    systemFingerprint: fingerprint("grok-imagine-image-quality"),
  },
  {
    ...base,
    kind: "video",
    name: "grok-imagine-video",
    aliases: ["grok-imagine-video-latest"],
    version: "1.0",
    inputModalities: ["text", "image"],
    outputModalities: ["image"],
    maxPromptLength: 4_096,
    videoSecondPrice: perItem(0.05),
    created: day("2025-10-28"),
    systemFingerprint: fingerprint("grok-imagine-video"),
  },
  {
    ...base,
    kind: "video",
    name: "grok-imagine-video-1.5",
    aliases: ["grok-imagine-video-1.5-preview", "grok-imagine-video-1.5-latest"],
    version: "1.5",
    inputModalities: ["text", "image"],
    outputModalities: ["image"],
    maxPromptLength: 8_192,
    videoSecondPrice: perItem(0.08),
    created: day("2026-06-10"),
    systemFingerprint: fingerprint("grok-imagine-video-1.5"),
  },
];

/**
 * The emulator's catalogue: every model the SDK names (17 language models whose names and aliases cover
 * the SDK's `ChatModel` union, one embedding model (`v1`, 256 dimensions), four image-generation models and
 * two video models). Prices are in 1e-10 USD per token, source, image or video second (the API's unit:
 * USD cents per 100 million units).
 *
 * @example
 * ```ts
 * const grok4 = EMULATOR_CATALOG.find((m) => m.name === "grok-4");
 * grok4?.promptTextTokenPrice; // 30000 = $3 per million tokens
 * ```
 */
export const EMULATOR_CATALOG: readonly CatalogModel[] = Object.freeze([...LANGUAGE_MODELS, ...OTHER_MODELS]);

const KIND_WORDS: Record<CatalogModel["kind"], string> = {
  language: "language model",
  embedding: "embedding model",
  image: "image-generation model",
  video: "video-generation model",
};

const withArticle = (kind: CatalogModel["kind"]): string =>
  `${kind === "embedding" || kind === "image" ? "an" : "a"} ${KIND_WORDS[kind]}`;

/**
 * Result of a catalogue lookup: the model, or why there is none (a sentence fit for an error's details).
 *
 * @example
 * ```ts
 * const found: ModelLookup = lookupModel(EMULATOR_CATALOG, "grok-99", "language");
 * if ("error" in found) console.log(found.error, found.message); // "unknown", "The model \"grok-99\" does not exist…"
 * ```
 */
export type ModelLookup =
  | { model: CatalogModel }
  | { error: "empty" | "unknown" | "wrong-kind"; message: string; actualKind?: CatalogModel["kind"] };

/**
 * Finds a model of the given kind by name or alias, or explains (in a sentence) why there is none.
 *
 * @example
 * ```ts
 * const found = lookupModel(EMULATOR_CATALOG, "grok-4-latest", "language");
 * if ("model" in found) console.log(found.model.name); // "grok-4"
 * ```
 */
export function lookupModel(
  models: readonly CatalogModel[],
  name: string,
  kind: CatalogModel["kind"],
): ModelLookup {
  const model = name ? models.find((m) => m.name === name || m.aliases.includes(name)) : undefined;
  if (model && model.kind === kind) return { model };
  // Error paths only: the list of the names of this kind.
  const wanted = KIND_WORDS[kind];
  const available = models
    .filter((m) => m.kind === kind)
    .map((m) => m.name)
    .join(", ");
  if (name.trim() === "") {
    return {
      error: "empty",
      message: `No model was given: set the request's model to the name of ${withArticle(kind)} (available: ${available}).`,
    };
  }
  if (model) {
    return {
      error: "wrong-kind",
      actualKind: model.kind,
      message: `The model "${name}" is ${withArticle(model.kind)}, not ${withArticle(kind)}; use one of: ${available}.`,
    };
  }
  return {
    error: "unknown",
    message: `The model "${name}" does not exist or your team does not have access to it. Available ${wanted}s: ${available}.`,
  };
}
