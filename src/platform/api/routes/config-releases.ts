/**
 * Config vars (each change a release) and releases: list, show, roll back, their config and output.
 */
import { configSnapshot } from "../../records/releases.ts";
import { body, invalid, json, page } from "../http.ts";
import type { RouteContext, Routes } from "./context.ts";

export function configReleaseRoutes(c: RouteContext): Routes {
  return {
    "/apps/:app/config-vars": {
      GET: c.guard((_, params) => c.platform.config(c.app(params))),
      PATCH: c.guard(async (request, params) => {
        const record = c.app(params);
        const changes = await body<Record<string, string | null>>(request);
        if (typeof changes !== "object" || changes === null || Array.isArray(changes)) throw invalid("The body must be an object of config vars.");
        await c.platform.setConfig(record, changes);
        return c.platform.config(record);
      }),
    },
    "/apps/:app/releases": {
      GET: c.guard((request, params) => {
        const record = c.app(params);
        return page(request, c.platform.releases(record).map((r) => c.showRelease(record, r)), { version: (r) => r.version, id: (r) => r.id }, "version");
      }),
      // A rollback ({release}), or a new release of one of the app's slugs ({slug, description}: heroku releases:retry).
      POST: c.guard(async (request, params) => {
        const record = c.app(params);
        const given = await body<{ release?: string; slug?: string; description?: string }>(request);
        if (given.slug) return json(c.showRelease(record, await c.platform.releaseSlug(record, String(given.slug), String(given.description ?? "Deploy"))), 201);
        if (!given.release) throw invalid("Missing release: the id or version to roll back to, or a slug to release.");
        return json(c.showRelease(record, await c.platform.rollback(record, String(given.release))), 201);
      }),
    },
    "/apps/:app/releases/:release": { GET: c.guard((_, params) => c.showRelease(c.app(params), c.platform.release(c.app(params), params.release!))) },
    "/apps/:app/releases/:release/config-vars": { GET: c.guard((_, params) => configSnapshot(c.platform.release(c.app(params), params.release!))) },
    "/apps/:app/releases/:release/output": {
      GET: c.guard((_, params) => new Response(`${c.platform.release(c.app(params), params.release!).output}\n`, { headers: { "Content-Type": "text/plain" } }), { signed: true }),
    },
  };
}
