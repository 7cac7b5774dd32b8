/**
 * Slugs (platform.db `slugs`): what a build produced. The compiled app lives in
 * `platform/slugs/<id>/` (read-only to dynos: each dyno start copies it).
 */
import type { Database } from "bun:sqlite";

export interface SlugRecord {
  readonly id: string;
  readonly app_id: string;
  readonly commit_sha: string | null;
  readonly description: string | null;
  /** JSON: process type -> command. */
  readonly process_types: string;
  readonly size: number;
  readonly stack: string;
  /** JSON: [{name, url}]. */
  readonly buildpacks: string;
  readonly created_at: string;
}

export function findSlug(db: Database, id: string): SlugRecord | undefined {
  return db.query<SlugRecord, [string]>("SELECT * FROM slugs WHERE id = ?").get(id) ?? undefined;
}

/** How a deploy of `commit` is described: its release's description, and its slug's (HEROKU_SLUG_DESCRIPTION). */
export function deployDescription(commit: string): string {
  return `Deploy ${commit.slice(0, 8)}`;
}

export function insertSlug(db: Database, slug: Omit<SlugRecord, "created_at">): SlugRecord {
  db.query("INSERT INTO slugs (id, app_id, commit_sha, description, process_types, size, stack, buildpacks, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)").run(
    slug.id,
    slug.app_id,
    slug.commit_sha,
    slug.description,
    slug.process_types,
    slug.size,
    slug.stack,
    slug.buildpacks,
    new Date().toISOString(),
  );
  return findSlug(db, slug.id)!;
}

export function processTypesOf(slug: SlugRecord): Record<string, string> {
  return JSON.parse(slug.process_types) as Record<string, string>;
}

/** The ids of every slug the app has built. */
export function slugIdsOf(db: Database, appId: string): string[] {
  return db.query<{ id: string }, [string]>("SELECT id FROM slugs WHERE app_id = ?").all(appId).map((row) => row.id);
}
