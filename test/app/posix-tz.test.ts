/** POSIX TZ rule strings (src/app/posix-tz.ts); libc's own answers are checked in test/runtime/utc-offset.test.ts. */
import { describe, expect, test } from "bun:test";
import { parseTzRule, ruleOffsetAt } from "../../src/app/posix-tz.ts";

const H = 3600;
const at = (iso: string) => Date.parse(iso) / 1000;

describe("parseTzRule", () => {
  test.each([
    ["UTC0", { standard: 0 }],
    ["EST5", { standard: -5 * H }],
    ["<+0530>-5:30", { standard: 5.5 * H }],
    ["<-03>3", { standard: -3 * H }],
    ["ABC+1:02:03", { standard: -(H + 2 * 60 + 3) }],
  ])("%s has no DST", (text, rule) => {
    expect(parseTzRule(text)).toEqual(rule);
  });

  test.each([
    ["EST5EDT,M3.2.0,M11.1.0", -5 * H, -4 * H],
    ["CET-1CEST,M3.5.0,M10.5.0/3", H, 2 * H],
    ["IST-1GMT0,M10.5.0,M3.5.0/1", H, 0],
    ["<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", 10.5 * H, 11 * H],
    ["<-03>3<-02>,M3.5.0/-2,M10.5.0/-1", -3 * H, -2 * H],
    ["XXX3YYY,J60/167,300/-167", -3 * H, -2 * H],
  ])("%s: standard and DST offsets", (text, standard, dst) => {
    const rule = parseTzRule(text)!;
    expect(rule.standard).toBe(standard);
    expect(rule.dst?.offset).toBe(dst);
  });

  test.each([
    ["", "nothing"],
    ["UT0", "a name of 2 letters"],
    ["EST", "no offset"],
    ["EST5EDT", "DST without dates (libc's defaults differ)"],
    ["EST5EDT,M3.2.0", "one date"],
    ["EST5EDT,M13.2.0,M11.1.0", "month 13"],
    ["EST5EDT,M3.6.0,M11.1.0", "week 6"],
    ["EST5EDT,M3.2.7,M11.1.0", "weekday 7"],
    ["EST5EDT,J0,J100", "J0"],
    ["EST5EDT,366,100", "day 366"],
    ["EST5EDT,M3.2.0/168,M11.1.0", "a time of 168 hours"],
    ["EST25", "an offset of 25 hours"],
    ["EST5:60", "60 minutes"],
    ["EST5EDT,M3.2.0,M11.1.0x", "trailing text"],
    ["<+05", "an unclosed <"],
    ["<A B>5", "a space in a quoted name"],
    ["Europe/Berlin", "a zone name"],
  ])("%p is not a rule (%s)", (text) => {
    expect(parseTzRule(text)).toBeUndefined();
  });
});

describe("ruleOffsetAt", () => {
  const us = parseTzRule("EST5EDT,M3.2.0,M11.1.0")!;
  const sydney = parseTzRule("AEST-10AEDT,M10.1.0,M4.1.0/3")!;
  test.each([
    // 2026: DST from Sunday March 8, 02:00 EST (07:00 UTC) to Sunday November 1, 02:00 EDT (06:00 UTC).
    ["US, the second before DST", us, "2026-03-08T06:59:59Z", -5 * H],
    ["US, DST begins", us, "2026-03-08T07:00:00Z", -4 * H],
    ["US, the second before DST ends", us, "2026-11-01T05:59:59Z", -4 * H],
    ["US, DST ends", us, "2026-11-01T06:00:00Z", -5 * H],
    // Southern hemisphere: DST spans the new year (2026: to April 5, 03:00 AEDT; from October 4, 02:00 AEST).
    ["Sydney, summer in January", sydney, "2026-01-15T00:00:00Z", 11 * H],
    ["Sydney, the second before DST ends", sydney, "2026-04-04T15:59:59Z", 11 * H],
    ["Sydney, DST ends", sydney, "2026-04-04T16:00:00Z", 10 * H],
    ["Sydney, DST begins", sydney, "2026-10-03T16:00:00Z", 11 * H],
    ["Sydney, summer in December", sydney, "2026-12-31T23:00:00Z", 11 * H],
  ])("%s", (_name, rule, iso, offset) => {
    expect(ruleOffsetAt(rule, at(iso))).toBe(offset);
  });

  test("a rule without DST is one offset", () => {
    expect(ruleOffsetAt(parseTzRule("<+0530>-5:30")!, at("2026-06-01T00:00:00Z"))).toBe(5.5 * H);
  });

  test("Jn never counts February 29, n does", () => {
    // J60 is March 1 in any year; zero-based 59 is March 1 in a common year, February 29 in a leap year.
    const julian = parseTzRule("AAA0BBB,J60/0,J300/0")!;
    const zeroBased = parseTzRule("AAA0BBB,59/0,300/0")!;
    expect(ruleOffsetAt(julian, at("2028-02-29T12:00:00Z"))).toBe(0);
    expect(ruleOffsetAt(julian, at("2028-03-01T00:00:00Z"))).toBe(H);
    expect(ruleOffsetAt(zeroBased, at("2028-02-29T12:00:00Z"))).toBe(H);
    expect(ruleOffsetAt(zeroBased, at("2027-02-28T23:59:59Z"))).toBe(0);
    expect(ruleOffsetAt(zeroBased, at("2027-03-01T00:00:00Z"))).toBe(H);
  });

  test("week 5 is the last such weekday of the month, also in a month with four", () => {
    const rule = parseTzRule("AAA0BBB,M2.5.0/0,M10.5.0/0")!;
    // February 2026 has four Sundays, the last on the 22nd.
    expect(ruleOffsetAt(rule, at("2026-02-21T23:59:59Z"))).toBe(0);
    expect(ruleOffsetAt(rule, at("2026-02-22T00:00:00Z"))).toBe(H);
  });
});
