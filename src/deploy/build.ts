/**
 * The build half of `git push hoku main`: turns a checkout of the pushed commit into a slug
 * with Heroku's classic buildpack API (BP-1..BP-7), offline, printing Heroku's transcript
 * (GP-2, GP-3) as it goes.
 *
 * 1. The source is copied to `/tmp/build_<hex>` without `.git`; `.slugignore` applies.
 * 2. The buildpacks run (run-buildpacks.ts): the app's, `.buildpacks`' if it sets none, or
 *    the first built-in that detects the app; config vars are files in ENV_DIR.
 * 3. Each bin/release is read; config_vars go to .profile.d/00_config_vars.sh; the Procfile's
 *    types win over the last buildpack's defaults.
 * 4. The slug is measured against the limits and moved to `slugDir`.
 *
 * Everything a build makes must run from wherever the slug is put (/app in a sandbox, else
 * `slugDir` itself): the built-ins leave no build-dir path in what runs.
 */
import { cpSync, existsSync, lstatSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { formatProblem } from "../app/problem.ts";
import { parseProcfile, type ProcessType } from "../app/procfile.ts";
import { randomHex } from "../platform/random.ts";
import { readInputFile } from "../platform/read-input.ts";
import { BuildError } from "./build-error.ts";
import { buildEnv } from "./build-env.ts";
import { parseDotBuildpacks } from "./buildpack-ref.ts";
import { extractBuiltinBuildpacks } from "./builtin-buildpacks.ts";
import { writeConfigVarsProfile } from "./config-vars-profile.ts";
import { applySlugignore, copySource } from "./copy-source.ts";
import { writeEnvDir } from "./env-dir.ts";
import { discoverProcessTypes } from "./process-types.ts";
import { readReleases } from "./read-releases.ts";
import { runBuildpacks } from "./run-buildpacks.ts";
import { HEROKU_SLUG_LIMITS, measureSlug } from "./slug-size.ts";
import { bang, detail, formatSize, type OutputLine, pushFailed, step } from "./transcript.ts";

export { BuildError } from "./build-error.ts";

/** The stack every hoku build targets (Heroku's current one). */
export const STACK = "heroku-24";

export interface BuildLimits {
  /** A slug past this fails the build (Heroku: 500 MB). */
  readonly slugMaxBytes: number;
  /** A slug past this gets a warning (Heroku: 300 MB). */
  readonly slugWarnBytes: number;
  /** The whole build's time limit (Heroku: 15 minutes). */
  readonly timeoutMs: number;
}

export const HEROKU_BUILD_LIMITS: BuildLimits = { slugMaxBytes: HEROKU_SLUG_LIMITS.maxBytes, slugWarnBytes: HEROKU_SLUG_LIMITS.warnBytes, timeoutMs: 15 * 60 * 1000 };

export interface BuildRequest {
  /** A checkout of the pushed commit; never modified. */
  readonly sourceDir: string;
  /** The app's buildpacks in order (`heroku/nodejs`, a local folder, file:// URL, local git repo, .tgz, or a network URL); empty = `.buildpacks`, else detect. */
  readonly buildpacks: readonly string[];
  /** The app's config vars: one file each in ENV_DIR, not exported. */
  readonly env: Readonly<Record<string, string>>;
  /** The app's cache folder, kept between builds (CACHE_DIR). */
  readonly cacheDir: string;
  /** Where the compiled app ends up; must not exist yet. */
  readonly slugDir: string;
  /** Each transcript line, as Heroku prints it without git's `remote: ` prefix. */
  readonly output: OutputLine;
  /** The pushed commit, given to the buildpacks as SOURCE_VERSION. */
  readonly sourceVersion?: string;
  /** Heroku's limits unless set (tests make them small). */
  readonly limits?: Partial<BuildLimits>;
  /** Cancels the build: the running buildpack's process group is killed. */
  readonly signal?: AbortSignal;
  /** Gets each buildpack script's process group as it starts (hoku's reaper). */
  readonly watch?: (pgid: number) => void;
  /** Where the built-in buildpacks are written out (hoku's state folder unless set). */
  readonly stateDir?: string;
  /** The environment the build's toolchains are found from (hoku's own unless set; see build-env.ts). */
  readonly hostEnv?: Readonly<Record<string, string | undefined>>;
}

export interface BuildResult {
  /** The slug's process types: the Procfile's, over the last buildpack's defaults. */
  readonly processTypes: Readonly<Record<string, string>>;
  /** The buildpacks that ran, in order, as Heroku reports them. */
  readonly buildpacks: readonly { readonly name: string; readonly url: string }[];
  /** The slug folder's size. */
  readonly sizeBytes: number;
  readonly stack: string;
}

/** The app's buildpacks: the platform's, else the source's `.buildpacks` file. */
function buildpackRefs(request: BuildRequest, buildDir: string): readonly string[] {
  if (request.buildpacks.length > 0) return request.buildpacks;
  const file = join(buildDir, ".buildpacks");
  if (!existsSync(file)) return [];
  const read = readInputFile(file, ".buildpacks");
  if (read.problem) throw new BuildError("prepare", formatProblem(read.problem));
  return parseDotBuildpacks(read.text);
}

function readProcfile(buildDir: string): ProcessType[] | undefined {
  const file = join(buildDir, "Procfile");
  if (!existsSync(file)) return undefined;
  const read = readInputFile(file, "Procfile");
  if (read.problem) throw new BuildError("Procfile", formatProblem(read.problem));
  const { value, problems } = parseProcfile(read.text);
  const errors = problems.filter((problem) => problem.severity === "error");
  if (errors.length > 0) throw new BuildError("Procfile", `the Procfile cannot be read:\n${errors.map(formatProblem).join("\n")}`);
  return value;
}

/** Whether anything, a dangling symlink too, is at `path`. */
function pathExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Puts the build dir where the slug belongs: a rename, or a copy across file systems. */
function moveToSlug(buildDir: string, slugDir: string): void {
  mkdirSync(dirname(slugDir), { recursive: true });
  try {
    renameSync(buildDir, slugDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    try {
      cpSync(buildDir, slugDir, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    } catch (copyError) {
      rmSync(slugDir, { recursive: true, force: true });
      throw copyError;
    }
  }
}

async function build(request: BuildRequest, buildDir: string, workDir: string, limits: BuildLimits): Promise<BuildResult> {
  const { output } = request;
  output(step(`Building on the ${STACK.replace(/^heroku/, "Heroku")} stack`));
  await copySource(request.sourceDir, buildDir);
  applySlugignore(buildDir, output);
  const envDir = join(workDir, "env");
  writeEnvDir(envDir, request.env);
  mkdirSync(request.cacheDir, { recursive: true, mode: 0o700 });

  const script = {
    env: buildEnv(request.hostEnv ?? process.env, { stack: STACK, requestId: `hoku-${randomHex(8)}`, ...(request.sourceVersion && { sourceVersion: request.sourceVersion }) }),
    deadline: Date.now() + limits.timeoutMs,
    ...(request.signal && { signal: request.signal }),
    ...(request.watch && { watch: request.watch }),
  };
  const site = { buildDir, cacheDir: request.cacheDir, envDir, buildpacksDir: join(workDir, "buildpacks"), builtinsDir: extractBuiltinBuildpacks(request.stateDir), script, output };
  const ran = await runBuildpacks(buildpackRefs(request, buildDir), site);

  const { configVars, defaults } = await readReleases(ran, buildDir, script);
  writeConfigVarsProfile(buildDir, configVars);
  const { processTypes, lines } = discoverProcessTypes(readProcfile(buildDir), defaults);
  output(step("Discovering process types"));
  lines.forEach(output);

  output(step("Compressing..."));
  const size = await measureSlug(buildDir, { maxBytes: limits.slugMaxBytes, warnBytes: limits.slugWarnBytes });
  if (size.verdict === "too-large") {
    const shown = formatSize(size.compressedBytes ?? size.bytes);
    output(bang(`Compiled slug size: ${shown} is too large (max is ${formatSize(limits.slugMaxBytes)}).`));
    output(bang("See: http://devcenter.heroku.com/articles/slug-size"));
    pushFailed(output);
    throw new BuildError("slug size", `the compiled slug is ${shown} compressed, past the ${formatSize(limits.slugMaxBytes)} limit; add what the app does not need at run time to .slugignore, or remove it in a build step`, { transcribed: true });
  }
  output(detail(`Done: ${formatSize(size.bytes)}`));
  if (size.verdict === "warn") {
    output(step(`Warning: Your slug size (${formatSize(size.compressedBytes ?? size.bytes)}) exceeds our soft limit (${formatSize(limits.slugWarnBytes)}) which may affect boot time.`));
  }
  moveToSlug(buildDir, request.slugDir);
  return { processTypes, buildpacks: ran.map(({ name, url }) => ({ name, url })), sizeBytes: size.bytes, stack: STACK };
}

/** Builds `request.sourceDir` into `request.slugDir`; throws a BuildError naming the failing step. */
export async function runBuild(request: BuildRequest): Promise<BuildResult> {
  if (!existsSync(request.sourceDir) || !statSync(request.sourceDir).isDirectory()) throw new BuildError("prepare", `the source folder ${request.sourceDir} does not exist`);
  if (pathExists(request.slugDir)) {
    throw new BuildError("prepare", `the slug folder ${request.slugDir} already exists; each build needs a new one`);
  }
  const limits = { ...HEROKU_BUILD_LIMITS, ...request.limits };
  const hex = randomHex(16);
  const buildDir = join(tmpdir(), `build_${hex}`);
  const workDir = join(tmpdir(), `hoku-build-${hex}`);
  mkdirSync(buildDir, { mode: 0o700 });
  mkdirSync(workDir, { mode: 0o700 });
  try {
    return await build(request, buildDir, workDir, limits);
  } catch (error) {
    const failure = error instanceof BuildError ? error : new BuildError("internal", `the build failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    if (!failure.transcribed) {
      for (const line of failure.message.split("\n")) request.output(bang(line.trim()));
      pushFailed(request.output);
    }
    throw failure;
  } finally {
    rmSync(buildDir, { recursive: true, force: true });
    rmSync(workDir, { recursive: true, force: true });
  }
}
