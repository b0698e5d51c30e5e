import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";

/**
 * A fresh temporary folder for the enclosing file or describe: made before the first test, removed with its
 * content after the last one. Read `.path` inside tests.
 *
 * @example
 * ```ts
 * const tmp = useTempDir("xai-video-test-");
 * test("saves", async () => { await video.save(join(tmp.path, "clip.mp4")); });
 * ```
 */
export function useTempDir(prefix: string): { readonly path: string } {
  let path: string | undefined;
  before(async () => {
    path = await mkdtemp(join(tmpdir(), prefix));
  });
  after(async () => {
    if (path !== undefined) await rm(path, { recursive: true, force: true });
  });
  return {
    get path() {
      if (path === undefined)
        throw new Error("the temporary folder exists only between the before and after hooks");
      return path;
    },
  };
}
