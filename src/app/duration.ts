/**
 * Durations on the command line (pure): `500ms`, `5s`, `10m`, `1h`, or a bare
 * number in the unit the flag documents (seconds for --timeout).
 */

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds, or undefined if the text is not a duration. */
export function parseDuration(text: string, bareUnit: keyof typeof UNITS = "s"): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * UNITS[match[2] ?? bareUnit]!);
}

/** `10m`, `1h 30m`, `2.5s`, `0ms`: short human text for a delay. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 59_950) return `${+(ms / 1000).toFixed(1)}s`;
  const totalMinutes = Math.round(ms / 60_000);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  return hours > 0 ? `${hours}h${minutes ? ` ${minutes}m` : ""}` : `${minutes}m`;
}
