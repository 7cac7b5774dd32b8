/**
 * Add-ons through the docker provider, end to end: the real binary, real containers of
 * the locally built hoku-test/* images (hoku.json points the services at them), and
 * the fixture app talking to them through DATABASE_URL and REDIS_URL.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { COLORS } from "../../src/addons/addon.ts";
import {
  addonRecords,
  appIdentity,
  cleanupDocker,
  cleanupNative,
  containersOf,
  editAddonState,
  envOf,
  http,
  LISTENING,
  makeAddonsApp,
  PG_IMAGE,
  REDIS_IMAGE,
  restrictedPath,
  volumesOf,
  waitNoContainers,
} from "../helpers/addons.ts";
import { freeBase, killLeftovers, Running, runHoku, testEnv, waitAllDead } from "../helpers/hoku.ts";

/** Every app a test made, cleaned after it (containers, volumes). */
const apps: string[] = [];
function track(dir: string, env: Record<string, string>) {
  const { appId, stateDir } = appIdentity(dir, env);
  apps.push(appId);
  return { appId, stateDir };
}
afterEach(async () => {
  killLeftovers();
  for (const appId of apps.splice(0)) {
    // A killed hoku's reaper may still be removing its containers: let it finish first.
    await waitNoContainers(appId, 3000);
    cleanupDocker(appId);
    await cleanupNative(appId); // an image that cannot be pulled falls through to native
  }
});

const env = () => testEnv({ TESTCONTAINERS_RYUK_DISABLED: "true" });
const START_MS = 90_000;

function start(dir: string, base: number, e: Record<string, string>, extra: string[] = []) {
  return new Running(["start", "--no-tui", "--color", "never", "-p", String(base), ...extra], { cwd: dir, env: e });
}

describe("docker provider", () => {
  test("postgres and redis via docker: reads and writes through DATABASE_URL and REDIS_URL; data survives a restart", async () => {
    const dir = makeAddonsApp({ addons: ["heroku-postgresql", "heroku-redis"] });
    const e = env();
    const { appId } = track(dir, e);
    const base = await freeBase();

    const first = start(dir, base, e);
    await first.waitFor(LISTENING, START_MS);
    expect(first.output).toMatch(new RegExp(`heroku-postgresql postgresql-\\S+ via docker \\(${PG_IMAGE.replace(/[.:/]/g, "\\$&")}\\)`));
    expect(first.output).toMatch(new RegExp(`heroku-redis redis-\\S+ via docker \\(${REDIS_IMAGE.replace(/[.:/]/g, "\\$&")}\\)`));
    expect(first.output).toMatch(/heroku-postgresql postgresql-\S+ ready in [\d.]+ s on 127\.0\.0\.1:\d+ \(container [0-9a-f]+\)/);

    const vars = await envOf(base);
    expect(vars.DATABASE_URL).toMatch(/^postgres:\/\/hoku:[^@]+@127\.0\.0\.1:\d+\/app$/);
    expect(vars.REDIS_URL).toMatch(/^redis:\/\/default:[^@]+@127\.0\.0\.1:\d+$/);

    expect(await http(base, "POST", "/pg/fruit/apple")).toEqual({ status: 200, body: "ok\n" });
    expect(await http(base, "POST", "/pg/fruit/pear")).toEqual({ status: 200, body: "ok\n" }); // upsert
    expect(await http(base, "POST", "/redis/color/blue")).toEqual({ status: 200, body: "ok\n" });
    expect(await http(base, "GET", "/pg/fruit")).toEqual({ status: 200, body: "pear" });
    expect(await http(base, "GET", "/redis/color")).toEqual({ status: 200, body: "blue" });
    expect((await http(base, "GET", "/pg/nothing")).status).toBe(404);
    expect(containersOf(appId)).toHaveLength(2);

    expect(await first.stop()).toBe(143);
    expect(containersOf(appId)).toEqual([]);
    expect(volumesOf(appId)).toHaveLength(2);

    const second = start(dir, base, e);
    await second.waitFor(LISTENING, START_MS);
    expect(await http(base, "GET", "/pg/fruit")).toEqual({ status: 200, body: "pear" });
    expect(await http(base, "GET", "/redis/color")).toEqual({ status: 200, body: "blue" });
    expect((await envOf(base)).DATABASE_URL).toBe(vars.DATABASE_URL!);
    expect(await second.stop()).toBe(143);
    expect(containersOf(appId)).toEqual([]);
  });

  test("after a SIGKILL of hoku, a new start runs exactly one container per add-on, and a graceful stop leaves none", async () => {
    const dir = makeAddonsApp({ addons: ["heroku-postgresql", "heroku-redis"] });
    const e = env();
    const { appId, stateDir } = track(dir, e);
    const base = await freeBase();

    const killed = start(dir, base, e);
    await killed.waitFor(LISTENING, START_MS);
    expect(await http(base, "POST", "/pg/k/before-kill")).toEqual({ status: 200, body: "ok\n" });
    const dynoPid = Number((await http(base, "GET", "/pid")).body);
    killed.signal("SIGKILL");
    expect(await killed.exited).toBe(137);
    // The old web dyno must let go of its port before the next start may take it.
    expect(await waitAllDead([dynoPid], 10_000)).toEqual([]);
    // hoku's reaper removes the run's containers (hoku told it that it had started some).
    for (const deadline = Date.now() + 15_000; containersOf(appId).length > 0 && Date.now() < deadline; ) await Bun.sleep(200);
    expect(containersOf(appId)).toEqual([]);

    const again = start(dir, base, e);
    await again.waitFor(LISTENING, START_MS);
    const addons = addonRecords(stateDir);
    expect(addons).toHaveLength(2);
    const running = containersOf(appId);
    expect(running.map((c) => c.addon).sort()).toEqual(addons.map((a) => a.id).sort());
    expect(running.every((c) => c.state === "running")).toBe(true);
    expect(await http(base, "GET", "/pg/k")).toEqual({ status: 200, body: "before-kill" });

    expect(await again.stop()).toBe(143);
    expect(containersOf(appId)).toEqual([]);
  });

  test("--as and two Postgres: PRIMARY_DB_URL is DATABASE_URL, the other gets a color; pg:promote moves DATABASE_URL", async () => {
    const dir = makeAddonsApp({ addons: [{ plan: "heroku-postgresql", as: "PRIMARY_DB" }, "heroku-postgresql"] });
    const e = env();
    const { appId } = track(dir, e);
    const base = await freeBase();

    const first = start(dir, base, e);
    await first.waitFor(LISTENING, START_MS);
    const vars = await envOf(base);
    const colorKeys = Object.keys(vars).filter((k) => /^HEROKU_POSTGRESQL_[A-Z]+_URL$/.test(k));
    expect(colorKeys).toHaveLength(1);
    const color = colorKeys[0]!.replace(/^HEROKU_POSTGRESQL_|_URL$/g, "");
    expect(COLORS as readonly string[]).toContain(color);
    expect(vars.PRIMARY_DB_URL).toMatch(/^postgres:\/\//);
    expect(vars.DATABASE_URL).toBe(vars.PRIMARY_DB_URL!);
    expect(vars[colorKeys[0]!]).not.toBe(vars.PRIMARY_DB_URL!);
    expect(await first.stop()).toBe(143);

    const listing = await runHoku(["addons"], { cwd: dir, env: e });
    expect(listing.code).toBe(0);
    expect(listing.stdout).toContain(" └─ as PRIMARY_DB, DATABASE");
    expect(listing.stdout).toContain(` └─ as HEROKU_POSTGRESQL_${color}\n`);
    const second = /heroku-postgresql \((postgresql-[a-z]+-\d+)\)[^\n]*\n └─ as HEROKU_POSTGRESQL_/.exec(listing.stdout)?.[1];
    expect(second).toBeDefined();

    const promoted = await runHoku(["pg:promote", second!], { cwd: dir, env: e });
    expect(promoted.stderr).toMatch(new RegExp(`^Ensuring an alternate alias for existing DATABASE_URL\\.\\.\\. done\nPromoting ${second} to DATABASE_URL on ⬢ \\S+\\.\\.\\. done\n$`));
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toBe("The dynos get the new DATABASE_URL at the next hoku start.\n");

    const again = start(dir, base, e);
    await again.waitFor(LISTENING, START_MS);
    const after = await envOf(base);
    expect(after.DATABASE_URL).toBe(after[colorKeys[0]!]!);
    expect(after.PRIMARY_DB_URL).toBe(vars.PRIMARY_DB_URL!);
    expect(await again.stop()).toBe(143);
    expect(containersOf(appId)).toEqual([]);
  });

  test("addons:destroy removes the add-on's volume; the next start provisions a new, empty one", async () => {
    const dir = makeAddonsApp({ addons: ["heroku-redis"], name: "destroy-app" });
    const e = env();
    const { appId, stateDir } = track(dir, e);
    const base = await freeBase();

    const first = start(dir, base, e);
    await first.waitFor(LISTENING, START_MS);
    expect(await http(base, "POST", "/redis/k/old")).toEqual({ status: 200, body: "ok\n" });
    expect(await first.stop()).toBe(143);
    const [old] = addonRecords(stateDir);
    expect(volumesOf(appId)).toEqual([`hoku-${appId}-${old!.name}`]);

    const destroyed = await runHoku(["addons:destroy", old!.name, "--confirm", "destroy-app"], { cwd: dir, env: e });
    expect(destroyed.code).toBe(0);
    expect(destroyed.stdout).toContain("note: app.json still declares heroku-redis; the next hoku start provisions a new, empty one.");
    expect(volumesOf(appId)).toEqual([]);

    const second = start(dir, base, e);
    await second.waitFor(LISTENING, START_MS);
    const [fresh] = addonRecords(stateDir);
    expect(fresh!.name).not.toBe(old!.name);
    expect((await http(base, "GET", "/redis/k")).status).toBe(404);
    expect(await second.stop()).toBe(143);
  });

  test("an add-on var overrides the same key from .env, with a note naming the key", async () => {
    const fromFile = "redis://nobody:wrong@127.0.0.1:1";
    const dir = makeAddonsApp({ addons: ["heroku-redis"], files: { ".env": `REDIS_URL=${fromFile}\nOTHER_URL=http://kept\n` } });
    const e = env();
    track(dir, e);
    const base = await freeBase();

    const hoku = start(dir, base, e);
    await hoku.waitFor(LISTENING, START_MS);
    expect(hoku.output).toMatch(/hoku: REDIS_URL from the env file is overridden by its add-on/);
    expect(hoku.output).not.toMatch(/OTHER_URL[^\n]*overridden/);
    const vars = await envOf(base);
    expect(vars.REDIS_URL).not.toBe(fromFile);
    expect(vars.REDIS_URL).toMatch(/^redis:\/\/default:[^@]+@127\.0\.0\.1:\d+$/);
    expect(vars.OTHER_URL).toBe("http://kept");
    expect(await http(base, "POST", "/redis/a/1")).toEqual({ status: 200, body: "ok\n" });
    expect(await hoku.stop()).toBe(143);
  });

  describe("an image that is not here and cannot be pulled (an engine offline)", () => {
    const MISSING = "hoku-test/postgres:does-not-exist";
    const REASON = `docker: Docker engine [^;\\n]+ answered, but image ${MISSING.replace(/[.:/]/g, "\\$&")} is not here and could not be pulled \\([^\\n]+\\)`;
    const missingApp = () => makeAddonsApp({ addons: ["heroku-postgresql"], hokuJson: { images: { "heroku-postgresql": MISSING } } });

    test("the default order falls through to native, saying why in one line; the app runs on it", async () => {
      const dir = missingApp();
      const e = testEnv({ TESTCONTAINERS_RYUK_DISABLED: "true", PATH: `${process.env.PATH}:/usr/lib/postgresql/15/bin` });
      const { appId } = track(dir, e);
      const base = await freeBase();
      const hoku = start(dir, base, e);
      await hoku.waitFor(LISTENING, START_MS);
      expect(hoku.output).toMatch(new RegExp(`^hoku: heroku-postgresql postgresql-\\S+ via native: ${REASON}; found \\S+/postgres$`, "m"));
      expect(await http(base, "POST", "/pg/offline/yes")).toEqual({ status: 200, body: "ok\n" });
      expect(await hoku.stop()).toBe(143);
      expect(containersOf(appId)).toEqual([]);
    });

    test("without native Postgres it falls through to embedded", async () => {
      const dir = missingApp();
      const e = testEnv({ TESTCONTAINERS_RYUK_DISABLED: "true", PATH: restrictedPath(["bash", "sh", "env"]) });
      const { appId } = track(dir, e);
      const { code, stdout, stderr } = await runHoku(["run", "echo url=$DATABASE_URL"], { cwd: dir, env: e });
      expect(stderr).toMatch(new RegExp(`^hoku: heroku-postgresql postgresql-\\S+ via embedded: ${REASON}; native: no initdb/postgres on PATH; PGlite`, "m"));
      expect(code).toBe(0);
      expect(stdout).toMatch(/^url=postgres:\/\/postgres:/);
      expect(containersOf(appId)).toEqual([]);
    });

    test("--addons docker: exit 1 before any dyno starts, naming the image and the fix", async () => {
      const dir = missingApp();
      const e = env();
      const { appId } = track(dir, e);
      const hoku = start(dir, await freeBase(), e, ["--addons", "docker"]);
      const code = await Promise.race([hoku.exited, Bun.sleep(START_MS).then(() => "timeout" as const)]);
      expect(code).toBe(1);
      expect(hoku.output).toMatch(new RegExp(`hoku: no provider can run heroku-postgresql: ${REASON}\\n`));
      expect(hoku.output).toContain(
        `hint: docker pull ${MISSING} (or docker load) where it can be had, or point heroku-postgresql at an image that is here in hoku.json: {"images": {"heroku-postgresql": "<image>"}}, or drop --addons`,
      );
      expect(hoku.output).not.toContain("via ");
      expect(hoku.output).not.toMatch(/web\.1/);
      expect(containersOf(appId)).toEqual([]);
    });
  });

  test("an add-on that never gets ready: 'was not ready' with its last log lines; the other add-ons are stopped", async () => {
    // heroku-postgresql's volume holds a cluster made with another password (its record is
    // edited after a first run): the container runs, but refuses hoku's readiness check.
    // heroku-redis is fine and ready well within the timeout.
    const dir = makeAddonsApp({ addons: ["heroku-postgresql", "heroku-redis"] });
    const e = env();
    const { appId, stateDir } = track(dir, e);
    expect((await runHoku(["run", "--addons", "docker", "true"], { cwd: dir, env: e })).code).toBe(0);
    editAddonState(stateDir, (state) => {
      for (const addon of state.addons) if (addon.service === "heroku-postgresql") addon.password = "0".repeat(32);
      return state;
    });

    const hoku = start(dir, await freeBase(), e, ["--addon-timeout", "5s"]);
    const code = await Promise.race([hoku.exited, Bun.sleep(START_MS).then(() => "timeout" as const)]);
    expect(code).toBe(1);
    expect(hoku.output).toMatch(/heroku-redis redis-\S+ ready in/);
    expect(hoku.output).toContain("an add-on did not start; the others were stopped");
    expect(hoku.output).toMatch(/postgresql-\S+ \(heroku-postgresql via docker\) was not ready after 5 s; its last lines:\n( {4}.*\n)*? {4}.*password authentication failed for user "hoku"/);
    expect(hoku.output).not.toMatch(LISTENING);
    expect(containersOf(appId)).toEqual([]);
  });

  // Regression (a race): a container that exits before Testcontainers' first inspect made
  // start() wait 10 s for port bindings and hoku printed no log lines, leaving the container.
  test("an add-on container that exits at once: its last log lines are shown, whatever the timing", async () => {
    const dir = makeAddonsApp({ addons: ["heroku-redis", "heroku-postgresql"], hokuJson: { images: { "heroku-redis": PG_IMAGE, "heroku-postgresql": PG_IMAGE } } });
    const e = env();
    const { appId } = track(dir, e);
    for (let i = 0; i < 5; i++) {
      // The timeout covers heroku-postgresql's whole start, its first initdb included (~5 s on a busy machine).
      const hoku = start(dir, await freeBase(), e, ["--addon-timeout", "20s"]);
      const code = await Promise.race([hoku.exited, Bun.sleep(START_MS).then(() => "timeout" as const)]);
      expect(code).toBe(1);
      expect(hoku.output).toContain("an add-on did not start; the others were stopped");
      expect(hoku.output).toContain("Error: Database is uninitialized and superuser password is not specified.");
      expect(containersOf(appId)).toEqual([]);
    }
  });

  test("a hoku.json custom service (TCP readiness) on the redis image gets ready and its vars reach the dyno", async () => {
    const dir = makeAddonsApp({
      addons: ["quick-cache"],
      hokuJson: { services: { "quick-cache": { image: REDIS_IMAGE, port: 6379, vars: { QUICK_CACHE_URL: "redis://{host}:{port}" } } } },
    });
    const e = env();
    const { appId } = track(dir, e);
    const base = await freeBase();
    const hoku = start(dir, base, e);
    await hoku.waitFor(LISTENING, START_MS);
    expect(hoku.output).toMatch(/quick-cache quick-cache-\S+ via docker \(hoku-test\/redis:7\)/);
    expect((await envOf(base)).QUICK_CACHE_URL).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(await hoku.stop()).toBe(143);
    expect(containersOf(appId)).toEqual([]);
  });
});
