/**
 * The Platform API v3 routes: paths, verbs, bodies and status codes as Heroku's, so hoku's own
 * commands and the heroku CLI are both clients of it. Every route needs the platform's token;
 * errors are `{"id", "message"}` bodies (http.ts). Log streams (`/log-streams/<secret>`) are
 * read by URL, as Logplex URLs are.
 */
import type { BunRequest } from "bun";
import { formatLogLine, type LogFilter, matches } from "../log-store.ts";
import type { Platform, PlatformSettings } from "../platform.ts";
import { findSlug, processTypesOf } from "../records/slugs.ts";
import { findBuild, listBuilds } from "../records/builds.ts";
import { updateApp } from "../records/apps.ts";
import { configSnapshot } from "../records/releases.ts";
import { ApiError, authorized, body, errorResponse, invalid, json, notFound, page } from "./http.ts";
import { accountShape, addonShape, appShape, attachmentShape, buildShape, dynoShape, formationShape, releaseShape } from "./shapes.ts";

type Handler = (request: BunRequest) => Response | Promise<Response>;
type Params = Record<string, string>;

/** Log sessions handed out by POST /log-sessions: secret -> what to stream. */
interface LogSession {
  readonly appId: string;
  readonly lines: number;
  readonly tail: boolean;
  readonly filter: LogFilter;
}

/**
 * The routes, with the URLs they hand out (git_url, logplex_url, output streams) on `settings`:
 * the plain server's, or the TLS server's for the heroku CLI.
 */
export function apiRoutes(platform: Platform, token: string, settings: PlatformSettings = platform.settings): Record<string, Record<string, Handler> | Handler> {
  const guard =
    (fn: (request: BunRequest, params: Params) => unknown | Promise<unknown>, options: { open?: boolean } = {}): Handler =>
    async (request) => {
      if (!options.open && !authorized(request, token)) return errorResponse(new ApiError(401, "unauthorized", "Invalid credentials provided."));
      try {
        const result = await fn(request, request.params as Params);
        return result instanceof Response ? result : json(result);
      } catch (error) {
        if (error instanceof ApiError) return errorResponse(error);
        console.error(error);
        return errorResponse(new ApiError(500, "internal_server_error", `Internal server error: ${error instanceof Error ? error.message : String(error)}`));
      }
    };
  const { user } = platform;
  const app = (params: Params) => platform.app(decodeURIComponent(params.app!));
  const showApp = (record: ReturnType<typeof platform.app>) => {
    const slugId = platform.current(record)?.slug_id;
    return appShape(record, settings, user, slugId ? findSlug(platform.db, slugId)?.size : undefined);
  };
  const showRelease = (record: ReturnType<typeof platform.app>, release: Parameters<typeof releaseShape>[0]) => releaseShape(release, record, platform.current(record), user, settings.apiUrl);
  const commandOf = (record: ReturnType<typeof platform.app>, type: string) => {
    const slugId = platform.current(record)?.slug_id;
    const slug = slugId ? findSlug(platform.db, slugId) : undefined;
    return slug ? processTypesOf(slug)[type] : undefined;
  };
  const logSessions = new Map<string, LogSession>();

  return {
    "/account": { GET: guard(() => accountShape(user)) },
    "/users/~": { GET: guard(() => accountShape(user)) },
    "/users/~/apps": { GET: guard((request) => page(request, platform.apps().map(showApp), { id: (a) => a.id, name: (a) => a.name }, "id")) },
    "/apps": {
      GET: guard((request) => page(request, platform.apps().map(showApp), { id: (a) => a.id, name: (a) => a.name }, "id")),
      POST: guard(async (request) => {
        const given = await body<{ name?: string; stack?: string }>(request);
        return json(showApp(platform.createApp(given.name || undefined, { stack: given.stack })), 201);
      }),
    },
    "/apps/:app": {
      GET: guard((_, params) => showApp(app(params))),
      PATCH: guard(async (request, params) => {
        let record = app(params);
        const given = await body<{ name?: string; maintenance?: boolean }>(request);
        if (given.name !== undefined && given.name !== record.name) record = platform.renameApp(record, given.name);
        if (given.maintenance !== undefined) record = platform.setMaintenance(record, given.maintenance);
        return showApp(record);
      }),
      DELETE: guard(async (_, params) => {
        const record = app(params);
        const shown = showApp(record);
        await platform.destroyApp(record);
        return shown;
      }),
    },
    "/apps/:app/config-vars": {
      GET: guard((_, params) => platform.config(app(params))),
      PATCH: guard(async (request, params) => {
        const record = app(params);
        const changes = await body<Record<string, string | null>>(request);
        if (typeof changes !== "object" || changes === null || Array.isArray(changes)) throw invalid("The body must be an object of config vars.");
        await platform.setConfig(record, changes);
        return platform.config(record);
      }),
    },
    "/apps/:app/releases": {
      GET: guard((request, params) => {
        const record = app(params);
        return page(request, platform.releases(record).map((r) => showRelease(record, r)), { version: (r) => r.version, id: (r) => r.id }, "version");
      }),
      POST: guard(async (request, params) => {
        const record = app(params);
        const given = await body<{ release?: string }>(request);
        if (!given.release) throw invalid("Missing release: the id or version to roll back to.");
        return json(showRelease(record, await platform.rollback(record, String(given.release))), 201);
      }),
    },
    "/apps/:app/releases/:release": { GET: guard((_, params) => showRelease(app(params), platform.release(app(params), params.release!))) },
    "/apps/:app/releases/:release/config-vars": { GET: guard((_, params) => configSnapshot(platform.release(app(params), params.release!))) },
    "/apps/:app/releases/:release/output": {
      GET: guard((_, params) => new Response(`${platform.release(app(params), params.release!).output}\n`, { headers: { "Content-Type": "text/plain" } })),
    },
    "/apps/:app/formation": {
      GET: guard((request, params) => {
        const record = app(params);
        return page(request, platform.formation(record).map((f) => formationShape(f, record, commandOf(record, f.type))), { type: (f) => f.type, id: (f) => f.id }, "type");
      }),
      PATCH: guard(async (request, params) => {
        const record = app(params);
        const given = await body<{ updates?: { type: string; quantity?: number | string; size?: string }[] }>(request);
        if (!Array.isArray(given.updates)) throw invalid("Missing updates: [{\"type\": \"web\", \"quantity\": 2}].");
        return (await platform.scale(record, given.updates)).map((f) => formationShape(f, record, commandOf(record, f.type)));
      }),
    },
    "/apps/:app/formation/:type": {
      GET: guard((_, params) => {
        const record = app(params);
        const f = platform.formation(record).find((x) => x.type === params.type);
        if (!f) throw notFound("formation");
        return formationShape(f, record, commandOf(record, f.type));
      }),
      PATCH: guard(async (request, params) => {
        const record = app(params);
        const given = await body<{ quantity?: number | string; size?: string }>(request);
        const updated = (await platform.scale(record, [{ type: params.type!, ...given }])).find((f) => f.type === params.type)!;
        return formationShape(updated, record, commandOf(record, updated.type));
      }),
    },
    "/apps/:app/formations/:type": { DELETE: guard(async (_, params) => (await platform.restart(app(params), { type: params.type }), json({}, 202))) },
    "/apps/:app/formations/:type/actions/stop": { POST: guard(async (_, params) => (await platform.restart(app(params), { type: params.type }), json({}, 202))) },
    "/apps/:app/dynos": {
      GET: guard((_, params) => {
        const record = app(params);
        const release = platform.dynos.runningRelease(record.id);
        return platform.dynos.dynos(record.id).map((d) => dynoShape(d, record, release?.id));
      }),
      DELETE: guard(async (_, params) => (await platform.restart(app(params)), json({}, 202))),
      POST: guard(async (request, params) => {
        const record = app(params);
        // `exit_status` is hoku's: the dyno writes heroku run's exit marker itself, so `exit 3` inside the command is reported too.
        const given = await body<{ command?: string; attach?: boolean; env?: Record<string, string>; exit_status?: boolean }>(request);
        const run = platform.runOneOff(record, String(given.command ?? ""), given.attach !== false, given.env ?? {}, given.exit_status === true);
        const now = new Date();
        return json(dynoShape({ name: run.name, type: "run", state: "starting", command: given.command!, startedAt: now, releaseVersion: run.release.version }, record, run.release.id, run.attachUrl), 201);
      }),
    },
    "/apps/:app/dynos/:dyno": {
      GET: guard((_, params) => {
        const record = app(params);
        const dyno = platform.dynos.dynos(record.id).find((d) => d.name === params.dyno);
        if (!dyno) throw notFound("dyno");
        return dynoShape(dyno, record, platform.dynos.runningRelease(record.id)?.id);
      }),
      DELETE: guard(async (_, params) => (await platform.restart(app(params), params.dyno!.includes(".") ? { dyno: params.dyno } : { type: params.dyno }), json({}, 202))),
    },
    "/apps/:app/dynos/:dyno/actions/stop": { POST: guard(async (_, params) => (await platform.dynos.stopDyno(app(params).id, params.dyno!), json({}, 202))) },
    "/apps/:app/builds": {
      GET: guard((request, params) => {
        const record = app(params);
        return page(request, listBuilds(platform.db, record.id).map((b) => buildShape(b, record, user, settings.apiUrl)), { created_at: (b) => b.created_at, id: (b) => b.id }, "created_at");
      }),
    },
    "/apps/:app/builds/:build": {
      GET: guard((_, params) => {
        const record = app(params);
        const build = findBuild(platform.db, params.build!);
        if (!build || build.app_id !== record.id) throw notFound("build");
        return buildShape(build, record, user, settings.apiUrl);
      }),
    },
    "/apps/:app/builds/:build/output": {
      GET: guard((_, params) => {
        const build = findBuild(platform.db, params.build!);
        if (!build || build.app_id !== app(params).id) throw notFound("build");
        return new Response(build.output, { headers: { "Content-Type": "text/plain" } });
      }),
    },
    "/apps/:app/buildpack-installations": {
      GET: guard((_, params) => buildpackInstallations(JSON.parse(app(params).buildpacks) as string[])),
      PUT: guard(async (request, params) => {
        const record = app(params);
        const given = await body<{ updates?: { buildpack: string }[] }>(request);
        if (!Array.isArray(given.updates)) throw invalid("Missing updates: [{\"buildpack\": \"heroku/nodejs\"}].");
        const urls = given.updates.map((u) => String(u.buildpack));
        updateApp(platform.db, record.id, { buildpacks: JSON.stringify(urls) });
        return buildpackInstallations(urls);
      }),
    },
    "/apps/:app/addons": {
      GET: guard((_, params) => {
        const record = app(params);
        return platform.addons.list(record.id).map((a) => addonShape(a, record, platform.config(record)));
      }),
      POST: guard(async (request, params) => {
        const record = app(params);
        const given = await body<{ plan?: string | { name?: string }; attachment?: { name?: string } }>(request);
        const plan = typeof given.plan === "string" ? given.plan : given.plan?.name;
        if (!plan) throw invalid("Missing plan: e.g. {\"plan\": {\"name\": \"heroku-postgresql:essential-0\"}}.");
        const { addon } = await platform.createAddon(record, plan, given.attachment?.name);
        return json(addonShape(addon, record, platform.config(record)), 201);
      }),
    },
    "/apps/:app/addons/:addon": {
      GET: guard((_, params) => {
        const record = app(params);
        const addon = platform.addons.list(record.id).find((a) => a.name === params.addon || a.id === params.addon);
        if (!addon) throw notFound("add-on");
        return addonShape(addon, record, platform.config(record));
      }),
      DELETE: guard(async (_, params) => {
        const record = app(params);
        return addonShape(await platform.destroyAddon(record, params.addon!), record, {});
      }),
    },
    "/apps/:app/addon-attachments": {
      GET: guard((_, params) => {
        const record = app(params);
        return platform.addons.list(record.id).map((a) => attachmentShape(a, record));
      }),
    },
    "/apps/:app/pipeline-couplings": { GET: guard(() => { throw notFound("pipeline coupling"); }) },
    "/apps/:app/log-sessions": {
      POST: guard(async (request, params) => {
        const record = app(params);
        const given = await body<{ lines?: number; tail?: boolean; source?: string; dyno?: string; type?: string }>(request);
        const secret = crypto.randomUUID();
        logSessions.set(secret, {
          appId: record.id,
          lines: Math.min(1500, Math.max(0, Number(given.lines ?? 100) || 100)),
          tail: given.tail === true,
          filter: { source: given.source || undefined, dyno: given.dyno || given.type || undefined },
        });
        const now = new Date().toISOString();
        return json({ id: secret, logplex_url: `${settings.apiUrl}/log-streams/${secret}`, created_at: now, updated_at: now }, 201);
      }),
    },
    "/log-streams/:secret": { GET: guard((request, params) => logStream(platform, logSessions.get(params.secret!), request), { open: true }) },
  };
}

function buildpackInstallations(urls: readonly string[]) {
  return urls.map((url, i) => ({ ordinal: i, buildpack: { url, name: url } }));
}

/**
 * A log session's lines as server-sent events (the heroku CLI reads `logplex_url` with an
 * EventSource): one event per line with its sequence number as id, so a reader that
 * reconnects with Last-Event-ID resumes; `tail` keeps the stream open with new lines.
 */
function logStream(platform: Platform, session: LogSession | undefined, request: Request): Response {
  if (!session) throw notFound("log session");
  const after = Number(request.headers.get("last-event-id") ?? 0) || 0;
  const backlog = platform.logs.recent(session.appId, after > 0 ? 1500 : session.lines, session.filter, after);
  const event = (line: (typeof backlog)[number]) => `id: ${line.seq}\ndata: ${formatLogLine(line)}\n\n`;
  let stop = () => {};
  const stream = new ReadableStream<string>({
    start(controller) {
      for (const line of backlog) controller.enqueue(event(line));
      if (!session.tail) return controller.close();
      stop = platform.logs.follow(session.appId, (line) => {
        if (matches(line, session.filter)) controller.enqueue(event(line));
      });
      request.signal.addEventListener("abort", () => stop());
    },
    cancel: () => stop(),
  });
  return new Response(stream, { headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" } });
}
