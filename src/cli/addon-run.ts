/**
 * Add-ons for `hoku start` and `hoku run`: provision what app.json declares, choose a
 * provider for each (and say which and why), start them all, and return the config
 * vars Heroku would set. A run that finds them already served by a running
 * `hoku start` of the same app reuses those instead (running.json in the app's state).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chooseProvider } from "../addons/choose-provider.ts";
import { addonConfigVars } from "../addons/config-vars.ts";
import type { ProviderKind } from "../addons/provider.ts";
import { type PlannedAddon, startAddons } from "../addons/start-addons.ts";
import { HokuError } from "../app/problem.ts";
import { appAddons, imageFor } from "../platform/app-addons.ts";
import type { LoadedApp } from "../platform/load-app.ts";
import type { Reaper } from "../runtime/reaper.ts";

export interface AddonFlags {
  /** `--addons docker|native|embedded`. */
  readonly addons?: ProviderKind;
  readonly readyTimeoutMs: number;
}

export interface AddonRun {
  readonly vars: Readonly<Record<string, string>>;
  /** One line per add-on for the status bar: `postgresql-concave-52656 127.0.0.1:15432`. */
  readonly summary: string;
  stop(): Promise<void>;
}

const NOTHING: AddonRun = { vars: {}, summary: "", stop: async () => {} };

/** Plans every add-on: its service, image and provider. Errors before anything starts. */
export async function planAddons(app: LoadedApp, flags: AddonFlags, say: (line: string) => void): Promise<{ plans: PlannedAddon[]; stateDir: string; appId: string; primary?: string }> {
  const { state, services, stateDir, appId } = appAddons(app);
  const plans: PlannedAddon[] = [];
  for (const addon of state.addons) {
    const service = services.find((s) => s.name === addon.service);
    if (!service) throw new HokuError(`add-on ${addon.name} uses ${addon.service}, which hoku no longer knows\n    hint: add it to hoku.json "services", or remove it: hoku addons:destroy ${addon.name} --confirm ${app.name}`);
    const choice = await chooseProvider(service, flags.addons);
    const image = imageFor(app, addon, service);
    say(`${service.name} ${addon.name} via ${choice.provider.kind}${choice.provider.kind === "docker" ? ` (${image})` : ""}: ${choice.why}`);
    plans.push({ addon, service, image, choice });
  }
  return { plans, stateDir, appId, primary: state.primary };
}

export async function runAddons(app: LoadedApp, flags: AddonFlags, reaper: { runId: string; reaper: Reaper }, say: (line: string) => void): Promise<AddonRun> {
  const { plans, stateDir, appId, primary } = await planAddons(app, flags, say);
  if (plans.length === 0) return NOTHING;
  const started = await startAddons(plans, { appId, runId: reaper.runId, stateDir, readyTimeoutMs: flags.readyTimeoutMs, say, watch: (pgid) => reaper.reaper.watch(pgid) });
  const vars = addonConfigVars(started.attached, primary);
  const marker = join(stateDir, "running.json");
  writeFileSync(marker, JSON.stringify({ pid: process.pid, vars }), { mode: 0o600 });
  return {
    vars,
    summary: started.attached.map((a) => `${a.addon.name} :${a.endpoint.port}`).join("  "),
    async stop() {
      rmSync(marker, { force: true });
      await started.stop();
    },
  };
}

/** The vars of add-ons a running `hoku start` of this app serves, if any. */
export function runningAddonVars(stateDir: string): Record<string, string> | undefined {
  const marker = join(stateDir, "running.json");
  if (!existsSync(marker)) return undefined;
  try {
    const { pid, vars } = JSON.parse(readFileSync(marker, "utf8")) as { pid: number; vars: Record<string, string> };
    process.kill(pid, 0);
    return vars;
  } catch {
    return undefined;
  }
}

/** Add-on vars win over the same keys from env files and the shell (Heroku: CA-5), said once each. */
export function applyAddonVars(env: Record<string, string>, vars: Readonly<Record<string, string>>, fileEnv: ReadonlyMap<string, string>, say: (line: string) => void): void {
  for (const [key, value] of Object.entries(vars)) {
    if (fileEnv.has(key) && fileEnv.get(key) !== value) say(`${key} from the env file is overridden by its add-on (add-on config vars win, as on Heroku)`);
    env[key] = value;
  }
}
