// Recording: a gRPC proxy on loopback that forwards every method of the API, as raw bytes, to the real host
// (or any stand-in), and writes each call to the cassette, scrubbed, once it ends. The client talks to the
// proxy with the emulator's keys; the proxy sends the upstream's key instead, so the real key stays here.
import { type DescMessage, fromBinary, type JsonValue, toBinary } from "@bufbuild/protobuf";
import {
  type CallOptions,
  Client,
  type ClientReadableStream,
  type ClientUnaryCall,
  type ClientWritableStream,
  credentials,
  type Metadata,
  type MethodDefinition,
  Server,
  ServerCredentials,
  type ServerDuplexStream,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceDefinition,
  type StatusObject,
  type sendUnaryData,
  type UntypedHandleCall,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { bearerKey } from "../keys.js";
import {
  CASSETTE_FORMAT,
  CASSETTE_VERSION,
  type CassetteCall,
  type CassetteFile,
  type CassetteMessage,
  formatCassette,
  jsonRoundTrips,
  messageToJson,
  writeCassette,
} from "./format.js";
import { type ApiMethod, apiMethods, apiServices } from "./methods.js";
import type { Scrubber } from "./scrub.js";

/** A call being recorded: its cassette entry, when it started, and its place in the file. */
interface OpenCall {
  call: CassetteCall;
  started: number;
  slot: number;
}

/** The order of a call's fields in the file: method, request(s), metadata, responses, status, trailers. */
const CALL_FIELD_ORDER = [
  "method",
  "request",
  "requests",
  "requestMetadata",
  "responseMetadata",
  "responses",
  "status",
  "trailers",
] as const satisfies readonly (keyof CassetteCall)[];

/** What the proxy needs of an upstream grpc-js call. */
type UpstreamCall = ClientUnaryCall | ClientReadableStream<Buffer> | ClientWritableStream<Buffer>;

/**
 * Where recording sends calls, and the keys it sends. Each field falls back to the SDK's environment
 * variables, then to xAI's hosts.
 *
 * @example
 * ```ts
 * const upstream: CassetteUpstream = { apiHost: "api.x.ai", apiKey: process.env.XAI_API_KEY };
 * ```
 */
export interface CassetteUpstream {
  /** Default `XAI_API_HOST`, else `api.x.ai` (port 443 when none is given). */
  apiHost?: string;
  /** Default `XAI_MANAGEMENT_API_HOST`, else `management-api.x.ai`. */
  managementApiHost?: string;
  /** Default `XAI_API_KEY`. */
  apiKey?: string;
  /** Default `XAI_MANAGEMENT_KEY` (needed only to record collections calls). */
  managementApiKey?: string;
  /** Plaintext to the upstream; default: plaintext on loopback hosts only, TLS elsewhere. */
  insecure?: boolean;
}

/** The upstream with every default filled in. */
export interface ResolvedUpstream {
  apiHost: string;
  managementApiHost: string;
  apiKey: string;
  managementApiKey: string | undefined;
  insecure: boolean | undefined;
}

const LOOPBACK = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d+)?$/i;

function target(host: string): string {
  return /:\d+$/.test(host) && !/^[^[].*:.*:/.test(host) ? host : `${host}:443`;
}

function channelCredentials(host: string, insecure: boolean | undefined) {
  const plain = insecure ?? LOOPBACK.test(host);
  return plain ? credentials.createInsecure() : credentials.createSsl();
}

const CHANNEL_OPTIONS = {
  "grpc.max_receive_message_length": -1,
  "grpc.max_send_message_length": -1,
  "grpc.enable_retries": 0,
};

const identity = (bytes: Buffer) => bytes;

function passthrough(method: ApiMethod): MethodDefinition<Buffer, Buffer> {
  const kind = method.method.methodKind;
  return {
    path: method.path,
    requestStream: kind === "client_streaming" || kind === "bidi_streaming",
    responseStream: kind === "server_streaming" || kind === "bidi_streaming",
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
    originalName: method.method.name,
  };
}

/** Transport headers that say nothing about the call and change on every recording. */
const TRANSPORT_HEADERS = new Set(["content-type", "date", "grpc-accept-encoding", "grpc-encoding", "te"]);

function headersOf(metadata: Metadata | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!metadata) return out;
  const map = metadata.getMap();
  for (const key of Object.keys(map).sort()) {
    if (TRANSPORT_HEADERS.has(key)) continue;
    const value = map[key];
    out[key] = typeof value === "string" ? value : Buffer.from(value as Buffer).toString("base64");
  }
  return out;
}

/** The keys the client sends to the proxy (the emulator's), which the proxy swaps for the upstream's. */
export interface LocalKeys {
  apiKey: string;
  managementApiKey: string;
}

/**
 * A recording proxy. `start()` listens on loopback; every call ends up in `calls` and in the file.
 *
 * @example
 * ```ts
 * const recorder = new CassetteRecorder(path, upstream, scrubber, { apiKey, managementApiKey });
 * const host = await recorder.start();
 * ```
 */
export class CassetteRecorder {
  readonly #path: string;
  readonly #upstream: ResolvedUpstream;
  readonly #scrubber: Scrubber;
  readonly #keys: LocalKeys;
  readonly #server = new Server(CHANNEL_OPTIONS);
  readonly #clients: { api: Client; management: Client };
  readonly #slots: (CassetteCall | undefined)[] = [];
  readonly #recordedAt = new Date().toISOString();
  readonly #open = new Set<{ cancel(): void }>();
  #stopping: Promise<void> | undefined;
  #pendingWrite: NodeJS.Timeout | undefined;

  constructor(path: string, upstream: ResolvedUpstream, scrubber: Scrubber, keys: LocalKeys) {
    this.#path = path;
    this.#upstream = upstream;
    this.#scrubber = scrubber;
    this.#keys = keys;
    scrubber.addSecret(upstream.apiKey);
    scrubber.addSecret(upstream.managementApiKey);
    this.#clients = {
      api: new Client(
        target(upstream.apiHost),
        channelCredentials(upstream.apiHost, upstream.insecure),
        CHANNEL_OPTIONS,
      ),
      management: new Client(
        target(upstream.managementApiHost),
        channelCredentials(upstream.managementApiHost, upstream.insecure),
        CHANNEL_OPTIONS,
      ),
    };
  }

  /** The calls recorded so far (completed ones), in the order they started. */
  get calls(): CassetteCall[] {
    return this.#slots.filter((call): call is CassetteCall => call !== undefined);
  }

  /** Listens on 127.0.0.1 (a free port); resolves with `127.0.0.1:<port>`. */
  async start(): Promise<string> {
    for (const service of apiServices()) {
      const definition: Record<string, MethodDefinition<Buffer, Buffer>> = {};
      const handlers: UntypedServiceImplementation = {};
      for (const method of service.methods) {
        const entry = apiMethods().get(`/${service.typeName}/${method.name}`);
        if (!entry) continue;
        definition[method.localName] = passthrough(entry);
        handlers[method.localName] = this.#handler(entry);
      }
      this.#server.addService(definition as ServiceDefinition, handlers);
    }
    const port = await new Promise<number>((resolve, reject) => {
      this.#server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) =>
        error
          ? reject(new Error(`The cassette recorder could not listen on loopback: ${error.message}`))
          : resolve(bound),
      );
    });
    this.#write();
    return `127.0.0.1:${port}`;
  }

  /** Ends open calls, frees the port, and writes the cassette; safe to call twice. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          for (const call of this.#open) call.cancel();
          this.#server.forceShutdown();
          resolve();
        }, 1_000);
        this.#server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.#clients.api.close();
      this.#clients.management.close();
      clearTimeout(this.#pendingWrite);
      this.#write();
    })();
    return this.#stopping;
  }

  /** Writes the file soon: calls that end close together are written once (a file is rewritten whole). */
  #scheduleWrite(): void {
    if (this.#pendingWrite || this.#stopping) return;
    this.#pendingWrite = setTimeout(() => {
      this.#pendingWrite = undefined;
      this.#write();
    }, 50);
    this.#pendingWrite.unref();
  }

  #write(): void {
    const cassette: CassetteFile = {
      format: CASSETTE_FORMAT,
      version: CASSETTE_VERSION,
      recordedAt: this.#recordedAt,
      scrubbed: { fields: [...this.#scrubber.fields], headers: [...this.#scrubber.headers] },
      calls: this.calls,
    };
    writeCassette(this.#path, this.#scrubber.text(formatCassette(cassette)));
  }

  /**
   * Why the proxy answers a call itself instead of forwarding it: a collections call sent with the
   * emulator's management key while the recording has no management key to swap in.
   */
  #refusal(entry: ApiMethod, incoming: Metadata): string | undefined {
    if (!entry.management || this.#upstream.managementApiKey !== undefined) return undefined;
    const header = incoming.get("authorization")[0];
    if (bearerKey(typeof header === "string" ? header : undefined) !== this.#keys.managementApiKey)
      return undefined;
    return `Recording ${entry.path} needs the upstream's management key: pass upstream.managementApiKey to withCassette or set XAI_MANAGEMENT_KEY.`;
  }

  /** The metadata sent upstream: the client's, with the emulator's key swapped for the upstream's. */
  #upstreamMetadata(entry: ApiMethod, incoming: Metadata): Metadata {
    const metadata = incoming.clone();
    const header = incoming.get("authorization")[0];
    const key = bearerKey(typeof header === "string" ? header : undefined);
    metadata.remove("authorization");
    const local = entry.management ? this.#keys.managementApiKey : this.#keys.apiKey;
    const upstreamKey = entry.management ? this.#upstream.managementApiKey : this.#upstream.apiKey;
    if (key !== undefined && key === local && upstreamKey !== undefined) {
      metadata.set("authorization", `Bearer ${upstreamKey}`);
    } else if (typeof header === "string") {
      // Another key (a test of a wrong key, say) goes through as sent, and is scrubbed like the real one.
      this.#scrubber.addSecret(key);
      metadata.set("authorization", header);
    }
    return metadata;
  }

  #options(call: { getDeadline(): Date | number }): CallOptions {
    const deadline = call.getDeadline();
    const ms = deadline instanceof Date ? deadline.getTime() : deadline;
    return Number.isFinite(ms) ? { deadline } : {};
  }

  /** Opens the record of a call; returns its slot (calls are written in the order they started). */
  #begin(entry: ApiMethod, metadata: Metadata): OpenCall {
    // Another key than the emulator's (a test of a wrong key) is a secret before this call's headers are
    // scrubbed: a binary header holding it is written as base64, where the file's last pass cannot see it.
    const header = metadata.get("authorization")[0];
    const key = bearerKey(typeof header === "string" ? header : undefined);
    if (key !== (entry.management ? this.#keys.managementApiKey : this.#keys.apiKey))
      this.#scrubber.addSecret(key);
    const headers = headersOf(metadata);
    const call: CassetteCall = {
      method: entry.path,
      requestMetadata: this.#scrubber.headerMap(headers),
      responses: [],
      status: { code: 0, details: "", afterMs: 0 },
    };
    this.#slots.push(undefined);
    return { call, started: Date.now(), slot: this.#slots.length - 1 };
  }

  #request(schema: DescMessage, bytes: Buffer): JsonValue {
    const message = fromBinary(schema, bytes);
    this.#scrubber.message(schema, message);
    return messageToJson(schema, message) ?? {};
  }

  #response(schema: DescMessage, bytes: Buffer, afterMs: number): CassetteMessage {
    const message = fromBinary(schema, bytes);
    const changed = this.#scrubber.message(schema, message) || this.#scrubber.bytes(bytes) !== bytes;
    const json = messageToJson(schema, message);
    if (json === undefined) {
      // Unknown fields go back into the bytes unscrubbed by the message walk: scrub the bytes themselves.
      const binary = this.#scrubber.opaqueBytes(toBinary(schema, message));
      return { afterMs, binary: Buffer.from(binary).toString("base64") };
    }
    if (changed || jsonRoundTrips(schema, json, bytes)) return { afterMs, message: json };
    return { afterMs, message: json, binary: bytes.toString("base64") };
  }

  #finish(
    open: OpenCall,
    status: StatusObject | { code: number; details: string; metadata?: Metadata },
    headers: Metadata | undefined,
  ): void {
    const { call } = open;
    // UNAVAILABLE without a single header: the call never reached the upstream (no network, a wrong host).
    // Keeping it would make every replay fail the same way, so it is left out of the cassette.
    const reached = headers !== undefined || Object.keys(status.metadata?.getMap() ?? {}).length > 0;
    if (!reached && status.code === 14) return;
    call.status = {
      code: status.code,
      details: this.#scrubber.text(status.details ?? ""),
      afterMs: Date.now() - open.started,
    };
    const initial = headersOf(headers);
    if (Object.keys(initial).length > 0) call.responseMetadata = this.#scrubber.headerMap(initial);
    const trailers = headersOf(status.metadata);
    if (Object.keys(trailers).length > 0) call.trailers = this.#scrubber.headerMap(trailers);
    // In the file's field order; the JSON round trip drops the fields left undefined.
    const ordered = Object.fromEntries(CALL_FIELD_ORDER.map((field) => [field, call[field]]));
    this.#slots[open.slot] = JSON.parse(JSON.stringify(ordered)) as CassetteCall;
    this.#scheduleWrite();
  }

  /** Wires an upstream call to the caller's: cancellation, response headers, and the end (recorded first, then `end`). */
  #relay(
    open: OpenCall,
    call: { on(event: "cancelled", listener: () => void): unknown; sendMetadata(metadata: Metadata): void },
    upstream: UpstreamCall,
    end: (status: StatusObject) => void,
  ): void {
    let headers: Metadata | undefined;
    this.#open.add(upstream);
    call.on("cancelled", () => upstream.cancel());
    upstream.on("metadata", (metadata: Metadata) => {
      headers = metadata;
      call.sendMetadata(metadata);
    });
    upstream.on("status", (status: StatusObject) => {
      this.#open.delete(upstream);
      this.#finish(open, status, headers);
      end(status);
    });
  }

  /**
   * The callback of an upstream call with one response (unary, client stream), which records that response,
   * and the end that answers the caller with it.
   */
  #singleResponse(
    open: OpenCall,
    output: DescMessage,
    callback: sendUnaryData<Buffer>,
  ): { received: (error: unknown, value?: Buffer) => void; end: (status: StatusObject) => void } {
    let response: Buffer | undefined;
    return {
      received: (_error, value) => {
        if (!value) return;
        response = value;
        open.call.responses.push(this.#response(output, value, Date.now() - open.started));
      },
      end: (status) => {
        if (status.code === 0 && response) callback(null, response, status.metadata);
        else callback({ code: status.code, details: status.details, metadata: status.metadata });
      },
    };
  }

  #handler(entry: ApiMethod): UntypedHandleCall {
    const client = entry.management ? this.#clients.management : this.#clients.api;
    const input = entry.input;
    const output = entry.output;
    switch (entry.method.methodKind) {
      case "unary":
        return ((call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
          const refused = this.#refusal(entry, call.metadata);
          if (refused) return callback({ code: 16, details: refused });
          const open = this.#begin(entry, call.metadata);
          open.call.request = this.#request(input, call.request);
          const answer = this.#singleResponse(open, output, callback);
          const upstream = client.makeUnaryRequest(
            entry.path,
            identity,
            identity,
            call.request,
            this.#upstreamMetadata(entry, call.metadata),
            this.#options(call),
            answer.received,
          );
          this.#relay(open, call, upstream, answer.end);
        }) as UntypedHandleCall;
      case "server_streaming":
        return ((call: ServerWritableStream<Buffer, Buffer>) => {
          const refused = this.#refusal(entry, call.metadata);
          if (refused) return call.emit("error", { code: 16, details: refused });
          const open = this.#begin(entry, call.metadata);
          open.call.request = this.#request(input, call.request);
          const upstream: ClientReadableStream<Buffer> = client.makeServerStreamRequest(
            entry.path,
            identity,
            identity,
            call.request,
            this.#upstreamMetadata(entry, call.metadata),
            this.#options(call),
          );
          upstream.on("data", (bytes: Buffer) => {
            open.call.responses.push(this.#response(output, bytes, Date.now() - open.started));
            if (!call.write(bytes)) {
              upstream.pause();
              call.once("drain", () => upstream.resume());
            }
          });
          upstream.on("error", () => {
            // The status event that follows carries it.
          });
          this.#relay(open, call, upstream, (status) => {
            if (status.code === 0) call.end(status.metadata);
            else
              call.emit("error", { code: status.code, details: status.details, metadata: status.metadata });
          });
        }) as UntypedHandleCall;
      case "client_streaming":
        return ((call: ServerReadableStream<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
          const refused = this.#refusal(entry, call.metadata);
          if (refused) return callback({ code: 16, details: refused });
          const open = this.#begin(entry, call.metadata);
          const requests: JsonValue[] = [];
          open.call.requests = requests;
          const answer = this.#singleResponse(open, output, callback);
          const upstream = client.makeClientStreamRequest(
            entry.path,
            identity,
            identity,
            this.#upstreamMetadata(entry, call.metadata),
            this.#options(call),
            answer.received,
          );
          call.on("data", (bytes: Buffer) => {
            requests.push(this.#request(input, bytes));
            upstream.write(bytes);
          });
          call.on("end", () => upstream.end());
          this.#relay(open, call, upstream, answer.end);
        }) as UntypedHandleCall;
      default:
        return ((call: ServerDuplexStream<Buffer, Buffer>) => {
          call.emit("error", {
            code: 12,
            details: `${entry.path} cannot be recorded: bidirectional streams are not supported.`,
          });
        }) as UntypedHandleCall;
    }
  }
}
