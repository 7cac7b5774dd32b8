/**
 * What the TUI may ask of the running app. The UI never owns a process: it reads
 * dynos and sends requests; tui.tsx backs this with the supervisor, tests with a fake.
 */
import type { DynoState } from "../runtime/dyno-state.ts";

/** What the dyno list shows of a dyno. */
export interface DynoView {
  readonly name: string;
  readonly spec: { readonly type: string; readonly port?: number; readonly oneOff?: boolean };
  readonly state: DynoState;
  readonly restarts: number;
  readonly lastExitStatus: number | undefined;
  readonly startedAt: Date | undefined;
  readonly process: { readonly pid: number } | undefined;
}

export interface TuiController {
  dynos(): readonly DynoView[];
  restart(name: string): void;
  restartAll(): void;
  /** Stops a running dyno, or starts a stopped one. */
  toggle(name: string): void;
  /** Changes a type's quantity by `delta`. */
  scale(type: string, delta: number): void;
  /** Types into a dyno's PTY. */
  write(name: string, data: string): void;
  /** The log pane's size changed: dynos' PTYs follow it. */
  resize(cols: number, rows: number): void;
  /** Opens a URL in a browser; returns false when no opener exists. */
  open(url: string): boolean;
  /** Graceful stop of the whole app: `q` (exit 0), or the first Ctrl-C (`interrupted`, exit 130). */
  quit(interrupted: boolean): void;
  /** Immediate kill (second Ctrl-C). */
  force(): void;
}
