/**
 * `hoku pg:psql`, `hoku redis:cli`, `hoku pg:backups:capture` and `pg:backups:restore`:
 * the local client when installed, else the one inside the add-on's container.
 * Backups are dump files `b001`, `b002`, ... in the app's state folder.
 */
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { type Addon, attachmentName } from "../addons/addon.ts";
import { volumeName } from "../addons/docker-provider.ts";
import { findAddon } from "../addons/find-addon.ts";
import { HokuError } from "../app/problem.ts";
import { appAddons } from "../platform/app-addons.ts";
import { openAddons } from "./addon-session.ts";
import { type AppFlags, readApp } from "./load.ts";

const TIMEOUT = { readyTimeoutMs: 60_000 };

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

async function urlOf(flags: AppFlags, service: string, name: string | undefined) {
  const app = readApp(flags);
  const all = appAddons(app);
  const addon = pick(all.state.addons, service, name, all.state.primary);
  const found = all.services.find((s) => s.name === service)!;
  const session = await openAddons(app, TIMEOUT);
  const url = session.vars[`${attachmentName(addon, found)}_URL`];
  if (!url) {
    await session.close();
    throw new HokuError(`${addon.name} has no URL in this run`);
  }
  return { app, all, addon, url, session, container: volumeName(all.appId, addon) };
}

async function interactive(argv: string[]): Promise<number> {
  const proc = Bun.spawn(argv, { stdio: ["inherit", "inherit", "inherit"] });
  return proc.exited;
}

/** argv for a client: the local binary, else `docker exec` into the add-on's container. */
function client(local: string, args: string[], container: string, inContainer: string[]): string[] {
  if (Bun.which(local)) return [local, ...args];
  if (Bun.which("docker")) return ["docker", "exec", ...(process.stdin.isTTY ? ["-it"] : ["-i"]), container, ...inContainer];
  throw new HokuError(`no ${local} here and no docker CLI to run it in the container\n    hint: install the client (apt-get install ${local === "psql" ? "postgresql-client" : "redis-tools"})`);
}

export async function psql(name: string | undefined, flags: AppFlags): Promise<number> {
  const { url, session, container } = await urlOf(flags, "heroku-postgresql", name);
  try {
    const u = new URL(url);
    return await interactive(client("psql", [url], container, ["psql", "-U", decodeURIComponent(u.username), u.pathname.slice(1)]));
  } finally {
    await session.close();
  }
}

export async function redisCli(name: string | undefined, flags: AppFlags): Promise<number> {
  const { url, session, container } = await urlOf(flags, "heroku-redis", name);
  try {
    const password = decodeURIComponent(new URL(url).password);
    return await interactive(client("redis-cli", ["-u", url], container, ["redis-cli", "-a", password, "--no-auth-warning"]));
  } finally {
    await session.close();
  }
}

function backupsDir(stateDir: string): string {
  const dir = join(stateDir, "backups");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

export async function capture(name: string | undefined, flags: AppFlags): Promise<number> {
  const { all, addon, url, session } = await urlOf(flags, "heroku-postgresql", name);
  try {
    const dir = backupsDir(all.stateDir);
    const taken = readdirSync(dir).map((f) => Number(/^b(\d+)\.dump$/.exec(f)?.[1] ?? 0));
    const id = `b${String(Math.max(0, ...taken) + 1).padStart(3, "0")}`;
    const file = join(dir, `${id}.dump`);
    const attachment = addon.color ? `HEROKU_POSTGRESQL_${addon.color}` : addon.as ?? "DATABASE";
    process.stdout.write(`Starting backup of ${addon.name}... done\n\n${attachment} ---backup---> ${id}\n\nBacking up to ${id}... `);
    const dump = Bun.spawnSync([pgTool("pg_dump"), "--format=custom", "--no-owner", `--file=${file}`, url], { stderr: "pipe" });
    if (dump.exitCode !== 0) throw new HokuError(`pg_dump failed: ${dump.stderr.toString().trim()}\n    hint: pg_dump must be as new as the server (embedded PGlite is Postgres 17)`);
    process.stdout.write(`done\n${file}\n`);
    return 0;
  } finally {
    await session.close();
  }
}

export async function restore(id: string, name: string | undefined, flags: AppFlags & { confirm?: string }): Promise<number> {
  const { app, all, addon, url, session } = await urlOf(flags, "heroku-postgresql", name);
  try {
    const file = join(backupsDir(all.stateDir), `${id}.dump`);
    if (!existsSync(file)) throw new HokuError(`no backup ${id}\n    hint: backups are in ${backupsDir(all.stateDir)}; take one with hoku pg:backups:capture`);
    if (flags.confirm !== app.name) throw new HokuError(`restoring ${id} replaces the data of ${addon.name}\n    hint: hoku pg:backups:restore ${id} ${name ?? "DATABASE_URL"} --confirm ${app.name}`);
    process.stdout.write(`Restoring ${id} to ${addon.name}... `);
    const result = Bun.spawnSync([pgTool("pg_restore"), "--clean", "--if-exists", "--no-owner", `--dbname=${url}`, file], { stderr: "pipe" });
    if (result.exitCode !== 0) throw new HokuError(`pg_restore failed: ${result.stderr.toString().trim()}`);
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
