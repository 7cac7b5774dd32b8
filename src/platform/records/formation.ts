/**
 * An app's formation (platform.db `formation`): how many dynos of each process type, and
 * their size. Heroku's default on the first deploy: web 1, every other type 0.
 */
import type { Database } from "bun:sqlite";

export interface FormationRecord {
  readonly id: string;
  readonly app_id: string;
  readonly type: string;
  readonly quantity: number;
  readonly size: string;
  readonly created_at: string;
  readonly updated_at: string;
}

export const DEFAULT_SIZE = "Basic";

export function formationOf(db: Database, appId: string): FormationRecord[] {
  return db.query<FormationRecord, [string]>("SELECT * FROM formation WHERE app_id = ? ORDER BY type = 'web' DESC, type").all(appId);
}

export function setQuantity(db: Database, appId: string, type: string, quantity: number, size?: string): void {
  const now = new Date().toISOString();
  db.query(
    `INSERT INTO formation (id, app_id, type, quantity, size, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (app_id, type) DO UPDATE SET quantity = excluded.quantity, size = COALESCE(?, size), updated_at = excluded.updated_at`,
  ).run(crypto.randomUUID(), appId, type, quantity, size ?? DEFAULT_SIZE, now, now, size ?? null);
}

/** Adds the process types of a new slug that the formation lacks (web at 1, others at 0); keeps the rest. */
export function adoptTypes(db: Database, appId: string, types: readonly string[]): void {
  const known = new Set(formationOf(db, appId).map((f) => f.type));
  for (const type of types) if (!known.has(type)) setQuantity(db, appId, type, type === "web" ? 1 : 0);
}
