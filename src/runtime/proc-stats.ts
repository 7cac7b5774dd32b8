/**
 * CPU and memory of each dyno's whole session (the dyno's shell and everything it
 * started), read from /proc once per sample: one scan of /proc/<pid>/stat for all dynos.
 * Linux only; elsewhere every dyno reads as zero.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;
const PAGE_SIZE = 4096;

/** One sample of a session: CPU ticks used so far and resident memory now. */
export interface SessionUsage {
  readonly ticks: number;
  readonly rssBytes: number;
}

/** Sums utime+stime and rss over every process whose session id is one of `sessions`. */
export function readSessionUsage(sessions: ReadonlySet<number>): Map<number, SessionUsage> {
  const usage = new Map<number, SessionUsage>();
  if (sessions.size === 0) return usage;
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return usage;
  }
  for (const entry of entries) {
    if (entry.charCodeAt(0) > 57) continue; // not a pid
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "latin1");
    } catch {
      continue;
    }
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const session = Number(fields[3]);
    if (!sessions.has(session)) continue;
    const before = usage.get(session) ?? { ticks: 0, rssBytes: 0 };
    usage.set(session, {
      ticks: before.ticks + Number(fields[11]) + Number(fields[12]),
      rssBytes: before.rssBytes + Number(fields[21]) * PAGE_SIZE,
    });
  }
  return usage;
}

/** CPU percent of one core between two samples taken `elapsedMs` apart. */
export function cpuPercent(before: number, after: number, elapsedMs: number): number {
  if (elapsedMs <= 0 || after < before) return 0;
  return ((after - before) / TICKS_PER_SECOND / (elapsedMs / 1000)) * 100;
}

/**
 * When a process started, in clock ticks after boot (/proc/<pid>/stat field 22), or undefined
 * if there is no such process. A pid and its start time name one process: a pid reused by
 * another process has another start time.
 */
export function processStartTime(pid: number): string | undefined {
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}
