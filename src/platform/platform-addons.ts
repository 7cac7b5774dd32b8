/**
 * Add-ons of deployed apps (`addons:create -a APP`): the same records (hoku.db, keyed by the
 * platform app's state folder `platform/apps/<app id>`) and providers as `hoku start`'s, run for
 * as long as the platform runs, restarted with it. Their config vars are the app's config vars:
 * provisioning one writes its vars (overwriting the same keys, CA-5) in an `Attach` release.
 */
import { join } from "node:path";
import { type Addon, attachmentName } from "../addons/addon.ts";
import { CATALOG, type Endpoint, PLATFORM_CATALOG, type Service } from "../addons/catalog.ts";
import { chooseAddonProvider, PROVIDERS } from "../addons/choose-provider.ts";
import { addonConfigVars, type AttachedAddon, primaryPostgres } from "../addons/config-vars.ts";
import { startAddons, type StartedAddons } from "../addons/start-addons.ts";
import { checkPlan } from "../addons/validate-addons.ts";
import type { Reaper } from "../runtime/reaper.ts";
import { invalid, notFound } from "./api/http.ts";
import { addonDataDir, readAddonState, recordServedBy, updateAddonState } from "./addon-store.ts";
import { newAddon } from "./app-addons.ts";
import { randomHex } from "./random.ts";
import { ensureOwnedDir } from "./state-dir.ts";

/** How long an add-on of a deployed app may take to start (image pulls and readiness included). */
const START_TIMEOUT_MS = 120_000;

const NOWHERE: Endpoint = { host: "", port: 0, user: "", password: "", database: "", extraPorts: {} };

interface Running {
  readonly attached: AttachedAddon;
  readonly started: StartedAddons;
}

export class PlatformAddons {
  readonly #running = new Map<string, Running>();

  constructor(
    readonly dir: string,
    readonly reaper: Reaper,
    readonly runId: string,
    readonly say: (line: string) => void,
  ) {}

  stateDir(appId: string): string {
    ensureOwnedDir(join(this.dir, "apps"));
    return ensureOwnedDir(join(this.dir, "apps", appId));
  }

  list(appId: string): readonly Addon[] {
    return readAddonState(this.stateDir(appId)).addons;
  }

  /** The config vars every running add-on of the app sets (DATABASE_URL for its primary Postgres). */
  vars(appId: string): Record<string, string> {
    const state = readAddonState(this.stateDir(appId));
    const attached = state.addons.flatMap((a) => this.#running.get(a.id)?.attached ?? []);
    return addonConfigVars(attached, state.primary);
  }

  /** The app's primary Postgres (DATABASE): the promoted one, else the first. */
  primary(appId: string): Addon | undefined {
    const state = readAddonState(this.stateDir(appId));
    return primaryPostgres(state.addons.flatMap((addon) => CATALOG.filter((s) => s.name === addon.service).map((service) => ({ addon, service }))), state.primary);
  }

  /** pg:promote: the add-on becomes the app's primary Postgres (DATABASE). */
  promote(appId: string, addonId: string): void {
    updateAddonState(this.stateDir(appId), (state) => ({ ...state, primary: addonId }));
  }

  /**
   * The config vars the add-on gives an attachment named `name` (`CACHE_URL` for CACHE): their
   * values while it runs, else the same keys with "" (so callers still know the names).
   */
  varsAs(addon: Addon, name: string): { vars: Record<string, string>; running: boolean } {
    const running = this.#running.get(addon.id)?.attached;
    const service = running?.service ?? PLATFORM_CATALOG.find((s) => s.name === addon.service);
    if (!service) return { vars: {}, running: false };
    if (running) return { vars: service.vars(name, running.endpoint), running: true };
    return { vars: Object.fromEntries(Object.keys(service.vars(name, NOWHERE)).map((k) => [k, ""])), running: false };
  }

  /** Where a running add-on answers (host, port, user, password, database), else undefined. */
  endpoint(addon: Addon): Endpoint | undefined {
    return this.#running.get(addon.id)?.attached.endpoint;
  }

  /**
   * Provisions and starts an add-on (`heroku-postgresql:essential-0`, `--as NAME`); returns its
   * record. `name` names the add-on itself (else a Heroku-style one is made); `config` is what
   * `addons:create ... -- --version 15` gives the provider (app.json's `options`).
   */
  async create(appId: string, spec: string, as?: string, { name: wanted, config }: { name?: string; config?: Readonly<Record<string, unknown>> } = {}): Promise<Addon> {
    const [name, plan] = spec.split(":", 2) as [string, string | undefined];
    const service = PLATFORM_CATALOG.find((s) => s.name === name);
    if (!service) throw invalid(`Couldn't find either the add-on service or the add-on plan: ${spec}. hoku runs: ${PLATFORM_CATALOG.map((s) => s.name).join(", ")}.`);
    const problem = checkPlan(service, plan, { file: "addons:create" });
    if (problem) throw invalid(problem.message);
    if (as !== undefined && !/^[A-Za-z][A-Za-z0-9_]*$/.test(as)) throw invalid("Attachment names are letters, digits and _, starting with a letter.");
    if (wanted !== undefined && !/^[a-z][a-z0-9-]{0,99}$/.test(wanted)) throw invalid("Add-on names are lower-case letters, digits and dashes, starting with a letter.");
    let addon: Addon | undefined;
    updateAddonState(this.stateDir(appId), (current) => {
      if (as && current.addons.some((a) => a.as === as.toUpperCase())) return current;
      addon = newAddon({ service: name, plan, as, options: config, source: "cli", key: `cli:${randomHex(8)}` }, service, current.addons);
      if (wanted !== undefined) addon = { ...addon, name: wanted };
      return { ...current, addons: [...current.addons, addon] };
    });
    if (!addon) throw invalid(`An add-on is already attached as ${as!.toUpperCase()}.`);
    try {
      if (service.kind !== "scheduler") await this.#start(appId, addon, service);
    } catch (error) {
      await this.destroy(appId, addon.name);
      throw error;
    }
    return addon;
  }

  /** Starts every add-on of the app (the platform starting). */
  async startAll(appId: string): Promise<void> {
    for (const addon of this.list(appId)) {
      const service = CATALOG.find((s) => s.name === addon.service);
      if (service && !this.#running.has(addon.id)) await this.#start(appId, addon, service).catch((error: unknown) => this.say(`${addon.name} did not start: ${error instanceof Error ? error.message : String(error)}`));
    }
  }

  /** Stops an add-on (by id, name or attachment) and deletes it and its data. */
  async destroy(appId: string, nameOrAttachment: string): Promise<Addon> {
    const stateDir = this.stateDir(appId);
    const addon = this.list(appId).find((a) => a.id === nameOrAttachment || a.name === nameOrAttachment || a.as === nameOrAttachment.toUpperCase() || attachmentName(a, PLATFORM_CATALOG.find((s) => s.name === a.service)!) === nameOrAttachment.toUpperCase());
    if (!addon) throw notFound("add-on");
    await this.#running.get(addon.id)?.started.stop();
    this.#running.delete(addon.id);
    if (CATALOG.some((s) => s.name === addon.service)) for (const provider of PROVIDERS) await provider.destroy(addon, appId, addonDataDir(stateDir, addon)).catch(() => {});
    updateAddonState(stateDir, (current) => ({ ...current, addons: current.addons.filter((a) => a.id !== addon.id), primary: current.primary === addon.id ? undefined : current.primary }));
    return addon;
  }

  async stopApp(appId: string): Promise<void> {
    await Promise.all(this.list(appId).map(async (a) => (await this.#running.get(a.id)?.started.stop(), this.#running.delete(a.id))));
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#running.values()].map((r) => r.started.stop()));
    this.#running.clear();
  }

  async #start(appId: string, addon: Addon, service: Service): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    const context = { deadline, timeoutMs: START_TIMEOUT_MS, say: this.say };
    const image = service.image?.(addon.options);
    const choice = await chooseAddonProvider(service, image, context, addon.servedBy);
    this.say(`${service.name} ${addon.name} via ${choice.provider.kind}: ${choice.why}`);
    if (choice.provider.kind === "docker") this.reaper.sweepContainers();
    const started = await startAddons([{ addon, service, image, choice }], {
      appId,
      runId: this.runId,
      stateDir: this.stateDir(appId),
      ...context,
      watch: (pgid) => this.reaper.watch(pgid),
    });
    recordServedBy(this.stateDir(appId), addon.id, choice.provider.kind);
    this.#running.set(addon.id, { attached: started.attached[0]!, started });
  }
}
