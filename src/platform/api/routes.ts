/**
 * The Platform API v3 routes: paths, verbs, bodies and status codes as Heroku's, so hoku's own
 * commands and the heroku CLI are both clients of it. Every route needs the platform's token;
 * errors are `{"id", "message"}` bodies (http.ts). One file per resource under routes/.
 */
import type { Platform, PlatformSettings } from "../platform.ts";
import { addonAttachmentRoutes } from "./routes/addon-attachments.ts";
import { addonRoutes } from "./routes/addons.ts";
import { appRoutes } from "./routes/apps.ts";
import { buildpackRoutes } from "./routes/buildpacks.ts";
import { buildRoutes } from "./routes/builds.ts";
import { collaboratorRoutes } from "./routes/collaborators.ts";
import { configReleaseRoutes } from "./routes/config-releases.ts";
import { routeContext, type Routes } from "./routes/context.ts";
import { domainRoutes } from "./routes/domains.ts";
import { featureRoutes } from "./routes/features.ts";
import { formationDynoRoutes } from "./routes/formation-dynos.ts";
import { logRoutes } from "./routes/logs.ts";
import { oauthRoutes } from "./routes/oauth.ts";
import { postgresRoutes } from "./routes/postgres.ts";
import { schedulerRoutes } from "./routes/scheduler.ts";

/**
 * The routes, with the URLs they hand out (git_url, logplex_url, output streams) on `settings`:
 * the plain server's, or the TLS server's for the heroku CLI.
 */
export function apiRoutes(platform: Platform, token: string, settings: PlatformSettings = platform.settings): Routes {
  const c = routeContext(platform, token, settings);
  return {
    ...appRoutes(c),
    ...configReleaseRoutes(c),
    ...formationDynoRoutes(c),
    ...buildRoutes(c),
    ...addonRoutes(c),
    ...addonAttachmentRoutes(c),
    ...postgresRoutes(c),
    ...logRoutes(c),
    ...buildpackRoutes(c),
    ...featureRoutes(c),
    ...domainRoutes(c),
    ...collaboratorRoutes(c),
    ...oauthRoutes(c, token),
    ...schedulerRoutes(c),
  };
}
