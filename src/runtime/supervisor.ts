/**
 * The supervisor runs an app's dynos: starts each in its PTY, turns its output into
 * whole lines on the log bus, restarts crashed dynos with Heroku's backoff, and stops
 * everything with SIGTERM, then SIGKILL after the timeout. Every state change goes
 * through `#move`, which publishes it. Spawner, clock and signalling are injected.
 */
import { formatDuration } from "../app/duration.ts";
import { exitHint } from "./exit-hints.ts";
import { RUNNER } from "./log-format.ts";
import type { Clock } from "./clock.ts";
import { systemClock } from "./clock.ts";
import { Dyno, type DynoSpec } from "./dyno.ts";
import { canMove, type DynoState } from "./dyno-state.ts";
import type { Containment, Target } from "./containment.ts";
import { TAG_VAR } from "./kill.ts";
import { sessionContainment } from "./session-containment.ts";
import { type LineBatch, LineSplitter } from "./line-splitter.ts";
import type { LogBus } from "./log-bus.ts";
import { waitForPort } from "./port-probe.ts";
import { spawnInPty, type Spawner } from "./pty-process.ts";
import { judgeMemory } from "./memory-quota.ts";
import { treeMemoryBytes } from "./proc-stats.ts";
import { type Backoff, HEROKU_BACKOFF, restartDelay } from "./restart-policy.ts";
import { waitUntil } from "./wait-until.ts";

export interface SupervisorOptions {
  readonly bus: LogBus;
  /** The app directory; every dyno starts there. */
  readonly cwd: string;
  /** Tags every process of this run (HOKU_DYNO_TAG=<runId>/...). */
  readonly runId: string;
  readonly spawner?: Spawner;
  readonly clock?: Clock;
  readonly backoff?: Backoff;
  /** foreman's behavior: the first dyno exit stops the app. */
  readonly exitOnCrash?: boolean;
  /** PTY size for dynos. */
  readonly size?: { readonly cols: number; readonly rows: number };
  /** Resolves true once the web dyno's port accepts connections. */
  readonly probe?: (port: number, stillWaiting: () => boolean) => Promise<boolean>;
  /** Builds the spec of a new dyno when a type is scaled up; undefined if it cannot run (port taken). */
  readonly specFor?: (type: string, instance: number) => DynoSpec | undefined;
  /** How every process of a dyno is reached and seen (default: session and tag). */
  readonly containment?: Containment;
  /**
   * Where and how each start of a dyno runs (default: `bash -c <command>` in `cwd`). The
   * platform gives each start a pristine copy of its slug, maybe in a sandbox; `dispose` runs
   * once that start's processes are gone.
   */
  readonly prepare?: (spec: DynoSpec, generation: number) => PreparedStart;
  /** A web dyno not up (listening on $PORT) this long after its start is killed with R10 (DY-4); none by default. */
  readonly bootTimeoutMs?: number;
  /** hoku start's gentler form (heroku local has no boot timeout): one note at this time, and the dyno waits on. */
  readonly slowBootNoteMs?: number;
  /** Heroku's daily cycling (DY-7), the platform's: none by default, as `heroku local` has none. */
  readonly cycle?: DynoCycle;
  /** Heroku's memory quota (DY-9), the platform's: each dyno's memory sampled, R14 over it, R15 and SIGKILL at twice it. */
  readonly memory?: DynoMemory;
}

export interface DynoMemory {
  readonly quotaBytes: number;
  /** How often every running dyno is sampled. */
  readonly everyMs: number;
  /** Memory of a dyno's main process and its descendants, shared pages once (proc-stats.ts by default). */
  readonly read?: (pid: number) => number;
}

/**
 * Daily cycling: each start of a formation dyno is due `afterMs()` later (each start asks anew,
 * so a restart of any kind resets its clock); `due` restarts it then, if that start still runs.
 */
export interface DynoCycle {
  afterMs(): number;
  due(name: string): void;
}

/** A dyno start as `prepare` lays it out. */
export interface PreparedStart {
  readonly cwd: string;
  readonly argv: readonly string[];
  dispose?(): void;
}

export class Supervisor {
  readonly #dynos: Dyno[];
  readonly #options: SupervisorOptions;
  readonly #clock: Clock;
  readonly #spawn: Spawner;
  readonly #containment: Containment;
  #stopping = false;
  /** Set by `start`: until then every formation dyno waits (see `isWaiting`). */
  #started = false;
  /** Each dyno's stop under way (SIGTERM sent): a second stop of it waits for that one, signalling and saying nothing again. */
  readonly #stops = new Map<Dyno, Promise<void>>();
  #size: { cols: number; rows: number };
  #onCrashExit: ((status: number) => void) | undefined;
  #exitWaiters = new Set<() => void>();
  /** Set once "every dyno has crashed" was said, until a dyno is up again. */
  #allCrashedSaid = false;
  /** Whether the memory sampling (SupervisorOptions.memory) has begun. */
  #sampling = false;

  /** Resolves with the dyno's exit status when `exitOnCrash` is set and a dyno exits. */
  readonly crashExit: Promise<number>;

  constructor(specs: readonly DynoSpec[], options: SupervisorOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#spawn = options.spawner ?? spawnInPty;
    this.#containment = options.containment ?? sessionContainment(options.runId);
    this.#dynos = specs.map((spec) => new Dyno(spec, options.runId));
    this.#size = options.size ?? { cols: 120, rows: 40 };
    this.crashExit = new Promise((resolve) => (this.#onCrashExit = resolve));
  }

  /** The dynos in formation order; read-only for consumers. */
  dynos(): readonly Dyno[] {
    return this.#dynos;
  }

  /** Starts the formation's dynos, but those stopped meanwhile (`stopDyno`, the TUI's `s` during a release phase). */
  start(): void {
    this.#started = true;
    for (const dyno of this.#dynos) if (!dyno.held && !dyno.spec.oneOff) this.#launch(dyno);
  }

  get started(): boolean {
    return this.#started;
  }

  /**
   * Whether a formation dyno waits for `start` (a release's gap, while the old release's dynos
   * are being stopped): a restart, start or scale-up of one starts nothing meanwhile.
   */
  isWaiting(dyno: Dyno): boolean {
    return !dyno.spec.oneOff && !this.#started;
  }

  /**
   * Runs a one-off dyno (the release phase) to its end: it is listed and logged like the
   * others, never restarted, and resolves with its exit status (143 if hoku stops first).
   */
  runOnce(spec: DynoSpec): Promise<number> {
    const dyno = new Dyno({ ...spec, oneOff: true }, this.#options.runId);
    this.#dynos.push(dyno);
    const done = new Promise<number>((resolve) => (dyno.onExit = resolve));
    if (this.#stopping) return Promise.resolve(143);
    this.#launch(dyno);
    return done;
  }

  /** Restarts one dyno on request (resets its backoff); `why` is its first line (`Cycling` for a daily cycle). */
  async restart(name: string, timeoutMs: number, why: "Restarting" | "Cycling" = "Restarting"): Promise<void> {
    const dyno = this.#find(name);
    if (!dyno || dyno.spec.oneOff || this.#stopping || this.isWaiting(dyno)) return;
    dyno.held = false;
    this.#cancelRestart(dyno);
    this.#status(dyno.name, why);
    if (dyno.process) await this.#stopDynos([dyno], timeoutMs);
    dyno.crashes = 0;
    dyno.restarts++;
    this.#launch(dyno);
  }

  /** Stops one dyno and keeps it down until `startDyno` (the TUI's `s`). */
  async stopDyno(name: string, timeoutMs: number): Promise<void> {
    const dyno = this.#find(name);
    if (!dyno || this.#stopping) return;
    dyno.held = true;
    if (this.isWaiting(dyno)) return;
    this.#cancelRestart(dyno);
    if (dyno.process) await this.#stopDynos([dyno], timeoutMs);
    else this.#move(dyno, "down");
  }

  /** Starts a dyno that was stopped or is waiting out a crash backoff. */
  startDyno(name: string): void {
    const dyno = this.#find(name);
    if (!dyno || dyno.process || this.#stopping) return;
    dyno.held = false;
    this.#cancelRestart(dyno);
    dyno.crashes = 0;
    this.#launch(dyno);
  }

  /** Scales a process type to `quantity` dynos (ps:scale): new instances start, the highest ones stop. */
  async scale(type: string, quantity: number, timeoutMs: number): Promise<void> {
    if (this.#stopping || quantity < 0) return;
    const ofType = () => this.#dynos.filter((d) => d.spec.type === type);
    while (ofType().length < quantity) {
      const instance = Math.max(0, ...ofType().map((d) => instanceOf(d.name))) + 1;
      const spec = this.#options.specFor?.(type, instance);
      if (!spec) return this.#status(`${type}.${instance}`, `Cannot start ${type}.${instance}: no spec (is its port taken?)`, true);
      const dyno = new Dyno(spec, this.#options.runId);
      const after = this.#dynos.findLastIndex((d) => d.spec.type === type);
      this.#dynos.splice(after + 1, 0, dyno);
      this.#launch(dyno);
    }
    const extra = ofType().slice(quantity);
    if (extra.length === 0) return;
    for (const dyno of extra) {
      dyno.held = true;
      this.#cancelRestart(dyno);
    }
    await this.#stopDynos(extra.filter((d) => d.process), timeoutMs);
    for (const dyno of extra) {
      this.#move(dyno, "down");
      this.#dynos.splice(this.#dynos.indexOf(dyno), 1);
    }
  }

  /** Sets the PTY size of every dyno, now and for later starts. */
  resize(cols: number, rows: number): void {
    this.#size = { cols, rows };
    for (const dyno of this.#dynos) dyno.process?.resize(cols, rows);
  }

  /** Types into a dyno's PTY (the TUI's input mode). */
  write(name: string, data: string | Uint8Array): void {
    this.#find(name)?.process?.write(data);
  }

  #cancelRestart(dyno: Dyno): void {
    dyno.cancelRestart?.();
    dyno.cancelRestart = undefined;
    dyno.restartAt = undefined;
  }

  #find(name: string): Dyno | undefined {
    return this.#dynos.find((d) => d.name === name);
  }

  /** Graceful stop: SIGTERM to every process of every dyno, SIGKILL to what is left after `timeoutMs`. */
  async stop(timeoutMs: number): Promise<void> {
    this.#stopping = true;
    for (const dyno of this.#dynos) {
      this.#cancelRestart(dyno);
      if (!dyno.process && dyno.state !== "down") this.#move(dyno, "down");
    }
    await this.#stopDynos(this.#dynos.filter((d) => d.process), timeoutMs);
    this.#containment.killLeftovers();
  }

  /** Immediate SIGKILL of everything this run started (the second Ctrl-C). */
  forceKill(): void {
    this.#stopping = true;
    for (const dyno of this.#dynos) this.#cancelRestart(dyno);
    this.#containment.signal(this.#dynos.filter((d) => d.process).map(target), "SIGKILL");
    this.#containment.killLeftovers();
  }

  /** Stops these dynos (#signalStop); one already stopping is waited for, not signalled again: Heroku sends one SIGTERM. */
  async #stopDynos(dynos: readonly Dyno[], timeoutMs: number): Promise<void> {
    const fresh = dynos.filter((d) => !this.#stops.has(d));
    if (fresh.length > 0) {
      const stop = this.#signalStop(fresh, timeoutMs).finally(() => fresh.forEach((d) => this.#stops.delete(d)));
      for (const dyno of fresh) this.#stops.set(dyno, stop);
    }
    await Promise.all(dynos.map((d) => this.#stops.get(d)));
  }

  /**
   * SIGTERM to every process of these dynos, then, after `timeoutMs`, R12 and SIGKILL for
   * the dynos with a process left. The processes are looked for (one pass over all dynos)
   * only once no dyno's main process is left: until then the answer is known to be "not yet".
   */
  async #signalStop(dynos: readonly Dyno[], timeoutMs: number): Promise<void> {
    for (const dyno of dynos) {
      this.#move(dyno, "stopping");
      this.#status(dyno.name, "Stopping all processes with SIGTERM");
    }
    this.#containment.signal(dynos.map(target), "SIGTERM");
    const remaining = () => {
      if (dynos.some((d) => d.process)) return dynos.filter((d) => d.process);
      const alive = this.#containment.survivors(dynos.map((d) => d.tag));
      return dynos.filter((d) => alive.has(d.tag));
    };
    const timedOut = await waitUntil(this.#clock, () => !dynos.some((d) => d.process) && remaining().length === 0, timeoutMs, this.#exitWaiters);
    if (timedOut) {
      const stubborn = remaining();
      for (const dyno of stubborn) {
        this.#status(dyno.name, `Error R12 (Exit timeout) -> At least one process failed to exit within ${seconds(timeoutMs)} of SIGTERM`, true);
        this.#status(dyno.name, "Stopping remaining processes with SIGKILL");
      }
      this.#containment.signal(stubborn.map(target), "SIGKILL");
      await waitUntil(this.#clock, () => dynos.every((d) => !d.process), 5000, this.#exitWaiters);
    }
    for (const dyno of dynos) this.#finish(dyno);
  }

  /** Forgets a dyno start whose processes are gone: its cgroup, and what `prepare` laid out for it. */
  #finish(dyno: Dyno): void {
    this.#containment.release(dyno.tag);
    dyno.dispose?.();
    dyno.dispose = undefined;
  }

  #launch(dyno: Dyno): void {
    // One place guards every path here (start, restart, scale, crash timers): never a second
    // process for a dyno, never a start once the app is stopping or while the dyno waits, and a
    // one-off dyno (the release phase) runs once.
    if (this.#stopping || dyno.process || this.isWaiting(dyno) || (dyno.spec.oneOff && dyno.generation > 0)) return;
    if (dyno.generation > 0) this.#containment.release(dyno.tag); // the last start's cgroup, empty by now
    dyno.generation++;
    const generation = dyno.generation;
    const { spec } = dyno;
    this.#move(dyno, "starting");
    this.#status(dyno.name, `Starting process with command \`${spec.loggedCommand ?? spec.command}\`${spec.startedBy ? ` by user ${spec.startedBy}` : ""}`);
    const splitter = new LineSplitter();
    const publishLines = (batch: LineBatch | undefined) => {
      if (batch) this.#options.bus.publish({ kind: "output", dyno: dyno.name, data: batch.data, spans: batch.spans, at: this.#clock.now() });
    };
    try {
      const prepared = this.#options.prepare?.(spec, generation) ?? { cwd: this.#options.cwd, argv: ["bash", "-c", spec.command] };
      dyno.dispose = prepared.dispose;
      dyno.process = this.#spawn({
        command: spec.command,
        argv: this.#containment.argv(dyno.tag, prepared.argv),
        env: { ...spec.env, [TAG_VAR]: dyno.tag },
        cwd: prepared.cwd,
        cols: this.#size.cols,
        rows: this.#size.rows,
        onData: (chunk) => publishLines(splitter.push(chunk)),
      });
    } catch (error) {
      this.#status(dyno.name, `Failed to start process: ${error instanceof Error ? error.message : String(error)}`, true);
      this.#exited(dyno, generation, 127);
      return;
    }
    dyno.startedAt = this.#clock.now();
    dyno.lastR14At = undefined;
    this.#sampleMemoryFromNowOn();
    const { cycle } = this.#options;
    if (cycle && !spec.oneOff)
      dyno.cancelCycle = this.#clock.after(cycle.afterMs(), () => {
        dyno.cancelCycle = undefined;
        if (dyno.generation === generation && dyno.process) cycle.due(dyno.name);
      });
    const isCurrent = () => dyno.generation === generation && dyno.state === "starting";
    if (spec.port !== undefined && spec.type === "web") {
      const probe = this.#options.probe ?? waitForPort;
      void probe(spec.port, isCurrent).then((bound) => bound && isCurrent() && this.#move(dyno, "up"));
      const note = this.#options.slowBootNoteMs;
      if (note !== undefined)
        this.#clock.after(note, () => {
          if (!isCurrent()) return;
          this.#status(dyno.name, `not listening on $PORT (${spec.port}) ${seconds(note)} after its start (a deployed dyno would get R10 now); still waiting: does it listen on $PORT?`, true);
        });
      const boot = this.#options.bootTimeoutMs;
      if (boot !== undefined)
        this.#clock.after(boot, () => {
          if (!isCurrent()) return;
          this.#status(dyno.name, `Error R10 (Boot timeout) -> Web process failed to bind to $PORT within ${seconds(boot)} of launch`, true);
          this.#status(dyno.name, "Stopping process with SIGKILL");
          this.#containment.signal([target(dyno)], "SIGKILL");
        });
    } else {
      this.#move(dyno, "up");
    }
    dyno.process.exited.then((status) => {
      publishLines(splitter.flush());
      this.#exited(dyno, generation, status);
    });
  }

  #exited(dyno: Dyno, generation: number, status: number): void {
    if (generation !== dyno.generation) return;
    const pid = dyno.process?.pid;
    dyno.process = undefined;
    dyno.cancelCycle?.();
    dyno.cancelCycle = undefined;
    dyno.lastExitStatus = status;
    this.#status(dyno.name, `Process exited with status ${status}`);
    const stopping = this.#stopping || dyno.held || dyno.state === "stopping";
    if (!stopping || dyno.spec.oneOff) {
      this.#containment.signal([{ pgid: pid, tag: dyno.tag }], "SIGKILL"); // the dyno ends with its main process
      this.#finish(dyno);
    }
    this.#move(dyno, dyno.spec.oneOff ? "complete" : stopping ? "down" : "crashed");
    for (const wake of this.#exitWaiters) wake();
    if (dyno.spec.oneOff) return dyno.onExit?.(status);
    if (stopping) return;
    dyno.crashes++;
    if (this.#options.exitOnCrash) return this.#onCrashExit?.(status);
    const delay = restartDelay(dyno.crashes, this.#options.backoff ?? HEROKU_BACKOFF);
    const restart = () => {
      dyno.cancelRestart = undefined;
      dyno.restartAt = undefined;
      dyno.restarts++;
      this.#launch(dyno);
    };
    if (delay === 0) return restart();
    this.#options.bus.publish({ kind: "status", dyno: dyno.name, text: `Crashed ${dyno.crashes} times in a row; restarting in ${formatDuration(delay)}`, hint: true, at: this.#clock.now() });
    dyno.restartAt = new Date(this.#clock.now().getTime() + delay);
    dyno.cancelRestart = this.#clock.after(delay, restart);
    this.#sayIfAllCrashed();
  }

  /** Samples every running dyno's memory against the quota each `everyMs`, from the first start until the run stops (DY-9). */
  #sampleMemoryFromNowOn(): void {
    const memory = this.#options.memory;
    if (!memory || this.#sampling) return;
    this.#sampling = true;
    const read = memory.read ?? treeMemoryBytes;
    const sample = () => {
      if (this.#stopping) return;
      const now = this.#clock.now().getTime();
      for (const dyno of this.#dynos) {
        const pid = dyno.process?.pid;
        if (pid === undefined || (dyno.state !== "starting" && dyno.state !== "up")) continue;
        const verdict = judgeMemory(read(pid), memory.quotaBytes, now, dyno.lastR14At);
        for (const line of verdict.lines) this.#status(dyno.name, line, line.startsWith("Error"));
        if (verdict.lines.length > 0 && !verdict.kill) dyno.lastR14At = now;
        if (verdict.kill) this.#containment.signal([target(dyno)], "SIGKILL");
      }
      this.#clock.after(memory.everyMs, sample);
    };
    this.#clock.after(memory.everyMs, sample);
  }

  /** When every dyno of the formation is crashed and waiting out its backoff, says so once: which, why, and when the next restart comes. */
  #sayIfAllCrashed(): void {
    const formation = this.#dynos.filter((d) => !d.spec.oneOff && !d.held);
    if (this.#allCrashedSaid || formation.length === 0 || !formation.every((d) => d.state === "crashed" && d.restartAt)) return;
    this.#allCrashedSaid = true;
    const statuses = formation.map((d) => `${d.name} (status ${d.lastExitStatus})`).join(", ");
    const hints = [...new Set(formation.map((d) => d.lastExitStatus!))].flatMap((status) => {
      const hint = exitHint(status);
      return hint ? [`Status ${status}: ${hint}`] : [];
    });
    const next = formation.reduce((a, b) => (b.restartAt! < a.restartAt! ? b : a));
    // To a tenth of a second, rounded up: a millisecond gone since the restart was planned is no news.
    const wait = formatDuration(Math.ceil(Math.max(0, next.restartAt!.getTime() - this.#clock.now().getTime()) / 100) * 100);
    const text = [`Every dyno has crashed: ${statuses}.`, ...hints, `Next restart: ${next.name} in ${wait} (--backoff sets the cool-off).`];
    this.#status(RUNNER, text.join(" "), true);
  }

  #move(dyno: Dyno, to: DynoState): void {
    const from = dyno.state;
    if (from === to || !canMove(from, to)) return;
    dyno.state = to;
    dyno.changedAt = this.#clock.now();
    if (to === "up") this.#allCrashedSaid = false;
    this.#options.bus.publish({ kind: "state", dyno: dyno.name, from, to, pid: dyno.process?.pid, at: this.#clock.now() });
  }

  #status(dyno: string, text: string, error = false): void {
    this.#options.bus.publish({ kind: "status", dyno, text, error, at: this.#clock.now() });
  }
}

/** How the containment reaches a dyno's current processes (sparing a sandbox its SIGTERM). */
function target(dyno: Dyno): Target {
  const pid = dyno.process?.pid;
  return { pgid: pid, tag: dyno.tag, ...(dyno.spec.sandboxed && pid !== undefined && { sandbox: pid }) };
}

/** `30 seconds`, `1 second`, `0.5 seconds`: a timeout as Heroku's lines say it. */
function seconds(ms: number): string {
  const n = +(ms / 1000).toFixed(3);
  return `${n} ${n === 1 ? "second" : "seconds"}`;
}

function instanceOf(name: string): number {
  return Number(name.slice(name.lastIndexOf(".") + 1)) || 0;
}
