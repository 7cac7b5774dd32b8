/**
 * The platform process: the Platform API and git over HTTP on one port and over HTTPS on a
 * second (the heroku CLI's git speaks only https; the local CA signs its certificate), the
 * router on a third (a process of its own: router-process.ts), all on 127.0.0.1; every app back at its current release and formation; nothing left running
 * when it stops (the same reaper as `hoku start`). `platform.json` in the platform's folder
 * says where it listens (0600), `token` holds the API token (0600, made once).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startReaper } from "../runtime/reaper.ts";
import { apiRoutes } from "./api/routes.ts";
import type { Handler, Routes } from "./api/routes/context.ts";
import { ApiError, authorized, errorResponse } from "./api/http.ts";
import { DynoManager, type DynoTimers } from "./dyno-manager.ts";
import { LogStore } from "./log-store.ts";
import { openPlatformDb, platformDir } from "./platform-db.ts";
import { Platform } from "./platform.ts";
import { randomHex } from "./random.ts";
import { listApps } from "./records/apps.ts";
import { currentRelease } from "./records/releases.ts";
import { routeRecords } from "./route-records.ts";
import { probeSandbox } from "./sandbox.ts";
import { OneOffDynos } from "./one-off.ts";
import { PlatformAddons } from "./platform-addons.ts";
import { ensureRepo, gitHttp } from "../deploy/git-http.ts";
import { deployRoute } from "../deploy/deploy.ts";
import type { PublishedRoute } from "../router/router-messages.ts";
import type { RouterTimeouts } from "../router/timeouts.ts";
import { RouterProcess } from "./router-process.ts";
import { localTls } from "./local-ca.ts";

export interface PlatformOptions {
  readonly port: number;
  /** The same API and git over TLS (the local CA's certificate). */
  readonly tlsPort: number;
  readonly routerPort: number;
  readonly timers: DynoTimers;
  /** A following log stream with nothing to send this long ends and is reopened by its client (default 5 minutes). */
  readonly logIdleMs?: number;
  /** The hoku binary, for the git hooks. */
  readonly hoku: readonly string[];
  /** The router's H12 and H15/H28 clocks, shortened for labs (Heroku's 30 s and 55 s otherwise). */
  readonly routerTimeouts?: Partial<RouterTimeouts>;
  /** A dyno's memory quota (R14 over it, R15 at twice it); Heroku's Basic 512 MB otherwise. */
  readonly memoryQuotaBytes?: number;
  /** Heroku Scheduler's clock runs this many times as fast (labs; default 1). */
  readonly schedulerSpeed?: number;
}

/** Where a running platform listens, as `platform.json` records it. */
export interface PlatformInfo {
  readonly pid: number;
  readonly port: number;
  readonly tlsPort: number;
  /** The local CA's certificate: what a TLS client trusts. */
  readonly caFile: string;
  readonly routerPort: number;
  readonly startedAt: string;
  readonly sandbox: { readonly kind: string; readonly why: string };
}

/** The platform's API token: made once, 0600. */
export function platformToken(dir = platformDir()): string {
  const file = join(dir, "token");
  if (!existsSync(file)) writeFileSync(file, `${randomHex(32)}\n`, { mode: 0o600, flag: "wx" });
  return readFileSync(file, "utf8").trim();
}

export function readPlatformInfo(dir = platformDir()): PlatformInfo | undefined {
  const file = join(dir, "platform.json");
  try {
    return JSON.parse(readFileSync(file, "utf8")) as PlatformInfo;
  } catch {
    return undefined;
  }
}

export async function startPlatform(options: PlatformOptions): Promise<{ readonly platform: Platform; readonly info: PlatformInfo; stop(): Promise<void> }> {
  const dir = platformDir();
  const token = platformToken(dir);
  const db = openPlatformDb(dir);
  const logs = new LogStore();
  const sandbox = probeSandbox(dir);
  const runId = `platform-${randomHex(6)}`;
  const reaper = startReaper(runId);
  // The router runs in a process of its own (router-process.ts), routing by the table published to it.
  let router: RouterProcess | undefined;
  const routeRecord = routeRecords(db);
  const routeTable = (): PublishedRoute[] =>
    listApps(db).map((app) => {
      const record = routeRecord(app.id)!;
      return {
        app: app.name,
        id: app.id,
        released: record.released,
        webDynos: dynos.routedWebDynos(app.id),
        maintenance: app.maintenance === 1,
        errorPageUrl: record.errorPageUrl,
        maintenancePageUrl: record.maintenancePageUrl,
      };
    });
  const routesChanged = async () => router?.publish(routeTable());
  const dynos = new DynoManager({ db, logs, dir, sandbox, timers: options.timers, memoryQuotaBytes: options.memoryQuotaBytes, reaper, router: { routesChanged, drained: async (ports) => router?.drained(ports) } });
  router = await RouterProcess.start(
    { hoku: options.hoku, runId, onLine: (appId, at, text) => logs.append(appId, { source: "heroku", dyno: "router", text, at }), say: (line) => console.error(`hoku: ${line}`) },
    { port: options.routerPort, timeouts: options.routerTimeouts, routes: routeTable() },
  );
  const apiUrl = `http://127.0.0.1:${options.port}`;
  const tls = await localTls(dir);
  const oneOffs = new OneOffDynos({ logs, sandbox, dir, runId, tls: tls.server, list: dynos.oneOffs, shutdownMs: options.timers.shutdownMs });
  oneOffs.listen();
  const addons = new PlatformAddons(dir, reaper, runId, (line) => console.error(`hoku: ${line}`));
  const platform = new Platform(
    db,
    dynos,
    logs,
    {
      apiUrl,
      routerUrl: (app) => `http://${app}.localhost:${options.routerPort}/`,
      gitUrl: (app) => `${apiUrl}/${app}.git`,
      logIdleMs: options.logIdleMs,
      schedulerSpeed: options.schedulerSpeed,
    },
    oneOffs,
    addons,
  );
  const repos = join(dir, "repos");
  const hook = (appId: string) => `#!/bin/sh\nexec ${options.hoku.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ")} __git-hook '${appId}'\n`;

  const tlsOrigin = `https://127.0.0.1:${options.tlsPort}`;
  const tlsSettings = { ...platform.settings, apiUrl: tlsOrigin, gitUrl: (app: string) => `${tlsOrigin}/${app}.git` };
  const serve = {
    hostname: "127.0.0.1",
    idleTimeout: 0, // a push waits on its build, which can take minutes in silence
    async fetch(request: Request) {
      const url = new URL(request.url);
      const git = /^\/([^/]+)\.git(\/.*)?$/.exec(url.pathname);
      // Heroku's answer, naming what was asked: any endpoint hoku has no route for gets it, so no client waits on one.
      if (!git) return errorResponse(new ApiError(404, "not_found", `The requested API endpoint was not found: hoku does not emulate ${request.method} ${url.pathname}.`));
      // The token first: without it, nothing (not even which apps exist) is told.
      if (!authorized(request, token)) return new Response("Authentication required: the password is the platform's token (hoku auth:token)\n", { status: 401, headers: { "WWW-Authenticate": 'Basic realm="hoku"' } });
      const app = platform.apps().find((a) => a.name === decodeURIComponent(git[1]!));
      if (!app) return new Response(`No such app as ${git[1]}.\n`, { status: 404 });
      ensureRepo(repos, app.id, hook(app.id));
      // http-backend sees the repository by id, so apps:rename keeps its history.
      const byId = new Request(request.url.replace(`/${git[1]}.git`, `/${app.id}.git`), request);
      return gitHttp(byId, repos, { REMOTE_USER: "hoku", HOKU_PLATFORM_URL: apiUrl, HOKU_PLATFORM_TOKEN: token });
    },
  };
  const server = Bun.serve({ ...serve, port: options.port, routes: routedAfter({ ...apiRoutes(platform, token), ...deployRoute(platform, token) }, routesChanged) });
  // The same over TLS, handing out https URLs (the heroku CLI's git and log streams).
  const tlsServer = Bun.serve({ ...serve, port: options.tlsPort, tls: tls.server, routes: routedAfter({ ...apiRoutes(platform, token, tlsSettings), ...deployRoute(platform, token) }, routesChanged) });

  platform.recoverInterrupted();
  for (const app of listApps(db)) {
    // One app that cannot start (an add-on that fails) leaves the others running, and says why.
    try {
      await platform.startAddons(app);
      // Add-on vars that moved made a release, which started the dynos already.
      if (currentRelease(db, app.id)?.slug_id && !dynos.runningRelease(app.id)) await dynos.runCurrent(app.id);
    } catch (error) {
      console.error(`hoku: ${app.name} did not start: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  platform.scheduler.start();

  const info: PlatformInfo = { pid: process.pid, port: options.port, tlsPort: options.tlsPort, caFile: tls.caFile, routerPort: options.routerPort, startedAt: new Date().toISOString(), sandbox: { kind: sandbox.kind, why: sandbox.why } };
  writeFileSync(join(dir, "platform.json"), `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  let stopped: Promise<void> | undefined;
  return {
    platform,
    info,
    stop: () =>
      (stopped ??= (async () => {
        platform.scheduler.stop();
        await dynos.stopAll();
        await addons.stopAll();
        oneOffs.stop();
        await router!.stop();
        await server.stop(true);
        await tlsServer.stop(true);
        rmSync(join(dir, "platform.json"), { force: true });
        reaper.release();
        db.close();
      })()),
  };
}

/**
 * Each API answer to a request that may change something (any verb but GET) waits until the
 * router routes by what it changed, so a client that sees `maintenance:on` done (or a rename, a
 * scale) finds the router already acting on it. Reads (ps, logs streams) go on as they are.
 */
function routedAfter(routes: Routes, routesChanged: () => Promise<void>): Routes {
  const after =
    (handler: Handler): Handler =>
    async (request) => {
      const response = await handler(request);
      if (request.method !== "GET" && request.method !== "HEAD") await routesChanged();
      return response;
    };
  return Object.fromEntries(Object.entries(routes).map(([path, route]) => [path, typeof route === "function" ? after(route) : Object.fromEntries(Object.entries(route).map(([verb, handler]) => [verb, verb === "GET" ? handler : after(handler)]))]));
}
