/**
 * Runs real builds (runBuild, real bash buildpacks, real npm and pip) of fixture apps in temp
 * folders, and keeps the transcript.
 */
import { join, resolve } from "node:path";
import { BuildError, type BuildRequest, type BuildResult, runBuild } from "../../src/deploy/build.ts";
import { tempDir } from "../helpers/hoku.ts";

export const FIXTURES = resolve(import.meta.dir, "fixtures");
export const fixture = (name: string): string => join(FIXTURES, name);

export interface Built {
  readonly lines: string[];
  readonly slugDir: string;
  readonly cacheDir: string;
  readonly result?: BuildResult;
  readonly error?: BuildError;
  readonly ms: number;
}

/**
 * Builds `sourceDir` into a new slug folder. pip gets PIP_RETRIES=0: where its default index
 * cannot be reached, it goes on to the reachable ones at once instead of backing off.
 */
export async function build(sourceDir: string, options: Partial<BuildRequest> = {}): Promise<Built> {
  const lines: string[] = [];
  const slugDir = join(tempDir("hoku-slug-"), "slug");
  const cacheDir = options.cacheDir ?? tempDir("hoku-cache-");
  const started = performance.now();
  const request: BuildRequest = {
    sourceDir,
    buildpacks: [],
    env: {},
    cacheDir,
    slugDir,
    output: (line) => lines.push(line),
    hostEnv: { ...process.env, PIP_RETRIES: "0" },
    ...options,
  };
  try {
    const result = await runBuild(request);
    return { lines, slugDir, cacheDir, result, ms: performance.now() - started };
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    return { lines, slugDir, cacheDir, error, ms: performance.now() - started };
  }
}

/** Runs `command` in the slug as a dyno would: HOME is the slug, .profile.d sourced first (DY-3). */
export async function runInSlug(slugDir: string, command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `cd "$HOME"; for f in .profile.d/*.sh; do . "$f"; done; ${command}`;
  const proc = Bun.spawn(["bash", "-c", script], { env: { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: slugDir }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout: stdout.trim(), stderr: stderr.trim() };
}

/** Copies a slug to a new place, as a release is run elsewhere than it was built. */
export async function copySlug(slugDir: string): Promise<string> {
  const target = join(tempDir("hoku-moved-"), "app");
  const proc = Bun.spawn(["cp", "-a", slugDir, target]);
  if ((await proc.exited) !== 0) throw new Error(`cp -a ${slugDir} ${target} failed`);
  return target;
}
