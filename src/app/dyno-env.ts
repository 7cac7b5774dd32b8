/**
 * The environment of an app's processes (pure), per procfile-dotenv-cases.md "Env files"
 * rule 2. Locally (`hoku start`, `hoku run`: `localEnv`) it is the shell overridden by the
 * env files (`shellEnvWins` reverses it), and app.json `env` is not applied: it is the
 * deployed app's setup, which `heroku local` ignores too; `missingRequiredVars` names the
 * required vars left unset, for one note. At app setup (`composeEnv`, the deploy side),
 * app.json `env` values are defaults, `generator: "secret"` vars get a secret, and a
 * required var with no value is a problem.
 */
import type { EnvVarSpec } from "./app-json.ts";
import type { Problem } from "./problem.ts";

export interface EnvSources {
  /** The shell's environment. */
  readonly shell: Readonly<Record<string, string | undefined>>;
  /** All env files merged, later files winning. */
  readonly files: ReadonlyMap<string, string>;
  /** app.json `env`. */
  readonly appJson: readonly EnvVarSpec[];
  /** Kept secrets for the generator vars. */
  readonly secrets: Readonly<Record<string, string>>;
  readonly shellEnvWins?: boolean;
  /** The app.json file name, for problems. */
  readonly appJsonFile?: string;
}

/** The environment `hoku start` and `hoku run` give the app: the shell and the env files. */
export function localEnv(sources: Pick<EnvSources, "shell" | "files" | "shellEnvWins">): Record<string, string> {
  // No prototype: keys such as `constructor` or `__proto__` are ordinary variables here.
  const env: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(sources.shell)) if (value !== undefined) env[key] = value;
  for (const [key, value] of sources.files) if (!(sources.shellEnvWins && Object.hasOwn(env, key))) env[key] = value;
  return env;
}

/**
 * app.json vars that setup would require a value for (required, no `value`, no generator)
 * and that `env` lacks: the one local note about app.json `env`.
 */
export function missingRequiredVars(specs: readonly EnvVarSpec[], env: Readonly<Record<string, string>>): string[] {
  return specs.filter((spec) => spec.required && spec.value === undefined && spec.generator === undefined && !Object.hasOwn(env, spec.key)).map((spec) => spec.key);
}

/** The environment at app setup: app.json `env` under the given vars, secrets generated, required vars checked. */
export function composeEnv(sources: EnvSources): { env: Record<string, string>; problems: Problem[] } {
  const env = localEnv(sources);
  const problems: Problem[] = [];
  for (const spec of sources.appJson) {
    if (Object.hasOwn(env, spec.key)) continue;
    const value = spec.generator === "secret" ? sources.secrets[spec.key] : spec.value;
    if (value !== undefined) env[spec.key] = value;
    else if (spec.required)
      problems.push({
        file: sources.appJsonFile ?? "app.json",
        path: `/env/${spec.key}`,
        message: `required config var ${spec.key} has no value${spec.description ? ` (${spec.description})` : ""}`,
        // App setup (`hoku apps:setup`, a Heroku Button) takes the values it is given, not the shell's or .env's.
        hint: `give it a value: hoku apps:setup --env ${spec.key}=..., or a "value" in app.json`,
        severity: "error",
      });
  }
  return { env, problems };
}
