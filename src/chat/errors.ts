// Errors specific to chat: a structured answer that does not match its schema, a deferred completion that failed
// or expired, and a tool loop that ran out of rounds.
import { XaiError } from "../transport/errors.js";
import { Status } from "../transport/status.js";
import type { Response } from "./response.js";
import { formatIssues, type SchemaIssue } from "./schema.js";

/**
 * The model's answer to `parse()` is not valid JSON or does not match the schema. `content` is the raw answer,
 * `issues` what is wrong, `response` the whole completion.
 *
 * @example
 * ```ts
 * try {
 *   const [, weather] = await chat.parse(Weather);
 * } catch (err) {
 *   if (err instanceof StructuredOutputError) console.error(err.content, err.issues);
 * }
 * ```
 */
export class StructuredOutputError extends XaiError {
  /** The raw text of the answer. */
  readonly content: string;
  /** Why it does not match (a single issue with an empty path when it is not JSON at all). */
  readonly issues: SchemaIssue[];
  /** The completion that carried the answer. */
  readonly response: Response;
  constructor(response: Response, issues: SchemaIssue[]) {
    super({
      code: Status.UNKNOWN,
      details: `the model's answer does not match the schema: ${formatIssues(issues)}`,
    });
    this.content = response.content;
    this.issues = issues;
    this.response = response;
  }
}

/**
 * A deferred completion ended without a result: the server reported it `"failed"`, or it `"expired"` before it
 * was fetched. (The Python SDK raises a generic error for both.)
 *
 * @example
 * ```ts
 * try { await chat.defer(); } catch (err) { if (err instanceof DeferredCompletionError) console.error(err.status, err.requestId); }
 * ```
 */
export class DeferredCompletionError extends XaiError {
  /** The deferred request's id. */
  readonly requestId: string;
  /** How it ended. */
  readonly status: "failed" | "expired";
  constructor(requestId: string, status: "failed" | "expired") {
    super({
      code: status === "expired" ? Status.DEADLINE_EXCEEDED : Status.UNKNOWN,
      details:
        status === "expired"
          ? `deferred completion ${requestId} expired before its result was fetched; start it again`
          : `deferred completion ${requestId} failed on the server`,
      method: "/xai_api.Chat/GetDeferredCompletion",
    });
    this.requestId = requestId;
    this.status = status;
  }
}

/**
 * `runTools()` used all its rounds and the model still asks for tools. `response` is the last completion, its tool
 * calls unanswered: it is not appended to the chat (which holds the completed rounds); raise `maxRounds`, or append
 * it with a `toolResult()` for each of its calls.
 *
 * @example
 * ```ts
 * try { await chat.runTools({ tools, maxRounds: 3 }); } catch (err) { if (err instanceof ToolRoundsExceededError) console.log(err.rounds); }
 * ```
 */
export class ToolRoundsExceededError extends XaiError {
  /** How many rounds of tool calls were run. */
  readonly rounds: number;
  /** The last completion, still asking for tools. */
  readonly response: Response;
  constructor(rounds: number, response: Response) {
    super({
      code: Status.OUT_OF_RANGE,
      details: `the model still calls tools after ${rounds} rounds; raise maxRounds or answer the calls yourself`,
    });
    this.rounds = rounds;
    this.response = response;
  }
}
