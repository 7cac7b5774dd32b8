/**
 * `hoku scheduler`, `scheduler:add`, `scheduler:update`, `scheduler:remove` (-a/--app): the jobs
 * of a deployed app's Heroku Scheduler (`heroku addons:create scheduler:standard`), which Heroku
 * edits only in its dashboard, through the platform's /apps/{app}/scheduler/jobs.
 *
 *   $ hoku scheduler:add --every hour --at :30 -- rake update_feed
 *   Adding a job to ⬢ my-app's scheduler... done, job 3 (Every hour at :30)
 *   $ hoku scheduler
 *   === ⬢ my-app Heroku Scheduler jobs
 *
 *   Job  Schedule           Dyno   Command           Last run                   Next run
 *   3    Every hour at :30  Basic  rake update_feed  never                      2026/12/02 19:30:00 +0000
 */
import { HokuError } from "../app/problem.ts";
import { runCommand } from "../app/run-command.ts";
import { parseSchedule, type Schedule } from "../app/schedule.ts";
import { PlatformClient } from "../platform/client.ts";
import { action } from "./action.ts";
import { herokuTime } from "./heroku-time.ts";
import { say } from "./load.ts";
import { type AppFlag, targetApp } from "./target.ts";

interface Job {
  readonly id: number;
  readonly command: string;
  readonly schedule: string;
  readonly dyno_size: string;
  readonly last_run_at: string | null;
  readonly next_run_at: string | null;
}

export interface JobFlags extends AppFlag {
  readonly every?: string;
  readonly at?: string;
  readonly size?: string;
}

const jobsPath = (app: string) => `/apps/${encodeURIComponent(app)}/scheduler/jobs`;

/** --every and --at as the API's `every` and `at`; --at alone keeps the job's own `every` (the API checks the pair). */
function schedule(flags: JobFlags): Partial<Schedule> {
  if (flags.every === undefined) {
    if (flags.at !== undefined) throw new HokuError("--at goes with --every\n    hint: e.g. --every hour --at :30, or --every day --at 09:30 (UTC)");
    return {};
  }
  const parsed = parseSchedule(flags.every, flags.at);
  if ("problem" in parsed) throw new HokuError(parsed.problem);
  return parsed;
}

export async function schedulerJobs(flags: AppFlag & { json?: boolean }): Promise<number> {
  const app = targetApp(flags);
  const client = await PlatformClient.connect(say);
  const jobs = await client.request<Job[]>("GET", jobsPath(app));
  if (flags.json) {
    console.log(JSON.stringify(jobs, null, 2));
    return 0;
  }
  if (jobs.length === 0) {
    console.log(`⬢ ${app} has no scheduler jobs. Add one with hoku scheduler:add --every 10m|hour|day -a ${app} -- COMMAND`);
    return 0;
  }
  console.log(`=== ⬢ ${app} Heroku Scheduler jobs\n`);
  const rows = [
    ["Job", "Schedule", "Dyno", "Command", "Last run", "Next run"],
    ...jobs.map((j) => [String(j.id), j.schedule, j.dyno_size, j.command, j.last_run_at ? herokuTime(j.last_run_at) : "never", j.next_run_at ? herokuTime(j.next_run_at) : ""]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd());
  return 0;
}

export async function addSchedulerJob(command: string[], flags: JobFlags): Promise<number> {
  const app = targetApp(flags);
  if (flags.every === undefined) throw new HokuError("a job needs --every\n    hint: --every 10m, --every hour [--at :30] or --every day [--at 09:30] (UTC), as Heroku Scheduler offers");
  const given = { command: runCommand(command), ...schedule(flags), ...(flags.size && { dyno_size: flags.size }) };
  const client = await PlatformClient.connect(say);
  await action(`Adding a job to ⬢ ${app}'s scheduler`, () => client.request<Job & { schedule: string }>("POST", jobsPath(app), given), (job) => `done, job ${job.id} (${job.schedule})`);
  return 0;
}

export async function updateSchedulerJob(id: string, command: string[], flags: JobFlags): Promise<number> {
  const app = targetApp(flags);
  const given = { ...(command.length > 0 && { command: runCommand(command) }), ...schedule(flags), ...(flags.size && { dyno_size: flags.size }) };
  if (Object.keys(given).length === 0) throw new HokuError("nothing to change\n    hint: give --every (and --at), --size, or -- COMMAND");
  const client = await PlatformClient.connect(say);
  await action(`Updating job ${id} of ⬢ ${app}'s scheduler`, () => client.request<Job>("PATCH", `${jobsPath(app)}/${encodeURIComponent(id)}`, given), (job) => `done (${job.schedule}: ${job.command})`);
  return 0;
}

export async function removeSchedulerJob(id: string, flags: AppFlag): Promise<number> {
  const app = targetApp(flags);
  const client = await PlatformClient.connect(say);
  await action(`Removing job ${id} from ⬢ ${app}'s scheduler`, () => client.request<Job>("DELETE", `${jobsPath(app)}/${encodeURIComponent(id)}`));
  return 0;
}
