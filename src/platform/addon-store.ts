/**
 * The app's add-ons as hoku keeps them: `addons.json` in the app's state folder.
 * Created by app.json on start and by `hoku addons:create`, removed only by
 * `hoku addons:destroy`.
 */
import { join } from "node:path";
import type { Addon } from "../addons/addon.ts";
import { readJson, writeJson } from "./json-file.ts";

export interface AddonState {
  readonly addons: readonly Addon[];
  /** The add-on `pg:promote` made primary (holder of DATABASE_URL). */
  readonly primary?: string;
}

export function readAddonState(stateDir: string): AddonState {
  return readJson<AddonState>(join(stateDir, "addons.json"), { addons: [] });
}

export function writeAddonState(stateDir: string, state: AddonState): void {
  writeJson(join(stateDir, "addons.json"), state);
}
