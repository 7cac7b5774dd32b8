/**
 * Containment by process group and tag (see containment.ts): a dyno's processes are its
 * PTY session's process group plus every process whose environment carries its
 * HOKU_DYNO_TAG. /proc is read once per call, for all the dynos asked about.
 */
import type { Containment } from "./containment.ts";
import { reaches, reachesGroup, type Target } from "./containment-target.ts";
import { scanTags, signalGroup } from "./kill.ts";

export function sessionContainment(runId: string): Containment {
  const run = `${runId}/`;
  return {
    kind: "session",
    argv: (_tag, argv) => [...argv],
    signal(targets, signal) {
      for (const target of targets) if (reachesGroup(target, signal)) signalGroup(target.pgid, signal);
      const wanted = new Map(targets.map((t: Target) => [t.tag, t]));
      for (const [tag, pids] of scanTags(run)) {
        const target = wanted.get(tag);
        if (target) for (const pid of pids) if (reaches(target, pid, signal)) tryKill(pid, signal);
      }
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
