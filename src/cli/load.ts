/**
 * What `start`, `run` and `check` share: reading the app directory from the common
 * flags, printing warnings, and refusing to go on while there are errors.
 */
import { composeEnv } from "../app/dyno-env.ts";
import { errorsIn, formatProblem, HokuError, type Problem } from "../app/problem.ts";
import { type LoadedApp, loadApp } from "../platform/load-app.ts";
import { loadSecrets } from "../platform/secrets.ts";
import { appStateDir } from "../platform/state-dir.ts";

/** The flags of appOptions() in main.ts. */
export interface AppFlags {
  readonly dir?: string;
  readonly procfile?: string;
  readonly env?: string;
  readonly shellEnvWins?: boolean;
  readonly expand: boolean;
}

export function readApp(flags: AppFlags): LoadedApp {
  return loadApp({
    dir: flags.dir,
    procfile: flags.procfile,
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

/** Prints warnings to stderr and throws one HokuError listing every error. */
export function requireNoErrors(problems: readonly Problem[], what: string): void {
  for (const problem of problems) if (problem.severity === "warning") say(formatProblem(problem));
  const errors = errorsIn(problems);
  if (errors.length > 0) throw HokuError.fromProblems(`${what}: ${errors.length === 1 ? "1 problem" : `${errors.length} problems`} to fix first`, errors);
}

/** The app's environment (shell, env files, app.json defaults and kept secrets), or the list of missing vars. */
export function appEnvironment(app: LoadedApp, flags: AppFlags): { env: Record<string, string>; problems: Problem[] } {
  const secretKeys = app.appJson.env.filter((v) => v.generator === "secret").map((v) => v.key);
  const secrets = secretKeys.length > 0 ? loadSecrets(appStateDir(app.dir), secretKeys) : {};
  return composeEnv({
    shell: process.env,
    files: app.fileEnv,
    appJson: app.appJson.env,
    secrets,
    shellEnvWins: flags.shellEnvWins,
    appJsonFile: app.appJsonName,
  });
}
