// The resolve hook of use-dist.mjs (module hooks run in their own thread, so they live in their own file).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = new URL("../../", import.meta.url);
const entries = new Map([
  [new URL("src/index.js", root).href, new URL("dist/esm/index.js", root)],
  [new URL("src/index.ts", root).href, new URL("dist/esm/index.js", root)],
  [new URL("src/testing/index.js", root).href, new URL("dist/esm/testing/index.js", root)],
  [new URL("src/testing/index.ts", root).href, new URL("dist/esm/testing/index.js", root)],
  [new URL("src/ai-sdk/index.js", root).href, new URL("dist/esm/ai-sdk/index.js", root)],
  [new URL("src/ai-sdk/index.ts", root).href, new URL("dist/esm/ai-sdk/index.js", root)],
]);
const srcPrefix = new URL("src/", root).href;
const testPrefix = new URL("test/", root).href;

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL;
  if (parent?.startsWith(testPrefix) && specifier.startsWith(".")) {
    const target = new URL(specifier, parent).href;
    const dist = entries.get(target);
    if (dist) {
      if (!existsSync(fileURLToPath(dist))) throw new Error(`${dist.pathname} is missing: run npm run build`);
      return { url: dist.href, shortCircuit: true, format: "module" };
    }
    if (target.startsWith(srcPrefix) && !target.startsWith(`${srcPrefix}gen/`)) {
      throw new Error(
        `${parent} imports ${specifier}: against dist/ a test may import only src/index, src/testing/index and src/ai-sdk/index (and src/gen)`,
      );
    }
  }
  return nextResolve(specifier, context);
}
