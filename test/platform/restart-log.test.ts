/**
 * Which state moves the log shows on a restart (pure): Heroku's lines (LG-3, Dev Center:
 * dyno-restarts) are Restarting, `State changed from up to starting`, the stop, the start, and
 * `State changed from starting to up`; hoku's dynos move through stopping and down on the way.
 */
import { expect, test } from "bun:test";
import { RestartLog } from "../../src/platform/restart-log.ts";
import type { DynoState } from "../../src/runtime/dyno-state.ts";

const moves = (log: RestartLog, dyno: string, states: DynoState[]) => states.slice(1).map((to, i) => log.stateLine(dyno, states[i]!, to)).filter(Boolean);

test("a dyno restarted in place (ps:restart web.1): up to starting once, no stopping or down", () => {
  const log = new RestartLog();
  log.status("web.1", "Restarting");
  expect(log.restarting("web.1")).toBe(true);
  expect(moves(log, "web.1", ["up", "stopping", "down", "starting", "up"])).toEqual(["State changed from up to starting", "State changed from starting to up"]);
  expect(log.restarting("web.1")).toBe(false);
  // The restart is over: a later ps:stop shows its move again, as Heroku says it (no stopping state).
  expect(moves(log, "web.1", ["up", "stopping", "down"])).toEqual(["State changed from up to down"]);
});

test("a crashed dyno restarted in place says crashed to starting", () => {
  const log = new RestartLog();
  log.status("web.1", "Restarting");
  expect(moves(log, "web.1", ["crashed", "starting", "up"])).toEqual(["State changed from crashed to starting", "State changed from starting to up"]);
});

test("a release: the old run's dynos say Restarting and up to starting at once, then none of their stopping; the new run's first start of the same name is that restart's", () => {
  const old = new RestartLog();
  const replaced = old.replaced(
    [
      { name: "web.1", state: "up" },
      { name: "worker.1", state: "crashed" },
      { name: "web.2", state: "down" },
    ],
    new Set(["web.1", "web.2", "web.3", "worker.1"]),
  );
  expect(replaced.lines).toEqual([
    { dyno: "web.1", text: "Restarting" },
    { dyno: "web.1", text: "State changed from up to starting" },
    { dyno: "worker.1", text: "Restarting" },
    { dyno: "worker.1", text: "State changed from crashed to starting" },
  ]);
  expect(moves(old, "web.1", ["up", "stopping", "down"])).toEqual([]);
  // A replaced dyno waiting out a crash backoff, stopped from crashed, or crashing while its requests drain: nothing either.
  expect(moves(old, "worker.1", ["crashed", "down"])).toEqual([]);
  expect(moves(old, "web.1", ["up", "crashed", "starting"])).toEqual([]);
  const next = new RestartLog(replaced.names);
  expect(moves(next, "web.1", ["down", "starting", "up"])).toEqual(["State changed from starting to up"]);
  // A dyno the old run did not have (scaled up with the release) starts as any new dyno; a later start of web.1 is logged.
  expect(moves(next, "web.3", ["down", "starting"])).toEqual(["State changed from down to starting"]);
  expect(moves(next, "web.1", ["down", "starting"])).toEqual(["State changed from down to starting"]);
});

test("a release whose run has no such dyno (its type gone, scaled away): the old dyno is not said to restart, and its stop is logged", () => {
  const old = new RestartLog();
  const replaced = old.replaced(
    [
      { name: "web.1", state: "up" },
      { name: "worker.1", state: "up" },
      { name: "web.2", state: "stopping" },
    ],
    new Set(["web.1", "web.2"]),
  );
  // web.2 was already stopping (a scale-down under way): not said to restart either.
  expect(replaced.names).toEqual(["web.1"]);
  expect(replaced.lines.map((l) => l.dyno)).toEqual(["web.1", "web.1"]);
  expect(moves(old, "worker.1", ["up", "stopping", "down"])).toEqual(["State changed from up to down"]);
});

test("ps:restart of a dyno still booting says no move to starting; of one held down by ps:stop, its start from down", () => {
  const booting = new RestartLog();
  booting.status("web.1", "Restarting");
  expect(moves(booting, "web.1", ["starting", "stopping", "down", "starting", "up"])).toEqual(["State changed from starting to up"]);
  const held = new RestartLog();
  held.status("web.1", "Restarting");
  expect(moves(held, "web.1", ["down", "starting", "up"])).toEqual(["State changed from down to starting", "State changed from starting to up"]);
});

test("Heroku has no stopping state: a formation dyno's stop says up to down as it begins; a one-off's says up to complete once it has exited, and its start has no down to starting", () => {
  expect(moves(new RestartLog(), "worker.1", ["up", "stopping", "down", "starting", "up"])).toEqual([
    "State changed from up to down",
    "State changed from down to starting",
    "State changed from starting to up",
  ]);
  expect(moves(new RestartLog(), "web.2", ["starting", "stopping", "down"])).toEqual(["State changed from starting to down"]);
  const oneOff = new RestartLog([], { oneOff: true });
  expect(moves(oneOff, "run.1234", ["down", "starting", "up", "stopping", "complete"])).toEqual([
    "State changed from starting to up",
    "State changed from up to complete",
  ]);
  expect(moves(oneOff, "run.1235", ["up", "complete"])).toEqual(["State changed from up to complete"]);
});
