/**
 * Signals and tags: the primitives both containments use.
 *
 * Every process started for a dyno carries HOKU_DYNO_TAG=<run>/<dyno>/<generation> in its
 * environment, inherited by whatever it starts, so a grandchild that left the dyno's process
 * group is still found by reading /proc. Never signals a pid of 1 or less.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Environment variable that marks every process started for a dyno: `<run>/<dyno>/<generation>`. */
export const TAG_VAR = "HOKU_DYNO_TAG";

/** Sends a signal to a process group; false if it no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Every process whose HOKU_DYNO_TAG starts with `prefix`, grouped by its whole tag, from one
 * pass over /proc. Linux only; elsewhere empty.
 */
export function scanTags(prefix: string): Map<string, number[]> {
  const found = new Map<string, number[]>();
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return found;
  }
  const needle = Buffer.from(`${TAG_VAR}=${prefix}`);
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${entry}/environ`);
    } catch {
      continue;
    }
    const tag = tagIn(environ, needle);
    if (tag !== undefined) found.set(tag, [...(found.get(tag) ?? []), pid]);
  }
  return found;
}

/** The value of the entry starting with `needle` (`HOKU_DYNO_TAG=<prefix>`), if the environment has one. */
function tagIn(environ: Buffer, needle: Buffer): string | undefined {
  for (let at = environ.indexOf(needle); at !== -1; at = environ.indexOf(needle, at + 1)) {
    if (at !== 0 && environ[at - 1] !== 0) continue;
    const end = environ.indexOf(0, at);
    return environ.subarray(at + TAG_VAR.length + 1, end === -1 ? environ.length : end).toString();
  }
  return undefined;
}
