/**
 * Heroku Scheduler's dashboard, where Heroku users edit their jobs (`heroku addons:open
 * scheduler` opens it): one HTML page listing the app's jobs, a form to add one with the
 * dashboard's choices (every 10 minutes, every hour at :00 to :50, every day at a half hour
 * UTC), and a button to remove each. Pure: jobs in, HTML out; its form posts back to the
 * page's own signed URL (routes/scheduler.ts), so no token is needed in the browser.
 */
import { describeSchedule } from "../app/schedule.ts";
import type { SchedulerJobRecord } from "./records/scheduler-jobs.ts";

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const two = (n: number) => String(n).padStart(2, "0");
const utc = (iso: string | null | undefined) => (iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "never");

export interface DashboardJob {
  readonly job: SchedulerJobRecord;
  readonly nextRunAt: Date | undefined;
}

/** The page; `action` is the URL its forms post to, `problem` what was wrong with the last post. */
export function schedulerDashboard(app: string, jobs: readonly DashboardJob[], action: string, problem?: string): string {
  const rows = jobs.map(
    ({ job, nextRunAt }) => `<tr><td>${escape(describeSchedule(job))}</td><td>${escape(job.dyno_size)}</td><td><code>$ ${escape(job.command)}</code></td><td>${utc(job.last_run_at)}</td><td>${utc(nextRunAt?.toISOString())}</td>
<td><form method="post" action="${escape(action)}"><input type="hidden" name="remove" value="${job.id}"><button>Remove</button></form></td></tr>`,
  );
  const minutes = [0, 10, 20, 30, 40, 50].map((m) => `<option value="${m}">:${two(m)}</option>`).join("");
  const halfHours = Array.from({ length: 48 }, (_, i) => `<option value="${i * 30}">${two(Math.floor(i / 2))}:${two((i % 2) * 30)} UTC</option>`).join("");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Heroku Scheduler · ${escape(app)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}td,th{padding:.4em .8em;border-bottom:1px solid #ddd;text-align:left}.problem{color:#b00}</style></head>
<body><h1>Heroku Scheduler</h1><p>⬢ ${escape(app)}: each job runs as a one-off dyno <code>scheduler.N</code> and is stopped after its interval.</p>
${problem ? `<p class="problem">${escape(problem)}</p>` : ""}
<table><tr><th>Schedule</th><th>Dyno</th><th>Job</th><th>Last run</th><th>Next run</th><th></th></tr>
${rows.join("\n") || '<tr><td colspan="6">No jobs yet.</td></tr>'}
</table>
<h2>Add a job</h2>
<form method="post" action="${escape(action)}">
<p><label>Schedule <select name="every"><option value="10">Every 10 minutes</option><option value="60">Every hour at...</option><option value="1440">Every day at...</option></select></label>
<label>minute <select name="minute">${minutes}</select></label> (every hour)
<label>time <select name="time">${halfHours}</select></label> (every day)</p>
<p><label>Run command <code>$</code> <input name="command" size="50" placeholder="rake update_feed"></label></p>
<p><button>Save job</button></p>
</form></body></html>
`;
}
