/**
 * What every route file shares: the token check and error bodies around each handler (`guard`),
 * the app a path names, and the shapes that depend on the server's URLs (`settings`).
 */
import type { BunRequest } from "bun";
import type { Platform, PlatformSettings } from "../../platform.ts";
import { findSlug, processTypesOf } from "../../records/slugs.ts";
import { SCHEDULER_SERVICE } from "../../scheduler.ts";
import { ApiError, authorized, errorResponse, json, signedRequest, signedUrl } from "../http.ts";
import { appShape, releaseShape } from "../shapes.ts";

export type Handler = (request: BunRequest) => Response | Promise<Response>;
export type Params = Record<string, string>;
export type Routes = Record<string, Record<string, Handler> | Handler>;
export type AppRecord = ReturnType<Platform["app"]>;

export interface RouteContext {
  readonly platform: Platform;
  readonly settings: PlatformSettings;
  readonly user: string;
  /**
   * A handler that needs the token (unless `open`, or `signed` and the URL carries its signature,
   * signedUrl) and turns ApiErrors into Heroku's error bodies.
   */
  guard(fn: (request: BunRequest, params: Params) => unknown | Promise<unknown>, options?: { open?: boolean; signed?: boolean }): Handler;
  /** An output URL the heroku CLI reads with no credentials (Heroku's signed output_stream_url). */
  signed(url: string): string;
  /** The app `:app` names (404 if none). */
  app(params: Params): AppRecord;
  showApp(record: AppRecord): ReturnType<typeof appShape>;
  showRelease(record: AppRecord, release: Parameters<typeof releaseShape>[0]): ReturnType<typeof releaseShape>;
  /** The current release's command for a process type. */
  commandOf(record: AppRecord, type: string): string | undefined;
  /** An add-on's dashboard (`web_url`, what addons:open opens): Heroku Scheduler's signed page, else none. */
  webUrl(addon: { readonly service: string }, owner: { readonly id: string }): string | null;
}

export function routeContext(platform: Platform, token: string, settings: PlatformSettings): RouteContext {
  const { user } = platform;
  const signed = (url: string) => signedUrl(url, token);
  return {
    platform,
    settings,
    user,
    guard:
      (fn, options = {}) =>
      async (request) => {
        const allowed = options.open || authorized(request, token) || (options.signed && signedRequest(request, token));
        if (!allowed) return errorResponse(new ApiError(401, "unauthorized", "Invalid credentials provided."));
        try {
          const result = await fn(request, request.params as Params);
          return result instanceof Response ? result : json(result);
        } catch (error) {
          if (error instanceof ApiError) return errorResponse(error);
          console.error(error);
          return errorResponse(new ApiError(500, "internal_server_error", `Internal server error: ${error instanceof Error ? error.message : String(error)}`));
        }
      },
    app: (params) => platform.app(decodeURIComponent(params.app!)),
    showApp(record) {
      const slugId = platform.current(record)?.slug_id;
      return appShape(record, settings, user, slugId ? findSlug(platform.db, slugId)?.size : undefined);
    },
    signed,
    showRelease: (record, release) => {
      const shape = releaseShape(release, record, platform.current(record), user, settings.apiUrl);
      return { ...shape, output_stream_url: shape.output_stream_url && signed(shape.output_stream_url) };
    },
    webUrl: (addon, owner) => (addon.service === SCHEDULER_SERVICE ? signed(`${platform.settings.apiUrl}/apps/${owner.id}/scheduler/dashboard`) : null),
    commandOf(record, type) {
      const slugId = platform.current(record)?.slug_id;
      const slug = slugId ? findSlug(platform.db, slugId) : undefined;
      return slug ? processTypesOf(slug)[type] : undefined;
    },
  };
}
