/**
 * Formation (ps:scale), dynos (ps, restart, stop) and one-off dynos (run).
 */
import { body, invalid, json, notFound, page } from "../http.ts";
import { dynoShape, formationShape } from "../shapes.ts";
import type { RouteContext, Routes } from "./context.ts";

export function formationDynoRoutes(c: RouteContext): Routes {
  return {
    "/apps/:app/formation": {
      GET: c.guard((request, params) => {
        const record = c.app(params);
        return page(request, c.platform.formation(record).map((f) => formationShape(f, record, c.commandOf(record, f.type))), { type: (f) => f.type, id: (f) => f.id }, "type");
      }),
      PATCH: c.guard(async (request, params) => {
        const record = c.app(params);
        const given = await body<{ updates?: { type: string; quantity?: number | string; size?: string }[] }>(request);
        if (!Array.isArray(given.updates)) throw invalid("Missing updates: [{\"type\": \"web\", \"quantity\": 2}].");
        return (await c.platform.scale(record, given.updates)).map((f) => formationShape(f, record, c.commandOf(record, f.type)));
      }),
    },
    "/apps/:app/formation/:type": {
      GET: c.guard((_, params) => {
        const record = c.app(params);
        const f = c.platform.formation(record).find((x) => x.type === params.type);
        if (!f) throw notFound("formation");
        return formationShape(f, record, c.commandOf(record, f.type));
      }),
      PATCH: c.guard(async (request, params) => {
        const record = c.app(params);
        const given = await body<{ quantity?: number | string; size?: string }>(request);
        const updated = (await c.platform.scale(record, [{ type: params.type!, ...given }])).find((f) => f.type === params.type)!;
        return formationShape(updated, record, c.commandOf(record, updated.type));
      }),
    },
    "/apps/:app/formations/:type": { DELETE: c.guard(async (_, params) => (await c.platform.restart(c.app(params), { type: params.type }), json({}, 202))) },
    "/apps/:app/formations/:type/actions/stop": { POST: c.guard(async (_, params) => (await c.platform.restart(c.app(params), { type: params.type }), json({}, 202))) },
    "/apps/:app/dynos": {
      GET: c.guard((_, params) => {
        const record = c.app(params);
        const release = c.platform.dynos.runningRelease(record.id);
        return c.platform.dynos.dynos(record.id).map((d) => dynoShape(d, record, release?.id));
      }),
      DELETE: c.guard(async (_, params) => (await c.platform.restart(c.app(params)), json({}, 202))),
      POST: c.guard(async (request, params) => {
        const record = c.app(params);
        // `exit_status` is hoku's: the dyno writes heroku run's exit marker itself, so `exit 3` inside the command is reported too.
        const given = await body<{ command?: string; attach?: boolean; env?: Record<string, string>; exit_status?: boolean }>(request);
        const run = c.platform.runOneOff(record, String(given.command ?? ""), given.attach !== false, given.env ?? {}, given.exit_status === true);
        const now = new Date();
        return json(dynoShape({ name: run.name, type: "run", state: "starting", command: given.command!, startedAt: now, releaseVersion: run.release.version }, record, run.release.id, run.attachUrl), 201);
      }),
    },
    "/apps/:app/dynos/:dyno": {
      GET: c.guard((_, params) => {
        const record = c.app(params);
        const dyno = c.platform.dynos.dynos(record.id).find((d) => d.name === params.dyno);
        if (!dyno) throw notFound("dyno");
        return dynoShape(dyno, record, c.platform.dynos.runningRelease(record.id)?.id);
      }),
      DELETE: c.guard(async (_, params) => (await c.platform.restart(c.app(params), params.dyno!.includes(".") ? { dyno: params.dyno } : { type: params.dyno }), json({}, 202))),
    },
    "/apps/:app/dynos/:dyno/actions/stop": { POST: c.guard(async (_, params) => (await c.platform.dynos.stopDyno(c.app(params).id, params.dyno!), json({}, 202))) },
  };
}
