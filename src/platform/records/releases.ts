/**
 * The release ledger (platform.db `releases`, RL-1..RL-4): v1, v2, ... per app, each with its
 * description, the slug it runs and a snapshot of the config vars. A release is `pending` while
 * its release phase runs, then `succeeded` or `failed`; the current release is the newest
 * succeeded one. Every new release is written in the same transaction as what it records.
 */
import type { Database } from "bun:sqlite";
import { configOf } from "./config.ts";

export type ReleaseStatus = "pending" | "succeeded" | "failed";

export interface ReleaseRecord {
  readonly id: string;
  readonly app_id: string;
  readonly version: number;
  readonly description: string;
  readonly slug_id: string | null;
  /** JSON snapshot of the config vars. */
  readonly config: string;
  readonly status: ReleaseStatus;
  readonly output: string;
  readonly created_at: string;
  readonly updated_at: string;
}

export function currentRelease(db: Database, appId: string): ReleaseRecord | undefined {
  return db.query<ReleaseRecord, [string]>("SELECT * FROM releases WHERE app_id = ? AND status = 'succeeded' ORDER BY version DESC LIMIT 1").get(appId) ?? undefined;
}

export function listReleases(db: Database, appId: string): ReleaseRecord[] {
  return db.query<ReleaseRecord, [string]>("SELECT * FROM releases WHERE app_id = ? ORDER BY version").all(appId);
}

export function findRelease(db: Database, appId: string, versionOrId: string): ReleaseRecord | undefined {
  const version = /^v?(\d+)$/.exec(versionOrId)?.[1];
  return (
    (version
      ? db.query<ReleaseRecord, [string, number]>("SELECT * FROM releases WHERE app_id = ? AND version = ?").get(appId, Number(version))
      : db.query<ReleaseRecord, [string, string]>("SELECT * FROM releases WHERE app_id = ? AND id = ?").get(appId, versionOrId)) ?? undefined
  );
}

/**
 * Records a new release of `appId`, numbered after the last one, running `slugId` (default: the
 * current release's) with the app's config as it is now. Call inside the transaction that
 * changed what it records.
 */
export function insertRelease(db: Database, appId: string, description: string, options: { slugId?: string | null; status?: ReleaseStatus } = {}): ReleaseRecord {
  const last = db.query<{ version: number }, [string]>("SELECT MAX(version) AS version FROM releases WHERE app_id = ?").get(appId)?.version ?? 0;
  const slugId = options.slugId !== undefined ? options.slugId : (currentRelease(db, appId)?.slug_id ?? null);
  const now = new Date().toISOString();
  const id = crypto.randomUUID();
  db.query("INSERT INTO releases (id, app_id, version, description, slug_id, config, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)").run(
    id,
    appId,
    last + 1,
    description,
    slugId,
    JSON.stringify(configOf(db, appId)),
    options.status ?? "succeeded",
    now,
    now,
  );
  return findRelease(db, appId, id)!;
}

export function finishRelease(db: Database, id: string, status: ReleaseStatus, output = ""): void {
  db.query("UPDATE releases SET status = ?, output = ?, updated_at = ? WHERE id = ?").run(status, output, new Date().toISOString(), id);
}

export function configSnapshot(release: ReleaseRecord): Record<string, string> {
  return JSON.parse(release.config) as Record<string, string>;
}

/** Fails the app's pending releases (their release phase never finished), adding `note` to their output; returns how many. */
export function failPendingReleases(db: Database, appId: string, note: string): number {
  return db.query("UPDATE releases SET status = 'failed', output = output || ?, updated_at = ? WHERE app_id = ? AND status = 'pending'").run(note, new Date().toISOString(), appId).changes;
}
