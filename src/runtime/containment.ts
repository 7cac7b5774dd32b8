/**
 * Containment: how hoku knows every process of a dyno, to signal them all and to see when
 * they are gone, whatever they do. Two implementations behind one interface:
 * - cgroup-containment.ts: each dyno process joins a cgroup hoku creates for it; a process
 *   cannot leave it (it would need write access to another cgroup), so none escapes.
 * - session-containment.ts: the dyno's process group plus the HOKU_DYNO_TAG every process
 *   inherits; a process that both leaves the session (setsid) and clears its environment
 *   (env -i) escapes it. Used where hoku cannot create a cgroup (not root and no delegated
 *   cgroup), said once.
 * Each call covers many dynos at once, so stopping N dynos costs one pass, not N.
 */
import { cgroupContainment } from "./cgroup-containment.ts";
import { sessionContainment } from "./session-containment.ts";

export type { Target } from "./containment-target.ts";
import type { Target } from "./containment-target.ts";

export interface Containment {
  readonly kind: "cgroup" | "session";
  /** The run's cgroup folder (cgroup containment), for the reaper to empty and remove if hoku dies. */
  readonly cgroupDir?: string;
  /** The command line that runs `argv` contained as `tag` (it joins its cgroup before anything else runs). */
  argv(tag: string, argv: readonly string[]): string[];
  /** Sends `signal` to every process of each target. */
  signal(targets: readonly Target[], signal: NodeJS.Signals): void;
  /** The tags, among `tags`, that still have a process. */
  survivors(tags: readonly string[]): Set<string>;
  /** SIGKILLs every process left of this run, whatever its dyno; returns how many. */
  killLeftovers(): number;
  /** Forgets a dyno start whose processes are all gone (removes its cgroup). */
  release(tag: string): void;
  /** Removes what containment made (the run's cgroups), once every dyno is stopped. */
  close(): void;
}

/**
 * Containment for a run: by cgroup where hoku can make one, else by session and tag, with the
 * reason. HOKU_NO_CGROUP=1 asks for session and tag (the way hoku runs where it is not root).
 */
export function openContainment(runId: string, env: Readonly<Record<string, string | undefined>> = process.env): { containment: Containment; fallback?: string } {
  if (env.HOKU_NO_CGROUP === "1") return { containment: sessionContainment(runId), fallback: "HOKU_NO_CGROUP=1" };
  const cgroup = cgroupContainment(runId);
  if (!("unavailable" in cgroup)) return { containment: cgroup };
  return { containment: sessionContainment(runId), fallback: cgroup.unavailable };
}
