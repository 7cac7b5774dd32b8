import { describe, expect, test } from "bun:test";
import { sparkline } from "../../src/ui/sparkline.ts";

const BARS = "▁▂▃▄▅▆▇█";

describe("sparkline", () => {
  test.each([
    // values, width, max, expected
    [[], 5, undefined, "     "],
    [[0, 0, 0], 3, undefined, "▁▁▁"],
    [[0, 7], 2, undefined, "▁█"],
    [[0, 1, 2, 3, 4, 5, 6, 7], 8, undefined, BARS],
    [[7, 6, 5, 4, 3, 2, 1, 0], 8, undefined, [...BARS].reverse().join("")],
    [[5, 5, 5], 3, undefined, "███"], // scaled to the largest
    [[1, 2], 2, undefined, "▅█"], // 1/2 of 7 steps rounds to 4
    [[7], 4, undefined, "   █"], // padded on the left
    [[0, 7], 5, undefined, "   ▁█"],
    [[0, 1, 2, 3, 4, 5, 6, 7], 3, undefined, "▆▇█"], // only the last `width` values
    [[100, 1, 2], 2, undefined, "▅█"], // scaled to the largest of the values shown
    // a fixed max (CPU %)
    [[100], 1, 100, "█"],
    [[0], 1, 100, "▁"],
    [[50], 1, 100, "▅"],
    [[25, 50, 100], 3, 100, "▃▅█"],
    [[250], 1, 100, "█"], // above max: clamped to the top bar
    [[10, 20], 2, 0, "▁▁"], // max 0: flat
    [[3, 4], 4, 400, "  ▁▁"],
  ])("%p width %i max %p -> %p", (values, width, max, expected) => {
    expect(sparkline(values, width, max)).toBe(expected);
  });

  test.each([1, 5, 10, 30])("is always exactly %i characters wide", (width) => {
    for (const n of [0, 1, width - 1, width, width + 7]) {
      const values = Array.from({ length: Math.max(0, n) }, (_, i) => (i * 37) % 11);
      expect([...sparkline(values, width)]).toHaveLength(width);
    }
  });

  test("every bar is one of the eight block characters", () => {
    const line = sparkline([0, 3, 9, 1, 4, 7, 2, 8, 5, 6], 10);
    for (const ch of line) expect(BARS).toContain(ch);
  });

  test("higher values never get lower bars", () => {
    const values = [0, 1, 2, 3, 5, 8, 13, 21, 34, 55];
    const bars = [...sparkline(values, values.length)].map((ch) => BARS.indexOf(ch));
    for (let i = 1; i < bars.length; i++) expect(bars[i]!).toBeGreaterThanOrEqual(bars[i - 1]!);
    expect(bars.at(-1)).toBe(7);
  });
});
