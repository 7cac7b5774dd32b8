/**
 * What containment (containment.ts) signals for one dyno start, and the one exception to
 * "every process gets the signal": a sandbox's own process, whose death would SIGKILL the
 * dyno before it could handle its SIGTERM.
 */

/** A dyno process to reach: its process group (the PTY session hoku started) and its tag. */
export interface Target {
  readonly pgid: number | undefined;
  /** `<run>/<dyno>/<generation>`: HOKU_DYNO_TAG of every process of this dyno start. */
  readonly tag: string;
  /**
   * A sandbox's own process (the group leader), spared every signal but SIGKILL: the group is
   * then reached process by process, through the cgroup or the tag, and not as a group.
   */
  readonly sandbox?: number;
}

/** Whether `pid` of `target` gets `signal` (a sandbox process only gets SIGKILL). */
export function reaches(target: Target, pid: number, signal: NodeJS.Signals): boolean {
  return signal === "SIGKILL" || pid !== target.sandbox;
}

/** Whether `target`'s whole process group gets `signal` at once (not when a sandbox is spared). */
export function reachesGroup(target: Target, signal: NodeJS.Signals): target is Target & { pgid: number } {
  return target.pgid !== undefined && (signal === "SIGKILL" || target.sandbox === undefined);
}
