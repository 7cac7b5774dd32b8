/**
 * Crash restarts (heroku-fidelity.md DY-6; procfile-dotenv-cases.md "Lifecycle" rule 3):
 * the first crash restarts at once, then the cool-off doubles from `base`, capped.
 */
import { describe, test, expect } from "bun:test";
import { HEROKU_BACKOFF, restartDelay } from "../../src/runtime/restart-policy.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;

describe("Heroku's schedule: at once, then 10, 20, 40 min ... capped at 24 h", () => {
  test("the defaults are Heroku's", () => {
    expect(HEROKU_BACKOFF).toEqual({ baseMs: 10 * MIN, capMs: 24 * HOUR });
  });

  test.each([
    [0, 0],
    [1, 0],
    [2, 10 * MIN],
    [3, 20 * MIN],
    [4, 40 * MIN],
    [5, 80 * MIN],
    [8, 640 * MIN],
    [9, 1280 * MIN],
    [10, 24 * HOUR],
    [11, 24 * HOUR],
    [100, 24 * HOUR],
    [5000, 24 * HOUR],
  ])("after crash %p: %p ms", (crashes, ms) => {
    expect(restartDelay(crashes)).toBe(ms);
  });
});

describe("a configured backoff", () => {
  test.each([
    ["base 100, cap 1000", { baseMs: 100, capMs: 1_000 }, [0, 100, 200, 400, 800, 1_000, 1_000]],
    ["cap not a power of two of base", { baseMs: 1_000, capMs: 3_000 }, [0, 1_000, 2_000, 3_000, 3_000, 3_000, 3_000]],
    ["cap equal to base", { baseMs: 500, capMs: 500 }, [0, 500, 500, 500, 500, 500, 500]],
    ["base 0: always at once", { baseMs: 0, capMs: 1_000 }, [0, 0, 0, 0, 0, 0, 0]],
  ] as const)("%s: crashes 1..7", (_name, backoff, delays) => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => restartDelay(n, backoff))).toEqual([...delays]);
  });
});
