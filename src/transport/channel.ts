import {
  type ChannelOptions,
  credentials,
  type CallOptions as GrpcCallOptions,
  Client as GrpcClient,
  InterceptingCall,
  type Interceptor,
  Metadata,
} from "@grpc/grpc-js";
import type { MetadataInit } from "./options.js";

/** How to reach one xAI host. */
export interface ChannelConfig {
  /** `host` or `host:port`; the port defaults to 443. */
  host: string;
  /** `true`: plaintext; `false`: TLS even on loopback; undefined: TLS except on loopback. */
  insecure: boolean | undefined;
  /** PEM root certificates replacing the system roots (for private CAs and tests). */
  rootCertificates?: Buffer | undefined;
  channelOptions: ChannelOptions;
  /** Headers sent on every call (SDK identification and user metadata). */
  headers: Metadata;
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

/** Converts user headers to a grpc-js Metadata, appending to `into`. */
export function mergeMetadata(into: Metadata, extra: MetadataInit | undefined): Metadata {
  if (!extra) return into;
  if (extra instanceof Metadata) {
    into.merge(extra);
  } else {
    for (const [k, v] of Object.entries(extra)) into.add(k, v);
  }
  return into;
}

/** An interceptor adding fixed headers (and optionally the bearer key) to calls of every kind. */
function headerInterceptor(headers: Metadata, apiKey: (() => string) | undefined): Interceptor {
  return (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.merge(headers);
        if (apiKey) metadata.set("authorization", `Bearer ${apiKey()}`);
        next(metadata, listener);
      },
    });
}

/**
 * One grpc-js channel to one host. TLS with the system roots sends the key as call credentials;
 * plaintext (asked for, or on loopback) adds it with an interceptor, as grpc-js refuses call credentials
 * on insecure channels.
 */
export class Channel {
  readonly address: string;
  readonly secure: boolean;
  readonly grpc: GrpcClient;
  readonly interceptors: Interceptor[];

  constructor(config: ChannelConfig) {
    const { address, loopback } = parseHost(config.host);
    this.address = address;
    this.secure = config.insecure === undefined ? !loopback : !config.insecure;
    let creds: ReturnType<typeof credentials.createInsecure>;
    if (this.secure) {
      const callCreds = credentials.createFromMetadataGenerator((_params, callback) => {
        const md = new Metadata();
        md.set("authorization", `Bearer ${config.apiKey()}`);
        callback(null, md);
      });
      creds = credentials.combineChannelCredentials(
        credentials.createSsl(config.rootCertificates ?? null),
        callCreds,
      );
      this.interceptors = [headerInterceptor(config.headers, undefined)];
    } else {
      creds = credentials.createInsecure();
      this.interceptors = [headerInterceptor(config.headers, config.apiKey)];
    }
    this.grpc = new GrpcClient(address, creds, config.channelOptions);
  }

  /** grpc-js call options for a call with this deadline. */
  callOptions(deadline: number | undefined): GrpcCallOptions {
    return deadline === undefined
      ? { interceptors: this.interceptors }
      : { deadline, interceptors: this.interceptors };
  }

  /** Whether {@link close} was called. */
  closed = false;

  close(): void {
    this.closed = true;
    this.grpc.close();
  }
}
