/**
 * What the router asks the database on every request (an app by name, and whether it has a
 * released slug), remembered until the database changes. Each read of platform.db opens a WAL
 * read transaction (~20 us here; the router asked three a request, ~70 us of ~250 us). The
 * platform's one connection is platform.db's only writer, so its `total_changes()` (no file
 * access, ~3 us) moves on every write, and any write empties the cache.
 */
import type { Database } from "bun:sqlite";
import { type AppRecord, findApp } from "./records/apps.ts";
import { currentRelease } from "./records/releases.ts";

export interface RouteRecord {
  readonly app: AppRecord;
  /** The app's current release has a slug (false: H81 Blank app). */
  readonly released: boolean;
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
    const record = app && { app, released: currentRelease(db, app.id)?.slug_id != null };
    if (cache.size > 1000) cache.clear();
    cache.set(nameOrId, record);
    return record;
  };
}
