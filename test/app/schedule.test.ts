/**
 * Heroku Scheduler's schedules (OP-5): the dashboard's three frequencies, the times each one
 * offers, when a job is next due, and the words the dashboard uses for them.
 */
import { describe, expect, test } from "bun:test";
import { describeSchedule, intervalMs, nextRun, parseSchedule, scheduleProblem } from "../../src/app/schedule.ts";

const at = (iso: string) => Date.parse(iso);

describe("parseSchedule: --every and --at", () => {
  test.each([
    ["10m", undefined, { every: 10, at: 0 }],
    ["10min", undefined, { every: 10, at: 0 }],
    ["hour", undefined, { every: 60, at: 0 }],
    ["hourly", ":30", { every: 60, at: 30 }],
    ["1h", "50", { every: 60, at: 50 }],
    ["day", undefined, { every: 1440, at: 0 }],
    ["daily", "09:30", { every: 1440, at: 570 }],
    ["DAY", "9:00", { every: 1440, at: 540 }],
    ["1d", "23:30", { every: 1440, at: 1410 }],
  ])("--every %s --at %s", (every, when, expected) => {
    expect(parseSchedule(every, when)).toEqual(expected);
  });

  test.each([
    ["5m", undefined, "--every 5m: use 10m, hour or day (Heroku Scheduler's choices)"],
    ["weekly", undefined, "--every weekly: use 10m, hour or day"],
    ["10m", ":10", "--at is for --every hour (:00 to :50) or --every day (HH:MM UTC)"],
    ["hour", ":15", "--at :15: a job every hour runs at :00, :10, :20, :30, :40 or :50"],
    ["hour", ":60", "--at :60: a job every hour runs at :00, :10"],
    ["hour", "half past", "--at half past: give the minute past the hour, e.g. --at :30"],
    ["day", "9:15", "--at 9:15: a job every day runs at a half hour, 00:00 to 23:30 UTC"],
    ["day", "24:00", "--at 24:00: a job every day runs at a half hour"],
    ["day", "09:75", "--at 09:75: give a UTC time, e.g. --at 09:30"],
    ["day", ":30", "--at :30: give a UTC time, e.g. --at 09:30"],
  ])("--every %s --at %s is refused, saying what to write", (every, when, message) => {
    const parsed = parseSchedule(every, when);
    expect("problem" in parsed && parsed.problem).toContain(message);
  });
});

describe("scheduleProblem: what the API accepts", () => {
  test.each([
    [{ every: 10, at: 0 }, undefined],
    [{ every: 60, at: 40 }, undefined],
    [{ every: 1440, at: 1410 }, undefined],
    [{ every: 10, at: 5 }, "no time of its own"],
    [{ every: 60, at: 35 }, ":00, :10"],
    [{ every: 60, at: 60 }, ":00, :10"],
    [{ every: 1440, at: 1440 }, "a half hour"],
    [{ every: 1440, at: 45 }, "a half hour"],
    [{ every: 30, at: 0 }, "every 10 minutes, every hour or every day"],
    [{ every: Number.NaN, at: 0 }, "every 10 minutes, every hour or every day"],
  ])("%o", (schedule, problem) => {
    if (problem === undefined) expect(scheduleProblem(schedule)).toBeUndefined();
    else expect(scheduleProblem(schedule)).toContain(problem);
  });
});

describe("nextRun: the first due time strictly after a moment, in UTC", () => {
  test.each([
    [{ every: 10, at: 0 }, "2026-12-02T18:54:49.000Z", "2026-12-02T19:00:00.000Z"],
    [{ every: 10, at: 0 }, "2026-12-02T18:50:00.000Z", "2026-12-02T19:00:00.000Z"],
    [{ every: 10, at: 0 }, "2026-12-02T18:49:59.999Z", "2026-12-02T18:50:00.000Z"],
    [{ every: 60, at: 30 }, "2026-12-02T18:20:00.000Z", "2026-12-02T18:30:00.000Z"],
    [{ every: 60, at: 30 }, "2026-12-02T18:30:00.000Z", "2026-12-02T19:30:00.000Z"],
    [{ every: 60, at: 0 }, "2026-12-02T23:59:00.000Z", "2026-12-03T00:00:00.000Z"],
    [{ every: 1440, at: 570 }, "2026-12-02T18:54:00.000Z", "2026-12-03T09:30:00.000Z"],
    [{ every: 1440, at: 570 }, "2026-12-02T09:29:00.000Z", "2026-12-02T09:30:00.000Z"],
    [{ every: 1440, at: 0 }, "2026-12-31T23:45:00.000Z", "2027-01-01T00:00:00.000Z"],
  ])("%o after %s is %s", (schedule, after, expected) => {
    expect(new Date(nextRun(schedule, at(after))).toISOString()).toBe(expected);
  });
});

test("a job's dyno runs for at most its interval", () => {
  expect([10, 60, 1440].map((every) => intervalMs({ every, at: 0 }))).toEqual([600_000, 3_600_000, 86_400_000]);
});

test("the dashboard's words for each schedule", () => {
  expect(describeSchedule({ every: 10, at: 0 })).toBe("Every 10 minutes");
  expect(describeSchedule({ every: 60, at: 0 })).toBe("Every hour at :00");
  expect(describeSchedule({ every: 60, at: 30 })).toBe("Every hour at :30");
  expect(describeSchedule({ every: 1440, at: 570 })).toBe("Every day at 09:30 UTC");
  expect(describeSchedule({ every: 1440, at: 0 })).toBe("Every day at 00:00 UTC");
});
