// grpc-js is loaded on the first call, not at import: importing the SDK stays cheap (see bench/).

import { isIPv6 } from "node:net";
import type {
  ChannelCredentials,
  ChannelOptions,
  CallOptions as GrpcCallOptions,
  Client as GrpcClient,
  Interceptor,
  InterceptorOptions,
  InterceptorProvider,
  Metadata,
  NextCall,
} from "@grpc/grpc-js";
import { type Redactor, redactorFor, XaiInputError } from "./errors.js";
import type { MetadataInit } from "./options.js";

type GrpcModule = typeof import("@grpc/grpc-js");

let grpcModule: GrpcModule | undefined;
let grpcLoading: Promise<GrpcModule> | undefined;

/** Loads grpc-js once; later calls return the loaded module synchronously through {@link loadedGrpc}. */
export function loadGrpc(): Promise<GrpcModule> {
  grpcLoading ??= import("@grpc/grpc-js").then((m) => {
    grpcModule = m;
    return m;
  });
  return grpcLoading;
}

/** grpc-js if already loaded. */
export function loadedGrpc(): GrpcModule | undefined {
  return grpcModule;
}

/** Header name/value pairs, kept as plain data until grpc-js is loaded (`-bin` headers carry bytes). */
export type HeaderList = [name: string, value: string | Buffer][];

type GrpcChannel = InstanceType<GrpcModule["Channel"]>;
type GrpcCall = ReturnType<GrpcChannel["createCall"]>;
type GrpcListener = Parameters<GrpcCall["start"]>[1];
type CreateCallArgs = Parameters<GrpcChannel["createCall"]>;
type ConnectTimeoutChannelClass = new (
  target: string,
  credentials: ChannelCredentials,
  options: ChannelOptions,
  connectTimeoutMs: number,
  explain: () => string,
) => GrpcChannel;

let connectTimeoutClass: ConnectTimeoutChannelClass | undefined;

/**
 * grpc-js's channel with a connect timeout, which grpc-js lacks (a server that accepts TCP but never sends
 * HTTP/2 SETTINGS leaves calls waiting until their deadline). A call created while the channel is connected
 * costs nothing more. One created while it is not gets a timer, cleared when the call gets headers or ends;
 * if it fires and the channel has not been connected since the call started, the call ends with UNAVAILABLE
 * and `explain()`. The channel counts its transitions to READY with a connectivity watcher (no timer).
 */
function connectTimeoutChannel(grpc: GrpcModule): ConnectTimeoutChannelClass {
  if (connectTimeoutClass) return connectTimeoutClass;
  const { READY, SHUTDOWN } = grpc.connectivityState;
  const UNAVAILABLE = grpc.status.UNAVAILABLE;
  connectTimeoutClass = class ConnectTimeoutChannel extends grpc.Channel {
    /** How many times the channel became READY. */
    #readyCount = 0;
    readonly #timeoutMs: number;
    readonly #explain: () => string;

    constructor(
      target: string,
      credentials: ChannelCredentials,
      options: ChannelOptions,
      connectTimeoutMs: number,
      explain: () => string,
    ) {
      super(target, credentials, options);
      this.#timeoutMs = connectTimeoutMs;
      this.#explain = explain;
      this.#watch(this.getConnectivityState(false));
    }

    #watch(state: number): void {
      if (state === SHUTDOWN) return;
      this.watchConnectivityState(state, Number.POSITIVE_INFINITY, () => {
        const now = this.getConnectivityState(false);
        if (now === READY) this.#readyCount++;
        this.#watch(now);
      });
    }

    override createCall(
      method: CreateCallArgs[0],
      deadline: CreateCallArgs[1],
      host: CreateCallArgs[2],
      parentCall: CreateCallArgs[3],
      propagateFlags: CreateCallArgs[4],
    ): GrpcCall {
      const call = super.createCall(method, deadline, host, parentCall, propagateFlags);
      if (this.getConnectivityState(false) === READY) return call;
      const readyBefore = this.#readyCount;
      const start = call.start;
      call.start = (metadata, listener: GrpcListener) => {
        const timer = setTimeout(() => {
          if (this.#readyCount === readyBefore) call.cancelWithStatus(UNAVAILABLE, this.#explain());
        }, this.#timeoutMs);
        timer.unref();
        start.call(call, metadata, {
          onReceiveMetadata: (received) => {
            clearTimeout(timer);
            listener.onReceiveMetadata(received);
          },
          onReceiveMessage: (message: unknown) => listener.onReceiveMessage(message),
          onReceiveStatus: (status) => {
            clearTimeout(timer);
            listener.onReceiveStatus(status);
          },
        });
      };
      return call;
    }
  };
  return connectTimeoutClass;
}

/** How to reach one xAI host. */
export interface ChannelConfig {
  /** A target {@link parseHost} accepts, e.g. `host` or `host:port`; the port defaults to 443. */
  host: string;
  /** The option the host came from, named in errors (e.g. `apiHost`). */
  optionName?: string;
  /** `true`: plaintext; `false`: TLS even on loopback; undefined: TLS except on loopback. */
  insecure: boolean | undefined;
  /** PEM root certificates replacing the system roots (for private CAs and tests). */
  rootCertificates?: Buffer | undefined;
  /** grpc-js channel options, without `interceptors` and `interceptor_providers` (see below). */
  channelOptions: ChannelOptions;
  /** The user's interceptors, run on every call after the SDK's own (which adds the headers and, on plaintext, the key). */
  interceptors?: readonly Interceptor[];
  /** The user's interceptor providers, run after {@link interceptors}. */
  interceptorProviders?: readonly InterceptorProvider[];
  /** Headers sent on every call (user metadata, then SDK identification). */
  headers: HeaderList;
  /** Returns the bearer key; a function so that the key is not stored on any inspectable object. */
  apiKey: () => string;
  /**
   * The longest wait in milliseconds for a connection, counted from the start of a call made while the channel
   * is not connected; past it the call fails with UNAVAILABLE naming `connectTimeout`. Default
   * {@link DEFAULT_CONNECT_TIMEOUT_MS}.
   */
  connectTimeout?: number | undefined;
  /** Allows `insecure: true` (plaintext, the key included) to a host that is not loopback. */
  allowInsecureRemote?: boolean | undefined;
}

/** 20 seconds: how long a call waits for a connection by default (the `connectTimeout` client option). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;

/** The longest delay a Node.js timer takes. */
const MAX_TIMER_MS = 2_147_483_647;

/** Checks the `connectTimeout` option (1 to 2147483647 ms); returns the default when it is undefined. */
export function checkConnectTimeout(value: unknown): number {
  if (value === undefined) return DEFAULT_CONNECT_TIMEOUT_MS;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 1 || value > MAX_TIMER_MS) {
    throw new XaiInputError(
      `connectTimeout must be a number of milliseconds from 1 to ${MAX_TIMER_MS}, got ${String(value)}; e.g. new Client({ connectTimeout: 5_000 })`,
    );
  }
  return value;
}

/** What {@link parseHost} makes of a target. */
export interface ParsedHost {
  /** The target handed to grpc-js: `host:port` (port 443 when none was given) or a `unix:` target as given. */
  address: string;
  /** Whether it is a loopback host or a unix socket (plaintext by default). */
  loopback: boolean;
  /** Whether the target itself asked for TLS (`https://host`). */
  tls: boolean;
}

const FORMS =
  'use "host", "host:port", "[ipv6]", "[ipv6]:port", "dns:///host[:port]" or "unix:/path/to.sock" ' +
  '(e.g. "api.x.ai" or "localhost:50051")';

const HOST_LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

function isHostName(name: string): boolean {
  if (name.length > 254) return false;
  const labels = (name.endsWith(".") ? name.slice(0, -1) : name).split(".");
  return labels.every((label) => HOST_LABEL.test(label));
}

function isLoopback(name: string): boolean {
  const lower = name.toLowerCase();
  if (lower === "localhost" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(lower)) return true;
  // The URL parser writes every spelling of an IPv6 address in its shortest form.
  return isIPv6(lower) && new URL(`http://[${lower}]/`).hostname === "[::1]";
}

/**
 * Checks a gRPC target and normalises it for grpc-js (a pure function: no network). Accepts `host`,
 * `host:port`, `[v6]`, `[v6]:port`, a bare IPv6 address, `dns:///host[:port]`, `dns:host[:port]`, `unix:`
 * targets (passed through as given) and `https://host[:port]` (which means TLS); ports are 1 to 65535 and
 * default to 443. Anything else (a path, a query, another scheme, whitespace, an empty host, a bad port) is
 * an {@link XaiInputError} whose message starts with `optionName` and names the forms expected.
 *
 * @example
 * ```ts
 * parseHost("dns:///api.x.ai"); // { address: "api.x.ai:443", loopback: false, tls: false }
 * parseHost("localhost:50051"); // { address: "localhost:50051", loopback: true, tls: false }
 * ```
 */
export function parseHost(host: string, optionName = "host"): ParsedHost {
  const fail = (problem: string): never => {
    const shown = typeof host === "string" ? JSON.stringify(host) : `(${typeof host})`;
    throw new XaiInputError(`${optionName} ${shown} is not a gRPC target: ${problem}; ${FORMS}`);
  };
  if (typeof host !== "string") return fail("it must be a string");
  if (host === "") return fail("it is empty");
  if (/\s/.test(host)) return fail("it contains whitespace (trim it)");
  if (/^unix:/i.test(host)) {
    const path = host.slice(5);
    const ok = path.startsWith("///") ? path.length > 3 : path !== "" && !path.startsWith("//");
    if (!ok)
      return fail('a unix: target needs a socket path, e.g. "unix:/run/xai.sock" or "unix:///run/xai.sock"');
    return { address: host, loopback: true, tls: false };
  }
  let rest = host;
  let tls = false;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(rest);
  if (scheme) {
    const name = scheme[1].toLowerCase();
    if (name === "https") {
      tls = true;
      rest = rest.slice(scheme[0].length);
      // A pasted URL often ends in "/": that is no path.
      if (rest.endsWith("/") && rest.indexOf("/") === rest.length - 1) rest = rest.slice(0, -1);
    } else if (name === "http") {
      return fail(
        "http:// is a plaintext URL, and a target is not a URL: drop the scheme and pass insecure: true for plaintext (loopback hosts are plaintext by default)",
      );
    } else if (name === "dns") {
      if (!rest.startsWith("dns:///")) {
        return fail(
          'a DNS server authority ("dns://server/host") is not supported: write "dns:///host[:port]"',
        );
      }
      rest = rest.slice("dns:///".length);
    } else {
      return fail(`the scheme ${name}:// is not supported (https:// is; or give the host alone)`);
    }
  } else if (/^dns:/i.test(rest)) {
    rest = rest.slice(4);
  }
  if (rest === "") return fail("the host is empty");
  if (/[/?]/.test(rest)) return fail("a target has no path or query (give the host and port only)");
  let name: string;
  let port: string | undefined;
  if (rest.startsWith("[")) {
    const m = /^\[([^\]]*)\](?::(.*))?$/.exec(rest);
    if (!m) return fail("a bracketed IPv6 address must look like [::1] or [::1]:port");
    if (!isIPv6(m[1])) return fail(`${JSON.stringify(m[1])} is not an IPv6 address`);
    name = `[${m[1]}]`;
    port = m[2];
  } else if ((rest.match(/:/g) ?? []).length > 1) {
    // Two or more colons without brackets: a bare IPv6 address, which has no port.
    if (!isIPv6(rest)) return fail("an IPv6 address with a port must be bracketed, e.g. [::1]:50051");
    name = `[${rest}]`;
  } else {
    const at = rest.indexOf(":");
    name = at >= 0 ? rest.slice(0, at) : rest;
    port = at >= 0 ? rest.slice(at + 1) : undefined;
    if (name === "") return fail("the host is empty");
    if (!isHostName(name)) return fail(`${JSON.stringify(name)} is not a valid host name`);
  }
  if (port !== undefined && (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65_535)) {
    return fail(`the port must be a whole number from 1 to 65535, got ${JSON.stringify(port)}`);
  }
  const bare = name.startsWith("[") ? name.slice(1, -1) : name;
  return { address: `${name}:${port ?? "443"}`, loopback: isLoopback(bare), tls };
}

const HEADER_NAME = /^[0-9a-z_.-]+$/;
const HEADER_VALUE = /^[\x20-\x7e]*$/;

/**
 * Checks one header before any call, as grpc-js would otherwise fail later with an untyped error that
 * echoes the value: lower-case names of letters, digits, `-`, `_` and `.`, not `grpc-` (reserved);
 * printable ASCII values; bytes (a Buffer) for names ending in `-bin`.
 */
export function checkHeader(name: string, value: unknown): void {
  if (!HEADER_NAME.test(name) || name.startsWith("grpc-")) {
    throw new XaiInputError(
      `metadata name ${JSON.stringify(name)} is not a valid gRPC header name: use lower-case letters, digits, "-", "_" or "." and no "grpc-" prefix`,
    );
  }
  if (name === "authorization") {
    throw new XaiInputError(
      'metadata cannot set "authorization": the client sends "Bearer <apiKey>" itself; pass the key as apiKey (one Client per key)',
    );
  }
  if (name.endsWith("-bin")) {
    if (!Buffer.isBuffer(value)) {
      throw new XaiInputError(
        `metadata "${name}" ends in -bin, so its value must be bytes: pass a grpc-js Metadata with a Buffer value`,
      );
    }
  } else if (typeof value !== "string" || !HEADER_VALUE.test(value)) {
    throw new XaiInputError(
      `metadata "${name}" must be a string of printable ASCII characters (no newline or control character)`,
    );
  }
}

/** Appends user headers (a plain record or a grpc-js Metadata) to a header list, checking each. */
export function appendHeaders(into: HeaderList, extra: MetadataInit | undefined): HeaderList {
  if (!extra) return into;
  if (typeof (extra as Metadata).toJSON === "function" && typeof (extra as Metadata).getMap === "function") {
    for (const [k, values] of Object.entries((extra as Metadata).toJSON())) {
      for (const v of values) {
        checkHeader(k, v);
        into.push([k, v]);
      }
    }
  } else if (typeof extra === "object") {
    for (const [k, v] of Object.entries(extra as Record<string, string>)) {
      const name = k.toLowerCase();
      checkHeader(name, v);
      into.push([name, v]);
    }
  } else {
    throw new XaiInputError(
      "metadata must be an object of header names to string values, or a grpc-js Metadata",
    );
  }
  return into;
}

/** Adds a header list to a grpc-js Metadata. */
export function addHeaders(metadata: Metadata, headers: HeaderList): Metadata {
  for (const [k, v] of headers) metadata.add(k, v);
  return metadata;
}

/**
 * One grpc-js channel to one host, opened on the first call. TLS with the system roots sends the key as
 * call credentials; plaintext (asked for, or on loopback) adds it with an interceptor, as grpc-js refuses
 * call credentials on insecure channels. Either way an interceptor adds the fixed headers, so calls of
 * every kind (unary, server- and client-streaming) carry them. Calls that opt out of retries (grpc-js has no
 * per-call switch) go through a second grpc-js client without retries, opened on the first such call.
 */
export class Channel {
  readonly address: string;
  readonly secure: boolean;
  /** Whether calls are retried (`grpc.enable_retries` is not 0); else the no-retry client is the main one. */
  readonly retries: boolean;
  /** Whether {@link close} was called. */
  closed = false;
  /** See {@link ChannelConfig.connectTimeout}. */
  readonly connectTimeout: number;
  #client: GrpcClient | undefined;
  #noRetryClient: GrpcClient | undefined;
  #credentials: ChannelCredentials | undefined;
  private interceptors: Interceptor[] = [];
  /** Set instead of {@link interceptors} when the user gave interceptor providers (grpc-js takes one kind per call). */
  private providers: InterceptorProvider[] | undefined;
  private readonly config: ChannelConfig;

  constructor(config: ChannelConfig) {
    const optionName = config.optionName ?? "host";
    const { address, loopback, tls } = parseHost(config.host, optionName);
    if (tls && config.insecure === true) {
      throw new XaiInputError(
        `${optionName} starts with https://, which means TLS, but insecure is true: drop the https:// prefix for plaintext, or drop insecure`,
      );
    }
    if (config.insecure === true && !loopback && config.allowInsecureRemote !== true) {
      throw new XaiInputError(
        `insecure: true would send the API key in plaintext to ${address}, which is not a loopback host: ` +
          "use TLS (drop insecure), or pass allowInsecureRemote: true if the network path is trusted (e.g. a private network or a sidecar)",
      );
    }
    this.address = address;
    this.secure = config.insecure === undefined ? tls || !loopback : !config.insecure;
    this.connectTimeout = checkConnectTimeout(config.connectTimeout);
    this.retries = config.channelOptions["grpc.enable_retries"] !== 0;
    this.config = config;
  }

  /** The grpc-js client if the channel is open (synchronous fast path). */
  get opened(): GrpcClient | undefined {
    return this.#client;
  }

  /** The grpc-js client for calls without retries, if open. */
  get openedWithoutRetries(): GrpcClient | undefined {
    return this.retries ? this.#noRetryClient : this.#client;
  }

  /** Opens the channel (loading grpc-js on the first call of the process). */
  async open(): Promise<GrpcClient> {
    if (this.#client) return this.#client;
    const grpc = await loadGrpc();
    return this.openWith(grpc);
  }

  /**
   * Opens the client for calls without retries: the main one when the channel makes none, else a second
   * grpc-js client (its own connection) with the same options, credentials and interceptors, and
   * `grpc.enable_retries: 0`.
   */
  async openWithoutRetries(): Promise<GrpcClient> {
    const main = await this.open();
    if (!this.retries) return main;
    if (!this.#noRetryClient) {
      const grpc = await loadGrpc();
      this.#noRetryClient = this.grpcClient(grpc, this.#credentials as ChannelCredentials, {
        ...this.config.channelOptions,
        "grpc.enable_retries": 0,
      });
      if (this.closed) this.#noRetryClient.close();
    }
    return this.#noRetryClient;
  }

  private openWith(grpc: GrpcModule): GrpcClient {
    if (this.#client) return this.#client;
    const { config } = this;
    const apiKey = config.apiKey;
    // The fixed headers are checked and converted once; each call merges them (no per-call checks).
    const withHeaders = (addAuth: boolean): Interceptor => {
      const fixed = addHeaders(new grpc.Metadata(), config.headers);
      if (addAuth) fixed.set("authorization", `Bearer ${apiKey()}`);
      // The interceptor adds the headers when the call starts, on the next call itself: wrapping it in a
      // grpc-js InterceptingCall (listener bindings and wrappers on every call) cost 2-3 % of a unary call's CPU.
      const interceptor = (options: InterceptorOptions, nextCall: NextCall) => {
        const call = nextCall(options);
        const start = call.start;
        call.start = (metadata, listener) => {
          metadata.merge(fixed);
          start.call(call, metadata, listener);
        };
        return call;
      };
      // grpc-js types an interceptor's result as its InterceptingCall class; any InterceptingCallInterface works.
      return interceptor as unknown as Interceptor;
    };
    let creds: ChannelCredentials;
    if (this.secure) {
      const callCreds = grpc.credentials.createFromMetadataGenerator((_params, callback) => {
        const md = new grpc.Metadata();
        md.set("authorization", `Bearer ${apiKey()}`);
        callback(null, md);
      });
      creds = grpc.credentials.combineChannelCredentials(
        grpc.credentials.createSsl(config.rootCertificates ?? null),
        callCreds,
      );
    } else {
      creds = grpc.credentials.createInsecure();
    }
    this.#credentials = creds;
    // Call-level interceptors make grpc-js ignore client-level ones, so the user's run here too, after the
    // SDK's: they see its headers. grpc-js takes interceptors or providers on a call, not both: with providers,
    // every interceptor is passed as one.
    const sdk = withHeaders(!this.secure);
    const user = config.interceptors ?? [];
    const providers = config.interceptorProviders ?? [];
    if (providers.length === 0) {
      this.interceptors = [sdk, ...user];
    } else {
      this.providers = [() => sdk, ...user.map((i) => () => i), ...providers];
    }
    this.#client = this.grpcClient(grpc, creds, config.channelOptions);
    if (this.closed) this.#client.close();
    return this.#client;
  }

  /** Removes this channel's key from server-provided text (for errors: the key stays in the config's closure). */
  redactor(): Redactor {
    return redactorFor(this.config.apiKey);
  }

  /** A grpc-js client over a channel that fails calls waiting longer than {@link connectTimeout} for a connection. */
  private grpcClient(grpc: GrpcModule, creds: ChannelCredentials, options: ChannelOptions): GrpcClient {
    const Timed = connectTimeoutChannel(grpc);
    const explain = () =>
      `no connection to ${this.address} within connectTimeout (${this.connectTimeout} ms): the TCP, TLS or HTTP/2 ` +
      "handshake did not finish (is a gRPC server listening there, with the expected TLS setting?); " +
      "check the host, or raise new Client({ connectTimeout })";
    const channel = new Timed(this.address, creds, options, this.connectTimeout, explain);
    return new grpc.Client(this.address, creds, { channelOverride: channel });
  }

  /** grpc-js call options for a call with this deadline. */
  callOptions(deadline: number | undefined): GrpcCallOptions {
    const providers = this.providers;
    if (providers) {
      return deadline === undefined
        ? { interceptor_providers: providers }
        : { deadline, interceptor_providers: providers };
    }
    return deadline === undefined
      ? { interceptors: this.interceptors }
      : { deadline, interceptors: this.interceptors };
  }

  /** Request metadata for one call: its own (already checked) headers; the fixed ones come from the interceptor. */
  metadata(grpc: GrpcModule, headers: HeaderList | undefined): Metadata {
    const md = new grpc.Metadata();
    if (headers) addHeaders(md, headers);
    return md;
  }

  close(): void {
    this.closed = true;
    this.#client?.close();
    this.#noRetryClient?.close();
  }
}
