/**
 * Heroku Postgres backups and restores of deployed apps (`pg:backups:capture`,
 * `pg:backups:restore`), run by the platform: pg_dump of a running database to
 * `platform/backups/<app id>/b001.dump` (0600, written under a temp name and kept only when
 * pg_dump succeeds), pg_restore of such a dump into a database. Each is a transfer record with
 * the tool's own verbose lines as its logs; the call returns when it is finished.
 */
import { closeSync, constants, existsSync, openSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Endpoint } from "../addons/catalog.ts";
import { postgresTool, splitPassword } from "../addons/postgres-tools.ts";
import { runCaptured } from "../runtime/run-captured.ts";
import type { OwnedAddon } from "./addon-attachments.ts";
import { invalid } from "./api/http.ts";
import { endpointUrl, postgresStats } from "./postgres-stats.ts";
import { findTransfer, finishTransfer, startTransfer, type TransferLog, type TransferRecord } from "./records/transfers.ts";
import { ensureOwnedDir } from "./state-dir.ts";
import type { Database } from "bun:sqlite";

/** How many of a tool's lines a transfer keeps. */
const MAX_LOG_LINES = 500;

/** `b001` for a backup, `r002` for a restore, as the heroku CLI names transfers. */
export function transferName(t: Pick<TransferRecord, "kind" | "num">): string {
  return `${t.kind === "backup" ? "b" : "r"}${String(t.num).padStart(3, "0")}`;
}

export class PostgresTransfers {
  constructor(
    readonly db: Database,
    /** The platform's folder: dumps go to `backups/<app id>/`. */
    readonly dir: string,
  ) {}

  backupsDir(appId: string): string {
    ensureOwnedDir(join(this.dir, "backups"));
    return ensureOwnedDir(join(this.dir, "backups", appId));
  }

  dumpFile(backup: TransferRecord): string {
    return join(this.backupsDir(backup.app_id), `${transferName(backup)}.dump`);
  }

  /** pg:backups:capture: a dump of the database named `fromName` (DATABASE) on its app. */
  async capture(owned: OwnedAddon, endpoint: Endpoint | undefined, fromName: string): Promise<TransferRecord> {
    if (!endpoint) throw invalid(`${owned.addon.name} is not running, so it cannot be backed up: the platform's log says why it did not start.`);
    const dir = this.backupsDir(owned.owner.id);
    // Dumps `hoku pg:backups:capture` wrote before the platform kept records: never overwrite them.
    const taken = Math.max(0, ...readdirSync(dir).map((f) => Number(/^[br](\d+)\.dump$/.exec(f)?.[1] ?? 0)));
    const transfer = startTransfer(this.db, { app_id: owned.owner.id, addon_id: owned.addon.id, kind: "backup", from_name: fromName, to_name: "BACKUP" }, taken);
    const file = this.dumpFile(transfer);
    const partial = `${file}.partial`;
    const stats = await postgresStats(endpoint);
    let result: { code: number; stderr: string } = { code: 1, stderr: "" };
    try {
      closeSync(openSync(partial, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600));
      const { url, password } = splitPassword(endpointUrl(endpoint));
      // Asynchronous: an embedded (PGlite) database is served by this very process.
      result = await runCaptured([postgresTool("pg_dump"), "--format=custom", "--no-owner", "--verbose", `--file=${partial}`, url], { env: { ...process.env, PGPASSWORD: password } });
      if (result.code === 0) renameSync(partial, file);
    } catch (error) {
      result = { code: 1, stderr: `${result.stderr}\n${error instanceof Error ? error.message : String(error)}`.trim() };
    } finally {
      rmSync(partial, { force: true });
    }
    const logs = toLogs(result.stderr);
    if (result.code !== 0) logs.push(log(`pg_dump exited with status ${result.code}; no backup was kept (pg_dump must be at least as new as the server: PG ${stats?.version ?? "?"})`));
    finishTransfer(this.db, transfer.id, { succeeded: result.code === 0, sourceBytes: stats?.bytes ?? 0, processedBytes: existsSync(file) ? statSync(file).size : 0, logs });
    return findTransfer(this.db, transfer.app_id, transfer.id)!;
  }

  /** pg:backups:restore: `backup` (a finished one, of any app) into the database named `toName`. */
  async restore(owned: OwnedAddon, endpoint: Endpoint | undefined, toName: string, backup: TransferRecord): Promise<TransferRecord> {
    if (!endpoint) throw invalid(`${owned.addon.name} is not running, so nothing can be restored into it: the platform's log says why it did not start.`);
    const file = this.dumpFile(backup);
    if (backup.kind !== "backup" || backup.succeeded !== 1 || !existsSync(file)) throw invalid(`${transferName(backup)} is not a finished backup with its dump kept.`);
    const transfer = startTransfer(this.db, { app_id: owned.owner.id, addon_id: owned.addon.id, kind: "restore", from_name: transferName(backup), to_name: toName });
    const { url, password } = splitPassword(endpointUrl(endpoint));
    let result: { code: number; stderr: string };
    try {
      result = await runCaptured([postgresTool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--verbose", `--dbname=${url}`, file], { env: { ...process.env, PGPASSWORD: password } });
    } catch (error) {
      result = { code: 1, stderr: error instanceof Error ? error.message : String(error) };
    }
    const logs = toLogs(result.stderr);
    if (result.code !== 0) logs.push(log(`pg_restore exited with status ${result.code}`));
    const size = statSync(file).size;
    finishTransfer(this.db, transfer.id, { succeeded: result.code === 0, sourceBytes: size, processedBytes: size, logs });
    return findTransfer(this.db, transfer.app_id, transfer.id)!;
  }
}

function log(message: string): TransferLog {
  return { created_at: new Date().toISOString(), message };
}

function toLogs(stderr: string): TransferLog[] {
  return stderr.split("\n").filter((l) => l.trim() !== "").slice(-MAX_LOG_LINES).map(log);
}
