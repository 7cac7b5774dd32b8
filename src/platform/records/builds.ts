/** Builds (platform.db `builds`): one per push, with its transcript and what it produced. */
import type { Database } from "bun:sqlite";

export type BuildStatus = "pending" | "succeeded" | "failed";

export interface BuildRecord {
  readonly id: string;
  readonly app_id: string;
  readonly status: BuildStatus;
  readonly commit_sha: string | null;
  readonly slug_id: string | null;
  readonly release_id: string | null;
  /** JSON: [{name, url}]. */
  readonly buildpacks: string;
  readonly output: string;
  readonly created_at: string;
  readonly updated_at: string;
}

export function insertBuild(db: Database, appId: string, commitSha: string): BuildRecord {
  const now = new Date().toISOString();
  const id = crypto.randomUUID();
  db.query("INSERT INTO builds (id, app_id, status, commit_sha, created_at, updated_at) VALUES (?, ?, 'pending', ?, ?, ?)").run(id, appId, commitSha, now, now);
  return findBuild(db, id)!;
}

export function findBuild(db: Database, id: string): BuildRecord | undefined {
  return db.query<BuildRecord, [string]>("SELECT * FROM builds WHERE id = ?").get(id) ?? undefined;
}

export function listBuilds(db: Database, appId: string): BuildRecord[] {
  return db.query<BuildRecord, [string]>("SELECT * FROM builds WHERE app_id = ? ORDER BY created_at").all(appId);
}

export function finishBuild(db: Database, id: string, changes: { status: BuildStatus; output: string; slugId?: string; releaseId?: string; buildpacks?: string }): void {
  db.query("UPDATE builds SET status = ?, output = ?, slug_id = ?, release_id = ?, buildpacks = COALESCE(?, buildpacks), updated_at = ? WHERE id = ?").run(
    changes.status,
    changes.output,
    changes.slugId ?? null,
    changes.releaseId ?? null,
    changes.buildpacks ?? null,
    new Date().toISOString(),
    id,
  );
}

/** Fails every pending build (its push never finished), adding `note` to its output. */
export function failPendingBuilds(db: Database, note: string): void {
  db.query("UPDATE builds SET status = 'failed', output = output || ?, updated_at = ? WHERE status = 'pending'").run(note, new Date().toISOString());
}
