/**
 * Add-ons real app.json files declare that hoku does not run (`scheduler`, `papertrail`,
 * retired names such as `mongolab`): a one-line note in `hoku check` and `hoku start`,
 * never a refusal, and no add-on record. hoku.json can still map such a service to a
 * command hoku runs itself (or an image).
 */
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { addonRecords, appIdentity, BUN, cleanupDocker, cleanupNative, envOf, LISTENING, makeAddonsApp } from "../helpers/addons.ts";
import { freeBase, isAlive, killLeftovers, Running, runHoku, testEnv } from "../helpers/hoku.ts";

const apps: string[] = [];
afterEach(async () => {
  killLeftovers();
  for (const appId of apps.splice(0)) {
    cleanupDocker(appId);
    await cleanupNative(appId);
  }
});

const NOTE = '; skipped (hoku.json "services" can map it to an image or a command)';
const SCHEDULER = `app.json /addons/1: warning: hoku does not run scheduler (Heroku Scheduler: run its jobs with \`hoku run <command>\`; the platform runs them for a deployed app)${NOTE}`;
const PAPERTRAIL = `app.json /addons/2: warning: hoku does not run papertrail (a log drain: hoku prints the logs itself)${NOTE}`;
const ADDONS = ["heroku-postgresql", "scheduler:standard", { plan: "papertrail:choklad" }];

function app(addons: readonly unknown[]) {
  const dir = makeAddonsApp({ addons, name: "notes-app" });
  const env = testEnv({ TESTCONTAINERS_RYUK_DISABLED: "true" });
  const { appId, stateDir } = appIdentity(dir, env);
  apps.push(appId);
  return { dir, env, stateDir };
}

describe("add-on services hoku does not run", () => {
  test("a name a few letters off a service hoku runs asks whether that one was meant (heroku-postgres)", async () => {
    const { dir, env } = app(["heroku-postgres", "heroku-nope"]);
    const { code, stderr } = await runHoku(["check"], { cwd: dir, env });
    expect(code).toBe(0);
    expect(stderr).toContain(`app.json /addons/0: warning: hoku does not run heroku-postgres${NOTE}\n    hint: did you mean heroku-postgresql? (heroku-postgres as written is skipped)`);
    expect(stderr).toContain(`app.json /addons/1: warning: hoku does not run heroku-nope${NOTE}\n`);
    expect(stderr).not.toContain("did you mean heroku-redis");
  });

  test("hoku check: scheduler and papertrail are one-line notes, and the app is valid", async () => {
    const { dir, env } = app([...ADDONS, "mongolab"]);
    const { code, stdout, stderr } = await runHoku(["check"], { cwd: dir, env });
    expect(stderr.split("\n").filter(Boolean)).toEqual([SCHEDULER, PAPERTRAIL, `app.json /addons/3: warning: hoku does not run mongolab (mLab MongoDB, retired in 2020)${NOTE}`]);
    expect(code).toBe(0);
    expect(stdout).toBe("hoku check: notes-app is valid: 1 process type (web), 0 env file vars, 0 app.json env vars, 4 add-ons\n");
  });

  test("hoku start: a note for each, the app runs with its Postgres, and they get no record and no vars", async () => {
    const { dir, env, stateDir } = app(ADDONS);
    const base = await freeBase();
    const hoku = new Running(["start", "--no-tui", "--color", "never", "--addons", "embedded", "-p", String(base)], { cwd: dir, env });
    await hoku.waitFor(LISTENING, 90_000);
    const lines = hoku.output.split("\n");
    expect(lines.filter((l) => l.includes("hoku does not run"))).toEqual([`hoku: ${SCHEDULER}`, `hoku: ${PAPERTRAIL}`]);
    expect(addonRecords(stateDir).map((a) => a.service)).toEqual(["heroku-postgresql"]);
    const vars = await envOf(base);
    expect(vars.DATABASE_URL).toMatch(/^postgres:\/\//);
    expect(Object.keys(vars).filter((k) => /PAPERTRAIL|SCHEDULER/.test(k))).toEqual([]);
    expect(await hoku.stop()).toBe(143);
  });

  test("hoku.json maps papertrail to a command: it runs natively, answers on its port and sets its vars; it stops with hoku", async () => {
    const { dir, env, stateDir } = app(["papertrail"]);
    writeFileSync(join(dir, "listener.ts"), "Bun.listen({ hostname: '127.0.0.1', port: Number(process.argv[2]), socket: { data() {} } });\n");
    const command = `exec ${BUN} ${join(dir, "listener.ts")} {port}`;
    writeFileSync(join(dir, "hoku.json"), JSON.stringify({ services: { papertrail: { command, vars: { PAPERTRAIL_API_TOKEN: "{password}", PAPERTRAIL_PORT: "{port}" } } } }));
    const { code, stdout, stderr } = await runHoku(["run", 'echo "$PAPERTRAIL_API_TOKEN $PAPERTRAIL_PORT"'], { cwd: dir, env });
    expect(stderr).not.toContain("hoku does not run");
    expect(stderr).toMatch(/hoku: papertrail papertrail-\S+ via native: docker: hoku\.json gives papertrail no image; hoku\.json gives it a command\n/);
    expect(code).toBe(0);
    const [record] = addonRecords(stateDir);
    expect(record?.service).toBe("papertrail");
    const [token, port] = stdout.split("\n")[0]!.split(" ");
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    const ready = stderr.match(/papertrail papertrail-\S+ ready in [\d.]+ s on 127\.0\.0\.1:(\d+) \(pid (\d+)\)/);
    expect(ready?.[1]).toBe(port);
    expect(isAlive(Number(ready![2]))).toBe(false);
    expect(existsSync(join(stateDir, "addons", record!.name))).toBe(true); // it ran in its data folder
  });
});
