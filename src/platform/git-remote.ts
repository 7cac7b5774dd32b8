/**
 * The app a git repository deploys to, as the heroku CLI finds it: the `hoku` remote's URL
 * (`http://127.0.0.1:7700/<app>.git`), and the remote and credential helper `apps:create`
 * writes into the repository's own git config (never the global one).
 */
const REMOTE = "hoku";

/** git's answer; without git on PATH, code 127 (then no folder is a repository and none has a remote). */
function git(args: readonly string[], cwd: string): { code: number; out: string; err: string } {
  if (!Bun.which("git")) return { code: 127, out: "", err: "git is not installed (hint: apt-get install git)" };
  const run = Bun.spawnSync(["git", ...args], { cwd, stdout: "pipe", stderr: "pipe" });
  return { code: run.exitCode, out: run.stdout.toString().trim(), err: run.stderr.toString().trim() };
}

/** Whether `cwd` is inside a git work tree. */
export function inGitRepo(cwd: string): boolean {
  return git(["rev-parse", "--is-inside-work-tree"], cwd).out === "true";
}

/** A remote's URL, if the repository has that remote. */
function remoteUrl(cwd: string, remote: string): string | undefined {
  const url = git(["remote", "get-url", remote], cwd);
  return url.code === 0 ? url.out : undefined;
}

/** `<app>` of `http://127.0.0.1:7700/<app>.git`. */
const APP_IN_URL = /\/([^/]+)\.git\/?$/;

/** The app named by the repository's `hoku` remote, if any. */
export function appFromRemote(cwd: string, remote = REMOTE): string | undefined {
  return APP_IN_URL.exec(remoteUrl(cwd, remote) ?? "")?.[1];
}

/** The repository's `heroku` remote's URL when it points at a local platform, never at Heroku. */
function localHerokuUrl(cwd: string): string | undefined {
  const url = remoteUrl(cwd, "heroku");
  return url && /^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(url) ? url : undefined;
}

/**
 * The app named by the repository's `heroku` remote when it points at a local platform (made by
 * `heroku apps:create` with `hoku heroku:env`: `https://127.0.0.1:7743/<app>.git`); never one on Heroku.
 */
export function appFromLocalHerokuRemote(cwd: string): string | undefined {
  return APP_IN_URL.exec(localHerokuUrl(cwd) ?? "")?.[1];
}

/** Points a `heroku` remote that names `from` on the local platform at `to` instead (its origin kept); whether it did. */
export function renameLocalHerokuRemote(cwd: string, from: string, to: string): boolean {
  const url = localHerokuUrl(cwd);
  if (!url || APP_IN_URL.exec(url)?.[1] !== from) return false;
  return git(["remote", "set-url", "heroku", url.replace(APP_IN_URL, `/${to}.git`)], cwd).code === 0;
}

/**
 * Points the repository's `hoku` remote at `gitUrl` (added, or its URL set), with a credential
 * helper for that URL that answers with the platform's token (`hoku auth:token`).
 * Returns "added" or "updated".
 */
export function setRemote(cwd: string, gitUrl: string, hoku: readonly string[], remote = REMOTE): "added" | "updated" {
  const existed = git(["remote", "get-url", remote], cwd).code === 0;
  const set = git(existed ? ["remote", "set-url", remote, gitUrl] : ["remote", "add", remote, gitUrl], cwd);
  if (set.code !== 0) throw new Error(`git remote ${existed ? "set-url" : "add"} failed: ${set.err}`);
  const base = new URL(gitUrl).origin;
  const quoted = hoku.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  git(["config", "--local", "--unset-all", `credential.${base}.helper`], cwd);
  // An empty helper first: helpers configured elsewhere are not asked for this URL.
  git(["config", "--local", "--add", `credential.${base}.helper`, ""], cwd);
  git(["config", "--local", "--add", `credential.${base}.helper`, `!f() { test "$1" = get && echo username=hoku && echo "password=$(${quoted} auth:token)"; }; f`], cwd);
  return existed ? "updated" : "added";
}
