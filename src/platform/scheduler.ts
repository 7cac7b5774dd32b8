/**
 * Heroku Scheduler (OP-5) on the platform. An app that has the `scheduler` add-on has jobs
 * (records/scheduler-jobs.ts): each runs, when its time comes, as a detached one-off dyno
 * `scheduler.N` of the app's current release, logged as Heroku's scheduler logs it:
 *
 *   app[api]: Starting process with command `rake update_feed` by user scheduler@addons.heroku.com
 *   heroku[scheduler.8715]: Starting process with command `rake update_feed`
 *
 * with config vars expanded in those two lines, as Heroku does "for audit purposes" (Dev Center,
 * scheduler). Best effort, as Heroku's: a time that passes while the platform is stopped (or the
 * app has no release yet) is skipped, never made up; a job still running at its next time runs
 * beside the new one; a job's dyno is stopped once it has run for its interval.
 *
 * For labs the scheduler's clock can run faster than the wall clock (`hoku platform
 * --scheduler-speed 60`: a minute each second, so an every-10-minutes job runs every 10 s).
 */
import { intervalMs, nextRun, scheduleProblem, type Schedule } from "../app/schedule.ts";
import { invalid, notFound } from "./api/http.ts";
import { checkSize } from "./dyno-size.ts";
import { resolveProcessType } from "./one-off-command.ts";
import type { Platform } from "./platform.ts";
import type { AppRecord } from "./records/apps.ts";
import { configSnapshot } from "./records/releases.ts";
import { findSlug, processTypesOf } from "./records/slugs.ts";
import {
  deleteSchedulerJob,
  deleteSchedulerJobsOf,
  findSchedulerJob,
  insertSchedulerJob,
  listSchedulerJobs,
  markSchedulerJobRun,
  type SchedulerJobFields,
  type SchedulerJobRecord,
  updateSchedulerJob,
} from "./records/scheduler-jobs.ts";

/** The add-on service, and who its dynos are started by in the `app[api]` line. */
export const SCHEDULER_SERVICE = "scheduler";
const SCHEDULER_USER = "scheduler@addons.heroku.com";

/** What a client may give for a job (POST or PATCH /apps/:app/scheduler/jobs). */
export interface SchedulerJobInput {
  readonly command?: unknown;
  readonly every?: unknown;
  readonly at?: unknown;
  readonly dyno_size?: unknown;
}

/** `$NAME` and `${NAME}` replaced by the config var's value where the app has one: the command as Heroku logs it. */
export function expandForLog(command: string, config: Readonly<Record<string, string>>): string {
  return command.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (whole, braced?: string, bare?: string) => config[(braced ?? bare)!] ?? whole);
}

interface Due {
  readonly every: number;
  readonly at: number;
  /** On the scheduler's clock. */
  at_ms: number;
}

export class Scheduler {
  readonly #platform: Platform;
  /** How many times as fast as the wall clock the scheduler's clock runs (1: Heroku's). */
  readonly #speed: number;
  readonly #origin = Date.now();
  /** Per job id, when it is next due. */
  readonly #due = new Map<number, Due>();
  #timer: Timer | undefined;
  #running = false;

  constructor(platform: Platform, speed = 1) {
    this.#platform = platform;
    this.#speed = speed;
  }

  /** Starts running the jobs (the platform is up). */
  start(): void {
    this.#running = true;
    this.#refresh();
  }

  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
  }

  // ---- jobs ----

  jobs(app: AppRecord): SchedulerJobRecord[] {
    return listSchedulerJobs(this.#platform.db, app.id);
  }

  job(app: AppRecord, id: string): SchedulerJobRecord {
    const job = /^\d+$/.test(id) ? findSchedulerJob(this.#platform.db, app.id, Number(id)) : undefined;
    if (!job) throw notFound("scheduler job");
    return job;
  }

  add(app: AppRecord, input: SchedulerJobInput): SchedulerJobRecord {
    this.#addon(app);
    const job = insertSchedulerJob(this.#platform.db, app.id, fields(input));
    this.#refresh();
    return job;
  }

  update(app: AppRecord, id: string, input: SchedulerJobInput): SchedulerJobRecord {
    const job = this.job(app, id);
    const updated = updateSchedulerJob(this.#platform.db, app.id, job.id, fields(input, job))!;
    this.#refresh();
    return updated;
  }

  remove(app: AppRecord, id: string): SchedulerJobRecord {
    const job = this.job(app, id);
    deleteSchedulerJob(this.#platform.db, app.id, job.id);
    this.#refresh();
    return job;
  }

  /** The app's scheduler add-on was destroyed (or the app): its jobs go. */
  removeAll(appId: string): void {
    deleteSchedulerJobsOf(this.#platform.db, appId);
    this.#refresh();
  }

  /** When the job next runs, on the wall clock (while the platform runs). */
  nextRunAt(job: SchedulerJobRecord): Date | undefined {
    const due = this.#due.get(job.id);
    return due && new Date(this.#wall(due.at_ms));
  }

  #addon(app: AppRecord): void {
    if (this.#platform.addons.list(app.id).some((a) => a.service === SCHEDULER_SERVICE)) return;
    throw invalid(`⬢ ${app.name} has no Heroku Scheduler: add it first with heroku addons:create scheduler:standard -a ${app.name}`);
  }

  // ---- the clock ----

  /** Now on the scheduler's clock. */
  #now(): number {
    return this.#origin + (Date.now() - this.#origin) * this.#speed;
  }

  /** A time on the scheduler's clock, on the wall clock. */
  #wall(at: number): number {
    return this.#origin + (at - this.#origin) / this.#speed;
  }

  /** Reads the jobs again (one was added, changed or removed): a new or changed schedule is due at its next time from now. */
  #refresh(): void {
    const now = this.#now();
    const jobs = listSchedulerJobs(this.#platform.db);
    for (const id of this.#due.keys()) if (!jobs.some((j) => j.id === id)) this.#due.delete(id);
    for (const job of jobs) {
      const due = this.#due.get(job.id);
      if (!due || due.every !== job.every || due.at !== job.at) this.#due.set(job.id, { every: job.every, at: job.at, at_ms: nextRun(job, now) });
    }
    this.#arm();
  }

  #arm(): void {
    clearTimeout(this.#timer);
    if (!this.#running || this.#due.size === 0) return;
    const first = Math.min(...[...this.#due.values()].map((d) => d.at_ms));
    const wait = Math.min(Math.max(0, (first - this.#now()) / this.#speed), 2 ** 31 - 1);
    this.#timer = setTimeout(() => this.#fire(), wait);
  }

  /** Runs every job that is due, and sets each one's next time after now (a time missed meanwhile is skipped). */
  #fire(): void {
    const now = this.#now();
    for (const job of listSchedulerJobs(this.#platform.db)) {
      const due = this.#due.get(job.id);
      if (!due || due.at_ms > now) continue;
      due.at_ms = nextRun(job, now);
      this.#run(job);
    }
    this.#arm();
  }

  #run(job: SchedulerJobRecord): void {
    const platform = this.#platform;
    const app = platform.apps().find((a) => a.id === job.app_id);
    const release = app && platform.current(app);
    if (!app || !release?.slug_id) {
      if (app) console.error(`hoku: ${app.name}: scheduler job ${job.id} skipped: the app has no release to run yet`);
      return;
    }
    const logged = expandForLog(job.command, configSnapshot(release));
    platform.api(app, `Starting process with command \`${logged}\` by user ${SCHEDULER_USER}`);
    try {
      const name = platform.dynos.runDetached(app.id, release, resolveProcessType(job.command, processTypesOf(findSlug(platform.db, release.slug_id)!)), {}, { shown: job.command, type: SCHEDULER_SERVICE, logged });
      markSchedulerJobRun(platform.db, job.id, new Date());
      // "A dyno started by scheduler will not run longer than its scheduling interval."
      setTimeout(() => void platform.dynos.oneOffs.find(app.id, name)?.stop(), intervalMs(job) / this.#speed).unref();
    } catch (error) {
      console.error(`hoku: ${app.name}: scheduler job ${job.id} did not start: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** A job's fields from a client's input, over `current` for an update; a 422 names what is wrong. */
function fields(input: SchedulerJobInput, current?: SchedulerJobRecord): SchedulerJobFields {
  const command = input.command ?? current?.command;
  if (typeof command !== "string" || command.trim() === "") throw invalid("Missing command: what the job runs, e.g. rake update_feed.");
  const every = input.every ?? current?.every;
  const at = input.at ?? (input.every === undefined ? current?.at : 0);
  const schedule: Schedule = { every: Number(every), at: Number(at ?? 0) };
  const problem = scheduleProblem(schedule);
  if (problem) throw invalid(`Invalid schedule (every ${String(every)}, at ${String(at ?? 0)}): ${problem}.`);
  const size = checkSize(input.dyno_size === undefined ? current?.dyno_size : String(input.dyno_size));
  return { command, ...schedule, dyno_size: size };
}
