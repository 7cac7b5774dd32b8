/**
 * Signalling a dyno: every process in it, not only the direct child.
 *
 * A dyno's processes are its process group (the PTY session hoku started) plus any
 * process that carries the dyno's tag in its environment: a grandchild that left
 * the group with `setsid` or `setpgid` still inherits `HOKU_DYNO_TAG`, so it is
 * found by scanning /proc. Never signals a pid of 1 or less.
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
 * Pids whose environment has `HOKU_DYNO_TAG=<tag>` exactly, or any tag under `<tag>/`
 * when `prefix` is true. Linux only (reads /proc); elsewhere returns nothing.
 */
export function taggedPids(tag: string, prefix = false): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const needle = Buffer.from(`${TAG_VAR}=${tag}${prefix ? "/" : ""}`);
  const pids: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${entry}/environ`);
    } catch {
      continue;
    }
    if (hasEntry(environ, needle, prefix)) pids.push(pid);
  }
  return pids;
}

function hasEntry(environ: Buffer, needle: Buffer, prefix: boolean): boolean {
  for (let at = environ.indexOf(needle); at !== -1; at = environ.indexOf(needle, at + 1)) {
    if (at !== 0 && environ[at - 1] !== 0) continue;
    const end = at + needle.length;
    if (prefix || end === environ.length || environ[end] === 0) return true;
  }
  return false;
}

/** Signals a dyno's process group and every process carrying its tag; returns how many were signalled. */
export function signalDyno(pgid: number | undefined, tag: string, signal: NodeJS.Signals): number {
  let count = pgid !== undefined && signalGroup(pgid, signal) ? 1 : 0;
  for (const pid of taggedPids(tag)) {
    try {
      process.kill(pid, signal);
      count++;
    } catch {
      // already gone
    }
  }
  return count;
}
