/**
 * `hoku addons`, `addons:create`, `addons:info`, `addons:destroy` and `pg:promote`:
 * the app's add-on records in hoku's state, printed the way the Heroku CLI prints them.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { type Addon, attachmentName } from "../addons/addon.ts";
import { NOT_RUN } from "../addons/catalog.ts";
import { PROVIDERS } from "../addons/choose-provider.ts";
import { primaryPostgres } from "../addons/config-vars.ts";
import { findAddon } from "../addons/find-addon.ts";
import { checkPlan } from "../addons/validate-addons.ts";
import { HokuError } from "../app/problem.ts";
import { appAddons, newAddon } from "../platform/app-addons.ts";
import { randomHex } from "../platform/random.ts";
import { addonDataDir, recordsInDataFolders, replaceAddonState, updateAddonState } from "../platform/addon-store.ts";
import { appStateDir } from "../platform/state-dir.ts";
import { requireNoOwner } from "../addons/addon-run.ts";
import { action } from "./action.ts";
import { type AppFlags, readApp, say } from "./load.ts";
import { createDeployed, destroyDeployed, infoDeployed, listDeployed } from "./addons-deployed.ts";
import { type AppFlag, deployedApp } from "./target.ts";

const out = (line = "") => process.stdout.write(`${line}\n`);

function load(flags: AppFlags) {
  const app = readApp(flags);
  return { app, ...appAddons(app, say) };
}

function find(all: ReturnType<typeof load>, name: string): Addon {
  const addon = findAddon(all.state.addons, name, primaryOf(all));
  if (!addon) throw new HokuError(`no add-on named ${name}\n    hint: \`hoku addons\` lists them`);
  return addon;
}

function primaryOf(all: ReturnType<typeof load>): Addon | undefined {
  const known = all.state.addons.flatMap((addon) => {
    const service = all.services.find((s) => s.name === addon.service);
    return service ? [{ addon, service }] : [];
  });
  return primaryPostgres(known, all.state.primary);
}

/** The attachment names an add-on's vars use: `HEROKU_POSTGRESQL_AMBER`, plus `DATABASE` for the primary. */
function attachments(addon: Addon, all: ReturnType<typeof load>): string[] {
  const service = all.services.find((s) => s.name === addon.service);
  if (!service) return [];
  const names = [attachmentName(addon, service)];
  if (primaryOf(all)?.id === addon.id) names.push("DATABASE");
  return names;
}

export async function listAddons(flags: AppFlags & AppFlag): Promise<number> {
  const deployed = deployedApp(flags);
  if (deployed) return listDeployed(deployed);
  const all = load(flags);
  if (all.state.addons.length === 0) {
    out(`No add-ons for app ${all.app.name}.`);
    return 0;
  }
  const rows = all.state.addons.map((a) => [`${a.service} (${a.name})`, a.plan, "free", "created"]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...[["Add-on", "Plan", "Price", "State"], ...rows].map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  out(line(["Add-on", "Plan", "Price", "State"]));
  out(widths.map((w) => "─".repeat(w)).join("  "));
  all.state.addons.forEach((addon, i) => {
    out(line(rows[i]!));
    out(` └─ as ${attachments(addon, all).join(", ")}`);
    out();
  });
  out(`The table above shows add-ons and the attachments to the current app (${all.app.name}) or other apps.`);
  return 0;
}

export async function createAddon(spec: string, flags: AppFlags & AppFlag & { as?: string }): Promise<number> {
  const deployed = deployedApp(flags);
  if (deployed) return createDeployed(deployed, spec, flags.as);
  const all = load(flags);
  const [service, plan] = spec.split(":", 2) as [string, string | undefined];
  const found = all.services.find((s) => s.name === service);
  if (!found) {
    const what = NOT_RUN[service] ? `hoku does not run ${service} (${NOT_RUN[service]})` : `unknown add-on service "${service}"`;
    throw new HokuError(`${what}\n    hint: hoku runs: ${all.services.map((s) => s.name).join(", ")}; hoku.json "services" can map any other service to an image or a command`);
  }
  const problem = checkPlan(found, plan, { file: "addons:create" });
  if (problem) throw new HokuError(`${problem.message}\n    hint: ${problem.hint}`);
  if (flags.as !== undefined && !/^[A-Za-z][A-Za-z0-9_]*$/.test(flags.as)) throw new HokuError(`--as ${flags.as}: attachment names are letters, digits and _, starting with a letter (e.g. PRIMARY_DB)`);
  const as = flags.as?.toUpperCase();
  const { addon, state } = await action(`Creating ${service}:${plan ?? found.defaultPlan} on ⬢ ${all.app.name}`, () => {
    let created: Addon | undefined;
    // Read, check and write in one transaction: add-ons created at the same time all see each other.
    const next = updateAddonState(all.stateDir, (current) => {
      if (as && current.addons.some((a) => a.as === as)) return current;
      created = newAddon({ service, plan, as, source: "cli", key: `cli:${randomHex(8)}` }, found, current.addons);
      return { ...current, addons: [...current.addons, created] };
    });
    if (!created) throw new HokuError(`an add-on is already attached as ${as}\n    hint: choose another --as name`);
    return { addon: created, state: next };
  });
  const vars = attachments(addon, { ...all, state }).map((n) => `${n}_URL`);
  out(`Created ${addon.name} as ${vars.join(", ")}`);
  out("hoku start (or hoku run) starts it; the app's dynos get its config vars.");
  return 0;
}

export async function addonInfo(name: string, flags: AppFlags & AppFlag): Promise<number> {
  const deployed = deployedApp(flags);
  if (deployed) return infoDeployed(deployed, name);
  const all = load(flags);
  const addon = find(all, name);
  out(`=== ${addon.name}`);
  const rows: [string, string][] = [
    ["Attachments", attachments(addon, all).join(", ")],
    ["Installed at", addon.createdAt],
    ["Plan", `${addon.service}:${addon.plan}`],
    ["Port", `127.0.0.1:${addon.port} (another free one when taken)`],
    ["Declared in", addon.source === "app.json" ? "app.json" : "hoku addons:create"],
    ["Data", join(all.stateDir, "addons", addon.name)],
  ];
  if (Object.keys(addon.options).length > 0) rows.push(["Options", JSON.stringify(addon.options)]);
  const width = Math.max(...rows.map(([k]) => k.length)) + 1;
  for (const [key, value] of rows) out(`${`${key}:`.padEnd(width)} ${value}`);
  return 0;
}

export async function destroyAddon(name: string, flags: AppFlags & AppFlag & { confirm?: string }): Promise<number> {
  const deployed = deployedApp(flags);
  if (deployed) return destroyDeployed(deployed, name, flags.confirm);
  const all = load(flags);
  const addon = find(all, name);
  if (flags.confirm !== all.app.name)
    throw new HokuError(`destroying ${addon.name} deletes its data; confirm with the app name\n    hint: hoku addons:destroy ${addon.name} --confirm ${all.app.name}`);
  requireNoOwner(all.appId, all.app.name, `${addon.name} cannot be destroyed under it`);
  await action(`Destroying ${addon.name} on ⬢ ${all.app.name}`, async () => {
    const dataDir = addonDataDir(all.stateDir, addon);
    for (const provider of PROVIDERS) await provider.destroy(addon, all.appId, dataDir).catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
    updateAddonState(all.stateDir, (current) => ({ ...current, addons: current.addons.filter((a) => a.id !== addon.id), primary: current.primary === addon.id ? undefined : current.primary }));
  });
  if (addon.source === "app.json") out(`note: app.json still declares ${addon.service}; the next hoku start provisions a new, empty one.`);
  return 0;
}

export async function promote(name: string, flags: AppFlags): Promise<number> {
  const all = load(flags);
  const addon = find(all, name);
  if (addon.service !== "heroku-postgresql") throw new HokuError(`${addon.name} is not a Postgres database`);
  await action("Ensuring an alternate alias for existing DATABASE_URL", () => {});
  await action(`Promoting ${addon.name} to DATABASE_URL on ⬢ ${all.app.name}`, () => updateAddonState(all.stateDir, (current) => ({ ...current, primary: addon.id })));
  out("The dynos get the new DATABASE_URL at the next hoku start.");
  return 0;
}


/** Rebuilds the app's records from the copies kept in its add-ons' data folders (after damage to hoku.db). */
export async function repairAddons(flags: AppFlags): Promise<number> {
  const app = readApp(flags);
  const stateDir = appStateDir(app.dir);
  const found = recordsInDataFolders(stateDir);
  const state = replaceAddonState(stateDir, { addons: found });
  out(`Rebuilt ${state.addons.length} add-on record(s) of ${app.name} from ${join(stateDir, "addons")}${state.addons.length ? `: ${state.addons.map((a) => a.name).join(", ")}` : ""}`);
  return 0;
}
