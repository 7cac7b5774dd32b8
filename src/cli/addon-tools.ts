/**
 * `hoku pg:psql`, `hoku redis:cli`, `hoku pg:backups:capture` and `pg:backups:restore`:
 * the local client when installed, else the one inside the add-on's container.
 * Backups are dump files `b001`, `b002`, ... in the app's state folder; a deployed app's are the
 * platform's (its Heroku Postgres API makes and lists them, as `heroku pg:backups` shows).
 * Passwords reach the clients through their environment (PGPASSWORD, REDISCLI_AUTH), never
 * their argv, which every local user can read in `ps`.
 */
import { closeSync, constants, existsSync, openSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type Addon, attachmentName } from "../addons/addon.ts";
import { volumeName } from "../addons/docker-provider.ts";
import { findAddon } from "../addons/find-addon.ts";
import { postgresTool, splitPassword } from "../addons/postgres-tools.ts";
import type { ProviderKind } from "../addons/provider.ts";
import { HokuError } from "../app/problem.ts";
import { appAddons } from "../platform/app-addons.ts";
import { ensureOwnedDir } from "../platform/state-dir.ts";
import { openAddons } from "../addons/addon-session.ts";
import { runCaptured } from "../runtime/run-captured.ts";
import { PlatformClient } from "../platform/client.ts";
import { platformDir } from "../platform/platform-db.ts";
import { action } from "./action.ts";
import { runInForeground } from "./foreground.ts";
import { type AppFlags, readApp, say } from "./load.ts";
import { type AppFlag, deployedApp } from "./target.ts";

/** The tools' flags: the app's (the working tree's, or a deployed app's with -a or a hoku remote), and the provider for add-ons started for the tool. */
type ToolFlags = AppFlags & AppFlag & { readonly addons?: ProviderKind };

/** What a tool acts on, from either half: one database or Redis, its URL while the tool runs, and where backups go. */
interface ToolTarget {
  /** The app's name (what --confirm must repeat). */
  readonly appName: string;
  readonly addonName: string;
  /** The attachment its vars are named after: DATABASE, HEROKU_POSTGRESQL_AMBER, REDIS. */
  readonly attachment: string;
  /** The container to `docker exec` a client in when none is installed (working tree only). */
  readonly container?: string;
  readonly backupsDir: string;
  /** A deployed app's database: the platform takes and restores its backups. */
  readonly platform?: { readonly client: PlatformClient; readonly databaseId: string };
  open(): Promise<{ url: string; close(): Promise<void> }>;
}

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

/** The working tree's add-on, served by a running hoku start's session or one started for the tool. */
function localTarget(flags: ToolFlags, service: string, name: string | undefined): ToolTarget {
  const app = readApp(flags);
  const all = appAddons(app, say);
  const addon = pick(all.state.addons, service, name, all.state.primary);
  const attachment = attachmentName(addon, all.services.find((s) => s.name === service)!);
  return {
    appName: app.name,
    addonName: addon.name,
    attachment,
    container: volumeName(all.appId, addon),
    backupsDir: join(all.stateDir, "backups"),
    async open() {
      const session = await openAddons(app, { addons: flags.addons, readyTimeoutMs: 60_000 }, say);
      const url = session.vars[`${attachment}_URL`];
      if (!url) {
        await session.close();
        throw new HokuError(`${addon.name} has no URL in this run`);
      }
      return { url, close: () => session.close() };
    },
  };
}

interface DeployedAddon {
  readonly id: string;
  readonly name: string;
  readonly addon_service: { name: string };
}
interface DeployedAttachment {
  readonly name: string;
  readonly addon: { name: string };
}

/**
 * A deployed app's add-on, which the platform keeps running: its URL is the app's config var.
 * NAME is an add-on name or an attachment (`DATABASE`, `DATABASE_URL`, `HEROKU_POSTGRESQL_AMBER`).
 */
async function deployedTarget(appName: string, service: string, name: string | undefined): Promise<ToolTarget> {
  const client = await PlatformClient.connect(say);
  const app = await client.request<{ id: string; name: string }>("GET", `/apps/${appName}`);
  const addons = (await client.request<DeployedAddon[]>("GET", `/apps/${appName}/addons`)).filter((a) => a.addon_service.name === service);
  if (addons.length === 0) throw new HokuError(`${appName} has no ${service} add-on\n    hint: hoku addons:create ${service} -a ${appName}`);
  const attachments = await client.request<DeployedAttachment[]>("GET", `/apps/${appName}/addon-attachments`);
  const config = await client.request<Record<string, string>>("GET", `/apps/${appName}/config-vars`);
  const attachedAs = (addon: DeployedAddon) => attachments.find((t) => t.addon.name === addon.name)?.name ?? "";
  const chosen = ((): { addon: DeployedAddon; attachment: string } | undefined => {
    const wanted = name?.replace(/_URL$/, "") ?? (config.DATABASE_URL && service === "heroku-postgresql" ? "DATABASE" : undefined);
    if (wanted === undefined) return { addon: addons[0]!, attachment: attachedAs(addons[0]!) };
    const byName = addons.find((a) => a.name === wanted);
    if (byName) return { addon: byName, attachment: attachedAs(byName) };
    // DATABASE is the primary Postgres's second name: the add-on whose own URL DATABASE_URL repeats.
    const addon = wanted === "DATABASE" ? addons.find((a) => config[`${attachedAs(a)}_URL`] === config.DATABASE_URL) : addons.find((a) => attachedAs(a) === wanted);
    return addon && { addon, attachment: wanted };
  })();
  if (!chosen) throw new HokuError(`${appName} has no ${service} add-on named ${name}\n    hint: \`hoku addons -a ${appName}\` lists them`);
  const { addon, attachment } = chosen;
  const url = config[`${attachment}_URL`];
  if (!url) throw new HokuError(`${addon.name} has no ${attachment}_URL config var on ${appName}`);
  return {
    appName: app.name,
    addonName: addon.name,
    attachment,
    backupsDir: join(platformDir(), "backups", app.id),
    platform: { client, databaseId: addon.id },
    open: async () => ({ url, close: async () => {} }),
  };
}

/** The target: a deployed app's add-on with -a or a hoku remote, else the working tree's. */
async function target(flags: ToolFlags, service: string, name: string | undefined): Promise<ToolTarget> {
  const deployed = deployedApp(flags);
  return deployed ? deployedTarget(deployed, service, name) : localTarget(flags, service, name);
}

/**
 * argv for a client: the local binary, else `docker exec` into the add-on's container;
 * `secretVar` (set in hoku's environment for the call) is passed into the container by name.
 */
function client(local: string, args: string[], container: string | undefined, inContainer: string[], secretVar: string): string[] {
  if (Bun.which(local)) return [local, ...args];
  if (container && Bun.which("docker")) return ["docker", "exec", ...(process.stdin.isTTY ? ["-it"] : ["-i"]), "-e", secretVar, container, ...inContainer];
  throw new HokuError(`no ${local} here${container ? " and no docker CLI to run it in the container" : ""}\n    hint: install the client (apt-get install ${local === "psql" ? "postgresql-client" : "redis-tools"})`);
}

export async function psql(name: string | undefined, flags: ToolFlags): Promise<number> {
  const chosen = await target(flags, "heroku-postgresql", name);
  const { url, close } = await chosen.open();
  try {
    const { url: bare, password } = splitPassword(url);
    const u = new URL(url);
    const argv = client("psql", [bare], chosen.container, ["psql", "-U", decodeURIComponent(u.username), u.pathname.slice(1)], "PGPASSWORD");
    return await runInForeground(argv, { env: { ...process.env, PGPASSWORD: password } });
  } finally {
    await close();
  }
}

export async function redisCli(name: string | undefined, flags: ToolFlags): Promise<number> {
  const chosen = await target(flags, "heroku-redis", name);
  const { url, close } = await chosen.open();
  try {
    // Not `-u`: redis-cli 7 reads a URL's user without a password (`redis://default@host`) as the password.
    const u = new URL(url);
    const password = decodeURIComponent(u.password);
    const user = decodeURIComponent(u.username);
    const local = ["-h", u.hostname, "-p", u.port, ...(user && user !== "default" ? ["--user", user] : [])];
    const argv = client("redis-cli", local, chosen.container, ["redis-cli"], "REDISCLI_AUTH");
    return await runInForeground(argv, { env: { ...process.env, REDISCLI_AUTH: password } });
  } finally {
    await close();
  }
}

/** A backup id as Heroku writes them (`b001`, `b1234`): nothing else reaches a file name. */
const BACKUP_ID = /^b\d{3,}$/;

/** A transfer of the platform's Heroku Postgres API, as much as hoku's commands read of it. */
interface Transfer {
  readonly name: string;
  readonly succeeded: boolean;
  readonly to_url: string | null;
  readonly logs?: readonly { message: string }[];
}

export async function capture(name: string | undefined, flags: ToolFlags): Promise<number> {
  const chosen = await target(flags, "heroku-postgresql", name);
  if (chosen.platform) return captureOnPlatform(chosen, chosen.platform);
  const pgDump = postgresTool("pg_dump");
  const dir = ensureOwnedDir(chosen.backupsDir);
  const taken = readdirSync(dir).map((f) => Number(/^b(\d+)\.dump$/.exec(f)?.[1] ?? 0));
  const id = `b${String(Math.max(0, ...taken) + 1).padStart(3, "0")}`;
  const file = join(dir, `${id}.dump`);
  const { url, close } = await chosen.open();
  try {
    await action(`Starting backup of ${chosen.addonName}`, () => {});
    process.stdout.write(`\n${chosen.attachment} ---backup---> ${id}\n\n`);
    await action(`Backing up to ${id}`, async () => {
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
    });
    process.stdout.write(`${file}\n`);
    return 0;
  } finally {
    await close();
  }
}

/** A deployed app's backup: the platform runs pg_dump and keeps the transfer (`heroku pg:backups` lists it). */
async function captureOnPlatform(chosen: ToolTarget, { client, databaseId }: NonNullable<ToolTarget["platform"]>): Promise<number> {
  const backup = await action(`Starting backup of ${chosen.addonName}`, async () => {
    const transfer = await client.request<Transfer>("POST", `/client/v11/databases/${databaseId}/backups`);
    if (!transfer.succeeded) {
      const { logs = [] } = await client.request<Transfer>("GET", `/client/v11/apps/${chosen.appName}/transfers/${transfer.name.slice(1)}?verbose=true`);
      throw new HokuError(`the capture failed, and no backup was kept: ${logs.slice(-5).map((l) => l.message).join("\n")}\n    hint: pg_dump must be at least as new as the server`);
    }
    return transfer;
  });
  process.stdout.write(`\n${chosen.attachment} ---backup---> ${backup.name}\n\n`);
  await action(`Backing up to ${backup.name}`, () => {});
  process.stdout.write(`${join(chosen.backupsDir, `${backup.name}.dump`)}\n`);
  return 0;
}

export async function restore(id: string, name: string | undefined, flags: ToolFlags & { confirm?: string }): Promise<number> {
  if (!BACKUP_ID.test(id)) throw new HokuError(`${JSON.stringify(id)} is not a backup id\n    hint: backup ids look like b001; hoku pg:backups:capture prints them, and they are the bNNN.dump files in the app's backups folder`);
  const chosen = await target(flags, "heroku-postgresql", name);
  if (chosen.platform) return restoreOnPlatform(id, name, flags, chosen, chosen.platform);
  const file = join(chosen.backupsDir, `${id}.dump`);
  if (!existsSync(file)) throw new HokuError(`no backup ${id}\n    hint: backups are in ${chosen.backupsDir}; take one with hoku pg:backups:capture`);
  if (flags.confirm !== chosen.appName) throw new HokuError(`restoring ${id} replaces the data of ${chosen.addonName}\n    hint: hoku pg:backups:restore ${id} ${name ?? "DATABASE_URL"} --confirm ${chosen.appName}`);
  const pgRestore = postgresTool("pg_restore");
  const { url, close } = await chosen.open();
  try {
    await action(`Restoring ${id} to ${chosen.addonName}`, async () => {
      const { url: bare, password } = splitPassword(url);
      const result = await runCaptured([pgRestore, "--clean", "--if-exists", "--no-owner", `--dbname=${bare}`, file], { env: { ...process.env, PGPASSWORD: password } });
      if (result.code !== 0) throw new HokuError(`pg_restore failed: ${result.stderr}`);
    });
    return 0;
  } finally {
    await close();
  }
}

/** A deployed app's restore: the platform runs pg_restore of one of its backups. */
async function restoreOnPlatform(id: string, name: string | undefined, flags: { confirm?: string }, chosen: ToolTarget, { client, databaseId }: NonNullable<ToolTarget["platform"]>): Promise<number> {
  const backups = await client.request<Transfer[]>("GET", `/client/v11/apps/${chosen.appName}/transfers`);
  const backup = backups.find((t) => t.name === id && t.succeeded && t.to_url);
  if (!backup) throw new HokuError(`no backup ${id} of ${chosen.appName}\n    hint: heroku pg:backups -a ${chosen.appName} lists them; take one with hoku pg:backups:capture -a ${chosen.appName}`);
  if (flags.confirm !== chosen.appName) throw new HokuError(`restoring ${id} replaces the data of ${chosen.addonName}\n    hint: hoku pg:backups:restore ${id} ${name ?? "DATABASE_URL"} -a ${chosen.appName} --confirm ${chosen.appName}`);
  await action(`Restoring ${id} to ${chosen.addonName}`, async () => {
    const restored = await client.request<Transfer>("POST", `/client/v11/databases/${databaseId}/restores`, { backup_url: backup.to_url });
    if (!restored.succeeded) {
      const { logs = [] } = await client.request<Transfer>("GET", `/client/v11/apps/${chosen.appName}/transfers/${restored.name.slice(1)}?verbose=true`);
      throw new HokuError(`pg_restore failed: ${logs.slice(-5).map((l) => l.message).join("\n")}`);
    }
  });
  return 0;
}
