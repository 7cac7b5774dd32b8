/**
 * What the route table the platform publishes to its router holds of each app from the database
 * (whether it has a released slug, its ERROR_PAGE_URL and MAINTENANCE_PAGE_URL), remembered until
 * the database changes: the table is made again on every dyno state change and API request, and
 * each read of platform.db opens a WAL read transaction (~20 us here). The platform's one
 * connection is platform.db's only writer, so its `total_changes()` (no file access, ~3 us) moves
 * on every write, and any write empties the cache.
 */
import type { Database } from "bun:sqlite";
import { type AppRecord, findApp } from "./records/apps.ts";
import { configSnapshot, currentRelease } from "./records/releases.ts";

export interface RouteRecord {
  readonly app: AppRecord;
  /** The app's current release has a slug (false: H81 Blank app). */
  readonly released: boolean;
  /** The current release's config vars that replace the router's pages (RT-7). */
  readonly errorPageUrl?: string;
  readonly maintenancePageUrl?: string;
}

export function routeRecords(db: Database): (nameOrId: string) => RouteRecord | undefined {
  const changes = db.query<{ n: number }, []>("SELECT total_changes() AS n");
  const cache = new Map<string, RouteRecord | undefined>();
  let stamp = -1;
  return (nameOrId) => {
    const now = changes.get()!.n;
    if (now !== stamp) {
      cache.clear();
      stamp = now;
    }
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
