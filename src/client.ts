import { inspect } from "node:util";
import type { ChannelOptions, Interceptor } from "@grpc/grpc-js";
import { AuthClient } from "./auth/client.js";
import { BatchClient } from "./batch/client.js";
import { ChatClient } from "./chat/client.js";
import { CollectionsClient } from "./collections/client.js";
import { EmbeddingsClient } from "./embeddings/client.js";
import { FilesClient } from "./files/client.js";
import { ImageClient } from "./image/client.js";
import { ModelsClient } from "./models/client.js";
import type { Logger, LogLevel, TelemetryOptions } from "./telemetry/options.js";
import { Telemetry } from "./telemetry/telemetry.js";
import { TokenizeClient } from "./tokenize/client.js";
import { XaiInputError } from "./transport/errors.js";
import type { MetadataInit, RetryOptions } from "./transport/options.js";
import { Transport } from "./transport/transport.js";
import { VideoClient } from "./video/client.js";

/**
 * Options of {@link Client}. Every field is optional; keys and hosts come from the environment when omitted
 * (`XAI_API_KEY`, `XAI_MANAGEMENT_KEY`, `XAI_API_HOST`, `XAI_MANAGEMENT_API_HOST`; an empty variable counts as
 * unset, an explicit option wins).
 *
 * @example
 * ```ts
 * const client = new Client({ apiKey: process.env.MY_KEY, timeout: 120_000, retry: { maxAttempts: 3 } });
 * ```
 */
export interface ClientOptions {
  /** The API key; defaults to `XAI_API_KEY`. */
  apiKey?: string | undefined;
  /** The management key (collections); defaults to `XAI_MANAGEMENT_KEY`. Without one, no management channel is made. */
  managementApiKey?: string | undefined;
  /**
   * The API's gRPC target; defaults to `XAI_API_HOST`, else `api.x.ai` (port 443). Accepts `host`, `host:port`,
   * `[ipv6]`, `[ipv6]:port`, a bare IPv6 address, `dns:///host[:port]`, `dns:host[:port]`, `unix:/path` or
   * `unix:///path` (loopback: plaintext by default) and `https://host[:port]` (always TLS). Anything else,
   * `http://` URLs and paths included, is an `XaiInputError` from the constructor (naming the variable when
   * the value came from `XAI_API_HOST`).
   *
   * @example
   * ```ts
   * new Client({ apiHost: "localhost:50051" }); // or: XAI_API_HOST=localhost:50051 node app.js
   * ```
   */
  apiHost?: string;
  /**
   * The management API's gRPC target, in the same forms as {@link apiHost}; defaults to
   * `XAI_MANAGEMENT_API_HOST`, else `management-api.x.ai`.
   */
  managementApiHost?: string;
  /** Headers sent with every call. */
  metadata?: MetadataInit;
  /**
   * grpc-js channel options; each replaces the SDK default of the same name (e.g. `{ "grpc.enable_retries": 0 }`).
   * `interceptors` and `interceptor_providers` given here run like {@link interceptors}, after them.
   */
  channelOptions?: ChannelOptions;
  /**
   * grpc-js client interceptors, run in order on every call (unary and streaming) after the SDK's own, so they
   * see its headers (`xai-sdk-version`…; on plaintext also `authorization`; over TLS the key is added later, as
   * call credentials) and may add their own.
   *
   * @example
   * ```ts
   * import { InterceptingCall, type Interceptor } from "@grpc/grpc-js";
   * const tag: Interceptor = (options, nextCall) =>
   *   new InterceptingCall(nextCall(options), {
   *     start(metadata, listener, next) {
   *       metadata.set("x-team", "search");
   *       next(metadata, listener);
   *     },
   *   });
   * const client = new Client({ interceptors: [tag] });
   * ```
   */
  interceptors?: readonly Interceptor[];
  /**
   * How failed calls are retried; default: 5 attempts in all, waits of 100 ms doubling to 1 s, on UNAVAILABLE
   * (the Python SDK's policy), for the idempotent methods only (reads, lists, polls, deletes: see
   * `IDEMPOTENT_METHODS`), so that work the server did and billed (a sample, a generation, an upload, a
   * `batch.add`) is never repeated; `methods: "all"` retries every method. Fields left out keep these
   * defaults; `false` makes every call once (per call: `{ retry: false }` in the call options). The SDK writes
   * the grpc-js `grpc.service_config` from it, so it cannot be combined with
   * `channelOptions["grpc.service_config"]` or `["grpc.enable_retries"]` (an `XaiInputError`); without
   * `retry`, those channel options replace the default policy as before.
   *
   * @example
   * ```ts
   * new Client({ retry: { maxAttempts: 8, maxBackoffMs: 5_000, retryOn: ["UNAVAILABLE", "RESOURCE_EXHAUSTED"] } });
   * new Client({ retry: { methods: "all" } }); // chat.sample() and uploads are retried too
   * ```
   */
  retry?: RetryOptions | false;
  /** Deadline of every call in milliseconds; default 900000 (15 minutes). Per-call `timeout` overrides it. */
  timeout?: number;
  /**
   * The longest wait for a connection in milliseconds, from 1 to 2147483647; default 20000. A call made while
   * the client is not connected (the first call, or after the connection was lost) that still has no
   * connection after this long fails with an `UnavailableError` naming `connectTimeout`, instead of waiting
   * for its deadline (e.g. a server that accepts TCP but never speaks HTTP/2). Retries do not repeat it.
   *
   * @example
   * ```ts
   * new Client({ apiHost: "localhost:50051", connectTimeout: 2_000 });
   * ```
   */
  connectTimeout?: number;
  /**
   * `true` for plaintext, `false` to force TLS even on loopback. By default TLS is used except for
   * loopback targets (`localhost`, `127.x.x.x`, `[::1]`, `unix:` sockets) and always for `https://` targets.
   * Plaintext sends the API key unencrypted: to a host that is not loopback it also needs
   * {@link allowInsecureRemote} (else an `XaiInputError`).
   */
  insecure?: boolean;
  /**
   * `true` lets `insecure: true` reach a host that is not loopback (e.g. an emulator in another container, or
   * a TLS-terminating sidecar on a trusted network). The key then crosses the network in plaintext.
   *
   * @example
   * ```ts
   * new Client({ apiHost: "emulator:50051", insecure: true, allowInsecureRemote: true });
   * ```
   */
  allowInsecureRemote?: boolean;
  /** PEM root certificates to trust instead of the system roots (private CAs, tests). */
  rootCertificates?: Buffer | string;
  /**
   * OpenTelemetry tracing. With `@opentelemetry/api` installed (an optional peer dependency) and a tracer
   * provider registered globally or given here, every call gets a client span (GenAI attributes for chat,
   * image and embeddings calls) and sends its W3C `traceparent`. `false`, or `XAI_SDK_DISABLE_TRACING=1`,
   * turns it off. Without `@opentelemetry/api` it costs nothing.
   *
   * @example
   * ```ts
   * new Client({ telemetry: { tracerProvider, captureContent: true } });
   * new Client({ telemetry: false });
   * ```
   */
  telemetry?: TelemetryOptions | false;
  /**
   * What the client logs about its calls (see {@link LogLevel}); defaults to `XAI_LOG`, else `"off"`. Lines
   * name the method, status, duration, attempts and sizes, never a header, a key or content.
   *
   * @example
   * ```ts
   * new Client({ logLevel: "debug", logger: console });
   * ```
   */
  logLevel?: LogLevel;
  /** Where log lines go; `console` by default. */
  logger?: Logger;
}

function resolveKey(explicit: string | undefined, envName: string, optionName: string): string | undefined {
  const key = explicit !== undefined && explicit !== "" ? explicit : process.env[envName] || undefined;
  if (key !== undefined && (typeof key !== "string" || !/^[\x21-\x7e]+$/.test(key))) {
    // Never echo the key: it would end up in logs.
    throw new XaiInputError(
      `the key from \`${optionName}\` or ${envName} contains whitespace or a control character ` +
        "(often a trailing newline from a file or a shell); trim it",
    );
  }
  return key;
}

/** A host option, else its environment variable (an empty one counts as unset), else the default. */
function resolveHost(
  explicit: string | undefined,
  envName: string,
  optionName: string,
  fallback: string,
): { host: string; source: string } {
  if (explicit !== undefined) return { host: explicit, source: optionName };
  const fromEnv = process.env[envName];
  if (fromEnv) return { host: fromEnv, source: `the ${envName} environment variable` };
  return { host: fallback, source: optionName };
}

/**
 * The xAI client: one API channel (and a management channel when a management key is given), shared by
 * its sub-clients. Close it when done, or use `await using`.
 *
 * @example
 * ```ts
 * import { Client, user } from "xai-grpc";
 *
 * await using client = new Client(); // reads XAI_API_KEY
 * const chat = client.chat.create({ model: "grok-4", messages: [user("Hello!")] });
 * console.log((await chat.sample()).content);
 * ```
 */
export class Client {
  /** Chat completions: conversations, streaming, tools, structured outputs, deferred and stored completions. */
  readonly chat: ChatClient;
  /** Image generation and editing. */
  readonly image: ImageClient;
  /** The model catalogue. */
  readonly models: ModelsClient;
  /** Tokenization. */
  readonly tokenize: TokenizeClient;
  /** Information about the API key. */
  readonly auth: AuthClient;
  /** File storage. */
  readonly files: FilesClient;
  /** Batch jobs. */
  readonly batch: BatchClient;
  /** Collections of documents for retrieval (needs a management key). */
  readonly collections: CollectionsClient;
  /** Video generation. */
  readonly video: VideoClient;
  /** Embedding vectors. */
  readonly embeddings: EmbeddingsClient;
  readonly #transport: Transport;

  constructor(options: ClientOptions = {}) {
    const apiKey = resolveKey(options.apiKey, "XAI_API_KEY", "apiKey");
    if (!apiKey) {
      throw new XaiInputError(
        "no xAI API key: pass `apiKey` to new Client({ apiKey }) or set the XAI_API_KEY environment variable",
      );
    }
    const rootCertificates =
      typeof options.rootCertificates === "string"
        ? Buffer.from(options.rootCertificates)
        : options.rootCertificates;
    const api = resolveHost(options.apiHost, "XAI_API_HOST", "apiHost", "api.x.ai");
    const management = resolveHost(
      options.managementApiHost,
      "XAI_MANAGEMENT_API_HOST",
      "managementApiHost",
      "management-api.x.ai",
    );
    const telemetry = new Telemetry({
      telemetry: options.telemetry,
      logLevel: options.logLevel,
      logger: options.logger,
    });
    const transport = new Transport({
      apiKey,
      managementApiKey: resolveKey(options.managementApiKey, "XAI_MANAGEMENT_KEY", "managementApiKey"),
      apiHost: api.host,
      apiHostOption: api.source,
      managementApiHost: management.host,
      managementApiHostOption: management.source,
      retry: options.retry,
      metadata: options.metadata,
      channelOptions: options.channelOptions,
      timeout: options.timeout,
      insecure: options.insecure,
      rootCertificates,
      interceptors: options.interceptors,
      connectTimeout: options.connectTimeout,
      allowInsecureRemote: options.allowInsecureRemote,
      observer: (address) => telemetry.observer(address),
    });
    this.#transport = transport;
    this.chat = new ChatClient(transport, telemetry);
    this.image = new ImageClient(transport);
    this.models = new ModelsClient(transport);
    this.tokenize = new TokenizeClient(transport);
    this.auth = new AuthClient(transport);
    this.files = new FilesClient(transport);
    this.video = new VideoClient(transport);
    this.batch = new BatchClient(transport);
    this.collections = new CollectionsClient(transport, this.files);
    this.embeddings = new EmbeddingsClient(transport);
  }

  /** The effective grpc-js channel options (defaults merged with `channelOptions`). */
  get channelOptions(): Readonly<ChannelOptions> {
    return this.#transport.channelOptions;
  }

  /** The default deadline of a call, in milliseconds. */
  get timeout(): number {
    return this.#transport.timeout;
  }

  /**
   * Closes the client. Every call in flight (unary, streaming, upload) is cancelled first and rejects with a
   * `CancelledError` whose message says the client was closed (a pending stream iteration too); the server
   * sees the cancellation. Calls made afterwards fail with an `XaiInputError`. Idempotent.
   *
   * @example
   * ```ts
   * const pending = client.chat.create({ model: "grok-4", messages: [user("Hi")] }).sample();
   * client.close();
   * await pending.catch((e) => e instanceof CancelledError); // true
   * ```
   */
  close(): void {
    this.#transport.close();
  }

  /** Closes the client at the end of an `await using` block, cancelling what still runs (see {@link close}). */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  [inspect.custom](): string {
    return `Client { api: ${this.#transport.apiAddress}, management: ${this.#transport.hasManagement}, timeout: ${this.timeout} }`;
  }

  toJSON(): Record<string, unknown> {
    return {
      api: this.#transport.apiAddress,
      management: this.#transport.hasManagement,
      timeout: this.timeout,
    };
  }
}
