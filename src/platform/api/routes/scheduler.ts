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
 *
 * and the dashboard page `heroku addons:open scheduler` opens (the add-on's `web_url`), at
 * /apps/:app_id/scheduler/dashboard with a signed query, so a browser needs no token: GET shows
 * it; its forms POST a new job or a job to remove, and are answered with the page again.
 */
import { describeSchedule } from "../../../app/schedule.ts";
import type { SchedulerJobRecord } from "../../records/scheduler-jobs.ts";
import type { SchedulerJobInput } from "../../scheduler.ts";
import { schedulerDashboard } from "../../scheduler-dashboard.ts";
import { ApiError, body, json } from "../http.ts";
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
  const dashboard = (request: Request, app: ReturnType<RouteContext["app"]>, problem?: string) =>
    new Response(schedulerDashboard(app.name, scheduler.jobs(app).map((job) => ({ job, nextRunAt: scheduler.nextRunAt(job) })), request.url, problem), {
      status: problem ? 422 : 200,
      headers: { "Content-Type": "text/html; charset=utf-8" },
    });
  /** A form's post: a job to add (`every`, with `minute` for every hour or `time` for every day, and `command`), or one to `remove`. */
  const posted = async (request: Request, app: ReturnType<RouteContext["app"]>) => {
    const form = await request.formData();
    const field = (name: string) => String(form.get(name) ?? "");
    try {
      if (form.has("remove")) scheduler.remove(app, field("remove"));
      else {
        const every = Number(field("every"));
        scheduler.add(app, { command: field("command"), every, at: Number(every === 60 ? field("minute") : every === 1440 ? field("time") : 0) });
      }
    } catch (error) {
      if (error instanceof ApiError) return dashboard(request, app, error.message);
      throw error;
    }
    return new Response(null, { status: 303, headers: { Location: request.url } });
  };
  return {
    "/apps/:app/scheduler/dashboard": {
      GET: c.guard((request, params) => dashboard(request, c.app(params)), { signed: true }),
      POST: c.guard((request, params) => posted(request, c.app(params)), { signed: true }),
    },
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
