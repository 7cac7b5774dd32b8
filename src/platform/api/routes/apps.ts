/**
 * The account and apps: list, create, show, rename, maintenance, destroy.
 */
import { body, json, notEmulated, notFound, page } from "../http.ts";
import { accountShape } from "../shapes.ts";
import type { RouteContext, Routes } from "./context.ts";

/** The stacks hoku builds on: Heroku's current ones; `container` (heroku.yml, apps:create --manifest) builds Docker images, which hoku does not. */
const STACKS = ["heroku-24", "heroku-22"];

function stackOf(name: string | undefined): string | undefined {
  if (name === undefined || name === "" || STACKS.includes(name)) return name || undefined;
  if (name === "container")
    throw notEmulated(
      "the container stack (heroku.yml, apps:create --manifest): it builds and runs Docker images",
      "hoku builds with buildpacks: create the app without --manifest (heroku apps:create NAME) and git push heroku main; app.json's add-ons and config vars apply with hoku apps:setup.",
    );
  throw notFound("stack");
}

export function appRoutes(c: RouteContext): Routes {
  return {
    "/account": { GET: c.guard(() => accountShape(c.user)) },
    "/users/~": { GET: c.guard(() => accountShape(c.user)) },
    "/users/~/apps": { GET: c.guard((request) => page(request, c.platform.apps().map(c.showApp), { id: (a) => a.id, name: (a) => a.name }, "id")) },
    "/apps": {
      GET: c.guard((request) => page(request, c.platform.apps().map(c.showApp), { id: (a) => a.id, name: (a) => a.name }, "id")),
      POST: c.guard(async (request) => {
        const given = await body<{ name?: string; stack?: string }>(request);
        return json(c.showApp(c.platform.createApp(given.name || undefined, { stack: stackOf(given.stack) })), 201);
      }),
    },
    "/apps/:app": {
      GET: c.guard((_, params) => c.showApp(c.app(params))),
      PATCH: c.guard(async (request, params) => {
        let record = c.app(params);
        const given = await body<{ name?: string; maintenance?: boolean }>(request);
        if (given.name !== undefined && given.name !== record.name) record = c.platform.renameApp(record, given.name);
        if (given.maintenance !== undefined) record = c.platform.setMaintenance(record, given.maintenance);
        return c.showApp(record);
      }),
      DELETE: c.guard(async (_, params) => {
        const record = c.app(params);
        const shown = c.showApp(record);
        await c.platform.destroyApp(record);
        return shown;
      }),
    },
  };
}
