// Replay: services that answer every method of the API from a cassette, served by the emulator (so that its
// authentication, call log and faults still apply). A request takes the first unused recorded call that
// matches it; once every match was used, the last one answers again (a poll repeated more than recorded).
import { clone, type DescMessage, type JsonValue, type Message } from "@bufbuild/protobuf";
import { Metadata } from "@grpc/grpc-js";
import type { ServiceFactory } from "../services/index.js";
import { sleep } from "../sleep.js";
import {
  Code,
  type EmulatorContext,
  EmulatorError,
  type HandlerContext,
  type ServiceRegistration,
} from "../types.js";
import { type CassetteCall, type CassetteFile, decodeResponse, messageToJson } from "./format.js";
import {
  type CassetteMatchOptions,
  describeDifferences,
  differences,
  ignoredFields,
  recordedBody,
  sameJson,
  withoutFields,
} from "./match.js";
import { type ApiMethod, apiMethods, apiServices, isManagementService } from "./methods.js";
import { Scrubber } from "./scrub.js";

/**
 * How a cassette is replayed.
 *
 * @example
 * ```ts
 * const options: ReplayOptions = { timing: "original", match: { ignoreFields: ["user"] } };
 * ```
 */
export interface ReplayOptions {
  /** How requests find their recorded call (method, then body). */
  match?: CassetteMatchOptions;
  /** `"fast"` (default): every answer at once; `"original"`: messages and status at their recorded delays. */
  timing?: "fast" | "original";
  /**
   * The recording's `scrub.values`: the file does not hold them (that is the point), so replay must be given
   * them again to scrub incoming requests as the recording did; without them a request holding such a value
   * matches no recorded call. (Scrubbed fields are in the file and need no repeating.)
   */
  scrub?: { values?: readonly string[] };
}

/** A recorded error, replayed with its trailing metadata (the emulator's server sends `trailers`). */
class ReplayedError extends EmulatorError {
  readonly trailers: Metadata | undefined;

  constructor(code: number, details: string, trailers: Record<string, string> | undefined) {
    super(code, details);
    this.trailers = trailers ? metadataOf(trailers) : undefined;
  }
}

function metadataOf(headers: Record<string, string>): Metadata {
  const metadata = new Metadata();
  for (const [name, value] of Object.entries(headers)) {
    if (name.endsWith("-bin")) metadata.add(name, Buffer.from(value, "base64"));
    else metadata.add(name, value);
  }
  return metadata;
}

/**
 * Answers calls from a cassette. `services()` gives the emulator's factories; `emulator.reset()` starts the
 * cassette over.
 *
 * @example
 * ```ts
 * const replayer = new CassetteReplayer(readCassette(path), path, { timing: "fast" });
 * const emulator = await startEmulator({ services: replayer.services() });
 * ```
 */
export class CassetteReplayer {
  /** The error text of every request that matched no recorded call, oldest first. */
  readonly unmatched: string[] = [];
  readonly #cassette: CassetteFile;
  readonly #name: string;
  readonly #options: ReplayOptions;
  readonly #scrubber: Scrubber;
  #used: boolean[];
  #context: EmulatorContext | undefined;

  constructor(cassette: CassetteFile, name: string, options: ReplayOptions = {}) {
    this.#cassette = cassette;
    this.#name = name;
    this.#options = options;
    this.#scrubber = new Scrubber({ fields: cassette.scrubbed.fields, secrets: options.scrub?.values });
    this.#used = cassette.calls.map(() => false);
  }

  /** How many recorded calls were replayed at least once. */
  get replayed(): number {
    return this.#used.filter(Boolean).length;
  }

  /** One factory per service of the API, each answering all its methods from the cassette. */
  services(): ServiceFactory[] {
    return apiServices().map((service) => (ctx: EmulatorContext): ServiceRegistration => {
      if (ctx !== this.#context) {
        this.#context = ctx;
        this.#used = this.#cassette.calls.map(() => false);
      }
      const impl: ServiceRegistration["impl"] = {};
      for (const method of service.methods) {
        const entry = apiMethods().get(`/${service.typeName}/${method.name}`);
        if (entry) impl[method.localName] = this.#handler(entry) as (...args: never[]) => unknown;
      }
      return { service, impl, management: isManagementService(service) };
    });
  }

  #handler(entry: ApiMethod): (...args: never[]) => unknown {
    switch (entry.method.methodKind) {
      case "server_streaming":
        return (request: Message, ctx: HandlerContext) =>
          this.#stream(entry, this.#take(entry, this.#body(entry.input, request)), ctx);
      case "client_streaming":
        return async (requests: AsyncIterable<Message>, ctx: HandlerContext) => {
          const bodies: JsonValue[] = [];
          for await (const request of requests) bodies.push(this.#body(entry.input, request));
          return this.#single(entry, this.#take(entry, bodies), ctx);
        };
      default:
        return (request: Message, ctx: HandlerContext) =>
          this.#single(entry, this.#take(entry, this.#body(entry.input, request)), ctx);
    }
  }

  /** A received request as the cassette holds requests: proto JSON with the recorded scrubbing. */
  #body(schema: DescMessage, request: Message): JsonValue {
    const copy = clone(schema, request);
    this.#scrubber.message(schema, copy);
    return messageToJson(schema, copy) ?? {};
  }

  async #single(entry: ApiMethod, call: CassetteCall, ctx: HandlerContext): Promise<Message> {
    const started = Date.now();
    const first = call.responses[0];
    if (call.status.code !== 0 || !first) {
      await this.#wait(started, call.status.afterMs, ctx);
      throw new ReplayedError(
        call.status.code === 0 ? Code.INTERNAL : call.status.code,
        call.status.details,
        call.trailers,
      );
    }
    await this.#wait(started, Math.max(first.afterMs, call.status.afterMs), ctx);
    return decodeResponse(entry.output, first);
  }

  async *#stream(entry: ApiMethod, call: CassetteCall, ctx: HandlerContext): AsyncGenerator<Message> {
    const started = Date.now();
    for (const response of call.responses) {
      await this.#wait(started, response.afterMs, ctx);
      yield decodeResponse(entry.output, response);
    }
    await this.#wait(started, call.status.afterMs, ctx);
    if (call.status.code !== 0) throw new ReplayedError(call.status.code, call.status.details, call.trailers);
  }

  #wait(started: number, afterMs: number, ctx: HandlerContext): Promise<void> {
    if (this.#options.timing !== "original") return Promise.resolve();
    return sleep(started + afterMs - Date.now(), ctx.signal);
  }

  /** The recorded call that answers this request; throws the unmatched-request error when none does. */
  #take(entry: ApiMethod, received: JsonValue): CassetteCall {
    const ignore = ignoredFields(entry.path, this.#options.match);
    const custom = this.#options.match?.custom;
    const body = withoutFields(received, ignore);
    const calls = this.#cassette.calls;
    let lastMatch = -1;
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i] as CassetteCall;
      if (call.method !== entry.path) continue;
      const recorded = withoutFields(recordedBody(call), ignore);
      const matches = custom ? custom(body, recorded, call) : sameJson(recorded, body);
      if (!matches) continue;
      if (!this.#used[i]) {
        this.#used[i] = true;
        return call;
      }
      lastMatch = i;
    }
    if (lastMatch >= 0) return calls[lastMatch] as CassetteCall;
    const message = this.#unmatchedMessage(entry, body, ignore);
    this.unmatched.push(message);
    throw new EmulatorError(Code.FAILED_PRECONDITION, message);
  }

  #unmatchedMessage(entry: ApiMethod, body: JsonValue, ignore: readonly string[]): string {
    const calls = this.#cassette.calls;
    const same = calls.map((call, i) => ({ call, i })).filter(({ call }) => call.method === entry.path);
    const head = `The cassette ${this.#name} has no recorded call matching this ${entry.path} request.`;
    if (same.length === 0) {
      const held = [...new Set(calls.map((call) => call.method))];
      return `${head} It holds no call of that method (it holds ${held.length === 0 ? "no calls" : held.join(", ")}). Re-record the cassette with this call (mode "record", or delete the file and use "auto").`;
    }
    let best = { i: -1, diffs: differences(undefined, body) };
    let bestCount = Number.POSITIVE_INFINITY;
    for (const { call, i } of same) {
      const diffs = differences(withoutFields(recordedBody(call), ignore), body, 1000);
      if (diffs.length < bestCount) {
        bestCount = diffs.length;
        best = { i, diffs };
      }
    }
    const fields =
      best.diffs.length === 0
        ? "nothing (the match.custom function refused it)"
        : describeDifferences(best.diffs.slice(0, 8));
    const more = best.diffs.length > 8 ? ` and ${best.diffs.length - 8} more` : "";
    return `${head} The closest is call #${best.i + 1} of ${entry.path}, which differs in: ${fields}${more}. Re-record the cassette, or leave such fields out of the comparison with match.ignoreFields.`;
  }
}
