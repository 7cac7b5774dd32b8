/**
 * The events every consumer of a running app sees: the plain printer now, the
 * TUI, `logs` and the router later. One discriminated union; consumers switch on `kind`.
 */
import type { DynoState } from "./dyno-state.ts";
import type { LineBatch } from "./line-splitter.ts";

/**
 * Output from a dyno: whole lines only, never split or merged with another dyno's. The lines
 * are the bytes the dyno wrote (UTF-8, see `lineText`), found by position in `data`: `spans`
 * holds each line's [start, end), without its line ending, in order (`linesOf` gives views).
 */
export interface OutputEvent extends LineBatch {
  readonly kind: "output";
  /** `web.1`. */
  readonly dyno: string;
  /** When the chunk holding these lines arrived. */
  readonly at: Date;
}

/** A dyno moved from one state to another. */
export interface StateEvent {
  readonly kind: "state";
  readonly dyno: string;
  readonly from: DynoState;
  readonly to: DynoState;
  /** The dyno's process id while it has one. */
  readonly pid?: number;
  readonly at: Date;
}

/** A platform line about a dyno, logged as `heroku[web.1]: <text>` (Starting process…, Process exited…). */
export interface StatusEvent {
  readonly kind: "status";
  /** A dyno name, or `hoku` for the runner itself. */
  readonly dyno: string;
  readonly text: string;
  /** Whether this reports a fault (R-codes, failed checks). */
  readonly error?: boolean;
  /** hoku's own explanation, which Heroku's log does not have (`Crashed 2 times in a row; restarting in 10m`): the platform leaves it out of an app's log. */
  readonly hint?: boolean;
  readonly at: Date;
}

export type AppEvent = OutputEvent | StateEvent | StatusEvent;
