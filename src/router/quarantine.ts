/**
 * Dynos left out of routing for a while (Dev Center: http-routing, "Dyno connection
 * behavior"): one that refused or timed out a connection is not picked for 5 s while the
 * router has another up dyno of the app. Keyed by port, which no two live dynos share.
 */
import type { WebDyno } from "./router.ts";

export class Quarantine {
  readonly #until = new Map<number, number>();

  constructor(
    readonly ms: number,
    readonly now: () => number = () => performance.now(),
  ) {}

  add(dyno: WebDyno): void {
    this.#until.set(dyno.port, this.now() + this.ms);
  }

  has(dyno: WebDyno): boolean {
    const until = this.#until.get(dyno.port);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.#until.delete(dyno.port);
    return false;
  }
}
