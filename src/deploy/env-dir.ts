/**
 * ENV_DIR for bin/compile: one file per config var, named after it and holding its value
 * (BP-2). The vars are not exported to the buildpacks; each one decides what to read.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BuildError } from "./build-error.ts";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Writes `env` into `dir` (created, mode 0700: values may be secrets), one 0600 file each. */
export function writeEnvDir(dir: string, env: Readonly<Record<string, string>>): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const [name, value] of Object.entries(env)) {
    if (!NAME.test(name)) throw new BuildError("prepare", `config var ${JSON.stringify(name)} is not a valid name: use letters, digits and '_' (heroku config:unset it and set it under a valid name)`);
    writeFileSync(join(dir, name), value, { mode: 0o600 });
  }
}
