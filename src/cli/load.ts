/**
 * What `start`, `run` and `check` share: reading the app directory from the common
 * flags, the local environment, printing warnings, and refusing to go on while there
 * are errors.
 */
import { localEnv, missingRequiredVars } from "../app/dyno-env.ts";
import { mergeEnvFiles } from "../app/env-files.ts";
import { errorsIn, formatProblem, HokuError, type Problem } from "../app/problem.ts";
import { type LoadedApp, loadApp } from "../platform/load-app.ts";

/** The flags of appOptions() in main.ts. */
export interface AppFlags {
  readonly dir?: string;
  readonly procfile?: string;
  readonly env?: string;
  readonly shellEnvWins?: boolean;
  readonly expand: boolean;
  /** `--start-cmd` (start only). */
  readonly startCmd?: string;
}

export function readApp(flags: AppFlags): LoadedApp {
  return loadApp({
    dir: flags.dir,
    procfile: flags.procfile,
    startCmd: flags.startCmd,
    envFiles: flags.env?.split(",").map((f) => f.trim()).filter(Boolean),
    expand: flags.expand,
    shell: process.env,
    cwd: process.cwd(),
  });
}

/** One line for the user on stderr: `hoku: <line>`. */
export function say(line: string): void {
  process.stderr.write(`hoku: ${line}\n`);
}

/** Prints warnings to stderr and throws one HokuError listing every error; `what` is the verb refused (`start`). */
export function requireNoErrors(problems: readonly Problem[], what: string): void {
  for (const problem of problems) if (problem.severity === "warning") say(formatProblem(problem));
  const errors = errorsIn(problems);
  if (errors.length > 0) throw HokuError.fromProblems(`cannot ${what}: ${errors.length === 1 ? "1 problem" : `${errors.length} problems`} to fix first`, errors);
}

/**
 * The environment the app's processes get locally: the shell and the env files, read again
 * with the add-ons' vars so `${DATABASE_URL}` expands to the add-on's URL. Returns the
 * problems this second reading found that loading did not (references set nowhere).
 */
export function localEnvironment(app: LoadedApp, flags: AppFlags, addonVars: Readonly<Record<string, string>>): { env: Record<string, string>; files: ReadonlyMap<string, string>; problems: Problem[] } {
  const files = mergeEnvFiles(app.envFiles, { expand: app.expand, shell: process.env, addonVars });
  const known = new Set(app.problems.map(formatProblem));
  const problems = files.problems.filter((p) => !known.has(formatProblem(p)));
  return { env: localEnv({ shell: process.env, files: files.value, shellEnvWins: flags.shellEnvWins }), files: files.value, problems };
}

/** The one note about app.json `env` locally: the required vars nothing sets, or undefined. */
export function requiredVarsNote(app: LoadedApp, env: Readonly<Record<string, string>>): string | undefined {
  const missing = missingRequiredVars(app.appJson.env, env);
  if (missing.length === 0) return undefined;
  return `${app.appJsonName} lists required config vars that no env file sets: ${missing.join(", ")} (app.json env is for the deployed app; locally, set them in .env if the app needs them)`;
}
