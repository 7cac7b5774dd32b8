/**
 * The app's add-ons as hoku keeps them: `addons.json` in the app's state folder.
 * Written atomically; created by app.json on start and by `hoku addons:create`,
 * removed only by `hoku addons:destroy`.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Addon } from "../addons/addon.ts";

export interface AddonState {
  readonly addons: readonly Addon[];
  /** The add-on `pg:promote` made primary (holder of DATABASE_URL). */
  readonly primary?: string;
}

export function readAddonState(stateDir: string): AddonState {
  const file = join(stateDir, "addons.json");
  if (!existsSync(file)) return { addons: [] };
  return JSON.parse(readFileSync(file, "utf8")) as AddonState;
}

export function writeAddonState(stateDir: string, state: AddonState): void {
  const file = join(stateDir, "addons.json");
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}
