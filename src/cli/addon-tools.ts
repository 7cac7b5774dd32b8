/**
 * `hoku pg:psql`, `hoku redis:cli`, `hoku pg:backups:capture` and `pg:backups:restore`:
 * the local client when installed, else the one inside the add-on's container.
 * Backups are dump files `b001`, `b002`, ... in the app's state folder. Passwords reach
 * the clients through their environment (PGPASSWORD, REDISCLI_AUTH), never their argv,
 * which every local user can read in `ps`.
 */
import { closeSync, constants, existsSync, openSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type Addon, attachmentName } from "../addons/addon.ts";
import { volumeName } from "../addons/docker-provider.ts";
import { findAddon } from "../addons/find-addon.ts";
import type { ProviderKind } from "../addons/provider.ts";
import { HokuError } from "../app/problem.ts";
import { appAddons } from "../platform/app-addons.ts";
import { ensureOwnedDir } from "../platform/state-dir.ts";
import { openAddons } from "../addons/addon-session.ts";
import { runCaptured } from "../runtime/run-captured.ts";
import { runInForeground } from "./foreground.ts";
import { type AppFlags, readApp, say } from "./load.ts";

/** The tools' flags: the app's, and the provider for add-ons started for the tool. */
type ToolFlags = AppFlags & { readonly addons?: ProviderKind };

/** The add-on a tool acts on: the named one, else the primary database or the first of the service. */
function pick(addons: readonly Addon[], service: string, name: string | undefined, primary: string | undefined): Addon {
  const ofService = addons.filter((a) => a.service === service);
  if (ofService.length === 0) throw new HokuError(`this app has no ${service} add-on\n    hint: hoku addons:create ${service}`);
  const main = ofService.find((a) => a.id === primary) ?? ofService[0]!;
  if (name === undefined) return main;
  const found = findAddon(ofService, name, main);
  if (!found) throw new HokuError(`no ${service} add-on named ${name}\n    hint: \`hoku addons\` lists them`);
  return found;
}

/** The add-on a tool acts on, chosen before anything starts. */
function target(flags: ToolFlags, service: string, name: string | undefined) {
  const app = readApp(flags);
  const all = appAddons(app, say);
  const addon = pick(all.state.addons, service, name, all.state.primary);
  const found = all.services.find((s) => s.name === service)!;
  return { app, all, addon, attachment: attachmentName(addon, found), container: volumeName(all.appId, addon), provider: flags.addons };
}

/** Its URL in a session that serves it (a running hoku start's, or one started now). */
async function open(chosen: ReturnType<typeof target>) {
  const session = await openAddons(chosen.app, { addons: chosen.provider, readyTimeoutMs: 60_000 }, say);
  const url = session.vars[`${chosen.attachment}_URL`];
  if (!url) {
    await session.close();
    throw new HokuError(`${chosen.addon.name} has no URL in this run`);
  }
  return { url, session };
}

/** A URL without its password, and the password apart, for a client's environment. */
function splitPassword(url: string): { url: string; password: string } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = "";
  return { url: u.toString(), password };
}

/**
 * argv for a client: the local binary, else `docker exec` into the add-on's container;
 * `secretVar` (set in hoku's environment for the call) is passed into the container by name.
 */
function client(local: string, args: string[], container: string, inContainer: string[], secretVar: string): string[] {
  if (Bun.which(local)) return [local, ...args];
  if (Bun.which("docker")) return ["docker", "exec", ...(process.stdin.isTTY ? ["-it"] : ["-i"]), "-e", secretVar, container, ...inContainer];
  throw new HokuError(`no ${local} here and no docker CLI to run it in the container\n    hint: install the client (apt-get install ${local === "psql" ? "postgresql-client" : "redis-tools"})`);
}

export async function psql(name: string | undefined, flags: ToolFlags): Promise<number> {
  const chosen = target(flags, "heroku-postgresql", name);
  const { url, session } = await open(chosen);
  try {
    const { url: bare, password } = splitPassword(url);
    const u = new URL(url);
    const argv = client("psql", [bare], chosen.container, ["psql", "-U", decodeURIComponent(u.username), u.pathname.slice(1)], "PGPASSWORD");
    return await runInForeground(argv, { env: { ...process.env, PGPASSWORD: password } });
  } finally {
    await session.close();
  }
}

export async function redisCli(name: string | undefined, flags: ToolFlags): Promise<number> {
  const chosen = target(flags, "heroku-redis", name);
  const { url, session } = await open(chosen);
  try {
    // Not `-u`: redis-cli 7 reads a URL's user without a password (`redis://default@host`) as the password.
    const u = new URL(url);
    const password = decodeURIComponent(u.password);
    const user = decodeURIComponent(u.username);
    const local = ["-h", u.hostname, "-p", u.port, ...(user && user !== "default" ? ["--user", user] : [])];
    const argv = client("redis-cli", local, chosen.container, ["redis-cli"], "REDISCLI_AUTH");
    return await runInForeground(argv, { env: { ...process.env, REDISCLI_AUTH: password } });
  } finally {
    await session.close();
  }
}

function backupsDir(stateDir: string): string {
  return ensureOwnedDir(join(stateDir, "backups"));
}

/** A backup id as Heroku writes them (`b001`, `b1234`): nothing else reaches a file name. */
const BACKUP_ID = /^b\d{3,}$/;

export async function capture(name: string | undefined, flags: ToolFlags): Promise<number> {
  const chosen = target(flags, "heroku-postgresql", name);
  const pgDump = pgTool("pg_dump");
  const dir = backupsDir(chosen.all.stateDir);
  const taken = readdirSync(dir).map((f) => Number(/^b(\d+)\.dump$/.exec(f)?.[1] ?? 0));
  const id = `b${String(Math.max(0, ...taken) + 1).padStart(3, "0")}`;
  const file = join(dir, `${id}.dump`);
  const { url, session } = await open(chosen);
  try {
    process.stdout.write(`Starting backup of ${chosen.addon.name}... done\n\n${chosen.attachment} ---backup---> ${id}\n\nBacking up to ${id}... `);
    // Asynchronous: an embedded (PGlite) database is served by this very process.
    const { url: bare, password } = splitPassword(url);
    // The dump is written 0600 to a temp name and renamed only when pg_dump succeeded: a failed capture leaves no bNNN.dump.
    const partial = `${file}.partial`;
    closeSync(openSync(partial, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600));
    const dump = await runCaptured([pgDump, "--format=custom", "--no-owner", `--file=${partial}`, bare], { env: { ...process.env, PGPASSWORD: password } });
    if (dump.code !== 0) {
      rmSync(partial, { force: true });
      throw new HokuError(`the capture failed, and no backup was kept: ${dump.stderr}\n    hint: pg_dump must be at least as new as the server (the versions are above; embedded PGlite is Postgres 18)`);
    }
    renameSync(partial, file);
    process.stdout.write(`done\n${file}\n`);
    return 0;
  } finally {
    await session.close();
  }
}

export async function restore(id: string, name: string | undefined, flags: ToolFlags & { confirm?: string }): Promise<number> {
  if (!BACKUP_ID.test(id)) throw new HokuError(`${JSON.stringify(id)} is not a backup id\n    hint: backup ids look like b001; hoku pg:backups:capture prints them, and they are the bNNN.dump files in the app's backups folder`);
  const chosen = target(flags, "heroku-postgresql", name);
  const file = join(backupsDir(chosen.all.stateDir), `${id}.dump`);
  if (!existsSync(file)) throw new HokuError(`no backup ${id}\n    hint: backups are in ${backupsDir(chosen.all.stateDir)}; take one with hoku pg:backups:capture`);
  if (flags.confirm !== chosen.app.name) throw new HokuError(`restoring ${id} replaces the data of ${chosen.addon.name}\n    hint: hoku pg:backups:restore ${id} ${name ?? "DATABASE_URL"} --confirm ${chosen.app.name}`);
  const pgRestore = pgTool("pg_restore");
  const { url, session } = await open(chosen);
  try {
    process.stdout.write(`Restoring ${id} to ${chosen.addon.name}... `);
    const { url: bare, password } = splitPassword(url);
    const result = await runCaptured([pgRestore, "--clean", "--if-exists", "--no-owner", `--dbname=${bare}`, file], { env: { ...process.env, PGPASSWORD: password } });
    if (result.code !== 0) throw new HokuError(`pg_restore failed: ${result.stderr}`);
    process.stdout.write("done\n");
    return 0;
  } finally {
    await session.close();
  }
}

function pgTool(name: string): string {
  const found = Bun.which(name) ?? ["17", "16", "15", "14"].map((v) => `/usr/lib/postgresql/${v}/bin/${name}`).find((p) => existsSync(p));
  if (!found) throw new HokuError(`${name} is not installed\n    hint: apt-get install postgresql-client`);
  return found;
}
