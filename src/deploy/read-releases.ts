/**
 * Every buildpack's bin/release, after all of them compiled (BP-3, BP-4): config_vars merged in
 * order, a later buildpack's over an earlier one's, and the default process types of the last
 * buildpack only ("the last buildpack in the list determines the process types", DC:buildpacks;
 * one without bin/release declares none). A script that fails or prints what is not YAML fails
 * the build, naming it.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { BuildError } from "./build-error.ts";
import { parseRelease } from "./release-yaml.ts";
import type { RanBuildpack } from "./run-buildpacks.ts";
import { runScript, type ScriptOptions } from "./run-script.ts";

export interface Releases {
  readonly configVars: Readonly<Record<string, string>>;
  readonly defaults: Readonly<Record<string, string>>;
}

export async function readReleases(ran: readonly RanBuildpack[], buildDir: string, script: Omit<ScriptOptions, "cwd">): Promise<Releases> {
  const configVars: Record<string, string> = {};
  let defaults: Readonly<Record<string, string>> = {};
  for (const buildpack of ran) {
    const release = join(buildpack.dir, "bin", "release");
    if (!existsSync(release)) {
      defaults = {};
      continue;
    }
    const result = await runScript([release, buildDir], { ...script, cwd: buildDir });
    const fail = (why: string) => new BuildError(`release of ${buildpack.name}`, `bin/release of ${buildpack.name} ${why}; fix the buildpack (its bin/release must print YAML: addons, default_process_types, config_vars)`);
    if (result.code !== 0) throw fail(`exited with status ${result.code}${result.stderr.trim() ? `: ${result.stderr.trim()}` : ""}`);
    try {
      const info = parseRelease(result.stdout);
      Object.assign(configVars, info.configVars);
      defaults = info.defaultProcessTypes;
    } catch (error) {
      throw fail(`printed something hoku cannot read: ${(error as Error).message}`);
    }
  }
  return { configVars, defaults };
}
