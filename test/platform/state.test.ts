/**
 * hoku's state (hoku.db) under concurrency, damage and planted rows: the real binary on temp
 * apps with their own state folder.
 */
import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { existsSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { addonRecords, appIdentity, editAddonState, makeAddonsApp } from "../helpers/addons.ts";
import { freeBase, Running, runHoku, testEnv } from "../helpers/hoku.ts";

function app(name: string, addons: unknown[] = []) {
  const dir = makeAddonsApp({ addons, name });
  const env = testEnv();
  const { stateDir } = appIdentity(dir, env);
  const hoku = (...args: string[]) => runHoku(args, { cwd: dir, env });
  return { dir, env, stateDir, hoku, db: join(dirname(dirname(stateDir)), "hoku.db") };
}

describe("hoku.db", () => {
  test("10 addons:create at once: each says Created and all 10 records survive (they once lost 2)", async () => {
    const { hoku, stateDir } = app("parallel-app");
    const results = await Promise.all(Array.from({ length: 10 }, () => hoku("addons:create", "heroku-redis")));
    for (const result of results) {
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("Created redis-");
    }
    const records = addonRecords(stateDir);
    expect(records).toHaveLength(10);
    expect(new Set(records.map((r) => r.name)).size).toBe(10);
  });

  test("two --as with the same name at once: exactly one is created", async () => {
    const { hoku, stateDir } = app("as-race-app");
    const results = await Promise.all(Array.from({ length: 4 }, () => hoku("addons:create", "heroku-redis", "--as", "CACHE")));
    expect(results.filter((r) => r.code === 0)).toHaveLength(1);
    for (const failed of results.filter((r) => r.code !== 0)) expect(failed.stderr).toContain("an add-on is already attached as CACHE");
    expect(addonRecords(stateDir)).toHaveLength(1);
  });

  test.each([
    ["{}", {}],
    ["null", null],
    ['{"addons":[null]}', { addons: [null] }],
    ['{"addons":[{"name":"x"}]}', { addons: [{ name: "x" }] }],
  ])("damaged records (%s): a clear error naming the data folders and the fix, never a TypeError; addons:repair rebuilds them", async (_name, damaged) => {
    const { hoku, stateDir } = app("damaged-app", ["heroku-postgresql"]);
    expect((await hoku("addons")).code).toBe(0);
    const [record] = addonRecords(stateDir);
    editAddonState(stateDir, () => damaged);
    for (const command of [["addons"], ["start", "-p", String(await freeBase())]]) {
      const { code, stderr } = await hoku(...command);
      expect(code).toBe(1);
      expect(stderr).toContain(`the add-on records of ${basename(stateDir)} (hoku.db) are damaged`);
      expect(stderr).toContain(join(stateDir, "addons", record!.name));
      expect(stderr).toContain("hoku addons:repair");
      expect(stderr).not.toMatch(/TypeError|^\s+at /m);
    }
    const repair = await hoku("addons:repair");
    expect(repair.code).toBe(0);
    expect(repair.stdout).toContain(`Rebuilt 1 add-on record(s) of damaged-app from ${join(stateDir, "addons")}: ${record!.name}`);
    expect(addonRecords(stateDir)).toEqual([expect.objectContaining({ id: record!.id, name: record!.name })]);
  });

  test("hoku.db moved aside: the records (names, ports, passwords) come back from the data folders, and hoku says so", async () => {
    const { hoku, stateDir, db } = app("moved-app", ["heroku-postgresql", "heroku-redis"]);
    expect((await hoku("addons")).code).toBe(0);
    const before = addonRecords(stateDir);
    renameSync(db, `${db}.broken`);
    for (const suffix of ["-wal", "-shm"]) if (existsSync(db + suffix)) renameSync(db + suffix, `${db}.broken${suffix}`);
    const { code, stdout, stderr } = await hoku("addons");
    expect(code).toBe(0);
    expect(stderr).toContain("rebuilt 2 add-on record(s) of moved-app from their data folders");
    expect(stdout).toContain(before[0]!.name);
    const byName = (records: { name: string }[]) => [...records].sort((a, b) => a.name.localeCompare(b.name));
    expect(byName(addonRecords(stateDir))).toEqual(byName(before));
  });

  test("a hoku.db that is not a database: a clear error with the fix", async () => {
    const { hoku, db } = app("garbage-app", ["heroku-redis"]);
    writeFileSync(db, "this is not a database, it is a text file of some length ".repeat(100));
    const { code, stderr } = await hoku("addons");
    expect(code).toBe(1);
    expect(stderr).toContain(`${db} cannot be used`);
    expect(stderr).toContain(`mv ${db} ${db}.broken`);
  });

  test("a claim naming pid 1, or a pid now reused by another process, is stale, not a lock", async () => {
    const { dir, env, stateDir, db, hoku } = app("stale-app", ["heroku-postgresql"]);
    expect((await hoku("addons")).code).toBe(0);
    const state = new Database(db);
    state.query("INSERT OR REPLACE INTO addon_owners (app_id, pid, started, vars) VALUES (?, 1, '0', '{}')").run(basename(stateDir));
    state.close();
    const started = new Running(["start", "--addons", "embedded", "-p", String(await freeBase()), "--color", "never"], { cwd: dir, env });
    await started.waitFor(/ready in [\d.]+ s/, 60_000);
    expect(await started.stop()).toBe(143);
    expect(started.output).not.toContain("run by another hoku");
    // The process of this test is alive, but it is not the hoku that claimed (another start time).
    const reused = new Database(db);
    reused.query("INSERT OR REPLACE INTO addon_owners (app_id, pid, started, vars) VALUES (?, ?, 'not-its-start', '{}')").run(basename(stateDir), process.pid);
    reused.close();
    const destroy = await hoku("addons:destroy", "DATABASE", "--confirm", "stale-app");
    expect(destroy.code).toBe(0);
  }, 90_000);
});
