/**
 * Native add-on servers under faults: a SIGKILL of hoku at any moment of their start, a server
 * left behind by a hoku whose reaper died too, a stale or reused postmaster.pid, a non-root
 * user in a folder whose name has commas and spaces, and addons:destroy as root.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { addonRecords, appIdentity, cleanupNative, commandOf, http, LISTENING, makeAddonsApp, nativePgData, nativeProcesses, readyPids } from "../helpers/addons.ts";
import { freeBase, HOKU, killLeftovers, Running, runHoku, tempDir, testEnv, waitAllDead } from "../helpers/hoku.ts";

const apps: string[] = [];
afterEach(async () => {
  killLeftovers();
  for (const appId of apps.splice(0)) await cleanupNative(appId);
});

const nativeEnv = (extra: Record<string, string> = {}) => testEnv({ PATH: `${process.env.PATH}:/usr/lib/postgresql/15/bin`, TESTCONTAINERS_RYUK_DISABLED: "true", ...extra });
const START_MS = 90_000;

function app(addons: string[]) {
  const dir = makeAddonsApp({ addons });
  const env = nativeEnv();
  const { appId, stateDir } = appIdentity(dir, env);
  apps.push(appId);
  const start = async () => new Running(["start", "--no-tui", "--color", "never", "--addons", "native", "-p", String(await freeBase())], { cwd: dir, env });
  return { dir, env, appId, stateDir, start };
}

/** Polls until no process of the app's native add-ons is left; returns those left. */
async function noServers(appId: string, timeoutMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = nativeProcesses(appId).map((p) => `${p.pid} ${p.cmd}`);
    if (left.length === 0 || Date.now() > deadline) return left;
    await Bun.sleep(100);
  }
}

describe("native servers under faults", () => {
  test("SIGKILLs of hoku at 8 moments of its add-ons' start (initdb included): no server outlives it, and the next start works", async () => {
    const { appId, start } = app(["heroku-postgresql", "heroku-redis"]);
    // From before the first spawn to after both are up; the first runs initdb.
    for (const delay of [150, 400, 700, 1000, 1400, 1900, 2600, 3500]) {
      const hoku = await start();
      await Bun.sleep(delay);
      hoku.signal("SIGKILL");
      expect(await hoku.exited).toBe(137);
      expect(await noServers(appId)).toEqual([]);
    }
    const last = await start();
    await last.waitFor(LISTENING, START_MS);
    expect(await last.stop()).toBe(143);
  }, 180_000);

  test("a server left by a hoku whose reaper died too is stopped by the next start (server.pid), which then works", async () => {
    const { appId, stateDir, start } = app(["heroku-redis"]);
    const first = await start();
    await first.waitFor(LISTENING, START_MS);
    const [server] = readyPids(first.output);
    expect(commandOf(server!)).toContain("redis-server");
    // The reaper is `bash -c ... hoku-reaper <run>`: kill it first, then hoku, as a crash of both would.
    const reaper = Bun.spawnSync(["pgrep", "-f", "hoku-reaper", "-P", String(first.proc.pid)]).stdout.toString().trim().split("\n").map(Number);
    for (const pid of reaper.filter(Boolean)) process.kill(pid, "SIGKILL");
    await Bun.sleep(100);
    first.signal("SIGKILL");
    await first.exited;
    await Bun.sleep(500);
    expect(existsSync(`/proc/${server}`)).toBe(true); // left behind, holding its port and data
    expect(readFileSync(join(stateDir, "addons", addonRecords(stateDir)[0]!.name, "server.pid"), "utf8")).toStartWith(`${server} `);
    const second = await start();
    await second.waitFor(LISTENING, START_MS);
    expect(await waitAllDead([server!], 5000)).toEqual([]);
    expect(await second.stop()).toBe(143);
    expect(await noServers(appId)).toEqual([]);
  }, 120_000);

  test("a postmaster.pid naming a live process that is not Postgres is removed, and Postgres starts", async () => {
    const { appId, stateDir, start } = app(["heroku-postgresql"]);
    const first = await start();
    await first.waitFor(LISTENING, START_MS);
    expect(await first.stop()).toBe(143);
    const data = nativePgData(appId, stateDir, addonRecords(stateDir)[0]!.name);
    const sleeper = Bun.spawn(["sleep", "60"]);
    writeFileSync(join(data, "postmaster.pid"), `${sleeper.pid}\n${data}\n0\n5432\n\n127.0.0.1\n0 0\nready\n`);
    const second = await start();
    await second.waitFor(LISTENING, START_MS);
    expect(await second.stop()).toBe(143);
    sleeper.kill();
  }, 120_000);

  test.skipIf(process.getuid?.() !== 0)("addons:destroy (as root) removes the add-on's folder under /var/lib/hoku: data, certificate, any password file", async () => {
    const { dir, env, appId, stateDir, start } = app(["heroku-postgresql"]);
    const hoku = await start();
    await hoku.waitFor(LISTENING, START_MS);
    expect(await hoku.stop()).toBe(143);
    const folder = join("/var/lib/hoku", appId, addonRecords(stateDir)[0]!.name);
    expect(existsSync(join(folder, "pgdata"))).toBe(true);
    writeFileSync(join(folder, ".pwfile"), "left by a killed initdb\n", { mode: 0o600 });
    const destroyed = await runHoku(["addons:destroy", "DATABASE", "--confirm", basename(dir)], { cwd: dir, env });
    expect(destroyed.stderr).toMatch(/^Destroying \S+ on ⬢ .+\.\.\. done\n$/); // the action line (stderr, as the heroku CLI's), nothing else
    expect(destroyed.code).toBe(0);
    expect(existsSync(folder)).toBe(false);
    expect(existsSync(join("/var/lib/hoku", appId))).toBe(false);
  }, 120_000);
});

describe.skipIf(process.getuid?.() !== 0)("native Postgres as a non-root user (run as nobody)", () => {
  test("in a folder whose long name has commas and spaces (the Unix socket path was too long)", async () => {
    const base = tempDir("hoku-nobody-");
    chmodSync(base, 0o755);
    const dir = join(base, "my app, the long-named one, with spaces, and commas, for testing");
    mkdirSync(dir);
    cpSync(makeAddonsApp({ addons: ["heroku-postgresql"] }), dir, { recursive: true });
    const state = join(base, "state");
    mkdirSync(state, { mode: 0o700 });
    const bin = join(base, "hoku");
    cpSync(HOKU, bin);
    for (const path of [dir, state, bin]) Bun.spawnSync(["chown", "-R", "nobody:nogroup", path]);
    chownSync(state, 65534, 65534);
    const env = nativeEnv({ XDG_STATE_HOME: state, HOME: base });
    const port = await freeBase();
    // runuser resets part of the environment: env sets what hoku needs again.
    const hoku = new Running(["start", "--no-tui", "--color", "never", "--addons", "native", "-p", String(port)], {
      cwd: dir,
      env,
      command: ["runuser", "-u", "nobody", "--", "env", `PATH=${env.PATH}`, `XDG_STATE_HOME=${state}`, `HOME=${base}`, bin],
    });
    await hoku.waitFor(LISTENING, START_MS);
    expect(hoku.output).not.toContain("too long");
    expect(await http(port, "POST", "/pg/planet/mars")).toEqual({ status: 200, body: "ok\n" });
    expect(await http(port, "GET", "/pg/planet")).toEqual({ status: 200, body: "mars" });
    expect(await hoku.stop()).toBe(143);
  }, 120_000);
});
