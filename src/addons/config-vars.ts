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
