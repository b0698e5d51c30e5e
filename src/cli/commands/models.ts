// `xai models`: the model catalogue as tables (cli-table3), or as JSON.
import { stripVTControlCharacters } from "node:util";
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
  wide?: boolean;
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

/** One column of a catalogue table: its heading and its cell for a model. */
interface Column {
  head: string;
  cell: (model: AnyModel) => string;
}

/** A 2,000,000-token context as `2M`, 131,072 as `131K` (narrow tables). */
function compactCount(n: number): string {
  return new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 0 }).format(n);
}

function columnsFor(kind: ModelKind, s: Styles, narrow: boolean): Column[] {
  const name: Column = { head: "model", cell: (m) => s.cyan(m.info.name) };
  const aliases: Column = { head: "aliases", cell: (m) => m.info.aliases.join("\n") };
  const input: Column = { head: "input", cell: (m) => m.info.inputModalities.join(", ") };
  switch (kind) {
    case "language": {
      const prices = (m: AnyModel) => (m.kind === "language" ? m.info.prices : undefined);
      return [
        name,
        aliases,
        input,
        {
          head: "context",
          cell: (m) => {
            const length = m.kind === "language" ? m.info.maxPromptLength : 0;
            return narrow ? compactCount(length) : length.toLocaleString("en-US");
          },
        },
        { head: "prompt", cell: (m) => usd(prices(m)?.promptText ?? 0) },
        { head: "cached", cell: (m) => usd(prices(m)?.cachedPromptText ?? 0) },
        { head: "completion", cell: (m) => usd(prices(m)?.completionText ?? 0) },
      ];
    }
    case "embedding": {
      const prices = (m: AnyModel) => (m.kind === "embedding" ? m.info.prices : undefined);
      return [
        name,
        aliases,
        input,
        { head: "text", cell: (m) => usd(prices(m)?.promptText ?? 0) },
        { head: "image", cell: (m) => usd(prices(m)?.promptImage ?? 0) },
      ];
    }
    case "image":
      return [
        name,
        aliases,
        input,
        { head: "per image", cell: (m) => usd(m.kind === "image" ? m.info.imagePrice : 0) },
      ];
  }
}

/** The columns a narrow table drops first, in order, until it fits. */
const DROPPED_FIRST = ["aliases", "cached", "input"];

function render(columns: Column[], models: AnyModel[], s: Styles): string {
  const table = plainTable(
    columns.map((c) => c.head),
    s,
  );
  for (const m of models) table.push(columns.map((c) => c.cell(m)));
  return table.toString();
}

function widthOf(text: string): number {
  return Math.max(
    0,
    ...stripVTControlCharacters(text)
      .split("\n")
      .map((line) => line.length),
  );
}

/**
 * A catalogue table: every column when `width` is undefined (`--wide`), else the columns that fit in `width`
 * (aliases, then cached prices, then input modalities are dropped first). Returns the table and the
 * columns it dropped.
 */
function catalogueTable(
  kind: ModelKind,
  models: AnyModel[],
  s: Styles,
  width: number | undefined,
): { text: string; dropped: string[] } {
  let columns = columnsFor(kind, s, false);
  let text = render(columns, models, s);
  const dropped: string[] = [];
  if (width !== undefined && widthOf(text) > width) {
    columns = columnsFor(kind, s, true);
    text = render(columns, models, s);
    for (const head of DROPPED_FIRST) {
      if (widthOf(text) <= width) break;
      columns = columns.filter((c) => c.head !== head);
      dropped.push(head);
      text = render(columns, models, s);
    }
  }
  return { text: `${s.bold(TITLES[kind])}\n${text}`, dropped };
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
    .option(
      "--wide",
      "every column, however wide (by default the tables fit the terminal or $COLUMNS, else 80)",
    )
    .addHelpText(
      "after",
      examples([
        ["xai models", "every model, as tables"],
        ["xai models --wide | less -S", "with aliases and every price"],
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
      const width = options.wide ? undefined : term.columns;
      const sections = kinds
        .map((kind) => ({ kind, models: models.filter((m) => m.kind === kind) }))
        .filter((section) => section.models.length > 0)
        .map((section) => catalogueTable(section.kind, section.models, term.style, width));
      if (sections.length === 0) {
        term.out("no models");
        return;
      }
      term.out(sections.map((section) => section.text).join("\n\n"));
      const dropped = [...new Set(sections.flatMap((section) => section.dropped))];
      if (dropped.length > 0) {
        term.out(
          term.style.dim(`(hidden to fit the width: ${dropped.join(", ")}; --wide shows every column)`),
        );
      }
    });
}
