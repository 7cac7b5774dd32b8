/**
 * Where hoku keeps state that must not live in the app tree: add-on records and data, kept
 * secrets, backups. `$XDG_STATE_HOME/hoku`, else `~/.local/state/hoku`; one folder per app
 * directory, named after it plus a hash of its real path.
 *
 * As ssh does with ~/.ssh, hoku refuses a state folder it does not own or that other users
 * can write (a shared or planted XDG_STATE_HOME), and a symlink where one of its folders
 * should be: another local user must not be able to plant records or secrets, or read them.
 */
import { lstatSync, mkdirSync, realpathSync } from "node:fs";
import { basename, join } from "node:path";
import { HokuError } from "../app/problem.ts";

export function stateRoot(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const base = env.XDG_STATE_HOME || join(env.HOME || "/", ".local", "state");
  return join(base, "hoku");
}

/**
 * Makes `dir` (mode 0700) if it is missing, and checks that it is a real folder of this user
 * that no one else can write; throws a HokuError naming the fix otherwise.
 */
export function ensureOwnedDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  const uid = process.getuid?.();
  const fix = `hoku keeps secrets there: use a folder of your own (set XDG_STATE_HOME), or fix it: chown ${process.env.USER ?? "$USER"} ${dir} && chmod 700 ${dir}`;
  if (stat.isSymbolicLink()) throw new HokuError(`${dir} is a symlink; hoku does not follow one for its state\n    hint: ${fix}`);
  if (!stat.isDirectory()) throw new HokuError(`${dir} is not a folder\n    hint: ${fix}`);
  if (uid !== undefined && stat.uid !== uid) throw new HokuError(`${dir} belongs to another user (uid ${stat.uid}), so hoku will not use it\n    hint: ${fix}`);
  if ((stat.mode & 0o022) !== 0) throw new HokuError(`${dir} can be written by other users (mode ${(stat.mode & 0o777).toString(8)}), so hoku will not use it\n    hint: ${fix}`);
  return dir;
}

/** Where the app's state folder is (it may not exist yet). */
export function appStateDirPath(appDir: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const real = realpathSync(appDir);
  const id = new Bun.CryptoHasher("sha256").update(real).digest("hex").slice(0, 10);
  return join(stateRoot(env), "apps", `${basename(real) || "root"}-${id}`);
}

/** The app's state folder, created on first use, with the state root and `apps` checked on the way. */
export function appStateDir(appDir: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  ensureOwnedDir(stateRoot(env));
  ensureOwnedDir(join(stateRoot(env), "apps"));
  return ensureOwnedDir(appStateDirPath(appDir, env));
}
