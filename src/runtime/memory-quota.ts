/**
 * A dyno's memory against its quota (DY-9; Dev Center: dyno-memory-behavior, error-codes),
 * judged from one sample of its processes' memory (shared pages once: proc-stats.ts). Pure.
 *
 *   over the quota:       Process running mem=612M(119.5%)
 *                         Error R14 (Memory quota exceeded)          the dyno keeps running
 *   at twice the quota:   Process running mem=1030M(201.2%)
 *                         Error R15 (Memory quota vastly exceeded)
 *                         Stopping process with SIGKILL
 *
 * R14 is said again while the dyno stays over, at most every `R14_EVERY_MS` (Heroku samples a
 * dyno's memory every 20 s).
 */

export const R14_EVERY_MS = 20_000;

export interface MemoryVerdict {
  /** The dyno's `heroku[...]` lines, in order; none while it is under its quota. */
  readonly lines: readonly string[];
  /** R15: the dyno is to be killed. */
  readonly kill: boolean;
}

/** `lastR14At` is when this dyno start last said R14 (ms on the same clock as `now`), if it did. */
export function judgeMemory(bytes: number, quotaBytes: number, now: number, lastR14At?: number): MemoryVerdict {
  if (bytes <= quotaBytes) return { lines: [], kill: false };
  const running = `Process running mem=${Math.round(bytes / 2 ** 20)}M(${((bytes / quotaBytes) * 100).toFixed(1)}%)`;
  if (bytes >= 2 * quotaBytes) return { lines: [running, "Error R15 (Memory quota vastly exceeded)", "Stopping process with SIGKILL"], kill: true };
  if (lastR14At !== undefined && now - lastR14At < R14_EVERY_MS) return { lines: [], kill: false };
  return { lines: [running, "Error R14 (Memory quota exceeded)"], kill: false };
}
