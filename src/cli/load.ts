/**
 * What `start`, `run` and `check` share: reading the app directory from the common
 * flags, the local environment, printing warnings, and refusing to go on while there
 * are errors.
 */
import { localEnv, missingRequiredVars } from "../app/dyno-env.ts";
import { envSizeProblem } from "../app/env-limits.ts";
import { mergeEnvFiles } from "../app/env-files.ts";
import { chooseBasePort, isValidPort } from "../app/ports.ts";
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
 * with the add-ons' vars so `${DATABASE_URL}` expands to the add-on's URL, then the add-ons'
 * vars themselves. Returns the problems this second reading found that loading did not
 * (references set nowhere), and an environment too large for exec.
 */
export function localEnvironment(app: LoadedApp, flags: AppFlags, addonVars: Readonly<Record<string, string>>): { env: Record<string, string>; files: ReadonlyMap<string, string>; problems: Problem[] } {
  const files = mergeEnvFiles(app.envFiles, { expand: app.expand, shell: process.env, addonVars });
  const known = new Set(app.problems.map(formatProblem));
  const problems = files.problems.filter((p) => !known.has(formatProblem(p)));
  const env = { ...localEnv({ shell: process.env, files: files.value, shellEnvWins: flags.shellEnvWins }), ...addonVars };
  const tooLarge = envSizeProblem(env);
  if (tooLarge) problems.push(tooLarge);
  return { env, files: files.value, problems };
}

/** The one note about app.json `env` locally: the required vars nothing sets, or undefined. */
export function requiredVarsNote(app: LoadedApp, env: Readonly<Record<string, string>>): string | undefined {
  const missing = missingRequiredVars(app.appJson.env, env);
  if (missing.length === 0) return undefined;
  return `${app.appJsonName} lists required config vars that no env file sets: ${missing.join(", ")} (app.json env is for the deployed app; locally, set them in .env if the app needs them)`;
}

/**
 * `hoku start`'s base port (-p, else PORT from the env files, else the shell's, else 5006),
 * or a problem naming where a value that is not a port came from (file and line).
 */
export function basePort(app: LoadedApp, flag?: string): { port: number; from: string; problem?: Problem } {
  const base = chooseBasePort({ flag, envFiles: app.fileEnv.get("PORT"), shell: process.env.PORT });
  if (isValidPort(base.port)) return base;
  const shown = base.from === "--port" ? flag : base.from === "PORT in the shell" ? process.env.PORT : app.fileEnv.get("PORT");
  const origin = base.from === "PORT in the env files" ? app.fileEnvOrigins.get("PORT") : undefined;
  const problem: Problem = {
    file: origin?.file ?? (base.from === "--port" ? "--port" : "environment"),
    ...(origin && { line: origin.line }),
    message: `PORT ${JSON.stringify(shown)} is not a port number`,
    hint: "use a number from 1 to 65535 (the base port: each process gets its own PORT from it), or remove it to use 5006",
    severity: "error",
  };
  return { ...base, problem };
}
