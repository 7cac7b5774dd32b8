/**
 * Formation (ps:scale, ps:type), dynos (ps, ps:restart, ps:stop) and one-off dynos (run,
 * run:detached). A dyno is named (`web.1`, `run.4821`) or, where Heroku's paths allow it, a
 * whole process type stands for its dynos; a name or type the app does not have is a 404.
 */
import { body, json, notFound, page, invalid, ApiError } from "../http.ts";
import { dynoShape, formationShape } from "../shapes.ts";
import type { AppRecord, RouteContext, Routes } from "./context.ts";

/** POST /apps/:app/dynos as the heroku CLI sends it (`exit_status` is hoku's own client's). */
interface DynoCreate {
  readonly command?: string;
  readonly attach?: boolean;
  readonly env?: Record<string, string>;
  readonly force_no_tty?: boolean | null;
  readonly size?: string;
  readonly type?: string;
  readonly exit_status?: boolean;
}

/**
 * A restart or stop goes on after the answer (202 Accepted), as Heroku's API answers at once: a dyno
 * may take its whole shutdown grace to stop. What goes wrong meanwhile is in the app's logs.
 */
function inBackground(work: Promise<unknown>): void {
  work.catch((error: unknown) => console.error(error));
}

export function formationDynoRoutes(c: RouteContext): Routes {
  const dynosOf = (record: AppRecord) => c.platform.dynos.dynos(record.id);
  /** `{dyno}` for `web.1`, `{type}` for `web`, once the app is known to have it. */
  const which = (record: AppRecord, name: string): { dyno?: string; type?: string } => {
    if (name.includes(".")) {
      if (!dynosOf(record).some((d) => d.name === name)) throw notFound("dyno");
      return { dyno: name };
    }
    // `run` is always a type: the app's one-off dynos, maybe none right now.
    const known = name === "run" || c.platform.formation(record).some((f) => f.type === name) || dynosOf(record).some((d) => d.type === name);
    if (!known) throw new ApiError(404, "not_found", `Couldn't find that process type (${name}).`);
    return { type: name };
  };
  const showDynos = (record: AppRecord) => {
    const release = c.platform.dynos.runningRelease(record.id);
    return dynosOf(record).map((d) => dynoShape(d, record, release?.id));
  };
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
    // ps:restart --process-type web
    "/apps/:app/formations/:type": {
      DELETE: c.guard(async (_, params) => {
        const record = c.app(params);
        inBackground(c.platform.restart(record, which(record, params.type!)));
        return json({}, 202);
      }),
    },
    // ps:stop --process-type web: stopped, then started again as the formation asks (OP-3); `run` ends the one-off dynos
    "/apps/:app/formations/:type/actions/stop": {
      POST: c.guard(async (_, params) => {
        const record = c.app(params);
        inBackground(c.platform.dynos.stop(record.id, which(record, params.type!)));
        return json({}, 202);
      }),
    },
    "/apps/:app/dynos": {
      GET: c.guard((_, params) => showDynos(c.app(params))),
      DELETE: c.guard((_, params) => (inBackground(c.platform.restart(c.app(params))), json({}, 202))),
      POST: c.guard(async (request, params) => {
        const record = c.app(params);
        const given = await body<DynoCreate>(request);
        const command = String(given.command ?? "");
        const run = c.platform.runOneOff(record, {
          command,
          attach: given.attach !== false,
          env: given.env ?? {},
          exitStatus: given.exit_status === true,
          noTty: given.force_no_tty === true,
          size: given.size ?? undefined,
          type: given.type ?? undefined,
        });
        const shown = dynosOf(record).find((d) => d.name === run.name) ?? { name: run.name, type: given.type ?? "run", state: "starting" as const, command, startedAt: new Date(), releaseVersion: run.release.version };
        return json(dynoShape(shown, record, run.release.id, run.attachUrl), 201);
      }),
    },
    "/apps/:app/dynos/:dyno": {
      // heroku run:inside: a command inside a running dyno, which only Fir-generation apps offer
      POST: c.guard((_, params) => {
        const record = c.app(params);
        throw invalid(`run:inside is for Fir-generation apps; ⬢ ${record.name} is a Cedar app, as every hoku app: use heroku run (a one-off dyno) instead.`);
      }),
      GET: c.guard((_, params) => {
        const record = c.app(params);
        const dyno = showDynos(record).find((d) => d.name === params.dyno);
        if (!dyno) throw notFound("dyno");
        return dyno;
      }),
      // ps:restart web.1 (or a type: DELETE /apps/:app/dynos/web)
      DELETE: c.guard(async (_, params) => {
        const record = c.app(params);
        inBackground(c.platform.restart(record, which(record, params.dyno!)));
        return json({}, 202);
      }),
    },
    // ps:stop web.1 (or a type: POST /apps/:app/dynos/web/actions/stop)
    "/apps/:app/dynos/:dyno/actions/stop": {
      POST: c.guard(async (_, params) => {
        const record = c.app(params);
        inBackground(c.platform.dynos.stop(record.id, which(record, params.dyno!)));
        return json({}, 202);
      }),
    },
  };
}
