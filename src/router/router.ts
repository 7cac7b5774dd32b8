/**
 * The router of the deployed half: `http://<app>.localhost:<port>/` goes to a random `up`
 * web dyno of the app's current release (Dev Center: http-routing), with Heroku's headers,
 * bodies streamed both ways, and one router log line per request in the app's log. When no
 * dyno can answer it serves Heroku's page and code instead (choose-dyno.ts).
 *
 * Before any dyno: a request past Heroku's limits is refused (http-limits.ts), and an app in
 * maintenance mode gets Heroku's maintenance page, H80; its dynos keep running.
 *
 * Bun.serve on 127.0.0.1 only; Bun's idle timeout is off: the router's own clocks
 * (timeouts.ts) end a silent request or response.
 */
import type { Server } from "bun";
import type { DynoState } from "../runtime/dyno-state.ts";
import { pickDyno, type Routing, routingFor } from "./choose-dyno.ts";
import { type Exchange, refusedRequest, routerErrorResponse } from "./exchange.ts";
import { forwardToDynos } from "./forward.ts";
import { appendForwardedFor } from "./headers.ts";
import { parseHost } from "./host.ts";
import { requestRestriction } from "./http-limits.ts";
import { InFlight } from "./in-flight.ts";
import { indexPage, noSuchAppPage, pageResponse } from "./pages.ts";
import { Quarantine } from "./quarantine.ts";
import { requestIdFor } from "./request-id.ts";
import { formatRouterLine } from "./router-log.ts";
import { HEROKU_ROUTER_TIMEOUTS, type RouterTimeouts } from "./timeouts.ts";
import { isWebSocketRequest, openTunnel, type Tunnel, tunnelHandlers } from "./websocket.ts";

export interface WebDyno {
  /** `web.1`, as the log line's `dyno=` names it. */
  readonly name: string;
  /** The dyno's $PORT on 127.0.0.1. */
  readonly port: number;
  readonly state: DynoState;
}

export interface RouteTarget {
  readonly app: string;
  /** False: the app has no release yet (H81 Blank app). */
  readonly released: boolean;
  /** The current release's web dynos; the router picks among those `up`. */
  readonly webDynos: readonly WebDyno[];
  /** The app is in maintenance mode: H80 and the maintenance page, no dyno asked. */
  readonly maintenance?: boolean;
  /** The app's ERROR_PAGE_URL config var: framed instead of the router's error page. */
  readonly errorPageUrl?: string;
  /** The app's MAINTENANCE_PAGE_URL config var: framed instead of the maintenance page. */
  readonly maintenancePageUrl?: string;
}

/** The platform's view of its apps, asked on every request (so it must be cheap). */
export interface RouteTable<T extends RouteTarget = RouteTarget> {
  lookup(app: string): T | undefined;
  /** The apps' names, for the index page at bare `localhost`; optional. */
  apps?(): readonly string[];
}

/** One router log line for the app's log store (source "heroku", dyno "router"), given the app as the table gave it. */
export type RouterLog<T extends RouteTarget = RouteTarget> = (app: T, line: string) => void;

export interface RouterOptions<T extends RouteTarget = RouteTarget> {
  /** 0 picks a free port; `Router.port` tells which. */
  readonly port: number;
  readonly table: RouteTable<T>;
  readonly log: RouterLog<T>;
  readonly hostname?: "127.0.0.1";
  /** How long a request waits for a starting web dyno before H20; Heroku's 75 s by default. */
  readonly bootWaitMs?: number;
  /** Shorter clocks for labs and tests; Heroku's (timeouts.ts) for any not given. */
  readonly timeouts?: Partial<RouterTimeouts>;
  /** Counts the requests in flight per dyno, for whoever stops dynos; the router's own by default. */
  readonly inFlight?: InFlight;
  /** Requests in flight per up web dyno past which an app's next request is H11 (Heroku: 200 per router). */
  readonly backlogPerDyno?: number;
}

export interface Router {
  readonly port: number;
  /** The requests in flight on each web dyno. */
  readonly inFlight: InFlight;
  stop(): Promise<void>;
}

const BOOT_WAIT_MS = 75_000;
const BOOT_POLL_MS = 50;
const BACKLOG_PER_DYNO = 200;

/** What every request of one router shares. */
interface RouterState {
  readonly timeouts: RouterTimeouts;
  readonly quarantine: Quarantine;
  readonly inFlight: InFlight;
}

export function startRouter<T extends RouteTarget>(options: RouterOptions<T>): Router {
  const timeouts = { ...HEROKU_ROUTER_TIMEOUTS, ...options.timeouts };
  const state: RouterState = { timeouts, quarantine: new Quarantine(timeouts.quarantineMs), inFlight: options.inFlight ?? new InFlight() };
  const server: Server<Tunnel> = Bun.serve<Tunnel>({
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port,
    idleTimeout: 0,
    maxRequestBodySize: Number.MAX_SAFE_INTEGER,
    development: false,
    // A second router (another platform) on this port must fail, not share it: Bun sets SO_REUSEPORT otherwise.
    reusePort: false,
    fetch: (request, server) => route(request, server, options, state),
    websocket: tunnelHandlers,
  });
  const port = server.port ?? options.port;
  return {
    port,
    inFlight: state.inFlight,
    stop: async () => {
      await server.stop(true);
    },
  };
}

async function route<T extends RouteTarget>(request: Request, server: Server<Tunnel>, options: RouterOptions<T>, state: RouterState): Promise<Response | undefined> {
  const receivedAt = performance.now();
  const startMs = Date.now();
  const host = request.headers.get("host");
  const target = parseHost(host);
  const port = server.port ?? options.port;
  if (target.kind === "index") return pageResponse(200, indexPage(port, options.table.apps?.()));
  const app = target.kind === "app" ? options.table.lookup(target.app) : undefined;
  if (!app) return pageResponse(404, noSuchAppPage(host ?? ""));

  const path = pathOf(request.url);
  const forwardedFor = appendForwardedFor(request.headers.get("x-forwarded-for"), server.requestIP(request)?.address ?? "127.0.0.1");
  const requestId = requestIdFor(request.headers.get("x-request-id"));
  const exchange: Exchange = {
    request,
    path,
    forwarding: { forwardedFor, port, requestId, startMs },
    line: { method: request.method, path, host: host ?? "", requestId, fwd: forwardedFor },
    log: (line) => options.log(app, formatRouterLine(line)),
    timeouts: state.timeouts,
    quarantine: state.quarantine,
    pageUrls: { error: app.errorPageUrl, maintenance: app.maintenancePageUrl },
  };
  const restricted = requestRestriction(request.method, path, request.headers);
  if (restricted) return refusedRequest(exchange, restricted.status, restricted.code === "H26" ? "H26" : undefined);
  if (app.maintenance) return routerErrorResponse(exchange, "H80");
  // Where the app's requests go now (a release or a dyno state may have changed since the request came).
  const routingNow = (): Routing => {
    const now = options.table.lookup(app.app);
    return now ? routingFor(now) : { kind: "error", code: "H14" };
  };
  try {
    let routing = routingFor(app);
    const deadline = receivedAt + (options.bootWaitMs ?? BOOT_WAIT_MS);
    while (routing.kind === "booting") {
      if (performance.now() >= deadline) return routerErrorResponse(exchange, "H20");
      if (request.signal.aborted) return routerErrorResponse(exchange, "H27");
      await Bun.sleep(BOOT_POLL_MS);
      routing = routingNow();
    }
    if (routing.kind === "error") return routerErrorResponse(exchange, routing.code);
    if (isWebSocketRequest(request)) {
      if (await openTunnel(exchange, pickDyno(routing.up, new Set())!, server, state.inFlight)) return undefined;
    }
    // RT-1: past 200 requests in flight per up web dyno the app is not keeping up: H11.
    const backlog = routing.up.reduce((sum, dyno) => sum + state.inFlight.count(dyno.port), 0);
    if (backlog >= (options.backlogPerDyno ?? BACKLOG_PER_DYNO) * routing.up.length) return routerErrorResponse(exchange, "H11");
    const upNow = () => {
      const now = routingNow();
      return now.kind === "dynos" ? now.up : [];
    };
    return await forwardToDynos(exchange, routing.up, state.inFlight, upNow);
  } catch {
    return routerErrorResponse(exchange, "H99");
  }
}

/** Path and query of an absolute request URL (`http://host/a?b` -> `/a?b`), without parsing it. */
function pathOf(url: string): string {
  const slash = url.indexOf("/", url.indexOf("//") + 2);
  return slash === -1 ? "/" : url.slice(slash);
}
