/**
 * The environment a dyno gets (pure), per procfile-dotenv-cases.md "Env files" rule 2:
 * env-file values override the shell (`shellEnvWins` reverses it); app.json `env`
 * values are defaults under both; `generator: "secret"` vars get their kept secret;
 * a required var with no value anywhere is a problem.
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

export function composeEnv(sources: EnvSources): { env: Record<string, string>; problems: Problem[] } {
  // No prototype: keys such as `constructor` or `__proto__` are ordinary variables here.
  const env: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(sources.shell)) if (value !== undefined) env[key] = value;
  for (const [key, value] of sources.files) if (!(sources.shellEnvWins && Object.hasOwn(env, key))) env[key] = value;

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
        hint: `set it in .env (${spec.key}=...) or in your shell, or give it a "value" in app.json`,
        severity: "error",
      });
  }
  return { env, problems };
}
