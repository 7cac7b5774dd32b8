/**
 * The one-off dynos running now, per app (`run.4821`, attached or detached, DY-10): what `ps`
 * lists beside the formation, under `=== run: one-off processes`, and what `ps:stop run.4821`
 * or `ps:stop --process-type run` stops. A one-off dyno is listed from its creation until it
 * exits; it is never restarted, and its daily cycle (DY-7) ends it.
 */
import type { DynoState } from "../runtime/dyno-state.ts";
import { randomInt } from "./random.ts";

export interface OneOffDyno {
  readonly appId: string;
  /** `run.4821`. */
  readonly name: string;
  /** `run`, unless the client asked for another type. */
  readonly type: string;
  /** The command as the client gave it (`bash`, `web`): what `ps` shows. */
  readonly command: string;
  readonly releaseVersion: number;
  readonly createdAt: Date;
  /** SIGTERM to its processes, SIGKILL after the grace; resolves once it is gone. */
  stop(): Promise<void>;
}

interface Entry {
  readonly dyno: OneOffDyno;
  state: DynoState;
  changedAt: Date;
  cycle?: Timer;
}

/** A listed one-off dyno as `ps` sees it. */
export type OneOffStatus = OneOffDyno & { readonly state: DynoState; readonly changedAt: Date };

/** Daily cycling (DY-7) of one-off dynos: each is due `afterMs()` after it is listed; `due` ends it. */
export interface OneOffCycle {
  afterMs(): number;
  due(dyno: OneOffDyno): void;
}

export class OneOffList {
  readonly #entries = new Map<string, Entry>();
  readonly #cycle: OneOffCycle | undefined;

  constructor(cycle?: OneOffCycle) {
    this.#cycle = cycle;
  }

  /** A name for a new one-off dyno of `type` that no running one of the app has (`run.4821`). */
  freeName(appId: string, type: string): string {
    for (;;) {
      const name = `${type}.${randomInt(1000, 10000)}`;
      if (!this.#entries.has(key(appId, name))) return name;
    }
  }

  /** Lists a new one-off dyno, `starting`. */
  add(dyno: OneOffDyno): void {
    const cycle = this.#cycle;
    const entry: Entry = { dyno, state: "starting", changedAt: dyno.createdAt };
    if (cycle) entry.cycle = setTimeout(() => this.#entries.get(key(dyno.appId, dyno.name)) === entry && cycle.due(dyno), cycle.afterMs());
    this.#entries.set(key(dyno.appId, dyno.name), entry);
  }

  /** Its state changed (`up` once attached or started). */
  move(appId: string, name: string, state: DynoState): void {
    const entry = this.#entries.get(key(appId, name));
    if (!entry || entry.state === state) return;
    entry.state = state;
    entry.changedAt = new Date();
  }

  /** It exited (or its client never came): no longer listed. */
  remove(appId: string, name: string): void {
    clearTimeout(this.#entries.get(key(appId, name))?.cycle);
    this.#entries.delete(key(appId, name));
  }

  of(appId: string): OneOffStatus[] {
    return [...this.#entries.values()].filter((e) => e.dyno.appId === appId).map(status);
  }

  find(appId: string, name: string): OneOffStatus | undefined {
    const entry = this.#entries.get(key(appId, name));
    return entry && status(entry);
  }
}

const key = (appId: string, name: string) => `${appId}/${name}`;

function status(entry: Entry): OneOffStatus {
  return { ...entry.dyno, state: entry.state, changedAt: entry.changedAt };
}
