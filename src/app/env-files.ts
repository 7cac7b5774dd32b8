/**
 * Several env files read as one (pure): `-e a.env,b.env`, later files winning. A `${VAR}`
 * sees the dynos' final environment: the add-ons' config vars first (they win over the files'
 * there, and so do the shell's with --shell-env-wins), then the file itself (earlier lines),
 * then earlier files, then the shell (procfile-dotenv-cases.md "Env files" rule 3, which lists
 * earlier keys before the add-ons' vars: the same wherever no add-on sets the key). So
 * `DATABASE_URI=${DATABASE_URL}` gets the URL of the app's Postgres add-on.
 *
 * Before the add-ons run their vars are not known (`addonVars` undefined): a reference
 * found nowhere else then expands to "" without a warning, since an add-on may set it;
 * the same files read again with the add-ons' vars give the values the dynos get, and a
 * warning for each reference set nowhere.
 */
import { parseEnvFile } from "./env-file.ts";
import type { Parsed, Problem } from "./problem.ts";

/** One env file's text and the name problems use for it. */
export interface EnvFileText {
  readonly name: string;
  readonly text: string;
}

export interface MergeOptions {
  /** Expand `${VAR}` / `$VAR` (false = --no-expand). */
  readonly expand: boolean;
  readonly shell: Readonly<Record<string, string | undefined>>;
  /** The add-ons' config vars, once known. */
  readonly addonVars?: Readonly<Record<string, string>>;
  /** --shell-env-wins: the shell's vars win over the files' in the dynos' environment, so in references too. */
  readonly shellWins?: boolean;
}

/** Where a key of the merged files was set: the file and line that won. */
export interface EnvOrigin {
  readonly file: string;
  readonly line: number;
}

export function mergeEnvFiles(files: readonly EnvFileText[], options: MergeOptions): Parsed<Map<string, string>> & { origins: Map<string, EnvOrigin> } {
  const merged = new Map<string, string>();
  const origins = new Map<string, EnvOrigin>();
  const problems: Problem[] = [];
  const { addonVars, shell } = options;
  const winning = (key: string) => (addonVars && Object.hasOwn(addonVars, key) ? addonVars[key] : options.shellWins ? shell[key] : undefined);
  const lookup = (key: string) => merged.get(key) ?? shell[key] ?? (addonVars ? undefined : "");
  for (const file of files) {
    const parsed = parseEnvFile(file.text, file.name, { expand: options.expand, lookup, winning });
    problems.push(...parsed.problems);
    for (const [key, value] of parsed.value) {
      merged.set(key, value);
      origins.set(key, { file: file.name, line: parsed.lines.get(key)! });
    }
  }
  return { value: merged, problems, origins };
}
