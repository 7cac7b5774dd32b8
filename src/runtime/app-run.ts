/**
 * A run of an app's dynos: the release phase first when there is one (a one-off dyno that must
 * exit 0, PF-3), then the formation, and one shutdown for them all. `hoku start` runs the
 * working tree with it; the platform runs each release of a deployed app with it. Output goes
 * to the log bus; the caller attaches a printer, the TUI or a log store, and owns signals.
 */
import type { Backoff } from "./restart-policy.ts";
import type { Containment } from "./containment.ts";
import type { DynoSpec } from "./dyno.ts";
import { LogBus } from "./log-bus.ts";
import { RUNNER } from "./log-format.ts";
import { Supervisor, type SupervisorOptions } from "./supervisor.ts";

export interface AppRunOptions {
  /** The app's name, for the `Starting <name>: ...` line. */
  readonly name: string;
  /** Where the dynos start: the app folder, or a release's slug. */
  readonly cwd: string;
  /** Tags every process of this run. */
  readonly runId: string;
  readonly containment: Containment;
  /** The formation's dynos. */
  readonly specs: readonly DynoSpec[];
  /** The release phase, run before any of them. */
  readonly release?: DynoSpec;
  /** The spec of a dyno added by scaling up, if it can run. */
  readonly specFor?: (type: string, instance: number) => DynoSpec | undefined;
  /** Grace between SIGTERM and SIGKILL. */
  readonly timeoutMs: number;
  readonly backoff: Backoff;
  readonly exitOnCrash?: boolean;
  readonly size?: { readonly cols: number; readonly rows: number };
  /** Says how each dyno's port was chosen, in the `Starting` line (`web.1 on port 5006`). */
  readonly describe?: (spec: DynoSpec) => string;
  /** Where and how each dyno start runs (the platform: a slug copy in a sandbox); see Supervisor. */
  readonly prepare?: SupervisorOptions["prepare"];
  /** R10 for web dynos that do not bind $PORT in time (the platform). */
  readonly bootTimeoutMs?: number;
  /** A note for a web dyno not bound to $PORT by then, which waits on (hoku start). */
  readonly slowBootNoteMs?: number;
  /** When a web dyno is up (see Supervisor); the platform asks for its port beyond loopback. */
  readonly probe?: SupervisorOptions["probe"];
  /** How each dyno's process starts: in a pseudo-terminal by default, on pipes for the platform's dynos. */
  readonly spawner?: SupervisorOptions["spawner"];
  /** Daily cycling of the formation's dynos (the platform). */
  readonly cycle?: SupervisorOptions["cycle"];
  /** The dynos' memory quota, R14 and R15 (the platform). */
  readonly memory?: SupervisorOptions["memory"];
}

export class AppRun {
  readonly bus = new LogBus();
  readonly supervisor: Supervisor;
  /** The exit code, once every dyno is down. */
  readonly done: Promise<number>;
  /** Whether the release phase failed (the formation then never started). */
  releaseFailed = false;
  #finished: (code: number) => void = () => {};
  #stopping = false;
  #stopCode: number | undefined;
  readonly #options: AppRunOptions;

  constructor(options: AppRunOptions) {
    this.#options = options;
    this.done = new Promise((resolve) => (this.#finished = resolve));
    this.supervisor = new Supervisor(options.specs, {
      bus: this.bus,
      cwd: options.cwd,
      runId: options.runId,
      containment: options.containment,
      exitOnCrash: options.exitOnCrash,
      specFor: options.specFor,
      backoff: options.backoff,
      size: options.size,
      prepare: options.prepare,
      bootTimeoutMs: options.bootTimeoutMs,
      slowBootNoteMs: options.slowBootNoteMs,
      probe: options.probe,
      spawner: options.spawner,
      cycle: options.cycle,
      memory: options.memory,
    });
    void this.supervisor.crashExit.then((status) => this.stop(status, "A dyno exited and --exit-on-crash is set: stopping all dynos"));
  }

  /** The code the run was asked to stop with, if it was. */
  get stopCode(): number | undefined {
    return this.#stopCode;
  }

  /** Runs the release phase, then (if it succeeded) the formation. */
  async start(): Promise<void> {
    const { release, specs } = this.#options;
    if (release) {
      this.#say(`Running release command: ${release.command}`);
      const status = await this.supervisor.runOnce(release);
      if (this.#stopping) return;
      this.releaseFailed = status !== 0;
      if (this.releaseFailed) return void this.stop(status, `The release command failed with status ${status}: not starting the other dynos`);
      if (specs.length === 0) return void this.stop(0, "The release command succeeded; no other dyno was asked for");
    }
    const describe = this.#options.describe ?? ((spec: DynoSpec) => spec.name);
    const formation = this.supervisor.dynos().filter((d) => !d.spec.oneOff);
    this.#say(`Starting ${this.#options.name}: ${formation.map((d) => describe(d.spec)).join(", ")}`);
    this.supervisor.start();
  }

  /** Stops every dyno (SIGTERM, then SIGKILL after the timeout) and resolves `done` with `code`; said as `reason`. */
  async stop(code: number, reason: string): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#stopCode = code;
    this.#say(reason);
    await this.supervisor.stop(this.#options.timeoutMs);
    this.#options.containment.close();
    this.#finished(code);
  }

  /** SIGKILL to everything at once (a second interrupt). */
  forceKill(): void {
    this.supervisor.forceKill();
  }

  #say(text: string): void {
    this.bus.publish({ kind: "status", dyno: RUNNER, text, at: new Date() });
  }
}
