// Runs the emulator in its own process for the benchmarks, so that the client's CPU time and memory are
// measured apart from the server's. Forked by bench/lib/emulator.ts; talks over IPC.
import { startEmulator } from "../../src/testing/index.js";

export type EmulatorRequest =
  | { type: "cpu"; id: number }
  | { type: "reset"; id: number }
  | { type: "stop"; id: number };

export type EmulatorReply =
  | {
      type: "ready";
      apiHost: string;
      managementApiHost: string;
      apiKey: string;
      managementApiKey: string;
      pid: number;
    }
  | { type: "cpu"; id: number; cpuMs: number; rss: number }
  | { type: "done"; id: number };

const port = Number(process.env.BENCH_EMULATOR_PORT ?? 0);
// The call log is off: over a long benchmark it would only grow the emulator's memory.
const emu = await startEmulator({ port, maxLoggedCalls: 0 });
const send = (m: EmulatorReply) => process.send?.(m);

process.on("message", async (m: EmulatorRequest) => {
  if (m.type === "cpu") {
    const u = process.cpuUsage();
    send({ type: "cpu", id: m.id, cpuMs: (u.user + u.system) / 1000, rss: process.memoryUsage().rss });
  } else if (m.type === "reset") {
    emu.reset();
    send({ type: "done", id: m.id });
  } else if (m.type === "stop") {
    await emu.stop();
    send({ type: "done", id: m.id });
    process.disconnect();
  }
});

send({
  type: "ready",
  apiHost: emu.apiHost,
  managementApiHost: emu.managementApiHost,
  apiKey: emu.apiKey,
  managementApiKey: emu.managementApiKey,
  pid: process.pid,
});
