/**
 * Puts one buildpack in its own folder for this build (Heroku gives every build fresh copies:
 * a buildpack writes its `export` file into its own folder, and two builds must not share it).
 * A built-in or local folder is copied; a git repo (a local one, or any with `#ref`) is
 * cloned; a .tgz/.tar.gz/.tar is unpacked; a network URL is tried once, briefly, and offline
 * fails with a message that says how to use a local copy instead.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BuildError } from "./build-error.ts";
import type { BuildpackRef } from "./buildpack-ref.ts";
import { builtinFolderName } from "./builtin-buildpacks.ts";

const ARCHIVE = /\.(tgz|tar\.gz|tar)$/;
/** How long a network buildpack may take to arrive before hoku calls it unreachable. */
const NETWORK_TIMEOUT_MS = 30_000;

async function run(argv: string[], what: string, timeoutMs = 120_000): Promise<void> {
  const proc = Bun.spawn(argv, { stdin: "ignore", stdout: "ignore", stderr: "pipe", env: { ...process.env, GIT_TERMINAL_PROMPT: "0" }, timeout: timeoutMs, killSignal: "SIGKILL" });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`${what}: ${stderr.trim().split("\n").at(-1) || `exit status ${code}`}`);
}

function isGitRepo(path: string): boolean {
  return existsSync(join(path, ".git")) || (existsSync(join(path, "HEAD")) && existsSync(join(path, "objects")) && existsSync(join(path, "refs")));
}

/** A tarball often holds one top folder (GitHub's archives): the buildpack is in it. */
function rootOf(dir: string): string {
  if (existsSync(join(dir, "bin"))) return dir;
  const entries = readdirSync(dir, { withFileTypes: true });
  const only = entries.length === 1 ? entries[0] : undefined;
  return only?.isDirectory() && existsSync(join(dir, only.name, "bin")) ? join(dir, only.name) : dir;
}

async function unpack(archive: string, target: string): Promise<void> {
  const unpacked = `${target}.unpack`;
  mkdirSync(unpacked, { recursive: true });
  await run(["tar", "-xf", archive, "-C", unpacked], `cannot unpack ${archive}`);
  renameSync(rootOf(unpacked), target);
  rmSync(unpacked, { recursive: true, force: true });
}

async function clone(url: string, gitRef: string | undefined, target: string, timeoutMs?: number): Promise<void> {
  const options = ["-c", "http.lowSpeedLimit=1000", "-c", "http.lowSpeedTime=10", "clone", "--quiet", "--depth", "1", ...(gitRef ? ["--branch", gitRef] : [])];
  await run(["git", ...options, url, target], `git clone of ${url}${gitRef ? ` at ${gitRef}` : ""} failed`, timeoutMs);
}

async function fetchLocal(path: string, gitRef: string | undefined, target: string): Promise<void> {
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  if (statSync(path).isFile()) {
    if (!ARCHIVE.test(path)) throw new Error(`${path} is a file but not a .tgz, .tar.gz or .tar archive`);
    return unpack(path, target);
  }
  if (gitRef || (isGitRepo(path) && !existsSync(join(path, "bin")))) return clone(path, gitRef, target);
  // A plain folder, or a git work tree: its files as they are now, uncommitted changes too.
  await run(["cp", "-a", path, target], `cannot copy ${path}`);
  rmSync(join(target, ".git"), { recursive: true, force: true });
}

async function fetchNetwork(url: string, gitRef: string | undefined, target: string): Promise<void> {
  if (/^https?:\/\//.test(url) && ARCHIVE.test(new URL(url).pathname)) {
    const response = await fetch(url, { signal: AbortSignal.timeout(NETWORK_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
    const archive = `${target}${url.endsWith(".tar") ? ".tar" : ".tgz"}`;
    writeFileSync(archive, new Uint8Array(await response.arrayBuffer()));
    return unpack(archive, target);
  }
  return clone(url, gitRef, target, NETWORK_TIMEOUT_MS);
}

/** Checks what arrived is a classic buildpack, and makes its scripts runnable. */
function checkBuildpack(dir: string, given: string): void {
  for (const script of ["detect", "compile"]) {
    if (!existsSync(join(dir, "bin", script))) throw new BuildError(`fetch of ${given}`, `${given} is not a classic buildpack: it has no bin/${script} (a classic buildpack has bin/detect, bin/compile and usually bin/release)`);
  }
  for (const script of readdirSync(join(dir, "bin"))) chmodSync(join(dir, "bin", script), statSync(join(dir, "bin", script)).mode | 0o111);
}

/** Copies or fetches `ref` into `target` (which must not exist); `builtinsDir` holds the built-ins. */
export async function fetchBuildpack(ref: BuildpackRef, target: string, builtinsDir: string): Promise<void> {
  const step = `fetch of ${ref.given}`;
  try {
    if (ref.kind === "builtin") await run(["cp", "-a", join(builtinsDir, builtinFolderName(ref.name)), target], `cannot copy the built-in ${ref.name}`);
    else if (ref.kind === "local") await fetchLocal(ref.path, ref.gitRef, target);
    else if (ref.kind === "network") await fetchNetwork(ref.url, ref.gitRef, target);
    else throw new BuildError(step, `the buildpack ${ref.given} ${ref.reason}\n    hint: ${ref.hint}`);
  } catch (error) {
    if (error instanceof BuildError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const hint =
      ref.kind === "network"
        ? "hoku builds offline and could not reach it. Download the buildpack where you have network (git clone, or its .tgz) and use the local copy instead: heroku buildpacks:set file:///path/to/buildpack (a folder, git repo or .tgz), or the same URL in app.json or .buildpacks"
        : "check the path, and that it is a buildpack folder, a git repo or a .tgz/.tar.gz/.tar";
    throw new BuildError(step, `could not fetch the buildpack ${ref.given}: ${reason}\n    hint: ${hint}`, { cause: error });
  }
  checkBuildpack(target, ref.given);
}
