// grpc-js is loaded on the first call, not at import: importing the SDK stays cheap (see bench/).
import type {
  ChannelOptions,
  CallOptions as GrpcCallOptions,
  Client as GrpcClient,
  Interceptor,
  Metadata,
} from "@grpc/grpc-js";
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

/** Header name/value pairs, kept as plain data until grpc-js is loaded. */
export type HeaderList = [name: string, value: string][];

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

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** Splits `host[:port]` and reports whether it is loopback. */
export function parseHost(host: string): { address: string; loopback: boolean } {
  const trimmed = host.trim().replace(/^(https?|grpcs?|dns):\/\//, "");
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

/** Appends user headers (a plain record or a grpc-js Metadata) to a header list. */
export function appendHeaders(into: HeaderList, extra: MetadataInit | undefined): HeaderList {
  if (!extra) return into;
  if (typeof (extra as Metadata).toJSON === "function" && typeof (extra as Metadata).getMap === "function") {
    for (const [k, values] of Object.entries((extra as Metadata).toJSON())) {
      for (const v of values) into.push([k, String(v)]);
    }
  } else {
    for (const [k, v] of Object.entries(extra as Record<string, string>)) into.push([k.toLowerCase(), v]);
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
  private client: GrpcClient | undefined;
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
    return this.client;
  }

  /** Opens the channel (loading grpc-js on the first call of the process). */
  async open(): Promise<GrpcClient> {
    if (this.client) return this.client;
    const grpc = await loadGrpc();
    return this.openWith(grpc);
  }

  private openWith(grpc: GrpcModule): GrpcClient {
    if (this.client) return this.client;
    const { config } = this;
    const fixed = config.headers;
    const apiKey = config.apiKey;
    const withHeaders = (addAuth: boolean): Interceptor => {
      return (options, nextCall) =>
        new grpc.InterceptingCall(nextCall(options), {
          start(metadata, listener, next) {
            addHeaders(metadata, fixed);
            if (addAuth) metadata.set("authorization", `Bearer ${apiKey()}`);
            next(metadata, listener);
          },
        });
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
    this.client = new grpc.Client(this.address, creds, config.channelOptions);
    if (this.closed) this.client.close();
    return this.client;
  }

  /** grpc-js call options for a call with this deadline. */
  callOptions(deadline: number | undefined): GrpcCallOptions {
    return deadline === undefined
      ? { interceptors: this.interceptors }
      : { deadline, interceptors: this.interceptors };
  }

  /** Request metadata for one call: its own headers (the fixed ones are added by the interceptor). */
  metadata(grpc: GrpcModule, extra: MetadataInit | undefined): Metadata {
    const md = new grpc.Metadata();
    if (extra) addHeaders(md, appendHeaders([], extra));
    return md;
  }

  close(): void {
    this.closed = true;
    this.client?.close();
  }
}
