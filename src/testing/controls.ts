// What tests use to steer the emulator: the call log, injected faults and the method-name resolution
// they share.
import type { DescMethod, DescService, Message } from "@bufbuild/protobuf";
import { Code } from "./types.js";

/** One method the emulator serves, with where it is served. */
export interface MethodEntry {
  /** `/xai_api.Chat/GetCompletion` */
  readonly path: string;
  readonly service: DescService;
  readonly method: DescMethod;
  /** Served on the management port (collections) rather than the API port. */
  readonly management: boolean;
}

/**
 * A call the emulator received, as recorded in `emulator.calls`.
 *
 * @example
 * ```ts
 * const last = emulator.calls.at(-1);
 * assert.equal(last?.method, "/xai_api.Chat/GetCompletion");
 * assert.equal(last?.headers.authorization, "Bearer xai-****0001");
 * ```
 */
export interface CallRecord {
  /** Full method path, e.g. `/xai_api.Chat/GetCompletion`. */
  readonly method: string;
  /** Which port received it (calls of the REST face count as "api"). */
  readonly port: "api" | "management";
  /**
   * Calls received by the REST face: the HTTP method and path, e.g. `POST /v1/chat/completions` (the call
   * is served, logged and faulted as the gRPC `method`). Absent for gRPC calls.
   */
  readonly route?: string;
  /** Request headers (lower-case names, first value each); `authorization` is masked (`Bearer xai-****abcd`). */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The W3C trace context the client sent (the `traceparent` header, e.g.
   * `00-<32 hex trace id>-<16 hex span id>-01`), undefined when it sent none: a test can check that its spans
   * reach the server.
   *
   * @example
   * ```ts
   * const [, traceId, parentSpanId] = emulator.calls.at(-1)?.traceparent?.split("-") ?? [];
   * ```
   */
  readonly traceparent: string | undefined;
  /** The decoded request; for client-streaming methods, the array of messages received so far. */
  readonly request: Message | Message[];
  /** When the call arrived (wall clock). */
  readonly receivedAt: Date;
  /** Final gRPC status code (0 = OK), or undefined while the call is running. */
  status: number | undefined;
  /** Final status details when the call failed. */
  details?: string;
  /**
   * Client streams only: messages received but not kept in `request`, because the messages kept already
   * add up to {@link MAX_LOGGED_STREAM_BYTES} (large uploads would otherwise stay in memory).
   */
  droppedMessages?: number;
  /**
   * The request body was not kept: the caller was not authenticated (nothing of an unauthenticated call is
   * decoded or kept), or the log's byte budget (`startEmulator({ maxLoggedBytes })`) dropped it to make room
   * for newer calls. `request` is then an empty message (or an empty array).
   */
  bodyDropped?: boolean;
}

/**
 * Bytes of messages (as received on the wire, plus {@link MESSAGE_OVERHEAD_BYTES} each) a client-stream
 * record keeps before it only counts further messages (16 MiB).
 *
 * @example
 * ```ts
 * const record = emulator.calls.at(-1);
 * if (record?.droppedMessages) console.log(`upload longer than ${MAX_LOGGED_STREAM_BYTES} bytes`);
 * ```
 */
export const MAX_LOGGED_STREAM_BYTES = 16 * 1024 * 1024;

/** What one logged message counts for on top of its wire bytes (a decoded message costs more than its bytes). */
export const MESSAGE_OVERHEAD_BYTES = 64;

/** What the call log counts for a received message of `wireBytes` bytes. */
export function loggedCost(wireBytes: number): number {
  return wireBytes + MESSAGE_OVERHEAD_BYTES;
}

interface HeldBody {
  record: CallRecord;
  bytes: number;
  drop: () => void;
}

/**
 * The emulator's log of received calls, oldest first, keeping at most `limit` records (the oldest are
 * dropped beyond it; 0 keeps none) and at most `maxBytes` of request bodies (the oldest bodies are dropped
 * beyond it, their records kept with `bodyDropped`).
 */
export class CallLog {
  readonly records: CallRecord[] = [];
  /** Records whose body is kept, oldest first, with what each counts for. */
  readonly #held = new Map<CallRecord, HeldBody>();
  #heldBytes = 0;
  readonly #logged = new Set<CallRecord>();
  constructor(
    readonly limit: number,
    readonly maxBytes: number = Number.POSITIVE_INFINITY,
  ) {}

  /** Logs a record (without a body to account for yet). */
  add(record: CallRecord): void {
    if (this.limit <= 0) return;
    this.records.push(record);
    this.#logged.add(record);
    if (this.records.length > this.limit) {
      for (const old of this.records.splice(0, this.records.length - this.limit)) {
        this.#logged.delete(old);
        this.#release(old);
      }
    }
  }

  /**
   * Accounts for the body a logged record now holds (`bytes`); `drop` empties it when the byte budget needs
   * room for newer bodies. A record no longer in the log (or a log that keeps none) drops it at once.
   */
  track(record: CallRecord, bytes: number, drop: () => void): void {
    if (this.limit <= 0 || this.#held.has(record) || !this.#logged.has(record)) {
      if (!this.#held.has(record)) drop();
      return;
    }
    this.#held.set(record, { record, bytes: 0, drop });
    this.grow(record, bytes);
  }

  /** Counts `bytes` more of a logged record's body (a client stream's next message). */
  grow(record: CallRecord, bytes: number): void {
    const held = this.#held.get(record);
    if (!held) return;
    held.bytes += bytes;
    this.#heldBytes += bytes;
    for (const oldest of this.#held.values()) {
      if (this.#heldBytes <= this.maxBytes) break;
      this.#release(oldest.record);
      oldest.drop();
    }
  }

  /** Whether the record's body is still kept. */
  holds(record: CallRecord): boolean {
    return this.#held.has(record);
  }

  #release(record: CallRecord): void {
    const held = this.#held.get(record);
    if (!held) return;
    this.#heldBytes -= held.bytes;
    this.#held.delete(record);
  }

  /** Bytes of request bodies kept (as counted by {@link loggedCost}). */
  get heldBytes(): number {
    return this.#heldBytes;
  }

  /** Empties every kept body (the records stay, with `bodyDropped`). */
  dropBodies(): void {
    for (const held of this.#held.values()) held.drop();
    this.#held.clear();
    this.#heldBytes = 0;
  }

  clear(): void {
    this.records.length = 0;
    this.#logged.clear();
    this.#held.clear();
    this.#heldBytes = 0;
  }
}

/**
 * How `faults.cutStream` ends a stream: with a status (default UNAVAILABLE), or by dropping it without one.
 *
 * @example
 * ```ts
 * const how: StreamCut = { code: Code.INTERNAL, details: "Stream broke." }; // or "drop", or "disconnect"
 * emulator.faults.cutStream("Chat/GetCompletionChunk", 3, how);
 * ```
 */
export type StreamCut =
  | { code?: number; details?: string }
  /** Resets the HTTP/2 stream (RST_STREAM) without a gRPC status; grpc-js clients report INTERNAL. */
  | "drop"
  /** Destroys the whole HTTP/2 connection; grpc-js clients report UNAVAILABLE and reconnect. */
  | "disconnect";

/** A pending stream cut, as resolved for one call. */
export type PendingCut =
  | { after: number; kind: "status"; code: number; details: string }
  | { after: number; kind: "drop" | "disconnect" };

interface PendingFailure {
  remaining: number;
  code: number;
  details: string;
}

const CODE_NAMES = new Map<number, string>(Object.entries(Code).map(([name, code]) => [code, name]));

/** `UNAVAILABLE` for 14, or the number as text. */
export function codeName(code: number): string {
  return CODE_NAMES.get(code) ?? String(code);
}

function checkCode(code: number, what: string): void {
  if (!Number.isInteger(code) || code < 1 || code > 16) {
    throw new RangeError(
      `${what}: the status code must be a gRPC error code from 1 to 16 (got ${code}); use Code.*.`,
    );
  }
}

function checkCount(value: number, what: string, name: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${what}: ${name} must be a whole number ≥ 0 (got ${value}).`);
  }
}

/**
 * Finds a method by `/package.Service/Method`, `package.Service/Method` or `Service/Method` (method name
 * as on the wire or its camelCase local name; case-insensitive).
 */
export class MethodIndex {
  readonly #byKey = new Map<string, MethodEntry | "ambiguous">();
  readonly entries: readonly MethodEntry[];

  constructor(entries: readonly MethodEntry[]) {
    this.entries = entries;
    for (const entry of entries) {
      const shortService = entry.service.name;
      const keys = new Set<string>();
      for (const name of [entry.method.name, entry.method.localName]) {
        keys.add(`${entry.service.typeName}/${name}`.toLowerCase());
        keys.add(`${shortService}/${name}`.toLowerCase());
      }
      for (const key of keys) {
        const existing = this.#byKey.get(key);
        this.#byKey.set(key, existing && existing !== entry ? "ambiguous" : entry);
      }
    }
  }

  resolve(method: string, what: string): MethodEntry {
    const key = method
      .trim()
      .replace(/^\//, "")
      .replace(/\.(?=[^./]+$)/, "/")
      .toLowerCase();
    const found = this.#byKey.get(key);
    if (found === "ambiguous") {
      throw new Error(
        `${what}: "${method}" names methods of several services; write it as "/package.Service/Method".`,
      );
    }
    if (!found) {
      throw new Error(
        `${what}: the emulator serves no method "${method}"; write it as "/xai_api.Chat/GetCompletion" or "Chat/GetCompletion".`,
      );
    }
    return found;
  }
}

/**
 * Faults injected by tests: failures of the next N calls, added latency, streams cut after K messages.
 * Each applies to calls that start after it is set; `emulator.reset()` clears them all.
 *
 * @example
 * ```ts
 * emulator.faults.failNext("Chat/GetCompletion", 2, Code.UNAVAILABLE); // the next two calls fail
 * emulator.faults.latency(200, "Models/ListLanguageModels");
 * emulator.faults.cutStream("Chat/GetCompletionChunk", 5, "drop");
 * ```
 */
export class Faults {
  readonly #methods: MethodIndex;
  readonly #failures = new Map<string, PendingFailure[]>();
  readonly #latency = new Map<string, number>();
  #globalLatencyMs = 0;
  readonly #cuts = new Map<string, PendingCut[]>();

  /** @internal */
  constructor(methods: MethodIndex) {
    this.#methods = methods;
  }

  /**
   * Fails the next `count` calls of `method` with status `code` (after authentication), e.g. to exercise
   * retries. Successive calls queue up.
   */
  failNext(method: string, count: number, code: number, details?: string): void {
    const what = "faults.failNext";
    const entry = this.#methods.resolve(method, what);
    checkCount(count, what, "count");
    checkCode(code, what);
    if (count === 0) return;
    const text =
      details ?? `Injected by the emulator (faults.failNext): ${codeName(code)} for ${entry.path}.`;
    const queue = this.#failures.get(entry.path) ?? [];
    queue.push({ remaining: count, code, details: text });
    this.#failures.set(entry.path, queue);
  }

  /**
   * Delays every call of `method` (or of every method without one) by `ms` before it is answered;
   * a method's own latency replaces the global one. `latency(0)` removes it.
   */
  latency(ms: number, method?: string): void {
    const what = "faults.latency";
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`${what}: ms must be a number ≥ 0 (got ${ms}).`);
    if (method === undefined) {
      this.#globalLatencyMs = ms;
      return;
    }
    const entry = this.#methods.resolve(method, what);
    if (ms === 0) this.#latency.delete(entry.path);
    else this.#latency.set(entry.path, ms);
  }

  /**
   * Cuts the next stream of `method` after `afterMessages` messages (sent, for server streams; received, for
   * client streams): with a status (default UNAVAILABLE), `"drop"` (the HTTP/2 stream is reset without a
   * status) or `"disconnect"` (the whole connection is destroyed). Successive calls queue up, one per stream;
   * a stream shorter than `afterMessages` ends normally and uses its cut up.
   */
  cutStream(method: string, afterMessages: number, how: StreamCut = {}): void {
    const what = "faults.cutStream";
    const entry = this.#methods.resolve(method, what);
    if (entry.method.methodKind === "unary") {
      throw new Error(`${what}: ${entry.path} is unary; use faults.failNext to make it fail.`);
    }
    checkCount(afterMessages, what, "afterMessages");
    let cut: PendingCut;
    if (how === "drop" || how === "disconnect") {
      cut = { after: afterMessages, kind: how };
    } else {
      const code = how.code ?? Code.UNAVAILABLE;
      checkCode(code, what);
      const details =
        how.details ?? `The emulator cut this stream after ${afterMessages} message(s) (faults.cutStream).`;
      cut = { after: afterMessages, kind: "status", code, details };
    }
    const queue = this.#cuts.get(entry.path) ?? [];
    queue.push(cut);
    this.#cuts.set(entry.path, queue);
  }

  /** Removes every pending fault. */
  clear(): void {
    this.#failures.clear();
    this.#latency.clear();
    this.#globalLatencyMs = 0;
    this.#cuts.clear();
  }

  /** @internal The failure the next call of `path` must end with, if any (consumes it). */
  takeFailure(path: string): { code: number; details: string } | undefined {
    const queue = this.#failures.get(path);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining--;
    if (head.remaining <= 0) queue.shift();
    if (queue.length === 0) this.#failures.delete(path);
    return { code: head.code, details: head.details };
  }

  /** @internal Milliseconds to wait before serving a call of `path`. */
  latencyFor(path: string): number {
    return this.#latency.get(path) ?? this.#globalLatencyMs;
  }

  /** @internal The cut for the stream starting now on `path`, if any (consumes it). */
  takeCut(path: string): PendingCut | undefined {
    const queue = this.#cuts.get(path);
    const cut = queue?.shift();
    if (queue && queue.length === 0) this.#cuts.delete(path);
    return cut;
  }
}
