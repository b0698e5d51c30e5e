// startEmulator(): the API and management gRPC servers and the HTTP endpoint on loopback, the service
// registrations, and the controls tests use (call log, faults, scripted replies, reset, stop).
import { inspect } from "node:util";
import type { DescMethod } from "@bufbuild/protobuf";
import { Server, ServerCredentials } from "@grpc/grpc-js";
import { EMULATOR_CATALOG } from "./catalog.js";
import { stopMatcher } from "./chat/bounded-regex.js";
import { clearSchemaCache } from "./chat/json-schema.js";
import { EmulatorState } from "./context.js";
import { CallLog, type CallRecord, Faults, type MethodEntry, MethodIndex } from "./controls.js";
import { DEFAULT_HANDSHAKE_TIMEOUT_MS, enforceHandshakeTimeout } from "./handshake.js";
import { type BlobServer, startBlobServer } from "./http.js";
import { DEFAULT_API_KEY, DEFAULT_MANAGEMENT_API_KEY } from "./keys.js";
import { restHandler } from "./rest/router.js";
import { type ServerRuntime, StopReason, serviceHandlers } from "./server.js";
import { serviceDefinition } from "./service-definition.js";
import { SERVICE_FACTORIES, type ServiceFactory } from "./services/index.js";
import { warnIfTracingHeaders } from "./trace-warning.js";
import type { ScriptedChatReply, ServiceRegistration } from "./types.js";

/**
 * Options of {@link startEmulator}. Every field is optional.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ port: 50051, deferredPolls: 0 });
 * ```
 */
export interface EmulatorOptions {
  /** API port on loopback; 0 (default) picks a free one. */
  port?: number;
  /** Management API port (collections); 0 (default) picks a free one. */
  managementPort?: number;
  /** Address to listen on; default `127.0.0.1`. */
  host?: string;
  /** The API key the emulator accepts; default `xai-emulator-api-key-0001`. */
  apiKey?: string;
  /** The management key the emulator accepts; default `xai-emulator-management-key-0002`. */
  managementApiKey?: string;
  /** How many polls a deferred chat or video stays PENDING before DONE; default 2. */
  deferredPolls?: number;
  /** Milliseconds a document stays PROCESSING and a batch request pending; default 50. */
  processingDelayMs?: number;
  /**
   * How many calls `emulator.calls` keeps (the oldest are dropped beyond it); default 10000. 0 keeps none,
   * for long benchmarks where the log would only grow memory.
   */
  maxLoggedCalls?: number;
  /**
   * How many bytes of request bodies `emulator.calls` keeps (wire bytes plus a small overhead per message);
   * default 64 MiB. Beyond it the oldest bodies are dropped (their records stay, with `bodyDropped: true`).
   */
  maxLoggedBytes?: number;
  /**
   * Extra service factories: each replaces the built-in service of the same name, or adds a service.
   * Lets a test serve its own behaviour through the emulator's authentication, call log and faults;
   * methods the replacement leaves out answer UNIMPLEMENTED.
   *
   * @example
   * ```ts
   * const emulator = await startEmulator({
   *   services: [(ctx) => register(xaiServices.Tokenize, { tokenizeText: (request) => ({ model: request.model, tokens: [] }) })],
   * });
   * ```
   */
  services?: readonly ServiceFactory[];
  /**
   * Milliseconds a new gRPC connection has to send its HTTP/2 preface before it is closed; default 10000.
   * 0 waits forever (a slow or silent client then holds its socket until it goes away).
   */
  handshakeTimeoutMs?: number;
}

/**
 * What `new Client(...)` needs to talk to an emulator (loopback hosts are plaintext).
 *
 * @example
 * ```ts
 * const client = new Client({ ...emulator.clientOptions(), timeout: 5_000 });
 * ```
 */
export interface EmulatorClientOptions {
  apiKey: string;
  managementApiKey: string;
  apiHost: string;
  managementApiHost: string;
}

/**
 * Replies queued for the next chat calls.
 *
 * @example
 * ```ts
 * emulator.script.chat({ kind: "text", content: "Hello from the script" }, { kind: "error", code: Code.UNAVAILABLE, details: "busy" });
 * ```
 */
export interface EmulatorScript {
  /** Queues replies, used in order by the next chat completions (unary, streamed, deferred, batch). */
  chat(...replies: ScriptedChatReply[]): void;
  /** How many queued chat replies are still unused. */
  readonly pendingChatReplies: number;
  /** Drops every queued reply. */
  clear(): void;
}

/**
 * A running emulator of the xAI gRPC API.
 *
 * @example
 * ```ts
 * import { startEmulator } from "xai-grpc/testing";
 * import { Client } from "xai-grpc";
 *
 * const emulator = await startEmulator();
 * const client = new Client(emulator.clientOptions());
 * // ... use the client; inspect emulator.calls ...
 * client.close();
 * await emulator.stop();
 * ```
 */
export interface Emulator {
  /** `127.0.0.1:<port>` of the API services. */
  readonly apiHost: string;
  /** `127.0.0.1:<port>` of the management API (collections). */
  readonly managementApiHost: string;
  /** The API key the emulator accepts. */
  readonly apiKey: string;
  /** The management key the emulator accepts. */
  readonly managementApiKey: string;
  /** Base URL of its HTTP endpoint (generated images and videos, public file URLs, the REST API). */
  readonly httpUrl: string;
  /**
   * Base URL of its REST API (`http://127.0.0.1:<port>/v1`): xAI's REST endpoints (chat completions,
   * responses, models, embeddings, images, tokenize, api-key), served by the same engine, keys, call log,
   * faults and scripts as gRPC. Give it to openai-node (`baseURL`) or `@ai-sdk/xai` (`createXai({ baseURL })`).
   * Routes and the gRPC methods that serve them: `REST_ROUTES`.
   *
   * @example
   * ```ts
   * const openai = new OpenAI({ apiKey: emulator.apiKey, baseURL: emulator.restBaseUrl });
   * ```
   */
  readonly restBaseUrl: string;
  /** Options for `new Client(...)`: keys and hosts. */
  clientOptions(): EmulatorClientOptions;
  /** The calls received, oldest first (see {@link EmulatorOptions.maxLoggedCalls}). */
  readonly calls: readonly CallRecord[];
  /** Scripted replies for the next calls. */
  readonly script: EmulatorScript;
  /** Injected failures, latency and stream cuts. */
  readonly faults: Faults;
  /** Moves the emulator's clock forward (expiry of files, public URLs, batches). */
  advanceClock(ms: number): void;
  /** Clears the call log, scripts, faults, the clock offset and every stored file, batch, collection… */
  reset(): void;
  /** Ends open calls (UNAVAILABLE), frees the ports and the logged request bodies; safe to call twice. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const DEFAULT_MAX_LOGGED_CALLS = 10_000;
const DEFAULT_MAX_LOGGED_BYTES = 64 * 1024 * 1024;
const SHUTDOWN_GRACE_MS = 250;

function checkPort(value: number | undefined, name: string): number {
  const port = value ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(
      `startEmulator: ${name} must be a whole number from 0 to 65535 (0 picks a free port); got ${value}.`,
    );
  }
  return port;
}

function checkCount(value: number | undefined, name: string, fallback: number): number {
  const count = value ?? fallback;
  if (!Number.isFinite(count) || count < 0) {
    throw new RangeError(`startEmulator: ${name} must be a number ≥ 0; got ${value}.`);
  }
  return count;
}

function checkKey(value: string | undefined, name: string, fallback: string): string {
  const key = value ?? fallback;
  if (key === "" || /\s/.test(key)) {
    throw new RangeError(`startEmulator: ${name} must be a non-empty string without spaces.`);
  }
  return key;
}

/** Service registrations of one context, and the implementation of each method path. */
class Registrations {
  readonly byPath = new Map<string, (...args: never[]) => unknown>();
  readonly entries: MethodEntry[] = [];

  constructor(factories: readonly ServiceFactory[], state: EmulatorState) {
    const byService = new Map<string, ServiceRegistration>();
    for (const factory of factories) {
      const registration = factory(state);
      byService.set(registration.service.typeName, registration);
    }
    for (const registration of byService.values()) {
      const { service, impl } = registration;
      for (const method of service.methods as DescMethod[]) {
        const path = `/${service.typeName}/${method.name}`;
        this.entries.push({ path, service, method, management: registration.management === true });
        const fn = impl[method.localName];
        if (typeof fn === "function") this.byPath.set(path, fn.bind(impl) as (...args: never[]) => unknown);
      }
    }
  }
}

class Runtime implements ServerRuntime {
  readonly log: CallLog;
  readonly faults: Faults;
  readonly active = new Set<AbortController>();
  readonly methods: MethodIndex;
  state: EmulatorState;
  #registrations: Registrations;
  #generation = 1;

  constructor(
    readonly apiKey: string,
    readonly managementApiKey: string,
    readonly settings: {
      deferredPolls: number;
      processingDelayMs: number;
      httpUrl: string;
      maxLoggedCalls: number;
      maxLoggedBytes: number;
    },
    readonly factories: readonly ServiceFactory[],
  ) {
    this.log = new CallLog(settings.maxLoggedCalls, settings.maxLoggedBytes);
    this.state = this.#newState();
    this.#registrations = new Registrations(factories, this.state);
    this.methods = new MethodIndex(this.#registrations.entries);
    this.faults = new Faults(this.methods);
  }

  implementation(path: string): ((...args: never[]) => unknown) | undefined {
    return this.#registrations.byPath.get(path);
  }

  /** A fresh context and fresh services (every stored file, batch, collection… is dropped). */
  renew(): void {
    this.state.end("The emulator was reset.");
    this.#generation++;
    this.state = this.#newState();
    this.#registrations = new Registrations(this.factories, this.state);
  }

  #newState(): EmulatorState {
    return new EmulatorState({
      models: EMULATOR_CATALOG,
      deferredPolls: this.settings.deferredPolls,
      processingDelayMs: this.settings.processingDelayMs,
      httpUrl: this.settings.httpUrl,
      generation: this.#generation,
    });
  }
}

function bind(server: Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, port) => {
      if (!error) resolve(port);
      else if (/EADDRINUSE/.test(error.message)) {
        reject(
          new Error(
            `The emulator could not listen on ${address}: the port is in use. Pick another port, or 0 for a free one.`,
          ),
        );
      } else reject(new Error(`The emulator could not listen on ${address}: ${error.message}`));
    });
  });
}

function tryShutdown(server: Server): Promise<void> {
  return new Promise((resolve) => server.tryShutdown(() => resolve()));
}

/** The largest request message the API accepts (images inlined as data URLs, upload chunks): 20 MiB. */
export const MAX_REQUEST_BYTES = 20 * 1024 * 1024;

const SERVER_OPTIONS = {
  // Requests up to the API's 20 MiB (larger ones get RESOURCE_EXHAUSTED); responses are not capped.
  "grpc.max_receive_message_length": MAX_REQUEST_BYTES,
  "grpc.max_send_message_length": -1,
};

class RunningEmulator implements Emulator {
  readonly apiHost: string;
  readonly managementApiHost: string;
  readonly httpUrl: string;
  readonly restBaseUrl: string;
  readonly script: EmulatorScript;
  readonly #runtime: Runtime;
  readonly #servers: Server[];
  readonly #http: BlobServer;
  #stopping: Promise<void> | undefined;

  constructor(
    runtime: Runtime,
    servers: Server[],
    http: BlobServer,
    hosts: { api: string; management: string },
  ) {
    this.#runtime = runtime;
    this.#servers = servers;
    this.#http = http;
    this.apiHost = hosts.api;
    this.managementApiHost = hosts.management;
    this.httpUrl = http.url;
    this.restBaseUrl = `${http.url}/v1`;
    this.script = {
      chat: (...replies: ScriptedChatReply[]) => {
        for (const reply of replies) checkScriptedReply(reply);
        runtime.state.scriptedChatReplies.push(...replies);
      },
      get pendingChatReplies() {
        return runtime.state.scriptedChatReplies.length;
      },
      clear: () => {
        runtime.state.scriptedChatReplies.length = 0;
      },
    };
  }

  get apiKey(): string {
    return this.#runtime.apiKey;
  }

  get managementApiKey(): string {
    return this.#runtime.managementApiKey;
  }

  get calls(): readonly CallRecord[] {
    return this.#runtime.log.records;
  }

  get faults(): Faults {
    return this.#runtime.faults;
  }

  clientOptions(): EmulatorClientOptions {
    return {
      apiKey: this.apiKey,
      managementApiKey: this.managementApiKey,
      apiHost: this.apiHost,
      managementApiHost: this.managementApiHost,
    };
  }

  advanceClock(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`advanceClock: ms must be a number ≥ 0; got ${ms}.`);
    this.#runtime.state.advanceClock(ms);
  }

  reset(): void {
    this.#runtime.log.clear();
    clearSchemaCache();
    this.#runtime.faults.clear();
    this.#runtime.renew();
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#shutdown();
    return this.#stopping;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  async #shutdown(): Promise<void> {
    for (const controller of this.#runtime.active) controller.abort(StopReason.Shutdown);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SHUTDOWN_GRACE_MS);
    });
    await Promise.race([Promise.all(this.#servers.map(tryShutdown)), grace]);
    clearTimeout(timer);
    for (const server of this.#servers) server.forceShutdown();
    await this.#http.close();
    this.#runtime.state.end("The emulator stopped.");
    this.#runtime.log.dropBodies();
    clearSchemaCache();
    stopMatcher();
  }

  [inspect.custom](): string {
    return `Emulator { apiHost: ${this.apiHost}, managementApiHost: ${this.managementApiHost}, httpUrl: ${this.httpUrl}, restBaseUrl: ${this.restBaseUrl}, calls: ${this.calls.length} }`;
  }
}

function checkScriptedReply(reply: ScriptedChatReply): void {
  const kind = (reply as { kind?: unknown } | undefined)?.kind;
  if (kind === "text" && typeof (reply as { content?: unknown }).content === "string") return;
  if (kind === "toolCalls" && Array.isArray((reply as { toolCalls?: unknown }).toolCalls)) return;
  if (kind === "error") {
    const { code, details } = reply as { code?: unknown; details?: unknown };
    if (
      typeof code === "number" &&
      Number.isInteger(code) &&
      code >= 1 &&
      code <= 16 &&
      typeof details === "string"
    ) {
      return;
    }
  }
  throw new TypeError(
    'script.chat: each reply must be { kind: "text", content }, { kind: "toolCalls", toolCalls: [...] } or { kind: "error", code (1-16), details }.',
  );
}

/**
 * Starts an emulator of the xAI gRPC API on loopback: every API service on one port, the management API
 * (collections) on another, and an HTTP endpoint for generated images, videos and public file URLs, which
 * also serves xAI's REST API from the same engine (`emulator.restBaseUrl`).
 *
 * @example
 * ```ts
 * import { startEmulator } from "xai-grpc/testing";
 * import { Client, user } from "xai-grpc";
 *
 * const emulator = await startEmulator();
 * const client = new Client(emulator.clientOptions());
 * emulator.script.chat({ kind: "text", content: "Hi!" });
 * const response = await client.chat.create({ model: "grok-4", messages: [user("Hello")] }).sample();
 * await emulator.stop();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  warnIfTracingHeaders();
  const port = checkPort(options.port, "port");
  const managementPort = checkPort(options.managementPort, "managementPort");
  if (port !== 0 && port === managementPort) {
    throw new RangeError(`startEmulator: port and managementPort must differ (both are ${port}).`);
  }
  const apiKey = checkKey(options.apiKey, "apiKey", DEFAULT_API_KEY);
  const managementApiKey = checkKey(options.managementApiKey, "managementApiKey", DEFAULT_MANAGEMENT_API_KEY);
  if (apiKey === managementApiKey) {
    throw new RangeError(
      "startEmulator: apiKey and managementApiKey must differ, as the real API's keys do.",
    );
  }
  const deferredPolls = checkCount(options.deferredPolls, "deferredPolls", 2);
  const processingDelayMs = checkCount(options.processingDelayMs, "processingDelayMs", 50);
  const maxLoggedCalls = checkCount(options.maxLoggedCalls, "maxLoggedCalls", DEFAULT_MAX_LOGGED_CALLS);
  const maxLoggedBytes = checkCount(options.maxLoggedBytes, "maxLoggedBytes", DEFAULT_MAX_LOGGED_BYTES);
  const handshakeTimeoutMs = checkCount(
    options.handshakeTimeoutMs,
    "handshakeTimeoutMs",
    DEFAULT_HANDSHAKE_TIMEOUT_MS,
  );
  const host = options.host ?? "127.0.0.1";
  const hostPart = host.includes(":") ? `[${host}]` : host;

  let runtime: Runtime | undefined;
  const http = await startBlobServer(
    host,
    (path) => runtime?.state.blobAt(path),
    restHandler(() => runtime),
  );
  const servers: Server[] = [];
  try {
    runtime = new Runtime(
      apiKey,
      managementApiKey,
      {
        deferredPolls: Math.floor(deferredPolls),
        processingDelayMs,
        httpUrl: http.url,
        maxLoggedCalls,
        maxLoggedBytes,
      },
      [...SERVICE_FACTORIES, ...(options.services ?? [])],
    );
    const ports: Record<"api" | "management", number> = { api: port, management: managementPort };
    const bound: Partial<Record<"api" | "management", number>> = {};
    const outcomes = await Promise.allSettled(
      (["api", "management"] as const).map(async (which) => {
        const server = new Server(SERVER_OPTIONS);
        servers.push(server);
        const byService = new Map<string, MethodEntry[]>();
        for (const entry of (runtime as Runtime).methods.entries) {
          const list = byService.get(entry.service.typeName) ?? [];
          list.push(entry);
          byService.set(entry.service.typeName, list);
        }
        for (const entries of byService.values()) {
          const first = entries[0];
          if (!first) continue;
          server.addService(
            serviceDefinition(first.service, { rawRequests: true }),
            serviceHandlers(entries, which, runtime as Runtime),
          );
        }
        bound[which] = await bind(server, `${hostPart}:${ports[which]}`);
        enforceHandshakeTimeout(server, handshakeTimeoutMs);
      }),
    );
    // Wait for both binds before failing, so that no server is left listening behind a failed start.
    for (const outcome of outcomes) if (outcome.status === "rejected") throw outcome.reason;
    return new RunningEmulator(runtime, servers, http, {
      api: `${hostPart}:${bound.api}`,
      management: `${hostPart}:${bound.management}`,
    });
  } catch (error) {
    for (const server of servers) server.forceShutdown();
    await http.close();
    runtime?.state.end("The emulator failed to start.");
    throw error;
  }
}
