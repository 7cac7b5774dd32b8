/**
 * The platform's state: `platform/platform.db` (bun:sqlite, WAL) in hoku's state folder, 0600.
 * Apps, their config vars, formation, builds, slugs and the release ledger; add-on attachments
 * made with addons:attach, Heroku Postgres transfers (backups, restores) and Heroku Scheduler's jobs. A release is
 * committed in one transaction with everything it names, so a SIGKILL of the platform at any
 * moment leaves either the whole release or none; after a restart every app comes back at its
 * current release (the newest `succeeded` one) and formation.
 */
import { Database } from "bun:sqlite";
import { chmodSync, existsSync } from "node:fs";
import { join } from "node:path";
import { HokuError } from "../app/problem.ts";
import { ensureOwnedDir, stateRoot } from "./state-dir.ts";

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS apps (
    id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    maintenance INTEGER NOT NULL DEFAULT 0, buildpacks TEXT NOT NULL DEFAULT '[]', stack TEXT NOT NULL DEFAULT 'heroku-24',
    released_at TEXT, features TEXT NOT NULL DEFAULT '{}', setup_pending TEXT
  );
  CREATE TABLE IF NOT EXISTS config_vars (app_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (app_id, key));
  CREATE TABLE IF NOT EXISTS formation (
    id TEXT NOT NULL, app_id TEXT NOT NULL, type TEXT NOT NULL, quantity INTEGER NOT NULL, size TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (app_id, type)
  );
  CREATE TABLE IF NOT EXISTS slugs (
    id TEXT PRIMARY KEY, app_id TEXT NOT NULL, commit_sha TEXT, description TEXT, process_types TEXT NOT NULL,
    size INTEGER NOT NULL, stack TEXT NOT NULL, buildpacks TEXT NOT NULL, created_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS builds (
    id TEXT PRIMARY KEY, app_id TEXT NOT NULL, status TEXT NOT NULL, commit_sha TEXT, slug_id TEXT, release_id TEXT,
    buildpacks TEXT NOT NULL DEFAULT '[]', output TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, updated_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS releases (
    id TEXT PRIMARY KEY, app_id TEXT NOT NULL, version INTEGER NOT NULL, description TEXT NOT NULL, slug_id TEXT,
    config TEXT NOT NULL, status TEXT NOT NULL, output TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    UNIQUE (app_id, version)
  );
  CREATE TABLE IF NOT EXISTS addon_attachments (
    id TEXT PRIMARY KEY, addon_id TEXT NOT NULL, owner_app_id TEXT NOT NULL, app_id TEXT NOT NULL, name TEXT NOT NULL,
    created_at TEXT NOT NULL, UNIQUE (app_id, name)
  );
  CREATE TABLE IF NOT EXISTS pg_transfers (
    id TEXT PRIMARY KEY, app_id TEXT NOT NULL, num INTEGER NOT NULL, addon_id TEXT NOT NULL, kind TEXT NOT NULL,
    from_name TEXT NOT NULL, to_name TEXT NOT NULL, source_bytes INTEGER NOT NULL, processed_bytes INTEGER NOT NULL,
    succeeded INTEGER, warnings INTEGER NOT NULL, logs TEXT NOT NULL, created_at TEXT NOT NULL, started_at TEXT,
    finished_at TEXT, deleted_at TEXT, UNIQUE (app_id, num)
  );
  CREATE TABLE IF NOT EXISTS scheduler_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, app_id TEXT NOT NULL, command TEXT NOT NULL, every INTEGER NOT NULL, at INTEGER NOT NULL,
    dyno_size TEXT NOT NULL, last_run_at TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
  );
`;

/** The platform's folder in hoku's state: `<state root>/platform`, checked like the state root. */
export function platformDir(root = stateRoot()): string {
  ensureOwnedDir(root);
  return ensureOwnedDir(join(root, "platform"));
}

/** Opens (and creates) the platform database. */
export function openPlatformDb(dir = platformDir()): Database {
  const file = join(dir, "platform.db");
  const fresh = !existsSync(file);
  try {
    const db = new Database(file, { create: true, strict: true });
    if (fresh) chmodSync(file, 0o600);
    db.exec("PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
    db.exec(SCHEMA);
    return db;
  } catch (error) {
    throw new HokuError(`${file} cannot be used: ${error instanceof Error ? error.message : String(error)}\n    hint: stop the platform (hoku platform:stop) and move the file aside to start with no apps`);
  }
}
