/**
 * A value computed from platform.db, kept until the database is written. The platform's one
 * connection is platform.db's only writer, so its `total_changes()` (no file access, ~3 us)
 * moves on every write; a read of the data itself opens a WAL read transaction (~20 us here).
 */
import type { Database } from "bun:sqlite";

export function untilWrite<T>(db: Database, compute: () => T): () => T {
  const changes = db.query<{ n: number }, []>("SELECT total_changes() AS n");
  let stamp = -1;
  let value!: T;
  return () => {
    const now = changes.get()!.n;
    if (now !== stamp) {
      value = compute();
      stamp = now;
    }
    return value;
  };
}
