// `xai emulator`: serves the local emulator until SIGINT or SIGTERM.
import type { Command } from "commander";
import type { Emulator } from "../../testing/index.js";
import type { CliContext } from "../context.js";
import { examples } from "../help.js";
import { parsePort } from "../parsers.js";

interface EmulatorCommandOptions {
  port: number;
  managementPort: number;
  listen: string;
  json?: boolean;
  cassette?: string;
}

/**
 * What `xai emulator --json` prints on its first line.
 *
 * @example
 * ```ts
 * // xai emulator --json (first line)
 * const { apiHost, apiKey } = JSON.parse(firstLine) as EmulatorAddresses;
 * const client = new Client({ apiKey, apiHost });
 * ```
 */
export interface EmulatorAddresses {
  apiHost: string;
  managementApiHost: string;
  httpUrl: string;
  /** xAI's REST API served by the emulator (`http://127.0.0.1:<port>/v1`): openai-node's `baseURL`. */
  restBaseUrl: string;
  apiKey: string;
  managementApiKey: string;
}

/** `xai emulator --json`'s line: the addresses, and the environment that points the SDK and the CLI at them. */
export interface EmulatorJsonLine extends EmulatorAddresses {
  /** `XAI_API_KEY`, `XAI_API_HOST`, `XAI_MANAGEMENT_KEY`, `XAI_MANAGEMENT_API_HOST`, ready for `env` or a spawn. */
  env: Record<string, string>;
  /** The same as the banner's `export …` line, for a shell. */
  exportLine: string;
}

function addressesOf(emulator: Emulator): EmulatorAddresses {
  return {
    apiHost: emulator.apiHost,
    managementApiHost: emulator.managementApiHost,
    httpUrl: emulator.httpUrl,
    restBaseUrl: emulator.restBaseUrl,
    apiKey: emulator.apiKey,
    managementApiKey: emulator.managementApiKey,
  };
}

/**
 * A value as a POSIX shell word (bash, zsh, sh): as is when it is made of safe characters, else single-quoted.
 *
 * @example
 * ```ts
 * shellQuote("127.0.0.1:50051"); // "127.0.0.1:50051"
 * shellQuote("[::1]:50051"); // "'[::1]:50051'" (zsh would glob the brackets)
 * ```
 */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+:,./-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The address a client on this machine dials for a server listening on `hostPort`: a wildcard address
 * (`0.0.0.0`, `[::]`) becomes the loopback one, so that the client uses plaintext like on any loopback host.
 *
 * @example
 * ```ts
 * dialAddress("0.0.0.0:50051"); // "127.0.0.1:50051"
 * ```
 */
export function dialAddress(hostPort: string): string {
  return hostPort.replace(/^0\.0\.0\.0:/, "127.0.0.1:").replace(/^\[::\]:/, "[::1]:");
}

/**
 * The line that points a shell at the emulator: `export XAI_API_KEY=… XAI_API_HOST=… XAI_MANAGEMENT_KEY=…
 * XAI_MANAGEMENT_API_HOST=…`, to paste into bash or zsh.
 *
 * @example
 * ```ts
 * exportLine(addresses); // "export XAI_API_KEY=xai-emulator-api-key-0001 XAI_API_HOST=127.0.0.1:50051 …"
 * ```
 */
export function exportLine(a: EmulatorAddresses): string {
  const vars = Object.entries(environmentOf(a));
  return `export ${vars.map(([name, value]) => `${name}=${shellQuote(value)}`).join(" ")}`;
}

/** The four variables that point the SDK and the CLI at the emulator, in the order the export line has them. */
function environmentOf(a: EmulatorAddresses): Record<string, string> {
  return {
    XAI_API_KEY: a.apiKey,
    XAI_API_HOST: dialAddress(a.apiHost),
    XAI_MANAGEMENT_KEY: a.managementApiKey,
    XAI_MANAGEMENT_API_HOST: dialAddress(a.managementApiHost),
  };
}

function jsonLineOf(a: EmulatorAddresses): EmulatorJsonLine {
  return { ...a, env: environmentOf(a), exportLine: exportLine(a) };
}

function printBanner(ctx: CliContext, a: EmulatorAddresses, cassette?: string): void {
  const { term } = ctx;
  const s = term.style;
  const source = cassette
    ? `answers are replayed from ${cassette}`
    : "answers are generated, not a real model";
  term.out(`${s.bold("xAI emulator")} ${s.dim(`(local, no network; ${source})`)}`);
  term.out(`  API         ${s.cyan(a.apiHost)}  key ${a.apiKey}`);
  term.out(`  management  ${s.cyan(a.managementApiHost)}  key ${a.managementApiKey}`);
  term.out(`  HTTP        ${s.cyan(a.httpUrl)}`);
  term.out(
    `  REST        ${s.cyan(a.restBaseUrl)}  ${s.dim("(xAI's REST API: openai-node baseURL, @ai-sdk/xai)")}`,
  );
  term.out();
  term.out("Ready. Paste this into another terminal (bash, zsh), then use the CLI or the SDK as usual:");
  term.out();
  term.out(exportLine(a));
  term.out();
  term.out(`  ${s.dim("$")} xai chat "hi"`);
  term.out(`  ${s.dim("$")} xai models`);
  term.out(s.dim("  new Client() reads the same variables (plaintext on loopback, no TLS needed)."));
  term.out();
  term.out(s.dim("Serving until Ctrl-C (SIGINT) or SIGTERM."));
}

/**
 * Starts the emulator without grpc-js's own log line when a port is in use (the emulator's error says it
 * in one sentence), unless the user asked for grpc-js logs with GRPC_VERBOSITY or GRPC_NODE_VERBOSITY.
 */
async function startQuietly(options: EmulatorCommandOptions, env: NodeJS.ProcessEnv): Promise<Emulator> {
  // Loaded only here: the other commands start faster without the emulator's code.
  const [{ cassetteServices, readCassette, startEmulator }, grpc] = await Promise.all([
    import("../../testing/index.js"),
    import("@grpc/grpc-js"),
  ]);
  const quiet = env.GRPC_NODE_VERBOSITY === undefined && env.GRPC_VERBOSITY === undefined;
  // A cassette is read (and checked) before anything listens.
  const cassette = options.cassette
    ? cassetteServices(readCassette(options.cassette), { name: options.cassette })
    : undefined;
  if (quiet) grpc.setLogVerbosity(grpc.logVerbosity.NONE);
  try {
    return await startEmulator({
      port: options.port,
      managementPort: options.managementPort,
      host: options.listen,
      ...(cassette ? { services: cassette.services } : {}),
    });
  } finally {
    if (quiet) grpc.setLogVerbosity(grpc.logVerbosity.ERROR);
  }
}

/** Resolves with the name of the first SIGINT or SIGTERM received. */
function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

/**
 * Registers `xai emulator`.
 *
 * @example
 * ```ts
 * registerEmulatorCommand(program, ctx); // then: xai emulator --help
 * ```
 */
export function registerEmulatorCommand(program: Command, ctx: CliContext): void {
  program
    .command("emulator")
    // None of the global options (key, host, TLS, timeout) applies to serving.
    .configureHelp({ showGlobalOptions: false })
    .summary("serve the local xAI emulator (no key, no network)")
    .description(
      "Serve the local xAI emulator: every service of the API over plaintext gRPC (on 127.0.0.1 unless --listen), " +
        "collections on a second (management) port, and an HTTP endpoint for images, videos, public file URLs and xAI's REST API (/v1). " +
        "Prints the addresses and the keys it accepts, then serves until Ctrl-C (SIGINT) or SIGTERM.",
    )
    .option("--port <port>", "API port (0 picks a free one)", parsePort, 0)
    .option("--management-port <port>", "management port for collections (0 picks a free one)", parsePort, 0)
    .option(
      "--listen <address>",
      "the address to listen on (0.0.0.0 for other machines or containers)",
      "127.0.0.1",
    )
    .option("--json", "print the addresses and keys as one JSON line instead of the banner")
    .option(
      "--cassette <file>",
      "answer every call from a recorded cassette (see withCassette in xai-grpc/testing)",
    )
    .addHelpText(
      "after",
      examples([
        ["xai emulator --port 50051", "serve the API on 127.0.0.1:50051"],
        ["xai emulator --json", "print {apiHost, …, restBaseUrl, apiKey, …, env, exportLine} as one line"],
        ["xai emulator --listen 0.0.0.0 --port 50051", "reachable from containers"],
        ["xai emulator --cassette test/cassettes/chat.json", "replay a recorded session to any gRPC client"],
      ]),
    )
    .action(async (options: EmulatorCommandOptions) => {
      const stopSignal = nextStopSignal();
      const emulator = await startQuietly(options, ctx.env);
      const addresses = addressesOf(emulator);
      if (options.json) ctx.term.out(JSON.stringify(jsonLineOf(addresses)));
      else printBanner(ctx, addresses, options.cassette);
      const signal = await stopSignal;
      await emulator.stop();
      if (!options.json) ctx.term.err(ctx.term.errStyle.dim(`${signal}: emulator stopped`));
    });
}
