// grpc-js is loaded on the first call, not at import: importing the SDK stays cheap (see bench/).
import type {
  ChannelOptions,
  CallOptions as GrpcCallOptions,
  Client as GrpcClient,
  Interceptor,
  InterceptorOptions,
  Metadata,
  NextCall,
} from "@grpc/grpc-js";
import { XaiInputError } from "./errors.js";
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

/** How to reach one xAI host. */
export interface ChannelConfig {
  /** `host` or `host:port`; the port defaults to 443. */
  host: string;
  /** `true`: plaintext; `false`: TLS even on loopback; undefined: TLS except on loopback. */
  insecure: boolean | undefined;
  /** PEM root certificates replacing the system roots (for private CAs and tests). */
  rootCertificates?: Buffer | undefined;
  channelOptions: ChannelOptions;
  /** Headers sent on every call (user metadata, then SDK identification). */
  headers: HeaderList;
  /** Returns the bearer key; a function so that the key is not stored on any inspectable object. */
  apiKey: () => string;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Splits `host[:port]` and reports whether it is loopback. */
export function parseHost(host: string): { address: string; loopback: boolean } {
  let trimmed = host.trim().replace(/^(https?|grpcs?|dns):\/\//, "");
  // A bare IPv6 address (two or more colons, no brackets) has no port: bracket it.
  if (!trimmed.startsWith("[") && (trimmed.match(/:/g) ?? []).length > 1) trimmed = `[${trimmed}]`;
  const ipv6 = /^(\[[^\]]+\])(?::(\d+))?$/.exec(trimmed);
  let name: string;
  let port: string | undefined;
  if (ipv6) {
    name = ipv6[1];
    port = ipv6[2];
  } else {
    const at = trimmed.lastIndexOf(":");
    name = at >= 0 ? trimmed.slice(0, at) : trimmed;
    port = at >= 0 ? trimmed.slice(at + 1) : undefined;
  }
  return { address: `${name}:${port || "443"}`, loopback: LOOPBACK_HOSTS.has(name.toLowerCase()) };
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
 * every kind (unary, server- and client-streaming) carry them.
 */
export class Channel {
  readonly address: string;
  readonly secure: boolean;
  /** Whether {@link close} was called. */
  closed = false;
  #client: GrpcClient | undefined;
  private interceptors: Interceptor[] = [];
  private readonly config: ChannelConfig;

  constructor(config: ChannelConfig) {
    const { address, loopback } = parseHost(config.host);
    this.address = address;
    this.secure = config.insecure === undefined ? !loopback : !config.insecure;
    this.config = config;
  }

  /** The grpc-js client if the channel is open (synchronous fast path). */
  get opened(): GrpcClient | undefined {
    return this.#client;
  }

  /** Opens the channel (loading grpc-js on the first call of the process). */
  async open(): Promise<GrpcClient> {
    if (this.#client) return this.#client;
    const grpc = await loadGrpc();
    return this.openWith(grpc);
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
    let creds: ReturnType<typeof grpc.credentials.createInsecure>;
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
      this.interceptors = [withHeaders(false)];
    } else {
      creds = grpc.credentials.createInsecure();
      this.interceptors = [withHeaders(true)];
    }
    this.#client = new grpc.Client(this.address, creds, config.channelOptions);
    if (this.closed) this.#client.close();
    return this.#client;
  }

  /** grpc-js call options for a call with this deadline. */
  callOptions(deadline: number | undefined): GrpcCallOptions {
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
  }
}
