/**
 * What the route table the platform publishes to its router holds of each app from the database
 * (whether it has a released slug, its ERROR_PAGE_URL and MAINTENANCE_PAGE_URL), remembered until
 * the database is written (until-write.ts): the table is made again on every dyno state change
 * and API request.
 */
import type { Database } from "bun:sqlite";
import { type AppRecord, findApp } from "./records/apps.ts";
import { configSnapshot, currentRelease } from "./records/releases.ts";
import { untilWrite } from "./until-write.ts";

export interface RouteRecord {
  readonly app: AppRecord;
  /** The app's current release has a slug (false: H81 Blank app). */
  readonly released: boolean;
  /** The current release's config vars that replace the router's pages (RT-7). */
  readonly errorPageUrl?: string;
  readonly maintenancePageUrl?: string;
}

export function routeRecords(db: Database): (nameOrId: string) => RouteRecord | undefined {
  const records = untilWrite(db, () => new Map<string, RouteRecord | undefined>());
  return (nameOrId) => {
    const cache = records();
    if (cache.has(nameOrId)) return cache.get(nameOrId);
    const app = findApp(db, nameOrId);
    const record = app && recordOf(db, app);
    if (cache.size > 1000) cache.clear();
    cache.set(nameOrId, record);
    return record;
  };
}

function recordOf(db: Database, app: AppRecord): RouteRecord {
  const release = currentRelease(db, app.id);
  const config = release ? configSnapshot(release) : {};
  return { app, released: release?.slug_id != null, errorPageUrl: config.ERROR_PAGE_URL || undefined, maintenancePageUrl: config.MAINTENANCE_PAGE_URL || undefined };
}
