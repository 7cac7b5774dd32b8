/**
 * Procfile parser (pure).
 *
 * Grammar, one entry per line (CRLF and a leading UTF-8 BOM accepted):
 *   blank or whitespace-only line      ignored
 *   line whose first non-blank is `#`  comment, ignored
 *   ^\s*([A-Za-z0-9_-]{1,63})\s*:\s*(.*\S)\s*$
 *                                      `<type>: <command>`, split at the first `:`
 * Anything else is a problem naming the line. A duplicate type names both lines;
 * an empty command or a file with no entries is a problem too. The command is kept
 * verbatim: hoku hands it to `bash -c` and never substitutes variables itself.
 */
import type { Parsed, Problem } from "./problem.ts";

/** One `<type>: <command>` entry of a Procfile. */
export interface ProcessType {
  /** The process type name (`web`, `worker`). */
  readonly name: string;
  /** The command, verbatim, for `bash -c`. */
  readonly command: string;
  /** 1-based line number in the Procfile. */
  readonly line: number;
  /** Position among the Procfile's entries (0 for the first); ports are derived from it. */
  readonly index: number;
}

const ENTRY = /^\s*([A-Za-z0-9_-]{1,63})\s*:\s*(.*\S)?\s*$/;
const NAME_HINT = "process type names may contain letters, digits, '-' and '_' (at most 63), followed by ':' and the command";

export function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, "").split(/\r?\n/);
}

export function parseProcfile(text: string, file = "Procfile"): Parsed<ProcessType[]> {
  const types: ProcessType[] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  const problem = (line: number, message: string, hint: string) =>
    problems.push({ file, line, message, hint, severity: "error" });

  splitLines(text).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const match = ENTRY.exec(raw);
    if (!match) {
      const name = trimmed.split(":")[0] ?? trimmed;
      const why = trimmed.includes(":")
        ? `"${name.trim()}" is not a valid process type name`
        : "this line is not a `<type>: <command>` entry";
      return problem(line, `${why}: ${JSON.stringify(trimmed)}`, NAME_HINT);
    }
    const name = match[1]!;
    const command = match[2];
    if (command === undefined)
      return problem(line, `process type "${name}" has an empty command`, `give it a command, e.g. \`${name}: npm start\`, or delete the line`);
    const first = seen.get(name);
    if (first !== undefined)
      return problem(line, `process type "${name}" is declared twice, on lines ${first} and ${line}`, "give each process type one line; rename or delete one of them");
    seen.set(name, line);
    types.push({ name, command: command.trim(), line, index: types.length });
  });

  if (types.length === 0 && problems.length === 0)
    problems.push({ file, message: "declares no process types", hint: "add a line such as `web: npm start`", severity: "error" });
  return { value: types, problems };
}
