/**
 * Add-ons for `hoku start` and `hoku run`: provision what app.json declares, choose a
 * provider for each (and say which and why), start them all, and return the config
 * vars Heroku would set. A run that finds them already served by a running
 * `hoku start` of the same app reuses those instead (its claim in the state database,
 * addon-owner.ts).
 */
import { chooseAddonProvider } from "./choose-provider.ts";
import { addonConfigVars } from "./config-vars.ts";
import type { ProviderKind } from "./provider.ts";
import { type PlannedAddon, startAddons } from "./start-addons.ts";
import { notRunNote } from "./validate-addons.ts";
import { HokuError } from "../app/problem.ts";
import { appAddons, imageFor } from "../platform/app-addons.ts";
import { recordServedBy } from "../platform/addon-store.ts";
import { type AddonOwner, claimOwner, currentOwner, publishVars, releaseOwner } from "../platform/addon-owner.ts";
import type { LoadedApp } from "../platform/load-app.ts";
import type { Reaper } from "../runtime/reaper.ts";

export interface AddonFlags {
  /** `--addons docker|native|embedded`. */
  readonly addons?: ProviderKind;
  /** --addon-timeout: bounds the whole add-on start (image pulls, the providers' starts, readiness). */
  readonly readyTimeoutMs: number;
  /** A `hoku start`: it serves the add-ons for as long as it runs, to another hoku start too (AddonOwner.shares). */
  readonly shares?: boolean;
}

export interface AddonRun {
  readonly vars: Readonly<Record<string, string>>;
  /** The pid of the other hoku serving them, when this one uses its add-ons (sharedAddons). */
  readonly servedBy?: number;
  /** One line per add-on for the status bar: `postgresql-concave-52656 127.0.0.1:15432`. */
  readonly summary: string;
  stop(): Promise<void>;
}

const NOTHING: AddonRun = { vars: {}, summary: "", stop: async () => {} };

/**
 * Plans every add-on: its service, image and provider (checked together: a missing image is
 * pulled now), said in one line each, in order. Errors before anything starts.
 */
export async function planAddons(app: LoadedApp, flags: AddonFlags, say: (line: string) => void, deadline: number): Promise<{ plans: PlannedAddon[]; stateDir: string; appId: string; primary?: string }> {
  const { state, services, stateDir, appId } = appAddons(app, say);
  const context = { forced: flags.addons, deadline, timeoutMs: flags.readyTimeoutMs, say };
  const planned = await Promise.all(
    state.addons.map(async (addon) => {
      const service = services.find((s) => s.name === addon.service);
      // A record of a hoku.json service since removed from hoku.json (app.json's unknown services get no record).
      if (!service) return { addon, note: notRunNote(addon.service) };
      const image = imageFor(app, addon, service);
      return { addon, plan: { addon, service, image, choice: await chooseAddonProvider(service, image, context, addon.servedBy) } };
    }),
  );
  for (const { addon, note, plan } of planned) {
    if (plan) say(`${plan.service.name} ${addon.name} via ${plan.choice.provider.kind}${plan.choice.provider.kind === "docker" ? ` (${plan.image})` : ""}: ${plan.choice.why}`);
    else say(`${addon.name}: ${note}`);
  }
  return { plans: planned.flatMap((p) => p.plan ?? []), stateDir, appId, primary: state.primary };
}

/** Refuses when another hoku serves the app's add-ons: two would fight over containers and data. */
export function requireNoOwner(appId: string, app: string, what: string): void {
  const owner = currentOwner(appId);
  if (owner) refuse(owner, app, what);
}

function refuse(owner: AddonOwner, app: string, what: string): never {
  const hint = owner.shares
    ? "stop that hoku first, or wait until it has started them (a second hoku start, hoku run, pg:psql and the other tools use its add-ons)"
    : "it is a hoku run or an add-on tool: its add-ons go when it ends; end it first";
  throw new HokuError(`the add-ons of ${app} are run by another hoku (pid ${owner.pid}), so ${what}\n    hint: ${hint}`);
}

export async function runAddons(app: LoadedApp, flags: AddonFlags, reaper: { runId: string; reaper: Reaper }, say: (line: string) => void): Promise<AddonRun> {
  // --addon-timeout bounds the whole start: pulls while planning, the providers' starts, readiness.
  const deadline = Date.now() + flags.readyTimeoutMs;
  const { plans, stateDir, appId, primary } = await planAddons(app, flags, say, deadline);
  if (plans.length === 0) return NOTHING;
  // The claim is a lock first (no vars), then says where the add-ons answer.
  const other = claimOwner(appId, flags.shares);
  if (other) refuse(other, app.name, "this one cannot start them too");
  const release = () => releaseOwner(appId);
  if (plans.some((plan) => plan.choice.provider.kind === "docker")) reaper.reaper.sweepContainers();
  let started: Awaited<ReturnType<typeof startAddons>>;
  try {
    started = await startAddons(plans, { appId, runId: reaper.runId, stateDir, deadline, timeoutMs: flags.readyTimeoutMs, say, watch: (pgid) => reaper.reaper.watch(pgid) });
  } catch (error) {
    release();
    throw error;
  }
  for (const plan of plans) recordServedBy(stateDir, plan.addon.id, plan.choice.provider.kind);
  const vars = addonConfigVars(started.attached, primary);
  publishVars(appId, vars);
  return {
    vars,
    summary: started.attached.map((a) => `${a.addon.name} :${a.endpoint.port}`).join("  "),
    async stop() {
      release();
      await started.stop();
    },
  };
}

/** The vars of add-ons another running hoku of this app serves, if any (undefined while it starts them). */
export function runningAddonVars(appId: string): Readonly<Record<string, string>> | undefined {
  const owner = currentOwner(appId);
  return owner && Object.keys(owner.vars).length > 0 ? owner.vars : undefined;
}

/**
 * The add-ons another `hoku start` serves for the app (`hoku start web` in one terminal, `hoku
 * start worker` in another, as with heroku local), to use rather than start; waits while it is
 * still starting them, up to `deadline`. Undefined when no hoku start serves them (a `hoku run`'s
 * go with its command: they are not shared). They stay that hoku's: they stop when it does
 * (watchOwner says so).
 */
export async function sharedAddons(appId: string, app: string, options: { forced?: ProviderKind; deadline: number }, say: (line: string) => void): Promise<AddonRun | undefined> {
  for (;;) {
    const owner = currentOwner(appId);
    if (!owner?.shares) return undefined;
    if (Object.keys(owner.vars).length > 0) {
      const forced = options.forced ? ` (--addons ${options.forced} does not apply to them)` : "";
      say(`the add-ons of ${app} are already served by another hoku start (pid ${owner.pid}): this one uses them until that one stops${forced}`);
      return { vars: owner.vars, servedBy: owner.pid, summary: `add-ons of hoku pid ${owner.pid}`, stop: async () => {} };
    }
    if (Date.now() >= options.deadline) return undefined;
    await Bun.sleep(200);
  }
}

/** Calls `gone` once when the hoku at `pid` no longer serves the app's add-ons; the returned function stops watching. */
export function watchOwner(appId: string, pid: number, gone: () => void): () => void {
  const timer = setInterval(() => {
    if (currentOwner(appId)?.pid === pid) return;
    clearInterval(timer);
    gone();
  }, 2000);
  return () => clearInterval(timer);
}

/** Add-on vars win over the same keys from env files and the shell (Heroku: CA-5), said once each. */
export function applyAddonVars(env: Record<string, string>, vars: Readonly<Record<string, string>>, fileEnv: ReadonlyMap<string, string>, say: (line: string) => void): void {
  for (const [key, value] of Object.entries(vars)) {
    if (fileEnv.has(key) && fileEnv.get(key) !== value) say(`${key} from the env file is overridden by its add-on (add-on config vars win, as on Heroku)`);
    env[key] = value;
  }
}
