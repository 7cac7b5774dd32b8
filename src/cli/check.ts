/**
 * `hoku check`: validates the Procfile, env files and app.json of an app directory,
 * prints every problem with file:line or JSON path and a hint, exits 1 if any error.
 */
import { composeEnv } from "../app/dyno-env.ts";
import { resolveFormation } from "../app/formation.ts";
import { errorsIn, formatProblem } from "../app/problem.ts";
import { type AppFlags, readApp } from "./load.ts";

export async function check(flags: AppFlags): Promise<number> {
  const app = readApp(flags);
  const formation = resolveFormation(app.types, { selected: [], appJson: app.appJson.formation, procfile: app.procfileName });
  // Secrets would be generated at start; here only their presence matters.
  const secrets = Object.fromEntries(app.appJson.env.filter((v) => v.generator === "secret").map((v) => [v.key, "(generated)"]));
  const env = composeEnv({ shell: process.env, files: app.fileEnv, appJson: app.appJson.env, secrets, shellEnvWins: flags.shellEnvWins, appJsonFile: app.appJsonName });
  const problems = [...app.problems, ...formation.problems, ...env.problems];

  for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
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
