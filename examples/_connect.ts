// Shared by the chat examples: talk to xAI when XAI_API_KEY is set, else to an emulator started in-process
// (no key, no network). `await using session = await connect()` closes everything at the end of the block.
import { Client } from "xai-grpc";
import { startEmulator } from "xai-grpc/testing";

export interface Session {
  client: Client;
  /** True when talking to the in-process emulator. */
  emulated: boolean;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function connect(): Promise<Session> {
  const emulator = process.env.XAI_API_KEY ? undefined : await startEmulator();
  const client = new Client(emulator?.clientOptions());
  if (emulator) console.log(`(no XAI_API_KEY: using the emulator at ${emulator.apiHost})\n`);
  return {
    client,
    emulated: emulator !== undefined,
    async [Symbol.asyncDispose]() {
      client.close();
      await emulator?.stop();
    },
  };
}
