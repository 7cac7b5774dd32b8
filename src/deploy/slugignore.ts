/**
 * .slugignore parser and matcher (pure). Heroku removes the files it matches from the source
 * before the build (DC:slug-compiler); the syntax is .gitignore's without negation.
 *
 * Grammar, one pattern per line (CRLF accepted):
 *   blank line, or first non-blank `#`   ignored
 *   `!pattern`                           not supported: a problem naming the line
 *   `pattern/`                           matches folders only
 *   a `/` at the start or in the middle  anchored at the app's root; else matches at any depth
 *   `*` any run of characters but `/`, `?` one of them, `[abc]` a class, `**` any folders
 * A matched folder is removed with everything in it.
 */
import type { Parsed, Problem } from "../app/problem.ts";
import { splitLines } from "../app/procfile.ts";

/** Whether a path (relative, `/`-separated) of a file or folder is ignored. */
export type SlugMatcher = (path: string, isDir: boolean) => boolean;

interface Rule {
  readonly regex: RegExp;
  readonly dirOnly: boolean;
}

/** One glob (already stripped of its anchoring and trailing `/`) as a regex source. */
function globSource(glob: string): string {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      // `**/` is any number of folders; a trailing `**` is everything below.
      const slash = glob[i + 2] === "/";
      source += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) source += "\\[";
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, "\\\\");
        source += `[${body.startsWith("!") ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return source;
}

export function parseSlugignore(text: string, file = ".slugignore"): Parsed<SlugMatcher> {
  const rules: Rule[] = [];
  const problems: Problem[] = [];
  splitLines(text).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    if (line.startsWith("!")) {
      problems.push({ file, line: i + 1, message: `negated patterns are not supported: ${line}`, hint: "Heroku's .slugignore has no `!`; list only what to remove", severity: "warning" });
      return;
    }
    const dirOnly = line.endsWith("/");
    const body = dirOnly ? line.slice(0, -1) : line;
    const anchored = body.includes("/");
    const glob = body.replace(/^\//, "");
    if (glob === "") return;
    rules.push({ regex: new RegExp(`^${anchored ? "" : "(?:.*/)?"}${globSource(glob)}$`), dirOnly });
  });
  const matcher: SlugMatcher = (path, isDir) => rules.some((rule) => (isDir || !rule.dirOnly) && rule.regex.test(path));
  return { value: matcher, problems };
}
