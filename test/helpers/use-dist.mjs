// Runs a test file against the built package instead of the source: `--import tsx --import ./test/helpers/use-dist.mjs`
// resolves every import of src/index and src/testing/index to dist/esm (what users load), so those tests check the
// bundle, its lazy loading and its shared chunks. Tests that reach into other src/ modules cannot run this way.
import { register } from "node:module";

register(new URL("./use-dist-hooks.mjs", import.meta.url));
