// The client-side tool loop: sample, run the functions the model calls (concurrently), send the results back,
// and sample again until the model answers.

import { checkInt, checkKnownKeys, checkLiteral, describe, fail, isPlainObject } from "../core/check.js";
import { ToolRoundsExceededError } from "../errors.js";
import type { Tool } from "../gen/xai/api/v1/chat_pb.js";
import { type Attributes, jsonAttribute, PROVIDER } from "../telemetry/describe.js";
import { UserAbortError } from "../transport/errors.js";
import type { CallOptions } from "../transport/options.js";
import { toolResult } from "./messages.js";
import { type ChatResponse, isClientSideCall, type ToolCallInfo } from "./response.js";
import {
  formatIssues,
  type InferSchema,
  resolveSchema,
  type SchemaIssue,
  type SchemaLike,
} from "./schema.js";
import { checkFunctionName, tool } from "./tools.js";

/**
 * What a tool handler receives besides its arguments.
 *
 * @example
 * ```ts
 * execute: async ({ url }, { signal }) => (await fetch(url, { signal })).text(),
 * ```
 */
export interface ToolCallContext {
  /** The call being answered. */
  toolCall: ToolCallInfo;
  /** Aborts when the run's `signal` does; pass it on to cancellable work. */
  signal: AbortSignal | undefined;
}

/**
 * A function the model may call during `runTools()`: its description, its parameters schema (zod, Standard JSON
 * Schema or JSON Schema) and the code that runs it. `execute` receives the validated arguments, typed from the
 * schema; its result is sent to the model (strings as they are, anything else as JSON).
 *
 * @example
 * ```ts
 * const getWeather: ToolHandler<typeof City> = {
 *   description: "Current weather of a city",
 *   parameters: City,
 *   execute: async ({ city }) => ({ city, celsius: 21 }),
 * };
 * ```
 */
export interface ToolHandler<S extends SchemaLike = SchemaLike> {
  description: string;
  parameters: S;
  execute(args: InferSchema<S>, context: ToolCallContext): unknown;
}

/**
 * Options of `chat.runTools()`.
 *
 * @example
 * ```ts
 * await chat.runTools({ tools: { get_weather: getWeather }, maxRounds: 4, onToolError: "throw" });
 * ```
 */
export interface RunToolsOptions<T extends Record<string, SchemaLike>> {
  /** The functions, by name. */
  tools: { [K in keyof T]: ToolHandler<T[K]> };
  /** Most rounds of tool calls before giving up with {@link ToolRoundsExceededError}. Default 10. */
  maxRounds?: number;
  /**
   * What a handler that throws does: `"report"` (default) sends `Error: <message>` to the model as the tool's result
   * and records the error in the round; `"throw"` stops the run with that error (the round is not appended).
   */
  onToolError?: "report" | "throw";
  /** Called after each round's calls ran, before the next sample. */
  onRound?: (round: ToolRound) => void;
}

/**
 * How one tool call went.
 *
 * @example
 * ```ts
 * const failed = rounds.flatMap((r) => r.calls).filter((c) => c.status !== "ok");
 * ```
 */
export interface ToolCallOutcome {
  /** The model's call. */
  call: ToolCallInfo;
  /**
   * `"ok"`: the handler ran; `"invalid_arguments"`: the arguments failed validation (sent back to the model);
   * `"unknown_tool"`: no handler has that name; `"error"`: the handler threw (reported to the model).
   */
  status: "ok" | "invalid_arguments" | "unknown_tool" | "error";
  /** The validated arguments (status "ok" and "error"). */
  arguments?: unknown;
  /** What the handler returned. */
  result?: unknown;
  /** The validation issues (status "invalid_arguments"). */
  issues?: SchemaIssue[];
  /** What the handler threw (status "error"). */
  error?: unknown;
  /** The text sent back to the model. */
  output: string;
}

/**
 * One round: a completion that called tools, and how each call went.
 *
 * @example
 * ```ts
 * await chat.runTools({ tools, onRound: (round) => console.log(round.calls.map((c) => c.call.name)) });
 * ```
 */
export interface ToolRound {
  response: ChatResponse;
  calls: ToolCallOutcome[];
}

/**
 * The end of `runTools()`: the final answer and every round that led to it.
 *
 * @example
 * ```ts
 * const { response, rounds } = await chat.runTools({ tools });
 * console.log(`${rounds.length} rounds: ${response.content}`);
 * ```
 */
export interface ToolRunResult {
  /** The completion in which the model answered without calling tools. */
  response: ChatResponse;
  /** The rounds of tool calls, in order. */
  rounds: ToolRound[];
}

/** The client's tracing as the loop uses it (src/telemetry/telemetry.ts): spans around the loop's steps. */
export interface LoopTelemetry {
  readonly captureContent: boolean;
  span<R>(
    name: string,
    attributes: Attributes,
    body: (span: { set(a: Attributes): void }) => Promise<R>,
  ): Promise<R>;
}

/** What the loop needs from the chat it runs in. */
export interface ToolLoopHost {
  /** The chat's model and conversation id, for the loop's span. */
  readonly model: string;
  readonly conversationId?: string | undefined;
  /** The client's telemetry: the loop, each round and each tool get a span. */
  readonly telemetry?: LoopTelemetry | undefined;
  readonly tools: readonly Tool[];
  sampleWithTools(tools: Tool[], options: CallOptions | undefined): Promise<ChatResponse>;
  appendAll(messages: ReturnType<typeof toolResult>[] | ChatResponse): void;
}

interface PreparedHandler {
  name: string;
  handler: ToolHandler;
  validate: (value: unknown) => Promise<{ ok: true; value: unknown } | { ok: false; issues: SchemaIssue[] }>;
}

function toOutput(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Runs one call in an `execute_tool {name}` span (arguments and output recorded only with content capture). */
function tracedCall(
  telemetry: LoopTelemetry | undefined,
  call: ToolCallInfo,
  handlers: Map<string, PreparedHandler>,
  onToolError: "report" | "throw",
  signal: AbortSignal | undefined,
): Promise<ToolCallOutcome> {
  if (!telemetry) return runCall(call, handlers, onToolError, signal);
  const content = telemetry.captureContent;
  return telemetry.span(
    `execute_tool ${call.name}`,
    {
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.provider.name": PROVIDER,
      "gen_ai.tool.name": call.name,
      "gen_ai.tool.call.id": call.id,
      "gen_ai.tool.type": "function",
      "gen_ai.tool.call.arguments": content ? call.argumentsJson : undefined,
    },
    async (span) => {
      const outcome = await runCall(call, handlers, onToolError, signal);
      span.set({
        "xai.tool.status": outcome.status,
        "error.type": outcome.status === "ok" ? undefined : outcome.status,
        "gen_ai.tool.call.result": content ? jsonAttribute(outcome.output) : undefined,
      });
      return outcome;
    },
  );
}

async function runCall(
  call: ToolCallInfo,
  handlers: Map<string, PreparedHandler>,
  onToolError: "report" | "throw",
  signal: AbortSignal | undefined,
): Promise<ToolCallOutcome> {
  const prepared = handlers.get(call.name);
  if (!prepared) {
    const known = [...handlers.keys()].join(", ");
    return {
      call,
      status: "unknown_tool",
      output: `Error: there is no tool named ${JSON.stringify(call.name)}. Available tools: ${known}.`,
    };
  }
  const args = call.arguments;
  if (args === undefined) {
    const issues = [
      { message: `arguments are not valid JSON: ${call.argumentsJson.slice(0, 200)}`, path: [] },
    ];
    return {
      call,
      status: "invalid_arguments",
      issues,
      output: `Error: invalid arguments for ${call.name}: ${formatIssues(issues)}. Call it again with JSON arguments matching its schema.`,
    };
  }
  const checked = await prepared.validate(args);
  if (!checked.ok) {
    return {
      call,
      status: "invalid_arguments",
      issues: checked.issues,
      output: `Error: invalid arguments for ${call.name}: ${formatIssues(checked.issues)}. Call it again with arguments matching its schema.`,
    };
  }
  try {
    const result = await prepared.handler.execute(checked.value, { toolCall: call, signal });
    return { call, status: "ok", arguments: checked.value, result, output: toOutput(result) };
  } catch (error) {
    if (onToolError === "throw") throw error;
    const message = error instanceof Error ? error.message : String(error);
    return { call, status: "error", arguments: checked.value, error, output: `Error: ${message}` };
  }
}

/** Checks runTools() options and prepares the handlers and the tool definitions sent with each sample. */
function prepare<T extends Record<string, SchemaLike>>(
  host: ToolLoopHost,
  options: RunToolsOptions<T>,
): {
  handlers: Map<string, PreparedHandler>;
  tools: Tool[];
  maxRounds: number;
  onToolError: "report" | "throw";
} {
  if (!isPlainObject(options)) fail(`runTools() takes { tools, maxRounds? }, got ${describe(options)}`);
  checkKnownKeys("runTools()", options, ["tools", "maxRounds", "onToolError", "onRound"]);
  if (!isPlainObject(options.tools) || Object.keys(options.tools).length === 0) {
    fail("runTools() needs tools: { name: { description, parameters, execute(args) { … } } }");
  }
  const maxRounds =
    options.maxRounds === undefined ? 10 : checkInt("runTools() maxRounds", options.maxRounds, 1, 1000);
  const onToolError = checkLiteral("runTools() onToolError", options.onToolError ?? "report", [
    "report",
    "throw",
  ] as const);
  if (options.onRound !== undefined && typeof options.onRound !== "function") {
    fail(`runTools() onRound must be a function, got ${describe(options.onRound)}`);
  }
  const handlers = new Map<string, PreparedHandler>();
  const definitions: Tool[] = [];
  for (const [name, value] of Object.entries(options.tools as Record<string, ToolHandler>)) {
    checkFunctionName("runTools() tool name", name);
    if (!isPlainObject(value) || typeof value.execute !== "function" || value.parameters === undefined) {
      fail(`runTools() tool ${JSON.stringify(name)} needs { description, parameters, execute(args) }`);
    }
    const schema = resolveSchema(`tool "${name}" parameters`, value.parameters);
    definitions.push(tool(name, value.description ?? "", value.parameters));
    handlers.set(name, { name, handler: value, validate: (v) => schema.validate(v) });
  }
  const chatFunctions = host.tools.flatMap((t) => (t.tool.case === "function" ? [t.tool.value.name] : []));
  for (const name of chatFunctions) {
    if (!handlers.has(name)) {
      fail(
        `the chat's tool ${JSON.stringify(name)} has no handler in runTools(); add one to tools, or remove it from the chat`,
      );
    }
  }
  const serverSide = host.tools.filter((t) => t.tool.case !== "function");
  return { handlers, tools: [...serverSide, ...definitions], maxRounds, onToolError };
}

/**
 * Settles with `work`, or rejects with {@link UserAbortError} as soon as `signal` aborts (the handlers got the
 * signal; one that ignores it keeps running in the background, and whatever it settles with is dropped).
 */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new UserAbortError(undefined, signal.reason));
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        if (signal.aborted) onAbort();
        else resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(signal.aborted ? new UserAbortError(undefined, signal.reason) : err);
      },
    );
  });
}

/**
 * Runs the tool loop on a chat (see `Chat.runTools`). A round (the response with tool calls and every result) is
 * appended only once all its results are in, so the chat never ends with unanswered calls.
 * @internal
 */
export async function runToolLoop<T extends Record<string, SchemaLike>>(
  host: ToolLoopHost,
  params: RunToolsOptions<T>,
  options: CallOptions | undefined,
): Promise<ToolRunResult> {
  const { handlers, tools, maxRounds, onToolError } = prepare(host, params);
  const rounds: ToolRound[] = [];
  const signal = options?.signal;
  const telemetry = host.telemetry;
  /** One sample and the calls it asked for; the final answer when it asked for none. */
  const round = async (): Promise<ToolRunResult | undefined> => {
    const response = await host.sampleWithTools(tools, options);
    const calls = response.toolCalls.filter((c) => isClientSideCall(c.proto));
    if (calls.length === 0) {
      host.appendAll(response);
      return { response, rounds };
    }
    if (rounds.length >= maxRounds) throw new ToolRoundsExceededError(rounds.length, response);
    const outcomes = await unlessAborted(
      Promise.all(calls.map((call) => tracedCall(telemetry, call, handlers, onToolError, signal))),
      signal,
    );
    host.appendAll(response);
    host.appendAll(outcomes.map((o) => toolResult(o.output, o.call.id)));
    const done = { response, calls: outcomes };
    rounds.push(done);
    params.onRound?.(done);
    return undefined;
  };
  const loop = async (): Promise<ToolRunResult> => {
    for (let n = 1; ; n++) {
      const result = telemetry
        ? await telemetry.span(`run_tools round ${n}`, { "xai.run_tools.round": n }, round)
        : await round();
      if (result) return result;
    }
  };
  if (!telemetry) return loop();
  return telemetry.span(
    `run_tools ${host.model}`,
    {
      "gen_ai.provider.name": PROVIDER,
      "gen_ai.request.model": host.model,
      "gen_ai.conversation.id": host.conversationId,
      "xai.run_tools.max_rounds": maxRounds,
    },
    async (span) => {
      try {
        return await loop();
      } finally {
        span.set({ "xai.run_tools.rounds": rounds.length });
      }
    },
  );
}
