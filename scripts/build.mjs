// Builds dist/esm and dist/cjs: tsc writes the declarations (dist/esm, copied to dist/cjs), esbuild
// bundles the JavaScript, one file per entry point (ESM: shared code in dist/esm/chunks/; CommonJS:
// one self-contained file per entry). Bundling matters for cold start: Node loads one file instead of
// about a hundred, and scripts/lazy-modules.mjs defers the generated schemas, @bufbuild/protobuf and
// ajv until first use. The CLI ships in the ESM build only.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { lazyModules } from "./lazy-modules.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const esm = join(dist, "esm");
const cjs = join(dist, "cjs");
rmSync(dist, { recursive: true, force: true });

execFileSync(
  join(root, "node_modules/.bin/tsc"),
  ["-p", join(root, "tsconfig.build.json"), "--emitDeclarationOnly"],
  { stdio: "inherit" },
);

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
  plugins: [lazyModules({ root, trace: process.env.XAI_LAZY_TRACE === "1" })],
};

const esmResult = await build({
  ...common,
  entryPoints: {
    index: "src/index.ts",
    "testing/index": "src/testing/index.ts",
    "cli/main": "src/cli/main.ts",
  },
  outdir: esm,
  format: "esm",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  // Lazily loaded dependencies are CommonJS packages read with require(), which ES modules lack.
  banner: {
    js: 'import { createRequire as __xaiCreateRequire } from "node:module";\nconst require = __xaiCreateRequire(import.meta.url);',
  },
});
const cjsResult = await build({
  ...common,
  entryPoints: { index: "src/index.ts", "testing/index": "src/testing/index.ts" },
  outdir: cjs,
  format: "cjs",
});
const warnings = esmResult.warnings.length + cjsResult.warnings.length;
if (warnings > 0) {
  console.error(
    `build: ${warnings} esbuild warning(s) (CommonJS code must not use import.meta or top-level await)`,
  );
  process.exit(1);
}

function walk(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
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
