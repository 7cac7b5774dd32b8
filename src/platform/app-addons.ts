/**
 * An app's add-ons at the platform edge: the records in hoku's state, kept in step with
 * app.json (each app.json add-on gets a record the first time it is seen; records go
 * only with `addons:destroy`), and what a run needs to start them.
 */
import { existsSync } from "node:fs";
import { basename } from "node:path";
import { type Addon, addonName, pickColor } from "../addons/addon.ts";
import type { Service } from "../addons/catalog.ts";
import { expectedAddonVars } from "../addons/config-vars.ts";
import { knownServices } from "../addons/validate-addons.ts";
import type { LoadedApp } from "./load-app.ts";
import { type AddonState, readAddonState, rebuildAddonState, recordsInDataFolders, updateAddonState } from "./addon-store.ts";
import { isPortFree } from "../runtime/port-probe.ts";
import { randomHex, randomInt } from "./random.ts";
import { appStateDir, appStateDirPath } from "./state-dir.ts";

export interface AppAddons {
  readonly appId: string;
  readonly stateDir: string;
  readonly state: AddonState;
  readonly services: readonly Service[];
}

/** What `addons:create` or app.json asks for. */
export interface AddonRequest {
  readonly service: string;
  readonly plan?: string;
  readonly as?: string;
  readonly options?: Readonly<Record<string, unknown>>;
  readonly source: Addon["source"];
  readonly key: string;
}

const random = () => randomInt(0, 2 ** 32) / 2 ** 32;

/** A free port on 127.0.0.1 from the range hoku gives add-ons. */
function newPort(taken: readonly number[]): number {
  for (let i = 0; i < 200; i++) {
    const port = 15000 + Math.floor(random() * 5000);
    if (!taken.includes(port) && isPortFree(port, "127.0.0.1")) return port;
  }
  throw new Error("no free port for an add-on in 15000-19999");
}

export function newAddon(request: AddonRequest, service: Service, existing: readonly Addon[]): Addon {
  const colors = existing.map((a) => a.color).filter((c): c is string => c !== undefined);
  return {
    id: randomHex(8),
    name: addonName(service.name, random(), random()),
    service: service.name,
    plan: request.plan ?? service.defaultPlan,
    as: request.as?.toUpperCase(),
    color: service.kind === "postgres" ? pickColor(colors, random()) : undefined,
    options: request.options ?? {},
    password: randomHex(16),
    port: newPort(existing.map((a) => a.port)),
    source: request.source,
    key: request.key,
    createdAt: new Date().toISOString(),
  };
}

/** The app.json add-ons hoku runs, each with the key that matches it to its record. */
function declared(app: LoadedApp, services: readonly Service[]) {
  const counts = new Map<string, number>();
  return app.appJson.addons.flatMap((spec) => {
    const ordinal = (counts.get(spec.service) ?? 0) + 1;
    counts.set(spec.service, ordinal);
    const service = services.find((s) => s.name === spec.service);
    // Not run by hoku: noted by validateAddons.
    return service ? [{ spec, service, key: spec.as ? `as:${spec.as.toUpperCase()}` : `${spec.service}#${ordinal}` }] : [];
  });
}

/**
 * The app's add-on records, creating those app.json declares and hoku has not seen yet (in one
 * transaction, so two hoku starting at once provision each add-on once). When the records are
 * gone but the add-ons' data folders keep copies of them (the database was moved aside), they
 * are rebuilt from there first, and `say` is told.
 */
export function appAddons(app: LoadedApp, say: (line: string) => void = () => {}): AppAddons {
  const stateDir = appStateDir(app.dir);
  const services = knownServices(app.hokuJson.services);
  let state = readAddonState(stateDir);
  if (state.addons.length === 0 && recordsInDataFolders(stateDir).length > 0) {
    state = rebuildAddonState(stateDir);
    say(`rebuilt ${state.addons.length} add-on record(s) of ${app.name} from their data folders (${stateDir}/addons)`);
  }
  const wanted = declared(app, services);
  if (wanted.some(({ key }) => !state.addons.some((a) => a.key === key)))
    state = updateAddonState(stateDir, (current) => {
      let next = current;
      for (const { spec, service, key } of wanted)
        if (!next.addons.some((a) => a.key === key)) next = { ...next, addons: [...next.addons, newAddon({ ...spec, source: "app.json", key }, service, next.addons)] };
      return next;
    });
  return { appId: basename(stateDir), stateDir, state, services };
}

/** The id the app's add-on records and their owner are kept under (its state folder's name), read without touching them. */
export function addonsAppId(app: LoadedApp): string {
  return basename(appStateDirPath(app.dir));
}

/** The image an add-on runs: hoku.json's override for its service, else the catalog's (none for a command-only hoku.json service). */
export function imageFor(app: LoadedApp, addon: Addon, service: Service): string | undefined {
  return app.hokuJson.images[service.name] ?? service.image?.(addon.options);
}

/** The vars the app's add-ons will set (each ""), found without provisioning anything (hoku check). */
export function plannedAddonVars(app: LoadedApp): Record<string, string> {
  const services = knownServices(app.hokuJson.services);
  const stateDir = appStateDirPath(app.dir);
  const records = existsSync(stateDir) ? readAddonState(stateDir).addons : [];
  const addons = [
    ...records.map((addon) => ({ addon, service: services.find((s) => s.name === addon.service) })),
    ...app.appJson.addons.map((spec) => ({ addon: { as: spec.as?.toUpperCase() }, service: services.find((s) => s.name === spec.service) })),
  ];
  return expectedAddonVars(addons.filter((a): a is typeof a & { service: Service } => a.service !== undefined));
}
