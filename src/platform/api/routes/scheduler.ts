/**
 * Heroku Scheduler's jobs of an app (hoku's own resource: Heroku has only a dashboard for them).
 * A job has the fields of the scheduler's own API: `command`, `every` (10, 60 or 1440 minutes),
 * `at` (minutes after the hour or the UTC day) and `dyno_size`; hoku adds `schedule` as the
 * dashboard says it, `last_run_at` and `next_run_at`.
 *
 *   GET    /apps/:app/scheduler/jobs        the jobs
 *   POST   /apps/:app/scheduler/jobs        {command, every, at?, dyno_size?} → 201
 *   PATCH  /apps/:app/scheduler/jobs/:id    any of those fields
 *   DELETE /apps/:app/scheduler/jobs/:id
 */
import { describeSchedule } from "../../../app/schedule.ts";
import type { SchedulerJobRecord } from "../../records/scheduler-jobs.ts";
import type { SchedulerJobInput } from "../../scheduler.ts";
import { body, json } from "../http.ts";
import type { RouteContext, Routes } from "./context.ts";

export function schedulerRoutes(c: RouteContext): Routes {
  const { scheduler } = c.platform;
  const shape = (job: SchedulerJobRecord) => ({
    id: job.id,
    command: job.command,
    every: job.every,
    at: job.at,
    schedule: describeSchedule(job),
    dyno_size: job.dyno_size,
    last_run_at: job.last_run_at,
    next_run_at: scheduler.nextRunAt(job)?.toISOString() ?? null,
    created_at: job.created_at,
    updated_at: job.updated_at,
  });
  return {
    "/apps/:app/scheduler/jobs": {
      GET: c.guard((_, params) => scheduler.jobs(c.app(params)).map(shape)),
      POST: c.guard(async (request, params) => json(shape(scheduler.add(c.app(params), await body<SchedulerJobInput>(request))), 201)),
    },
    "/apps/:app/scheduler/jobs/:id": {
      GET: c.guard((_, params) => shape(scheduler.job(c.app(params), params.id!))),
      PATCH: c.guard(async (request, params) => shape(scheduler.update(c.app(params), params.id!, await body<SchedulerJobInput>(request)))),
      DELETE: c.guard((_, params) => shape(scheduler.remove(c.app(params), params.id!))),
    },
  };
}
