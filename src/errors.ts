// The errors of the service layer, besides the status errors of the transport (src/transport/errors.ts): what a
// wait, a download, a moderation check, a video job, a document's indexing, a structured answer, a deferred
// completion or a tool loop can fail with. Each is an XaiError with a gRPC status code.
import type { ChatResponse } from "./chat/response.js";
import { formatIssues, type SchemaIssue } from "./chat/schema.js";
import type { CollectionDocument } from "./collections/documents.js";
import { DeadlineExceededError, XaiError } from "./transport/errors.js";
import { Status } from "./transport/status.js";

const STATUS_BY_NAME = new Map<string, number>(Object.entries(Status));

/**
 * A wait for a deferred job (chat, video, batch, document indexing) ran out of time. `what` names the job.
 * The job itself may still finish on the server.
 *
 * @example
 * ```ts
 * try {
 *   await client.video.generate(request, { timeout: 60_000 });
 * } catch (err) {
 *   if (err instanceof PollTimeoutError) console.log(`${err.what} is still running`);
 * }
 * ```
 */
export class PollTimeoutError extends DeadlineExceededError {
  /** What was awaited, e.g. `deferred completion 1234`. */
  readonly what: string;
  /** How long the wait lasted, in milliseconds. */
  readonly elapsedMs: number;
  constructor(what: string, elapsedMs: number, timeoutMs: number) {
    super({
      code: Status.DEADLINE_EXCEEDED,
      details: `gave up waiting for ${what} after ${elapsedMs} ms (timeout ${timeoutMs} ms); raise \`timeout\` or poll again later`,
    });
    this.what = what;
    this.elapsedMs = elapsedMs;
  }
}

/**
 * Fetching generated media over HTTP failed: a non-2xx answer (`httpStatus` set), a network failure or the
 * timeout (code DEADLINE_EXCEEDED). `url` is the address that was fetched.
 *
 * @example
 * ```ts
 * try {
 *   await image.save("cat.png");
 * } catch (err) {
 *   if (err instanceof DownloadError && err.httpStatus === 404) console.error("the URL expired; generate again");
 * }
 * ```
 */
export class DownloadError extends XaiError {
  /** The URL that was fetched. */
  readonly url: string;
  /** The HTTP status of the answer, or undefined when no answer arrived. */
  readonly httpStatus: number | undefined;
  constructor(url: string, code: number, details: string, httpStatus?: number, cause?: unknown) {
    super({ code, details, cause });
    this.url = url;
    this.httpStatus = httpStatus;
  }
}

/**
 * The server withheld a generated image or video because it did not pass moderation, so there is nothing
 * to download (code FAILED_PRECONDITION).
 *
 * @example
 * ```ts
 * try {
 *   await image.save("out.png");
 * } catch (err) {
 *   if (err instanceof ContentModeratedError) console.error("rephrase the prompt");
 * }
 * ```
 */
export class ContentModeratedError extends XaiError {
  constructor(what: string) {
    super({
      code: Status.FAILED_PRECONDITION,
      details: `${what} did not pass moderation, so no content was returned; change the prompt or inputs`,
    });
  }
}

/**
 * Details of a {@link VideoGenerationError} besides the server's code and message.
 *
 * @example
 * ```ts
 * new VideoGenerationError("content_policy", "blocked", { requestId: "req-1", operation: "video extension" });
 * ```
 */
export interface VideoGenerationErrorContext {
  /** The deferred request id, when known. */
  requestId?: string | undefined;
  /** What failed, for the message; default `video generation`. */
  operation?: string;
  /** The gRPC status to report; default: the status named by the server's code, else UNKNOWN. */
  code?: number;
}

/**
 * A video generation or extension did not produce a video: the server reported it FAILED (`serverCode` and
 * `serverMessage` are what it said), or reported it done without a video. `code` is the gRPC status
 * matching `serverCode` when it names one, else UNKNOWN. (A video withheld by moderation is a
 * `ContentModeratedError`, raised when its URL is read.)
 *
 * @example
 * ```ts
 * try {
 *   await client.video.generate({ prompt, model: "grok-imagine-video" });
 * } catch (err) {
 *   if (err instanceof VideoGenerationError) console.error(err.serverCode, err.serverMessage);
 * }
 * ```
 */
export class VideoGenerationError extends XaiError {
  /** The error code reported by the server (a string such as `"INVALID_ARGUMENT"` or `"content_policy"`). */
  readonly serverCode: string;
  /** The server's explanation. */
  readonly serverMessage: string;
  /** The deferred request id, when known. */
  readonly requestId: string | undefined;
  constructor(serverCode: string, serverMessage: string, context: VideoGenerationErrorContext = {}) {
    const code = context.code ?? STATUS_BY_NAME.get(serverCode.toUpperCase()) ?? Status.UNKNOWN;
    const where = context.requestId ? ` (request ${context.requestId})` : "";
    super({
      code,
      details: `${context.operation ?? "video generation"} failed${where} [${serverCode}]: ${serverMessage}`,
    });
    this.serverCode = serverCode;
    this.serverMessage = serverMessage;
    this.requestId = context.requestId;
  }
}

/**
 * The deferred video request expired on the server before its result was fetched (code DEADLINE_EXCEEDED,
 * `serverCode` `"EXPIRED"`); start a new one.
 *
 * @example
 * ```ts
 * if (err instanceof VideoExpiredError) await client.video.generate(options);
 * ```
 */
export class VideoExpiredError extends VideoGenerationError {
  constructor(requestId: string, operation = "video generation") {
    super("EXPIRED", "the request expired on the server before it finished; start a new one", {
      requestId,
      operation,
      code: Status.DEADLINE_EXCEEDED,
    });
  }
}

/**
 * Indexing of a document failed on the server (code FAILED_PRECONDITION); `serverMessage` says why.
 * The document stays in the collection: fix the file and `reindexDocument`, or remove it.
 *
 * @example
 * ```ts
 * try {
 *   await client.collections.uploadDocument(col.id, "scan.pdf", { waitForIndexing: true });
 * } catch (err) {
 *   if (err instanceof DocumentIndexingError) console.error(err.fileId, err.serverMessage);
 * }
 * ```
 */
export class DocumentIndexingError extends XaiError {
  /** The collection. */
  readonly collectionId: string;
  /** The document's file id. */
  readonly fileId: string;
  /** The server's explanation. */
  readonly serverMessage: string;
  /** The document as last reported. */
  readonly document: CollectionDocument;
  constructor(collectionId: string, document: CollectionDocument) {
    const reason = document.errorMessage || "no reason given";
    super({
      code: Status.FAILED_PRECONDITION,
      details: `indexing document ${document.fileId} of collection ${collectionId} failed: ${reason}`,
    });
    this.collectionId = collectionId;
    this.fileId = document.fileId;
    this.serverMessage = reason;
    this.document = document;
  }
}

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
  readonly response: ChatResponse;
  constructor(response: ChatResponse, issues: SchemaIssue[], details?: string) {
    super({
      code: Status.UNKNOWN,
      details: details ?? `the model's answer does not match the schema: ${formatIssues(issues)}`,
    });
    this.content = response.content;
    this.issues = issues;
    this.response = response;
  }
}

/**
 * `parse()` or `streamParse().parsed()` got an answer that is not complete, so it was not validated: the
 * completion has no output, or its answer ended without a finish reason (`response.complete === false`,
 * `response.finishReason === "incomplete"`: the server or the connection cut it short, though the call ended
 * with status OK). A {@link StructuredOutputError}, so a handler of parse failures catches it too; `content` is
 * the fragment received. Retrying the call is the remedy.
 *
 * @example
 * ```ts
 * try {
 *   const [, recipe] = await chat.parse(Recipe);
 * } catch (err) {
 *   if (err instanceof IncompleteResponseError) console.error(`cut short after ${err.content.length} characters`);
 * }
 * ```
 */
export class IncompleteResponseError extends StructuredOutputError {
  constructor(response: ChatResponse) {
    const message =
      response.proto.outputs.length === 0
        ? "the response has no output (the server sent a completion without an answer), so there is nothing to validate; retry the call"
        : `the answer is incomplete: it ended without a finish reason (finishReason "incomplete", ${response.content.length} characters received), ` +
          "so the server or the connection cut it short and it was not validated; retry the call";
    super(response, [{ message, path: [] }], message);
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
  readonly response: ChatResponse;
  constructor(rounds: number, response: ChatResponse) {
    super({
      code: Status.OUT_OF_RANGE,
      details: `the model still calls tools after ${rounds} rounds; raise maxRounds or answer the calls yourself`,
    });
    this.rounds = rounds;
    this.response = response;
  }
}
