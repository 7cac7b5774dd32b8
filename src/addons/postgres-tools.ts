/**
 * The Postgres client tools hoku runs for backups (pg_dump, pg_restore): on PATH, else in
 * Debian's versioned folders (/usr/lib/postgresql/<v>/bin), the newest first.
 */
import { existsSync } from "node:fs";
import { HokuError } from "../app/problem.ts";

export function postgresTool(name: "pg_dump" | "pg_restore"): string {
  const found = Bun.which(name) ?? ["18", "17", "16", "15", "14"].map((v) => `/usr/lib/postgresql/${v}/bin/${name}`).find((p) => existsSync(p));
  if (!found) throw new HokuError(`${name} is not installed\n    hint: apt-get install postgresql-client`);
  return found;
}

/** A database URL without its password, and the password apart (for PGPASSWORD: argv is visible to every user). */
export function splitPassword(url: string): { url: string; password: string } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = "";
  return { url: u.toString(), password };
}
