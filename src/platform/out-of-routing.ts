/**
 * Web dynos taken out of routing before they stop: the router sends them no new request, and
 * the dyno manager sends SIGTERM only once the requests they already have are done (counted
 * by the router process, src/router/in-flight.ts), so a release, a scale-down or a restart never cuts
 * a request a dyno accepted. The wait is bounded by Heroku's 30 s request timeout (H12): the
 * router gives no request longer to start answering. Keyed by port, which a dyno keeps for
 * its life; `putBack` once the dyno is down (a later dyno may be given the port) or back up.
 *
 * A dyno that stops to start again (ps:restart web.1, ps:stop of a formation dyno, a daily
 * cycle) is `returning`: the router holds the app's requests for it as for a booting dyno,
 * where one stopping for good (a scale-down) is simply gone (H14 once no web dyno is left).
 */
import { HEROKU_ROUTER_TIMEOUTS } from "../router/timeouts.ts";

/** What the dyno manager needs of the router. */
export interface RouterLink {
  /** The apps' routes may have changed: resolves once the router routes by the new ones. */
  routesChanged(): Promise<void>;
  /** Resolves once none of these dyno ports has a request in flight. */
  drained(ports: readonly number[]): Promise<void>;
}

export class OutOfRouting {
  /** Ports out of routing, with how many stops hold each out (two `ps:restart web.1` may overlap). */
  readonly #ports = new Map<number, number>();
  /** Those of them whose dyno starts again after its stop, with how many such stops hold each. */
  readonly #returning = new Map<number, number>();

  constructor(
    readonly router: RouterLink,
    readonly maxWaitMs: number = HEROKU_ROUTER_TIMEOUTS.requestMs,
  ) {}

  /** Whether the router must leave the dyno at `port` alone. */
  has(port: number): boolean {
    return this.#ports.has(port);
  }

  /** Whether the dyno at `port`, out of routing, is to start again (the router waits for it). */
  returning(port: number): boolean {
    return this.#returning.has(port);
  }

  /** Takes these dynos out of routing; resolves once none has a request in flight, or after `maxWaitMs`. */
  async takeOut(ports: readonly number[], returning = false): Promise<void> {
    if (ports.length === 0) return;
    for (const port of ports) count(this.#ports, port, +1);
    if (returning) for (const port of ports) count(this.#returning, port, +1);
    await this.router.routesChanged().catch(() => {}); // the platform closing as it stops
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.maxWaitMs)));
    await Promise.race([this.router.drained(ports), late]);
    clearTimeout(timer);
  }

  /** The router may send to these ports again, once no other stop holds them out. */
  putBack(ports: readonly number[], returning = false): void {
    for (const port of ports) count(this.#ports, port, -1);
    if (returning) for (const port of ports) count(this.#returning, port, -1);
    this.router.routesChanged().catch(() => {}); // the platform closing as it stops
  }

  /**
   * Runs `stop` once these dynos are out of routing with no request in flight; puts the ports
   * back after. `returning`: the dynos start again after it (see above).
   */
  async stopping<T>(ports: readonly number[], stop: () => Promise<T>, options: { returning?: boolean } = {}): Promise<T> {
    const returning = options.returning ?? false;
    await this.takeOut(ports, returning);
    try {
      return await stop();
    } finally {
      this.putBack(ports, returning);
    }
  }
}

/** Adds `by` to a port's count, forgetting it at 0. */
function count(counts: Map<number, number>, port: number, by: number): void {
  const next = (counts.get(port) ?? 0) + by;
  if (next > 0) counts.set(port, next);
  else counts.delete(port);
}
