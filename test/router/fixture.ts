/**
 * Real dynos (Bun.serve on random 127.0.0.1 ports) behind the real router, a route table
 * the test changes as it goes, and the router's log lines. Each test file calls
 * `afterEach(stopAll)`.
 */
import type { Serve, Server, WebSocketHandler } from "bun";
import { dlopen, FFIType, ptr } from "bun:ffi";
import type { InFlight } from "../../src/router/in-flight.ts";
import { type Router, type RouteTarget, type WebDyno, startRouter } from "../../src/router/router.ts";
import type { RouterTimeouts } from "../../src/router/timeouts.ts";

const servers: Server<unknown>[] = [];
const routers: Router[] = [];

export async function stopAll(): Promise<void> {
  for (const router of routers.splice(0)) await router.stop();
  for (const server of servers.splice(0)) await server.stop(true);
}

/** A dyno's server; its port goes into a WebDyno. */
export function startDyno(fetch: (request: Request, server: Server<unknown>) => Response | Promise<Response> | undefined | Promise<undefined>, websocket?: WebSocketHandler<unknown>): Server<unknown> {
  // Any body size, as an app server that streams uploads takes (Bun's default cap is 128 MB).
  const options = { hostname: "127.0.0.1", port: 0, idleTimeout: 0, maxRequestBodySize: Number.MAX_SAFE_INTEGER, fetch, websocket } as Serve.Options<unknown>;
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

export function startRouted(targets: Record<string, Omit<RouteTarget, "app">> = {}, bootWaitMs?: number, timeouts?: Partial<RouterTimeouts>, backlogPerDyno?: number): Routed {
  const table = new Map<string, RouteTarget>(Object.entries(targets).map(([app, target]) => [app, { app, ...target }]));
  const lines: RouterLine[] = [];
  const router = startRouter({
    port: 0,
    table: { lookup: (app) => table.get(app), apps: () => [...table.keys()] },
    log: (app, line) => lines.push({ app: app.app, line }),
    bootWaitMs,
    timeouts,
    backlogPerDyno,
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

/**
 * A port whose connections never open: a listener with a backlog of 0 that never accepts,
 * its one queue place taken, so the kernel drops every further SYN (Linux). Bun.listen
 * accepts everything, so this one is made with libc's socket calls.
 */
export async function blackholedPort(): Promise<{ readonly port: number; close(): void }> {
  const libc = dlopen("libc.so.6", {
    socket: { args: [FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
    bind: { args: [FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
    listen: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 },
    getsockname: { args: [FFIType.i32, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
    close: { args: [FFIType.i32], returns: FFIType.i32 },
  });
  const fd = libc.symbols.socket(2 /* AF_INET */, 1 /* SOCK_STREAM */, 0);
  const address = new Uint8Array(16); // sockaddr_in: family, port (big-endian), 127.0.0.1
  address[0] = 2;
  address.set([127, 0, 0, 1], 4);
  if (libc.symbols.bind(fd, ptr(address), 16) !== 0 || libc.symbols.listen(fd, 0) !== 0) throw new Error("blackholedPort: bind or listen failed");
  libc.symbols.getsockname(fd, ptr(address), ptr(new Uint32Array([16])));
  const port = (address[2]! << 8) | address[3]!;
  const filler = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } });
  return {
    port,
    close() {
      filler.end();
      libc.symbols.close(fd);
      libc.close();
    },
  };
}
