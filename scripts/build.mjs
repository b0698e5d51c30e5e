// Builds dist/esm and dist/cjs: tsc writes the declarations (dist/esm, copied to dist/cjs), esbuild
// bundles the JavaScript, one file per entry point (ESM: shared code in dist/esm/chunks/; CommonJS:
// one self-contained file per entry). Bundling matters for cold start: Node loads one file instead of
// about a hundred, and scripts/lazy-modules.mjs defers the generated schemas, @bufbuild/protobuf and
// ajv until first use (those two packages are bundled; dist/THIRD_PARTY_NOTICES.md carries their
// licences). The other dependencies stay external. The CLI ships in the ESM build only.
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { LAZY_PACKAGES, lazyModules } from "./lazy-modules.mjs";

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

const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const externalPackages = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies })
  .filter((name) => !LAZY_PACKAGES.includes(name))
  .flatMap((name) => [name, `${name}/*`]);

// The AI SDK provider (src/ai-sdk) is built on the SDK's root entry: it imports "../index.js", which stays an
// import of the package's own root entry (dist/*/index.js) instead of a second copy of the SDK, so that a
// Client and the error classes are the same objects for both entries.
const rootEntryOfAiSdk = {
  name: "ai-sdk-root-entry",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/index\.js$/ }, (args) =>
      args.importer.startsWith(join(root, "src/ai-sdk") + sep)
        ? { path: "../index.js", external: true }
        : undefined,
    );
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  target: "node20",
  external: externalPackages,
  sourcemap: true,
  metafile: true,
  logLevel: "warning",
  plugins: [rootEntryOfAiSdk, lazyModules({ root })],
};

const esmResult = await build({
  ...common,
  entryPoints: {
    index: "src/index.ts",
    "testing/index": "src/testing/index.ts",
    "ai-sdk/index": "src/ai-sdk/index.ts",
    "cli/main": "src/cli/main.ts",
  },
  outdir: esm,
  format: "esm",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
});
const cjsResult = await build({
  ...common,
  entryPoints: {
    index: "src/index.ts",
    "testing/index": "src/testing/index.ts",
    "ai-sdk/index": "src/ai-sdk/index.ts",
  },
  outdir: cjs,
  format: "cjs",
  // CommonJS has no import.meta: the module's URL comes from __filename (for createRequire, see
  // src/telemetry/otel.ts).
  banner: { js: 'var __xaiModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { "import.meta.url": "__xaiModuleUrl" },
});
const problems = [...esmResult.warnings, ...cjsResult.warnings].map((w) => w.text);
// A require() of a package left external: in ES modules esbuild turns it into a call that throws.
for (const file of Object.keys(esmResult.metafile.outputs)) {
  if (file.endsWith(".js") && /\b__require\(\s*["'`]/.test(readFileSync(join(root, file), "utf8"))) {
    problems.push(`${file} calls require() on an external package: bundle it or import it`);
  }
}
// Importing the SDK alone must load no AI SDK code: only the ai-sdk entry may import it.
for (const file of Object.keys(esmResult.metafile.outputs)) {
  if (!file.endsWith(".js") || file.includes("/ai-sdk/")) continue;
  if (/\bfrom\s*["'](?:ai|@ai-sdk\/[^"']+)["']/.test(readFileSync(join(root, file), "utf8"))) {
    problems.push(`${file} imports the AI SDK: only dist/*/ai-sdk may`);
  }
}
if (problems.length > 0) {
  for (const p of problems) console.error(`build: ${p}`);
  console.error("(CommonJS code must not use import.meta or top-level await)");
  process.exit(1);
}

writeFileSync(join(dist, "THIRD_PARTY_NOTICES.md"), thirdPartyNotices([esmResult, cjsResult]));

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

/** The licence of every package whose code the bundles contain. */
function thirdPartyNotices(results) {
  const files = new Map();
  for (const result of results) {
    for (const input of Object.keys(result.metafile.inputs)) {
      const m = input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//);
      if (m) files.set(m[1], [...(files.get(m[1]) ?? []), input]);
    }
  }
  const sections = [...files.keys()].sort().map((dir) => {
    const meta = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"));
    const licenceFile = readdirSync(join(root, dir)).find((f) => /^(licen[sc]e|copying)/i.test(f));
    // A package without a licence file: the copyright lines of the bundled files, and the SPDX licence.
    const copyrights = new Set(
      (files.get(dir) ?? []).flatMap((f) =>
        [...readFileSync(join(root, f), "utf8").matchAll(/Copyright [^\n*]*/g)].map((m) => m[0].trim()),
      ),
    );
    const text = licenceFile
      ? readFileSync(join(root, dir, licenceFile), "utf8").trim()
      : `${[...copyrights].join("\n")}\n\nLicensed under ${meta.license} (SPDX); the package ships no licence file.`;
    return `## ${meta.name} ${meta.version}\n\nLicence: ${meta.license}\n\n\`\`\`\n${text}\n\`\`\`\n`;
  });
  return `# Third-party notices\n\nThe bundles in dist/ contain code of these packages, under these licences.\n\n${sections.join("\n")}`;
}
