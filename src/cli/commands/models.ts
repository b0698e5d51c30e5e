// `xai models`: the model catalogue as tables (cli-table3), or as JSON.
import Table from "cli-table3";
import { type Command, Option } from "commander";
import type { Client } from "../../client.js";
import type { EmbeddingModelInfo, ImageModelInfo, LanguageModelInfo } from "../../models/client.js";
import { NotFoundError } from "../../transport/errors.js";
import type { CliContext } from "../context.js";
import { examples } from "../help.js";
import type { Styles } from "../output.js";

type ModelKind = "language" | "embedding" | "image";
const MODEL_KINDS: readonly ModelKind[] = ["language", "embedding", "image"];

interface ModelsCommandOptions {
  json?: boolean;
  kind?: ModelKind;
}

/**
 * One model as `xai models --json` prints it.
 *
 * @example
 * ```ts
 * // xai models --json | jq -r '.[] | select(.kind == "language") | .name'
 * const names = (JSON.parse(stdout) as ModelJson[]).map((m) => m.name);
 * ```
 */
export interface ModelJson {
  kind: ModelKind;
  name: string;
  aliases: string[];
  version: string;
  inputModalities: string[];
  outputModalities: string[];
  maxPromptLength?: number;
  /** USD per million tokens (language, embedding) or USD per image (image). */
  prices: Record<string, number>;
  created?: string;
}

type AnyModel =
  | { kind: "language"; info: LanguageModelInfo }
  | { kind: "embedding"; info: EmbeddingModelInfo }
  | { kind: "image"; info: ImageModelInfo };

function toJson(model: AnyModel): ModelJson {
  const { info } = model;
  const base = {
    kind: model.kind,
    name: info.name,
    aliases: info.aliases,
    version: info.version,
    inputModalities: info.inputModalities,
    outputModalities: info.outputModalities,
    ...(info.created ? { created: info.created.toISOString() } : {}),
  };
  switch (model.kind) {
    case "language":
      return { ...base, maxPromptLength: model.info.maxPromptLength, prices: { ...model.info.prices } };
    case "embedding":
      return { ...base, prices: { ...model.info.prices } };
    case "image":
      return {
        ...base,
        maxPromptLength: model.info.maxPromptLength,
        prices: { image: model.info.imagePrice },
      };
  }
}

async function listModels(client: Client, kinds: readonly ModelKind[]): Promise<AnyModel[]> {
  const lists = await Promise.all(
    kinds.map(async (kind): Promise<AnyModel[]> => {
      switch (kind) {
        case "language":
          return (await client.models.listLanguageModels()).map((info) => ({ kind, info }));
        case "embedding":
          return (await client.models.listEmbeddingModels()).map((info) => ({ kind, info }));
        case "image":
          return (await client.models.listImageGenerationModels()).map((info) => ({ kind, info }));
      }
    }),
  );
  return lists.flat();
}

/** Finds a model by name or alias in each catalogue in turn; NOT_FOUND when none has it. */
async function getModel(client: Client, name: string, kinds: readonly ModelKind[]): Promise<AnyModel> {
  let firstError: unknown;
  for (const kind of kinds) {
    try {
      switch (kind) {
        case "language":
          return { kind, info: await client.models.getLanguageModel(name) };
        case "embedding":
          return { kind, info: await client.models.getEmbeddingModel(name) };
        case "image":
          return { kind, info: await client.models.getImageGenerationModel(name) };
      }
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      firstError ??= err;
    }
  }
  throw firstError;
}

function usd(value: number): string {
  if (value === 0) return "-";
  return `$${Number(value.toPrecision(4))}`;
}

/** No rule between rows: a model's aliases stack under its name. */
const COMPACT_CHARS = { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" };

function plainTable(head: string[], s: Styles): Table.Table {
  return new Table({
    head: head.map((h) => s.bold(h)),
    style: { head: [], border: [] },
    chars: COMPACT_CHARS,
  });
}

const PRICE_LABELS: Record<string, string> = {
  promptText: "prompt text",
  promptImage: "prompt image",
  cachedPromptText: "cached prompt",
  completionText: "completion",
  search: "search",
  image: "image",
};

function priceUnit(key: string): string {
  if (key === "search") return "per source";
  if (key === "image") return "per image";
  return "per million tokens";
}

const TITLES: Record<ModelKind, string> = {
  language: "Language models (prices in USD per million tokens)",
  embedding: "Embedding models (prices in USD per million tokens)",
  image: "Image generation models (price in USD per image)",
};

function catalogueTable(kind: ModelKind, models: AnyModel[], s: Styles): string {
  let table: Table.Table;
  switch (kind) {
    case "language":
      table = plainTable(["model", "aliases", "input", "context", "prompt", "cached", "completion"], s);
      for (const m of models) {
        if (m.kind !== "language") continue;
        const p = m.info.prices;
        table.push([
          s.cyan(m.info.name),
          m.info.aliases.join("\n"),
          m.info.inputModalities.join(", "),
          m.info.maxPromptLength.toLocaleString("en-US"),
          usd(p.promptText),
          usd(p.cachedPromptText),
          usd(p.completionText),
        ]);
      }
      break;
    case "embedding":
      table = plainTable(["model", "aliases", "input", "text", "image"], s);
      for (const m of models) {
        if (m.kind !== "embedding") continue;
        table.push([
          s.cyan(m.info.name),
          m.info.aliases.join("\n"),
          m.info.inputModalities.join(", "),
          usd(m.info.prices.promptText),
          usd(m.info.prices.promptImage),
        ]);
      }
      break;
    case "image":
      table = plainTable(["model", "aliases", "input", "per image"], s);
      for (const m of models) {
        if (m.kind !== "image") continue;
        table.push([
          s.cyan(m.info.name),
          m.info.aliases.join("\n"),
          m.info.inputModalities.join(", "),
          usd(m.info.imagePrice),
        ]);
      }
      break;
  }
  return `${s.bold(TITLES[kind])}\n${table.toString()}`;
}

function detailTable(model: AnyModel, s: Styles): string {
  const json = toJson(model);
  const table = new Table({ style: { head: [], border: [] }, chars: COMPACT_CHARS });
  const row = (key: string, value: string) => table.push({ [s.bold(key)]: value });
  row("name", s.cyan(json.name));
  row("kind", json.kind);
  row("aliases", json.aliases.join(", ") || "-");
  row("version", json.version || "-");
  row("input", json.inputModalities.join(", "));
  row("output", json.outputModalities.join(", "));
  if (json.maxPromptLength !== undefined)
    row("context", `${json.maxPromptLength.toLocaleString("en-US")} tokens`);
  for (const [key, value] of Object.entries(json.prices)) {
    row(`price: ${PRICE_LABELS[key] ?? key}`, `${usd(value)} ${priceUnit(key)}`);
  }
  if (json.created) row("created", json.created.slice(0, 10));
  return table.toString();
}

/**
 * Registers `xai models`.
 *
 * @example
 * ```ts
 * registerModelsCommand(program, ctx); // then: xai models --help
 * ```
 */
export function registerModelsCommand(program: Command, ctx: CliContext): void {
  program
    .command("models")
    .summary("list the models (or show one) with their prices")
    .description(
      "List the models the key can use — language, embedding and image generation — with aliases, context " +
        "length and prices; or show one model by name or alias.",
    )
    .argument("[name]", "a model name or alias to show in detail")
    .addOption(new Option("--kind <kind>", "only this kind of model").choices(MODEL_KINDS))
    .option("--json", "print JSON instead of tables")
    .addHelpText(
      "after",
      examples([
        ["xai models", "every model, as tables"],
        ["xai models grok-4", "one model in detail"],
        ["xai models --kind image --json", "image models as JSON"],
      ]),
    )
    .action(async (name: string | undefined, options: ModelsCommandOptions, command: Command) => {
      const { term } = ctx;
      const client = ctx.client(command);
      const kinds = options.kind ? [options.kind] : MODEL_KINDS;
      const waiting = term.wait(name ? `looking up ${name}…` : "listing models…");
      let models: AnyModel[];
      try {
        models = name ? [await getModel(client, name, kinds)] : await listModels(client, kinds);
      } finally {
        waiting.stop();
      }
      if (options.json) {
        term.out(JSON.stringify(name ? toJson(models[0]) : models.map(toJson), null, 2));
        return;
      }
      if (name) {
        term.out(detailTable(models[0], term.style));
        return;
      }
      const sections = kinds
        .map((kind) => ({ kind, models: models.filter((m) => m.kind === kind) }))
        .filter((section) => section.models.length > 0)
        .map((section) => catalogueTable(section.kind, section.models, term.style));
      term.out(sections.length > 0 ? sections.join("\n\n") : "no models");
    });
}
