/**
 * The hoku that serves an app's add-ons now (a running `hoku start`, or a `hoku run` that
 * started them): one row of the state database, with its pid, its process start time and,
 * once they answer, the add-ons' config vars. Claimed in a transaction, so two hoku cannot
 * both start the same add-ons. A row whose pid is gone, or is now another process (another
 * start time), is stale and ignored: a planted or leftover row is never a lock.
 */
import { processStartTime } from "../runtime/proc-stats.ts";
import { inTransaction, stateDb } from "./state-db.ts";

export interface AddonOwner {
  readonly pid: number;
  /** The add-ons' config vars; empty while the owner is still starting them. */
  readonly vars: Readonly<Record<string, string>>;
  /** A `hoku start`, which serves them for as long as it runs: another hoku start may use them too (a `hoku run`'s go with its command). */
  readonly shares: boolean;
}

interface Row {
  readonly pid: number;
  readonly started: string;
  readonly vars: string;
  readonly shares: number;
}

function live(row: Row | null): AddonOwner | undefined {
  if (!row || row.pid === process.pid || processStartTime(row.pid) !== row.started) return undefined;
  let vars: Record<string, string> = {};
  try {
    const parsed = JSON.parse(row.vars) as unknown;
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) vars = Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {}
  return { pid: row.pid, vars, shares: row.shares === 1 };
}

function read(appId: string): Row | null {
  return stateDb().query<Row, [string]>("SELECT pid, started, vars, shares FROM addon_owners WHERE app_id = ?").get(appId);
}

/** Another live hoku serving the app's add-ons, if any. */
export function currentOwner(appId: string): AddonOwner | undefined {
  return live(read(appId));
}

/** Claims the app's add-ons for this process (`shares`: see AddonOwner); returns the live owner instead if there is one. */
export function claimOwner(appId: string, shares = false): AddonOwner | undefined {
  const db = stateDb();
  return inTransaction(db, () => {
    const other = live(read(appId));
    if (other) return other;
    db.query("INSERT OR REPLACE INTO addon_owners (app_id, pid, started, vars, shares) VALUES (?, ?, ?, '{}', ?)").run(appId, process.pid, processStartTime(process.pid) ?? "", shares ? 1 : 0);
    return undefined;
  });
}

/** Says where the add-ons answer, for `hoku run` and the tools to reuse. */
export function publishVars(appId: string, vars: Readonly<Record<string, string>>): void {
  stateDb().query("UPDATE addon_owners SET vars = ? WHERE app_id = ? AND pid = ?").run(JSON.stringify(vars), appId, process.pid);
}

/** Gives the claim up (only this process's). */
export function releaseOwner(appId: string): void {
  stateDb().query("DELETE FROM addon_owners WHERE app_id = ? AND pid = ?").run(appId, process.pid);
}
