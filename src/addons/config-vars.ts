/**
 * The config vars an app's add-ons set (pure), as Heroku sets them: each attachment's
 * vars (`HEROKU_POSTGRESQL_AMBER_URL`, `REDIS_URL`, `NAME_URL` for `--as NAME`), and
 * `DATABASE_URL` for the primary Postgres (the first one, or the one promoted).
 */
import { type Addon, attachmentName } from "./addon.ts";
import type { Endpoint, Service } from "./catalog.ts";

export interface AttachedAddon {
  readonly addon: Addon;
  readonly service: Service;
  readonly endpoint: Endpoint;
}

/** The primary Postgres: the promoted one if it still exists, else the first. */
export function primaryPostgres(addons: readonly { addon: Addon; service: Service }[], promoted?: string): Addon | undefined {
  const postgres = addons.filter((a) => a.service.kind === "postgres").map((a) => a.addon);
  return postgres.find((a) => a.id === promoted) ?? postgres[0];
}

export function addonConfigVars(attached: readonly AttachedAddon[], promoted?: string): Record<string, string> {
  const vars: Record<string, string> = {};
  const primary = primaryPostgres(attached, promoted);
  for (const { addon, service, endpoint } of attached) {
    const own = service.vars(attachmentName(addon, service), endpoint);
    Object.assign(vars, own);
    if (addon.id === primary?.id) vars.DATABASE_URL = Object.values(own)[0]!;
  }
  return vars;
}

const NOWHERE: Endpoint = { host: "", port: 0, user: "", password: "", database: "", extraPorts: {} };

/**
 * The vars the given add-ons will set, each "", for checking env-file references before
 * they run. An add-on not provisioned yet has no Postgres color: it counts as DATABASE.
 */
export function expectedAddonVars(addons: readonly { addon: Pick<Addon, "as" | "color">; service: Service }[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const { addon, service } of addons) {
    for (const key of Object.keys(service.vars(attachmentName(addon as Addon, service), NOWHERE))) vars[key] = "";
    if (service.kind === "postgres") vars.DATABASE_URL = "";
  }
  return vars;
}
