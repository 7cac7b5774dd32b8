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
 * The lines are Heroku's; on a release their order can differ: the new dyno starts at once
 * (its `Starting process` may come before the old one's stop, which waits for its requests in
 * flight), where Heroku's default stops the old dyno first.
 */
import type { DynoState } from "../runtime/dyno-state.ts";

export interface LogLineOf {
  readonly dyno: string;
  readonly text: string;
}

export class RestartLog {
  /** Dynos restarting in place: between their `Restarting` and their start. */
  readonly #restarting = new Set<string>();
  /** A new release replaces this run: its dynos already said they restart. */
  #replaced = false;
  /** Names this run takes over from the run it replaces: their first start is that restart's. */
  readonly #takenOver: Set<string>;

  constructor(takenOver: Iterable<string> = []) {
    this.#takenOver = new Set(takenOver);
  }

  /**
   * A new release replaces this run: the lines its dynos log now (those not down), and their
   * names, which the new run takes over. This run's later moves to and from stopping are not logged.
   */
  replaced(dynos: readonly { readonly name: string; readonly state: DynoState }[]): { lines: LogLineOf[]; names: string[] } {
    this.#replaced = true;
    const live = dynos.filter((d) => d.state !== "down" && d.state !== "complete");
    return {
      lines: live.flatMap((d) => [{ dyno: d.name, text: "Restarting" }, ...(d.state === "starting" ? [] : [{ dyno: d.name, text: `State changed from ${d.state} to starting` }])]),
      names: live.map((d) => d.name),
    };
  }

  /** A status line of the run went to the log (`Restarting` begins a restart in place). */
  status(dyno: string, text: string): void {
    if (text === "Restarting") this.#restarting.add(dyno);
  }

  /** The line for a dyno's state move, or undefined where Heroku shows none. */
  stateLine(dyno: string, from: DynoState, to: DynoState): string | undefined {
    const line = `State changed from ${from} to ${to}`;
    if (this.#replaced && (to === "stopping" || from === "stopping")) return undefined;
    if (from === "down" && to === "starting" && this.#takenOver.delete(dyno)) return undefined;
    if (!this.#restarting.has(dyno)) return line;
    if (to === "stopping") return `State changed from ${from} to starting`;
    if (from === "stopping") return undefined;
    if (to === "starting") {
      this.#restarting.delete(dyno);
      // A crashed dyno restarted says so; one that went through stopping already did.
      return from === "down" ? undefined : line;
    }
    return line;
  }
}
