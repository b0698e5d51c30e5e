// An esbuild plugin that defers loading the modules a program does not need until it makes a call:
// the generated schemas (src/gen/, whose embedded descriptors are decoded when the module runs),
// @bufbuild/protobuf and ajv. Together they cost about 80 ms at import on a 2-core machine, and
// `import { Client } from "xai-grpc"` needs none of them.
//
// How: an import of one of these modules from our code is redirected to a small CommonJS stand-in
// whose exports are getters. esbuild turns a named import from a CommonJS module into a property read
// at the place of use (`import_x.ChatSchema`), so the real module is `require`d on the first read, not
// at import; the stand-in then replaces its getters by plain values. The real modules are bundled, and
// esbuild wraps what is only reached through `require` in lazy initialisers. @bufbuild/protobuf and ajv
// are bundled too (their CommonJS builds, see THIRD_PARTY_NOTICES.md): a `require` of an external
// package would be invisible to a user's bundler.
//
// Only named imports can be deferred this way: the plugin fails the build on a default or namespace
// import, or a re-export, of a deferred module, and on a named import that the module does not export.
//
// Each stand-in records its first load in `globalThis[Symbol.for("xai-grpc.lazyLoads")]` when that is
// an array (the package test, and anyone looking for what loads a module early, set it before importing).
//
// The source is unchanged: tests run it directly (through tsx), where every import is eager.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { build as esbuild } from "esbuild";

const NAMESPACE = "xai-lazy";
/** Packages deferred (and bundled). */
export const LAZY_PACKAGES = ["@bufbuild/protobuf", "ajv"];

const isLazyPackage = (specifier) =>
  LAZY_PACKAGES.some((name) => specifier === name || specifier.startsWith(`${name}/`));

/**
 * @param {{ root: string }} options root: the project directory.
 * @returns {import("esbuild").Plugin}
 */
export function lazyModules({ root }) {
  const src = join(root, "src");
  const gen = join(src, "gen");
  const requireFromRoot = createRequire(join(root, "package.json"));
  const isGenerated = (file) => file.startsWith(gen + sep);
  const exportCache = new Map();

  /** The value names a deferred module exports (from the package itself, or esbuild's view of a generated file). */
  async function exportsOf(target) {
    let names = exportCache.get(target.key);
    if (!names) {
      names = target.file
        ? await exportsOfGenerated(target.file)
        : Object.keys(requireFromRoot(target.key)).filter((n) => n !== "__esModule");
      exportCache.set(target.key, names);
    }
    return names;
  }

  /** What an import specifier in `importer` refers to when it is deferred, else undefined. */
  function deferred(specifier, importer) {
    if (isLazyPackage(specifier)) return { key: specifier };
    if (!specifier.startsWith(".") || isGenerated(importer)) return undefined;
    const file = resolve(dirname(importer), specifier).replace(/\.js$/, ".ts");
    if (!isGenerated(file)) return undefined;
    // Named by its path relative to the project, with forward slashes: no build machine path is shipped.
    return { key: relative(root, file).split(sep).join("/"), file };
  }

  return {
    name: "xai-lazy-modules",
    setup(build) {
      // Our own modules: check how they import deferred modules (esbuild then loads them as usual).
      build.onLoad({ filter: /\.ts$/, namespace: "file" }, async (args) => {
        if (!args.path.startsWith(src + sep) || isGenerated(args.path)) return undefined;
        const errors = await checkImports(args.path, readFileSync(args.path, "utf8"), deferred, exportsOf);
        return errors.length > 0 ? { errors: errors.map((text) => ({ text })) } : undefined;
      });

      build.onResolve({ filter: /.*/ }, (args) => {
        // The stand-in's own require, and imports inside deferred modules, resolve as usual.
        if (args.namespace === NAMESPACE || args.kind !== "import-statement") return undefined;
        // Generated modules import @bufbuild/protobuf: through a stand-in too, so there is one copy of it.
        const target = deferred(args.path, args.importer);
        if (!target) return undefined;
        return { path: target.key, namespace: NAMESPACE, pluginData: target };
      });

      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, async (args) => {
        const target = args.pluginData;
        const names = await exportsOf(target);
        return {
          contents: standIn(target.file ? `./${target.key}` : target.key, target.key, names),
          loader: "js",
          resolveDir: root,
          watchFiles: target.file ? [target.file] : [],
        };
      });
    },
  };
}

/** esbuild's list of what a generated TypeScript module exports as values (types are erased). */
async function exportsOfGenerated(file) {
  const result = await esbuild({
    entryPoints: [file],
    bundle: false,
    write: false,
    metafile: true,
    format: "esm",
    logLevel: "silent",
    outdir: "out",
  });
  return Object.values(result.metafile.outputs).flatMap((o) => o.exports ?? []);
}

const IMPORT = /\b(import|export)\s+(type\s+)?([^;]*?)\s*from\s*["']([^"']+)["']/gs;

/**
 * The errors of a source file's imports of deferred modules: only named value imports can be deferred, and
 * each name must exist.
 */
async function checkImports(file, source, deferred, exportsOf) {
  const errors = [];
  for (const [, keyword, typeOnly, clause, specifier] of source.matchAll(IMPORT)) {
    const target = deferred(specifier, file);
    if (!target || typeOnly) continue;
    const where = `${relative(process.cwd(), file)}: ${keyword} … from "${specifier}"`;
    if (keyword === "export") {
      errors.push(`${where}: a re-export would load the module at import; import the names and use them`);
      continue;
    }
    const braces = clause.match(/^\{([^}]*)\}$/s);
    if (!braces) {
      errors.push(`${where}: only named imports ({ a, b }) can be loaded on first use`);
      continue;
    }
    const names = await exportsOf(target);
    for (const item of braces[1].split(",")) {
      const name = item.trim().split(/\s+as\s+/)[0];
      if (!name || name.startsWith("type ")) continue;
      if (!names.includes(name)) errors.push(`${where}: "${name}" is not exported by the module`);
    }
  }
  return errors;
}

/** The CommonJS stand-in of a deferred module. */
function standIn(request, key, names) {
  return `// Stand-in for ${key}: loaded on first use (see scripts/lazy-modules.mjs).
const names = ${JSON.stringify(names)};
let loaded;
function load() {
  if (loaded === undefined) {
    const log = globalThis[Symbol.for("xai-grpc.lazyLoads")];
    if (Array.isArray(log)) log.push({ module: ${JSON.stringify(key)}, stack: new Error("first use").stack });
    loaded = require(${JSON.stringify(request)});
    for (const name of names) Object.defineProperty(exports, name, { value: loaded[name], enumerable: true });
  }
  return loaded;
}
Object.defineProperty(exports, "__esModule", { value: true });
for (const name of names)
  Object.defineProperty(exports, name, { get: () => load()[name], enumerable: true, configurable: true });
`;
}
