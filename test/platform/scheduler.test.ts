/**
 * Heroku Scheduler on the platform (OP-5; Dev Center: scheduler). `heroku addons:create
 * scheduler:standard` provisions it (the real heroku CLI); its jobs (hoku scheduler:add, since
 * Heroku edits them only in a dashboard) run every 10 minutes, every hour at :MM or every day at
 * HH:MM UTC, each as a detached one-off dyno `scheduler.N` of the current release, logged as
 * Heroku's scheduler logs it, and stopped after its interval. One platform for the file, its
 * scheduler clock 600 times as fast as a lab may set it: every 10 minutes is each second, every
 * hour each 6 s.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type HerokuCli, herokuCliFor } from "../helpers/heroku-cli.ts";
import { gitApp, push, restartTestPlatform, startTestPlatform, type TestPlatform } from "../helpers/platform.ts";

const APP = "sched-app";
const SPEED = ["--scheduler-speed", "600", "--shutdown-timeout", "2s"];

let platform: TestPlatform;
let cli: HerokuCli;
/** The app's repository: its hoku remote names the app. */
let appDir: string;
beforeAll(async () => {
  platform = await startTestPlatform(SPEED);
  cli = await herokuCliFor(platform);
  const dir = (appDir = gitApp({ Procfile: "web: python3 -m http.server $PORT\n", "bin/report": '#!/bin/sh\necho "report from $DYNO: $1"\n' }, platform.env));
  expect((await platform.hoku(["apps:create", APP], { cwd: dir })).code).toBe(0);
  const pushed = await push(dir, platform.env);
  if (pushed.code !== 0) throw new Error(`push failed:\n${pushed.out}`);
  expect((await platform.hoku(["config:set", "GREETING=hello", "-a", APP])).code).toBe(0);
}, 120_000);
afterAll(async () => {
  await platform?.stop();
});

/** The lines of one dyno, `source[dyno]: text`, without their timestamps. */
const linesOf = (logs: string, dyno: string) =>
  logs
    .split("\n")
    .filter((line) => line.includes(`[${dyno}]: `))
    .map((line) => line.slice(line.indexOf(" ") + 1));

/** The scheduler dynos that ran `command` (from their start lines), in order. */
const dynosRunning = (logs: string, command: string) => [...logs.matchAll(/heroku\[(scheduler\.\d+)\]: Starting process with command `(.*)`$/gm)].filter((m) => m[2] === command).map((m) => m[1]!);

interface Job {
  id: number;
  command: string;
  schedule: string;
  every: number;
  at: number;
  last_run_at: string | null;
  next_run_at: string | null;
}

async function jobs(): Promise<Job[]> {
  const listed = await platform.hoku(["scheduler", "--json", "-a", APP]);
  expect(listed.code).toBe(0);
  return JSON.parse(listed.stdout) as Job[];
}

async function addJob(args: readonly string[]): Promise<number> {
  const added = await platform.hoku(["scheduler:add", "-a", APP, ...args]);
  expect(added.stderr).toMatch(/Adding a job to ⬢ sched-app's scheduler\.\.\. done, job \d+ \(/);
  return Number(/job (\d+)/.exec(added.stderr)![1]);
}

test("heroku addons:create scheduler:standard provisions Heroku Scheduler (no config vars, attached as SCHEDULER); before it, a job is refused with that command", async () => {
  const before = await platform.hoku(["scheduler:add", "-a", APP, "--every", "10m", "--", "echo", "hi"]);
  expect(before.code).toBe(1);
  expect(before.stderr).toContain("⬢ sched-app has no Heroku Scheduler: add it first with heroku addons:create scheduler:standard -a sched-app");

  const created = await cli.heroku(["addons:create", "scheduler:standard", "-a", APP]);
  expect(created.code).toBe(0);
  expect(created.stderr).toContain("Creating scheduler:standard on sched-app... free");
  expect(created.stdout).toMatch(/^Created scheduler-[a-z]+-\d+$/m);
  const listed = await cli.heroku(["addons", "-a", APP]);
  expect(listed.stdout).toMatch(/scheduler \(scheduler-[a-z]+-\d+\) +standard +free/);
  expect(listed.stdout).toContain("as SCHEDULER");
  const config = await cli.heroku(["config", "-a", APP]);
  expect(config.stdout).not.toMatch(/SCHEDULER/);
  expect(await jobs()).toEqual([]);
  const none = await platform.hoku(["scheduler", "-a", APP]);
  expect(none.stdout).toContain("⬢ sched-app has no scheduler jobs. Add one with hoku scheduler:add");
});

describe("with the add-on", () => {
  test("a job every 10 minutes runs as scheduler.N of the current release, logged as Heroku's scheduler logs it, config vars expanded in its command", async () => {
    const id = await addJob(["--every", "10m", "--", "bin/report $GREETING"]);
    const logs = await platform.logsUntil(APP, (text) => /app\[scheduler\.\d+\]: report from scheduler\.\d+: hello/.test(text) && /heroku\[scheduler\.\d+\]: State changed from up to complete/.test(text));
    const dyno = dynosRunning(logs, "bin/report hello")[0]!;
    expect(dyno).toMatch(/^scheduler\.\d{4}$/);
    expect(logs).toMatch(/ app\[api\]: Starting process with command `bin\/report hello` by user scheduler@addons\.heroku\.com\n.* heroku\[scheduler\.\d+\]: Starting process with command `bin\/report hello`$/m);
    expect(linesOf(logs, dyno)).toEqual([
      `heroku[${dyno}]: Starting process with command \`bin/report hello\``,
      `heroku[${dyno}]: State changed from starting to up`,
      `app[${dyno}]: report from ${dyno}: hello`,
      `heroku[${dyno}]: Process exited with status 0`,
      `heroku[${dyno}]: State changed from up to complete`,
    ]);
    const [job] = (await jobs()).filter((j) => j.id === id);
    expect(job).toMatchObject({ command: "bin/report $GREETING", schedule: "Every 10 minutes", every: 10, at: 0 });
    expect(Date.now() - Date.parse(job!.last_run_at!)).toBeLessThan(5_000);
    const table = await platform.hoku(["scheduler", "-a", APP]);
    expect(table.stdout).toMatch(new RegExp(`^${id} +Every 10 minutes +Basic +bin/report \\$GREETING +\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\+0000 +\\d{4}/`, "m"));

    expect((await platform.hoku(["scheduler:remove", String(id), "-a", APP])).stderr).toContain(`Removing job ${id} from ⬢ sched-app's scheduler... done`);
    const runs = dynosRunning(await platform.logsUntil(APP, () => true), "bin/report hello").length;
    await Bun.sleep(2_500); // two and a half scheduler intervals
    expect(dynosRunning(await platform.logsUntil(APP, () => true), "bin/report hello")).toHaveLength(runs);
  });

  test("a job's dyno is stopped after its interval; ps lists it as a scheduler dyno while it runs, and the next run starts beside it", async () => {
    const id = await addJob(["--every", "10m", "--", "sleep", "300"]);
    let ps = "";
    for (let i = 0; i < 40 && !/=== scheduler \(Basic\): sleep 300 \(\d\)/.test(ps); i++) ps = (await cli.heroku(["ps", "-a", APP])).stdout;
    expect(ps).toMatch(/=== scheduler \(Basic\): sleep 300 \(\d\)\n\nscheduler\.\d+: up /);
    const logs = await platform.logsUntil(APP, (text) => dynosRunning(text, "sleep 300").some((d) => linesOf(text, d).includes(`heroku[${d}]: State changed from up to complete`)));
    expect((await platform.hoku(["scheduler:remove", String(id), "-a", APP])).code).toBe(0);
    const [first, second] = dynosRunning(logs, "sleep 300");
    expect(linesOf(logs, first!)).toEqual([
      `heroku[${first}]: Starting process with command \`sleep 300\``,
      `heroku[${first}]: State changed from starting to up`,
      `heroku[${first}]: Stopping all processes with SIGTERM`,
      `heroku[${first}]: Process exited with status 143`,
      `heroku[${first}]: State changed from up to complete`,
    ]);
    // The next run began before the first was stopped (its interval had passed).
    const at = (line: string) => logs.split("\n").findIndex((l) => l.endsWith(line));
    expect(at(`heroku[${second}]: Starting process with command \`sleep 300\``)).toBeLessThan(at(`heroku[${first}]: Process exited with status 143`));
  });

  test("a job every hour at :30 is next due within an hour of the scheduler's clock (6 s here); scheduler:update changes its command", async () => {
    const id = await addJob(["--every", "hour", "--at", ":30", "--", "echo", "hourly one"]);
    const [job] = (await jobs()).filter((j) => j.id === id);
    expect(job).toMatchObject({ schedule: "Every hour at :30", every: 60, at: 30, last_run_at: null });
    const dueIn = Date.parse(job!.next_run_at!) - Date.now();
    expect(dueIn).toBeGreaterThan(-500);
    expect(dueIn).toBeLessThan(6_000);

    const updated = await platform.hoku(["scheduler:update", String(id), "--", "echo", "hourly two"], { cwd: appDir });
    expect(updated.stderr).toContain(`Updating job ${id} of ⬢ sched-app's scheduler... done (Every hour at :30: echo "hourly two")`);
    await platform.logsUntil(APP, (text) => /app\[scheduler\.\d+\]: hourly two$/m.test(text), 15_000);
    const after = (await jobs()).find((j) => j.id === id)!;
    expect(after.last_run_at).not.toBeNull();
    // The next run is an hour of the scheduler's clock after the last one's time.
    expect(Date.parse(after.next_run_at!) - Date.parse(after.last_run_at!)).toBeGreaterThan(5_000);
    expect((await platform.hoku(["scheduler:remove", String(id), "-a", APP])).code).toBe(0);
  });

  test("heroku addons:open scheduler opens its dashboard: a signed page listing the jobs, whose forms add and remove them", async () => {
    const shown = await cli.heroku(["addons:open", "scheduler", "-a", APP, "--show-url"]);
    expect(shown.code).toBe(0);
    const url = shown.stdout.trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/apps\/[0-9a-f-]+\/scheduler\/dashboard\?expires=\d+&signature=[0-9a-f]+$/);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("⬢ sched-app");
    expect((await fetch(url.slice(0, url.indexOf("?")))).status).toBe(401);

    const form = (fields: Record<string, string>) => fetch(url, { method: "POST", body: new URLSearchParams(fields), redirect: "manual" });
    const added = await form({ every: "1440", minute: "0", time: "570", command: "echo <from the dashboard>" });
    expect(added.status).toBe(303);
    const job = (await jobs()).find((j) => j.command === "echo <from the dashboard>")!;
    expect(job).toMatchObject({ every: 1440, at: 570, schedule: "Every day at 09:30 UTC" });
    const listed = await (await fetch(url)).text();
    expect(listed).toContain("<td>Every day at 09:30 UTC</td><td>Basic</td><td><code>$ echo &#60;from the dashboard&#62;</code></td><td>never</td>");

    const refused = await form({ every: "60", minute: "0", time: "0", command: " " });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('<p class="problem">Missing command: what the job runs, e.g. rake update_feed.</p>');
    expect((await form({ remove: String(job.id) })).status).toBe(303);
    expect(await jobs()).toEqual([]);
  });

  test("schedules Heroku Scheduler does not offer are refused with what to write; a job of an unknown number is a 404", async () => {
    const cases: [string[], string][] = [
      [["--every", "5m"], "--every 5m: use 10m, hour or day (Heroku Scheduler's choices)"],
      [["--every", "hour", "--at", ":15"], "--at :15: a job every hour runs at :00, :10, :20, :30, :40 or :50"],
      [["--every", "day", "--at", "9:15"], "--at 9:15: a job every day runs at a half hour, 00:00 to 23:30 UTC"],
      [["--every", "10m", "--at", ":10"], "--at is for --every hour"],
      [[], "a job needs --every"],
      [["--every", "day", "--size", "Performance-L"], "No such size as Performance-L"],
    ];
    for (const [args, message] of cases) {
      const refused = await platform.hoku(["scheduler:add", "-a", APP, ...args, "--", "echo", "x"]);
      expect(refused.code, args.join(" ")).toBe(1);
      expect(refused.stderr, args.join(" ")).toContain(message);
      expect(refused.stderr).not.toMatch(/^\s+at /m);
    }
    const missing = await platform.hoku(["scheduler:remove", "999999", "-a", APP]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Couldn't find that scheduler job.");
    expect(await jobs()).toEqual([]);
  });

  test("the jobs stay across a platform restart and run again; addons:destroy takes them with the add-on", async () => {
    const id = await addJob(["--every", "10m", "--", "echo", "after restart"]);
    await platform.stop();
    platform = await restartTestPlatform(platform);
    expect((await jobs()).map((j) => j.id)).toEqual([id]);
    await platform.logsUntil(APP, (text) => /app\[scheduler\.\d+\]: after restart$/m.test(text));

    const destroyed = await cli.heroku(["addons:destroy", "scheduler", "-a", APP, "--confirm", APP]);
    expect(destroyed.code).toBe(0);
    const refused = await platform.hoku(["scheduler", "-a", APP]);
    expect(refused.stdout).toContain("no scheduler jobs");
    const runs = dynosRunning(await platform.logsUntil(APP, () => true), "echo after restart").length;
    await Bun.sleep(2_500);
    expect(dynosRunning(await platform.logsUntil(APP, () => true), "echo after restart")).toHaveLength(runs);
  });
});

test("a job of an app with no release yet is skipped, and the platform says so", async () => {
  expect((await platform.hoku(["apps:create", "sched-empty"])).code).toBe(0);
  expect((await cli.heroku(["addons:create", "scheduler", "-a", "sched-empty"])).code).toBe(0);
  expect((await platform.hoku(["scheduler:add", "-a", "sched-empty", "--every", "10m", "--", "echo", "x"])).code).toBe(0);
  await platform.proc.waitFor("sched-empty: scheduler job", 5_000);
  expect(platform.proc.output).toMatch(/hoku: sched-empty: scheduler job \d+ skipped: the app has no release to run yet/);
});
