/**
 * CPU and memory of each dyno's whole session (the dyno's shell and everything it
 * started), read from /proc once per sample. Linux only; elsewhere every dyno reads as zero.
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

/**
 * Sums utime+stime and rss over each session's leader (its pid is the session id) and the
 * leader's descendants still in that session, found through /proc/<pid>/task/<tid>/children.
 * Only the dynos' own processes are read: scanning every process on the machine for its
 * session cost ~3 ms a sample with 100 processes, about as much as the rest of an idle
 * dashboard. A process that left the tree (an orphan, re-parented to init) is not counted.
 */
export function readSessionUsage(sessions: ReadonlySet<number>): Map<number, SessionUsage> {
  const usage = new Map<number, SessionUsage>();
  for (const session of sessions) {
    let found: SessionUsage | undefined;
    const pending = [session];
    while (pending.length > 0) {
      const pid = pending.pop()!;
      const fields = statFields(pid);
      if (!fields || Number(fields[3]) !== session) continue; // gone, or in a session of its own
      found = {
        ticks: (found?.ticks ?? 0) + Number(fields[11]) + Number(fields[12]),
        rssBytes: (found?.rssBytes ?? 0) + Number(fields[21]) * PAGE_SIZE,
      };
      pending.push(...childrenOf(pid));
    }
    if (found) usage.set(session, found);
  }
  return usage;
}

/** The fields of /proc/<pid>/stat after the command name (in parentheses, may hold spaces). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** The pids of a process's children (each thread lists the ones it started). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  try {
    for (const thread of readdirSync(`/proc/${pid}/task`)) {
      const list = readFileSync(`/proc/${pid}/task/${thread}/children`, "latin1").trim();
      if (list) for (const child of list.split(" ")) children.push(Number(child));
    }
  } catch {
    // the process has exited
  }
  return children;
}

/**
 * The memory of a process and all its descendants, whatever their session (a dyno's sandbox
 * starts a session of its own), counted as Heroku counts a dyno's against its quota: each page
 * once, however many processes share it (forked workers of puma, gunicorn, a Node cluster).
 * So each process's proportional share (Pss, /proc/<pid>/smaps_rollup) plus its swap; its
 * resident size where smaps_rollup cannot be read.
 */
export function treeMemoryBytes(pid: number): number {
  let bytes = 0;
  const pending = [pid];
  while (pending.length > 0) {
    const next = pending.pop()!;
    const fields = statFields(next);
    if (!fields) continue;
    bytes += proportionalBytes(next) ?? Number(fields[21]) * PAGE_SIZE;
    pending.push(...childrenOf(next));
  }
  return bytes;
}

/** Pss + Swap of one process, from smaps_rollup (kB), or undefined if it cannot be read. */
function proportionalBytes(pid: number): number | undefined {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "latin1");
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(rollup)?.[1] ?? 0);
    return (kb("Pss") + kb("Swap")) * 1024;
  } catch {
    return undefined;
  }
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
