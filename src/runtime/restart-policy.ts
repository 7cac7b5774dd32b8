/**
 * Crash restarts, Heroku's way (heroku-fidelity.md DY-6): the first crash restarts
 * at once; then the cool-off doubles from `base` (10 min before the 3rd attempt,
 * then 20, 40, ...) up to `cap` (24 h). Pure; the supervisor asks it for a delay.
 */

export interface Backoff {
  /** Cool-off before the 3rd attempt (Heroku: 10 minutes). */
  readonly baseMs: number;
  /** Longest cool-off (Heroku: 24 hours). */
  readonly capMs: number;
}

export const HEROKU_BACKOFF: Backoff = { baseMs: 10 * 60_000, capMs: 24 * 3_600_000 };

/** Milliseconds to wait before restarting a dyno that has now crashed `crashes` times in a row. */
export function restartDelay(crashes: number, backoff: Backoff = HEROKU_BACKOFF): number {
  if (crashes <= 1) return 0;
  return Math.min(backoff.baseMs * 2 ** (crashes - 2), backoff.capMs);
}
