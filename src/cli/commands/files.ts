// `xai files list|upload|download|delete|info`: the Files API from a terminal.
import { basename } from "node:path";
import Table from "cli-table3";
import { type Command, Option } from "commander";
import type { StoredFile } from "../../files/index.js";
import type { CliContext } from "../context.js";
import { UsageError } from "../errors.js";
import { examples } from "../help.js";
import { parsePositiveInteger, parseSeconds } from "../parsers.js";

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
}

interface DownloadOptions {
  out?: string;
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

  files
    .command("upload")
    .description("Upload files (streamed, so large files are fine); prints each new file's id.")
    .argument("<path...>", "the files to upload")
    .option("--name <filename>", "store under this name (one file only)")
    .option("--expires-after <seconds>", "delete automatically after this many seconds (3600 or more)", (v) =>
      Math.round(parseSeconds(v) / 1000),
    )
    .option("--json", "print the uploaded files as a JSON array")
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
        const waiting = term.wait(`uploading ${basename(path)}…`);
        try {
          uploaded.push(
            await client.files.upload(path, {
              ...(options.name !== undefined ? { filename: options.name } : {}),
              ...(options.expiresAfter !== undefined ? { expiresAfter: options.expiresAfter } : {}),
            }),
          );
        } finally {
          waiting.stop();
        }
        const file = uploaded[uploaded.length - 1];
        if (!options.json) {
          term.out(
            `${term.style.cyan(file.id)}  ${file.filename}  ${term.style.dim(formatBytes(file.size))}`,
          );
        }
      }
      if (options.json) term.out(JSON.stringify(uploaded.map(fileJson), null, 2));
    });

  files
    .command("download")
    .description("Save a file's content (by default under its stored name in the current directory).")
    .argument("<file-id>", "the file's id")
    .option("-o, --out <path>", 'where to write it; "-" writes to standard output')
    .addHelpText(
      "after",
      examples([
        ["xai files download file-123", "saved under its stored name"],
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
      const path = options.out ?? basename((await client.files.get(fileId)).filename || fileId);
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
