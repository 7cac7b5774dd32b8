/**
 * The platform's side of its router process (src/router/router-process.ts): starts it from the
 * same binary, tells it every app's route whenever one changes, asks it when dynos taken out of
 * routing have no request left, and files its router lines in the log store.
 *
 * `publish` resolves once the router routes by the table given, so an API call that changed a
 * route (maintenance:on, a rename) answers only after the router acts on it. A router that
 * exits while the platform runs is started again on the same port.
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

export class RouterProcess {
  readonly #deps: RouterProcessDeps;
  readonly #options: RouterProcessOptions;
  #child!: Subprocess;
  #stopping = false;
  /** The router answers on its channel (false while it starts, or starts again). */
  #listening = false;
  /** The last table published, and the JSON the router was last sent. */
  #routes: readonly PublishedRoute[] = [];
  #sentJson = "";
  /** Resolves once the router routes by the table last sent. */
  #lastSent: Promise<void> = Promise.resolve();
  #seq = 0;
  readonly #applied = new Map<number, () => void>();
  #drainId = 0;
  readonly #drains = new Map<number, () => void>();
  #ready?: { resolve: (port: number) => void; reject: (error: Error) => void };

  private constructor(deps: RouterProcessDeps, options: RouterProcessOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  /** Starts the router; resolves once it listens (rejects with the error's `code`, e.g. EADDRINUSE). */
  static async start(deps: RouterProcessDeps, options: RouterProcessOptions): Promise<RouterProcess> {
    const router = new RouterProcess(deps, options);
    await router.#spawn();
    return router;
  }

  /** Sends the route table if it differs from the last one sent; resolves once the router routes by it. */
  publish(routes: readonly PublishedRoute[]): Promise<void> {
    this.#routes = routes;
    // A router starting again gets the last table once it listens.
    if (!this.#listening) return Promise.resolve();
    const json = JSON.stringify(routes);
    // The same table as the last one sent: done once that one is applied.
    if (json === this.#sentJson) return this.#lastSent;
    this.#sentJson = json;
    const seq = ++this.#seq;
    this.#lastSent = new Promise((resolve) => {
      this.#applied.set(seq, resolve);
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

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#child.kill("SIGTERM");
    await this.#child.exited;
    this.#settleAll();
  }

  #send(message: ToRouter): void {
    try {
      this.#child.send(message);
    } catch {
      // The router just went: its restart sends the last table; nothing is in flight to drain.
      this.#settleAll();
    }
  }

  /** Nobody waits on a router that went: its requests in flight went with it. */
  #settleAll(): void {
    for (const done of [...this.#applied.values(), ...this.#drains.values()]) done();
    this.#applied.clear();
    this.#drains.clear();
  }

  #spawn(): Promise<number> {
    const ready = new Promise<number>((resolve, reject) => (this.#ready = { resolve, reject }));
    this.#child = Bun.spawn([...this.#deps.hoku, "__router", JSON.stringify(this.#options)], {
      env: { ...process.env, [TAG_VAR]: `${this.#deps.runId}/router` },
      stdio: ["ignore", "inherit", "inherit"],
      serialization: "json",
      ipc: (message: FromRouter) => this.#receive(message),
    });
    void this.#child.exited.then((code) => this.#exited(code));
    return ready;
  }

  #receive(message: FromRouter): void {
    switch (message.kind) {
      case "ready":
        this.#listening = true;
        this.#ready?.resolve(message.port);
        this.#ready = undefined;
        return;
      case "failed":
        this.#ready?.reject(Object.assign(new Error(`the router could not listen on 127.0.0.1:${this.#options.port}: ${message.message}`), { code: message.code }));
        this.#ready = undefined;
        return;
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

  #exited(code: number | null): void {
    this.#listening = false;
    this.#settleAll();
    if (this.#ready) {
      this.#ready.reject(new Error(`the router exited (${code}) before it listened`));
      this.#ready = undefined;
      return;
    }
    if (this.#stopping) return;
    this.#deps.say(`the router exited (${code}): starting it again`);
    this.#sentJson = "";
    void this.#spawn().then(
      () => this.publish(this.#routes),
      (error: Error) => this.#deps.say(`the router did not start again: ${error.message}`),
    );
  }
}
