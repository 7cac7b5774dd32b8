/**
 * Waiting for a dyno's response head, with Heroku's two clocks on it (timeouts.ts): H12 once
 * `requestMs` has passed since dispatch, H19 when the dyno does not take connections.
 *
 * fetch does not tell when its connection opened, so a dyno that has sent nothing after
 * `connectMs` is asked once more with a bare TCP connection: if that one does not open
 * within `connectMs` either (the dyno's listen backlog is full, or its port swallows
 * connections) the attempt is H19, after about twice the connect timeout. A slow dyno that
 * does accept connections waits on toward H12. Either way the dyno's request is aborted;
 * the dyno's own work goes on (Heroku's router does not stop the app either).
 */
import { accepts } from "../runtime/port-probe.ts";
import type { RouterTimeouts } from "./timeouts.ts";

export class DynoTimeout extends Error {
  constructor(readonly code: "H12" | "H19") {
    super(code === "H12" ? "no response within the request timeout" : "the dyno's connection did not open");
  }
}

export interface FirstByteClock {
  readonly timeouts: Pick<RouterTimeouts, "connectMs" | "requestMs">;
  /** performance.now() when the request was first dispatched to a dyno. */
  readonly dispatchedAt: number;
  /** Aborts the dyno's request. */
  readonly abort: AbortController;
}

export async function firstByte(response: Promise<Response>, port: number, clock: FirstByteClock): Promise<Response> {
  const timers: Timer[] = [];
  let settled = false;
  const timedOut = new Promise<never>((_, reject) => {
    const fail = (code: "H12" | "H19") => {
      if (settled) return;
      settled = true;
      reject(new DynoTimeout(code));
      clock.abort.abort();
    };
    timers.push(setTimeout(() => fail("H12"), clock.dispatchedAt + clock.timeouts.requestMs - performance.now()));
    timers.push(
      setTimeout(() => {
        if (!settled) void accepts(port, clock.timeouts.connectMs).then((open) => open || fail("H19"));
      }, clock.timeouts.connectMs),
    );
  });
  try {
    return await Promise.race([response, timedOut]);
  } finally {
    settled = true;
    for (const timer of timers) clearTimeout(timer);
  }
}
