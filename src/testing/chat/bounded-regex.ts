// Regular expressions from clients (JSON Schema `pattern`) matched with a time budget: JavaScript's engine
// backtracks, so a pattern such as `(a|a){30}(?=b)` can block the event loop for hours. Each test runs in a
// worker thread that the caller waits for synchronously (Atomics.wait) for at most the budget; past it the
// worker is terminated (and replaced on the next test) and the caller gets INVALID_ARGUMENT.
import { Worker } from "node:worker_threads";
import { Code, EmulatorError } from "../types.js";

/** How long one match may take (ms) before the pattern is refused as too expensive. */
export const REGEX_BUDGET_MS = 250;
/** How long the worker may take to start (ms), under load. */
const STARTUP_BUDGET_MS = 10_000;
/** The longest string a budgeted test accepts (longer ones are refused without matching). */
export const MAX_REGEX_INPUT = 100_000;

// The worker: compiles (and caches) patterns, answers each test through the shared array.
// state[0]: 0 waiting, 1 answered; state[1]: 1 match, 0 no match, 2 error; state[2]: 1 once started.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const state = new Int32Array(workerData);
const cache = new Map();
Atomics.store(state, 2, 1);
Atomics.notify(state, 2);
parentPort.on("message", ({ source, flags, input }) => {
  let result = 2;
  try {
    const key = flags + "/" + source;
    let regex = cache.get(key);
    if (!regex) {
      if (cache.size > 256) cache.clear();
      regex = new RegExp(source, flags);
      cache.set(key, regex);
    }
    regex.lastIndex = 0;
    result = regex.test(input) ? 1 : 0;
  } catch {
    result = 2;
  }
  Atomics.store(state, 1, result);
  Atomics.store(state, 0, 1);
  Atomics.notify(state, 0);
});
`;

interface Matcher {
  worker: Worker;
  state: Int32Array;
}

let matcher: Matcher | undefined;

function startMatcher(): Matcher {
  const state = new Int32Array(new SharedArrayBuffer(12));
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: state.buffer,
    // A pattern that needs a huge compiled program ends the worker, not the emulator.
    resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
  });
  worker.unref();
  worker.on("error", () => {
    if (matcher?.worker === worker) matcher = undefined;
  });
  worker.on("exit", () => {
    if (matcher?.worker === worker) matcher = undefined;
  });
  if (Atomics.wait(state, 2, 0, STARTUP_BUDGET_MS) === "timed-out") {
    void worker.terminate();
    throw new EmulatorError(Code.INTERNAL, "The emulator's pattern matcher did not start.");
  }
  return { worker, state };
}

function tooExpensive(source: string, why: string): EmulatorError {
  const shown = source.length > 80 ? `${source.slice(0, 77)}...` : source;
  return new EmulatorError(
    Code.INVALID_ARGUMENT,
    `The pattern ${JSON.stringify(shown)} is too expensive to match (${why}); simplify it: avoid nested or overlapping repetitions such as (a|a)* or (a+)+, and huge counts such as a{1000000}.`,
  );
}

/** Whether `input` matches `source`/`flags`, within {@link REGEX_BUDGET_MS}; throws INVALID_ARGUMENT past it. */
function budgetedTest(source: string, flags: string, input: string): boolean {
  if (input.length > MAX_REGEX_INPUT) {
    throw tooExpensive(source, `a string of ${input.length} characters is longer than ${MAX_REGEX_INPUT}`);
  }
  matcher ??= startMatcher();
  const { worker, state } = matcher;
  Atomics.store(state, 0, 0);
  worker.postMessage({ source, flags, input });
  const outcome = Atomics.wait(state, 0, 0, REGEX_BUDGET_MS);
  if (outcome === "timed-out") {
    matcher = undefined;
    void worker.terminate();
    throw tooExpensive(source, `one match took longer than ${REGEX_BUDGET_MS} ms`);
  }
  const result = Atomics.load(state, 1);
  if (result === 2) throw tooExpensive(source, "the matcher could not run it");
  return result === 1;
}

/** A compiled pattern whose `test` is bounded in time. */
export interface BoundedRegExp {
  readonly source: string;
  test(input: string): boolean;
}

/**
 * Compiles `source` (a syntax error throws, as `new RegExp` does); `test` runs within the time budget and
 * throws INVALID_ARGUMENT (an EmulatorError) when the pattern backtracks past it.
 *
 * @example
 * ```ts
 * boundedRegExp("^[a-z]+$", "u").test("abc"); // true
 * boundedRegExp("(a|a){30}(?=b)", "u").test("a".repeat(30)); // throws INVALID_ARGUMENT after 250 ms
 * ```
 */
export function boundedRegExp(source: string, flags = "u"): BoundedRegExp {
  new RegExp(source, flags); // the syntax check, in this thread (cheap: matching is what backtracks)
  return { source, test: (input: string) => budgetedTest(source, flags, input) };
}

/** The engine Ajv uses for `pattern` and `patternProperties` (its `code.regExp` option). */
export const ajvRegExp = Object.assign((pattern: string, flags: string) => boundedRegExp(pattern, flags), {
  code: "new RegExp",
});

/** Ends the matcher's worker (the next test starts a new one). */
export function stopMatcher(): void {
  const current = matcher;
  matcher = undefined;
  if (current) void current.worker.terminate();
}
