// The debug log: one line when a call starts (debug) and one when it ends (info; warn when it was retried;
// error when it failed), with method, status, duration, attempts and sizes. Nothing of a request, a response
// or a header is written, so neither the key nor content can appear.
import { UserAbortError } from "../transport/errors.js";
import type { CallEnd, CallObservation, ObservedMethod } from "../transport/observe.js";
import { statusName } from "../transport/status.js";
import { LEVEL_RANK, type Logger, type LogLevel } from "./options.js";

const PREFIX = "[xai-grpc]";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Writes the lines of one client's calls at or above its level. */
export class CallLog {
  readonly #rank: number;
  readonly #logger: Logger;
  readonly #address: string;

  constructor(level: LogLevel, logger: Logger, address: string) {
    this.#rank = LEVEL_RANK[level];
    this.#logger = logger;
    this.#address = address;
  }

  /** Whether lines of `level` are written. */
  enabled(level: Exclude<LogLevel, "off">): boolean {
    return LEVEL_RANK[level] >= this.#rank;
  }

  write(level: Exclude<LogLevel, "off">, line: string): void {
    if (this.enabled(level)) this.#logger[level](`${PREFIX} ${line}`);
  }

  /** Observes one call (undefined when even failures are not logged). */
  start(method: ObservedMethod): CallObservation | undefined {
    if (this.#rank > LEVEL_RANK.error) return undefined;
    const name = method.path.slice(1);
    const started = performance.now();
    this.write("debug", `${name} started (${method.kind.replace("_", " ")}, ${this.#address})`);
    let first = method.kind === "server_stream";
    return {
      received: first
        ? () => {
            if (!first) return;
            first = false;
            this.write("debug", `${name} first message after ${(performance.now() - started).toFixed(1)} ms`);
          }
        : undefined,
      end: (outcome: CallEnd) => {
        const ms = (performance.now() - started).toFixed(1);
        const failed = outcome.error !== undefined && !(outcome.error instanceof UserAbortError);
        const level = failed ? "error" : outcome.attempts > 1 ? "warn" : "info";
        if (!this.enabled(level)) return;
        const status = outcome.cancelled ? "CANCELLED by the caller" : statusName(outcome.code);
        const error =
          outcome.error instanceof Error
            ? `: ${outcome.error.name}`
            : failed
              ? `: ${typeof outcome.error}`
              : "";
        this.write(
          level,
          `${name} ${status} in ${ms} ms (${plural(outcome.attempts, "attempt")}, sent ${outcome.sentBytes} B, ` +
            `received ${outcome.receivedBytes} B in ${plural(outcome.messages, "message")})${error}`,
        );
      },
    };
  }
}
