// src/gen/ is generated from proto/ and committed: regenerating into a temporary folder must give
// byte-identical files, so a proto change without `npm run generate` fails the suite.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { test } from "node:test";

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

test("committed src/gen matches a fresh `buf generate`", () => {
  const root = new URL("..", import.meta.url).pathname;
  const out = mkdtempSync(join(tmpdir(), "xai-gen-"));
  try {
    execFileSync(join(root, "node_modules/.bin/buf"), ["generate", "-o", out], { cwd: root, stdio: "pipe" });
    const fresh = join(out, "src/gen");
    const committed = join(root, "src/gen");
    assert.deepEqual(
      listFiles(fresh),
      listFiles(committed),
      "generated file list differs: run `npm run generate`",
    );
    for (const file of listFiles(fresh)) {
      assert.ok(
        readFileSync(join(fresh, file)).equals(readFileSync(join(committed, file))),
        `src/gen/${file} is stale: run \`npm run generate\` and commit the result`,
      );
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
