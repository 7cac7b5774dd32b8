/**
 * A dyno's state, in Heroku's words, and the only legal moves between states.
 * `heroku[web.1]: State changed from starting to up` is printed from these.
 */

/** Where a dyno is in its life; `complete` is a one-off dyno (release, run) that has finished. */
export type DynoState = "starting" | "up" | "crashed" | "stopping" | "down" | "complete";

const MOVES: Readonly<Record<DynoState, readonly DynoState[]>> = {
  down: ["starting"],
  starting: ["up", "crashed", "stopping", "down", "complete"],
  up: ["crashed", "stopping", "down", "starting", "complete"],
  crashed: ["starting", "down", "stopping"],
  stopping: ["down", "crashed", "complete"],
  complete: [],
};

export function canMove(from: DynoState, to: DynoState): boolean {
  return MOVES[from].includes(to);
}
