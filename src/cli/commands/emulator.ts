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
  apiKey: string;
  managementApiKey: string;
}

function addressesOf(emulator: Emulator): EmulatorAddresses {
  return {
    apiHost: emulator.apiHost,
    managementApiHost: emulator.managementApiHost,
    httpUrl: emulator.httpUrl,
    apiKey: emulator.apiKey,
    managementApiKey: emulator.managementApiKey,
  };
}

function printBanner(ctx: CliContext, a: EmulatorAddresses): void {
  const { term } = ctx;
  const s = term.style;
  term.out(
    `${s.bold("xAI emulator")} ${s.dim("(local, no network; answers are generated, not a real model)")}`,
  );
  term.out(`  API         ${s.cyan(a.apiHost)}  key ${a.apiKey}`);
  term.out(`  management  ${s.cyan(a.managementApiHost)}  key ${a.managementApiKey}`);
  term.out(`  HTTP        ${s.cyan(a.httpUrl)}`);
  term.out();
  term.out("Try it from another terminal:");
  term.out(`  XAI_API_KEY=${a.apiKey} xai chat --host ${a.apiHost} "hi"`);
  term.out(s.dim("or from code: new Client({ apiKey, apiHost, managementApiKey, managementApiHost })"));
  term.out();
  term.out(s.dim("Serving until Ctrl-C (SIGINT) or SIGTERM."));
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
    .summary("serve the local xAI emulator (no key, no network)")
    .description(
      "Serve the local xAI emulator: every service of the API over plaintext gRPC (on 127.0.0.1 unless --listen), " +
        "collections on a second (management) port, and an HTTP endpoint for images, videos and public file URLs. " +
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
    .addHelpText(
      "after",
      examples([
        ["xai emulator --port 50051", "serve the API on 127.0.0.1:50051"],
        ["xai emulator --json", "print {apiHost, managementApiHost, httpUrl, apiKey, managementApiKey}"],
        ["xai emulator --listen 0.0.0.0 --port 50051", "reachable from containers"],
      ]),
    )
    .action(async (options: EmulatorCommandOptions) => {
      const stopSignal = nextStopSignal();
      // Loaded only here: the other commands start faster without the emulator's code.
      const { startEmulator } = await import("../../testing/index.js");
      const emulator = await startEmulator({
        port: options.port,
        managementPort: options.managementPort,
        host: options.listen,
      });
      const addresses = addressesOf(emulator);
      if (options.json) ctx.term.out(JSON.stringify(addresses));
      else printBanner(ctx, addresses);
      const signal = await stopSignal;
      await emulator.stop();
      if (!options.json) ctx.term.err(ctx.term.errStyle.dim(`${signal}: emulator stopped`));
    });
}
