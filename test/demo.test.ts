// `npm run demo` — the README's first command — runs the whole tour against the in-process emulator, exits 0
// and leaves no temporary folder behind.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { userInfo } from "node:os";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { type ChildOutput, outputOf } from "./helpers/child-output.js";
import { useTempDir } from "./helpers/temp-dir.js";

const root = fileURLToPath(new URL("..", import.meta.url));
// The demo's temporary folder: TMPDIR points there, so whatever the demo (or the emulator) puts in os.tmpdir()
// lands in it, away from the other processes sharing /tmp.
const tmp = useTempDir("xai-demo-test-");

function runDemo(): Promise<ChildOutput> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", TMPDIR: tmp.path };
  // The demo must need no key: make sure none leaks in from the environment.
  delete env.XAI_API_KEY;
  delete env.XAI_MANAGEMENT_KEY;
  delete env.NODE_TEST_CONTEXT;
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  return outputOf(
    spawn(npm, ["run", "--silent", "demo"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] }),
  );
}

test("npm run demo tours the SDK against the emulator and exits 0", async () => {
  const run = await runDemo();
  assert.equal(run.code, 0, `exit code\n${run.stdout}\n${run.stderr}`);
  const out = run.stdout;
  for (const heading of [
    "Start the emulator",
    "Multi-turn chat, streamed",
    "Function calling",
    "Structured output",
    "Tokenization",
    "The model list",
    "Embeddings",
    "Image generation",
    "Files",
    "Batch",
    "Video generation",
    "Collections",
    "What the emulator saw",
  ]) {
    assert.match(out, new RegExp(`\\d+\\. ${heading}\\n`), `step "${heading}"`);
  }
  // Two streamed turns, the second sent with the first one's history.
  assert.match(out, /you › What is gRPC, in a nutshell\?\n {3}grok › .+\n {10}\d+ chunks/);
  assert.match(out, /history 5 messages kept/);
  // The function-calling loop called the function and then answered.
  assert.match(out, /model called get_weather\(\{"city":"[^"]+"\}\) → \{"city":/);
  assert.match(out, /rounds [1-9]/);
  // The structured output was validated against the schema (servings is an integer from 1 to 12).
  const servings = /servings (\d+)/.exec(out);
  assert.ok(servings && Number(servings[1]) >= 1 && Number(servings[1]) <= 12, "servings within the schema");
  assert.match(out, /\d+ tokens \[Tokenize\]/);
  assert.match(out, /grok-4 +256,000 tokens/);
  assert.match(out, /same text cosine 1\.000/);
  // The image step saved a real PNG (the demo decodes the file it wrote) in the temporary folder.
  const saved = /saved (\S+lighthouse\.png) \(\d+×\d+ PNG\)/.exec(out);
  assert.ok(saved, "the image step names the saved file");
  assert.ok(saved[1].startsWith(tmp.path), `${saved[1]} is in the temporary folder`);
  // Files, batch, video and collections.
  assert.match(out, /uploaded notes\.txt → \S+ \(51 bytes\)/);
  assert.match(out, /batch \S+: 3 of 3 succeeded/);
  assert.match(out, / {5}apple image\n/);
  assert.match(out, /progress (\d+% → )+done/);
  const video = /saved (\S+waves\.mp4) \(\d+ s, [1-9]\d* bytes\)/.exec(out);
  assert.ok(video, "the video was saved");
  assert.match(out, /best match "Vacation: every employee has 25 days/);
  assert.match(out, /1× \/xai_api\.Image\/GenerateImage/);
  assert.match(out, /Done in [\d.]+ s\./);
  assert.equal(run.stderr, "", "nothing on stderr");
  // Nothing left behind: not the saved files, not the emulator's file store; only tsx's own cache folder.
  assert.ok(!existsSync(saved[1]) && !existsSync(video[1]), "the saved files are removed");
  const left = readdirSync(tmp.path).filter(
    (name) => name !== `tsx-${process.getuid?.() ?? userInfo().username}`,
  );
  assert.deepEqual(left, [], "temporary folders left behind");
});
