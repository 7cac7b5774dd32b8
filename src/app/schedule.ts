/**
 * Heroku Scheduler's schedules (OP-5), pure. A job runs every 10 minutes, every hour at :00,
 * :10 ... :50, or every day at HH:00 or HH:30 UTC: the dashboard's only choices. As in the
 * scheduler's own API, a schedule is `every` (10, 60 or 1440 minutes) and `at` (minutes after
 * the hour or the day starts; 0 for every 10 minutes). A job's dyno runs for at most its
 * interval (Dev Center, scheduler: "A dyno started by scheduler will not run longer than its
 * scheduling interval").
 */

export interface Schedule {
  /** Minutes between runs: 10, 60 or 1440. */
  readonly every: number;
  /** Minutes after the start of the hour (every 60) or the UTC day (every 1440); 0 for every 10. */
  readonly at: number;
}

const EVERY: Readonly<Record<string, number>> = { "10m": 10, "10min": 10, hour: 60, hourly: 60, "1h": 60, day: 1440, daily: 1440, "1d": 1440 };

/** Why a schedule is not one Heroku Scheduler offers, or undefined. */
export function scheduleProblem({ every, at }: Schedule): string | undefined {
  if (every === 10) return at === 0 ? undefined : "a job every 10 minutes runs at :00, :10 ... :50: it takes no time of its own";
  if (every === 60) return Number.isInteger(at) && at >= 0 && at <= 50 && at % 10 === 0 ? undefined : "a job every hour runs at :00, :10, :20, :30, :40 or :50";
  if (every === 1440) return Number.isInteger(at) && at >= 0 && at < 1440 && at % 30 === 0 ? undefined : "a job every day runs at a half hour, 00:00 to 23:30 UTC";
  return "a job runs every 10 minutes, every hour or every day";
}

/**
 * A schedule from the command line's words: `--every 10m|hour|day` and `--at` (`:30` for every
 * hour, `09:30` UTC for every day); the error says what to write instead.
 */
export function parseSchedule(every: string, at?: string): Schedule | { problem: string } {
  const minutes = EVERY[every.trim().toLowerCase()];
  if (minutes === undefined) return { problem: `--every ${every}: use 10m, hour or day (Heroku Scheduler's choices)` };
  if (at === undefined) return { every: minutes, at: 0 };
  if (minutes === 10) return { problem: "--at is for --every hour (:00 to :50) or --every day (HH:MM UTC): a job every 10 minutes runs at :00, :10 ... :50" };
  const clock = minutes === 60 ? /^:?(\d{1,2})$/.exec(at.trim()) : /^(\d{1,2}):(\d{2})$/.exec(at.trim());
  const value = clock ? (minutes === 60 ? Number(clock[1]) : Number(clock[1]) * 60 + Number(clock[2])) : NaN;
  const schedule = { every: minutes, at: value };
  const problem = clock && (minutes === 60 || Number(clock[2]) < 60) ? scheduleProblem(schedule) : minutes === 60 ? "give the minute past the hour, e.g. --at :30" : "give a UTC time, e.g. --at 09:30";
  return problem ? { problem: `--at ${at}: ${problem}` } : schedule;
}

/** The first time (ms since the epoch) strictly after `after` at which the job is due. */
export function nextRun({ every, at }: Schedule, after: number): number {
  const period = every * 60_000;
  const offset = at * 60_000;
  return (Math.floor((after - offset) / period) + 1) * period + offset;
}

/** How long the job's dyno may run: its interval. */
export function intervalMs({ every }: Schedule): number {
  return every * 60_000;
}

const two = (n: number) => String(n).padStart(2, "0");

/** As the dashboard says it: `Every 10 minutes`, `Every hour at :30`, `Every day at 09:30 UTC`. */
export function describeSchedule({ every, at }: Schedule): string {
  if (every === 10) return "Every 10 minutes";
  if (every === 60) return `Every hour at :${two(at)}`;
  return `Every day at ${two(Math.floor(at / 60))}:${two(at % 60)} UTC`;
}
