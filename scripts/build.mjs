// Builds dist/esm (tsc: JavaScript, declarations, source maps) and dist/cjs (esbuild: each module
// transpiled to CommonJS, with the same declarations under a `"type": "commonjs"` package.json).
// The CLI ships in the ESM build only.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
rmSync(dist, { recursive: true, force: true });

execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", join(root, "tsconfig.build.json")], {
  stdio: "inherit",
});

function walk(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

const src = join(root, "src");
const esm = join(dist, "esm");
const cjs = join(dist, "cjs");
let warnings = 0;
for (const file of walk(src)) {
  const rel = relative(src, file);
  if (!rel.endsWith(".ts") || rel.endsWith(".d.ts") || rel.startsWith("cli/")) continue;
  const out = join(cjs, rel.replace(/\.ts$/, ".js"));
  const result = await transform(await readFile(file, "utf8"), {
    loader: "ts",
    format: "cjs",
    platform: "node",
    target: "node20",
    sourcefile: rel,
    sourcemap: "inline",
  });
  for (const w of result.warnings) {
    warnings++;
    console.error(`${rel}: ${w.text}`);
  }
  mkdirSync(dirname(out), { recursive: true });
  await writeFile(out, result.code);
}
if (warnings > 0) {
  console.error(
    `CommonJS build: ${warnings} warning(s); CommonJS code must not use import.meta or top-level await`,
  );
  process.exit(1);
}
for (const file of walk(esm)) {
  const rel = relative(esm, file);
  if (!rel.endsWith(".d.ts") || rel.startsWith("cli/")) continue;
  mkdirSync(dirname(join(cjs, rel)), { recursive: true });
  copyFileSync(file, join(cjs, rel));
}
writeFileSync(join(cjs, "package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);
const cli = join(esm, "cli/main.js");
if (existsSync(cli)) chmodSync(cli, 0o755);
console.log("built dist/esm and dist/cjs");
