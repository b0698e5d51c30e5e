// withCassette(): record real calls to a cassette file, or replay them from the emulator.
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import {
  type Emulator,
  type EmulatorClientOptions,
  type EmulatorOptions,
  startEmulator,
} from "../emulator.js";
import { DEFAULT_API_KEY, DEFAULT_MANAGEMENT_API_KEY } from "../keys.js";
import type { ServiceFactory } from "../services/index.js";
import { type CassetteCall, type CassetteFile, readCassette } from "./format.js";
import type { CassetteMatchOptions } from "./match.js";
import { CassetteRecorder, type CassetteUpstream, type ResolvedUpstream } from "./record.js";
import { CassetteReplayer, type ReplayOptions } from "./replay.js";
import { Scrubber } from "./scrub.js";

export type { CassetteCall, CassetteFile, CassetteMessage } from "./format.js";
export { readCassette } from "./format.js";
export { type CassetteMatchOptions, DEFAULT_IGNORE_BY_METHOD } from "./match.js";
export type { CassetteUpstream } from "./record.js";
export type { ReplayOptions } from "./replay.js";

/**
 * Options of {@link withCassette}.
 *
 * @example
 * ```ts
 * const options: CassetteOptions = { mode: "auto", scrub: { fields: ["user"] }, match: { ignoreFields: ["user"] } };
 * ```
 */
export interface CassetteOptions {
  /**
   * `"replay"` (default): serve the cassette from an emulator, never touching the network; `"record"`: pass
   * every call through to the upstream and (over)write the cassette; `"auto"`: replay when the file exists,
   * record otherwise.
   */
  mode?: "record" | "replay" | "auto";
  /** Recording only: the host that answers (default: xAI's, with `XAI_API_KEY`). */
  upstream?: CassetteUpstream;
  /**
   * What to scrub besides the API keys (always replaced by `[scrubbed]` wherever they appear) and the
   * `authorization` header. `fields` are field names (proto or JSON spelling) at any depth; `headers` are
   * metadata names; `values` are strings scrubbed wherever they appear. The file records `fields` and
   * `headers`, never `values`: give the same `values` on replay too (pass the same options in both modes),
   * or a request holding one matches no recorded call.
   */
  scrub?: { fields?: readonly string[]; headers?: readonly string[]; values?: readonly string[] };
  /** Replay only: how requests find their recorded call. */
  match?: CassetteMatchOptions;
  /** Replay only: `"fast"` (default) or `"original"` (the recorded delays). */
  timing?: "fast" | "original";
  /** The replaying emulator's options (ports, keys); its keys are also the ones a recording client sends. */
  emulator?: Omit<EmulatorOptions, "services">;
}

/**
 * A cassette in use: what a client needs, and the end of the session.
 *
 * @example
 * ```ts
 * await using cassette = await withCassette("test/cassettes/hello.json", { mode: "auto" });
 * const client = new Client(cassette.clientOptions());
 * ```
 */
export interface Cassette {
  /** The cassette file. */
  readonly path: string;
  /** What this session does (`"auto"` resolved). */
  readonly mode: "record" | "replay";
  /** Options for `new Client(...)`: the same keys in both modes, the recorder's or the emulator's hosts. */
  clientOptions(): EmulatorClientOptions;
  /** Replay: the emulator serving the cassette (call log, faults); record: undefined. */
  readonly emulator: Emulator | undefined;
  /** Record: the calls recorded so far; replay: the cassette's calls. */
  readonly calls: readonly CassetteCall[];
  /** Replay: the error text of every request no recorded call matched. */
  readonly unmatched: readonly string[];
  /** Record: writes the cassette and frees the port; replay: stops the emulator. Safe to call twice. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Emulator services that answer every method of the API from a cassette, for `startEmulator({ services })`
 * (this is what replay mode and `xai emulator --cassette` run).
 *
 * @example
 * ```ts
 * import { cassetteServices, readCassette, startEmulator } from "xai-grpc/testing";
 *
 * const replay = cassetteServices(readCassette("test/cassettes/hello.json"), { timing: "original" });
 * const emulator = await startEmulator({ services: replay.services });
 * ```
 */
export function cassetteServices(
  cassette: CassetteFile,
  options: ReplayOptions & { name?: string } = {},
): { services: ServiceFactory[]; unmatched: readonly string[] } {
  const replayer = new CassetteReplayer(cassette, options.name ?? "in use", options);
  return { services: replayer.services(), unmatched: replayer.unmatched };
}

function resolveUpstream(upstream: CassetteUpstream, path: string): ResolvedUpstream {
  const env = process.env;
  const apiKey = upstream.apiKey ?? env.XAI_API_KEY;
  if (apiKey === undefined || apiKey === "") {
    throw new Error(
      `withCassette: recording ${path} needs the upstream's API key: pass upstream.apiKey or set XAI_API_KEY (or replay an existing cassette).`,
    );
  }
  return {
    apiHost: upstream.apiHost ?? env.XAI_API_HOST ?? "api.x.ai",
    managementApiHost: upstream.managementApiHost ?? env.XAI_MANAGEMENT_API_HOST ?? "management-api.x.ai",
    apiKey,
    managementApiKey: upstream.managementApiKey ?? env.XAI_MANAGEMENT_KEY,
    insecure: upstream.insecure,
  };
}

const MODES = ["record", "replay", "auto"];

/**
 * Records real calls to a cassette file, or replays them: in `"record"` mode the client talks to a local
 * proxy that forwards every call to xAI (or `upstream`) and writes it, scrubbed, to `path`; in `"replay"`
 * mode an emulator answers from the file (no network, no key); `"auto"` replays when the file exists.
 * Requests match a recorded call by method and proto JSON body; an unmatched request fails with
 * FAILED_PRECONDITION, naming the closest recorded call and the fields that differ.
 *
 * @example
 * ```ts
 * import { Client, user } from "xai-grpc";
 * import { withCassette } from "xai-grpc/testing";
 *
 * await using cassette = await withCassette("test/cassettes/hello.json", { mode: "auto" });
 * await using client = new Client(cassette.clientOptions());
 * const answer = await client.chat.create({ model: "grok-4", messages: [user("Hello")] }).sample();
 * ```
 */
export async function withCassette(path: string, options: CassetteOptions = {}): Promise<Cassette> {
  if (typeof path !== "string" || path === "") throw new TypeError("withCassette: path must be a file path.");
  const requested = options.mode ?? "replay";
  if (!MODES.includes(requested)) {
    throw new TypeError(
      `withCassette: mode must be "record", "replay" or "auto"; got ${JSON.stringify(requested)}.`,
    );
  }
  const mode = requested === "auto" ? (existsSync(path) ? "replay" : "record") : requested;
  const keys = {
    apiKey: options.emulator?.apiKey ?? DEFAULT_API_KEY,
    managementApiKey: options.emulator?.managementApiKey ?? DEFAULT_MANAGEMENT_API_KEY,
  };
  if (mode === "replay") {
    const cassette = readCassette(path);
    const replayer = new CassetteReplayer(cassette, path, options);
    const emulator = await startEmulator({ ...options.emulator, services: replayer.services() });
    const calls = cassette.calls;
    return {
      path,
      mode,
      emulator,
      calls,
      unmatched: replayer.unmatched,
      clientOptions: () => emulator.clientOptions(),
      stop: () => emulator.stop(),
      [Symbol.asyncDispose]: () => emulator.stop(),
    };
  }
  const upstream = resolveUpstream(options.upstream ?? {}, path);
  const scrubber = new Scrubber({
    fields: options.scrub?.fields,
    headers: options.scrub?.headers,
    secrets: options.scrub?.values,
  });
  mkdirSync(dirname(path), { recursive: true });
  const recorder = new CassetteRecorder(path, upstream, scrubber, keys);
  const host = await recorder.start();
  return {
    path,
    mode,
    emulator: undefined,
    get calls() {
      return recorder.calls;
    },
    unmatched: [],
    clientOptions: () => ({ ...keys, apiHost: host, managementApiHost: host }),
    stop: () => recorder.stop(),
    [Symbol.asyncDispose]: () => recorder.stop(),
  };
}
