// `npm run demo` — the README's first command — runs the whole tour against the in-process emulator and exits 0.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { PNG } from "pngjs";
import { type ChildOutput, outputOf } from "./helpers/child-output.js";

const root = fileURLToPath(new URL("..", import.meta.url));

function runDemo(): Promise<ChildOutput> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
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
  // The image step saved a real PNG.
  const saved = /saved (\S+lighthouse\.png) \((\d+)×(\d+) PNG\)/.exec(out);
  assert.ok(saved, "the image step names the saved file");
  assert.ok(existsSync(saved[1]));
  const png = PNG.sync.read(readFileSync(saved[1]));
  assert.equal(`${png.width}×${png.height}`, `${saved[2]}×${saved[3]}`);
  // Files, batch, video and collections.
  assert.match(out, /uploaded notes\.txt → \S+ \(51 bytes\)/);
  assert.match(out, /batch \S+: 3 of 3 succeeded/);
  assert.match(out, / {5}apple image\n/);
  assert.match(out, /progress (\d+% → )+done/);
  const video = /saved (\S+waves\.mp4) \(\d+ s\)/.exec(out);
  assert.ok(video && existsSync(video[1]), "the video was saved");
  assert.match(out, /best match "Vacation: every employee has 25 days/);
  rmSync(dirname(saved[1]), { recursive: true, force: true });
  assert.match(out, /1× \/xai_api\.Image\/GenerateImage/);
  assert.match(out, /Done in [\d.]+ s\./);
  assert.equal(run.stderr, "", "nothing on stderr");
});
