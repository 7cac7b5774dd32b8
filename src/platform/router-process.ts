/**
 * The platform's side of its router process (src/router/router-process.ts): starts it from the
 * same binary, tells it every app's route whenever one changes, asks it when dynos taken out of
 * routing have no request left, and files its router lines in the log store.
 *
 * - `publish` resolves once the router routes by the table given, so an API call that changed a
 *   route (maintenance:on, a rename) answers only after the router acts on it; a router that
 *   does not answer holds nothing up for more than 5 s.
 * - A router starts with the last table in its options: it never answers "no such app" for
 *   want of one.
 * - A router that exits while the platform runs is started again on the same port at once; one
 *   that cannot listen is tried again after 1 s, then 2 s, ... up to every 30 s, said once.
 */
import type { Subprocess } from "bun";
import { TAG_VAR } from "../runtime/kill.ts";
import type { FromRouter, PublishedRoute, RouterProcessOptions, ToRouter } from "../router/router-messages.ts";

export interface RouterProcessDeps {
  /** The hoku binary (`hoku __router` runs the router). */
  readonly hoku: readonly string[];
  /** Tags the process for the platform's reaper (`<run>/router`). */
  readonly runId: string;
  /** Router log lines, to the app's log store. */
  readonly onLine: (appId: string, at: Date, line: string) => void;
  /** A restart, or a failure to restart. */
  readonly say: (line: string) => void;
}

/** How long a publish waits for the router to apply its table. */
const APPLY_WAIT_MS = 5_000;
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;

export class RouterProcess {
  readonly #deps: RouterProcessDeps;
  readonly #options: RouterProcessOptions;
  #child?: Subprocess;
  #stopping = false;
  /** The router answers on its channel (false while it starts, or starts again). */
  #listening = false;
  /** The last table published, and the JSON the router was last given. */
  #routes: readonly PublishedRoute[];
  #sentJson = "";
  /** Resolves once the router routes by the table last sent (or the wait for it ran out). */
  #lastSent: Promise<void> = Promise.resolve();
  #seq = 0;
  readonly #applied = new Map<number, () => void>();
  #drainId = 0;
  readonly #drains = new Map<number, () => void>();
  #retryMs = RETRY_FIRST_MS;
  #retry?: ReturnType<typeof setTimeout>;

  private constructor(deps: RouterProcessDeps, options: RouterProcessOptions) {
    this.#deps = deps;
    this.#options = options;
    this.#routes = options.routes ?? [];
  }

  /** Starts the router with `options.routes`; resolves once it listens (rejects with the error's `code`, e.g. EADDRINUSE). */
  static async start(deps: RouterProcessDeps, options: RouterProcessOptions): Promise<RouterProcess> {
    const router = new RouterProcess(deps, options);
    await router.#spawn();
    return router;
  }

  /** The router process now (for tests and benchmarks). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Sends the route table if it differs from the last one sent; resolves once the router routes by it. */
  publish(routes: readonly PublishedRoute[]): Promise<void> {
    this.#routes = routes;
    // A router starting again gets the last table with its options.
    if (!this.#listening) return Promise.resolve();
    const json = JSON.stringify(routes);
    // The same table as the last one sent: done once that one is applied.
    if (json === this.#sentJson) return this.#lastSent;
    this.#sentJson = json;
    const seq = ++this.#seq;
    this.#lastSent = new Promise((resolve) => {
      const late = setTimeout(resolve, APPLY_WAIT_MS);
      this.#applied.set(seq, () => {
        clearTimeout(late);
        resolve();
      });
      this.#send({ kind: "table", seq, routes });
    });
    return this.#lastSent;
  }

  /** Resolves once none of these dyno ports has a request in flight (as the router counts them). */
  drained(ports: readonly number[]): Promise<void> {
    // A router starting again has no request in flight.
    if (!this.#listening) return Promise.resolve();
    const id = ++this.#drainId;
    return new Promise((resolve) => {
      this.#drains.set(id, resolve);
      this.#send({ kind: "drain", id, ports });
    });
  }

  /** Closes the router's channel (it exits, its requests cut); SIGKILL if it is still there 2 s later. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#retry);
    const child = this.#child;
    if (child && child.exitCode === null && child.signalCode === null) {
      try {
        child.disconnect();
      } catch {
        child.kill("SIGTERM");
      }
      const late = setTimeout(() => child.kill("SIGKILL"), 2_000);
      await child.exited;
      clearTimeout(late);
    }
    this.#settleAll();
  }

  #send(message: ToRouter): void {
    try {
      this.#child?.send(message);
    } catch {
      // The router just went: its restart gets the last table; nothing is in flight to drain.
      this.#settleAll();
    }
  }

  /** Nobody waits on a router that went: its requests in flight went with it. */
  #settleAll(): void {
    for (const done of [...this.#applied.values(), ...this.#drains.values()]) done();
    this.#applied.clear();
    this.#drains.clear();
  }

  /** Starts a router with the last table; resolves once it listens, rejects if it cannot. */
  #spawn(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const routes = this.#routes;
      let listened = false;
      let child: Subprocess;
      const receive = (message: FromRouter) => {
        if (message.kind === "ready") {
          listened = true;
          this.#listening = true;
          this.#sentJson = JSON.stringify(routes);
          resolve();
          // A table published while it started.
          void this.publish(this.#routes);
        } else if (message.kind === "failed") {
          reject(Object.assign(new Error(`the router could not listen on 127.0.0.1:${this.#options.port}: ${message.message}`), { code: message.code }));
        } else this.#receive(message);
      };
      try {
        child = Bun.spawn([...this.#deps.hoku, "__router", JSON.stringify({ ...this.#options, routes })], {
          env: { ...process.env, [TAG_VAR]: `${this.#deps.runId}/router` },
          stdio: ["ignore", "inherit", "inherit"],
          serialization: "json",
          ipc: (message: FromRouter) => receive(message),
        });
      } catch (error) {
        return reject(error);
      }
      this.#child = child;
      void child.exited.then((code) => {
        if (!listened) return reject(new Error(`the router exited (${child.signalCode ?? code}) before it listened`));
        this.#listening = false;
        this.#settleAll();
        if (this.#stopping) return;
        this.#deps.say(`the router exited (${child.signalCode ?? `status ${code}`}): starting it again`);
        this.#restart();
      });
    });
  }

  /** Starts the router again; while it cannot listen, tries again later, saying so once. */
  #restart(): void {
    this.#retry = undefined;
    if (this.#stopping) return;
    this.#spawn().then(
      () => {
        if (this.#retryMs > RETRY_FIRST_MS) this.#deps.say("the router listens again");
        this.#retryMs = RETRY_FIRST_MS;
      },
      (error: Error) => {
        if (this.#retryMs === RETRY_FIRST_MS) this.#deps.say(`the router did not start again: ${error.message}; trying again, every 30 s at most`);
        this.#retry = setTimeout(() => this.#restart(), this.#retryMs);
        this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS);
      },
    );
  }

  #receive(message: FromRouter): void {
    switch (message.kind) {
      case "applied":
        this.#applied.get(message.seq)?.();
        this.#applied.delete(message.seq);
        return;
      case "drained":
        this.#drains.get(message.id)?.();
        this.#drains.delete(message.id);
        return;
      case "lines":
        for (const [appId, atMs, line] of message.lines) this.#deps.onLine(appId, new Date(atMs), line);
        return;
    }
  }
}
