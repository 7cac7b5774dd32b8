/**
 * The dyno manager: runs each deployed app's current release on dynos, as Heroku's does.
 *
 * - A release runs as one AppRun (src/runtime/app-run.ts) with its formation; a new release
 *   (deploy, config change, rollback) starts a new run and stops the old one, overlapping as on
 *   Heroku (DY-5, DY-8); with the app's `preboot` feature the router stays on the old one until
 *   the new one's web dynos are up (preboot.ts). A web dyno that stops for a release, a
 *   scale-down or a restart leaves routing first and gets SIGTERM once its requests in flight
 *   are done (out-of-routing.ts). Crash restarts with Heroku's backoff (DY-6), R10 boot timeout (DY-4),
 *   SIGTERM then SIGKILL after 30 s with R12 (DY-5), daily cycling (DY-7), R14 and R15 against a
 *   Basic dyno's memory quota (DY-9), all lab-adjustable by platform flags.
 * - Each dyno start runs in a pristine copy of the slug (DY-8), in the sandbox (sandbox.ts), with
 *   the Heroku environment (DY-1..DY-3): the release's config vars, DYNO, PORT (a free port for
 *   web dynos), HOME, and `.profile.d/*.sh` then `.profile` sourced before the command.
 * - Every line (dyno output, lifecycle) goes to the log store as `app[web.1]` / `heroku[web.1]`.
 * - One-off dynos (run:detached here, attached ones in one-off.ts) are listed in `oneOffs` while
 *   they run, beside the formation, for `ps` and `ps:stop`.
 */
import type { Database } from "bun:sqlite";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { AppRun } from "../runtime/app-run.ts";
import { openContainment } from "../runtime/containment.ts";
import type { Dyno, DynoSpec } from "../runtime/dyno.ts";
import type { DynoState } from "../runtime/dyno-state.ts";
import { lineText, linesOf } from "../runtime/line-splitter.ts";
import { RUNNER } from "../runtime/log-format.ts";
import { spawnWithPipes } from "../runtime/pipe-process.ts";
import { anyFreePort, waitForPublicPort } from "../runtime/port-probe.ts";
import type { Reaper } from "../runtime/reaper.ts";
import type { WebDyno } from "../router/router.ts";
import type { Backoff } from "../runtime/restart-policy.ts";
import { randomHex } from "./random.ts";
import type { LogStore } from "./log-store.ts";
import { OneOffList } from "./one-off-list.ts";
import { OutOfRouting, type RouterLink } from "./out-of-routing.ts";
import { prebooted, prebootEnabled } from "./preboot.ts";
import { dynoMetadata } from "./dyno-metadata.ts";
import { RestartLog } from "./restart-log.ts";
import { STACK_ENV, STARTUP_SCRIPT } from "./stack-env.ts";
import { findApp } from "./records/apps.ts";
import { formationOf } from "./records/formation.ts";
import { configSnapshot, currentRelease, type ReleaseRecord } from "./records/releases.ts";
import { findSlug, processTypesOf } from "./records/slugs.ts";
import type { Sandbox } from "./sandbox.ts";

/** Timers of the dyno lifecycle: Heroku's by default, shorter for labs and tests. */
export interface DynoTimers {
  /** SIGTERM to SIGKILL (Heroku: 30 s). */
  readonly shutdownMs: number;
  /** R10 (Heroku: 60 s). */
  readonly bootMs: number;
  readonly backoff: Backoff;
  /** How long a stopping web dyno's requests in flight may run before its SIGTERM (Heroku's router timeout: 30 s). */
  readonly drainMs?: number;
  /** How long a release command may run; then it is stopped and its release fails (PF-3, Heroku: 1 hour). */
  readonly releaseMs?: number;
  /** Daily cycling (DY-7): a dyno start is cycled after this, plus up to 15 % more at random (Heroku: 24 h + 0-216 min). */
  readonly cycleMs?: number;
}

export const HEROKU_TIMERS: DynoTimers = {
  shutdownMs: 30_000,
  bootMs: 60_000,
  releaseMs: 3_600_000,
  backoff: { baseMs: 10 * 60_000, capMs: 24 * 3_600_000 },
  cycleMs: 24 * 3_600_000,
};

/** Heroku's 0-216 random minutes on top of a day: 15 % of the cycle. */
const CYCLE_JITTER = 0.15;

/** A Basic dyno's memory quota (Dev Center: dyno-types). */
export const BASIC_MEMORY_QUOTA_BYTES = 512 * 2 ** 20;
/** How often each dyno's memory is read (Heroku samples every 20 s; R14 is said at most that often). */
const MEMORY_SAMPLE_MS = 5000;

export interface DynoInfo {
  readonly name: string;
  readonly type: string;
  readonly state: DynoState;
  readonly command: string;
  readonly port?: number;
  readonly startedAt?: Date;
  /** When its state last changed (Heroku's `updated_at`). */
  readonly updatedAt?: Date;
  readonly releaseVersion: number;
}

interface Running {
  readonly run: AppRun;
  readonly release: ReleaseRecord;
  /** Which of its state moves the log shows (Heroku's restart lines). */
  readonly restartLog: RestartLog;
}

export interface DynoManagerDeps {
  readonly db: Database;
  readonly logs: LogStore;
  /** `platform/`: slugs in `slugs/`, dyno copies in `dynos/`. */
  readonly dir: string;
  readonly sandbox: Sandbox;
  readonly timers: DynoTimers;
  /** Each dyno's memory quota (DY-9): R14 over it, R15 and SIGKILL at twice it; a Basic dyno's 512 MB by default. */
  readonly memoryQuotaBytes?: number;
  readonly reaper: Reaper;
  /** The router: told when routes change, asked when a dyno's requests are done. */
  readonly router: RouterLink;
}

export class DynoManager {
  readonly #deps: DynoManagerDeps;
  /** Each app's current release, running. */
  readonly #running = new Map<string, Running>();
  /** The run the router sends an app's requests to while it differs from #running (preboot: the old release's until the new one is up). */
  readonly #routed = new Map<string, Running>();
  /** Every run of each app not yet stopped: the current one, and older ones finishing their requests. */
  readonly #live = new Map<string, Set<Running>>();
  readonly #outOfRouting: OutOfRouting;
  /** The one-off dynos running now, of every app; a one-off dyno's daily cycle ends it. */
  readonly oneOffs = new OneOffList({
    afterMs: () => this.#cycleAfterMs(),
    due: (dyno) => {
      this.#deps.logs.append(dyno.appId, { source: "heroku", dyno: dyno.name, text: "Cycling" });
      void dyno.stop();
    },
  });

  constructor(deps: DynoManagerDeps) {
    this.#deps = deps;
    this.#outOfRouting = new OutOfRouting(deps.router, deps.timers.drainMs);
  }

  /** The memory quota every dyno of the platform runs under (DY-9). */
  get #memory() {
    return { quotaBytes: this.#deps.memoryQuotaBytes ?? BASIC_MEMORY_QUOTA_BYTES, everyMs: MEMORY_SAMPLE_MS };
  }

  /** When a dyno start is cycled (DY-7): the cycle plus a random part of its 15 %, so dynos started together cycle apart. */
  #cycleAfterMs(): number {
    const cycleMs = this.#deps.timers.cycleMs ?? HEROKU_TIMERS.cycleMs!;
    return cycleMs + Math.random() * cycleMs * CYCLE_JITTER;
  }

  /** Hands a process group (a build's script) to the platform's reaper: it dies with the platform. */
  watch(pgid: number): void {
    this.#deps.reaper.watch(pgid);
  }

  /** The slug's folder (what builds write and dyno starts copy). */
  slugDir(slugId: string): string {
    return join(this.#deps.dir, "slugs", slugId);
  }

  /**
   * Runs the app's current release with its formation, replacing what runs now (a new release, a
   * restart of all). By default, as Heroku, the old run leaves routing and gets SIGTERM (once its
   * requests in flight are done), and the new one starts as that SIGTERM goes (Dev Center:
   * dyno-shutdown-behavior): the router holds requests meanwhile as for a booting dyno. With
   * preboot the new run starts at once and the router moves to it once its web dynos are up; then
   * the old run stops. Preboot is for web dynos only: the old run's others get SIGTERM as the new
   * run starts. A run started by an earlier call that never got the router's requests stops at
   * once. Resolves once the router has moved; the old run's stop goes on (stopApp ends it too).
   */
  async runCurrent(appId: string): Promise<void> {
    const release = currentRelease(this.#deps.db, appId);
    const previous = this.#running.get(appId);
    const serving = this.#routed.get(appId) ?? previous;
    const preboot = serving !== undefined && prebootEnabled(findApp(this.#deps.db, appId));
    const older = [...(this.#live.get(appId) ?? [])];
    const next = release?.slug_id ? this.#newRun(appId, release, previous) : undefined;
    if (next) this.#running.set(appId, next);
    else this.#running.delete(appId);
    if (next && preboot) this.#routed.set(appId, serving!); // before the new dynos' first state move reaches the router
    if (next && (serving === undefined || preboot)) {
      for (const running of older) this.#stopNonWeb(running);
      void next.run.start();
    }
    const reason = `Restarting on v${release?.version ?? "?"}`;
    if (previous && previous !== serving) void this.#retire(appId, previous, reason);
    if (next && preboot) {
      // "stopped": a newer release came meanwhile; its call moves the router and stops `serving`.
      if ((await prebooted(next.run, this.#deps.timers.bootMs)) === "stopped") return;
      // A newer release came while these dynos booted (and came up before its retire stopped them): its call routes.
      if (this.#running.get(appId) !== next) return;
    }
    if (this.#routed.get(appId) === serving) this.#routed.delete(appId);
    await this.#deps.router.routesChanged();
    if (serving) void this.#retire(appId, serving, reason);
  }

  /**
   * Stops an app's run that the router no longer sends to, once its web dynos' requests in flight
   * are done; as its SIGTERM goes, the current run starts if it waits for that.
   */
  async #retire(appId: string, old: Running, reason: string): Promise<void> {
    await this.#outOfRouting.stopping(webDynosOf(old).map((d) => d.port), () => {
      const stopped = old.run.stop(0, reason); // sends SIGTERM before it returns
      this.#startWhenSignalled(appId);
      return stopped;
    });
    this.#live.get(appId)?.delete(old);
  }

  /** SIGTERM to a run's dynos but web (it stays for preboot's routing), unless the whole run is stopping already. */
  #stopNonWeb({ run }: Running): void {
    if (run.stopCode !== undefined) return;
    for (const dyno of run.supervisor.dynos()) if (dyno.spec.type !== "web" && !dyno.spec.oneOff) void run.supervisor.stopDyno(dyno.name, this.#deps.timers.shutdownMs);
  }

  /** Starts the app's current run if it waits (Heroku's default restart) and every older run of the app has been sent SIGTERM. */
  #startWhenSignalled(appId: string): void {
    const current = this.#running.get(appId);
    const older = [...(this.#live.get(appId) ?? [])].filter((running) => running !== current);
    if (!current || current.run.supervisor.started || older.some((running) => running.run.stopCode === undefined)) return;
    void current.run.start();
    this.#routesMoved();
  }

  /**
   * The web dynos the router may send the app's requests to: the routed run's, less those leaving
   * routing; one out of routing that will start again is shown starting, so the router waits for
   * it rather than answering H14 (Heroku's H14 is for an app with no web dyno in its formation).
   */
  routedWebDynos(appId: string): WebDyno[] {
    const routed = this.#routed.get(appId) ?? this.#running.get(appId);
    return (routed ? webDynosOf(routed) : []).flatMap((d) => {
      if (!this.#outOfRouting.has(d.port)) return [d];
      return this.#outOfRouting.returning(d.port) ? [{ ...d, state: "starting" as const }] : [];
    });
  }

  /**
   * Runs a release's `release` process type once in a one-off dyno (PF-3) with the release's
   * slug and config; resolves its exit status. `onLine` gets its output as it comes.
   */
  async releasePhase(appId: string, release: ReleaseRecord, command: string, onLine: (line: string) => void): Promise<number> {
    const name = this.oneOffs.freeName(appId, "release");
    const run = this.#runOnce(appId, release, { name, type: "release", command, env: this.#env(release, name), sandboxed: this.#sandboxed });
    // Listed for ps while it runs, as Heroku's release dyno is (Dev Center: release-phase); stopped, its release fails.
    this.#listOneOff(appId, run, { name, type: "release", command, release, stopCode: 143 });
    this.#logTo(appId, run, new RestartLog([], { oneOff: true }), onLine);
    const limitMs = this.#deps.timers.releaseMs ?? HEROKU_TIMERS.releaseMs!;
    const limit = setTimeout(() => {
      const text = `Release command timed out after ${formatLimit(limitMs)}: stopping ${name}`;
      this.#deps.logs.append(appId, { source: "heroku", dyno: name, text });
      onLine(text);
      void run.stop(124, text);
    }, limitMs);
    try {
      await run.start();
      return await run.done;
    } finally {
      clearTimeout(limit);
    }
  }

  /**
   * A detached one-off dyno (`run:detached`, a scheduler job): runs `command` once, its output in
   * the app's logs, listed as `shown` (the command as the client gave it) while it runs, its start
   * line showing `logged` if given; returns its name.
   */
  runDetached(appId: string, release: ReleaseRecord, command: string, extraEnv: Readonly<Record<string, string>>, options: { shown?: string; type?: string; by?: string; logged?: string } = {}): string {
    const type = options.type ?? "run";
    const name = this.oneOffs.freeName(appId, type);
    const spec = { name, type, command, env: { ...this.#env(release, name, anyFreePort()), ...extraEnv }, sandboxed: this.#sandboxed, startedBy: options.by, loggedCommand: options.logged };
    const run = this.#runOnce(appId, release, spec);
    this.#listOneOff(appId, run, { name, type, command: options.shown ?? command, release, stopCode: 0 });
    this.#logTo(appId, run, new RestartLog([], { oneOff: true }));
    void run.start();
    return name;
  }

  /** Lists a one-off dyno's run in `oneOffs` (ps, ps:stop) from now until it is done; `stopCode` is the run's code when ps:stop ends it. */
  #listOneOff(appId: string, run: AppRun, dyno: { name: string; type: string; command: string; release: ReleaseRecord; stopCode: number }): void {
    const { name } = dyno;
    this.oneOffs.add({ appId, name, type: dyno.type, command: dyno.command, releaseVersion: dyno.release.version, createdAt: new Date(), stop: () => run.stop(dyno.stopCode, `Stopping ${name}`) });
    // Heroku has no stopping state: a one-off being stopped is up until it is complete.
    run.bus.subscribe((event) => void (event.kind === "state" && event.dyno === name && event.to !== "stopping" && this.oneOffs.move(appId, name, event.to)));
    void run.done.then(() => this.oneOffs.remove(appId, name));
  }

  /** An AppRun of one dyno that runs once (the release phase, a detached one-off), in its own containment. */
  #runOnce(appId: string, release: ReleaseRecord, spec: DynoSpec): AppRun {
    const runId = randomHex(6);
    const { containment } = openContainment(runId);
    if (containment.cgroupDir) this.#deps.reaper.cgroup(containment.cgroupDir);
    return new AppRun({
      name: findApp(this.#deps.db, appId)!.name,
      cwd: "/",
      runId,
      containment,
      specs: [],
      release: spec,
      timeoutMs: this.#deps.timers.shutdownMs,
      backoff: this.#deps.timers.backoff,
      prepare: this.#prepare(release),
      spawner: spawnWithPipes,
      memory: this.#memory,
    });
  }

  /** Scales a process type of the running release (the formation was already saved). */
  async scale(appId: string, type: string, quantity: number): Promise<void> {
    const running = this.#running.get(appId);
    if (!running) return;
    const leaving = running.run.supervisor.dynos().filter((d) => d.spec.type === type).slice(quantity);
    await this.#outOfRouting.stopping(leaving.flatMap((d) => d.spec.port ?? []), () => running.run.supervisor.scale(type, quantity, this.#deps.timers.shutdownMs));
  }

  /**
   * ps:restart: every formation dyno, one type's, or one dyno. A one-off dyno is never
   * restarted: restarting it (or its type) ends it.
   */
  async restart(appId: string, which?: { type?: string; dyno?: string }): Promise<void> {
    const oneOffs = this.#oneOffsOf(appId, which ?? {});
    const running = this.#running.get(appId);
    if (!which?.type && !which?.dyno) return running && this.runCurrent(appId);
    const dynos = running?.run.supervisor.dynos().filter((d) => (which.dyno ? d.name === which.dyno : d.spec.type === which.type)) ?? [];
    await Promise.all([...oneOffs.map((d) => d.stop()), ...dynos.map((d) => this.#restartDyno(running!.run, d, "Restarting"))]);
  }

  /** One formation dyno restarts in place: out of routing (its requests done), then SIGTERM and a new start. */
  #restartDyno(run: AppRun, dyno: Dyno, why: "Restarting" | "Cycling"): Promise<void> {
    const { port } = dyno.spec;
    return this.#outOfRouting.stopping(port === undefined ? [] : [port], () => run.supervisor.restart(dyno.name, this.#deps.timers.shutdownMs, why), { returning: true });
  }

  /** A formation dyno's daily cycle came (DY-7): it restarts as on ps:restart, saying `Cycling`; one of a run on its way out is left to stop. */
  #cycle(appId: string, run: AppRun, name: string): void {
    const dyno = run.supervisor.dynos().find((d) => d.name === name);
    if (this.#running.get(appId)?.run !== run || !dyno) return;
    void this.#restartDyno(run, dyno, "Cycling");
  }

  /**
   * ps:stop of a dyno (`web.1`, `run.4821`) or of every dyno of a type: a one-off dyno ends; a
   * formation dyno stops (SIGTERM, then SIGKILL with R12 after the grace) and, the formation
   * still asking for it, is started again by the dyno manager, as on Heroku's Common Runtime
   * (OP-3). Unlike a restart, the dyno goes down before its next start.
   */
  async stop(appId: string, which: { type?: string; dyno?: string }): Promise<void> {
    const oneOffs = this.#oneOffsOf(appId, which);
    const running = this.#running.get(appId);
    const dynos = running?.run.supervisor.dynos().filter((d) => (which.dyno ? d.name === which.dyno : d.spec.type === which.type)) ?? [];
    // Started again before it is put back in routing: the router never sees it down (H10) between the two.
    const stopAndStart = (name: string, port: number | undefined) =>
      this.#outOfRouting.stopping(
        port === undefined ? [] : [port],
        async () => {
          await running!.run.supervisor.stopDyno(name, this.#deps.timers.shutdownMs);
          running!.run.supervisor.startDyno(name);
        },
        { returning: true },
      );
    await Promise.all([...oneOffs.map((d) => d.stop()), ...dynos.map((d) => stopAndStart(d.name, d.spec.port))]);
  }

  /** The app's one-off dynos a restart or stop of `which` (a dyno name or a type) reaches. */
  #oneOffsOf(appId: string, which: { type?: string; dyno?: string }) {
    return this.oneOffs.of(appId).filter((d) => (which.dyno ? d.name === which.dyno : d.type === which.type));
  }

  /** Stops every dyno of the app (apps:destroy, platform stop). */
  async stopApp(appId: string, reason = "Stopping all processes"): Promise<void> {
    const live = this.#live.get(appId) ?? new Set();
    this.#running.delete(appId);
    this.#routed.delete(appId);
    this.#live.delete(appId);
    await this.#deps.router.routesChanged();
    await Promise.all([...live].map((running) => running.run.stop(0, reason)));
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#live.keys()].map((appId) => this.stopApp(appId, "The platform is stopping")));
  }

  /** The app's dynos now: the formation's in formation order, then its one-off dynos. */
  dynos(appId: string): DynoInfo[] {
    const running = this.#running.get(appId);
    const formation: DynoInfo[] = (running?.run.supervisor.dynos() ?? []).map((d) => ({
      name: d.name,
      type: d.spec.type,
      state: herokuState(running!, d),
      command: d.spec.command,
      port: d.spec.port,
      startedAt: d.startedAt,
      updatedAt: d.changedAt,
      releaseVersion: running!.release.version,
    }));
    const oneOffs = this.oneOffs.of(appId).map((d) => ({ name: d.name, type: d.type, state: d.state, command: d.command, startedAt: d.createdAt, updatedAt: d.changedAt, releaseVersion: d.releaseVersion }));
    return [...formation, ...oneOffs];
  }

  /** The release each app runs now. */
  runningRelease(appId: string): ReleaseRecord | undefined {
    return this.#running.get(appId)?.release;
  }

  /**
   * A release's formation, not started yet (runCurrent or #startWhenSignalled start it);
   * `replacing`'s dynos log Heroku's restart lines and the new ones take their names over.
   */
  #newRun(appId: string, release: ReleaseRecord, replacing: Running | undefined): Running {
    const app = findApp(this.#deps.db, appId)!;
    const slug = findSlug(this.#deps.db, release.slug_id!)!;
    const types = processTypesOf(slug);
    const formation = formationOf(this.#deps.db, appId).filter((f) => types[f.type] !== undefined && f.type !== "release");
    const specOf = (type: string, instance: number): DynoSpec => {
      const name = `${type}.${instance}`;
      const port = type === "web" ? anyFreePort() : undefined;
      return { name, type, command: types[type]!, port, env: this.#env(release, name, port), sandboxed: this.#sandboxed };
    };
    const specs = formation.flatMap((f) => Array.from({ length: f.quantity }, (_, i) => specOf(f.type, i + 1)));
    const runId = randomHex(6);
    const { containment } = openContainment(runId);
    if (containment.cgroupDir) this.#deps.reaper.cgroup(containment.cgroupDir);
    const run = new AppRun({
      name: app.name,
      cwd: "/",
      runId,
      containment,
      specs,
      specFor: (type, instance) => (types[type] !== undefined ? specOf(type, instance) : undefined),
      timeoutMs: this.#deps.timers.shutdownMs,
      backoff: this.#deps.timers.backoff,
      bootTimeoutMs: this.#deps.timers.bootMs,
      probe: waitForPublicPort,
      prepare: this.#prepare(release),
      spawner: spawnWithPipes,
      cycle: { afterMs: () => this.#cycleAfterMs(), due: (name) => this.#cycle(appId, run, name) },
      memory: this.#memory,
    });
    const shown = replacing?.run.supervisor.dynos().map((d) => ({ name: d.name, state: stateShown(replacing, d) })) ?? [];
    const replaced = replacing?.restartLog.replaced(shown, new Set(specs.map((spec) => spec.name)));
    for (const line of replaced?.lines ?? []) this.#deps.logs.append(appId, { source: "heroku", ...line });
    const restartLog = new RestartLog(replaced?.names);
    this.#logTo(appId, run, restartLog);
    const running = { run, release, restartLog };
    this.#live.set(appId, (this.#live.get(appId) ?? new Set()).add(running));
    return running;
  }

  /** The Heroku environment of a dyno of `release` (DY-1): config vars, then what the platform sets (and, at each start, #prepare's). */
  #env(release: ReleaseRecord, dyno: string, port?: number): Record<string, string> {
    return {
      ...STACK_ENV,
      TERM: "xterm-256color",
      ...configSnapshot(release),
      DYNO: dyno,
      ...(port !== undefined && { PORT: String(port) }),
    };
  }

  /** Whether dynos run inside bubblewrap (its process then gets no SIGTERM: see DynoSpec.sandboxed). */
  get #sandboxed(): boolean {
    return this.#deps.sandbox.kind === "bubblewrap";
  }

  /**
   * Each start of a dyno: a fresh copy of the slug, run in the sandbox with HOME set and, if the
   * app has enabled it, dyno metadata (DY-2: a new HEROKU_DYNO_ID each start), disposed after.
   */
  #prepare(release: ReleaseRecord) {
    const slug = this.slugDir(release.slug_id!);
    const slugRecord = findSlug(this.#deps.db, release.slug_id!);
    return (spec: DynoSpec, generation: number) => {
      const app = findApp(this.#deps.db, release.app_id);
      // A var the dyno's own env sets (run:detached --env) wins, as for attached one-offs.
      const given = app ? Object.entries(dynoMetadata(app, release, slugRecord, crypto.randomUUID())).filter(([key]) => spec.env[key] === undefined) : [];
      const metadata = given.map(([key, value]) => `${key}=${value}`);
      const workspace = join(this.#deps.dir, "dynos", release.app_id, `${spec.name}.${generation}-${randomHex(4)}`);
      mkdirSync(join(workspace, ".."), { recursive: true, mode: 0o700 });
      const copy = Bun.spawnSync(["cp", "-a", slug, workspace], { stderr: "pipe" });
      if (copy.exitCode !== 0) throw new Error(`cannot copy the slug: ${copy.stderr.toString().trim()}`);
      const home = this.#deps.sandbox.home(workspace);
      return {
        cwd: this.#deps.sandbox.cwd(workspace),
        argv: this.#deps.sandbox.wrap(workspace, ["env", `HOME=${home}`, ...metadata, "bash", "-c", STARTUP_SCRIPT, spec.command]),
        dispose: () => rmSync(workspace, { recursive: true, force: true }),
      };
    };
  }

  /** Tells the router a dyno moved; a failure (the platform closing its database as it stops) is not the log's to carry. */
  #routesMoved(): void {
    this.#deps.router.routesChanged().catch(() => {});
  }

  /** Every line of a run into the app's logs (and to `onLine`, for a release phase's pusher). */
  #logTo(appId: string, run: AppRun, restartLog: RestartLog, onLine?: (line: string) => void): void {
    const logs = this.#deps.logs;
    run.bus.subscribe((event) => {
      if (event.kind === "output")
        for (const line of linesOf(event)) {
          const text = lineText(line);
          logs.append(appId, { source: "app", dyno: event.dyno, text, at: event.at });
          onLine?.(text);
        }
      else if (event.kind === "state") {
        const text = restartLog.stateLine(event.dyno, event.from, event.to);
        if (text) logs.append(appId, { source: "heroku", dyno: event.dyno, text, at: event.at });
        this.#routesMoved();
      } else if (event.dyno !== RUNNER && !event.hint) {
        restartLog.status(event.dyno, event.text);
        logs.append(appId, { source: "heroku", dyno: event.dyno, text: event.text, at: event.at });
      }
    });
  }
}

/** A dyno's state as ps and the router see it: one waiting to start is starting (the router waits for it). */
function stateShown(running: Running, dyno: Dyno): DynoState {
  return running.run.supervisor.isWaiting(dyno) ? "starting" : dyno.state;
}

/**
 * The state the API and `ps` show: Heroku has no stopping state, so a dyno restarting in place
 * is already starting and one stopping for good is already down (as its log lines say).
 */
function herokuState(running: Running, dyno: Dyno): DynoState {
  const state = stateShown(running, dyno);
  if (state !== "stopping") return state;
  return running.restartLog.restarting(dyno.name) ? "starting" : "down";
}

/** A run's web dynos, with their ports. */
function webDynosOf(running: Running): WebDyno[] {
  return running.run.supervisor.dynos().flatMap((d) => (d.spec.type === "web" && d.spec.port !== undefined ? [{ name: d.name, port: d.spec.port, state: stateShown(running, d) }] : []));
}

/** `1 hour`, `90 seconds`: a limit as the log line says it. */
function formatLimit(ms: number): string {
  const [n, unit] = ms % 3_600_000 === 0 ? [ms / 3_600_000, "hour"] : ms % 60_000 === 0 ? [ms / 60_000, "minute"] : [Math.round(ms / 1000), "second"];
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}
