// `xai files list|upload|download|delete|info`: the Files API from a terminal.
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import Table from "cli-table3";
import { type Command, Option } from "commander";
import type { StoredFile, UploadProgress } from "../../files/index.js";
import type { CliContext } from "../context.js";
import { UsageError } from "../errors.js";
import { examples } from "../help.js";
import { parseExpiresAfter, parsePositiveInteger } from "../parsers.js";

/**
 * One file as the `--json` outputs print it.
 *
 * @example
 * ```ts
 * // xai files list --json | jq -r '.[].id'
 * const ids = (JSON.parse(stdout) as FileJson[]).map((f) => f.id);
 * ```
 */
export interface FileJson {
  id: string;
  filename: string;
  size: number;
  createdAt?: string;
  expiresAt?: string;
}

function fileJson(file: StoredFile): FileJson {
  return {
    id: file.id,
    filename: file.filename,
    size: file.size,
    ...(file.createdAt ? { createdAt: file.createdAt.toISOString() } : {}),
    ...(file.expiresAt ? { expiresAt: file.expiresAt.toISOString() } : {}),
  };
}

/**
 * A byte count for people: `1536` → `1.5 KiB`.
 *
 * @example
 * ```ts
 * formatBytes(3 * 1024 * 1024); // "3.0 MiB"
 * ```
 */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

interface ListOptions {
  limit?: number;
  order?: "asc" | "desc";
  sortBy?: "createdAt" | "filename" | "size";
  json?: boolean;
}

interface UploadCommandOptions {
  name?: string;
  expiresAfter?: number;
  json?: boolean;
  progress?: boolean;
}

interface DownloadOptions {
  out?: string;
  clobber?: boolean;
}

/**
 * An upload's progress for people: `report.pdf: 3.0 MiB of 7.0 MiB (42%)`.
 *
 * @example
 * ```ts
 * uploadProgressText({ filename: "a.bin", bytesSent: 3 << 20, totalBytes: 7 << 20 }); // "a.bin: 3.0 MiB of 7.0 MiB (42%)"
 * ```
 */
export function uploadProgressText(progress: UploadProgress): string {
  const sent = formatBytes(progress.bytesSent);
  const total = progress.totalBytes;
  if (total === undefined) return `${progress.filename}: ${sent}`;
  const percent = total === 0 ? 100 : Math.floor((progress.bytesSent / total) * 100);
  return `${progress.filename}: ${sent} of ${formatBytes(total)} (${percent}%)`;
}

/** The page size `xai files list --limit N` asks for at most (N itself when smaller). */
const LIST_PAGE_SIZE = 100;

/**
 * What kind of file system entry `info` describes, as a phrase for an error ("a directory"), or undefined for a
 * regular file.
 */
function specialKind(info: Awaited<ReturnType<typeof stat>>): string | undefined {
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return "a directory";
  if (info.isFIFO()) return "a FIFO (named pipe)";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "a device";
  if (info.isSocket()) return "a socket";
  return "not a regular file";
}

/**
 * Checks where a download may be written: never over a directory, FIFO, device or socket; over an existing
 * file only when `replace` (an explicit `--out`, or `--clobber`). Throws a {@link UsageError} naming the file.
 */
async function checkDestination(path: string, replace: boolean): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  const kind = specialKind(info);
  if (kind !== undefined) {
    throw new UsageError(
      `${JSON.stringify(path)} is ${kind}, not a file: downloads are never written over one; give a file path with --out <path>, or --out - for standard output`,
    );
  }
  if (!replace) {
    throw new UsageError(
      `${JSON.stringify(path)} already exists: pass --clobber to replace it, or --out <path> to save elsewhere`,
    );
  }
}

/**
 * Registers `xai files` and its subcommands.
 *
 * @example
 * ```ts
 * registerFilesCommand(program, ctx); // then: xai files --help
 * ```
 */
export function registerFilesCommand(program: Command, ctx: CliContext): void {
  const files = program
    .command("files")
    .summary("list, upload, download and delete stored files")
    .description(
      "Manage the files stored with the API (usable in chat, images, videos, batches and collections).",
    )
    .addHelpText(
      "after",
      examples([
        ["xai files upload report.pdf", "upload; prints the new file id"],
        ["xai files list --sort-by size --order desc", "the largest first"],
        ["xai files download file-123 --out copy.pdf", "save a file's content"],
        ["xai files delete file-123", "delete it"],
      ]),
    );

  files
    .command("list")
    .description("List the stored files (every page).")
    .option("--limit <n>", "show at most this many files", parsePositiveInteger)
    .addOption(new Option("--order <order>", "sort order").choices(["asc", "desc"]))
    .addOption(new Option("--sort-by <field>", "sort key").choices(["createdAt", "filename", "size"]))
    .option("--json", "print a JSON array")
    .addHelpText("after", examples([["xai files list --json | jq -r '.[].id'", "the ids, one per line"]]))
    .action(async (options: ListOptions, command: Command) => {
      const { term } = ctx;
      const client = ctx.client(command);
      const found: StoredFile[] = [];
      const waiting = term.wait("listing files…");
      try {
        const params = {
          // A small --limit asks for one page of that size instead of full pages it would cut short.
          ...(options.limit !== undefined ? { limit: Math.min(options.limit, LIST_PAGE_SIZE) } : {}),
          ...(options.order ? { order: options.order } : {}),
          ...(options.sortBy ? { sortBy: options.sortBy } : {}),
        };
        for await (const file of client.files.list(params)) {
          found.push(file);
          if (options.limit !== undefined && found.length >= options.limit) break;
        }
      } finally {
        waiting.stop();
      }
      if (options.json) {
        term.out(JSON.stringify(found.map(fileJson), null, 2));
        return;
      }
      if (found.length === 0) {
        term.out("no files");
        return;
      }
      const s = term.style;
      const table = new Table({
        head: ["id", "name", "size", "created", "expires"].map((h) => s.bold(h)),
        style: { head: [], border: [] },
      });
      for (const file of found) {
        table.push([
          s.cyan(file.id),
          file.filename,
          formatBytes(file.size),
          file.createdAt?.toISOString().replace("T", " ").slice(0, 19) ?? "-",
          file.expiresAt?.toISOString().replace("T", " ").slice(0, 19) ?? "never",
        ]);
      }
      term.out(table.toString());
    });

  const upload = files
    .command("upload")
    .description("Upload files (streamed, so large files are fine); prints each new file's id.")
    .argument("<path...>", "the files to upload")
    .option("--name <filename>", "store under this name (one file only)")
    .option(
      "--expires-after <seconds>",
      "delete automatically after this many seconds (3600 to 2592000)",
      parseExpiresAfter,
    )
    .option("--json", "print the uploaded files as a JSON array")
    .option(
      "--progress",
      "show the bytes sent and the percentage on stderr even when it is not a terminal (on a terminal, always)",
    )
    .addHelpText(
      "after",
      examples([
        ["xai files upload report.pdf data.csv", "upload two files"],
        ["xai files upload log.txt --expires-after 86400", "kept for one day"],
      ]),
    )
    .action(async (paths: string[], options: UploadCommandOptions, command: Command) => {
      const { term } = ctx;
      if (options.name !== undefined && paths.length > 1) {
        throw new UsageError("--name applies to a single file; upload the files one by one to rename them");
      }
      const client = ctx.client(command);
      const uploaded: StoredFile[] = [];
      for (const path of paths) {
        const progress = term.progress(options.progress === true);
        if (progress.live) progress.update(`uploading ${basename(path)}…`);
        try {
          uploaded.push(
            await client.files.upload(path, {
              ...(options.name !== undefined ? { filename: options.name } : {}),
              ...(options.expiresAfter !== undefined ? { expiresAfter: options.expiresAfter } : {}),
              onProgress: (p) => progress.update(`uploading ${uploadProgressText(p)}`),
            }),
          );
        } catch (err) {
          progress.stop();
          throw err;
        }
        const file = uploaded[uploaded.length - 1];
        progress.done(`uploaded ${file.filename}: ${formatBytes(file.size)} (100%)`);
        if (!options.json) {
          term.out(
            `${term.style.cyan(file.id)}  ${file.filename}  ${term.style.dim(formatBytes(file.size))}`,
          );
        }
      }
      if (options.json) term.out(JSON.stringify(uploaded.map(fileJson), null, 2));
    });
  ctx.nameSdkOptions(upload, { filename: "--name" });

  files
    .command("download")
    .description(
      "Save a file's content, by default under its stored name in the current directory, never over an " +
        "existing file unless --clobber. A path given with --out is replaced if it exists (it is what you asked " +
        "for). Directories, FIFOs and devices are never written over.",
    )
    .argument("<file-id>", "the file's id")
    .option("-o, --out <path>", 'where to write it (replaced if it exists); "-" writes to standard output')
    .option("--clobber", "replace an existing file of the stored name")
    .addHelpText(
      "after",
      examples([
        ["xai files download file-123", "saved under its stored name"],
        ["xai files download file-123 --clobber", "replace the copy saved before"],
        ["xai files download file-123 -o - | wc -c", "to standard output"],
      ]),
    )
    .action(async (fileId: string, options: DownloadOptions, command: Command) => {
      const { term } = ctx;
      const client = ctx.client(command);
      if (options.out === "-") {
        for await (const chunk of client.files.contentStream(fileId)) process.stdout.write(chunk);
        return;
      }
      if (options.out !== undefined) await checkDestination(options.out, true);
      const path = options.out ?? basename((await client.files.get(fileId)).filename || fileId);
      if (options.out === undefined) await checkDestination(path, options.clobber === true);
      const waiting = term.wait(`downloading ${fileId}…`);
      try {
        await client.files.saveContent(fileId, path);
      } finally {
        waiting.stop();
      }
      term.out(`saved ${term.style.cyan(path)}`);
    });

  files
    .command("info")
    .description("Show a file's metadata.")
    .argument("<file-id>", "the file's id")
    .option("--json", "print JSON")
    .addHelpText("after", examples([["xai files info file-123", "name, size, creation and expiry"]]))
    .action(async (fileId: string, options: { json?: boolean }, command: Command) => {
      const { term } = ctx;
      const file = fileJson(await ctx.client(command).files.get(fileId));
      if (options.json) {
        term.out(JSON.stringify(file, null, 2));
        return;
      }
      for (const [key, value] of Object.entries(file))
        term.out(`${term.style.bold(key.padEnd(10))} ${value}`);
    });

  files
    .command("delete")
    .description("Delete files.")
    .argument("<file-id...>", "the files' ids")
    .addHelpText("after", examples([["xai files delete file-123 file-456", "delete two files"]]))
    .action(async (fileIds: string[], _options: unknown, command: Command) => {
      const { term } = ctx;
      const client = ctx.client(command);
      for (const fileId of fileIds) {
        const result = await client.files.delete(fileId);
        term.out(result.deleted ? `deleted ${term.style.cyan(fileId)}` : `not deleted: ${fileId}`);
      }
    });
}
