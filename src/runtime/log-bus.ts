/**
 * The log bus: one ordered stream of AppEvents, delivered synchronously to every
 * subscriber in publish order. Subscribers must not throw; one that does is dropped
 * and reported on stderr, so a broken consumer cannot stop the dynos.
 */
import type { AppEvent } from "./events.ts";

export type Subscriber = (event: AppEvent) => void;

export class LogBus {
  readonly #subscribers = new Set<Subscriber>();

  /** Adds a subscriber; the returned function removes it. */
  subscribe(subscriber: Subscriber): () => void {
    this.#subscribers.add(subscriber);
    return () => this.#subscribers.delete(subscriber);
  }

  publish(event: AppEvent): void {
    for (const subscriber of this.#subscribers) {
      try {
        subscriber(event);
      } catch (error) {
        this.#subscribers.delete(subscriber);
        process.stderr.write(`hoku: a log consumer failed and was detached: ${String(error)}\n`);
      }
    }
  }
}
