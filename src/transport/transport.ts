import { inspect } from "node:util";
import type { ChannelOptions, Interceptor, InterceptorProvider } from "@grpc/grpc-js";
import { CallInvoker } from "./calls.js";
import { appendHeaders, Channel, type HeaderList, parseHost } from "./channel.js";
import { XaiInputError } from "./errors.js";
import type { CallObserver } from "./observe.js";
import {
  DEFAULT_TIMEOUT_MS,
  defaultChannelOptions,
  type MetadataInit,
  type RetryOptions,
  retryChannelOptions,
  sdkHeaders,
} from "./options.js";

/** Everything the transport needs, already resolved from options and environment. */
export interface TransportConfig {
  apiKey: string;
  managementApiKey: string | undefined;
  apiHost: string;
  managementApiHost: string;
  /** Where {@link apiHost} came from, named in errors; default `apiHost`. */
  apiHostOption?: string | undefined;
  /** Where {@link managementApiHost} came from, named in errors; default `managementApiHost`. */
  managementApiHostOption?: string | undefined;
  /** The retry policy; undefined is the default policy, `false` no retries. */
  retry?: RetryOptions | false | undefined;
  metadata: MetadataInit | undefined;
  channelOptions: ChannelOptions | undefined;
  timeout: number | undefined;
  insecure: boolean | undefined;
  rootCertificates: Buffer | undefined;
  /** User interceptors, run on every call after the SDK's (before those of `channelOptions.interceptors`). */
  interceptors?: readonly Interceptor[] | undefined;
  /** The longest wait for a connection, in milliseconds; default 20000. */
  connectTimeout?: number | undefined;
  /** Allows `insecure: true` to hosts that are not loopback. */
  allowInsecureRemote?: boolean | undefined;
  /** The observer of a channel's calls (tracing, logging), given the channel's `host:port`; none by default. */
  observer?: ((address: string) => CallObserver | undefined) | undefined;
}

/** Checks that `value` is undefined or an array of functions; `what` names the option in the error. */
function functionsOf<F>(value: unknown, what: string, expected: string): F[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((f) => typeof f === "function")) {
    throw new XaiInputError(`${what} must be an array of ${expected}`);
  }
  return value as F[];
}

/** The channel options of a given `retry` option, refused next to channel options that set retries too. */
function retryOptions(config: TransportConfig): ChannelOptions {
  const user = config.channelOptions ?? {};
  for (const name of ["grpc.service_config", "grpc.enable_retries"]) {
    if (user[name] !== undefined) {
      throw new XaiInputError(
        `retry and channelOptions["${name}"] both set how calls are retried: pass one of them ` +
          '(retry for a retry policy; channelOptions["grpc.service_config"] for a whole grpc-js service config, which then replaces the SDK\'s policy)',
      );
    }
  }
  return retryChannelOptions(config.retry);
}

/**
 * The API channel and, when a management key is given, the management channel, each created once.
 * Services reach xAI only through `api` and `management`.
 */
export class Transport {
  readonly api: CallInvoker;
  readonly timeout: number;
  readonly channelOptions: Readonly<ChannelOptions>;
  private readonly apiChannel: Channel;
  private readonly managementChannel: Channel | undefined;
  private readonly managementInvoker: CallInvoker | undefined;
  private closed = false;

  constructor(config: TransportConfig) {
    const timeout = config.timeout ?? DEFAULT_TIMEOUT_MS;
    if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout <= 0) {
      throw new XaiInputError(
        `timeout must be a positive number of milliseconds, got ${String(config.timeout)}; e.g. new Client({ timeout: 60_000 })`,
      );
    }
    this.timeout = timeout;
    const allow = config.allowInsecureRemote;
    if (allow !== undefined && typeof allow !== "boolean") {
      throw new XaiInputError(
        `allowInsecureRemote must be true or false, got ${String(allow)}; e.g. new Client({ insecure: true, allowInsecureRemote: true })`,
      );
    }
    const channelOptions: ChannelOptions = { ...defaultChannelOptions(), ...config.channelOptions };
    if (config.retry !== undefined) {
      // The policy replaces the default one (no retry policy at all when retries are off).
      delete channelOptions["grpc.service_config"];
      Object.assign(channelOptions, retryOptions(config));
    }
    this.channelOptions = Object.freeze(channelOptions);
    // grpc-js ignores a client's interceptors once a call has its own (the SDK's): the channel runs them itself.
    const {
      interceptors: channelInterceptors,
      interceptor_providers: channelProviders,
      ...grpcOptions
    } = channelOptions as ChannelOptions & { interceptors?: unknown; interceptor_providers?: unknown };
    const interceptors = [
      ...functionsOf<Interceptor>(
        config.interceptors,
        "interceptors",
        "grpc-js interceptors, functions (options, nextCall) => InterceptingCall; e.g. new Client({ interceptors: [logCalls] })",
      ),
      ...functionsOf<Interceptor>(
        channelInterceptors,
        "channelOptions.interceptors",
        "grpc-js interceptors (functions); or pass them as the Client's `interceptors` option, which runs them the same way",
      ),
    ];
    const interceptorProviders = functionsOf<InterceptorProvider>(
      channelProviders,
      "channelOptions.interceptor_providers",
      "functions (methodDefinition) => Interceptor | undefined; or pass interceptors as the Client's `interceptors` option",
    );
    const headers: HeaderList = appendHeaders([], config.metadata);
    for (const [k, v] of Object.entries(sdkHeaders())) headers.push([k, v]);
    const apiKey = config.apiKey;
    this.apiChannel = new Channel({
      host: config.apiHost,
      optionName: config.apiHostOption ?? "apiHost",
      insecure: config.insecure,
      rootCertificates: config.rootCertificates,
      channelOptions: grpcOptions,
      interceptors,
      interceptorProviders,
      headers,
      apiKey: () => apiKey,
      connectTimeout: config.connectTimeout,
      allowInsecureRemote: config.allowInsecureRemote,
    });
    this.api = new CallInvoker(this.apiChannel, timeout, config.observer?.(this.apiChannel.address));
    const managementKey = config.managementApiKey;
    const managementOption = config.managementApiHostOption ?? "managementApiHost";
    if (managementKey) {
      this.managementChannel = new Channel({
        host: config.managementApiHost,
        optionName: managementOption,
        insecure: config.insecure,
        rootCertificates: config.rootCertificates,
        channelOptions: grpcOptions,
        interceptors,
        interceptorProviders,
        headers,
        apiKey: () => managementKey,
        connectTimeout: config.connectTimeout,
        allowInsecureRemote: config.allowInsecureRemote,
      });
      this.managementInvoker = new CallInvoker(
        this.managementChannel,
        timeout,
        config.observer?.(this.managementChannel.address),
      );
    } else {
      // Checked even without a management channel, so that a typo shows at once.
      parseHost(config.managementApiHost, managementOption);
    }
  }

  /** The management channel's invoker; a clear error when no management key was given. */
  get management(): CallInvoker {
    if (!this.managementInvoker) {
      throw new XaiInputError(
        "this call needs a management API key: pass `managementApiKey` to the Client or set XAI_MANAGEMENT_KEY",
      );
    }
    return this.managementInvoker;
  }

  /** Whether a management channel exists. */
  get hasManagement(): boolean {
    return this.managementInvoker !== undefined;
  }

  /** The API channel's `host:port`. */
  get apiAddress(): string {
    return this.apiChannel.address;
  }

  /**
   * Closes both channels. Every call in flight is cancelled first: it rejects with a `CancelledError` naming
   * the close (a pending stream `next()` too), and the server sees the cancellation. Later calls are
   * `XaiInputError`s. Idempotent.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.managementInvoker?.close();
    this.api.close();
  }

  [inspect.custom](): string {
    return `Transport { api: ${this.apiChannel.address}, management: ${this.managementChannel?.address ?? "none"} }`;
  }

  toJSON(): Record<string, unknown> {
    return { api: this.apiChannel.address, management: this.managementChannel?.address ?? null };
  }
}
