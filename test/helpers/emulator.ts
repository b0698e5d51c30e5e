// One emulator per test file (or per describe) with its clients: node:test hooks start it before the first
// test, close the clients and stop it after the last one, and optionally reset it before each test.
import { after, before, beforeEach } from "node:test";
import type { GetCompletionsRequest } from "../../src/gen/xai/api/v1/chat_pb.js";
import { Client, type ClientOptions } from "../../src/index.js";
import { type Emulator, type EmulatorOptions, startEmulator } from "../../src/testing/index.js";
import { RawClient } from "./raw-client.js";

/** Emulator options, plus whether to clear its calls, scripts, faults and data before each test. */
export interface UseEmulatorOptions extends EmulatorOptions {
  resetBeforeEach?: boolean;
}

/** A running emulator and an SDK client connected to it (read inside tests, after `before` ran). */
export interface EmulatorWithClient {
  readonly emulator: Emulator;
  readonly client: Client;
}

/** A running emulator and raw grpc-js clients holding its keys, one per port (no SDK code). */
export interface EmulatorWithRawClients {
  readonly emulator: Emulator;
  readonly api: RawClient;
  readonly management: RawClient;
}

/**
 * Registers the hooks that run one emulator for the enclosing file or describe, with what `connect` builds;
 * returns a getter that fails clearly when read outside a test.
 */
function useConnectedEmulator<T>(
  options: UseEmulatorOptions,
  connect: (emulator: Emulator) => T,
  disconnect: (connection: T) => void,
): () => { emulator: Emulator; connection: T } {
  const { resetBeforeEach = false, ...emulatorOptions } = options;
  let current: { emulator: Emulator; connection: T } | undefined;
  before(async () => {
    const emulator = await startEmulator(emulatorOptions);
    current = { emulator, connection: connect(emulator) };
  });
  after(async () => {
    if (!current) return;
    disconnect(current.connection);
    await current.emulator.stop();
    current = undefined;
  });
  if (resetBeforeEach) beforeEach(() => current?.emulator.reset());
  return () => {
    if (!current) throw new Error("the test emulator runs only between the before and after hooks");
    return current;
  };
}

/**
 * An emulator and an SDK `Client` for the enclosing file or describe.
 *
 * @example
 * ```ts
 * const env = useEmulator({ resetBeforeEach: true });
 * test("lists models", async () => {
 *   assert.ok((await env.client.models.listLanguageModels()).length > 0);
 *   assert.equal(env.emulator.calls.length, 1);
 * });
 * ```
 */
export function useEmulator(options: UseEmulatorOptions = {}): EmulatorWithClient {
  const current = useConnectedEmulator(
    options,
    (emulator) => new Client(emulator.clientOptions()),
    (client) => client.close(),
  );
  return {
    get emulator() {
      return current().emulator;
    },
    get client() {
      return current().connection;
    },
  };
}

/**
 * An emulator and raw grpc-js clients on its API and management ports, for tests of the emulator itself.
 * `apiHeaders` are extra metadata the API client sends with every call.
 *
 * @example
 * ```ts
 * const env = useRawEmulator();
 * test("tokenizes", async () => {
 *   const result = await env.api.unary(Tokenize.method.tokenizeText, { text: "hi", model: "grok-3" });
 *   assert.ok(result.ok);
 * });
 * ```
 */
export function useRawEmulator(
  options: UseEmulatorOptions & { apiHeaders?: Record<string, string> } = {},
): EmulatorWithRawClients {
  const { apiHeaders, ...rest } = options;
  const current = useConnectedEmulator(
    rest,
    (emulator) => ({
      api: new RawClient(emulator.apiHost, emulator.apiKey, apiHeaders),
      management: new RawClient(emulator.managementApiHost, emulator.managementApiKey),
    }),
    ({ api, management }) => {
      api.close();
      management.close();
    },
  );
  return {
    get emulator() {
      return current().emulator;
    },
    get api() {
      return current().connection.api;
    },
    get management() {
      return current().connection.management;
    },
  };
}

/**
 * Runs `body` against an emulator of its own (for options the shared one must not have, such as a slow
 * clock), then closes the client and stops the emulator whatever happened.
 *
 * @example
 * ```ts
 * await withEmulator({ deferredPolls: 100_000 }, async ({ client }) => {
 *   await assert.rejects(client.video.generate({ prompt: "x" }, { timeout: 50 }), PollTimeoutError);
 * });
 * ```
 */
export async function withEmulator<T>(
  options: EmulatorOptions,
  body: (env: EmulatorWithClient) => Promise<T>,
): Promise<T> {
  const emulator = await startEmulator(options);
  const client = new Client(emulator.clientOptions());
  try {
    return await body({ emulator, client });
  } finally {
    client.close();
    await emulator.stop();
  }
}

/**
 * Waits (without a deadline of its own: the runner's per-test timeout bounds it) until the emulator recorded the
 * final status of the last call to `method`, and returns it.
 *
 * @example
 * ```ts
 * assert.equal(await finalStatusOfLast(env.emulator, "/xai_api.Chat/GetCompletionChunk"), Code.CANCELLED);
 * ```
 */
export async function finalStatusOfLast(emulator: Emulator, method: string): Promise<number> {
  for (;;) {
    const status = emulator.calls.filter((c) => c.method === method).at(-1)?.status;
    if (status !== undefined) return status;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * The chat requests (`GetCompletion`) the emulator received, oldest first.
 *
 * @example
 * ```ts
 * assert.equal(completionRequests(env.emulator).at(-1)?.messages.length, 3);
 * ```
 */
export function completionRequests(emulator: Emulator): GetCompletionsRequest[] {
  return emulator.calls
    .filter((c) => c.method === "/xai_api.Chat/GetCompletion")
    .map((c) => c.request as GetCompletionsRequest);
}

/**
 * The retry policy of the Python SDK, as grpc-js's service config: what the client must write by default.
 *
 * @example
 * ```ts
 * assert.deepEqual(JSON.parse(String(client.channelOptions["grpc.service_config"])), PYTHON_SERVICE_CONFIG);
 * ```
 */
export const PYTHON_SERVICE_CONFIG = {
  methodConfig: [
    {
      name: [{}],
      retryPolicy: {
        maxAttempts: 5,
        initialBackoff: "0.1s",
        maxBackoff: "1s",
        backoffMultiplier: 2,
        retryableStatusCodes: ["UNAVAILABLE"],
      },
    },
  ],
};

/**
 * Runs `body` with a client of its own on `emulator` (the emulator's options, then `options`), closed afterwards.
 *
 * @example
 * ```ts
 * await withClientOf(env.emulator, { retry: false }, async (client) => client.models.listLanguageModels());
 * ```
 */
export async function withClientOf<T>(
  emulator: Emulator,
  options: ClientOptions,
  body: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ ...emulator.clientOptions(), ...options });
  try {
    return await body(client);
  } finally {
    client.close();
  }
}
