// A small grpc-js server for the transport tests: it serves chosen methods of the generated services with
// behaviour each test controls (failures, delays, captured headers), plaintext or TLS.
import type { DescService } from "@bufbuild/protobuf";
import {
  type Metadata,
  Server,
  ServerCredentials,
  type ServerDuplexStream,
  type UntypedHandleCall,
} from "@grpc/grpc-js";
import { serviceDefinition } from "../../src/testing/service-definition.js";

export interface ReceivedCall {
  method: string;
  /** The first value of each header (as `Metadata.getMap()` keeps it): cannot show a duplicate. */
  headers: Record<string, string>;
  /** Every value of each header, in order: use it to check that a header was sent exactly once. */
  values: Record<string, string[]>;
}

export interface TestServer {
  port: number;
  address: string;
  received: ReceivedCall[];
  stop(): Promise<void>;
}

export function headersOf(metadata: Metadata): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata.getMap())) out[k] = String(v);
  return out;
}

/** Every value of each header (`Metadata.get(name)` returns all of them; `getMap()` keeps one). */
export function headerValuesOf(metadata: Metadata): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of Object.keys(metadata.getMap())) out[name] = metadata.get(name).map((v) => String(v));
  return out;
}

type Handlers = Record<string, UntypedHandleCall>;

/** Starts a server with the given services; every call's headers are recorded in `received`. */
export async function startTestServer(
  services: { service: DescService; handlers: Record<string, unknown> }[],
  tls?: { key: string; cert: string },
): Promise<TestServer> {
  const server = new Server();
  const received: ReceivedCall[] = [];
  for (const { service, handlers } of services) {
    const wrapped: Handlers = {};
    for (const [name, handler] of Object.entries(handlers)) {
      const method = service.methods.find((m) => m.localName === name);
      const path = `/${service.typeName}/${method?.name ?? name}`;
      wrapped[name] = ((call: ServerDuplexStream<unknown, unknown>, callback?: unknown) => {
        received.push({
          method: path,
          headers: headersOf(call.metadata),
          values: headerValuesOf(call.metadata),
        });
        return (handler as (c: unknown, cb?: unknown) => void)(call, callback);
      }) as UntypedHandleCall;
    }
    server.addService(serviceDefinition(service), wrapped);
  }
  const creds = tls
    ? ServerCredentials.createSsl(null, [
        { private_key: Buffer.from(tls.key), cert_chain: Buffer.from(tls.cert) },
      ])
    : ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", creds, (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    port,
    address: `127.0.0.1:${port}`,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown();
        resolve();
      }),
  };
}
