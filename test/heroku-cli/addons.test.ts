/**
 * The real heroku CLI's add-on and Heroku Postgres commands against hoku: addons (app and
 * --all), addons:create / info / attach / detach / destroy, then pg:info, pg:psql (the local psql
 * on the config var) and pg:backups (capture, list, info, restore, download) through the
 * Heroku Postgres API that `hoku heroku:env` points HEROKU_DATA_HOST at. Real Postgres and
 * Redis from the default providers. One platform for the file; the tests run in order.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type HerokuCli, herokuCliFor } from "../helpers/heroku-cli.ts";
import { startTestPlatform, type TestPlatform } from "../helpers/platform.ts";
import { tempDir } from "../helpers/hoku.ts";

let platform: TestPlatform;
let cli: HerokuCli;
beforeAll(async () => {
  platform = await startTestPlatform();
  cli = await herokuCliFor(platform);
});
afterAll(async () => {
  await platform?.stop();
});

const heroku = (...args: string[]) => cli.heroku(args);
/** The platform's API, for what the test reads besides the CLI's output (each CLI call costs ~2 s). */
async function api<T>(path: string): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${platform.port}${path}`, { headers: { Authorization: `Bearer ${cli.env.HEROKU_API_KEY}` } });
  return (await response.json()) as T;
}
const config = (app: string) => api<Record<string, string>>(`/apps/${app}/config-vars`);
const releases = async (app: string) => (await api<{ version: number; description: string }[]>(`/apps/${app}/releases`)).map((r) => `v${r.version} ${r.description}`);

let postgres = "";
let color = "";
let redis = "";

describe("heroku addons:* against hoku", () => {
  test("addons:create heroku-postgresql and heroku-redis --as --name: provisioned at once, their vars set in Attach releases", async () => {
    for (const app of ["addons-demo", "addons-other"]) expect((await platform.hoku(["apps:create", app])).code).toBe(0);
    const none = await heroku("addons", "-a", "addons-demo");
    expect(none.stdout).toContain("No add-ons for app addons-demo.");

    const pg = await heroku("addons:create", "heroku-postgresql", "-a", "addons-demo");
    expect(pg.stderr).toContain("Creating heroku-postgresql on addons-demo... free");
    const created = /Created (postgresql-[a-z]+-\d+) as DATABASE_URL, HEROKU_POSTGRESQL_([A-Z]+)_URL\n/.exec(pg.stdout);
    postgres = created?.[1] ?? "";
    color = created?.[2] ?? "";
    expect(postgres).toBeTruthy();
    expect(pg.stdout).toContain("Run heroku addons:docs heroku-postgresql to view documentation.");
    expect(pg.code).toBe(0);

    const cache = await heroku("addons:create", "heroku-redis", "--as", "CACHE", "--name", "demo-cache", "-a", "addons-demo");
    expect(cache.stdout).toContain("Created demo-cache as CACHE_URL\n");
    expect(cache.code).toBe(0);
    redis = "demo-cache";

    const vars = await config("addons-demo");
    expect(vars.DATABASE_URL).toMatch(/^postgres:\/\/[^:]+:[0-9a-f]+@127\.0\.0\.1:\d+\/\w+$/);
    expect(vars[`HEROKU_POSTGRESQL_${color}_URL`]).toBe(vars.DATABASE_URL!);
    expect(vars.CACHE_URL).toMatch(/^redis:\/\//);
    expect(await releases("addons-demo")).toEqual(expect.arrayContaining([`v3 Attach DATABASE (@ref:${postgres})`, `v4 Attach CACHE (@ref:${redis})`]));
  }, 120_000);

  test("addons lists the app's add-ons with their attachments; --all lists every app's", async () => {
    const [listed, all] = await Promise.all([heroku("addons", "-a", "addons-demo"), heroku("addons", "--all")]);
    expect(listed.stdout).toMatch(new RegExp(`heroku-postgresql \\(${postgres}\\)\\s+essential-0\\s+free\\s+free\\s+created\\n\\s+├─ as DATABASE\\n\\s+└─ as HEROKU_POSTGRESQL_${color}\\n`));
    expect(listed.stdout).toMatch(new RegExp(`heroku-redis \\(${redis}\\)\\s+mini\\s+free\\s+free\\s+created\\n\\s+└─ as CACHE\\n`));
    expect(listed.stdout).toContain("The table above shows add-ons and the attachments to the current app (addons-demo) or other apps.");
    expect(listed.code).toBe(0);
    expect(all.stdout).toMatch(/Owning App\s+Add-on\s+Plan\s+Price\s+Max Price\s+State/);
    expect(all.stdout).toMatch(new RegExp(`addons-demo\\s+${postgres}\\s+heroku-postgresql:essential-0\\s+free\\s+free\\s+created`));
    expect(all.stdout).toMatch(new RegExp(`addons-demo\\s+${redis}\\s+heroku-redis:mini\\s+free\\s+free\\s+created`));
    expect(all.code).toBe(0);
  }, 60_000);

  test("addons:info by attachment name and by add-on name; an unknown one is not found", async () => {
    const [byAttachment, byName, unknown] = await Promise.all([heroku("addons:info", "CACHE", "-a", "addons-demo"), heroku("addons:info", postgres), heroku("addons:info", "nosuch", "-a", "addons-demo")]);
    expect(byAttachment.stdout).toContain(`=== ${redis}\n`);
    expect(byAttachment.stdout).toMatch(/^Plan:\s+heroku-redis:mini$/m);
    expect(byAttachment.stdout).toMatch(/^Attachments:\s+addons-demo::CACHE$/m);
    expect(byAttachment.stdout).toMatch(/^Owning app:\s+addons-demo$/m);
    expect(byAttachment.stdout).toMatch(/^State:\s+created$/m);
    expect(byAttachment.code).toBe(0);
    expect(byName.stdout).toMatch(new RegExp(`^Attachments:\\s+addons-demo::DATABASE\\n\\s+addons-demo::HEROKU_POSTGRESQL_${color}$`, "m"));
    expect(unknown.stderr).toContain("Couldn't find that add on.");
    expect(unknown.code).not.toBe(0);
  }, 60_000);

  test("addons:attach gives an add-on another name (--as) or shares it with another app; addons:detach takes it back; each a release", async () => {
    const [alias, shared] = await Promise.all([heroku("addons:attach", redis, "--as", "SESSIONS", "-a", "addons-demo"), heroku("addons:attach", postgres, "-a", "addons-other")]);
    expect(alias.stderr).toContain(`Attaching ${redis} as SESSIONS to addons-demo... done`);
    expect(alias.stderr).toMatch(/Setting SESSIONS config vars and restarting addons-demo\.\.\. done, v5/);
    expect(alias.code).toBe(0);
    expect(shared.stderr).toContain(`Attaching ${postgres} to addons-other... done`);
    expect(shared.stderr).toMatch(new RegExp(`Setting HEROKU_POSTGRESQL_${color} config vars and restarting addons-other\\.\\.\\. done, v3`));

    const [demo, other, otherList] = await Promise.all([config("addons-demo"), config("addons-other"), heroku("addons", "-a", "addons-other")]);
    expect(demo.SESSIONS_URL).toBe(demo.CACHE_URL!);
    expect(other[`HEROKU_POSTGRESQL_${color}_URL`]).toBe(demo.DATABASE_URL!);
    expect(otherList.stdout).toMatch(new RegExp(`heroku-postgresql \\(${postgres}\\)\\s+essential-0\\s+\\(billed to addons-demo app\\)`));
    expect(otherList.stdout).toContain(`├─ as HEROKU_POSTGRESQL_${color}\n`);
    expect(otherList.stdout).toContain("as DATABASE on addons-demo app");

    const [taken, own] = await Promise.all([heroku("addons:attach", redis, "--as", "CACHE", "-a", "addons-demo"), heroku("addons:detach", "CACHE", "-a", "addons-demo")]);
    expect(taken.stderr).toContain("CACHE is already an attachment of");
    expect(taken.code).not.toBe(0);
    expect(own.stderr).toContain(`CACHE is ${redis}'s own attachment`);
    expect(own.code).not.toBe(0);

    const detached = await heroku("addons:detach", "SESSIONS", "-a", "addons-demo");
    expect(detached.stderr).toContain(`Detaching SESSIONS to ${redis} from addons-demo... done`);
    expect(detached.stderr).toMatch(/Unsetting SESSIONS config vars and restarting addons-demo\.\.\. done, v6/);
    expect(detached.code).toBe(0);
    expect((await config("addons-demo")).SESSIONS_URL).toBeUndefined();
    expect(await releases("addons-demo")).toEqual(expect.arrayContaining([`v5 Attach SESSIONS (@ref:${redis})`, `v6 Detach SESSIONS (@ref:${redis})`]));
    expect(await releases("addons-other")).toContain(`v3 Attach HEROKU_POSTGRESQL_${color} (@ref:${postgres})`);
  }, 120_000);
});

describe("heroku pg:* against hoku (the Heroku Postgres API on HEROKU_DATA_HOST)", () => {
  test("pg:info shows the database by its attachments, asked of the database itself; pg:wait returns at once", async () => {
    // Attached from addons-demo: shown in addons-other by its name there, with the app it is billed to.
    const [info, shared, wait] = await Promise.all([heroku("pg:info", "-a", "addons-demo"), heroku("pg:info", "-a", "addons-other"), heroku("pg:wait", "-a", "addons-demo")]);
    expect(wait.code).toBe(0);
    expect(info.stdout).toMatch(new RegExp(`^=== DATABASE_URL, HEROKU_POSTGRESQL_${color}_URL$`, "m"));
    expect(info.stdout).toMatch(/^Plan:\s+Essential 0$/m);
    expect(info.stdout).toMatch(/^Status:\s+Available$/m);
    expect(info.stdout).toMatch(/^PG Version:\s+\d+\.\d+/m);
    expect(info.stdout).toMatch(/^Data Size:\s+[\d.]+ MB$/m);
    expect(info.stdout).toMatch(/^Continuous Protection: Off$/m);
    expect(info.stdout).toMatch(new RegExp(`^Add-on:\\s+${postgres}$`, "m"));
    expect(info.code).toBe(0);
    expect(shared.stdout).toMatch(new RegExp(`^=== HEROKU_POSTGRESQL_${color}_URL$`, "m"));
    expect(shared.stdout).toMatch(/^Billing App:\s+addons-demo$/m);
  }, 60_000);

  test("pg:psql runs the local psql on DATABASE_URL (-c), over SSL", async () => {
    const psql = await heroku("pg:psql", "-a", "addons-demo", "-c", "create table kept (v text); insert into kept values ('before'); select ssl from pg_stat_ssl where pid = pg_backend_pid()");
    expect(psql.stderr).toContain(`--> Connecting to ${postgres}`);
    expect(psql.stdout).toContain("INSERT 0 1");
    expect(psql.stdout).toMatch(/ssl\s*\n-+\s*\n\s*t\n/);
    expect(psql.code).toBe(0);
  }, 60_000);

  test("pg:backups:capture, pg:backups, pg:backups:info", async () => {
    const empty = await heroku("pg:backups", "-a", "addons-demo");
    expect(empty.stdout).toContain("No backups. Capture one with heroku pg:backups:capture");
    const capture = await heroku("pg:backups:capture", "-a", "addons-demo");
    expect(capture.stderr).toContain(`Starting backup of ${postgres}... done`);
    expect(capture.stderr).toContain("Backing up DATABASE to b001... done");
    expect(capture.stdout).toContain("Use heroku pg:backups:info to check progress.");
    expect(capture.code).toBe(0);
    const [list, info] = await Promise.all([heroku("pg:backups", "-a", "addons-demo"), heroku("pg:backups:info", "b001", "-a", "addons-demo")]);
    expect(list.stdout).toMatch(/b001\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000\s+Completed \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000\s+[\d.]+KB\s+DATABASE/);
    expect(info.stdout).toContain("=== Backup b001");
    expect(info.stdout).toMatch(/^Status:\s+Completed$/m);
    expect(info.stdout).toMatch(/^Type:\s+Manual$/m);
    expect(info.stdout).toContain("=== Backup Logs");
    expect(info.stdout).toMatch(/\+0000 pg_dump: dumping contents of table "public\.kept"/);
  }, 60_000);

  test("pg:backups:restore asks for confirmation, then restores b001; pg:backups lists the restore", async () => {
    const [update, wrong] = await Promise.all([heroku("pg:psql", "-a", "addons-demo", "-c", "update kept set v = 'after'"), heroku("pg:backups:restore", "b001", "DATABASE_URL", "-a", "addons-demo", "--confirm", "nope")]);
    expect(update.code).toBe(0);
    expect(wrong.stderr).toContain("Confirmation nope did not match addons-demo. Aborted.");
    expect(wrong.code).toBe(1);
    const restore = await heroku("pg:backups:restore", "b001", "DATABASE_URL", "-a", "addons-demo", "--confirm", "addons-demo");
    expect(restore.stderr).toContain(`Starting restore of b001 to ${postgres}... done`);
    expect(restore.stderr).toContain("Restoring... done");
    expect(restore.code).toBe(0);
    const [rows, list] = await Promise.all([heroku("pg:psql", "-a", "addons-demo", "-c", "select 'got:' || v from kept"), heroku("pg:backups", "-a", "addons-demo")]);
    expect(rows.stdout).toContain("got:before");
    expect(list.stdout).toMatch(/=== Restores\n\n[^\n]*\n[^\n]*\n\s+r002\s+.*Completed .*DATABASE/);
  }, 60_000);

  test("pg:backups:url and pg:backups:download: an expiring URL the CLI fetches over https without the token; pg:backups:delete; no schedules", async () => {
    const dir = tempDir("hoku-download-");
    const [download, printed] = await Promise.all([cli.heroku(["pg:backups:download", "-a", "addons-demo"], { cwd: dir }), heroku("pg:backups:url", "b001", "-a", "addons-demo")]);
    expect(download.stderr).toContain("Getting backup from addons-demo... done, #1");
    expect(download.code).toBe(0);
    expect(readFileSync(join(dir, "latest.dump")).subarray(0, 5).toString()).toBe("PGDMP");
    const url = printed.stdout.trim();
    expect(url).toMatch(new RegExp(`^https://127\\.0\\.0\\.1:${platform.tlsPort}/client/v11/apps/addons-demo/transfers/1/dump\\?expires=\\d+&signature=[0-9a-f]{64}$`));
    const tampered = await fetch(`http://127.0.0.1:${platform.port}${new URL(url).pathname}?expires=9999999999&signature=${"0".repeat(64)}`);
    expect(tampered.status).toBe(403);

    const [deleted, schedules] = await Promise.all([heroku("pg:backups:delete", "b001", "-a", "addons-demo", "--confirm", "addons-demo"), heroku("pg:backups:schedules", "-a", "addons-demo")]);
    expect(deleted.stderr).toContain("Deleting backup b001 on addons-demo... done");
    expect(deleted.code).toBe(0);
    expect(schedules.stderr).toContain("No backup schedules found on addons-demo");
    const listed = await heroku("pg:backups", "-a", "addons-demo");
    expect(listed.stdout).toContain("No backups. Capture one with heroku pg:backups:capture");
    expect(listed.stdout).toMatch(/\s+r002\s+/);
  }, 60_000);
});

describe("heroku addons:destroy against hoku", () => {
  test("addons:destroy --confirm: the add-on, its data and its vars go (from every app it was attached to), each app in a Detach release", async () => {
    const pg = postgres;
    const wrong = await heroku("addons:destroy", pg, "-a", "addons-demo", "--confirm", "nope");
    expect(wrong.stderr).toContain("Confirmation nope did not match addons-demo. Aborted.");
    expect(wrong.code).toBe(1);
    const destroyed = await heroku("addons:destroy", pg, "-a", "addons-demo", "--confirm", "addons-demo");
    expect(destroyed.stderr).toContain(`Destroying ${pg} on addons-demo... done`);
    expect(destroyed.code).toBe(0);
    const [demo, other, listed] = await Promise.all([config("addons-demo"), config("addons-other"), heroku("addons", "-a", "addons-demo")]);
    expect(Object.keys(demo).filter((k) => k.includes("POSTGRES") || k === "DATABASE_URL")).toEqual([]);
    expect(Object.keys(other)).toEqual([]);
    expect((await releases("addons-demo")).at(-1)).toBe(`v7 Detach DATABASE (@ref:${pg})`);
    expect((await releases("addons-other")).at(-1)).toBe(`v4 Detach HEROKU_POSTGRESQL_${color} (@ref:${pg})`);
    expect(listed.stdout).not.toContain(pg);
  }, 60_000);

  test("addons:attach over a config var the user set asks for confirmation, as Heroku does", async () => {
    await fetch(`http://127.0.0.1:${platform.port}/apps/addons-other/config-vars`, { method: "PATCH", headers: { Authorization: `Bearer ${cli.env.HEROKU_API_KEY}` }, body: JSON.stringify({ LEGACY_URL: "mine" }) });
    const asked = await cli.heroku(["addons:attach", redis, "--as", "LEGACY", "-a", "addons-other"], { stdin: "" });
    // The CLI wraps its warning at 80 columns, each line behind " ›".
    expect(asked.stderr.replace(/\s*\n ›\s*/g, " ")).toContain(`Warning: Attaching ${redis} as LEGACY overwrites the config var LEGACY_URL of ⬢ addons-other.`);
    expect((await config("addons-other")).LEGACY_URL).toBe("mine");
    const confirmed = await heroku("addons:attach", redis, "--as", "LEGACY", "-a", "addons-other", "--confirm", "addons-other");
    expect(confirmed.code).toBe(0);
    expect((await config("addons-other")).LEGACY_URL).toBe((await config("addons-demo")).CACHE_URL!);
  }, 60_000);
});

describe("heroku pg:promote against hoku", () => {
  test("pg:promote moves DATABASE_URL to another Postgres of the app (the old one keeps its color); promoting it again is refused", async () => {
    expect((await platform.hoku(["apps:create", "promote-demo"])).code).toBe(0);
    const colorOf = (created: string) => /as DATABASE_URL, HEROKU_POSTGRESQL_([A-Z]+)_URL|as HEROKU_POSTGRESQL_([A-Z]+)_URL/.exec(created)!.slice(1).find(Boolean)!;
    const first = colorOf((await heroku("addons:create", "heroku-postgresql", "-a", "promote-demo")).stdout);
    const second = colorOf((await heroku("addons:create", "heroku-postgresql", "-a", "promote-demo")).stdout);
    const before = await config("promote-demo");
    expect(before.DATABASE_URL).toBe(before[`HEROKU_POSTGRESQL_${first}_URL`]!);
    const promoted = await heroku("pg:promote", `HEROKU_POSTGRESQL_${second}`, "-a", "promote-demo");
    expect(promoted.stderr).toContain(`Ensuring an alternate alias for existing DATABASE_URL... HEROKU_POSTGRESQL_${first}_URL`);
    expect(promoted.stderr).toMatch(/Promoting postgresql-[a-z]+-\d+ to DATABASE_URL on promote-demo\.\.\. done/);
    expect(promoted.code).toBe(0);
    const after = await config("promote-demo");
    expect(after.DATABASE_URL).toBe(after[`HEROKU_POSTGRESQL_${second}_URL`]!);
    expect(after[`HEROKU_POSTGRESQL_${first}_URL`]).toBe(before[`HEROKU_POSTGRESQL_${first}_URL`]!);
    expect((await releases("promote-demo")).at(-1)).toMatch(/Attach DATABASE \(@ref:postgresql-[a-z]+-\d+\)$/);
    const again = await heroku("pg:promote", `HEROKU_POSTGRESQL_${second}`, "-a", "promote-demo");
    expect(again.stderr).toContain("is already promoted on promote-demo");
    expect(again.code).not.toBe(0);
  }, 90_000);
});
