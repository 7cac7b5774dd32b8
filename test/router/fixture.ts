/**
 * Real dynos (Bun.serve on random 127.0.0.1 ports) behind the real router, a route table
 * the test changes as it goes, and the router's log lines. Each test file calls
 * `afterEach(stopAll)`.
 */
import type { Serve, Server, WebSocketHandler } from "bun";
import type { InFlight } from "../../src/router/in-flight.ts";
import { type Router, type RouteTarget, type WebDyno, startRouter } from "../../src/router/router.ts";

const servers: Server<unknown>[] = [];
const routers: Router[] = [];

export async function stopAll(): Promise<void> {
  for (const router of routers.splice(0)) await router.stop();
  for (const server of servers.splice(0)) await server.stop(true);
}

/** A dyno's server; its port goes into a WebDyno. */
export function startDyno(fetch: (request: Request, server: Server<unknown>) => Response | Promise<Response> | undefined | Promise<undefined>, websocket?: WebSocketHandler<unknown>): Server<unknown> {
  const options = { hostname: "127.0.0.1", port: 0, idleTimeout: 0, fetch, websocket } as Serve.Options<unknown>;
  const server = Bun.serve(options);
  servers.push(server);
  return server;
}

export function web(name: string, server: { readonly port?: number } | number, state: WebDyno["state"] = "up"): WebDyno {
  return { name, port: typeof server === "number" ? server : server.port!, state };
}

export interface RouterLine {
  readonly app: string;
  readonly line: string;
}

export interface Routed {
  readonly port: number;
  /** Every router log line so far, in order. */
  readonly lines: RouterLine[];
  /** The app's route: set or change it at any time. */
  readonly table: Map<string, RouteTarget>;
  /** The router's count of requests in flight per dyno port. */
  readonly inFlight: InFlight;
  /** `http://<app>.localhost:<port><path>`. */
  url(app: string, path?: string): string;
  /** Resolves the log lines once there are `n` (a streamed response logs when it ends). */
  linesAfter(n: number): Promise<string[]>;
}

export function startRouted(targets: Record<string, Omit<RouteTarget, "app">> = {}, bootWaitMs?: number): Routed {
  const table = new Map<string, RouteTarget>(Object.entries(targets).map(([app, target]) => [app, { app, ...target }]));
  const lines: RouterLine[] = [];
  const router = startRouter({
    port: 0,
    table: { lookup: (app) => table.get(app), apps: () => [...table.keys()] },
    log: (app, line) => lines.push({ app, line }),
    bootWaitMs,
  });
  routers.push(router);
  return {
    port: router.port,
    lines,
    table,
    inFlight: router.inFlight,
    url: (app, path = "/") => `http://${app}.localhost:${router.port}${path}`,
    async linesAfter(n) {
      for (let waited = 0; lines.length < n && waited < 3000; waited += 10) await Bun.sleep(10);
      return lines.map((entry) => entry.line);
    },
  };
}

/** A log line's fields, `key=value` or `key="value"`. */
export function fieldsOf(line: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of line.matchAll(/(\w+)=("([^"]*)"|\S*)/g)) fields[match[1]!] = match[3] ?? match[2]!;
  return fields;
}
