/**
 * Containment by process group and tag (see containment.ts): a dyno's processes are its
 * PTY session's process group plus every process whose environment carries its
 * HOKU_DYNO_TAG. /proc is read once per call, for all the dynos asked about.
 */
import type { Containment, Target } from "./containment.ts";
import { scanTags, signalGroup } from "./kill.ts";

export function sessionContainment(runId: string): Containment {
  const run = `${runId}/`;
  return {
    kind: "session",
    argv: (_tag, argv) => [...argv],
    signal(targets, signal) {
      for (const { pgid } of targets) if (pgid !== undefined) signalGroup(pgid, signal);
      const wanted = new Set(targets.map((t: Target) => t.tag));
      for (const [tag, pids] of scanTags(run)) if (wanted.has(tag)) for (const pid of pids) tryKill(pid, signal);
    },
    survivors(tags) {
      const wanted = new Set(tags);
      return new Set([...scanTags(run).keys()].filter((tag) => wanted.has(tag)));
    },
    killLeftovers() {
      let count = 0;
      for (const pids of scanTags(run).values()) for (const pid of pids) count += tryKill(pid, "SIGKILL") ? 1 : 0;
      return count;
    },
    release() {},
    close() {},
  };
}

function tryKill(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}
