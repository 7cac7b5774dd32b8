/**
 * Waiting for a condition during shutdown: checked whenever `wakeups` fires (a dyno
 * exited) and polled every 50 ms (tagged grandchildren exit without telling anyone),
 * until it holds or the timeout passes. Runs on the injected clock.
 */
import type { Clock } from "./clock.ts";

const POLL_MS = 50;

/** Resolves true if `timeoutMs` passed before `done()` held. */
export function waitUntil(clock: Clock, done: () => boolean, timeoutMs: number, wakeups: Set<() => void>): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    let cancelPoll = () => {};
    const finish = (timedOut: boolean) => {
      if (settled) return;
      settled = true;
      wakeups.delete(check);
      cancelDeadline();
      cancelPoll();
      resolve(timedOut);
    };
    const check = () => done() && finish(false);
    const poll = () => {
      check();
      if (!settled) cancelPoll = clock.after(POLL_MS, poll);
    };
    const cancelDeadline = clock.after(timeoutMs, () => finish(!done()));
    wakeups.add(check);
    poll();
  });
}
