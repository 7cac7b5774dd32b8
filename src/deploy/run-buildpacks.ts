/**
 * Chooses the app's buildpacks and runs them in order (BP-1, BP-2, BP-4, BP-5): each one's
 * bin/detect names the language (`-----> Node.js app detected`), then its bin/compile builds
 * the app in the build dir, with the `export` files of the buildpacks before it sourced.
 * With no buildpack set, the built-ins' bin/detect run in Heroku's order and the first that
 * answers is used. Each buildpack runs from this build's own copy of it.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { BuildError } from "./build-error.ts";
import { BUILTIN_NAMES, type BuildpackRef, parseBuildpackRef, registryUrl } from "./buildpack-ref.ts";
import { builtinFolderName } from "./builtin-buildpacks.ts";
import { fetchBuildpack } from "./fetch-buildpack.ts";
import { runScript, type ScriptOptions } from "./run-script.ts";
import { bang, compileFailed, detail, type OutputLine, pushFailed, step } from "./transcript.ts";

/** Where this build runs and with what (made by runBuild). */
export interface BuildSite {
  readonly buildDir: string;
  readonly cacheDir: string;
  readonly envDir: string;
  /** This build's copies of its buildpacks go here, one folder each. */
  readonly buildpacksDir: string;
  /** The extracted built-ins (builtin-buildpacks.ts). */
  readonly builtinsDir: string;
  readonly script: Omit<ScriptOptions, "onLine" | "cwd">;
  readonly output: OutputLine;
}

/** A buildpack that ran: what Heroku reports for it, and where its copy is. */
export interface RanBuildpack {
  readonly name: string;
  readonly url: string;
  readonly dir: string;
  /** What its bin/detect printed (`Node.js`). */
  readonly language: string;
}

const identity = (ref: BuildpackRef) => (ref.kind === "builtin" ? { name: ref.name, url: registryUrl(ref.name) } : { name: ref.given, url: ref.given });

async function detect(dir: string, site: BuildSite): Promise<{ language?: string; stderr: string }> {
  const result = await runScript([join(dir, "bin", "detect"), site.buildDir], { ...site.script, cwd: site.buildDir });
  if (result.killed) throw new BuildError(result.killed, `bin/detect of ${dir} was ${result.killed === "timeout" ? "still running at the build's time limit" : "cancelled"}`);
  if (result.code !== 0) return { stderr: result.stderr };
  return { language: result.stdout.split("\n").map((line) => line.trim()).find(Boolean) ?? "Unknown", stderr: result.stderr };
}

/**
 * `last`: no buildpack runs after this one, which hoku's built-ins are told as HOKU_LAST_BUILDPACK=true (the
 * node one then lets its cache share the build's files: nothing writes into them after it).
 */
async function compile(buildpack: RanBuildpack, exports: readonly string[], site: BuildSite, last: boolean): Promise<void> {
  const argv = [join(buildpack.dir, "bin", "compile"), site.buildDir, site.cacheDir, site.envDir];
  const env = last ? { ...site.script.env, HOKU_LAST_BUILDPACK: "true" } : site.script.env;
  const result = await runScript(argv, { ...site.script, env, cwd: site.buildDir, onLine: site.output }, exports);
  if (result.killed === "timeout") {
    site.output(bang(`Timed out compiling ${buildpack.language} app (the build's time limit)`));
    site.output(bang("See https://devcenter.heroku.com/articles/slug-compiler#time-limit"));
    pushFailed(site.output);
    throw new BuildError("timeout", `compile of ${buildpack.name} was still running at the build's time limit, and was stopped; make the build faster`, { transcribed: true });
  }
  if (result.killed) throw new BuildError("cancelled", `the build was cancelled during compile of ${buildpack.name}`, { transcribed: true });
  if (result.code !== 0) {
    compileFailed(site.output, buildpack.language);
    throw new BuildError(`compile of ${buildpack.name}`, `compile of ${buildpack.name} failed: its bin/compile exited with status ${result.code}; the build output above says why`, { transcribed: true });
  }
}

/** With no buildpack set: the first built-in whose bin/detect answers (BP-5). */
async function autodetect(site: BuildSite): Promise<{ ref: BuildpackRef; language: string }> {
  for (const name of BUILTIN_NAMES) {
    const { language } = await detect(join(site.builtinsDir, builtinFolderName(name)), site);
    if (language) return { ref: { kind: "builtin", given: name, name }, language };
  }
  site.output(bang("No default language could be detected for this app."));
  site.output("\t\t\tHINT: This occurs when Heroku cannot detect the buildpack to use for this application automatically.");
  site.output("\t\t\tSee https://devcenter.heroku.com/articles/buildpacks");
  pushFailed(site.output);
  throw new BuildError(
    "detect",
    `no buildpack detected this app: hoku's built-ins look for a Gemfile, package.json, requirements.txt (or another Python file), go.mod or Procfile; add one, or set the app's buildpacks`,
    { transcribed: true },
  );
}

/** Runs the app's buildpacks (`refs`; none means detect) and returns them, in order. */
export async function runBuildpacks(refs: readonly string[], site: BuildSite): Promise<RanBuildpack[]> {
  mkdirSync(site.buildpacksDir, { recursive: true });
  const ran: RanBuildpack[] = [];
  if (refs.length === 0) {
    site.output(step("Determining which buildpack to use for this app"));
    const { ref, language } = await autodetect(site);
    const dir = join(site.buildpacksDir, `0-${builtinFolderName(ref.given)}`);
    await fetchBuildpack(ref, dir, site.builtinsDir);
    ran.push({ ...identity(ref), dir, language });
    site.output(step(`${language} app detected`));
    await compile(ran[0]!, [], site, true);
    return ran;
  }

  if (refs.length === 1) site.output(step(`Using buildpack: ${refs[0]}`));
  else {
    site.output(step("Using buildpacks:"));
    refs.forEach((ref, i) => site.output(detail(`${i + 1}. ${ref}`)));
  }
  for (const [i, given] of refs.entries()) {
    const ref = parseBuildpackRef(given);
    const dir = join(site.buildpacksDir, `${i}-${given.replace(/[^\w.-]+/g, "_").slice(-60)}`);
    await fetchBuildpack(ref, dir, site.builtinsDir);
    const found = await detect(dir, site);
    if (!found.language) {
      site.output(step(`App not compatible with buildpack: ${identity(ref).url}`));
      for (const line of found.stderr.trimEnd().split("\n")) if (line) site.output(line);
      site.output(detail("More info: https://devcenter.heroku.com/articles/buildpacks#detection-failure"));
      pushFailed(site.output);
      throw new BuildError(`detect of ${given}`, `the buildpack ${given} does not apply to this app: its bin/detect said no; set the buildpacks the app needs`, { transcribed: true });
    }
    const buildpack = { ...identity(ref), dir, language: found.language };
    site.output(step(`${found.language} app detected`));
    const exports = ran.map((done) => join(done.dir, "export")).filter((file) => existsSync(file));
    await compile(buildpack, exports, site, i === refs.length - 1);
    ran.push(buildpack);
  }
  return ran;
}
