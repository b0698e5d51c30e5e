// Resilience of streams: the emulator killed mid-stream (typed error, partial response readable, reconnect once
// it is back on the same port), and 1,000 streams aborted at random points (no leaked timers or HTTP/2 streams:
// a child process runs them and must exit by itself; the client keeps working).
//
// This file is also the child process of the abort test: run with XAI_RESILIENCE_CHILD=abort-storm it runs the
// storm and reports over stdout instead of declaring tests.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startEmulatorProcess } from "../bench/lib/emulator.js";
import { Client, partialResponseOf, UserAbortError, user, XaiError } from "../src/index.js";
import { startEmulator } from "../src/testing/index.js";
import { seeded } from "./helpers/random.js";

const CHILD = process.env.XAI_RESILIENCE_CHILD;

// ---------------------------------------------------------------------------------------------------------------
// The child: 1,000 streams, each stopped at a random point in one of four ways, then checks and a clean shutdown
// that must leave nothing behind (the parent checks that the process exits by itself).
// ---------------------------------------------------------------------------------------------------------------

const STREAMS = 1_000;
const STORM_SEED = Number(process.env.RESILIENCE_SEED ?? 77_001);

interface StormReport {
  outcomes: Record<string, number>;
  unexpected: string[];
  serverStatuses: Record<string, number>;
  openCallsOnServer: number;
  afterStormAnswer: string;
  resourcesBeforeClose: string[];
  resourcesAfterClose?: string[];
}

async function abortStorm(): Promise<void> {
  const emu = await startEmulator({ maxLoggedCalls: 5_000 });
  const client = new Client(emu.clientOptions());
  const rng = seeded(STORM_SEED);
  const outcomes: Record<string, number> = {};
  const unexpected: string[] = [];
  const count = (k: string) => {
    outcomes[k] = (outcomes[k] ?? 0) + 1;
  };
  const one = async (i: number) => {
    const how = ["signal", "break", "cancel", "timeout"][i % 4];
    const stopAfter = Math.floor(rng() * 60); // chunks before stopping (0: before the first one)
    const controller = new AbortController();
    const chat = client.chat.create({ model: "grok-3", messages: [user(`!chunks ${200 + (i % 50)}`)] });
    const stream = chat.stream(
      how === "signal"
        ? { signal: controller.signal }
        : how === "timeout"
          ? { timeout: 1 + Math.floor(rng() * 30) }
          : undefined,
    );
    let received = 0;
    try {
      if (how === "signal" && stopAfter === 0) controller.abort(new Error("stop"));
      for await (const _ of stream) {
        received++;
        if (received >= stopAfter) {
          if (how === "signal") controller.abort(new Error("stop"));
          else if (how === "break") break;
          else if (how === "cancel") stream.cancel();
        }
      }
      count(`${how}: ended`);
    } catch (err) {
      if (how === "signal" && err instanceof UserAbortError) count("signal: UserAbortError");
      else if (how === "timeout" && err instanceof XaiError && err.statusName === "DEADLINE_EXCEEDED")
        count("timeout: DeadlineExceededError");
      else unexpected.push(`${how} #${i}: ${String(err)}`);
    }
    // What arrived stays readable whichever way the stream stopped.
    if (!stream.response.content.startsWith(received > 0 ? "0 " : "")) {
      unexpected.push(`#${i}: the partial response does not start with the first chunk`);
    }
  };
  // All 1,000 in flight at once, stopping at random points.
  await Promise.all(Array.from({ length: STREAMS }, (_, i) => one(i)));
  // The client still works.
  const answer = (await client.chat.create({ model: "grok-3", messages: [user("!chunks 3")] }).sample())
    .content;
  // Every call has ended on the server too (no stream left open); give cancellations a moment to land.
  let open = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 100 && open > 0; i++) {
    open = emu.calls.filter((c) => c.status === undefined).length;
    if (open > 0) await new Promise((r) => setTimeout(r, 20));
  }
  const serverStatuses: Record<string, number> = {};
  for (const c of emu.calls) serverStatuses[String(c.status)] = (serverStatuses[String(c.status)] ?? 0) + 1;
  const report: StormReport = {
    outcomes,
    unexpected,
    serverStatuses,
    openCallsOnServer: open,
    afterStormAnswer: answer,
    resourcesBeforeClose: process.getActiveResourcesInfo(),
  };
  client.close();
  await emu.stop();
  // A moment for closed sockets to be released, then: what is still active (a leak would show here).
  await new Promise((r) => setTimeout(r, 200));
  // (stdio pipes and terminals are the test runner's, not ours)
  report.resourcesAfterClose = process
    .getActiveResourcesInfo()
    .filter((r) => r !== "PipeWrap" && r !== "TTYWrap");
  process.stdout.write(`${JSON.stringify(report)}\n`);
  // If anything still holds the event loop, say what (this timer itself does not keep the process alive).
  setTimeout(() => {
    process.stdout.write(`STILL ALIVE: ${JSON.stringify(process.getActiveResourcesInfo())}\n`);
  }, 3_000).unref();
}

async function killedMidStream(): Promise<void> {
  const { after, test } = await import("node:test");
  const emulators: { kill(): void; stop(): Promise<void> }[] = [];
  after(async () => {
    for (const e of emulators) await e.stop().catch(() => {});
  });

  test("the emulator killed mid-stream: a typed error, the partial response readable, and a reconnect once it is back on the same port", async () => {
    const first = await startEmulatorProcess();
    emulators.push(first);
    const port = Number(first.apiHost.split(":").pop());
    const client = new Client({ ...first.clientOptions(), timeout: 20_000 });
    try {
      assert.equal(
        (await client.chat.create({ model: "grok-3", messages: [user("!chunks 2")] }).sample()).content,
        "0 1 ",
      );
      const stream = client.chat.create({ model: "grok-3", messages: [user("!chunks 5000000")] }).stream();
      let received = 0;
      const err = await (async () => {
        for await (const _ of stream) {
          if (++received === 500) first.kill(); // SIGKILL: no status, the connection just goes away
        }
      })().then(
        () => assert.fail("a killed server cannot finish a 5,000,000-chunk stream"),
        (e: unknown) => e,
      );
      assert.ok(err instanceof XaiError, `a typed error, got ${String(err)}`);
      assert.ok(
        ["UNAVAILABLE", "INTERNAL", "CANCELLED", "UNKNOWN"].includes(err.statusName),
        `status ${err.statusName}`,
      );
      assert.ok(received >= 500, `${received} chunks before the failure`);
      // The partial response: exactly the chunks that arrived, in order.
      const partial = partialResponseOf(err);
      assert.ok(partial, "the error carries the partial response");
      assert.equal(partial, stream.response);
      const words = partial.content.trim().split(" ");
      assert.equal(words.length, stream.chunkCount);
      assert.deepEqual(words.slice(0, 3), ["0", "1", "2"]);
      assert.equal(words.at(-1), String(stream.chunkCount - 1));

      // While nothing listens, a call fails with a typed error (after the retry policy's attempts). A second
      // client makes it, so that the first one's reconnection below is not slowed by its failed connection attempts.
      const other = new Client({ ...first.clientOptions(), timeout: 5_000 });
      try {
        await assert.rejects(
          other.chat.create({ model: "grok-3", messages: [user("hi")] }).sample(),
          XaiError,
        );
      } finally {
        other.close();
      }

      // The emulator comes back on the same port; the same client reconnects by itself.
      const second = await startEmulatorProcess({ BENCH_EMULATOR_PORT: String(port) });
      emulators.push(second);
      assert.equal(second.apiHost, first.apiHost);
      const again = await client.chat.create({ model: "grok-3", messages: [user("!chunks 3")] }).sample();
      assert.equal(again.content, "0 1 2 ");
      let streamed = 0;
      for await (const _ of client.chat
        .create({ model: "grok-3", messages: [user("!chunks 50")] })
        .stream()) {
        streamed++;
      }
      assert.equal(streamed, 50);
    } finally {
      client.close();
    }
  });

  test("1,000 streams aborted at random points: nothing leaks (the process exits by itself) and the client still works", async () => {
    const file = fileURLToPath(import.meta.url);
    const child = spawn(process.execPath, ["--import", "tsx", file], {
      env: { ...process.env, XAI_RESILIENCE_CHILD: "abort-storm" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
    });
    // The child must exit on its own. A leaked timer or stream would keep it alive: it then prints what holds it
    // after 3 s, and is killed after 60 s so that the test reports instead of hanging.
    const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on("exit", (c, s) => resolve([c, s])),
    );
    clearTimeout(killer);
    assert.equal(signal, null, `the child did not exit by itself; stdout: ${stdout}\nstderr: ${stderr}`);
    assert.equal(code, 0, `child failed: ${stderr}`);
    assert.doesNotMatch(stdout, /STILL ALIVE/);
    const report = JSON.parse(stdout.trim().split("\n")[0]) as StormReport;
    assert.deepEqual(report.unexpected, []);
    const total = Object.values(report.outcomes).reduce((a, b) => a + b, 0);
    assert.equal(total, STREAMS);
    // Each way of stopping was exercised.
    for (const how of ["signal: UserAbortError", "break: ended", "cancel: ended"]) {
      assert.ok((report.outcomes[how] ?? 0) > 0, `${how} happened (${JSON.stringify(report.outcomes)})`);
    }
    assert.ok((report.outcomes["timeout: DeadlineExceededError"] ?? 0) > 0, JSON.stringify(report.outcomes));
    assert.equal(report.openCallsOnServer, 0, "every stream ended on the server");
    assert.deepEqual(report.resourcesAfterClose, [], "no timer, socket or stream left once closed");
    assert.ok((report.serverStatuses["1"] ?? 0) > 0, "the server saw cancellations");
    assert.equal(report.afterStormAnswer, "0 1 2 ");
  });
}

if (CHILD === "abort-storm") {
  await abortStorm();
} else {
  await killedMidStream();
}
