/**
 * App records of the platform (platform.db `apps`): Heroku's app names (3 to 30 characters of
 * lower-case letters, digits and dashes, starting with a letter) and Heroku-style random ones.
 */
import type { Database } from "bun:sqlite";
import { randomInt } from "../random.ts";

export interface AppRecord {
  readonly id: string;
  readonly name: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly maintenance: number;
  /** JSON array of buildpack URLs/names, in order. */
  readonly buildpacks: string;
  readonly stack: string;
  readonly released_at: string | null;
  /** JSON object: feature name -> enabled. */
  readonly features: string;
}

export const APP_NAME = /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/;

const ADJECTIVES = ["calm", "shiny", "brave", "quiet", "swift", "sunny", "misty", "gentle", "bold", "lively", "polar", "rapid", "serene", "vast", "young", "ancient"];
const NOUNS = ["river", "meadow", "harbor", "forest", "canyon", "island", "summit", "valley", "glacier", "prairie", "lagoon", "ridge", "delta", "atoll", "tundra", "dune"];

/** `calm-river-41234`, as Heroku names apps when no name is given. */
export function randomAppName(): string {
  return `${ADJECTIVES[randomInt(0, ADJECTIVES.length)]}-${NOUNS[randomInt(0, NOUNS.length)]}-${randomInt(10000, 100000)}`;
}

export function findApp(db: Database, nameOrId: string): AppRecord | undefined {
  return db.query<AppRecord, [string, string]>("SELECT * FROM apps WHERE name = ? OR id = ?").get(nameOrId, nameOrId) ?? undefined;
}

export function listApps(db: Database): AppRecord[] {
  return db.query<AppRecord, []>("SELECT * FROM apps ORDER BY name").all();
}

export function insertApp(db: Database, name: string, options: { buildpacks?: readonly string[]; stack?: string } = {}): AppRecord {
  const now = new Date().toISOString();
  db.query("INSERT INTO apps (id, name, created_at, updated_at, buildpacks, stack) VALUES (?, ?, ?, ?, ?, ?)").run(
    crypto.randomUUID(),
    name,
    now,
    now,
    JSON.stringify(options.buildpacks ?? []),
    options.stack ?? "heroku-24",
  );
  return findApp(db, name)!;
}

export function updateApp(db: Database, id: string, changes: Partial<Pick<AppRecord, "name" | "maintenance" | "buildpacks" | "released_at" | "features">>): AppRecord {
  const fields = Object.entries(changes).filter(([, v]) => v !== undefined);
  if (fields.length > 0)
    db.query(`UPDATE apps SET ${fields.map(([k]) => `${k} = ?`).join(", ")}, updated_at = ? WHERE id = ?`).run(...fields.map(([, v]) => v as string | number | null), new Date().toISOString(), id);
  return findApp(db, id)!;
}

export function deleteApp(db: Database, id: string): void {
  db.transaction(() => {
    for (const table of ["config_vars", "formation", "slugs", "builds", "releases", "pg_transfers", "scheduler_jobs"]) db.query(`DELETE FROM ${table} WHERE app_id = ?`).run(id);
    db.query("DELETE FROM apps WHERE id = ?").run(id);
  })();
}
