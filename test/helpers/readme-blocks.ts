// The TypeScript blocks of README.md: each is a complete program (`<!-- program: name -->` before it) or a
// fragment of an earlier program (`<!-- fragment of: name -->`, and a first line `// continues "name"`).
// A fragment is type-checked appended to its program: its imports joined to the program's, its statements in
// a block of their own (so it may reuse the program's names).
import { lexer } from "marked";
import ts from "typescript";

/** One TypeScript block of the README. */
export interface ReadmeBlock {
  kind: "program" | "fragment";
  /** The program's name, or the name of the program a fragment continues. */
  name: string;
  code: string;
  /** The line of the opening fence in the README (1-based). */
  line: number;
}

const MARKER = /^<!--\s*(program|fragment of):\s*([\w-]+)\s*-->\s*$/;

/**
 * The TypeScript blocks of a markdown text, with their markers; throws naming the line of a block without
 * one, and of a marker without a block.
 *
 * @example
 * ```ts
 * const blocks = readmeBlocks(readFileSync("README.md", "utf8"));
 * ```
 */
export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  let offset = 0;
  let marker: { kind: ReadmeBlock["kind"]; name: string; line: number } | undefined;
  const lineAt = (index: number) => markdown.slice(0, index).split("\n").length;
  for (const token of lexer(markdown)) {
    const start = markdown.indexOf(token.raw, offset);
    offset = start + token.raw.length;
    const line = lineAt(start);
    if (token.type === "space") continue;
    const marked = token.type === "html" ? MARKER.exec(token.raw.trim()) : null;
    if (marked) {
      if (marker) throw new Error(`README.md:${marker.line}: a marker not followed by a TypeScript block`);
      marker = { kind: marked[1] === "program" ? "program" : "fragment", name: marked[2], line };
      continue;
    }
    const isTs = token.type === "code" && /^(ts|typescript)\b/.test(token.lang ?? "");
    if (isTs && token.type === "code") {
      if (!marker) {
        throw new Error(
          `README.md:${line}: a TypeScript block without <!-- program: name --> or <!-- fragment of: name --> before it`,
        );
      }
      blocks.push({ kind: marker.kind, name: marker.name, code: `${token.text}\n`, line });
    } else if (marker) {
      throw new Error(`README.md:${marker.line}: a marker not followed by a TypeScript block`);
    }
    marker = undefined;
  }
  return blocks;
}

interface Imports {
  /** The import declarations' text. */
  declarations: ts.ImportDeclaration[];
  /** Every local name they bind. */
  names: Set<string>;
  /** The code without them. */
  rest: string;
}

function importsOf(code: string): Imports & { file: ts.SourceFile } {
  const file = ts.createSourceFile("block.mts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const declarations = file.statements.filter(ts.isImportDeclaration);
  const names = new Set<string>();
  for (const d of declarations) {
    const clause = d.importClause;
    if (clause?.name) names.add(clause.name.text);
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) names.add(e.name.text);
  }
  let rest = code;
  for (const d of [...declarations].reverse())
    rest = rest.slice(0, d.getFullStart()) + rest.slice(d.getEnd());
  return { file, declarations, names, rest };
}

/**
 * A program followed by a fragment: the fragment's imports of names the program does not import yet, then
 * its statements in a block.
 *
 * @example
 * ```ts
 * writeFileSync("quick-start+reasoning.mts", withFragment(program.code, fragment.code));
 * ```
 */
export function withFragment(program: string, fragment: string): string {
  const known = importsOf(program).names;
  const { file, declarations, rest } = importsOf(fragment);
  const added: string[] = [];
  for (const d of declarations) {
    const from = d.moduleSpecifier.getText(file);
    const clause = d.importClause;
    if (!clause) {
      added.push(d.getText(file));
      continue;
    }
    if (clause.name && !known.has(clause.name.text)) added.push(`import ${clause.name.text} from ${from};`);
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings) && !known.has(bindings.name.text)) {
      added.push(`import * as ${bindings.name.text} from ${from};`);
    }
    if (bindings && ts.isNamedImports(bindings)) {
      const missing = bindings.elements.filter((e) => !known.has(e.name.text)).map((e) => e.getText(file));
      if (missing.length > 0) {
        added.push(`import ${clause.isTypeOnly ? "type " : ""}{ ${missing.join(", ")} } from ${from};`);
      }
    }
  }
  return `${program}\n${added.join("\n")}\n{\n${rest}\n}\n`;
}
