/**
 * Add-ons: of an app (its own, and those attached to it from other apps), of the account
 * (`/addons`, `heroku addons --all`), one by id or name, the resolver the heroku CLI asks
 * what a name means (`POST /actions/addons/resolve`), create and destroy; pipeline couplings
 * (none: 404, as the heroku CLI expects).
 */
import type { OwnedAddon } from "../../addon-attachments.ts";
import { resolveAddons } from "../../addon-resolve.ts";
import { addonShape } from "../addon-shapes.ts";
import { body, invalid, json, notFound, page } from "../http.ts";
import type { RouteContext, Routes } from "./context.ts";

/** A 404 naming the resource, which the CLI's resolvers check before trying without the app. */
export function resourceNotFound(resource: "add_on" | "add_on attachment"): Response {
  return json({ id: "not_found", message: `Couldn't find that ${resource.replace("_", " ")}.`, resource }, 404);
}

export function addonRoutes(c: RouteContext): Routes {
  const { attachments } = c.platform;
  const show = (owned: OwnedAddon) => {
    const own = attachments.all().filter((a) => a.addon.id === owned.addon.id && a.app.id === owned.owner.id && !a.attached);
    return addonShape(owned, own.flatMap((a) => attachments.configVars(a)), c.webUrl(owned.addon, owned.owner));
  };
  const list = (request: Request, owned: readonly OwnedAddon[]) => page(request, owned.map(show), { id: (a) => a.id, name: (a) => a.name }, "name");
  /** One add-on by id or name, anywhere. */
  const find = (ref: string) => {
    const found = resolveAddons(attachments.addons(), attachments.all(), decodeURIComponent(ref))[0];
    if (!found) throw notFound("add-on");
    return found;
  };

  return {
    "/addons": { GET: c.guard((request) => list(request, attachments.addons())) },
    "/addons/:addon": { GET: c.guard((_, params) => show(find(params.addon!))) },
    "/actions/addons/resolve": {
      POST: c.guard(async (request) => {
        const given = await body<{ addon?: string; app?: string | null; addon_service?: string }>(request);
        if (typeof given.addon !== "string") throw invalid("Missing addon: the add-on's id, name or attachment name.");
        const found = resolveAddons(attachments.addons(), attachments.all(), given.addon, given.app).filter((o) => !given.addon_service || o.addon.service === given.addon_service);
        return found.length > 0 ? found.map(show) : resourceNotFound("add_on");
      }),
    },
    "/apps/:app/addons": {
      GET: c.guard((request, params) => {
        const record = c.app(params);
        const attachedHere = new Set(attachments.all().filter((a) => a.app.id === record.id).map((a) => a.addon.id));
        return list(request, attachments.addons().filter((o) => o.owner.id === record.id || attachedHere.has(o.addon.id)));
      }),
      POST: c.guard(async (request, params) => {
        const record = c.app(params);
        const given = await body<{ plan?: string | { name?: string }; attachment?: { name?: string }; name?: string; config?: Record<string, unknown> }>(request);
        const plan = typeof given.plan === "string" ? given.plan : given.plan?.name;
        if (!plan) throw invalid("Missing plan: e.g. {\"plan\": {\"name\": \"heroku-postgresql:essential-0\"}}.");
        const config = given.config && typeof given.config === "object" && !Array.isArray(given.config) ? given.config : undefined;
        const { addon } = await c.platform.createAddon(record, plan, given.attachment?.name, { name: given.name || undefined, config });
        return json(show({ addon, owner: record }), 201);
      }),
    },
    "/apps/:app/addons/:addon": {
      GET: c.guard((_, params) => {
        const record = c.app(params);
        const found = resolveAddons(attachments.addons(), attachments.all(), decodeURIComponent(params.addon!), record.id)[0];
        if (!found) throw notFound("add-on");
        return show(found);
      }),
      DELETE: c.guard(async (_, params) => {
        const record = c.app(params);
        const found = resolveAddons(attachments.addons(), attachments.all(), decodeURIComponent(params.addon!), record.id)[0];
        if (!found) throw notFound("add-on");
        if (found.owner.id !== record.id) throw invalid(`${found.addon.name} is owned by ⬢ ${found.owner.name}: destroy it there, or detach it from ⬢ ${record.name} (heroku addons:detach).`);
        const configVars = show(found).config_vars;
        return addonShape({ addon: await c.platform.destroyAddon(record, found.addon.id), owner: record }, configVars, null, "deprovisioned");
      }),
    },
    "/apps/:app/pipeline-couplings": { GET: c.guard(() => { throw notFound("pipeline coupling"); }) },
  };
}
