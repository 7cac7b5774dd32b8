import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Dyno } from "../../src/runtime/dyno.ts";
import { cpuPercent, readSessionUsage } from "../../src/runtime/proc-stats.ts";
import { MetricsSampler } from "../../src/ui/dyno-metrics.ts";

const linux = process.platform === "linux";
const spawned: number[] = [];

/** Starts `bash -c script` in its own session (its pid is the session id). */
function session(script: string, argv0 = "bash"): number {
  const proc = Bun.spawn([argv0, "-c", script], { detached: true, stdio: ["ignore", "ignore", "ignore"] });
  spawned.push(proc.pid);
  return proc.pid;
}

afterEach(() => {
  for (const pid of spawned.splice(0)) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {}
  }
});

/** Pids whose session is `sid`, read independently of proc-stats (from /proc/<pid>/status). */
function membersOf(sid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, "utf8");
      const nssid = /^NSsid:\s+(\d+)/m.exec(status);
      if (nssid && Number(nssid[1]) === sid) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}
/** The process's command name, from /proc/<pid>/comm ("" once it is gone). */
function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}
/**
 * Waits until the session has `sleeps` processes past their exec of `sleep` (a fork of bash not
 * yet exec'd has bash's larger RSS), and then until they are done loading (a just-exec'd
 * program's RSS grows as its libraries fault in): RSS read now and a moment later agree.
 */
async function settled(sid: number, sleeps: number, name = "sleep"): Promise<void> {
  await waitFor(() => membersOf(sid).filter((pid) => commOf(pid) === name).length === sleeps);
  await Bun.sleep(300);
}
/** VmRSS in bytes, from /proc/<pid>/status. */
function vmRss(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) * 1024 : 0;
}

async function waitFor(check: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await Bun.sleep(20);
  }
}

describe("cpuPercent", () => {
  test.each([
    // before, after, elapsedMs, expected %
    [0, 100, 1000, 100], // 100 ticks = 1 s of CPU in 1 s
    [0, 50, 1000, 50],
    [0, 200, 1000, 200], // two cores busy
    [10, 60, 500, 100],
    [1000, 1001, 1000, 1],
    [0, 25, 2000, 12.5],
    [500, 500, 1000, 0], // idle
    [0, 100, 0, 0], // no time passed
    [0, 100, -5, 0], // clock went backwards
    [100, 50, 1000, 0], // counter went backwards (pid reused)
  ])("%i -> %i ticks in %i ms = %d%%", (before, after, elapsed, expected) => {
    expect(cpuPercent(before, after, elapsed)).toBeCloseTo(expected, 10);
  });
});

describe.if(linux)("readSessionUsage", () => {
  test("no sessions: empty map", () => {
    expect(readSessionUsage(new Set()).size).toBe(0);
  });

  test("a session with no process is missing from the map", () => {
    // pid_max is at most 2^22, so this id cannot exist
    expect(readSessionUsage(new Set([4_194_304 + 12_345])).size).toBe(0);
  });

  test("sums RSS and ticks over every process of the session", async () => {
    const sid = session("sleep 5 & sleep 5 & wait");
    await settled(sid, 2); // bash + 2 sleeps
    const members = membersOf(sid);
    const rssEach = members.map(vmRss);

    const usage = readSessionUsage(new Set([sid]));
    const mine = usage.get(sid);
    expect(mine).toBeDefined();
    expect(mine!.ticks).toBeGreaterThanOrEqual(0);
    expect(Number.isInteger(mine!.ticks)).toBe(true);
    expect(mine!.rssBytes).toBeGreaterThan(0);
    expect(mine!.rssBytes % 4096).toBe(0);
    // more than any single process: at least two processes counted
    expect(mine!.rssBytes).toBeGreaterThan(Math.max(...rssEach));
    const [a, b] = [...rssEach].sort((x, y) => y - x);
    expect(mine!.rssBytes).toBeGreaterThanOrEqual(((a ?? 0) + (b ?? 0)) * 0.9);
    // and about the sum of all of them (rss counters may lag a little)
    const total = rssEach.reduce((s, r) => s + r, 0);
    expect(Math.abs(mine!.rssBytes - total)).toBeLessThan(total * 0.2);
    // only the session asked for
    expect([...usage.keys()]).toEqual([sid]);
  });

  test("counts grandchildren too (a subshell's own background jobs)", async () => {
    const sid = session("(sleep 5 & sleep 5 & wait) & wait");
    await settled(sid, 2); // bash, the subshell, 2 sleeps
    const members = membersOf(sid);
    const total = members.map(vmRss).reduce((s, r) => s + r, 0);
    const usage = readSessionUsage(new Set([sid])).get(sid)!;
    expect(Math.abs(usage.rssBytes - total)).toBeLessThan(total * 0.2);
  });

  test("several sessions at once are kept apart", async () => {
    const one = session("sleep 5 & wait");
    const two = session("sleep 5 & sleep 5 & sleep 5 & wait");
    await settled(one, 1);
    await settled(two, 3);
    const usage = readSessionUsage(new Set([one, two]));
    expect(new Set(usage.keys())).toEqual(new Set([one, two]));
    expect(usage.get(one)!.rssBytes).toBeGreaterThan(0);
    // two has two more sleeps than one
    expect(usage.get(two)!.rssBytes).toBeGreaterThan(usage.get(one)!.rssBytes);
  });

  test("the test runner's own session is not counted in a child's session", async () => {
    const sid = session("sleep 5 & wait");
    await waitFor(() => membersOf(sid).length >= 2);
    const own = readFileSync("/proc/self/stat", "latin1");
    const ownSession = Number(own.slice(own.lastIndexOf(")") + 2).split(" ")[3]);
    expect(ownSession).not.toBe(sid);
    const usage = readSessionUsage(new Set([sid]));
    expect(usage.has(ownSession)).toBe(false);
    // our own RSS (a Bun process, tens of MB) is far above bash + sleep
    expect(usage.get(sid)!.rssBytes).toBeLessThan(vmRss(process.pid));
  });

  test("a command name with spaces and parentheses does not shift the fields", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hoku-proc-"));
    try {
      const odd = join(dir, "a) b (c");
      symlinkSync(Bun.which("sleep")!, odd);
      const sid = session(`'${odd}' 5 & wait`);
      const comms = () => membersOf(sid).map((pid) => readFileSync(`/proc/${pid}/comm`, "utf8").trim());
      await settled(sid, 1, "a) b (c"); // forked and exec'd
      const mine = readSessionUsage(new Set([sid]));
      expect([...mine.keys()]).toEqual([sid]);
      const usage = mine.get(sid)!;
      const rssEach = membersOf(sid).map(vmRss);
      const total = rssEach.reduce((s, r) => s + r, 0);
      // both bash and the oddly named sleep are counted (a misparsed session field drops it)
      expect(usage.rssBytes).toBeGreaterThan(Math.max(...rssEach));
      expect(Math.abs(usage.rssBytes - total)).toBeLessThan(total * 0.1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a busy session shows > 20% CPU between two samples 1 s apart", async () => {
    const sid = session("end=$((SECONDS+3)); while [ $SECONDS -lt $end ]; do :; done");
    await waitFor(() => readSessionUsage(new Set([sid])).has(sid));
    const t0 = performance.now();
    const first = readSessionUsage(new Set([sid])).get(sid)!;
    await Bun.sleep(1000);
    const second = readSessionUsage(new Set([sid])).get(sid)!;
    const elapsed = performance.now() - t0;
    expect(second.ticks).toBeGreaterThan(first.ticks);
    const cpu = cpuPercent(first.ticks, second.ticks, elapsed);
    expect(cpu).toBeGreaterThan(20);
    expect(cpu).toBeLessThan(150); // one bash loop uses at most one core (plus rounding)
  });

  test("an idle session shows near 0% CPU", async () => {
    const sid = session("sleep 5 & wait");
    await waitFor(() => membersOf(sid).length >= 2);
    await Bun.sleep(100); // let bash finish starting
    const first = readSessionUsage(new Set([sid])).get(sid)!;
    await Bun.sleep(500);
    const second = readSessionUsage(new Set([sid])).get(sid)!;
    expect(cpuPercent(first.ticks, second.ticks, 500)).toBeLessThan(10);
  });
});

describe.if(linux)("MetricsSampler", () => {
  const dyno = (name: string, pid?: number) => ({ name, process: pid === undefined ? undefined : { pid } }) as unknown as Dyno;

  test("a dyno without a process reads 0 and gets history entries", () => {
    const sampler = new MetricsSampler();
    expect(sampler.get("web.1")).toBeUndefined();
    sampler.sample([dyno("web.1")], 0);
    sampler.sample([dyno("web.1")], 1000);
    expect(sampler.get("web.1")).toEqual({ cpu: 0, rssBytes: 0, cpuHistory: [0, 0], rssHistory: [0, 0] });
  });

  test("samples a running session's CPU and RSS, keeping 30 samples of history", async () => {
    const sid = session("end=$((SECONDS+3)); while [ $SECONDS -lt $end ]; do :; done");
    await waitFor(() => (readSessionUsage(new Set([sid])).get(sid)?.rssBytes ?? 0) > 0);
    const sampler = new MetricsSampler();
    const t0 = performance.now();
    sampler.sample([dyno("web.1", sid)], t0);
    expect(sampler.get("web.1")!.cpu).toBe(0); // no previous sample yet
    expect(sampler.get("web.1")!.rssBytes).toBeGreaterThan(0);
    await Bun.sleep(600);
    sampler.sample([dyno("web.1", sid)], performance.now());
    const m = sampler.get("web.1")!;
    expect(m.cpu).toBeGreaterThan(20);
    expect(m.cpuHistory).toHaveLength(2);
    expect(m.cpuHistory.at(-1)).toBe(m.cpu);
    for (let i = 0; i < 40; i++) sampler.sample([dyno("web.1", sid)], performance.now() + 1000 * (i + 1));
    expect(sampler.get("web.1")!.cpuHistory).toHaveLength(30);
    expect(sampler.get("web.1")!.rssHistory).toHaveLength(30);
  });
});
