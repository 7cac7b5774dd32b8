/**
 * The env file parser (`.env`, `-e a.env,b.env`, `config:set --file`, `hoku check`).
 *
 * Grammar, a superset of ruby foreman's `.env` reading where the cases file allows:
 *   - The text may start with a UTF-8 BOM; CRLF and LF line endings are both accepted.
 *   - Blank lines, and lines whose first non-blank character is `#`, are ignored.
 *   - An entry is `KEY=value`, optionally `export KEY=value`, with spaces allowed around `=`
 *     and before the line. Keys match `[A-Za-z_][A-Za-z0-9_.]*`. `KEY=` is the empty string.
 *     A duplicate key: the last value wins, at the position of the first (as a Ruby Hash).
 *   - Unquoted value: leading and trailing whitespace trimmed; whitespace then `#` starts a
 *     comment (`a #b` is `a`, `a#b` stays `a#b`); backslashes are literal except `\$`.
 *   - Single-quoted value: literal up to the next `'`, no escapes, no expansion; may span lines.
 *   - Double-quoted value: may span lines; `\n` newline, `\t` tab, `\r` carriage return, and
 *     `\X` is X for any other X (so `\"`, `\\`, `\$`; foreman parity).
 *   - After a closing quote only whitespace and an optional `#` comment may follow.
 *   - Expansion (unless `expand: false`) in unquoted and double-quoted values: `${NAME}` and
 *     `$NAME`, NAME = `[A-Za-z_][A-Za-z0-9_]*`, from `winning` (the add-ons' config vars, which
 *     win over the files' own in the final environment), keys defined earlier in this file, then
 *     `lookup` (earlier files, then the shell), else "" with a
 *     warning naming the line (once per name and line). `\$` is a literal `$`; a `$` not
 *     followed by a name or `{` is literal; a `${` not forming `${NAME}` is literal, with a
 *     warning. With `expand: false` unquoted values are kept as written (`\$` stays `\$`, as in
 *     foreman) and double-quoted escapes still apply (`\$` is `$`).
 *   - One entry (`KEY=value`) may be at most 128 KiB, the kernel's limit for one environment
 *     string (MAX_ARG_STRLEN), expansion included: a bigger one is an error and gives no entry
 *     (so a chain of doubling references cannot blow up). A carriage return that does not end
 *     a line (old Mac line endings) is an error.
 *   - A malformed line is an error (file, line, the line quoted, a hint) and gives no entry;
 *     parsing goes on with the next line, so every problem is reported. A quote that is never
 *     closed, or is followed by other text, is reported at the line where it opened, and
 *     parsing resumes on the line after that one.
 */
import type { Parsed, Problem } from "./problem.ts";
import { CR_HINT, quoteLine } from "./procfile.ts";

/** A line as shown in a problem: cut to 80 characters. */
const cut = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}...` : text);

/** The kernel's limit for one environment string, `KEY=value` and its NUL (MAX_ARG_STRLEN). */
export const MAX_ENTRY_BYTES = 128 * 1024;

/** How parseEnvFile expands variables. */
export interface EnvFileOptions {
  /** Expand ${VAR} and $VAR (default true); false = --no-expand. */
  readonly expand?: boolean;
  /** Looks up a variable not defined earlier in this file (earlier files, then the shell). */
  readonly lookup?: (key: string) => string | undefined;
  /** Values that win over this file's own in the final environment (the add-ons' config vars): a reference gets them first. */
  readonly winning?: (key: string) => string | undefined;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const COLON_LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*:/;
const REFERENCE = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/;
const ESCAPES: Readonly<Record<string, string>> = { n: "\n", t: "\t", r: "\r" };
const KEY_HINT = "keys start with a letter or '_' and may contain only letters, digits, '_' and '.'";

/** An env file's entries, its problems, and the line each key was last set on. */
export interface ParsedEnvFile extends Parsed<Map<string, string>> {
  readonly lines: ReadonlyMap<string, number>;
}

/** Parses one env file's text. `file` is the name used in problems. Returns entries in file order (a duplicate key: last wins in the map). */
export function parseEnvFile(text: string, file: string, options: EnvFileOptions = {}): ParsedEnvFile {
  const expand = options.expand ?? true;
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const entries = new Map<string, string>();
  const lineOf = new Map<string, number>();
  const problems: Problem[] = [];
  const report = (line: number, message: string, hint: string, severity: Problem["severity"] = "error") =>
    problems.push({ file, line, message, hint, severity });
  const warned = new Set<string>();
  /** Keys whose entry was refused as too large: a reference to one expands to "" without a second problem. */
  const refused = new Set<string>();
  const resolve = (name: string, line: number) => {
    const value = options.winning?.(name) ?? entries.get(name) ?? options.lookup?.(name);
    if (value !== undefined || refused.has(name)) return value ?? "";
    if (!warned.has(`${line}:${name}`)) {
      warned.add(`${line}:${name}`);
      report(line, `${name} is set nowhere (not earlier in this file, in an earlier env file, by an add-on, or in the shell), so it expands to ""`, `set ${name} before this line, or write \\$ for a literal $`, "warning");
    }
    return "";
  };

  /** Decodes a value body: escapes (all in double quotes, only `\$` unquoted) and expansion; undefined when expansion passes MAX_ENTRY_BYTES. */
  const decode = (body: string, doubleQuoted: boolean, line: number): string | undefined => {
    let out = "";
    for (let i = 0; i < body.length; i++) {
      const char = body[i]!;
      const next = body[i + 1];
      if (char === "\\" && next !== undefined && (doubleQuoted || (expand && next === "$"))) {
        out += doubleQuoted ? (ESCAPES[next] ?? next) : next;
        i++;
      } else if (char === "$" && expand) {
        const ref = REFERENCE.exec(body.slice(i));
        if (ref) {
          out += resolve(ref[1] ?? ref[2]!, line);
          if (out.length > MAX_ENTRY_BYTES) return undefined; // stop a chain of doubling references early
          i += ref[0].length - 1;
          continue;
        }
        if (next === "{") {
          const shown = /^\$\{[^}\s]{0,64}\}?/.exec(body.slice(i))![0];
          report(line, `\`${shown}\` is not expanded: only \${NAME} and $NAME are`, "write \\${ for a literal ${, or use ${NAME} with NAME made of letters, digits and '_'", "warning");
        }
        out += char;
      } else {
        out += char;
      }
    }
    return out;
  };

  /** Sets an entry, or reports it when `KEY=value` is over the kernel's limit. */
  const set = (key: string, value: string | undefined, line: number) => {
    const bytes = value === undefined ? Infinity : key.length + value.length < MAX_ENTRY_BYTES / 4 ? 0 : Buffer.byteLength(`${key}=${value}`) + 1;
    if (bytes <= MAX_ENTRY_BYTES) {
      entries.set(key, value!);
      lineOf.set(key, line);
      return;
    }
    refused.add(key);
    report(line, `${cut(key)} is ${value === undefined ? "over 128 KiB once expanded" : `${Math.ceil(bytes / 1024)} KiB`}; one variable may be at most 128 KiB (the kernel's limit for an environment entry)`, "keep large data in a file and put its path in the variable");
  };

  let index = 0;
  while (index < lines.length) {
    const lineNo = index + 1;
    const line = lines[index++]!;
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    if (line.includes("\r")) {
      report(lineNo, `a carriage return (\\r) does not end this line: ${quoteLine(trimmed)}`, CR_HINT);
      continue;
    }

    const eq = line.indexOf("=");
    const colonLine = COLON_LINE.exec(line);
    if (colonLine && (eq < 0 || line.indexOf(":") < eq)) {
      report(lineNo, `\`${cut(trimmed)}\` uses ':' where '=' is expected`, `write \`${colonLine[1]}=${cut(line.slice(colonLine[0].length).trim())}\``);
      continue;
    }
    if (eq < 0) {
      report(lineNo, `\`${cut(trimmed)}\` is not a KEY=value line`, "write KEY=value, or start the line with '#' to make it a comment");
      continue;
    }

    let key = line.slice(0, eq).trim();
    const exported = /^export\s+/.exec(key);
    if (exported) key = key.slice(exported[0].length);
    const keyOk = KEY.test(key);
    if (!keyOk) {
      const what = key === "" ? "there is no key before '='" : `\`${key}\` is not a valid key`;
      report(lineNo, `\`${cut(trimmed)}\`: ${what}`, KEY_HINT);
    }

    const rest = line.slice(eq + 1);
    const quote = rest.trimStart()[0];
    if (quote !== "'" && quote !== '"') {
      if (keyOk) set(key, decode(rest.replace(/\s#.*$/, "").trim(), false, lineNo), lineNo);
      continue;
    }

    // A quoted value: read until the closing quote, taking further lines if needed.
    let body = rest.trimStart().slice(1);
    let lastIndex = lineNo - 1;
    let scan = closingQuote(body, quote, 0);
    while (scan.at < 0 && lastIndex + 1 < lines.length) {
      body += "\n" + lines[++lastIndex];
      scan = closingQuote(body, quote, scan.next); // from where the last scan stopped: linear in the value's length
    }
    const close = scan.at;
    if (close < 0) {
      report(lineNo, `\`${cut(trimmed)}\`: the ${quote} opened here is never closed`, `add the closing ${quote} (a quoted value may span lines, so everything up to the end of the file was read as this value)`);
      continue;
    }
    const after = body.slice(close + 1);
    if (!/^\s*(#.*)?$/.test(after)) {
      const spans = lastIndex > lineNo - 1;
      const where = spans ? ` (the ${quote} opened here closes on line ${lastIndex + 1})` : "";
      const hint = spans ? `if the value ends on this line, add the closing ${quote} here` : "put the whole value inside the quotes; only a comment (' #...') may follow them";
      report(lineNo, `\`${cut(trimmed)}\`: unexpected \`${after.trim()}\` after the closing ${quote}${where}`, hint);
      continue;
    }
    index = lastIndex + 1;
    if (!keyOk) continue;
    const value = body.slice(0, close);
    set(key, quote === "'" ? value : decode(value, true, lineNo), lineNo);
  }
  return { value: entries, problems, lines: lineOf };
}

/**
 * The quote closing `body` (which starts just after the opening quote), scanning from `from`:
 * `at` is its index or -1, and `next` is where a scan of a longer body goes on.
 */
function closingQuote(body: string, quote: string, from: number): { at: number; next: number } {
  let i = from;
  for (; i < body.length; i++) {
    if (quote === '"' && body[i] === "\\") i++;
    else if (body[i] === quote) return { at: i, next: i };
  }
  return { at: -1, next: i };
}

/** Serialises one pair as a line that parseEnvFile reads back as the same key and value (with or without expansion). */
export function formatEnvLine(key: string, value: string): string {
  if (/^[A-Za-z0-9_.,:/@%+=-]*$/.test(value)) return `${key}=${value}`;
  const escaped = value.replace(/[\\"$\n\r\t]/g, (char) =>
    char === "\n" ? "\\n" : char === "\r" ? "\\r" : char === "\t" ? "\\t" : `\\${char}`,
  );
  return `${key}="${escaped}"`;
}
