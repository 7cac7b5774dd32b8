/**
 * A note hoku gives a user once, not at every run (the state root keeps `notes/<key>` once
 * it was said).
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureOwnedDir, stateRoot } from "./state-dir.ts";

export function noteOnce(key: string, line: string, say: (line: string) => void): void {
  const dir = join(stateRoot(), "notes");
  const marker = join(dir, key);
  if (existsSync(marker)) return;
  say(line);
  try {
    ensureOwnedDir(stateRoot());
    ensureOwnedDir(dir);
    writeFileSync(marker, `${new Date().toISOString()} ${line}\n`, { mode: 0o600 });
  } catch {
    // no state folder to remember it in: it is said again next time
  }
}
