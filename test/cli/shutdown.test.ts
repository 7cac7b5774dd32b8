/**
 * Shutdown and crashes of `hoku start` (procfile-dotenv-cases.md "Lifecycle" 2-3,
 * heroku-fidelity.md DY-5, DY-6): SIGTERM to every process of every dyno, SIGKILL
 * after --timeout, exit 130/143, no survivor even when hoku is SIGKILLed.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { freeBase, HOKU, makeApp, readPids, Running, runHoku, testEnv, waitAllDead } from "../helpers/hoku.ts";

const loop = "while :; do sleep 0.1; done";

describe("graceful shutdown", () => {
  test.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)("%s: every dyno gets SIGTERM, its handler runs, hoku exits %i", async (signal, code) => {
    const dir = makeApp({
      Procfile: `web: trap 'echo web got TERM; exit 0' TERM; echo ready; ${loop}\nworker: trap 'echo worker got TERM; exit 3' TERM; echo ready; ${loop}`,
    });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--color", "never"], { cwd: dir });
    await hoku.waitFor(/web\.1 +\| ready/);
    await hoku.waitFor(/worker\.1 +\| ready/);
    hoku.signal(signal);
    expect(await hoku.exited).toBe(code);
    expect(hoku.output).toMatch(/web\.1 +\| web got TERM/);
    expect(hoku.output).toMatch(/worker\.1 +\| worker got TERM/);
    expect(hoku.output).toContain("web.1 Process exited with status 0");
    expect(hoku.output).toContain("worker.1 Process exited with status 3");
    expect(hoku.output).toContain("worker.1 State changed from stopping to down");
    expect(hoku.output).not.toContain("R12");
  });

  test("a dyno that ignores SIGTERM gets R12 and SIGKILL after --timeout, and nothing survives", async () => {
    const dir = makeApp({ Procfile: `stubborn: trap '' TERM; echo $$ > pid; echo ready; ${loop}` });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--timeout", "1s", "--color", "never"], { cwd: dir });
    await hoku.waitFor(/stubborn\.1 +\| ready/);
    const started = Date.now();
    hoku.signal("SIGTERM");
    expect(await hoku.exited).toBe(143);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(hoku.output).toContain("stubborn.1 Error R12 (Exit timeout) -> At least one process failed to exit within 1 second of SIGTERM");
    expect(hoku.output).toContain("stubborn.1 Stopping remaining processes with SIGKILL");
    expect(hoku.output).toContain("stubborn.1 Process exited with status 137");
    expect(await waitAllDead(readPids(join(dir, "pid")))).toEqual([]);
  });

  test("grandchildren are stopped too: background jobs, a setsid'd process, one that ignores SIGTERM", async () => {
    const procfile = [
      "web: sleep 300 & echo $! >> pids;",
      "setsid sleep 301 & echo $! >> pids;",
      "(trap '' TERM HUP; exec sleep 302) & echo $! >> pids;",
      `echo ready; ${loop}`,
    ].join(" ");
    const dir = makeApp({ Procfile: procfile });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--timeout", "1", "--color", "never"], { cwd: dir });
    await hoku.waitFor(/web\.1 +\| ready/);
    const pids = readPids(join(dir, "pids"));
    expect(pids.length).toBe(3);
    expect(await waitAllDead(pids, 0)).toEqual(pids); // all alive before
    hoku.signal("SIGINT");
    expect(await hoku.exited).toBe(130);
    expect(await waitAllDead(pids)).toEqual([]);
  });

  test("when the reader of hoku's output goes away (`| head`), hoku stops every dyno and exits 141", async () => {
    const talk = "while :; do echo tick; sleep 0.1; done"; // hoku learns of the closed pipe on its next write
    const dir = makeApp({ Procfile: `web: echo $$ >> pids; ${talk}\nworker: echo $$ >> pids; ${talk}` });
    const base = await freeBase();
    const script = `${HOKU} start -p ${base} --color never | head -n 3 > /dev/null; echo "hoku=\${PIPESTATUS[0]}"`;
    const proc = Bun.spawn(["bash", "-c", script], { cwd: dir, env: testEnv(), stdout: "pipe", stderr: "ignore" });
    const output = await new Response(proc.stdout).text();
    expect(output.trim()).toBe("hoku=141");
    expect(await waitAllDead(readPids(join(dir, "pids")))).toEqual([]);
  });

  test("a second Ctrl-C kills at once, says so, and exits 130", async () => {
    const dir = makeApp({ Procfile: `web: trap '' TERM INT; echo $$ > pid; echo ready; ${loop}` });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--timeout", "60s", "--color", "never"], { cwd: dir });
    await hoku.waitFor(/web\.1 +\| ready/);
    hoku.signal("SIGINT");
    await hoku.waitFor("Stopping all processes with SIGTERM");
    const started = Date.now();
    hoku.signal("SIGINT");
    expect(await hoku.exited).toBe(130);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(hoku.output).toContain("hoku: killed every dyno with SIGKILL (second interrupt)");
    expect(await waitAllDead(readPids(join(dir, "pid")))).toEqual([]);
  });

  test("SIGKILL of hoku leaves no process of the app alive (PTY hangup + reaper)", async () => {
    const procfile = [
      `web: echo $$ >> pids; sleep 300 & echo $! >> pids; echo ready; ${loop}`,
      `worker: echo $$ >> pids; (trap '' HUP TERM; exec sleep 303) & echo $! >> pids; setsid sleep 304 & echo $! >> pids; echo ready; ${loop}`,
      `ignorer: trap '' HUP TERM INT; echo $$ >> pids; echo ready; ${loop}`,
    ].join("\n");
    const dir = makeApp({ Procfile: procfile });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--color", "never"], { cwd: dir });
    for (const dyno of ["web", "worker", "ignorer"]) await hoku.waitFor(new RegExp(`${dyno}\\.1 +\\| ready`));
    const pids = readPids(join(dir, "pids"));
    expect(pids.length).toBe(6);
    hoku.signal("SIGKILL");
    await hoku.exited;
    expect(await waitAllDead(pids, 8000)).toEqual([]);
  });
});

describe("crashes", () => {
  test("first crash restarts at once, then the cool-off doubles from --backoff", async () => {
    const dir = makeApp({ Procfile: "web: echo boom; exit 3" });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--backoff", "1s", "--color", "never"], { cwd: dir });
    await hoku.waitFor("web.1 Crashed 3 times in a row; restarting in 2s", 20000);
    await hoku.stop();
    const lines = hoku.lines.map((l) => l.replace(/^\d\d:\d\d:\d\d /, ""));
    const crash = ["hoku  | web.1 Process exited with status 3", "hoku  | web.1 State changed from starting to crashed"];
    const restart = ["hoku  | web.1 State changed from crashed to starting", "hoku  | web.1 Starting process with command `echo boom; exit 3`"];
    const at = (line: string, from = 0) => lines.indexOf(line, from);
    // crash 1 -> restart at once; crash 2 -> 1s; crash 3 -> 2s
    const c1 = at(crash[1]!);
    expect(lines.slice(c1 + 1, c1 + 3)).toEqual(restart);
    const c2 = at(crash[1]!, c1 + 1);
    expect(lines[c2 + 1]).toBe("hoku  | web.1 Crashed 2 times in a row; restarting in 1s");
    expect(lines[c2 + 2]).toBe("hoku  | Every dyno has crashed: web.1 (status 3). Next restart: web.1 in 1s (--backoff sets the cool-off).");
    expect(lines.slice(c2 + 3, c2 + 5)).toEqual(restart);
    expect(lines.filter((l) => l === "web.1 | boom").length).toBe(3);
  });

  test("--exit-on-crash stops everything and exits with the dyno's code", async () => {
    const dir = makeApp({ Procfile: `web: trap 'echo web stopped; exit 0' TERM; echo ready; ${loop}\nfails: sleep 0.5; exit 7` });
    const { code, stdout } = await runHoku(["start", "-p", String(await freeBase()), "--exit-on-crash", "--color", "never"], { cwd: dir });
    expect(code).toBe(7);
    expect(stdout).toContain("fails.1 Process exited with status 7");
    expect(stdout).toContain("--exit-on-crash");
    expect(stdout).toMatch(/web\.1 +\| web stopped/);
    expect(stdout).not.toContain("fails.1 State changed from crashed to starting");
  });
});

describe("containment: every process of a dyno, however it tries to leave", () => {
  const root = process.getuid?.() === 0;
  // `setsid env -i` leaves the dyno's session and drops HOKU_DYNO_TAG: only a cgroup still holds it.
  const escapee = (marker: string) => `web: (setsid env -i sh -c 'echo $$ > escaped; exec sleep ${marker}' &); echo ready; ${loop}`;

  test.each([
    ["a graceful stop", "SIGTERM"],
    ["a SIGKILL of hoku (the reaper empties the cgroup)", "SIGKILL"],
  ] as const)("%s leaves no escaped process when hoku can make a cgroup (as root); otherwise hoku says once what is not covered", async (_name, signal) => {
    const dir = makeApp({ Procfile: escapee(signal === "SIGTERM" ? "3131" : "3132") });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--color", "never"], { cwd: dir });
    await hoku.waitFor(/web\.1 +\| ready/);
    await Bun.sleep(200);
    const pids = readPids(join(dir, "escaped"));
    expect(pids).toHaveLength(1);
    hoku.signal(signal);
    await hoku.exited;
    if (root) {
      expect(hoku.output).not.toContain("tracked by session");
      expect(await waitAllDead(pids)).toEqual([]);
    } else {
      expect(hoku.output).toContain("a process that leaves its session and clears its environment (setsid env -i cmd &) can outlive hoku");
      for (const pid of pids) process.kill(pid, "SIGKILL");
    }
  });

  test.each([
    ["cgroup", {}],
    ["session and tag", { HOKU_NO_CGROUP: "1" }],
  ] as const)("500 dynos (%s) stop within the timeout plus a second, with R12 lines for the stubborn ones", async (_name, extra) => {
    // SIGTERM stays ignored across exec: a stubborn process that does not fork ten sleeps a second.
    const dir = makeApp({ Procfile: `stubborn: trap '' TERM; exec sleep 600\nquick: exec sleep 600\n` });
    // 500 ports below the kernel's ephemeral range (32768+), where other tests' outgoing connections take ports.
    const base = 20000 + Math.floor(Math.random() * 12) * 1000;
    const hoku = new Running(["start", "stubborn=250,quick=250", "-p", String(base), "-t", "2s", "--format", "heroku"], { cwd: dir, env: testEnv(extra) });
    const deadline = Date.now() + 60_000;
    while (hoku.output.split("Starting process").length - 1 < 500 && Date.now() < deadline) await Bun.sleep(200);
    await Bun.sleep(1000);
    hoku.signal("SIGTERM");
    expect(await hoku.exited).toBe(143);
    // Timed by hoku's own Logplex timestamps (microseconds): from the first SIGTERM to the last exit.
    const at = (line: string | undefined) => Date.parse(line!.slice(0, 23) + "Z");
    const first = at(hoku.lines.find((l) => l.includes("Stopping all processes with SIGTERM")));
    const last = at(hoku.lines.findLast((l) => l.includes("Process exited with status")));
    expect((last - first) / 1000).toBeLessThan(3);
    expect(hoku.lines.filter((l) => l.includes("Error R12 (Exit timeout)"))).toHaveLength(250);
    expect(hoku.lines.filter((l) => /quick\.\d+ Error R12/.test(l))).toHaveLength(0);
  }, 90_000);
});
