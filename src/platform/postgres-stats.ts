/**
 * What `pg:info` reports about a running Postgres, asked of the database itself: its version,
 * size, tables and connections. Unnamed statements only: embedded PGlite shares one session
 * between connections (see readiness.ts).
 */
import type { Endpoint } from "../addons/catalog.ts";

export interface PostgresStats {
  readonly version: string;
  readonly bytes: number;
  readonly tables: number;
  readonly connections: number;
}

export function endpointUrl(e: Endpoint): string {
  return `postgres://${encodeURIComponent(e.user)}:${encodeURIComponent(e.password)}@${e.host}:${e.port}/${e.database}`;
}

/** The database's numbers, or undefined when it does not answer within a few seconds. */
export async function postgresStats(endpoint: Endpoint): Promise<PostgresStats | undefined> {
  const sql = new Bun.SQL(endpointUrl(endpoint), { max: 1, idleTimeout: 1, connectionTimeout: 3, tls: false, prepare: false });
  try {
    const [row] = await sql`
      select current_setting('server_version') as version,
             pg_database_size(current_database())::bigint as bytes,
             (select count(*) from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema'))::int as tables,
             (select count(*) from pg_stat_activity where datname = current_database())::int as connections`;
    return { version: String(row.version).split(" ")[0]!, bytes: Number(row.bytes), tables: Number(row.tables), connections: Number(row.connections) };
  } catch {
    return undefined;
  } finally {
    await sql.close().catch(() => {});
  }
}

/** `7.6 MB`, as pg:info prints sizes. */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
