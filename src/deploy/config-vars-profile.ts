/**
 * bin/release's config_vars, written where the dyno will read them: herokuish's
 * `.profile.d/00_config_vars.sh` (BP-3). Heroku adds them to the app's config only where the
 * app has not set them, so each one is exported only if the dyno does not already have it:
 * the profile runs after config vars are injected (DY-3).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `'it'\''s'`: a value as one single-quoted shell word. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The script's text (pure); names that are not shell variable names are left out. */
export function configVarsScript(vars: Readonly<Record<string, string>>): string {
  const lines = ["# Written by hoku from the buildpacks' bin/release config_vars; the app's own config vars win."];
  for (const [name, value] of Object.entries(vars)) {
    if (NAME.test(name)) lines.push(`if [ -z "\${${name}+set}" ]; then export ${name}=${shellQuote(value)}; fi`);
  }
  return `${lines.join("\n")}\n`;
}

export function writeConfigVarsProfile(buildDir: string, vars: Readonly<Record<string, string>>): void {
  if (Object.keys(vars).length === 0) return;
  mkdirSync(join(buildDir, ".profile.d"), { recursive: true });
  writeFileSync(join(buildDir, ".profile.d", "00_config_vars.sh"), configVarsScript(vars));
}
