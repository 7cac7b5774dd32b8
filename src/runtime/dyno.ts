/**
 * A dyno of `hoku start`: one instance of a process type (`web.1`), its port, its
 * environment and where it is in its life. The supervisor owns every change to it.
 */
import type { DynoState } from "./dyno-state.ts";
import type { SpawnedProcess } from "./pty-process.ts";

/** What to run for one dyno. */
export interface DynoSpec {
  /** `web.1`. */
  readonly name: string;
  /** The process type (`web`). */
  readonly type: string;
  /** The Procfile command, verbatim. */
  readonly command: string;
  /** `$PORT`; undefined for dynos that get none. */
  readonly port?: number;
  /** The full environment of the dyno's process (hoku adds its tag). */
  readonly env: Readonly<Record<string, string>>;
  /** Runs once and is never restarted (the release phase): its exit is `down`, not `crashed`. */
  readonly oneOff?: boolean;
  /**
   * Its main process is a sandbox (bubblewrap) whose death SIGKILLs everything inside it: a
   * SIGTERM goes to the processes inside, not to it, and it exits when they have (so a dyno
   * that ignores SIGTERM gets its R12, as on Heroku).
   */
  readonly sandboxed?: boolean;
  /** Who asked for it (a one-off dyno's user): its start says `Starting process with command ... by user ann@localhost`. */
  readonly startedBy?: string;
  /** The command as its start line shows it, when not `command` itself (a scheduler job's, config vars expanded). */
  readonly loggedCommand?: string;
}

/** A dyno's live record, read by consumers through `Supervisor.dynos()`. */
export class Dyno {
  state: DynoState = "down";
  /** The running process, if any. */
  process: SpawnedProcess | undefined;
  /** Bumped at each start, so a stale exit or probe is recognised and ignored. */
  generation = 0;
  /** Crashes since the last deliberate start, for the backoff. */
  crashes = 0;
  /** How many times it was started again after the first start. */
  restarts = 0;
  /** Exit status of the last exit, if it has exited. */
  lastExitStatus: number | undefined;
  /** When the current process started. */
  startedAt: Date | undefined;
  /** When its state last changed (Heroku's `updated_at`, what `ps` shows). */
  changedAt: Date | undefined;
  /** Stopped on request (TUI `s`, scale down): not restarted when it exits. */
  held = false;
  /** Cancels a scheduled restart. */
  cancelRestart: (() => void) | undefined;
  /** When a scheduled restart is due. */
  restartAt: Date | undefined;
  /** Cancels the current start's daily cycle (SupervisorOptions.cycle). */
  cancelCycle: (() => void) | undefined;
  /** When this start last said R14 (clock ms), so it says it again only every 20 s. */
  lastR14At: number | undefined;
  /** Removes what `prepare` laid out for the current start (the platform's slug copy). */
  dispose: (() => void) | undefined;
  /** Resolves a one-off dyno's `runOnce` with its exit status. */
  onExit: ((status: number) => void) | undefined;

  constructor(
    readonly spec: DynoSpec,
    readonly runId: string,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  /** The value of HOKU_DYNO_TAG for the current generation's processes. */
  get tag(): string {
    return `${this.runId}/${this.spec.name}/${this.generation}`;
  }
}
