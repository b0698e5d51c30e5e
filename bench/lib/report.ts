// The shape every benchmark returns, how it is printed, and how a benchmark script runs on its own or under
// bench/run.ts (which forks each script and receives its result over IPC).
import Table from "cli-table3";
import yoctocolors from "yoctocolors";

/**
 * Colour on a terminal only, never with NO_COLOR. A benchmark forked by bench/run.ts writes to a pipe: the parent
 * tells it whether its own output is a terminal (BENCH_COLOR).
 */
export const useColor =
  process.env.BENCH_COLOR !== undefined
    ? process.env.BENCH_COLOR === "1"
    : process.stdout.isTTY === true && !process.env.NO_COLOR;
const plain = (text: string) => text;
/** The colours of bench output: yoctocolors, or no-ops when {@link useColor} is false. */
export const colors = useColor
  ? yoctocolors
  : { bold: plain, dim: plain, green: plain, red: plain, cyan: plain, yellow: plain };
/** cli-table3 style: its default colours, or none. */
export const tableStyle = useColor ? { head: ["cyan"] } : { head: [], border: [] };

/** A target of the issue, checked against a measured value. */
export interface Target {
  /** What is compared, e.g. "SDK / raw CPU per call". */
  name: string;
  value: number;
  op: "<=" | ">=" | "<" | "==";
  limit: number;
  holds: boolean;
}

/** A table as printed (also kept in results.json). */
export interface ResultTable {
  title?: string;
  head: string[];
  rows: (string | number)[][];
}

/** What one benchmark measured. */
export interface BenchResult {
  /** Short id, e.g. "unary". */
  name: string;
  title: string;
  /** Wall time of the whole benchmark, in milliseconds. */
  durationMs: number;
  tables: ResultTable[];
  /** Headline figures, by name (numbers are in the unit the name says). */
  metrics: Record<string, number | string | boolean>;
  targets: Target[];
  notes: string[];
}

/** Builds a target and evaluates it. */
export function target(name: string, value: number, op: Target["op"], limit: number): Target {
  const holds =
    Number.isFinite(value) &&
    (op === "<="
      ? value <= limit
      : op === ">="
        ? value >= limit
        : op === "<"
          ? value < limit
          : value === limit);
  return { name, value, op, limit, holds };
}

/** Formats a number for a table cell: thousands separators, at most `digits` decimals. */
export function fmt(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** Prints a result: its tables, then its targets with ✓ or ✗. */
export function printResult(result: BenchResult): void {
  const out: string[] = [];
  out.push("");
  out.push(colors.bold(`▶ ${result.title}`) + colors.dim(`  (${fmt(result.durationMs / 1000, 1)} s)`));
  for (const t of result.tables) {
    if (t.title) out.push(colors.dim(t.title));
    const table = new Table({
      head: t.head,
      style: tableStyle,
    });
    for (const row of t.rows) table.push(row.map((c) => (typeof c === "number" ? fmt(c) : c)));
    out.push(table.toString());
  }
  for (const tg of result.targets) {
    const mark = tg.holds ? colors.green("✓") : colors.red("✗");
    out.push(`  ${mark} ${tg.name}: ${fmt(tg.value, 3)} (target ${tg.op} ${fmt(tg.limit, 3)})`);
  }
  for (const n of result.notes) out.push(colors.dim(`  · ${n}`));
  console.log(out.join("\n"));
}

/** Message a forked benchmark sends to bench/run.ts. */
export interface ResultMessage {
  type: "bench-result";
  result: BenchResult;
}

/**
 * Runs a benchmark's `main`, prints its result, and sends it to the parent when forked by bench/run.ts.
 * Exits non-zero if the benchmark throws.
 *
 * @example
 * ```ts
 * await runBenchmark(main);
 * ```
 */
export async function runBenchmark(main: () => Promise<BenchResult>): Promise<void> {
  try {
    const result = await main();
    printResult(result);
    if (process.send) {
      const message: ResultMessage = { type: "bench-result", result };
      await new Promise<void>((resolve) => process.send?.(message, undefined, {}, () => resolve()));
    }
    process.exit(0);
  } catch (err) {
    console.error(err);
    process.exit(1);
  }
}
