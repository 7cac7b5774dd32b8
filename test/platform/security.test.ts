/**
 * What held in the fault-injection pass, kept under test: nothing listens beyond 127.0.0.1,
 * hoku's state is readable by its user alone, and every add-on gets a random password of its own.
 */
import { afterEach, expect, test } from "bun:test";
import { readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { addonRecords, appIdentity, cleanupNative, LISTENING, makeAddonsApp, withDescendants } from "../helpers/addons.ts";
import { freeBase, killLeftovers, Running, testEnv } from "../helpers/hoku.ts";

const apps: string[] = [];
afterEach(async () => {
  killLeftovers();
  for (const appId of apps.splice(0)) await cleanupNative(appId);
});

/** Local addresses (hex, as /proc/net/tcp{,6} write them) of the TCP sockets these pids listen on. */
function listeningAddresses(pids: readonly number[]): string[] {
  const inodes = new Set<string>();
  for (const pid of pids) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
        if (inode) inodes.add(inode);
      }
    } catch {} // gone, or not ours to read
  }
  const addresses: string[] = [];
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"])
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === "0A" && inodes.has(fields[9]!)) addresses.push(fields[1]!);
    }
  return addresses;
}

test("hoku, its dyno and its native add-ons (two Postgres, Redis) listen on 127.0.0.1 only; state is 0600/0700; passwords are random per add-on", async () => {
  const dir = makeAddonsApp({ addons: ["heroku-postgresql", "heroku-redis", { plan: "heroku-postgresql", as: "SECOND_DB" }] });
  const env = testEnv({ PATH: `${process.env.PATH}:/usr/lib/postgresql/15/bin` });
  const { appId, stateDir } = appIdentity(dir, env);
  apps.push(appId);
  const hoku = new Running(["start", "--no-tui", "--color", "never", "--addons", "native", "-p", String(await freeBase())], { cwd: dir, env });
  await hoku.waitFor(LISTENING, 90_000);
  const addresses = listeningAddresses(withDescendants([hoku.proc.pid]));
  expect(addresses.length).toBeGreaterThanOrEqual(4); // the web dyno, two Postgres, Redis
  // 0100007F is 127.0.0.1; in tcp6, ::ffff:127.0.0.1 or ::1.
  for (const address of addresses) expect(address).toMatch(/^(0100007F|0000000000000000FFFF00000100007F|00000000000000000000000001000000):/);
  expect(await hoku.stop()).toBe(143);

  const root = dirname(dirname(stateDir));
  expect(statSync(join(root, "hoku.db")).mode & 0o777).toBe(0o600);
  for (const folder of [root, join(root, "apps"), stateDir]) expect(statSync(folder).mode & 0o777).toBe(0o700);
  const records = addonRecords(stateDir) as { name: string; password?: string }[];
  for (const record of records) expect(statSync(join(stateDir, "addons", record.name, "addon.json")).mode & 0o777).toBe(0o600);
  const passwords = records.map((r) => r.password);
  expect(passwords).toHaveLength(3);
  for (const password of passwords) expect(password).toMatch(/^[0-9a-f]{32}$/);
  expect(new Set(passwords).size).toBe(3);
}, 120_000);
