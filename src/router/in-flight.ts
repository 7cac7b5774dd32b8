/**
 * The requests in flight on each web dyno, by its port: what the dyno manager waits for
 * before it sends SIGTERM to a dyno it took out of routing (a release, a scale-down), so a
 * request a dyno accepted ends with that dyno's answer. `enter` counts one request and gives
 * the one way to uncount it: a `leave` that counts only once, however often it is called, so
 * every exit path of a request (its end, an error, a client that left) may call it.
 * Pure: no I/O.
 */

export class InFlight {
  readonly #counts = new Map<number, number>();
  readonly #waiters = new Map<number, Set<() => void>>();

  /** One more request on the dyno at `port`; call the returned `leave` when it ends. */
  enter(port: number): () => void {
    this.#counts.set(port, (this.#counts.get(port) ?? 0) + 1);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#leave(port);
    };
  }

  /** The requests in flight on the dyno at `port` now. */
  count(port: number): number {
    return this.#counts.get(port) ?? 0;
  }

  /** Resolves once no request is in flight on the dyno at `port` (at once when none is). */
  drained(port: number): Promise<void> {
    if (this.count(port) === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(port) ?? new Set();
      waiters.add(resolve);
      this.#waiters.set(port, waiters);
    });
  }

  #leave(port: number): void {
    const count = (this.#counts.get(port) ?? 1) - 1;
    if (count > 0) return void this.#counts.set(port, count);
    this.#counts.delete(port);
    const waiters = this.#waiters.get(port);
    this.#waiters.delete(port);
    for (const resolve of waiters ?? []) resolve();
  }
}
