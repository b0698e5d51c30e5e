// What every command receives: the terminal, the environment, and the client built from the global options.
import type { Command } from "commander";
import { Client } from "../client.js";
import { DEFAULT_HOST } from "./defaults.js";
import { UsageError } from "./errors.js";
import type { Terminal } from "./output.js";

/**
 * The options every command accepts (declared on the root program).
 *
 * @example
 * ```ts
 * const { host, timeout } = ctx.globals(command); // from `xai --host h --timeout 30 …`
 * ```
 */
export interface GlobalOptions {
  /** `--api-key`; falls back to `XAI_API_KEY`. */
  apiKey?: string;
  /** `--host host[:port]`; default `api.x.ai`. */
  host?: string;
  /** `--insecure`: plaintext instead of TLS. */
  insecure?: boolean;
  /** `--timeout <seconds>`, already converted to milliseconds. */
  timeout?: number;
}

/**
 * Shared state of one CLI run. Commands build their client through {@link CliContext.client}, which also
 * remembers the host for error hints and closes every client at the end of the run.
 *
 * @example
 * ```ts
 * const client = ctx.client(command);
 * const models = await client.models.listLanguageModels();
 * ```
 */
export class CliContext {
  /** The host the last client talks to (for error hints). */
  host: string = DEFAULT_HOST;
  readonly #clients: Client[] = [];

  constructor(
    readonly term: Terminal,
    readonly env: NodeJS.ProcessEnv,
    readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean },
  ) {}

  /** The global options as seen from `command` (a subcommand). */
  globals(command: Command): GlobalOptions {
    return command.optsWithGlobals<GlobalOptions>();
  }

  /**
   * A client for the API, from `--api-key`/`XAI_API_KEY`, `--host`, `--insecure` and `--timeout`.
   * Throws a {@link UsageError} (exit 2) when there is no key.
   */
  client(command: Command): Client {
    const globals = this.globals(command);
    const apiKey = globals.apiKey || this.env.XAI_API_KEY;
    if (!apiKey) {
      throw new UsageError(
        "no API key: set XAI_API_KEY=<your key> or pass --api-key <key> (or run `xai emulator` and use the key it prints)",
      );
    }
    this.host = globals.host ?? DEFAULT_HOST;
    const client = new Client({
      apiKey,
      apiHost: this.host,
      timeout: globals.timeout,
      ...(globals.insecure ? { insecure: true } : {}),
    });
    this.#clients.push(client);
    return client;
  }

  /** Closes every client made during the run. */
  close(): void {
    for (const client of this.#clients.splice(0)) client.close();
  }
}
