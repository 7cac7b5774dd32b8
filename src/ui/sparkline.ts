/** A sparkline of the last values, scaled to the largest (or to `max`): `▁▂▄█`. */
const BARS = "▁▂▃▄▅▆▇█";

export function sparkline(values: readonly number[], width: number, max?: number): string {
  const recent = values.slice(-width);
  const top = max ?? Math.max(...recent, 0);
  const bars = recent.map((v) => (top <= 0 ? BARS[0] : BARS[Math.min(BARS.length - 1, Math.round((v / top) * (BARS.length - 1)))]));
  return bars.join("").padStart(width, " ");
}
