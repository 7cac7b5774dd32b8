/**
 * The supervisor with a scripted spawner and a manual clock (honcho's way): restart
 * and backoff, exit-on-crash, and the SIGTERM -> SIGKILL escalation, without waiting.
 */
import { describe, expect, test } from "bun:test";
import type { Clock } from "../../src/runtime/clock.ts";
import type { DynoSpec } from "../../src/runtime/dyno.ts";
import type { AppEvent } from "../../src/runtime/events.ts";
import { LogBus } from "../../src/runtime/log-bus.ts";
import { linesOf, lineText } from "../../src/runtime/line-splitter.ts";
import type { SpawnedProcess, SpawnRequest } from "../../src/runtime/pty-process.ts";
import { Supervisor, type SupervisorOptions } from "../../src/runtime/supervisor.ts";

class ManualClock implements Clock {
  time = 0;
  timers: { at: number; fn: () => void }[] = [];
  now = () => new Date(this.time);
  after = (ms: number, fn: () => void) => {
    const timer = { at: this.time + ms, fn };
    this.timers.push(timer);
    return () => (this.timers = this.timers.filter((t) => t !== timer));
  };
  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
  }
}

interface Scripted extends SpawnedProcess {
  request: SpawnRequest;
  exit(status: number): void;
}

function harness(
  options: { exitOnCrash?: boolean; bootTimeoutMs?: number; neverBound?: boolean; prepare?: SupervisorOptions["prepare"]; specFor?: SupervisorOptions["specFor"]; cycle?: SupervisorOptions["cycle"]; memory?: SupervisorOptions["memory"]; slowBootNoteMs?: number } = {},
) {
  const clock = new ManualClock();
  const bus = new LogBus();
  const events: AppEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const spawned: Scripted[] = [];
  const signals: [number | undefined, string, string][] = [];
  let pid = 100;
  const spawner = (request: SpawnRequest): Scripted => {
    let exit!: (status: number) => void;
    const exited = new Promise<number>((resolve) => (exit = resolve));
    const proc = { pid: ++pid, request, exited, exit, write() {}, resize() {} };
    spawned.push(proc);
    return proc;
  };
  const specs: DynoSpec[] = [
    { name: "web.1", type: "web", command: "serve", port: 5006, env: { PORT: "5006" } },
    { name: "worker.1", type: "worker", command: "work", env: {} },
  ];
  const supervisor = new Supervisor(specs, {
    bus,
    cwd: "/app",
    runId: "run",
    spawner,
    clock,
    backoff: { baseMs: 60_000, capMs: 200_000 },
    exitOnCrash: options.exitOnCrash,
    probe: async () => !options.neverBound,
    bootTimeoutMs: options.bootTimeoutMs,
    slowBootNoteMs: options.slowBootNoteMs,
    prepare: options.prepare,
    specFor: options.specFor,
    cycle: options.cycle,
    memory: options.memory,
    containment: {
      kind: "session",
      argv: (_tag, argv) => [...argv],
      signal: (targets, signal) => void targets.forEach(({ pgid, tag }) => signals.push([pgid, tag, signal])),
      survivors: () => new Set(),
      killLeftovers: () => 0,
      release() {},
      close() {},
    },
  });
  const lines = () => events.map((e) => (e.kind === "state" ? `${e.dyno} ${e.from}->${e.to}` : e.kind === "status" ? `${e.dyno} ${e.text}` : `${e.dyno} | ${linesOf(e).map(lineText).join("/")}`));
  return { clock, supervisor, spawned, signals, lines, events };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("supervisor", () => {
  test("starts every dyno with its env and tag; web is up once the probe answers", async () => {
    const { supervisor, spawned, lines } = harness();
    supervisor.start();
    await tick();
    expect(spawned.map((p) => p.request.env.HOKU_DYNO_TAG)).toEqual(["run/web.1/1", "run/worker.1/1"]);
    expect(spawned[0]!.request.env.PORT).toBe("5006");
    expect(spawned[0]!.request.cwd).toBe("/app");
    expect(lines()).toContain("web.1 starting->up");
    expect(lines()).toContain("worker.1 starting->up");
  });

  test("before start, a restart, a start or a scale-up launches nothing: the dynos start with the others (a release's gap)", async () => {
    const { supervisor, spawned } = harness({ specFor: (type, instance) => ({ name: `${type}.${instance}`, type, command: "work", env: {} }) });
    await supervisor.restart("web.1", 1000);
    supervisor.startDyno("worker.1");
    await supervisor.scale("worker", 2, 1000);
    expect(spawned).toEqual([]);
    supervisor.start();
    await tick();
    expect(spawned.map((p) => p.request.env.HOKU_DYNO_TAG)).toEqual(["run/web.1/1", "run/worker.1/1", "run/worker.2/1"]);
  });

  test("a dyno stopped before start stays down when the others start; startDyno starts it", async () => {
    const { supervisor, spawned } = harness();
    await supervisor.stopDyno("worker.1", 1000);
    supervisor.start();
    await tick();
    expect(spawned.map((p) => p.request.env.HOKU_DYNO_TAG)).toEqual(["run/web.1/1"]);
    supervisor.startDyno("worker.1");
    expect(spawned.map((p) => p.request.env.HOKU_DYNO_TAG)).toEqual(["run/web.1/1", "run/worker.1/1"]);
  });

  test("a dyno already stopping is not signalled again when the whole run stops: one SIGTERM, one 'Stopping' line", async () => {
    const { supervisor, spawned, signals, lines } = harness();
    supervisor.start();
    await tick();
    const stoppingWorker = supervisor.stopDyno("worker.1", 1000);
    const stoppingAll = supervisor.stop(1000);
    await tick();
    expect(signals.filter(([, tag, signal]) => tag.includes("worker.1") && signal === "SIGTERM")).toHaveLength(1);
    for (const proc of spawned) proc.exit(143);
    await Promise.all([stoppingWorker, stoppingAll]);
    expect(lines().filter((l) => l === "worker.1 Stopping all processes with SIGTERM")).toHaveLength(1);
  });

  test("daily cycling (DY-7): each start of a formation dyno is due after its own cycle; any new start resets the clock; a one-off is never cycled", async () => {
    const due: string[] = [];
    const { supervisor, spawned, clock, lines } = harness({ cycle: { afterMs: () => 1000, due: (name) => due.push(name) } });
    supervisor.start();
    await tick();
    clock.advance(500);
    spawned[1]!.exit(1); // worker.1 crashes: its first crash restarts it at once, a new start
    await tick();
    void supervisor.runOnce({ name: "run.1234", type: "run", command: "sleep", env: {} });
    clock.advance(499);
    expect(due).toEqual([]);
    clock.advance(1);
    expect(due).toEqual(["web.1"]);
    clock.advance(500);
    expect(due).toEqual(["web.1", "worker.1"]);

    const restarting = supervisor.restart("web.1", 1000, "Cycling");
    await tick();
    spawned[0]!.exit(143);
    await restarting;
    expect(lines().slice(lines().indexOf("web.1 Cycling"))).toEqual([
      "web.1 Cycling",
      "web.1 up->stopping",
      "web.1 Stopping all processes with SIGTERM",
      "web.1 Process exited with status 143",
      "web.1 stopping->down",
      "web.1 down->starting",
      "web.1 Starting process with command `serve`",
      "web.1 starting->up",
    ]);
    clock.advance(5000);
    expect(due.filter((name) => name === "run.1234")).toEqual([]);
  });

  test("memory (DY-9): each sample over the quota is R14 at most every 20 s, the dyno running on; twice it is R15, SIGKILL, and a crash", async () => {
    const rss = new Map<number, number>();
    const { supervisor, spawned, clock, lines, signals } = harness({ memory: { quotaBytes: 100, everyMs: 5000, read: (pid) => rss.get(pid) ?? 0 } });
    supervisor.start();
    await tick();
    const [web, worker] = spawned;
    rss.set(worker!.pid, 150);
    clock.advance(5000);
    expect(lines().filter((l) => l.startsWith("worker.1 Process running") || l.includes("Error R1"))).toEqual(["worker.1 Process running mem=0M(150.0%)", "worker.1 Error R14 (Memory quota exceeded)"]);
    clock.advance(15_000);
    expect(lines().filter((l) => l.includes("Error R14"))).toHaveLength(1);
    clock.advance(5000);
    expect(lines().filter((l) => l.includes("Error R14"))).toHaveLength(2);
    expect(signals.filter(([, , signal]) => signal === "SIGKILL")).toEqual([]);

    rss.set(web!.pid, 200);
    clock.advance(5000);
    expect(lines().filter((l) => l.startsWith("web.1 "))).toContain("web.1 Error R15 (Memory quota vastly exceeded)");
    expect(lines().at(-1)).toBe("web.1 Stopping process with SIGKILL");
    expect(signals.filter(([, , signal]) => signal === "SIGKILL").map(([pgid]) => pgid)).toEqual([web!.pid]);
    web!.exit(137);
    await tick();
    expect(lines()).toContain("web.1 up->crashed");
  });

  test("output becomes whole lines; a partial line is flushed at exit", async () => {
    const { supervisor, spawned, lines } = harness();
    supervisor.start();
    const web = spawned[0]!;
    web.request.onData(new TextEncoder().encode("one\r\ntw"));
    web.request.onData(new TextEncoder().encode("o\r\nthree"));
    web.exit(0);
    await tick();
    expect(lines().filter((l) => l.startsWith("web.1 |"))).toEqual(["web.1 | one", "web.1 | two", "web.1 | three"]);
  });

  test("crash: restart at once, then 1x, 2x backoff, capped; each crash logged in Heroku's words", async () => {
    const { supervisor, spawned, clock, lines } = harness();
    supervisor.start();
    const crash = async () => {
      spawned.filter((p) => p.request.command === "work").at(-1)!.exit(1);
      await tick();
    };
    const workers = () => spawned.filter((p) => p.request.command === "work").length;
    await crash();
    expect(workers()).toBe(2); // at once
    await crash();
    expect(lines()).toContain("worker.1 Crashed 2 times in a row; restarting in 1m");
    clock.advance(59_999);
    expect(workers()).toBe(2);
    clock.advance(1);
    expect(workers()).toBe(3);
    await crash();
    clock.advance(119_999);
    expect(workers()).toBe(3);
    clock.advance(1);
    expect(workers()).toBe(4);
    await crash();
    expect(lines()).toContain("worker.1 Crashed 4 times in a row; restarting in 3m"); // capped at 200s
    expect(lines()).toContain("worker.1 Process exited with status 1");
    expect(lines()).toContain("worker.1 up->crashed");
    expect(lines()).toContain("worker.1 crashed->starting");
    expect(supervisor.dynos()[1]!.restarts).toBe(3);
  });

  test("every dyno crashed: said once, with each last status, a hint for 127, and when the next restart comes", async () => {
    const { supervisor, spawned, clock, lines } = harness();
    supervisor.start();
    const crashAll = async (status: number) => {
      for (const command of ["serve", "work"]) spawned.filter((p) => p.request.command === command).at(-1)!.exit(status);
      await tick();
    };
    await crashAll(127); // restarted at once
    expect(lines().filter((l) => l.includes("Every dyno has crashed"))).toEqual([]);
    await crashAll(127); // both wait out the backoff now
    const said = lines().filter((l) => l.includes("Every dyno has crashed"));
    expect(said).toEqual([
      "hoku Every dyno has crashed: web.1 (status 127), worker.1 (status 127). Status 127: the command was not found: are the app's dependencies installed (npm install, pip install -r requirements.txt, bundle install)? Next restart: web.1 in 1m (--backoff sets the cool-off).",
    ]);
    clock.advance(60_000); // both restart, then crash again: said again only after one was up
    await crashAll(1);
    expect(lines().filter((l) => l.includes("Every dyno has crashed"))).toHaveLength(2);
  });

  test("runOnce (the release phase): logged like a dyno, never restarted, exits to `complete` with its status", async () => {
    const { supervisor, spawned, lines } = harness({ exitOnCrash: true });
    const done = supervisor.runOnce({ name: "release.1", type: "release", command: "migrate", env: {} });
    expect(spawned.map((p) => p.request.command)).toEqual(["migrate"]);
    spawned[0]!.exit(0);
    expect(await done).toBe(0);
    await tick();
    expect(lines()).toContain("release.1 Process exited with status 0");
    expect(lines()).toContain("release.1 up->complete");
    expect(lines().some((l) => l.includes("crashed"))).toBe(false);
    expect(spawned).toHaveLength(1);
    const failed = supervisor.runOnce({ name: "release.1", type: "release", command: "migrate", env: {} });
    spawned[1]!.exit(3);
    expect(await failed).toBe(3);
    expect(spawned).toHaveLength(2);
  });

  test("a release dyno that ran is not run again by the formation's start, nor by a restart of it", async () => {
    const { supervisor, spawned } = harness();
    const done = supervisor.runOnce({ name: "release.1", type: "release", command: "migrate", env: {} });
    spawned[0]!.exit(0);
    await done;
    supervisor.start();
    await supervisor.restart("release.1", 1000);
    await tick();
    expect(spawned.map((p) => p.request.command)).toEqual(["migrate", "serve", "work"]);
  });

  test("hoku start's slow-boot note: a web dyno not bound by then gets one line and keeps running (heroku local kills nothing)", async () => {
    const { supervisor, clock, signals, lines } = harness({ slowBootNoteMs: 60_000, neverBound: true });
    supervisor.start();
    await tick();
    clock.advance(59_999);
    expect(lines().some((l) => l.includes("not listening"))).toBe(false);
    clock.advance(1);
    expect(lines()).toContain("web.1 not listening on $PORT (5006) 60 seconds after its start (a deployed dyno would get R10 now); still waiting: does it listen on $PORT?");
    clock.advance(600_000);
    expect(lines().filter((l) => l.includes("not listening"))).toHaveLength(1);
    expect(signals).toEqual([]);
  });

  test("R10: a web dyno not bound within the boot timeout is killed with DY-4's lines, then crashes", async () => {
    const { supervisor, spawned, clock, signals, lines } = harness({ bootTimeoutMs: 60_000, neverBound: true });
    supervisor.start();
    await tick();
    clock.advance(59_999);
    expect(lines().some((l) => l.includes("R10"))).toBe(false);
    clock.advance(1);
    expect(lines()).toContain("web.1 Error R10 (Boot timeout) -> Web process failed to bind to $PORT within 60 seconds of launch");
    expect(lines()).toContain("web.1 Stopping process with SIGKILL");
    expect(signals).toContainEqual([101, "run/web.1/1", "SIGKILL"]);
    spawned[0]!.exit(137);
    await tick();
    expect(lines()).toContain("web.1 Process exited with status 137");
    expect(lines()).toContain("web.1 starting->crashed");
  });

  test("prepare lays out each start (cwd, argv) and its dispose runs once that start is gone", async () => {
    const disposed: number[] = [];
    const { supervisor, spawned } = harness({ prepare: (spec, generation) => ({ cwd: `/slugs/${spec.name}.${generation}`, argv: ["sandbox", spec.command], dispose: () => disposed.push(generation) }) });
    supervisor.start();
    expect(spawned[1]!.request.cwd).toBe("/slugs/worker.1.1");
    expect(spawned[1]!.request.argv).toEqual(["sandbox", "work"]);
    spawned[1]!.exit(1);
    await tick();
    expect(disposed).toEqual([1]);
    expect(spawned[2]!.request.cwd).toBe("/slugs/worker.1.2"); // restarted at once, from a fresh layout
  });

  test("--exit-on-crash: the first exit resolves crashExit with its status and nothing restarts", async () => {
    const { supervisor, spawned } = harness({ exitOnCrash: true });
    supervisor.start();
    spawned[1]!.exit(7);
    expect(await supervisor.crashExit).toBe(7);
    expect(spawned.length).toBe(2);
  });

  test("stop: SIGTERM to each dyno's group and tag; done when all exit, no SIGKILL", async () => {
    const { supervisor, spawned, signals, lines } = harness();
    supervisor.start();
    const stopped = supervisor.stop(5000);
    expect(signals).toEqual([
      [101, "run/web.1/1", "SIGTERM"],
      [102, "run/worker.1/1", "SIGTERM"],
    ]);
    for (const p of spawned) p.exit(143);
    await stopped;
    expect(lines()).toContain("web.1 stopping->down");
    expect(signals.some(([, , s]) => s === "SIGKILL")).toBe(false);
  });

  test("stop: a dyno still running after the timeout gets R12 and SIGKILL", async () => {
    const { supervisor, spawned, signals, clock, lines } = harness();
    supervisor.start();
    const stopped = supervisor.stop(5000);
    spawned[0]!.exit(0);
    await tick();
    clock.advance(4999);
    await tick();
    expect(signals.filter(([, , s]) => s === "SIGKILL")).toEqual([]);
    clock.advance(1);
    await tick();
    expect(signals.filter(([, , s]) => s === "SIGKILL")).toEqual([[102, "run/worker.1/1", "SIGKILL"]]);
    expect(lines()).toContain("worker.1 Error R12 (Exit timeout) -> At least one process failed to exit within 5 seconds of SIGTERM");
    spawned[1]!.exit(137);
    await stopped;
    expect(lines()).toContain("worker.1 Process exited with status 137");
  });

  test("stop cancels a pending restart; a crashed dyno goes down", async () => {
    const { supervisor, spawned, clock, lines } = harness();
    supervisor.start();
    spawned[1]!.exit(1);
    await tick();
    spawned[2]!.exit(1); // second crash: waiting 1m
    await tick();
    const stopped = supervisor.stop(1000);
    spawned[0]!.exit(0);
    await stopped;
    clock.advance(10 * 60_000);
    expect(spawned.length).toBe(3);
    expect(lines()).toContain("worker.1 crashed->down");
  });

  test("regression: two restarts at once (r pressed twice) start one new process, not two", async () => {
    const { supervisor, spawned } = harness();
    supervisor.start();
    const workers = () => spawned.filter((p) => p.request.command === "work");
    const first = supervisor.restart("worker.1", 5000);
    const second = supervisor.restart("worker.1", 5000);
    workers()[0]!.exit(143);
    await Promise.all([first, second]);
    expect(workers().length).toBe(2);
  });

  test("regression: a restart finishing after stop began starts nothing", async () => {
    const { supervisor, spawned } = harness();
    supervisor.start();
    const restarting = supervisor.restart("worker.1", 5000);
    const stopping = supervisor.stop(5000);
    for (const p of spawned) p.exit(143);
    await Promise.all([restarting, stopping]);
    expect(spawned.length).toBe(2);
  });
});
