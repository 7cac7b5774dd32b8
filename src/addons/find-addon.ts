/**
 * Finding an add-on by what a user types (pure): its name (`postgresql-concave-52656`),
 * its attachment (`PRIMARY_DB`, `HEROKU_POSTGRESQL_AMBER`, with or without `_URL`), or
 * `DATABASE` / `DATABASE_URL` for the primary Postgres.
 */
import type { Addon } from "./addon.ts";

export function findAddon(addons: readonly Addon[], name: string, primary: Addon | undefined): Addon | undefined {
  const upper = name.toUpperCase().replace(/_URL$/, "");
  if (upper === "DATABASE") return primary;
  return addons.find((a) => a.name === name || a.id === name || a.as === upper || (a.color !== undefined && `HEROKU_POSTGRESQL_${a.color}` === upper));
}
