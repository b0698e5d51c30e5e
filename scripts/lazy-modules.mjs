// An esbuild plugin that defers loading the modules a program does not need until it makes a call:
// the generated schemas (src/gen/, whose embedded descriptors are decoded when the module runs),
// @bufbuild/protobuf and ajv. Together they cost about 80 ms at import on a 2-core machine, and
// `import { Client } from "xai-grpc"` needs none of them.
//
// How: an import of one of these modules from our code is redirected to a small CommonJS stand-in
// whose exports are getters. esbuild turns a named import from a CommonJS module into a property read
// at the place of use (`import_x.ChatSchema`), so the real module is `require`d on the first read, not
// at import. The stand-in then replaces its getters by plain values. Generated modules are bundled and
// wrapped by esbuild in lazy initialisers; @bufbuild/protobuf and ajv stay external dependencies,
// loaded with `require` (their CommonJS builds, one copy whichever of our builds is used).
//
// The source is unchanged: tests run it directly (through tsx), where every import is eager.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, sep } from "node:path";

const NAMESPACE = "xai-lazy";

/**
 * @param {{ root: string, trace?: boolean }} options root: the project directory (its node_modules provide
 *   the external packages' export names); trace: print a stack trace when a module is loaded (to find what
 *   loads one at import: `XAI_LAZY_TRACE=1 npm run build`, then import dist/esm/index.js).
 * @returns {import("esbuild").Plugin}
 */
export function lazyModules({ root, trace = false }) {
  const gen = join(root, "src", "gen");
  const requireFromRoot = createRequire(join(root, "package.json"));
  const isExternalLazy = (path) => /^(@bufbuild\/protobuf|ajv)(\/|$)/.test(path);

  return {
    name: "xai-lazy-modules",
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        // The stand-in's own require, and imports between lazily loaded modules, resolve as usual.
        if (args.namespace === NAMESPACE || args.pluginData === NAMESPACE) return undefined;
        if (args.kind !== "import-statement") return undefined;
        const importerInGen = args.importer.startsWith(gen + sep);
        // Even from generated modules: an ES module's import of an external package would be hoisted
        // to the top of the output file, and so loaded at once.
        if (isExternalLazy(args.path))
          return { path: args.path, namespace: NAMESPACE, pluginData: { external: true } };
        if (importerInGen || !args.path.startsWith(".")) return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: NAMESPACE,
        });
        if (resolved.errors.length > 0 || !resolved.path.startsWith(gen + sep)) return undefined;
        // The stand-in is named by the path relative to the project, so no build machine path is shipped.
        return {
          path: relative(root, resolved.path),
          namespace: NAMESPACE,
          pluginData: { external: false, file: resolved.path },
        };
      });

      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        const { external, file } = args.pluginData;
        const names = external ? exportsOfPackage(requireFromRoot, args.path) : exportsOfGenerated(file);
        return {
          // A generated module is required by its path relative to the project root (the resolveDir).
          contents: standIn(external ? args.path : `./${args.path}`, names, trace),
          loader: "js",
          resolveDir: root,
          watchFiles: external ? [] : [file],
        };
      });
    },
  };
}

/** The names a CommonJS package exports (read by loading it in the build process). */
function exportsOfPackage(requireFromRoot, specifier) {
  return Object.keys(requireFromRoot(specifier)).filter((name) => name !== "__esModule");
}

/** The names a generated TypeScript module exports as values (protoc-gen-es writes `export const` and `export enum`). */
function exportsOfGenerated(path) {
  const source = readFileSync(path, "utf8");
  return [...source.matchAll(/^export (?:const|enum|function|class) (\w+)/gm)].map((m) => m[1]);
}

function standIn(path, names, trace) {
  const report = trace ? `console.error(new Error(${JSON.stringify(`loading ${path}`)}).stack);` : "";
  return `// Stand-in for ${JSON.stringify(path)}: loaded on first use (see scripts/lazy-modules.mjs).
let loaded;
function load() {
  if (loaded === undefined) {${report}
    loaded = require(${JSON.stringify(path)});
    for (const name of names) Object.defineProperty(exports, name, { value: loaded[name], enumerable: true });
  }
  return loaded;
}
const names = ${JSON.stringify(names)};
Object.defineProperty(exports, "__esModule", { value: true });
for (const name of names)
  Object.defineProperty(exports, name, { get: () => load()[name], enumerable: true, configurable: true });
`;
}
