/**
 * Durations on the command line (`--timeout 5`, `--timeout 500ms`) and their short
 * human form for status lines.
 */
import { describe, test, expect } from "bun:test";
import { formatDuration, parseDuration } from "../../src/app/duration.ts";

describe("parseDuration", () => {
  test.each([
    ["500ms", 500],
    ["5s", 5_000],
    ["10m", 600_000],
    ["1h", 3_600_000],
    ["0s", 0],
    ["0", 0],
    ["1.5s", 1_500],
    ["0.25m", 15_000],
    ["1.0004s", 1_000],
    ["2.5h", 9_000_000],
    [" 5 s ", 5_000],
    ["5 ms", 5],
    ["30", 30_000],
  ])("%p -> %p ms (bare numbers in seconds)", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each([
    ["5", "ms", 5],
    ["5", "m", 300_000],
    ["5", "h", 18_000_000],
    ["5s", "ms", 5_000],
  ] as const)("%p with bare unit %p -> %p ms", (text, unit, ms) => {
    expect(parseDuration(text, unit)).toBe(ms);
  });

  test.each(["", " ", "s", "-1", "-1s", "5x", "5S", "5sec", "1h30m", ".5s", "5.s", "1e3", "abc", "5 5"])("%p is not a duration", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe("formatDuration", () => {
  test.each([
    [0, "0ms"],
    [1, "1ms"],
    [999, "999ms"],
    [1_000, "1s"],
    [2_500, "2.5s"],
    [1_040, "1s"],
    [30_000, "30s"],
    [59_000, "59s"],
    [60_000, "1m"],
    [600_000, "10m"],
    [1_200_000, "20m"],
    [3_600_000, "1h"],
    [5_400_000, "1h 30m"],
    [86_400_000, "24h"],
    [90_000_000, "25h"],
  ])("%p ms -> %p", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  // Rounding does not carry into the next unit.
  test.each([
    [59_950, "1m"],
    [3_570_000, "1h"],
    [7_170_000, "2h"],
  ])("%p ms -> %p (carry after rounding)", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
