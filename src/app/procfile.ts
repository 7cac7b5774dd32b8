/**
 * Procfile parser (pure).
 *
 * Grammar, one entry per line (CRLF and a leading UTF-8 BOM accepted):
 *   blank or whitespace-only line      ignored
 *   line whose first non-blank is `#`  comment, ignored
 *   ^\s*([A-Za-z0-9_-]{1,63})\s*:\s*(.*\S)\s*$
 *                                      `<type>: <command>`, split at the first `:`
 * Anything else is a problem naming the line. A duplicate type names both lines;
 * an empty command, a file with no entries, and a carriage return that does not end a
 * line (old Mac line endings) are problems too. The command is kept verbatim: hoku hands
 * it to `bash -c` and never substitutes variables itself. Lines are split by hand, not by
 * the grammar's regex, so a line of any length is parsed in linear time.
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

const NAME = /^[A-Za-z0-9_-]{1,63}$/;
const NAME_HINT = "process type names may contain letters, digits, '-' and '_' (at most 63), followed by ':' and the command";

/** Said for a carriage return inside a line, in Procfiles and env files alike. */
export const CR_HINT = "the file has old Mac (CR-only) line endings or a stray carriage return: save it with LF line endings (e.g. mac2unix, or your editor's line-ending setting)";

/** A line as quoted in a problem: JSON-escaped, cut to 80 characters. */
export function quoteLine(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

function quoteName(name: string): string {
  return name.length > 70 ? `${name.slice(0, 67)}...` : name;
}

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
    if (raw.includes("\r")) return problem(line, `a carriage return (\\r) does not end this line: ${quoteLine(trimmed)}`, CR_HINT);
    const colon = trimmed.indexOf(":");
    const name = colon < 0 ? undefined : trimmed.slice(0, colon).trim();
    if (name === undefined || !NAME.test(name)) {
      const why = name !== undefined ? `"${quoteName(name)}" is not a valid process type name` : "this line is not a `<type>: <command>` entry";
      return problem(line, `${why}: ${quoteLine(trimmed)}`, NAME_HINT);
    }
    const command = trimmed.slice(colon + 1).trim();
    if (command === "")
      return problem(line, `process type "${name}" has an empty command`, `give it a command, e.g. \`${name}: npm start\`, or delete the line`);
    const first = seen.get(name);
    if (first !== undefined)
      return problem(line, `process type "${name}" is declared twice, on lines ${first} and ${line}`, "give each process type one line; rename or delete one of them");
    seen.set(name, line);
    types.push({ name, command, line, index: types.length });
  });

  if (types.length === 0 && problems.length === 0)
    problems.push({ file, message: "declares no process types", hint: "add a line such as `web: npm start`", severity: "error" });
  return { value: types, problems };
}
