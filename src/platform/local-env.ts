/**
 * The working tree's environment, as `hoku start` and `hoku run` give it (heroku local's way):
 * the shell and the env files read again with the add-ons' vars, the base port, and the one
 * note about app.json's required vars.
 */
import { localEnv, missingRequiredVars } from "../app/dyno-env.ts";
import { envSizeProblem } from "../app/env-limits.ts";
import { mergeEnvFiles } from "../app/env-files.ts";
import { chooseBasePort, isValidPort } from "../app/ports.ts";
import { formatProblem, type Problem } from "../app/problem.ts";
import type { LoadedApp } from "./load-app.ts";

type Shell = Readonly<Record<string, string | undefined>>;

/**
 * The environment the app's processes get locally: the shell and the env files, read again
 * with the add-ons' vars so `${DATABASE_URL}` expands to the add-on's URL, then the add-ons'
 * vars themselves. Returns the problems this second reading found that loading did not
 * (references set nowhere), and an environment too large for exec.
 */
export function localEnvironment(app: LoadedApp, options: { shellEnvWins?: boolean; shell?: Shell }, addonVars: Readonly<Record<string, string>>): { env: Record<string, string>; files: ReadonlyMap<string, string>; problems: Problem[] } {
  const shell = options.shell ?? process.env;
  const files = mergeEnvFiles(app.envFiles, { expand: app.expand, shell, addonVars, shellWins: options.shellEnvWins });
  const known = new Set(app.problems.map(formatProblem));
  const problems = files.problems.filter((p) => !known.has(formatProblem(p)));
  const env = { ...localEnv({ shell, files: files.value, shellEnvWins: options.shellEnvWins }), ...addonVars };
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
export function basePort(app: LoadedApp, flag?: string, shell: Shell = process.env): { port: number; from: string; problem?: Problem } {
  const base = chooseBasePort({ flag, envFiles: app.fileEnv.get("PORT"), shell: shell.PORT });
  if (isValidPort(base.port)) return base;
  const shown = base.from === "--port" ? flag : base.from === "PORT in the shell" ? shell.PORT : app.fileEnv.get("PORT");
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
