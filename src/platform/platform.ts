/**
 * The platform's operations, in Heroku's words: apps, config vars, formation, releases and
 * rollback, dynos. The API (api/*.ts) maps HTTP onto these; git pushes (deploy.ts) call
 * `recordDeploy`. Every change that Heroku makes a release is a release here (RL-1), written in
 * the same transaction as the change, then the dynos move to it (DY-8); a release whose slug
 * declares a `release` process type runs it first (PF-3), and a failure keeps the old release.
 */
import type { Database } from "bun:sqlite";
import { rmSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { platformDir } from "./platform-db.ts";
import { ApiError, invalid, notFound } from "./api/http.ts";
import type { DynoManager } from "./dyno-manager.ts";
import { dynoMetadata } from "./dyno-metadata.ts";
import { checkSize } from "./dyno-size.ts";
import type { LogStore } from "./log-store.ts";
import type { OneOffDynos } from "./one-off.ts";
import { resolveProcessType } from "./one-off-command.ts";
import type { PlatformAddons } from "./platform-addons.ts";
import { Scheduler, SCHEDULER_SERVICE } from "./scheduler.ts";
import { AddonAttachments } from "./addon-attachments.ts";
import { type Addon, attachmentName } from "../addons/addon.ts";
import { PLATFORM_CATALOG } from "../addons/catalog.ts";
import { APP_NAME, type AppRecord, deleteApp, findApp, insertApp, listApps, randomAppName, updateApp } from "./records/apps.ts";
import { configOf, replaceConfig, writeConfig } from "./records/config.ts";
import { adoptTypes, formationOf, setQuantity } from "./records/formation.ts";
import { configSnapshot, failPendingReleases, findRelease, finishRelease, insertRelease, listReleases, type ReleaseRecord } from "./records/releases.ts";
import { deployDescription, findSlug, processTypesOf, slugIdsOf } from "./records/slugs.ts";
import { failPendingBuilds } from "./records/builds.ts";
import { untilWrite } from "./until-write.ts";

/** Config var names Heroku accepts: letters, digits and '_', not starting with '__' (CA-1). */
const CONFIG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Heroku's checks of an app name, in its words: the length first, then the characters. */
function checkAppName(name: string): void {
  if (name.length < 3) throw invalid("Name is too short (minimum is 3 characters)");
  if (name.length > 30) throw invalid("Name is too long (maximum is 30 characters)");
  if (!APP_NAME.test(name)) throw invalid("Name must start with a letter, end with a letter or digit and can only contain lowercase letters, digits, and dashes.");
}

/** Heroku's limit per process type. */
const MAX_QUANTITY = 100;

/** What `run` asks for (POST /apps/:app/dynos). */
export interface OneOffRequest {
  readonly command: string;
  readonly attach: boolean;
  /** Vars the client adds (TERM, COLUMNS, LINES, `-e`). */
  readonly env?: Readonly<Record<string, string>>;
  /** hoku's client: the dyno writes heroku run's exit marker itself. */
  readonly exitStatus?: boolean;
  /** `force_no_tty`: the dyno gets pipes, not a terminal (heroku run --no-tty). */
  readonly noTty?: boolean;
  readonly size?: string;
  /** The one-off's process type, its name's prefix (default `run`). */
  readonly type?: string;
}

export interface PlatformSettings {
  readonly apiUrl: string;
  readonly routerUrl: (app: string) => string;
  readonly gitUrl: (app: string) => string;
  /** A following log stream with nothing to send this long ends, and its client reopens it (default 5 minutes). */
  readonly logIdleMs?: number;
  /** How many times as fast as the wall clock Heroku Scheduler's clock runs (labs; default 1). */
  readonly schedulerSpeed?: number;
}

/** The user's login name, from the system when the environment does not say. */
function userName(): string {
  const name = userInfo().username;
  return name && name !== "unknown" ? name : Bun.spawnSync(["id", "-un"]).stdout.toString().trim() || "user";
}

export class Platform {
  /** The user every change is made by, as Heroku names them (`Deploy 1a2b3c4 by user ann@localhost`). */
  readonly user = `${process.env.USER || process.env.LOGNAME || userName()}@localhost`;
  /** Every add-on's attachments, and addons:attach / addons:detach. */
  readonly attachments: AddonAttachments = new AddonAttachments(this);
  /** Per app, the release being made; the next waits for it (#oneAtATime). */
  readonly #releasing = new Map<string, Promise<void>>();
  /** Heroku Scheduler's jobs of the apps that have its add-on. */
  readonly scheduler: Scheduler;

  constructor(
    readonly db: Database,
    readonly dynos: DynoManager,
    readonly logs: LogStore,
    readonly settings: PlatformSettings,
    readonly oneOffs: OneOffDynos,
    readonly addons: PlatformAddons,
  ) {
    this.scheduler = new Scheduler(this, settings.schedulerSpeed);
  }

  // ---- apps ----

  app(nameOrId: string): AppRecord {
    const app = findApp(this.db, nameOrId);
    if (!app) throw notFound("app");
    return app;
  }

  apps(): AppRecord[] {
    return listApps(this.db);
  }

  #namesNow?: () => ReadonlyMap<string, string>;
  #names?: ReadonlyMap<string, string>;

  /** An app's name by its id, for each log line the platform prints: read again only after a write (a rename). */
  appName(id: string): string | undefined {
    this.#namesNow ??= untilWrite(this.db, () => new Map(listApps(this.db).map((app) => [app.id, app.name])));
    try {
      this.#names = this.#namesNow();
    } catch {
      // The database closed as the platform stops: a last line keeps the name it had.
    }
    return this.#names?.get(id);
  }

  /** apps:create: an empty app with v1 (Initial release) and v2 (Enable Logplex), as Heroku makes them. */
  createApp(name: string | undefined, options: { buildpacks?: readonly string[]; stack?: string } = {}): AppRecord {
    if (name !== undefined) checkAppName(name);
    const wanted = name ?? this.#freeName();
    if (findApp(this.db, wanted)) throw invalid("Name is already taken");
    const app = this.db.transaction(() => {
      const created = insertApp(this.db, wanted, options);
      insertRelease(this.db, created.id, "Initial release", { slugId: null });
      insertRelease(this.db, created.id, "Enable Logplex", { slugId: null });
      return created;
    })();
    this.api(app, `Initial release by user ${this.user}`);
    this.api(app, `Release v1 created by user ${this.user}`);
    this.api(app, `Enable Logplex by user ${this.user}`);
    this.api(app, `Release v2 created by user ${this.user}`);
    return app;
  }

  renameApp(app: AppRecord, name: string): AppRecord {
    checkAppName(name);
    const other = findApp(this.db, name);
    if (other && other.id !== app.id) throw invalid("Name is already taken");
    return updateApp(this.db, app.id, { name });
  }

  async destroyApp(app: AppRecord): Promise<void> {
    // A release being made finishes first (else its dynos would start after the app is gone).
    await this.#releasing.get(app.id);
    await this.dynos.stopApp(app.id, "Stopping all processes: the app is destroyed");
    await this.attachments.dropApp(app);
    for (const addon of this.addons.list(app.id)) await this.addons.destroy(app.id, addon.name);
    const slugs = slugIdsOf(this.db, app.id);
    deleteApp(this.db, app.id);
    this.scheduler.removeAll(app.id);
    this.logs.drop(app.id);
    // Its files go too: slugs, the git repository and the build cache.
    for (const slug of slugs) rmSync(this.dynos.slugDir(slug), { recursive: true, force: true });
    rmSync(join(platformDir(), "repos", `${app.id}.git`), { recursive: true, force: true });
    rmSync(join(platformDir(), "cache", app.id), { recursive: true, force: true });
  }

  setMaintenance(app: AppRecord, on: boolean): AppRecord {
    return updateApp(this.db, app.id, { maintenance: on ? 1 : 0 });
  }

  #freeName(): string {
    for (;;) {
      const name = randomAppName();
      if (!findApp(this.db, name)) return name;
    }
  }

  // ---- config vars ----

  config(app: AppRecord): Record<string, string> {
    return configOf(this.db, app.id);
  }

  /** config:set / config:unset: one release (`Set A, B config vars`, `Remove A config vars`), then the dynos restart on it. */
  async setConfig(app: AppRecord, changes: Readonly<Record<string, string | null>>): Promise<ReleaseRecord> {
    for (const [key, value] of Object.entries(changes)) {
      if (!CONFIG_KEY.test(key) || key.startsWith("__")) throw invalid(`Invalid config var name: ${key}. Config var names start with a letter or an underscore, then letters, digits and underscores, and cannot start with __.`);
      if (value !== null && typeof value !== "string") throw invalid(`The value of ${key} must be a string or null.`);
    }
    return this.#oneAtATime(app, async () => {
      const current = this.config(app);
      const set = Object.keys(changes).filter((k) => changes[k] !== null);
      const removed = Object.keys(changes).filter((k) => changes[k] === null && current[k] !== undefined);
      const description = [set.length > 0 ? `Set ${set.join(", ")} config vars` : "", removed.length > 0 ? `Remove ${removed.join(", ")} config vars` : ""].filter(Boolean).join(", ");
      if (description === "") return this.current(app)!;
      const release = this.db.transaction(() => {
        writeConfig(this.db, app.id, changes);
        return insertRelease(this.db, app.id, description, { status: "pending" });
      })();
      return this.#release(app, release, { revertConfigTo: current });
    });
  }

  // ---- formation ----

  formation(app: AppRecord) {
    const types = this.#currentTypes(app);
    return formationOf(this.db, app.id).filter((f) => types === undefined || types[f.type] !== undefined);
  }

  /**
   * ps:scale: quantities per type, absolute (`2`) or relative (`"+1"`, `"-1"`, as the heroku CLI
   * sends `worker+1`), and the size (Basic, the one hoku runs: dyno-size.ts); the running
   * release's dynos follow.
   */
  async scale(app: AppRecord, updates: readonly { type: string; quantity?: number | string; size?: string }[]) {
    // Before the first deploy any type may be set (apps:setup's app.json formation); it applies when a slug has it.
    const types = this.#currentTypes(app);
    const now = formationOf(this.db, app.id);
    const planned = updates.map((update) => {
      if (types && types[update.type] === undefined) throw new ApiError(404, "not_found", `Couldn't find that process type (${update.type}).`);
      // The formation lists it at 0 (heroku releases:retry looks for it there); it runs in each release's release phase.
      if (update.type === "release" && update.quantity !== undefined && String(update.quantity).trim() !== "0")
        throw invalid("The release process type runs once per release, in its release phase; it cannot be scaled.");
      const current = now.find((f) => f.type === update.type)?.quantity ?? 0;
      const given = update.quantity === undefined ? undefined : String(update.quantity).trim();
      const quantity = given === undefined ? current : /^[+-]/.test(given) ? current + Number(given) : Number(given);
      if (given !== undefined && (given === "" || !Number.isInteger(quantity) || quantity < 0 || quantity > MAX_QUANTITY))
        throw invalid(`Quantity must be a whole number from 0 to ${MAX_QUANTITY}: ${update.type} cannot be ${/^[+-]/.test(given) ? `${current}${given}` : given}.`);
      return { type: update.type, quantity, size: update.size === undefined ? undefined : checkSize(update.size) };
    });
    for (const update of planned) {
      setQuantity(this.db, app.id, update.type, update.quantity, update.size);
      // New dynos start now; leaving ones stop after the answer, as Heroku's API answers at once.
      this.dynos.scale(app.id, update.type, update.quantity).catch((error: unknown) => console.error(error));
    }
    const formation = this.formation(app);
    const scaled = planned.flatMap((update) => formation.filter((f) => f.type === update.type).map((f) => `${f.type}@${f.quantity}:${f.size}`));
    if (scaled.length > 0) this.api(app, `Scaled to ${scaled.join(" ")} by user ${this.user}`);
    return formation;
  }

  #currentTypes(app: AppRecord): Record<string, string> | undefined {
    const slugId = this.current(app)?.slug_id;
    const slug = slugId ? findSlug(this.db, slugId) : undefined;
    return slug ? processTypesOf(slug) : undefined;
  }

  // ---- releases ----

  releases(app: AppRecord): ReleaseRecord[] {
    return listReleases(this.db, app.id);
  }

  release(app: AppRecord, versionOrId: string): ReleaseRecord {
    const release = findRelease(this.db, app.id, versionOrId);
    if (!release) throw notFound("release");
    return release;
  }

  current(app: AppRecord): ReleaseRecord | undefined {
    return listReleases(this.db, app.id).filter((r) => r.status === "succeeded").at(-1);
  }

  /** rollback: a new release with the target's slug and config vars (RL-4); add-ons are untouched. */
  async rollback(app: AppRecord, versionOrId: string): Promise<ReleaseRecord> {
    const target = this.release(app, versionOrId);
    if (!target.slug_id) throw invalid(`Cannot roll back to v${target.version}: it has no slug (nothing was deployed yet).`);
    return this.#oneAtATime(app, async () => {
      const before = this.config(app);
      const release = this.db.transaction(() => {
        replaceConfig(this.db, app.id, configSnapshot(target));
        return insertRelease(this.db, app.id, `Rollback to v${target.version}`, { slugId: target.slug_id, status: "pending" });
      })();
      return this.#release(app, release, { revertConfigTo: before });
    });
  }

  /**
   * A build's slug becomes a release (`Deploy 1a2b3c4`); the formation gains the slug's new
   * process types (web at 1). `onLine` gets the release phase's lines, for the pusher.
   */
  async recordDeploy(app: AppRecord, slugId: string, commit: string, onLine: (line: string) => void = () => {}, onCreated: (release: ReleaseRecord) => void = () => {}): Promise<ReleaseRecord> {
    const slug = findSlug(this.db, slugId)!;
    return this.#oneAtATime(app, async () => {
      const release = this.db.transaction(() => {
        adoptTypes(this.db, app.id, Object.keys(processTypesOf(slug)));
        return insertRelease(this.db, app.id, deployDescription(commit), { slugId, status: "pending" });
      })();
      onCreated(release);
      return this.#release(app, release, { onLine });
    });
  }

  /**
   * A release of one of the app's slugs with the app's config now, and `description` (POST
   * /apps/{app}/releases with a slug: `heroku releases:retry` makes `Retry of v3: Deploy 1a2b3c4`);
   * its release phase runs as a deploy's does.
   */
  async releaseSlug(app: AppRecord, slugId: string, description: string): Promise<ReleaseRecord> {
    const slug = findSlug(this.db, slugId);
    if (!slug || slug.app_id !== app.id) throw new ApiError(404, "not_found", "Couldn't find that slug.");
    return this.#oneAtATime(app, async () => {
      const release = insertRelease(this.db, app.id, description, { slugId, status: "pending" });
      return this.#release(app, release);
    });
  }

  /**
   * Runs `make` (which writes a release and finishes it) after the app's release in progress
   * has finished: each release is made from the one before it, so a config:set during a push's
   * release phase is made on the pushed slug, not on the slug the push replaced.
   */
  #oneAtATime<T>(app: AppRecord, make: () => Promise<T>): Promise<T> {
    const next = (this.#releasing.get(app.id) ?? Promise.resolve()).then(make);
    const settled = next.then(
      () => {},
      () => {},
    );
    this.#releasing.set(app.id, settled);
    void settled.then(() => {
      if (this.#releasing.get(app.id) === settled) this.#releasing.delete(app.id);
    });
    return next;
  }

  /**
   * After a platform that stopped in the middle of a release (a SIGKILL, a power cut): its
   * pending builds and releases are failed, and each such app's config vars are its current
   * release's again (a config:set whose release never finished is not applied).
   */
  recoverInterrupted(): void {
    const note = "\n !     hoku: the platform stopped before this finished";
    this.db.transaction(() => {
      failPendingBuilds(this.db, note);
      for (const app of this.apps()) {
        if (failPendingReleases(this.db, app.id, note) === 0) continue;
        const current = this.current(app);
        if (current) replaceConfig(this.db, app.id, configSnapshot(current));
      }
    })();
  }

  /**
   * Finishes a pending release: its release phase (if its slug has a `release` type, and the
   * release is not an add-on's own config change) must exit 0, else the release is failed, the
   * old one keeps running (PF-3) and the config vars are `revertConfigTo` again (what they were
   * before a config change or rollback); then it is current and the dynos move to it.
   */
  async #release(app: AppRecord, release: ReleaseRecord, options: { onLine?: (line: string) => void; revertConfigTo?: Record<string, string>; releasePhase?: boolean } = {}): Promise<ReleaseRecord> {
    const onLine = options.onLine ?? (() => {});
    // Logplex's app[api] pair: what changed, then the release it made.
    this.api(app, `${release.description} by user ${this.user}`);
    const slug = release.slug_id ? findSlug(this.db, release.slug_id) : undefined;
    const command = slug && options.releasePhase !== false ? processTypesOf(slug).release : undefined;
    if (command) {
      const output: string[] = [];
      let status: number | string;
      try {
        status = await this.dynos.releasePhase(app.id, release, command, (line) => {
          output.push(line);
          onLine(line);
        });
      } catch (error) {
        // The release dyno could not run (its slug copy, its sandbox): the release fails all the same.
        status = `not run (${error instanceof Error ? error.message : String(error)})`;
        output.push(`hoku: the release command could not run: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (status !== 0) {
        this.db.transaction(() => {
          finishRelease(this.db, release.id, "failed", output.join("\n"));
          if (options.revertConfigTo) replaceConfig(this.db, app.id, options.revertConfigTo);
        })();
        this.api(app, `Release v${release.version} command failed by user ${this.user}`);
        const how = typeof status === "number" ? `failed with status ${status}` : status;
        throw new ApiError(422, "release_failed", `Release command ${how}: v${release.version} is not deployed; v${this.current(app)?.version ?? "?"} keeps running.`);
      }
      finishRelease(this.db, release.id, "succeeded", output.join("\n"));
    } else finishRelease(this.db, release.id, "succeeded");
    updateApp(this.db, app.id, { released_at: new Date().toISOString() });
    this.api(app, `Release v${release.version} created by user ${this.user}`);
    await this.dynos.runCurrent(app.id);
    return this.release(app, release.id);
  }

  // ---- add-ons ----

  /** addons:create: provisions and starts it, then its config vars join the app's in an `Attach` release (CA-2, CA-5). */
  async createAddon(app: AppRecord, spec: string, as?: string, options: { name?: string; config?: Readonly<Record<string, unknown>> } = {}): Promise<{ addon: Addon; release: ReleaseRecord }> {
    if (options.name !== undefined && this.attachments.addons().some((o) => o.addon.name === options.name)) throw invalid("Name is already taken");
    if (as !== undefined && this.attachments.all().some((a) => a.app.id === app.id && a.name === as.toUpperCase())) throw invalid(`An add-on is already attached as ${as.toUpperCase()}.`);
    const addon = await this.addons.create(app.id, spec, as, options);
    const service = PLATFORM_CATALOG.find((s) => s.name === addon.service)!;
    const firstPostgres = service.kind === "postgres" && !addon.as && this.addons.list(app.id).filter((a) => a.service === addon.service).length === 1;
    const attachment = firstPostgres ? "DATABASE" : attachmentName(addon, service);
    return { addon, release: await this.#syncAddonVars(app, `Attach ${attachment} (@ref:${addon.name})`) };
  }

  /**
   * addons:destroy: stops it, deletes its data, and its config vars leave in a `Detach DATABASE
   * (@ref:postgresql-...)` release (and in one of each other app it was attached to).
   */
  async destroyAddon(app: AppRecord, name: string): Promise<Addon> {
    const before = this.addonVars(app);
    const primary = this.addons.primary(app.id);
    const addon = await this.addons.destroy(app.id, name);
    if (addon.service === SCHEDULER_SERVICE) this.scheduler.removeAll(app.id);
    await this.attachments.dropAddon(addon, app);
    const after = this.addonVars(app);
    const removed = Object.fromEntries(Object.keys(before).filter((k) => after[k] === undefined).map((k) => [k, null]));
    const attachment = addon.id === primary?.id ? "DATABASE" : attachmentName(addon, PLATFORM_CATALOG.find((s) => s.name === addon.service)!);
    await this.#syncAddonVars(app, `Detach ${attachment} (@ref:${addon.name})`, removed);
    return addon;
  }

  /** The config vars add-ons give the app: its own add-ons', and those attached to it with addons:attach. */
  addonVars(app: AppRecord): Record<string, string> {
    return { ...this.addons.vars(app.id), ...this.attachments.vars(app.id) };
  }

  /** A release writing the add-on config vars that changed (and removing `removed`): addons:attach and detach. */
  addonVarsRelease(app: AppRecord, description: string, removed: Record<string, null> = {}): Promise<ReleaseRecord> {
    return this.#syncAddonVars(app, description, removed);
  }

  /**
   * Writes the add-ons' config vars (and removes `removed`) in one release when they changed;
   * returns the current release. `releasePhase: false` for a change the add-on made itself (PF-3).
   */
  #syncAddonVars(app: AppRecord, description: string, removed: Record<string, null> = {}, releasePhase = true): Promise<ReleaseRecord> {
    return this.#oneAtATime(app, async () => {
      const vars = this.addonVars(app);
      const config = this.config(app);
      const changes = { ...removed, ...Object.fromEntries(Object.entries(vars).filter(([k, v]) => config[k] !== v)) };
      if (Object.keys(changes).length === 0) return this.current(app)!;
      const release = this.db.transaction(() => {
        writeConfig(this.db, app.id, changes);
        return insertRelease(this.db, app.id, description, { status: "pending" });
      })();
      return this.#release(app, release, { releasePhase });
    });
  }

  /**
   * At the platform's start: every app's add-ons run again; vars that moved (a port taken) make
   * a release, without the release phase (add-on-managed config vars, PF-3).
   */
  async startAddons(app: AppRecord): Promise<void> {
    await this.addons.startAll(app.id);
    await this.#syncAddonVars(app, "Update add-on config vars", {}, false);
  }

  // ---- dynos ----

  /**
   * `run`: a one-off dyno of the current release, attached (a rendezvous URL) or detached (its
   * output in the logs). A first word that names a process type runs that type's command.
   */
  runOneOff(app: AppRecord, request: OneOffRequest): { name: string; attachUrl: string | null; release: ReleaseRecord } {
    const { command } = request;
    if (typeof command !== "string" || command.trim() === "") throw invalid("Missing command: what the one-off dyno runs.");
    const type = request.type ?? "run";
    if (!/^[A-Za-z0-9_-]{1,63}$/.test(type)) throw invalid(`Invalid process type ${type}: letters, digits, '-' and '_'.`);
    checkSize(request.size);
    const release = this.current(app);
    if (!release?.slug_id) throw invalid(`⬢ ${app.name} has no release to run yet: deploy it first (git push to its hoku or heroku remote, e.g. git push hoku main).`);
    const runs = resolveProcessType(command, processTypesOf(findSlug(this.db, release.slug_id)!));
    const env = Object.fromEntries(Object.entries(request.env ?? {}).filter((e): e is [string, string] => typeof e[1] === "string"));
    if (request.attach) {
      const metadata = dynoMetadata(app, release, findSlug(this.db, release.slug_id), crypto.randomUUID());
      // A var the client sets (-e) wins over dyno metadata, as for run:detached (dyno-manager.ts #prepare).
      const attach = { command: runs, shown: command, type, env: { ...metadata, ...env }, user: this.user, exitStatus: request.exitStatus === true, noTty: request.noTty === true };
      const { name, attachUrl } = this.oneOffs.prepare(app.id, release, attach);
      return { name, attachUrl, release };
    }
    return { name: this.dynos.runDetached(app.id, release, runs, env, { shown: command, type, by: this.user }), attachUrl: null, release };
  }

  async restart(app: AppRecord, which?: { type?: string; dyno?: string }): Promise<void> {
    await this.dynos.restart(app.id, which);
  }

  /** An `app[api]` line in the app's logs (LG-2). */
  api(app: AppRecord, text: string): void {
    this.logs.append(app.id, { source: "app", dyno: "api", text });
  }
}
