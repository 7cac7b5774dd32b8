/** TZif files (src/app/tzif.ts); real zone files are checked against libc in test/runtime/utc-offset.test.ts. */
import { describe, expect, test } from "bun:test";
import { parseTzif, zoneOffsetAt } from "../../src/app/tzif.ts";

/** A TZif file: one data block (version 1), or two plus a footer (version 2). */
function tzif(version: 1 | 2, transitions: number[], types: number[], offsets: number[], footer = "", leapcnt = 0, dst: boolean[] = []): Uint8Array {
  const block = (timeSize: 4 | 8) => {
    const parts: number[] = [];
    const header = [..."TZif"].map((c) => c.charCodeAt(0));
    header.push(version === 1 ? 0 : 0x32, ...new Array(15).fill(0));
    const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
    parts.push(...header, ...u32(0), ...u32(0), ...u32(leapcnt), ...u32(transitions.length), ...u32(offsets.length), ...u32(4));
    for (const t of transitions) parts.push(...(timeSize === 8 ? [...u32(Math.floor(t / 2 ** 32)), ...u32(t >>> 0)] : u32(t >>> 0)));
    parts.push(...types);
    offsets.forEach((offset, i) => parts.push(...u32(offset >>> 0), dst[i] ? 1 : 0, 0));
    parts.push(...[..."ABC\0"].map((c) => c.charCodeAt(0)));
    for (let i = 0; i < leapcnt; i++) parts.push(...new Array(timeSize + 4).fill(0));
    return parts;
  };
  const bytes = version === 1 ? block(4) : [...block(4), ...block(8), ...new TextEncoder().encode(`\n${footer}\n`)];
  return Uint8Array.from(bytes);
}

describe("parseTzif", () => {
  test.each([
    ["not a TZif file", new TextEncoder().encode("CET-1CEST\n")],
    ["empty", new Uint8Array(0)],
    ["cut short", tzif(2, [100, 200], [1, 0], [3600, 7200], "ABC-1").subarray(0, 80)],
    ["leap seconds", tzif(2, [100], [0], [3600], "", 1)],
    ["a footer that is not a rule", tzif(2, [100], [0], [3600], "Europe/Berlin")],
    ["a transition to a type it lacks", tzif(2, [100], [5], [3600])],
  ])("%s: undefined", (_name, bytes) => {
    expect(parseTzif(bytes)).toBeUndefined();
  });

  test("version 1: type 0 before the first transition, the last type after the last one", () => {
    const zone = parseTzif(tzif(1, [-1000, 1000], [1, 2], [0, 3600, -1800]))!;
    expect([-5000, -1000, 999, 1000, 10 ** 9].map((t) => zoneOffsetAt(zone, t))).toEqual([0, 3600, 3600, -1800, -1800]);
  });

  test("version 2: the 64-bit block is read, and the footer's rule follows the last transition", () => {
    const zone = parseTzif(tzif(2, [-(2 ** 33), 0], [1, 0], [19800, 3600], "<+06>-6"))!;
    expect([-(2 ** 34), -(2 ** 33), -1, 0, 5].map((t) => zoneOffsetAt(zone, t))).toEqual([19800, 3600, 3600, 21600, 21600]);
  });

  test("version 2 with an empty footer keeps the last offset", () => {
    const zone = parseTzif(tzif(2, [0], [1], [0, -7200]))!;
    expect(zoneOffsetAt(zone, 10 ** 10)).toBe(-7200);
  });

  test("no transitions: the first standard-time type, and the footer is not used (as glibc does)", () => {
    expect(zoneOffsetAt(parseTzif(tzif(2, [], [], [3600], "UTC0"))!, 10 ** 9)).toBe(3600);
    expect(zoneOffsetAt(parseTzif(tzif(2, [], [], [3600, 7200], "", 0, [true, false]))!, 10 ** 9)).toBe(7200);
  });

  test("before the first transition: the first standard-time type, or type 0 if all are DST", () => {
    expect(zoneOffsetAt(parseTzif(tzif(2, [0], [0], [7200, 3600], "", 0, [true, false]))!, -5)).toBe(3600);
    expect(zoneOffsetAt(parseTzif(tzif(2, [0], [1], [7200, 3600], "", 0, [true, true]))!, -5)).toBe(7200);
  });
});
