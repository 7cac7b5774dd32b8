/**
 * hoku's state database: `hoku.db` (bun:sqlite) in the state root, 0600 in hoku's own 0700
 * folder. It holds what several hoku processes read and change at once: each app's add-on
 * records and the marker of the hoku serving an app's add-ons. Every
 * read-modify-write is one IMMEDIATE transaction, so ten `addons:create` at once each see the
 * others' records, and a SIGKILL at any moment leaves the last committed state (WAL).
 * Add-on data (database files, backups) stays in each app's state folder.
 */
import { Database } from "bun:sqlite";
import { chmodSync, existsSync } from "node:fs";
import { join } from "node:path";
import { HokuError } from "../app/problem.ts";
import { ensureOwnedDir, stateRoot } from "./state-dir.ts";

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS addon_states (app_id TEXT PRIMARY KEY, state TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS addon_owners (app_id TEXT PRIMARY KEY, pid INTEGER NOT NULL, started TEXT NOT NULL, vars TEXT NOT NULL, shares INTEGER NOT NULL DEFAULT 0);
`;

/** Columns added since a table was first made: `ALTER TABLE` for a database made before them. */
const ADDED_COLUMNS = [{ table: "addon_owners", column: "shares", definition: "INTEGER NOT NULL DEFAULT 0" }];

const opened = new Map<string, Database>();

/** The state database of `root` (default: the user's state root), opened once per process. */
export function stateDb(root = stateRoot()): Database {
  const known = opened.get(root);
  if (known) return known;
  ensureOwnedDir(root);
  const file = join(root, "hoku.db");
  const fresh = !existsSync(file);
  let db: Database;
  try {
    db = new Database(file, { create: true, strict: true });
    if (fresh) chmodSync(file, 0o600);
    // The busy timeout first: turning WAL on and creating the tables wait for another hoku opening it too.
    db.exec("PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    db.exec(SCHEMA);
    for (const { table, column, definition } of ADDED_COLUMNS) {
      const has = db.query<{ name: string }, []>(`PRAGMA table_info(${table})`).all().some((c) => c.name === column);
      try {
        if (!has) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
      } catch (error) {
        if (!String(error).includes("duplicate column")) throw error; // another hoku added it first
      }
    }
  } catch (error) {
    throw new HokuError(
      `${file} cannot be used: ${error instanceof Error ? error.message : String(error)}\n    hint: move it aside (mv ${file} ${file}.broken); hoku then rebuilds each app's add-on records from their data folders (apps/*/addons/*/addon.json) at its next start`,
    );
  }
  opened.set(root, db);
  return db;
}

/** Runs `fn` in one IMMEDIATE transaction: no other hoku writes between its reads and its writes. */
export function inTransaction<T>(db: Database, fn: () => T): T {
  return db.transaction(fn).immediate();
}
