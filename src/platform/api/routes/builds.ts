/**
 * Builds (what git pushes made); the app's buildpacks are in buildpacks.ts.
 */
import type { AppRecord } from "../../records/apps.ts";
import { type BuildRecord, findBuild, listBuilds } from "../../records/builds.ts";
import { notFound, page } from "../http.ts";
import { buildShape } from "../shapes.ts";
import type { RouteContext, Routes } from "./context.ts";

export function buildRoutes(c: RouteContext): Routes {
  const showBuild = (build: BuildRecord, record: AppRecord) => {
    const shape = buildShape(build, record, c.user, c.settings.apiUrl);
    return { ...shape, output_stream_url: c.signed(shape.output_stream_url) };
  };
  return {
    "/apps/:app/builds": {
      GET: c.guard((request, params) => {
        const record = c.app(params);
        return page(request, listBuilds(c.platform.db, record.id).map((b) => showBuild(b, record)), { created_at: (b) => b.created_at, id: (b) => b.id }, "created_at");
      }),
    },
    "/apps/:app/builds/:build": {
      GET: c.guard((_, params) => {
        const record = c.app(params);
        const build = findBuild(c.platform.db, params.build!);
        if (!build || build.app_id !== record.id) throw notFound("build");
        return showBuild(build, record);
      }),
    },
    "/apps/:app/builds/:build/output": {
      GET: c.guard((_, params) => {
        const build = findBuild(c.platform.db, params.build!);
        if (!build || build.app_id !== c.app(params).id) throw notFound("build");
        return new Response(build.output, { headers: { "Content-Type": "text/plain" } });
      }, { signed: true }),
    },
  };
}
