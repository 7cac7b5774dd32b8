/**
 * Heroku Postgres transfers (platform.db `pg_transfers`): backups (pg_dump to a file, `b001`)
 * and restores (a file into a database, `r002`), numbered together per app as Heroku numbers
 * them. The dumps themselves are `platform/backups/<app id>/b001.dump`. A deleted backup keeps
 * its row (marked), so its number is never given again.
 */
import type { Database } from "bun:sqlite";

export type TransferKind = "backup" | "restore";

export interface TransferRecord {
  readonly id: string;
  /** The app that owns the database (its billing app). */
  readonly app_id: string;
  readonly num: number;
  readonly addon_id: string;
  readonly kind: TransferKind;
  /** Backups: the database's attachment (DATABASE); restores: the backup's name (b001). */
  readonly from_name: string;
  /** Backups: BACKUP; restores: the database's attachment. */
  readonly to_name: string;
  readonly source_bytes: number;
  readonly processed_bytes: number;
  /** 1 or 0 once finished, null while running. */
  readonly succeeded: number | null;
  readonly warnings: number;
  /** JSON: [{created_at, message}], the tool's own lines. */
  readonly logs: string;
  readonly created_at: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly deleted_at: string | null;
}

export interface TransferLog {
  readonly created_at: string;
  readonly message: string;
}

export function listTransfers(db: Database, appId: string): TransferRecord[] {
  return db.query<TransferRecord, [string]>("SELECT * FROM pg_transfers WHERE app_id = ? AND deleted_at IS NULL ORDER BY num").all(appId);
}

/** By uuid, or by number (`12`). */
export function findTransfer(db: Database, appId: string, idOrNum: string): TransferRecord | undefined {
  const by = /^\d+$/.test(idOrNum) ? "num" : "id";
  const query = `SELECT * FROM pg_transfers WHERE app_id = ? AND ${by} = ? AND deleted_at IS NULL`;
  return db.query<TransferRecord, [string, string | number]>(query).get(appId, /^\d+$/.test(idOrNum) ? Number(idOrNum) : idOrNum) ?? undefined;
}

/** A started transfer, numbered after the app's last one and after `atLeast` (dumps already in its folder). */
export function startTransfer(db: Database, transfer: Pick<TransferRecord, "app_id" | "addon_id" | "kind" | "from_name" | "to_name">, atLeast = 0): TransferRecord {
  return db.transaction(() => {
    const last = db.query<{ num: number | null }, [string]>("SELECT MAX(num) AS num FROM pg_transfers WHERE app_id = ?").get(transfer.app_id)?.num ?? 0;
    const now = new Date().toISOString();
    const id = crypto.randomUUID();
    db.query(
      "INSERT INTO pg_transfers (id, app_id, num, addon_id, kind, from_name, to_name, source_bytes, processed_bytes, succeeded, warnings, logs, created_at, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, NULL, 0, '[]', ?, ?)",
    ).run(id, transfer.app_id, Math.max(last, atLeast) + 1, transfer.addon_id, transfer.kind, transfer.from_name, transfer.to_name, now, now);
    return findTransfer(db, transfer.app_id, id)!;
  })();
}

export function finishTransfer(db: Database, id: string, result: { succeeded: boolean; sourceBytes: number; processedBytes: number; logs: readonly TransferLog[] }): void {
  db.query("UPDATE pg_transfers SET succeeded = ?, source_bytes = ?, processed_bytes = ?, logs = ?, finished_at = ? WHERE id = ?").run(
    result.succeeded ? 1 : 0,
    result.sourceBytes,
    result.processedBytes,
    JSON.stringify(result.logs),
    new Date().toISOString(),
    id,
  );
}

export function deleteTransfer(db: Database, id: string): void {
  db.query("UPDATE pg_transfers SET deleted_at = ? WHERE id = ?").run(new Date().toISOString(), id);
}
