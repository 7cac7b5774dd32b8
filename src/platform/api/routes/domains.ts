/**
 * Domains (domains, domains:info, domains:remove, domains:clear) and SNI endpoints. An app's one
 * domain is its own name under `.localhost`, where the router answers it, as `<app>.herokuapp.com`
 * is on Heroku. Custom domains are not emulated: a Heroku user adds one to have the app answer
 * at that name once DNS points at the DNS target, and hoku has no DNS target, certificates
 * (ACM) or router entry to give it, so a stored one would never answer; the error says so.
 */
import { ApiError, body, notEmulated, notFound } from "../http.ts";
import { herokuDomainShape } from "../shapes.ts";
import type { RouteContext, Routes } from "./context.ts";

export function domainRoutes(c: RouteContext): Routes {
  const own = (params: Record<string, string>) => {
    const record = c.app(params);
    const domain = herokuDomainShape(record);
    if (decodeURIComponent(params.hostname!).toLowerCase() !== domain.hostname && params.hostname !== domain.id) throw notFound("domain");
    return domain;
  };
  return {
    "/apps/:app/domains": {
      GET: c.guard((_, params) => [herokuDomainShape(c.app(params))]),
      POST: c.guard(async (request, params) => {
        const record = c.app(params);
        const given = await body<{ hostname?: string }>(request);
        const url = c.settings.routerUrl(record.name);
        throw notEmulated(
          `custom domains (${given.hostname ?? "a hostname"}): the router answers only each app's own name`,
          `⬢ ${record.name} answers at ${herokuDomainShape(record).hostname} (${url}); every *.localhost name reaches this machine with no DNS.`,
        );
      }),
    },
    "/apps/:app/domains/:hostname": {
      GET: c.guard((_, params) => own(params)),
      DELETE: c.guard((_, params) => {
        const domain = own(params);
        throw new ApiError(422, "invalid_params", `${domain.hostname} is the app's own domain and cannot be removed.`);
      }),
    },
    // No custom domains, so no certificates for them (domains:add asks for these first).
    "/apps/:app/sni-endpoints": { GET: c.guard((_, params) => (c.app(params), [])) },
  };
}
