/**
 * Heroku Scheduler's jobs of an app (platform.db `scheduler_jobs`): a command, its schedule
 * (src/app/schedule.ts), the dyno size it runs on and when it last ran. Numbered across the
 * platform, as the scheduler numbers its jobs; they go with the app's scheduler add-on.
 */
import type { Database } from "bun:sqlite";
import type { Schedule } from "../../app/schedule.ts";

export interface SchedulerJobRecord {
  readonly id: number;
  readonly app_id: string;
  readonly command: string;
  readonly every: number;
  readonly at: number;
  readonly dyno_size: string;
  /** When its last dyno started, if it has run. */
  readonly last_run_at: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface SchedulerJobFields extends Schedule {
  readonly command: string;
  readonly dyno_size: string;
}

export function listSchedulerJobs(db: Database, appId?: string): SchedulerJobRecord[] {
  if (appId === undefined) return db.query<SchedulerJobRecord, []>("SELECT * FROM scheduler_jobs ORDER BY id").all();
  return db.query<SchedulerJobRecord, [string]>("SELECT * FROM scheduler_jobs WHERE app_id = ? ORDER BY id").all(appId);
}

export function findSchedulerJob(db: Database, appId: string, id: number): SchedulerJobRecord | undefined {
  return db.query<SchedulerJobRecord, [string, number]>("SELECT * FROM scheduler_jobs WHERE app_id = ? AND id = ?").get(appId, id) ?? undefined;
}

export function insertSchedulerJob(db: Database, appId: string, job: SchedulerJobFields): SchedulerJobRecord {
  const now = new Date().toISOString();
  return db
    .query<SchedulerJobRecord, [string, string, number, number, string, string, string]>(
      "INSERT INTO scheduler_jobs (app_id, command, every, at, dyno_size, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *",
    )
    .get(appId, job.command, job.every, job.at, job.dyno_size, now, now)!;
}

export function updateSchedulerJob(db: Database, appId: string, id: number, job: SchedulerJobFields): SchedulerJobRecord | undefined {
  return (
    db
      .query<SchedulerJobRecord, [string, number, number, string, string, string, number]>(
        "UPDATE scheduler_jobs SET command = ?, every = ?, at = ?, dyno_size = ?, updated_at = ? WHERE app_id = ? AND id = ? RETURNING *",
      )
      .get(job.command, job.every, job.at, job.dyno_size, new Date().toISOString(), appId, id) ?? undefined
  );
}

export function deleteSchedulerJob(db: Database, appId: string, id: number): boolean {
  return db.query("DELETE FROM scheduler_jobs WHERE app_id = ? AND id = ?").run(appId, id).changes > 0;
}

/** The app's scheduler add-on is gone: its jobs go with it. */
export function deleteSchedulerJobsOf(db: Database, appId: string): void {
  db.query("DELETE FROM scheduler_jobs WHERE app_id = ?").run(appId);
}

export function markSchedulerJobRun(db: Database, id: number, at: Date): void {
  db.query("UPDATE scheduler_jobs SET last_run_at = ? WHERE id = ?").run(at.toISOString(), id);
}
