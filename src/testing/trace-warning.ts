// grpc-js's `server_call` tracer prints every incoming request's headers, the `authorization` header (and so
// the API key) among them. The emulator cannot redact grpc-js's own log, so it warns once per process when
// the environment turns that tracer on.

/**
 * Whether grpc-js's environment switches (`GRPC_NODE_TRACE`, else `GRPC_TRACE`) enable its `server_call`
 * tracer, which logs request headers: `all` or `server_call`, unless `-server_call` turns it off.
 *
 * @example
 * ```ts
 * serverCallTraceEnabled({ GRPC_TRACE: "all,-server_call" }); // false
 * ```
 */
export function serverCallTraceEnabled(env: NodeJS.ProcessEnv): boolean {
  const tracers = (env.GRPC_NODE_TRACE ?? env.GRPC_TRACE ?? "").split(",").map((name) => name.trim());
  if (tracers.includes("-server_call")) return false;
  return tracers.includes("all") || tracers.includes("server_call");
}

let warned = false;

/** The warning's code, for `process.on("warning")` filters. */
export const GRPC_TRACE_WARNING_CODE = "XAI_EMULATOR_GRPC_TRACE";

/** Emits the process warning once when {@link serverCallTraceEnabled} holds for `process.env`. */
export function warnIfTracingHeaders(): void {
  if (warned || !serverCallTraceEnabled(process.env)) return;
  warned = true;
  process.emitWarning(
    "GRPC_TRACE turns on grpc-js's server_call tracer: with GRPC_VERBOSITY=DEBUG it prints the headers of every request this emulator receives, the authorization header and its API key included, and the emulator cannot redact that log. Unset GRPC_TRACE, or add -server_call to it, to keep keys out of the output.",
    { code: GRPC_TRACE_WARNING_CODE },
  );
}
