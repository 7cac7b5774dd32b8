/**
 * Waiting for a dyno's response head, with Heroku's clocks on it (timeouts.ts; Dev Center:
 * request-timeout, http-routing):
 *
 *   H12  no response head within `requestMs` of the request having all gone to the dyno:
 *        dispatch for a request without a body, the body's last byte for one with a body
 *        (a slow upload is not a slow app)
 *   H28  while the body is on its way, the client sent nothing for the idle window
 *   H15  while the body is on its way, the dyno took nothing for the idle window
 *   H19  the dyno does not take connections
 *
 * fetch does not tell when its connection opened, so a dyno that has sent nothing after
 * `connectMs` is asked once more with a bare TCP connection: if that one does not open
 * within `connectMs` either (the dyno's listen backlog is full, or its port swallows
 * connections) the attempt is H19, after about twice the connect timeout. A slow dyno that
 * does accept connections waits on toward H12. Either way the dyno's request is aborted;
 * the dyno's own work goes on (Heroku's router does not stop the app either).
 */
import { accepts } from "../runtime/port-probe.ts";
import type { ReplayableBody } from "./replayable-body.ts";
import type { RouterTimeouts } from "./timeouts.ts";

export type DynoTimeoutCode = "H12" | "H15" | "H19" | "H28";

const WHY: Record<DynoTimeoutCode, string> = {
  H12: "no response within the request timeout",
  H15: "the dyno took none of the request's body within the idle timeout",
  H19: "the dyno's connection did not open",
  H28: "the client sent none of the request's body within the idle timeout",
};

export class DynoTimeout extends Error {
  constructor(readonly code: DynoTimeoutCode) {
    super(WHY[code]);
  }
}

export interface FirstByteClock {
  readonly timeouts: Pick<RouterTimeouts, "connectMs" | "requestMs" | "idleMs">;
  /** performance.now() when the request was first dispatched to a dyno. */
  readonly dispatchedAt: number;
  /** Aborts the dyno's request. */
  readonly abort: AbortController;
  /** The request's body, if it has one: the request timeout waits until it has all gone. */
  readonly body?: ReplayableBody;
}

export async function firstByte(response: Promise<Response>, port: number, clock: FirstByteClock): Promise<Response> {
  const timers: Timer[] = [];
  let settled = false;
  const timedOut = new Promise<never>((_, reject) => {
    const fail = (code: DynoTimeoutCode) => {
      if (settled) return;
      settled = true;
      reject(new DynoTimeout(code));
      clock.abort.abort();
    };
    const { timeouts, body } = clock;
    const requestTimeoutFrom = (start: number) => timers.push(setTimeout(() => fail("H12"), start + timeouts.requestMs - performance.now()));
    if (!body) requestTimeoutFrom(clock.dispatchedAt);
    else {
      let uploaded = false;
      void body.sent.then((sentAt) => {
        uploaded = true;
        if (!settled) requestTimeoutFrom(sentAt);
      });
      // The upload's rolling idle window: nothing moved for that long is the fault of the side waited on.
      const watchUpload = () => {
        if (settled || uploaded) return;
        const idleFor = performance.now() - body.movedAt;
        if (idleFor >= timeouts.idleMs) return fail(body.waitingOnClient ? "H28" : "H15");
        timers.push(setTimeout(watchUpload, timeouts.idleMs - idleFor));
      };
      watchUpload();
    }
    timers.push(
      setTimeout(() => {
        if (!settled) void accepts(port, timeouts.connectMs).then((open) => open || fail("H19"));
      }, timeouts.connectMs),
    );
  });
  try {
    return await Promise.race([response, timedOut]);
  } finally {
    settled = true;
    for (const timer of timers) clearTimeout(timer);
  }
}
