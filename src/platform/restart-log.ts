/**
 * Heroku's lifecycle lines for a restart (LG-3; Dev Center: dyno-restarts), per dyno:
 *
 *   Restarting
 *   State changed from up to starting
 *   Stopping all processes with SIGTERM
 *   Process exited with status 143
 *   Starting process with command `...`
 *   State changed from starting to up
 *
 * hoku's dynos move up -> stopping -> down -> starting when one restarts in place (ps:restart
 * web.1), and a release starts its new dynos beside the old ones, under the same names. One
 * RestartLog per run says which of those state moves Heroku shows, and as what. Pure.
 *
 * A release stops the old dynos before it starts the new ones (dyno-manager.ts), so the lines come
 * in Heroku's order; with preboot the new dynos start first, as on Heroku.
 *
 * Heroku has no `stopping` state. A formation dyno that stops (ps:scale down, ps:stop) says
 * `State changed from up to down` as its stop begins, before `Stopping all processes with
 * SIGTERM`; a one-off dyno says `State changed from up to complete` once it has exited.
 *
 * A one-off dyno's log begins with `Starting process with command`, then `State changed from
 * starting to up`: it has no `down to starting` (as a scheduler dyno's log shows it, e.g.
 * `heroku[scheduler.8715]: Starting process with command ...` in github.com/posaune0423/twitter-bot).
 */
import type { DynoState } from "../runtime/dyno-state.ts";

export interface LogLineOf {
  readonly dyno: string;
  readonly text: string;
}

export class RestartLog {
  /** Dynos restarting in place, from their `Restarting`: true once they went to stopping (said as "to starting"). */
  readonly #restarting = new Map<string, boolean>();
  /** Dynos a new release's run took over, which already said they restart: none of their moves is logged. */
  readonly #replaced = new Set<string>();
  /** Names this run takes over from the run it replaces: their first start is that restart's. */
  readonly #takenOver: Set<string>;
  /** The state each dyno stopping now was in before it began to stop. */
  readonly #stoppedFrom = new Map<string, DynoState>();
  /** The run is a one-off dyno's (the release phase, run:detached). */
  readonly #oneOff: boolean;

  constructor(takenOver: Iterable<string> = [], options: { oneOff?: boolean } = {}) {
    this.#takenOver = new Set(takenOver);
    this.#oneOff = options.oneOff ?? false;
  }

  /**
   * A new release's run, with dynos named `kept`, replaces this one: the lines this run's dynos
   * that the new run has too log now (those not down or already stopping), and their names.
   * Their later state moves are not logged; a dyno the new run does not have (its type gone,
   * scaled away) logs its stop as any dyno's.
   */
  replaced(dynos: readonly { readonly name: string; readonly state: DynoState }[], kept: ReadonlySet<string>): { lines: LogLineOf[]; names: string[] } {
    const restarting = dynos.filter((d) => kept.has(d.name) && d.state !== "down" && d.state !== "complete" && d.state !== "stopping");
    for (const d of restarting) this.#replaced.add(d.name);
    return {
      lines: restarting.flatMap((d) => [{ dyno: d.name, text: "Restarting" }, ...(d.state === "starting" ? [] : [{ dyno: d.name, text: `State changed from ${d.state} to starting` }])]),
      names: restarting.map((d) => d.name),
    };
  }

  /** Whether the dyno is restarting in place (from its `Restarting` or `Cycling` until it starts again). */
  restarting(dyno: string): boolean {
    return this.#restarting.has(dyno);
  }

  /** A status line of the run went to the log (`Restarting`, or `Cycling` for a daily cycle, begins a restart in place). */
  status(dyno: string, text: string): void {
    if (text === "Restarting" || text === "Cycling") this.#restarting.set(dyno, false);
  }

  /** The line for a dyno's state move, or undefined where Heroku shows none. */
  stateLine(dyno: string, from: DynoState, to: DynoState): string | undefined {
    const line = `State changed from ${from} to ${to}`;
    if (this.#replaced.has(dyno)) return undefined;
    if (from === "down" && to === "starting" && (this.#takenOver.delete(dyno) || this.#oneOff)) return undefined;
    const stopped = this.#restarting.get(dyno);
    if (stopped === undefined) return to === "stopping" || from === "stopping" ? this.#stopLine(dyno, from, to) : line;
    if (to === "stopping") {
      this.#restarting.set(dyno, true);
      // Heroku says the restart as one move to starting; a dyno still booting says nothing.
      return from === "starting" ? undefined : `State changed from ${from} to starting`;
    }
    if (from === "stopping") return undefined;
    if (to === "starting") {
      this.#restarting.delete(dyno);
      // One that went through stopping already said it; a crashed or stopped one says it now.
      return stopped ? undefined : line;
    }
    return line;
  }

  /**
   * A move into or out of `stopping` of a dyno that is not restarting, as Heroku says it (see
   * above): a formation dyno's at its start (`up to down`), a one-off's at its end (`up to
   * complete`); undefined for the other move.
   */
  #stopLine(dyno: string, from: DynoState, to: DynoState): string | undefined {
    if (to === "stopping") {
      this.#stoppedFrom.set(dyno, from);
      return this.#oneOff ? undefined : `State changed from ${from} to down`;
    }
    const before = this.#stoppedFrom.get(dyno) ?? from;
    this.#stoppedFrom.delete(dyno);
    return this.#oneOff ? `State changed from ${before} to ${to}` : undefined;
  }
}
