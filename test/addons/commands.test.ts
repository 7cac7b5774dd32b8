/**
 * The add-on commands: `hoku addons`, `addons:create`, `addons:info`, `addons:destroy`,
 * `hoku run` with add-on vars, and `hoku check` on app.json add-ons. The real binary on
 * temp apps; records live in the state database (hoku.db).
 */
import { afterEach, describe, expect, test } from "bun:test";
import { addonRecords, appIdentity, cleanupDocker, cleanupNative, makeAddonsApp } from "../helpers/addons.ts";
import { freeBase, Running, runHoku, testEnv } from "../helpers/hoku.ts";
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const apps: string[] = [];
afterEach(async () => {
  for (const appId of apps.splice(0)) {
    cleanupDocker(appId);
    await cleanupNative(appId);
  }
});

function app(addons: unknown[], name = "cmd-app") {
  const dir = makeAddonsApp({ addons, name });
  const env = testEnv({ TESTCONTAINERS_RYUK_DISABLED: "true" });
  const { appId, stateDir } = appIdentity(dir, env);
  apps.push(appId);
  const hoku = (...args: string[]) => runHoku(args, { cwd: dir, env });
  return { dir, env, stateDir, hoku };
}

describe("hoku addons", () => {
  test("an app without add-ons: 'No add-ons for app <name>.'", async () => {
    const { hoku } = app([]);
    const { code, stdout, stderr } = await hoku("addons");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toBe("No add-ons for app cmd-app.\n");
  });

  test("app.json add-ons are listed with plan and attachments (└─ as ...)", async () => {
    const { hoku, stateDir } = app(["heroku-postgresql", { plan: "heroku-redis:premium-0", as: "CACHE" }]);
    const { code, stdout } = await hoku("addons");
    expect(code).toBe(0);
    const [pg, redis] = addonRecords(stateDir);
    expect(pg?.service).toBe("heroku-postgresql");
    expect(redis?.as).toBe("CACHE");
    const lines = stdout.split("\n");
    expect(lines[0]).toMatch(/^Add-on +Plan +Price +State$/);
    expect(lines[1]).toMatch(/^─+ +─+ +─+ +─+$/);
    expect(stdout).toMatch(new RegExp(`^heroku-postgresql \\(${pg!.name}\\) +essential-0 +free +created\\n └─ as HEROKU_POSTGRESQL_${pg!.color}, DATABASE\\n`, "m"));
    expect(stdout).toMatch(new RegExp(`^heroku-redis \\(${redis!.name}\\) +premium-0 +free +created\\n └─ as CACHE\\n`, "m"));
    expect(stdout).toContain("(cmd-app)");
    // Listing twice provisions nothing new.
    await hoku("addons");
    expect(addonRecords(stateDir)).toHaveLength(2);
  });
});

describe("addons:create / addons:info / addons:destroy", () => {
  test("addons:create heroku-redis --as CACHE, then addons:info CACHE", async () => {
    const { hoku, stateDir } = app([]);
    const created = await hoku("addons:create", "heroku-redis", "--as", "CACHE");
    expect(created.stderr).toBe("Creating heroku-redis:mini on ⬢ cmd-app... done\n");
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Created redis-[a-z]+-\d+ as CACHE_URL\n/);
    const [record] = addonRecords(stateDir);
    expect(record).toMatchObject({ service: "heroku-redis", as: "CACHE" });

    const info = await hoku("addons:info", "CACHE");
    expect(info.code).toBe(0);
    expect(info.stdout).toContain(`=== ${record!.name}\n`);
    expect(info.stdout).toMatch(/^Attachments: +CACHE$/m);
    expect(info.stdout).toMatch(/^Plan: +heroku-redis:mini$/m);
    expect(info.stdout).toMatch(/^Declared in: +hoku addons:create$/m);
    expect(info.stdout).toMatch(/^Port: +127\.0\.0\.1:\d+ /m);

    // By name as well, and listed.
    expect((await hoku("addons:info", record!.name)).stdout).toContain(`=== ${record!.name}\n`);
    expect((await hoku("addons")).stdout).toContain(" └─ as CACHE\n");

    // The same attachment name twice is refused.
    const twice = await hoku("addons:create", "heroku-redis", "--as", "cache");
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain("already attached as CACHE");
    expect(addonRecords(stateDir)).toHaveLength(1);
  });

  test("a failing action ends its line with ! on stderr, then the error (as the heroku CLI's ux.action); stdout stays empty", async () => {
    const { hoku, stateDir } = app([]);
    expect((await hoku("addons:create", "heroku-redis", "--as", "CACHE")).code).toBe(0);
    const twice = await hoku("addons:create", "heroku-redis", "--as", "cache");
    expect(twice.code).toBe(1);
    expect(twice.stderr).toBe("Creating heroku-redis:mini on ⬢ cmd-app... !\nhoku: an add-on is already attached as CACHE\n    hint: choose another --as name\n");
    expect(twice.stdout).toBe("");
    expect(addonRecords(stateDir)).toHaveLength(1);
  });

  test("addons:create with an unknown service lists the catalog; with an unknown plan lists the plans", async () => {
    const { hoku, stateDir } = app([]);
    const service = await hoku("addons:create", "heroku-nope");
    expect(service.code).toBe(1);
    expect(service.stderr).toContain('unknown add-on service "heroku-nope"');
    expect(service.stderr).toMatch(/hoku runs: heroku-postgresql, heroku-redis, cloudamqp, memcachier, mailgun, sendgrid, bucketeer/);
    expect(service.stderr).toContain('hoku.json "services"');

    const plan = await hoku("addons:create", "heroku-postgresql:gigantic-9");
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('unknown plan "gigantic-9" for heroku-postgresql');
    expect(plan.stderr).toContain("essential-0, essential-1, essential-2, standard-N");
    expect(plan.stdout).toBe("");
    expect(addonRecords(stateDir)).toEqual([]);
  });

  test("addons:destroy needs --confirm <app>; with it the add-on is gone", async () => {
    const { hoku, stateDir } = app([]);
    expect((await hoku("addons:create", "heroku-redis", "--as", "CACHE")).code).toBe(0);
    const [record] = addonRecords(stateDir);

    const refused = await hoku("addons:destroy", "CACHE");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`destroying ${record!.name} deletes its data`);
    expect(refused.stderr).toContain(`hint: hoku addons:destroy ${record!.name} --confirm cmd-app`);
    expect(addonRecords(stateDir)).toHaveLength(1);

    const wrong = await hoku("addons:destroy", "CACHE", "--confirm", "other-app");
    expect(wrong.code).toBe(1);
    expect(addonRecords(stateDir)).toHaveLength(1);

    const destroyed = await hoku("addons:destroy", "CACHE", "--confirm", "cmd-app");
    expect(destroyed.code).toBe(0);
    expect(destroyed.stderr).toContain(`Destroying ${record!.name} on ⬢ cmd-app... done`);
    expect(addonRecords(stateDir)).toEqual([]);
    expect((await hoku("addons")).stdout).toBe("No add-ons for app cmd-app.\n");

    const again = await hoku("addons:info", "CACHE");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("no add-on named CACHE");
  });
});

describe("hoku run and hoku check with add-ons", () => {
  test("hoku run --addons embedded 'echo $DATABASE_URL' prints a postgres:// URL", async () => {
    const { hoku } = app(["heroku-postgresql"]);
    const { code, stdout, stderr } = await hoku("run", "--addons", "embedded", "echo url=$DATABASE_URL");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^url=postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/postgres\n$/);
    expect(stderr).toMatch(/heroku-postgresql postgresql-\S+ via embedded: PGlite/);
  });

  test(".env's DATABASE_URI=${DATABASE_URL} gets the add-on's URL: env files expand against the add-ons' vars (hoku run and hoku start)", async () => {
    const { dir, env, hoku } = app(["heroku-postgresql"]);
    // The file sets DATABASE_URL too: the add-on's wins in the dyno's environment, and so in the reference.
    writeFileSync(join(dir, ".env"), "DATABASE_URL=postgres://localhost/mydb\nDATABASE_URI=${DATABASE_URL}\n");
    const { code, stdout } = await hoku("run", "--addons", "embedded", 'echo "uri=$DATABASE_URI url=$DATABASE_URL"');
    expect(code).toBe(0);
    const [, uri, url] = /^uri=(\S+) url=(\S+)\n$/.exec(stdout)!;
    expect(uri).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/postgres$/);
    expect(uri).toBe(url!);
    writeFileSync(join(dir, "Procfile"), "web: echo \"uri=$DATABASE_URI\"; exec sleep 60\n");
    const started = new Running(["start", "--addons", "embedded", "-p", String(await freeBase()), "--color", "never"], { cwd: dir, env });
    const [, fromStart] = await started.waitFor(/uri=(postgres:\/\/\S+)\r?\n/, 30000);
    expect(await started.stop()).toBe(143);
    expect(fromStart).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/postgres$/);
    expect(started.output).not.toContain("is set nowhere");
  });

  test("hoku check notes an add-on service hoku does not run with its JSON path, and passes; an unknown plan is still an error", async () => {
    const { hoku } = app(["heroku-nope", "heroku-redis"]);
    const { code, stdout, stderr } = await hoku("check");
    expect(code).toBe(0);
    expect(stderr).toBe('app.json /addons/0: warning: hoku does not run heroku-nope; skipped (hoku.json "services" can map it to an image or a command)\n');
    expect(stdout).toContain("cmd-app is valid");

    const plan = await app(["heroku-redis:gigantic-9"]).hoku("check");
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('app.json /addons/0: unknown plan "gigantic-9" for heroku-redis');
  });
});

describe("one hoku at a time serves an app's add-ons", () => {
  test("a second start uses the first one's add-ons (hoku start web and hoku start worker in two terminals, as with heroku local), as hoku run does; addons:destroy refuses under it", async () => {
    const { dir, env, hoku } = app(["heroku-postgresql"], "lock-app");
    writeFileSync(join(dir, "Procfile"), 'web: echo "url=$DATABASE_URL"; exec sleep 60\n');
    const first = new Running(["start", "--no-tui", "--addons", "embedded", "-p", String(await freeBase())], { cwd: dir, env });
    const ready = await first.waitFor(/ready in [\d.]+ s on 127\.0\.0\.1:(\d+)/, 60_000);
    const second = new Running(["start", "--no-tui", "--addons", "embedded", "-p", String(await freeBase())], { cwd: dir, env });
    await second.waitFor(`@127.0.0.1:${ready[1]}/`, 30_000);
    expect(second.output).toContain(`the add-ons of lock-app are already served by another hoku start (pid ${first.proc.pid}): this one uses them until that one stops (--addons embedded does not apply to them)`);
    expect(second.output).not.toContain("ready in"); // nothing was started for it
    const run = await hoku("run", "--addons", "embedded", "echo $DATABASE_URL");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`@127.0.0.1:${ready[1]}/`);
    expect(run.stderr).not.toContain("ready in"); // nothing was started for the run
    const destroy = await hoku("addons:destroy", "DATABASE", "--confirm", "lock-app");
    expect(destroy.code).toBe(1);
    expect(destroy.stderr).toContain("cannot be destroyed under it");
    expect(await first.stop()).toBe(143);
    // The second one says that the add-ons it used are gone with the first.
    await second.waitFor(`hoku pid ${first.proc.pid}, which served the add-ons of lock-app, has stopped`, 10_000);
    expect(await second.stop()).toBe(143);
    expect((await hoku("addons:destroy", "DATABASE", "--confirm", "lock-app")).code).toBe(0);
  });

  test("a hoku run's add-ons go with its command: a hoku start meanwhile does not use them, and says why", async () => {
    const { dir, env, hoku } = app(["heroku-postgresql"], "run-owner-app");
    const running = new Running(["run", "--addons", "embedded", "echo started; sleep 20"], { cwd: dir, env });
    await running.waitFor("started", 60_000);
    const start = await hoku("start", "--no-tui", "--addons", "embedded", "--addon-timeout", "5s", "-p", String(await freeBase()));
    expect(start.code).toBe(1);
    expect(start.stderr).toContain(`run by another hoku (pid ${running.proc.pid})`);
    expect(start.stderr).toContain("it is a hoku run or an add-on tool: its add-ons go when it ends; end it first");
    await running.stop();
  });
});

describe("pg:backups", () => {
  test("regression: capture does not hang while PGlite is served by the same hoku; a failed capture keeps no backup file", async () => {
    const { hoku, stateDir } = app(["heroku-postgresql"], "backup-app");
    const started = Date.now();
    const result = await hoku("pg:backups:capture", "--addons", "embedded");
    expect(Date.now() - started).toBeLessThan(60_000);
    // Debian's pg_dump 15 refuses PGlite's Postgres 18: a clear error instead of a hang, and no empty b001.dump.
    if (result.code !== 0) {
      expect(result.stderr).toContain("the capture failed, and no backup was kept");
      expect(result.stderr).toContain("pg_dump must be at least as new as the server");
      expect(readdirSync(join(stateDir, "backups"))).toEqual([]);
    } else expect(result.stderr).toMatch(/Backing up to b001\.\.\. done/);
  });

  test("native: capture writes b001.dump readable only by its owner, and restore takes it back", async () => {
    const { hoku, stateDir, env } = app(["heroku-postgresql"], "backup-native");
    env.PATH = `${env.PATH}:/usr/lib/postgresql/15/bin`;
    const capture = await hoku("pg:backups:capture", "--addons", "native");
    expect(capture.stderr).toContain("via native");
    expect(capture.code).toBe(0);
    const dump = join(stateDir, "backups", "b001.dump");
    expect(statSync(dump).mode & 0o777).toBe(0o600);
    const restore = await hoku("pg:backups:restore", "b001", "--confirm", "backup-native", "--addons", "native");
    expect(restore.stderr).toContain("Restoring b001");
    expect(restore.code).toBe(0);
  }, 90_000);

  test.each(["../../etc/passwd", "b001/../../x", "b1", "x001"])("restore refuses the id %p: only a backup id of the app (b001)", async (id) => {
    const { hoku } = app(["heroku-postgresql"], "backup-ids");
    const { code, stderr } = await hoku("pg:backups:restore", id, "--confirm", "backup-ids");
    expect(code).toBe(1);
    expect(stderr).toContain(`${JSON.stringify(id)} is not a backup id`);
  });
});
