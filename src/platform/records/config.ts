/**
 * An app's config vars (platform.db `config_vars`). Changed only together with the release
 * that records them (releases.ts), in one transaction.
 */
import type { Database } from "bun:sqlite";

export function configOf(db: Database, appId: string): Record<string, string> {
  const rows = db.query<{ key: string; value: string }, [string]>("SELECT key, value FROM config_vars WHERE app_id = ? ORDER BY key").all(appId);
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

/** Sets (string) or removes (null) keys. */
export function writeConfig(db: Database, appId: string, changes: Readonly<Record<string, string | null>>): void {
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) db.query("DELETE FROM config_vars WHERE app_id = ? AND key = ?").run(appId, key);
    else db.query("INSERT INTO config_vars (app_id, key, value) VALUES (?, ?, ?) ON CONFLICT (app_id, key) DO UPDATE SET value = excluded.value").run(appId, key, value);
  }
}

/** Replaces every key (a rollback). */
export function replaceConfig(db: Database, appId: string, config: Readonly<Record<string, string>>): void {
  db.query("DELETE FROM config_vars WHERE app_id = ?").run(appId);
  writeConfig(db, appId, config);
}
