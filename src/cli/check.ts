/**
 * `hoku check`: validates the Procfile, env files and app.json of an app directory,
 * prints every problem with file:line or JSON path and a hint, exits 1 if any error.
 * Env-file references are checked against the vars the app's add-ons will set, and the
 * required app.json vars no env file sets are one note, as `hoku start` prints it.
 */
import { localEnv } from "../app/dyno-env.ts";
import { envSizeProblem } from "../app/env-limits.ts";
import { mergeEnvFiles } from "../app/env-files.ts";
import { checkAppJsonFormation } from "../app/formation.ts";
import { errorsIn, formatProblem } from "../app/problem.ts";
import { plannedAddonVars } from "../platform/app-addons.ts";
import { basePort, requiredVarsNote } from "../platform/local-env.ts";
import { type AppFlags, readApp, say } from "./load.ts";

export async function check(flags: AppFlags): Promise<number> {
  const app = readApp(flags);
  for (const note of app.notes) say(note);
  const addonVars = plannedAddonVars(app);
  const files = mergeEnvFiles(app.envFiles, { expand: app.expand, shell: process.env, addonVars, shellWins: flags.shellEnvWins });
  const known = new Set(app.problems.map(formatProblem));
  const env = { ...localEnv({ shell: process.env, files: files.value, shellEnvWins: flags.shellEnvWins }), ...addonVars };
  const port = basePort(app).problem;
  const size = envSizeProblem(env);
  const problems = [
    ...app.problems,
    ...files.problems.filter((p) => !known.has(formatProblem(p))),
    ...checkAppJsonFormation(app.types, app.appJson.formation, app.appJsonName),
    ...(port ? [port] : []),
    ...(size ? [size] : []),
  ];

  for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
  const required = requiredVarsNote(app, env);
  if (required) say(required);
  const errors = errorsIn(problems).length;
  if (errors > 0) {
    process.stderr.write(`hoku check: ${errors} ${errors === 1 ? "problem" : "problems"} found in ${app.dir}\n`);
    return 1;
  }
  const types = app.types.map((t) => t.name).join(", ");
  const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  process.stdout.write(
    `hoku check: ${app.name} is valid: ${count(app.types.length, "process type")} (${types}), ` +
      `${count(app.fileEnv.size, "env file var")}, ${count(app.appJson.env.length, "app.json env var")}, ${count(app.appJson.addons.length, "add-on")}\n`,
  );
  return 0;
}
