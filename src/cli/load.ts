/**
 * What the commands that read an app share: reading the app directory from the common
 * flags, printing warnings, and refusing to go on while there are errors.
 */
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

/** Says the warnings (on stderr, by default) and throws one HokuError listing every error; `what` is the verb refused (`start`). */
export function requireNoErrors(problems: readonly Problem[], what: string, tell: (line: string) => void = say): void {
  for (const problem of problems) if (problem.severity === "warning") tell(formatProblem(problem));
  const errors = errorsIn(problems);
  if (errors.length > 0) throw HokuError.fromProblems(`cannot ${what}: ${errors.length === 1 ? "1 problem" : `${errors.length} problems`} to fix first`, errors);
}
