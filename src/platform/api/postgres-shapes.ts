/**
 * The Heroku Postgres API's records (the data host, `/client/v11/...`) as the heroku CLI reads
 * them: a database's `info` rows (pg:info prints them in order), and transfers (pg:backups).
 * Times are Heroku's `2016-10-01 00:42:54 +0000`.
 */
import type { OwnedAddon } from "../addon-attachments.ts";
import { formatBytes, type PostgresStats } from "../postgres-stats.ts";
import { transferName } from "../postgres-transfers.ts";
import type { TransferLog, TransferRecord } from "../records/transfers.ts";

/** `2026-12-01 09:12:38 +0000`. */
export function dataTime(iso: string | null): string | null {
  return iso === null ? null : `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000`;
}

/** `essential-0` as Heroku shows plans: `Essential 0`. */
function planTitle(plan: string): string {
  return plan.split("-").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(" ");
}

/** `resourceUrl`: the database's URL without its password (the CLI matches it to config vars by host, port and path). */
export function databaseShape({ addon }: OwnedAddon, stats: PostgresStats | undefined, resourceUrl: string | null) {
  const row = (name: string, value: string | undefined) => ({ name, values: value === undefined ? [] : [value] });
  return {
    addon_id: addon.id,
    name: addon.name,
    plan: addon.plan,
    resource_url: resourceUrl,
    postgres_version: stats?.version ?? null,
    num_bytes: stats?.bytes ?? null,
    num_tables: stats?.tables ?? null,
    num_connections: stats?.connections ?? null,
    created_at: dataTime(addon.createdAt),
    info: [
      row("Plan", planTitle(addon.plan)),
      row("Status", stats ? "Available" : "Unavailable (not running: the platform's log says why)"),
      row("Connections", stats && String(stats.connections)),
      row("PG Version", stats?.version),
      row("Created", addon.createdAt.slice(0, 16).replace("T", " ")),
      row("Data Size", stats && formatBytes(stats.bytes)),
      row("Tables", stats && String(stats.tables)),
      row("Fork/Follow", "Unsupported"),
      row("Rollback", "Unsupported"),
      row("Continuous Protection", "Off"),
    ],
  };
}

/** `url`: where the dump is (backups), for pg:backups:restore to name it; `verbose` adds the logs. */
export function transferShape(t: TransferRecord, url: string | null, verbose: boolean) {
  const backup = t.kind === "backup";
  return {
    uuid: t.id,
    num: t.num,
    name: transferName(t),
    from_type: backup ? "pg_dump" : "gof3r",
    from_name: t.from_name,
    from_url: backup ? null : url,
    to_type: backup ? "gof3r" : "pg_restore",
    to_name: t.to_name,
    to_url: backup ? url : null,
    options: {},
    source_bytes: t.source_bytes,
    processed_bytes: t.processed_bytes,
    succeeded: t.succeeded === 1,
    warnings: t.warnings,
    schedule: null,
    created_at: dataTime(t.created_at),
    started_at: dataTime(t.started_at),
    finished_at: dataTime(t.finished_at),
    updated_at: dataTime(t.finished_at ?? t.started_at ?? t.created_at),
    canceled_at: null,
    deleted_at: null,
    ...(verbose && { logs: (JSON.parse(t.logs) as TransferLog[]).map((l) => ({ created_at: dataTime(l.created_at), message: l.message })) }),
  };
}
