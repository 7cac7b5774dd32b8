/**
 * Authorizations and logging in. The platform has one token, made once (`hoku auth:token`), and
 * `hoku heroku:env` hands it to the heroku CLI as HEROKU_API_KEY, which makes `heroku login`
 * unnecessary (the CLI refuses to log in while it is set). So: the token is the one
 * authorization (auth:token, authorizations, authorizations:info); logging in (interactive, or
 * the browser flow at HEROKU_LOGIN_HOST's /auth) and making, rotating or revoking tokens get an
 * answer that says so instead of a hosted service's, with no token needed to hear it.
 */
import { notEmulated, notFound } from "../http.ts";
import { accountShape, stableId } from "../shapes.ts";
import type { RouteContext, Routes } from "./context.ts";

const USE_THE_TOKEN = 'The local platform has one API token: eval "$(hoku heroku:env)" sets it as HEROKU_API_KEY, and hoku auth:token prints it.';

export function oauthRoutes(c: RouteContext, token: string): Routes {
  const authorization = {
    id: stableId(`authorization:${token}`),
    description: "hoku platform token",
    scope: ["global"],
    access_token: { id: stableId(`access-token:${token}`), token, expires_in: null },
    refresh_token: null,
    client: null,
    grant: null,
    session: null,
    user: { id: accountShape(c.user).id, email: c.user, full_name: null },
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
  };
  const refuse = (what: string) => c.guard(() => { throw notEmulated(what, USE_THE_TOKEN); }, { open: true });
  return {
    "/oauth/authorizations": { GET: c.guard(() => [authorization]), POST: refuse("heroku login or new authorizations") },
    "/oauth/authorizations/:id": {
      GET: c.guard((_, params) => {
        if (params.id !== "~" && params.id !== authorization.id) throw notFound("authorization");
        return authorization;
      }),
      PATCH: refuse("rotating or updating authorizations"),
      DELETE: refuse("revoking authorizations"),
    },
    "/oauth/authorizations/:id/actions/regenerate-tokens": { POST: refuse("rotating authorizations") },
    // The browser login's first step (HEROKU_LOGIN_HOST, which heroku:env points here).
    "/auth": { POST: refuse("heroku login") },
  };
}
