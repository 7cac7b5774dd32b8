/**
 * Where hoku keeps state that must not live in the app tree: generated secrets now,
 * add-on data and releases later. `$XDG_STATE_HOME/hoku`, else `~/.local/state/hoku`;
 * one folder per app directory, named after it plus a hash of its real path.
 */
import { mkdirSync, realpathSync } from "node:fs";
import { basename, join } from "node:path";

export function stateRoot(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const base = env.XDG_STATE_HOME || join(env.HOME || "/", ".local", "state");
  return join(base, "hoku");
}

/** Where the app's state folder is (it may not exist yet). */
export function appStateDirPath(appDir: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const real = realpathSync(appDir);
  const id = new Bun.CryptoHasher("sha256").update(real).digest("hex").slice(0, 10);
  return join(stateRoot(env), "apps", `${basename(real) || "root"}-${id}`);
}

/** The app's state folder, created on first use. */
export function appStateDir(appDir: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const dir = appStateDirPath(appDir, env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
