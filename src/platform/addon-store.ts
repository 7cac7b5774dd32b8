/**
 * The app's add-on records, as hoku keeps them: one row of the state database per app
 * (state-db.ts), changed only inside a transaction. Created by app.json on start and by
 * `hoku addons:create`, removed only by `hoku addons:destroy`.
 *
 * Each record is also copied, 0600, into its add-on's data folder (`addons/<name>/addon.json`):
 * if the database is lost, the records (names, ports, passwords) are rebuilt from there, so
 * the data they guard is never orphaned.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { Addon } from "../addons/addon.ts";
import { HokuError } from "../app/problem.ts";
import { inTransaction, stateDb } from "./state-db.ts";
import { ensureOwnedDir } from "./state-dir.ts";

export interface AddonState {
  readonly addons: readonly Addon[];
  /** The add-on `pg:promote` made primary (holder of DATABASE_URL). */
  readonly primary?: string;
}

const EMPTY: AddonState = { addons: [] };

/** The add-on's data folder in the app's state folder. */
export function addonDataDir(stateDir: string, addon: Pick<Addon, "name">): string {
  return join(stateDir, "addons", addon.name);
}

/** What is wrong with a stored record, or undefined when it has the shape hoku writes. */
function recordProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "an add-on record is not an object";
  const record = value as Record<string, unknown>;
  for (const field of ["id", "name", "service", "plan", "password", "key", "source", "createdAt"])
    if (typeof record[field] !== "string") return `an add-on record has no string "${field}"`;
  if (!/^[a-z0-9-]+$/.test(record.name as string)) return `the add-on name ${JSON.stringify(record.name)} is not one hoku makes`;
  if (!Number.isInteger(record.port)) return `add-on ${record.name} has no port number`;
  if (typeof record.options !== "object" || record.options === null) return `add-on ${record.name} has no options object`;
  return undefined;
}

/** Parses stored state, or throws naming where it came from and what would be lost. */
function parseState(text: string, where: string, stateDir: string): AddonState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const state = value as { addons?: unknown; primary?: unknown } | undefined;
  const problem =
    typeof state !== "object" || state === null || !Array.isArray(state.addons)
      ? "it is not {\"addons\": [...]}"
      : (state.addons.map(recordProblem).find((p) => p !== undefined) ?? (state.primary !== undefined && typeof state.primary !== "string" ? "its primary is not an add-on id" : undefined));
  if (problem) {
    const folders = existsSync(join(stateDir, "addons")) ? readdirSync(join(stateDir, "addons")).map((n) => join(stateDir, "addons", n)) : [];
    throw new HokuError(
      `the add-on records of ${basename(stateDir)} (${where}) are damaged: ${problem}\n    hint: the add-ons' data is kept in ${folders.length > 0 ? folders.join(", ") : "no data folder yet"} (and their Docker volumes hoku-${basename(stateDir)}-*); hoku addons:repair rebuilds the records from those folders`,
    );
  }
  return state as AddonState;
}

/**
 * The records kept in the add-ons' data folders (`addons/<name>/addon.json`), oldest first (by
 * name when created in the same millisecond). Which Postgres was promoted is not kept there:
 * after a rebuild DATABASE_URL is the first one's again.
 */
export function recordsInDataFolders(stateDir: string): Addon[] {
  const root = join(stateDir, "addons");
  if (!existsSync(root)) return [];
  const records: Addon[] = [];
  for (const name of readdirSync(root)) {
    const file = join(root, name, "addon.json");
    if (!existsSync(file)) continue;
    let record: unknown;
    try {
      record = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      continue;
    }
    if (recordProblem(record) === undefined && (record as Addon).name === name) records.push(record as Addon);
  }
  return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name));
}

function row(stateDir: string): string | undefined {
  return stateDb().query<{ state: string }, [string]>("SELECT state FROM addon_states WHERE app_id = ?").get(basename(stateDir))?.state;
}

export function readAddonState(stateDir: string): AddonState {
  const text = row(stateDir);
  return text === undefined ? EMPTY : parseState(text, "hoku.db", stateDir);
}

/** Reads, changes and writes the app's records in one transaction; returns the new state. */
export function updateAddonState(stateDir: string, change: (state: AddonState) => AddonState): AddonState {
  const db = stateDb();
  const next = inTransaction(db, () => {
    const text = row(stateDir);
    const updated = change(text === undefined ? EMPTY : parseState(text, "hoku.db", stateDir));
    db.query("INSERT INTO addon_states (app_id, state) VALUES (?, ?) ON CONFLICT (app_id) DO UPDATE SET state = excluded.state").run(basename(stateDir), JSON.stringify(updated));
    return updated;
  });
  for (const addon of next.addons) keepCopy(stateDir, addon);
  return next;
}

/**
 * Records the provider an add-on was first started on (its data is there: addon.ts `servedBy`).
 * A later start elsewhere (`--addons`) leaves the record: the data stays where it was.
 */
export function recordServedBy(stateDir: string, addonId: string, servedBy: NonNullable<Addon["servedBy"]>): void {
  if (readAddonState(stateDir).addons.find((a) => a.id === addonId)?.servedBy !== undefined) return;
  updateAddonState(stateDir, (state) => ({ ...state, addons: state.addons.map((a) => (a.id === addonId ? { ...a, servedBy } : a)) }));
}

/** Sets the app's records, whatever was stored (addons:repair replaces damaged ones). */
export function replaceAddonState(stateDir: string, state: AddonState): AddonState {
  const db = stateDb();
  db.query("INSERT INTO addon_states (app_id, state) VALUES (?, ?) ON CONFLICT (app_id) DO UPDATE SET state = excluded.state").run(basename(stateDir), JSON.stringify(state));
  for (const addon of state.addons) keepCopy(stateDir, addon);
  return state;
}

/** Rebuilds the app's records from its add-ons' data folders (after the database was lost); returns them. */
export function rebuildAddonState(stateDir: string): AddonState {
  const found = recordsInDataFolders(stateDir);
  return updateAddonState(stateDir, (state) => ({ ...state, addons: [...state.addons, ...found.filter((f) => !state.addons.some((a) => a.id === f.id))] }));
}

function keepCopy(stateDir: string, addon: Addon): void {
  const dir = ensureOwnedDir(addonDataDir(stateDir, addon));
  const file = join(dir, "addon.json");
  if (existsSync(file)) return;
  try {
    writeFileSync(file, `${JSON.stringify(addon, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another hoku wrote it first (two addons:create at once both keep every add-on's copy): it is there.
    if ((error as { code?: string }).code !== "EEXIST") throw error;
  }
}
