/**
 * Add-ons through the native provider: the real Postgres 15 (Debian's, from
 * /usr/lib/postgresql/15/bin) and redis-server, run by hoku as its children. As root,
 * Postgres runs as the postgres user (through runuser) with its data in
 * /var/lib/hoku/<appId>.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  addonRecords,
  appIdentity,
  cleanupDocker,
  cleanupNative,
  commandOf,
  containersOf,
  envOf,
  http,
  LISTENING,
  makeAddonsApp,
  nativePgData,
  nativeProcesses,
  readyPids,
  taggedAddonPids,
  waitGone,
  withDescendants,
} from "../helpers/addons.ts";
import { freeBase, killLeftovers, Running, runHoku, testEnv, waitAllDead } from "../helpers/hoku.ts";

const apps: string[] = [];
/** Server pids seen by a test: redis-server's rewritten command line no longer names the app, so cleanupNative cannot find it. */
const seen: number[] = [];
afterEach(async () => {
  killLeftovers();
  const leftovers = withDescendants(seen.splice(0)).filter((pid) => /postgres|redis-server|runuser/.test(commandOf(pid)));
  for (const pid of leftovers) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
  }
  await waitAllDead(leftovers, 5000);
  for (const appId of apps.splice(0)) {
    await cleanupNative(appId);
    cleanupDocker(appId);
  }
});

const nativeEnv = () => testEnv({ PATH: `${process.env.PATH}:/usr/lib/postgresql/15/bin`, TESTCONTAINERS_RYUK_DISABLED: "true" });
const START_MS = 90_000;

function start(dir: string, base: number, e: Record<string, string>) {
  return new Running(["start", "--no-tui", "--color", "never", "--addons", "native", "-p", String(base)], { cwd: dir, env: e });
}

/** Every process serving the app's native add-ons now: hoku's children named in its output, their descendants, and anything tagged with the add-ons' names. */
function serverPids(output: string, stateDir: string): number[] {
  const names = addonRecords(stateDir).map((a) => a.name);
  const pids = withDescendants([...readyPids(output), ...taggedAddonPids(names)]);
  seen.push(...pids);
  return pids;
}

const describePids = (pids: number[]) => pids.map((pid) => `${pid} ${commandOf(pid).trim()}`);

/** An app with these add-ons, started natively and listening. */
async function started(addons: string[]) {
  const dir = makeAddonsApp({ addons });
  const e = nativeEnv();
  const { appId, stateDir } = appIdentity(dir, e);
  apps.push(appId);
  const base = await freeBase();
  const hoku = start(dir, base, e);
  await hoku.waitFor(LISTENING, START_MS);
  serverPids(hoku.output, stateDir);
  return { dir, e, appId, stateDir, base, hoku };
}

describe("native provider", () => {
  test("postgres and redis-server via native: /pg and /redis work, data survives a second start, no server is left after stop", async () => {
    expect(Bun.which("redis-server")).not.toBeNull(); // apt-get install redis-server
    const { dir, e, appId, stateDir, base, hoku: first } = await started(["heroku-postgresql", "heroku-redis"]);
    expect(first.output).toMatch(/hoku: heroku-postgresql postgresql-\S+ via native: found \S*\/postgres\n/);
    expect(first.output).toMatch(/hoku: heroku-redis redis-\S+ via native: found \S*redis-server/);
    expect(readyPids(first.output)).toHaveLength(2);

    const vars = await envOf(base);
    expect(vars.DATABASE_URL).toMatch(/^postgres:\/\/hoku:[^@]+@127\.0\.0\.1:\d+\/postgres$/);
    expect(vars.REDIS_URL).toMatch(/^redis:\/\/default:[^@]+@127\.0\.0\.1:\d+$/);
    expect(await http(base, "POST", "/pg/planet/mars")).toEqual({ status: 200, body: "ok\n" });
    expect(await http(base, "POST", "/pg/planet/venus")).toEqual({ status: 200, body: "ok\n" });
    expect(await http(base, "POST", "/redis/moon/phobos")).toEqual({ status: 200, body: "ok\n" });
    expect(await http(base, "GET", "/pg/planet")).toEqual({ status: 200, body: "venus" });
    expect(await http(base, "GET", "/redis/moon")).toEqual({ status: 200, body: "phobos" });

    const servers = serverPids(first.output, stateDir);
    const commands = servers.map(commandOf).join("\n");
    expect(commands).toMatch(/postgres -D \S+/);
    expect(commands).toMatch(/redis-server 127\.0\.0\.1:\d+/);
    expect(await first.stop()).toBe(143);
    expect(describePids(await waitAllDead(servers, 10_000))).toEqual([]);
    expect(nativeProcesses(appId)).toEqual([]);
    // A killed postmaster stays a zombie until init reaps it, and a new postmaster refuses
    // to start while the pid in postmaster.pid exists: wait for the pids to be gone.
    expect(await waitGone(servers, 10_000)).toEqual([]);

    const second = start(dir, base, e);
    await second.waitFor(LISTENING, START_MS);
    expect(await http(base, "GET", "/pg/planet")).toEqual({ status: 200, body: "venus" });
    expect(await http(base, "GET", "/redis/moon")).toEqual({ status: 200, body: "phobos" });
    const again = serverPids(second.output, stateDir);
    expect(await second.stop()).toBe(143);
    expect(describePids(await waitAllDead(again, 10_000))).toEqual([]);
    expect(nativeProcesses(appId)).toEqual([]);
    expect(containersOf(appId)).toEqual([]);
  });

  test("a graceful stop shuts native Postgres down cleanly (no postmaster.pid left)", async () => {
    const { stateDir, appId, hoku } = await started(["heroku-postgresql"]);
    const [pg] = addonRecords(stateDir);
    const data = nativePgData(appId, stateDir, pg!.name);
    expect(existsSync(join(data, "postmaster.pid"))).toBe(true);
    expect(await hoku.stop()).toBe(143);
    expect(existsSync(join(data, "postmaster.pid"))).toBe(false);
  });

  test("hoku run with native Postgres stops it promptly and cleanly after the command", async () => {
    const dir = makeAddonsApp({ addons: ["heroku-postgresql"] });
    const e = nativeEnv();
    const { appId, stateDir } = appIdentity(dir, e);
    apps.push(appId);
    const began = performance.now();
    const { code, stdout } = await runHoku(["run", "--addons", "native", "echo url=$DATABASE_URL"], { cwd: dir, env: e });
    const seconds = (performance.now() - began) / 1000;
    expect(code).toBe(0);
    expect(stdout).toMatch(/^url=postgres:\/\/hoku:/m);
    expect(seconds).toBeLessThan(8);
    const [pg] = addonRecords(stateDir);
    expect(existsSync(join(nativePgData(appId, stateDir, pg!.name), "postmaster.pid"))).toBe(false);
  });

  test("a SIGKILL of hoku: its reaper stops native Postgres", async () => {
    const { stateDir, hoku } = await started(["heroku-postgresql"]);
    const servers = serverPids(hoku.output, stateDir);
    expect(servers.map(commandOf).join("\n")).toMatch(/postgres -D \S+/);
    hoku.signal("SIGKILL");
    expect(await hoku.exited).toBe(137);
    expect(describePids(await waitAllDead(servers, 15_000))).toEqual([]);
  });

  test("a SIGKILL of hoku: its reaper stops native redis-server", async () => {
    const { stateDir, hoku } = await started(["heroku-redis"]);
    const servers = readyPids(hoku.output);
    expect(servers).toHaveLength(1);
    expect(serverPids(hoku.output, stateDir).map(commandOf).join("\n")).toMatch(/redis-server 127\.0\.0\.1:\d+/);
    hoku.signal("SIGKILL");
    expect(await hoku.exited).toBe(137);
    expect(describePids(await waitAllDead(servers, 15_000))).toEqual([]);
  });
});
