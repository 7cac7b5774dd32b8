/**
 * Containment by cgroup v2 (see containment.ts): hoku creates `hoku-<run>` under its own
 * cgroup, and each dyno start joins a cgroup of its own there (`web.1.2`) before its command
 * runs. Its processes are that cgroup's members: listed without scanning /proc, and no
 * process can leave (it would need write access to another cgroup). hoku touches no cgroup
 * it did not create, and enables no controller: membership is all it uses.
 * Available where hoku can create and join cgroups: as root, or in a delegated cgroup.
 */
import { accessSync, constants, mkdirSync, readdirSync, readFileSync, rmdirSync } from "node:fs";
import { join } from "node:path";
import type { Containment } from "./containment.ts";
import { reaches, reachesGroup, type Target } from "./containment-target.ts";
import { signalGroup } from "./kill.ts";

/** The cgroup2 mount point and hoku's own cgroup under it, or why there is none. */
function ownCgroup(): { dir: string } | { why: string } {
  let mount: string | undefined;
  try {
    for (const line of readFileSync("/proc/self/mountinfo", "utf8").split("\n")) {
      const [before, after] = line.split(" - ");
      if (after?.startsWith("cgroup2 ")) mount = before!.split(" ")[4];
    }
  } catch {
    return { why: "no /proc/self/mountinfo" };
  }
  if (!mount) return { why: "no cgroup2 file system is mounted" };
  const own = /^0::(.*)$/m.exec(readFileSync("/proc/self/cgroup", "utf8"))?.[1];
  if (own === undefined) return { why: "hoku's own cgroup v2 is unknown" };
  return { dir: join(mount, own) };
}

/** Opens containment for this run, or says why cgroups cannot be used here. */
export function cgroupContainment(runId: string): Containment | { unavailable: string } {
  const own = ownCgroup();
  if ("why" in own) return { unavailable: own.why };
  const runDir = join(own.dir, `hoku-${runId}`);
  try {
    mkdirSync(runDir);
    accessSync(join(runDir, "cgroup.procs"), constants.W_OK);
    accessSync(join(own.dir, "cgroup.procs"), constants.W_OK);
  } catch (error) {
    try {
      rmdirSync(runDir);
    } catch {}
    return { unavailable: `cannot create and join a cgroup under ${own.dir} (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }

  const dirOf = (tag: string) => join(runDir, tag.slice(tag.indexOf("/") + 1).replaceAll("/", "."));
  const procs = (dir: string): number[] => {
    try {
      return readFileSync(join(dir, "cgroup.procs"), "utf8").split("\n").filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const dynoDirs = () => {
    try {
      return readdirSync(runDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(runDir, e.name));
    } catch {
      return [];
    }
  };
  const killAll = (dir: string, signal: NodeJS.Signals, spared?: Target) => {
    let count = 0;
    for (const pid of procs(dir)) {
      if (spared && !reaches(spared, pid, signal)) continue;
      try {
        process.kill(pid, signal);
        count++;
      } catch {}
    }
    return count;
  };
  const remove = (dir: string) => {
    try {
      rmdirSync(dir);
    } catch {} // still has members, or already gone
  };

  return {
    kind: "cgroup",
    cgroupDir: runDir,
    argv(tag, argv) {
      const dir = dirOf(tag);
      mkdirSync(dir, { recursive: true });
      // The shell joins the cgroup, then becomes the dyno's command: nothing runs outside it.
      return ["sh", "-c", 'echo $$ > "$0/cgroup.procs" || exit 125; exec "$@"', dir, ...argv];
    },
    signal(targets, signal) {
      for (const target of targets) {
        if (reachesGroup(target, signal)) signalGroup(target.pgid, signal);
        killAll(dirOf(target.tag), signal, target);
      }
    },
    survivors(tags) {
      return new Set(tags.filter((tag) => procs(dirOf(tag)).length > 0));
    },
    killLeftovers() {
      return dynoDirs().reduce((sum, dir) => sum + killAll(dir, "SIGKILL"), 0);
    },
    release(tag) {
      remove(dirOf(tag));
    },
    close() {
      for (const dir of dynoDirs()) remove(dir);
      remove(runDir);
    },
  };
}
