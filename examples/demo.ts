// The smallest real round trip: a local gRPC server answering the Auth service, and the SDK calling it
// over loopback. (Grows into a tour of the emulator as services land.)
import { create } from "@bufbuild/protobuf";
import { Server, ServerCredentials } from "@grpc/grpc-js";
import { ApiKeySchema, Auth } from "../src/gen/xai/api/v1/auth_pb.js";
import { Client } from "../src/index.js";
import { serviceDefinition } from "../src/testing/service-definition.js";

const server = new Server();
server.addService(serviceDefinition(Auth), {
  get_api_key_info: (_call: unknown, callback: (err: null, value: unknown) => void) =>
    callback(
      null,
      create(ApiKeySchema, { redactedApiKey: "xai-****demo", name: "demo key", acls: ["api-key:*"] }),
    ),
});
const port = await new Promise<number>((resolve, reject) =>
  server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (err, p) =>
    err ? reject(err) : resolve(p),
  ),
);
console.log(`local server on 127.0.0.1:${port}`);

await using client = new Client({ apiKey: "xai-demo-key", apiHost: `127.0.0.1:${port}` });
const info = await client.auth.apiKeyInfo();
console.log(`auth.apiKeyInfo() → ${info.redactedKey} (${info.name}), ACLs: ${info.acls.join(", ")}`);
server.forceShutdown();
