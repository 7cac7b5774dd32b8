/**
 * Add-ons of an app and their attachments; pipeline couplings (none: 404, as the heroku CLI expects).
 */
import { body, invalid, json, notFound } from "../http.ts";
import { addonShape, attachmentShape } from "../shapes.ts";
import type { RouteContext, Routes } from "./context.ts";

export function addonRoutes(c: RouteContext): Routes {
  return {
    "/apps/:app/addons": {
      GET: c.guard((_, params) => {
        const record = c.app(params);
        return c.platform.addons.list(record.id).map((a) => addonShape(a, record, c.platform.config(record)));
      }),
      POST: c.guard(async (request, params) => {
        const record = c.app(params);
        const given = await body<{ plan?: string | { name?: string }; attachment?: { name?: string } }>(request);
        const plan = typeof given.plan === "string" ? given.plan : given.plan?.name;
        if (!plan) throw invalid("Missing plan: e.g. {\"plan\": {\"name\": \"heroku-postgresql:essential-0\"}}.");
        const { addon } = await c.platform.createAddon(record, plan, given.attachment?.name);
        return json(addonShape(addon, record, c.platform.config(record)), 201);
      }),
    },
    "/apps/:app/addons/:addon": {
      GET: c.guard((_, params) => {
        const record = c.app(params);
        const addon = c.platform.addons.list(record.id).find((a) => a.name === params.addon || a.id === params.addon);
        if (!addon) throw notFound("add-on");
        return addonShape(addon, record, c.platform.config(record));
      }),
      DELETE: c.guard(async (_, params) => {
        const record = c.app(params);
        return addonShape(await c.platform.destroyAddon(record, params.addon!), record, {});
      }),
    },
    "/apps/:app/addon-attachments": {
      GET: c.guard((_, params) => {
        const record = c.app(params);
        return c.platform.addons.list(record.id).map((a) => attachmentShape(a, record));
      }),
    },
    "/apps/:app/pipeline-couplings": { GET: c.guard(() => { throw notFound("pipeline coupling"); }) },
  };
}
