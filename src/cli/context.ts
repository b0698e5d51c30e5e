// What every command receives: the terminal, the environment, and the client built from the global options.
import type { Command } from "commander";
import { Client } from "../client.js";
import { DEFAULT_HOST } from "./defaults.js";
import { type ErrorContext, UsageError } from "./errors.js";
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
  /** `--host host[:port]`; falls back to `XAI_API_HOST`, then `api.x.ai`. */
  host?: string;
  /** `--insecure`: plaintext instead of TLS. */
  insecure?: boolean;
  /** `--timeout <seconds>`, already converted to milliseconds. */
  timeout?: number;
}

/**
 * The API host of a run: `--host`, else `XAI_API_HOST` (when not empty), else `api.x.ai`.
 *
 * @example
 * ```ts
 * resolveHost(undefined, { XAI_API_HOST: "127.0.0.1:50051" }); // "127.0.0.1:50051"
 * resolveHost("api.x.ai:443", { XAI_API_HOST: "127.0.0.1:50051" }); // "api.x.ai:443"
 * ```
 */
export function resolveHost(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag ?? (env.XAI_API_HOST || DEFAULT_HOST);
}

/** The flag naming an option in messages: the long one, or the short one when the long is a single letter. */
function flagName(option: Command["options"][number]): string | undefined {
  const long = option.long;
  if (long !== undefined && long.length > 3) return long;
  return option.short ?? long;
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
  host: string;
  /** The command whose action runs (set by the program before each action). */
  command: Command | undefined;
  readonly #clients: Client[] = [];
  readonly #sdkNames = new WeakMap<Command, Readonly<Record<string, string>>>();

  constructor(
    readonly term: Terminal,
    readonly env: NodeJS.ProcessEnv,
    readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean },
  ) {
    this.host = resolveHost(undefined, env);
  }

  /** The global options as seen from `command` (a subcommand). */
  globals(command: Command): GlobalOptions {
    return command.optsWithGlobals<GlobalOptions>();
  }

  /**
   * Declares the SDK options a command's flags set under another name (`{ filename: "--name" }`), for error
   * messages; options of the same name (`aspectRatio` and `--aspect-ratio`) need no declaration.
   */
  nameSdkOptions(command: Command, names: Readonly<Record<string, string>>): void {
    this.#sdkNames.set(command, names);
  }

  /** What the error report needs about the running command: the host, the resource, the flags' names. */
  errorContext(): ErrorContext {
    const flags: Record<string, string> = {};
    let resource: ErrorContext["resource"] = "model";
    for (let c: Command | undefined = this.command; c; c = c.parent ?? undefined) {
      if (c.name() === "files") resource = "file";
      for (const option of c.options) {
        const name = flagName(option);
        if (name !== undefined && !Object.hasOwn(flags, option.attributeName()))
          flags[option.attributeName()] = name;
      }
      for (const [sdkName, flag] of Object.entries(this.#sdkNames.get(c) ?? {})) flags[sdkName] ??= flag;
    }
    return { host: this.host, resource, flags };
  }

  /**
   * A client for the API, from `--api-key`/`XAI_API_KEY`, `--host`/`XAI_API_HOST`, `--insecure` and
   * `--timeout` (and `XAI_MANAGEMENT_API_HOST` for the management API). Throws a {@link UsageError} (exit 2)
   * when there is no key.
   */
  client(command: Command): Client {
    const globals = this.globals(command);
    const apiKey = globals.apiKey || this.env.XAI_API_KEY;
    if (!apiKey) {
      throw new UsageError(
        "no API key: set XAI_API_KEY=<your key> or pass --api-key <key> (or run `xai emulator` and paste the export line it prints)",
      );
    }
    this.host = resolveHost(globals.host, this.env);
    const managementApiHost = this.env.XAI_MANAGEMENT_API_HOST;
    const client = new Client({
      apiKey,
      apiHost: this.host,
      ...(managementApiHost ? { managementApiHost } : {}),
      timeout: globals.timeout,
      // `--insecure` on the command line is the explicit opt-in the SDK asks for when the host is not loopback.
      ...(globals.insecure ? { insecure: true, allowInsecureRemote: true } : {}),
    });
    this.#clients.push(client);
    return client;
  }

  /** Closes every client made during the run. */
  close(): void {
    for (const client of this.#clients.splice(0)) client.close();
  }
}
