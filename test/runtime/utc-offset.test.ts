/**
 * The local UTC offset for plain timestamps (src/runtime/utc-offset.ts): read by hoku from the
 * zone's TZif file or POSIX rule, else asked of `date +%z`. The oracles are libc, through
 * `date`, and ICU, through Intl.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseUtcOffset, type ReadFile, UtcOffset, zoneOfEnv } from "../../src/runtime/utc-offset.ts";
import { tempDir } from "../helpers/hoku.ts";
import { icuOffsetMinutes } from "../helpers/zone.ts";

const MINUTE = 60_000;
const QUARTER = 15 * MINUTE;
/** No zone file can be read: the offset must come from `date`. */
const noFiles: ReadFile = () => undefined;

/** libc's offsets (seconds) under `tz` at each instant (seconds since 1970), from one `date` run. */
function libcOffsets(tz: string, instants: readonly number[]): number[] {
  const result = Bun.spawnSync(["date", "-f", "-", "+%z"], {
    env: { PATH: process.env.PATH, TZ: tz, LC_ALL: "C" },
    stdin: new TextEncoder().encode(instants.map((t) => `@${t}\n`).join("")),
  });
  return result.stdout.toString().trim().split("\n").map((line) => parseUtcOffset(line)! / 1000);
}

/**
 * Instants to compare at: every 9 days 1970-2069 (the zone files' transitions end in 2037, the
 * rule takes over), and the seconds either side of every change hoku finds in 2020-2045.
 */
function instantsFor(offsetAt: (seconds: number) => number): number[] {
  const instants: number[] = [];
  for (let t = 0; t < 3_150_000_000; t += 9 * 86_400 + 3_607) instants.push(t);
  const step = 6 * 3600;
  for (let t = 1_577_836_800; t < 2_366_841_600; t += step) {
    if (offsetAt(t) === offsetAt(t + step)) continue;
    let [low, high] = [t, t + step]; // the change is in (low, high]
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (offsetAt(middle) === offsetAt(t)) low = middle;
      else high = middle;
    }
    instants.push(low, high);
  }
  return instants;
}

/** Runs `body` with this process's own TZ set to `zone` (Bun applies it to JavaScriptCore at once). */
async function withOwnZone(zone: string, body: () => Promise<void>): Promise<void> {
  const saved = process.env.TZ;
  process.env.TZ = zone;
  try {
    await body();
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}

describe("parseUtcOffset", () => {
  test.each([
    ["+0000", 0],
    ["+0530", 330 * MINUTE],
    ["-0330", -210 * MINUTE],
    ["+1245", 765 * MINUTE],
    ["-1200\n", -720 * MINUTE],
    ["0530", undefined],
    ["+05:30", undefined],
    ["", undefined],
    ["UTC", undefined],
  ])("%p -> %p", (text, ms) => {
    expect(parseUtcOffset(text)).toBe(ms);
  });
});

describe("hoku reads the zone the way libc does", () => {
  test.each([
    "Etc/UTC",
    "Europe/Berlin",
    "Europe/Dublin", // negative DST in the rule: IST-1GMT0,M10.5.0,M3.5.0/1
    "America/New_York",
    "America/St_Johns",
    "America/Sao_Paulo", // DST until 2019
    "America/Nuuk", // transition times below zero in the rule
    "Australia/Sydney",
    "Australia/Lord_Howe", // DST of 30 minutes
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "Africa/Casablanca",
    "EST5EDT", // a zone file, although it reads like a rule
    ":Europe/Paris",
    ":EST5", // glibc drops the colon, finds no such file, and reads the rule
    "/usr/share/zoneinfo/Asia/Tokyo",
    "UTC0",
    "<+0530>-5:30",
    "CET-1CEST,M3.5.0,M10.5.0/3",
    "AEST-10AEDT,M10.1.0,M4.1.0/3",
    "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1",
    "AAA3BBB,J60/167,300/-20",
    "ABC-3DEF-4,J1/0,J365/24", // DST all year
  ])("TZ=%s", (tz) => {
    const offsetAt = zoneOfEnv({ TZ: tz })!;
    expect(offsetAt).toBeDefined();
    const instants = instantsFor(offsetAt);
    expect(instants.map(offsetAt)).toEqual(libcOffsets(tz, instants));
  });

  test("TZ unset is /etc/localtime (or UTC without it); TZ empty is UTC", () => {
    const instants = instantsFor(zoneOfEnv({})!);
    expect(instants.map(zoneOfEnv({})!)).toEqual(libcOffsets("/etc/localtime", instants));
    const asked: string[] = [];
    const kolkata: ReadFile = (path) => (asked.push(path), readFileSync("/usr/share/zoneinfo/Asia/Kolkata"));
    expect(zoneOfEnv({}, kolkata)!(1_800_000_000)).toBe(330 * 60);
    expect(asked).toEqual(["/etc/localtime"]);
    expect(zoneOfEnv({}, noFiles)!(1_800_000_000)).toBe(0);
    expect(zoneOfEnv({ TZ: "" }, kolkata)!(1_800_000_000)).toBe(0);
  });

  test("TZDIR is where zone names are looked up", () => {
    const dir = tempDir("hoku-tzdir-");
    writeFileSync(join(dir, "Here"), readFileSync("/usr/share/zoneinfo/Asia/Kolkata"));
    expect(zoneOfEnv({ TZ: "Here", TZDIR: dir })!(1_800_000_000)).toBe(330 * 60);
  });

  test.each([
    ["XYZ5ABC", "DST without dates: libc's defaults"],
    ["right/Europe/Berlin", "a zone file with leap seconds"],
    [":No/Such_Zone", "a colon and no such file"],
    ["Not a zone", "neither a file nor a rule"],
    ["<A B>5", "a quoted name glibc does not take"],
    ["/dev/zero", "not a regular file (not read)"],
  ])("TZ=%p is left to date (%s)", (tz) => {
    expect(zoneOfEnv({ TZ: tz })).toBeUndefined();
    expect(new UtcOffset({ ...process.env, TZ: tz }).asksDate).toBe(true);
  });

  test("a zone hoku reads needs no `date`: the offset is known at once, and again in the next quarter hour", () => {
    const start = Math.floor(Date.now() / QUARTER) * QUARTER;
    const offset = new UtcOffset({ TZ: "Asia/Kolkata", PATH: tempDir("hoku-nodate-") }, start);
    expect(offset.asksDate).toBe(false);
    expect(offset.pending(start)).toBeUndefined();
    expect(offset.ms).toBe(330 * MINUTE);
    expect(offset.pending(start + QUARTER)).toBeUndefined();
    expect(offset.ms).toBe(330 * MINUTE);
  });
});

test("read from the zone, the offset is found for each batch: a change off the quarter hour shows at once", () => {
  // DST from April 10 (J100), 00:01 local standard time = UTC.
  const offset = new UtcOffset({ TZ: "AAA0BBB,J100/0:01,J200/0" }, Date.UTC(2026, 3, 10, 0, 0, 30));
  expect(offset.ms).toBe(0);
  expect(offset.pending(Date.UTC(2026, 3, 10, 0, 1, 30))).toBeUndefined();
  expect(offset.ms).toBe(60 * MINUTE);
});

describe("UtcOffset, from date", () => {
  test.each(["UTC", "Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns", "Europe/Paris", "Pacific/Chatham"])(
    "TZ=%s: the offset date gives matches ICU's",
    async (zone) => {
      const offset = new UtcOffset({ ...process.env, TZ: zone }, Date.now(), noFiles);
      expect(offset.asksDate).toBe(true);
      await offset.pending(0); // a quarter hour long past: waits for an answer
      expect(offset.ms).toBe(icuOffsetMinutes(zone) * MINUTE);
    },
  );

  test("a POSIX TZ string libc completes with its own default dates", async () => {
    const offset = new UtcOffset({ ...process.env, TZ: "XYZ5ABC" });
    await offset.pending(0);
    expect(offset.ms).toBe(libcOffsets("XYZ5ABC", [Math.floor(Date.now() / 1000)])[0]! * 1000);
  });

  test("known for the quarter hour it was asked in; asked anew in the next one", async () => {
    const start = Math.floor(Date.now() / QUARTER) * QUARTER;
    const offset = new UtcOffset({ ...process.env, TZ: "Asia/Kolkata" }, start, noFiles);
    const first = offset.pending(start);
    expect(first).toBeInstanceOf(Promise);
    await first;
    expect(offset.pending(start)).toBeUndefined();
    expect(offset.pending(start + QUARTER - 1)).toBeUndefined();
    const next = offset.pending(start + QUARTER);
    expect(next).toBeInstanceOf(Promise);
    expect(offset.pending(start + QUARTER)).toBe(next!); // one question at a time
    await next;
    expect(offset.pending(start + QUARTER)).toBeUndefined();
    expect(offset.ms).toBe(330 * MINUTE);
  });

  test("without a `date` on PATH, JavaScriptCore's own offset is used", async () => {
    await withOwnZone("Asia/Kolkata", async () => {
      const offset = new UtcOffset({ ...process.env, PATH: tempDir("hoku-nodate-") }, Date.now(), noFiles);
      await offset.pending(0);
      expect(offset.ms).toBe(330 * MINUTE);
    });
  });

  test("a `date` that never answers is stopped after a second, and JavaScriptCore's offset is used", async () => {
    const dir = tempDir("hoku-slowdate-");
    writeFileSync(join(dir, "date"), "#!/bin/sh\nexec sleep 30\n", { mode: 0o755 });
    await withOwnZone("Asia/Kathmandu", async () => {
      const started = Date.now();
      const offset = new UtcOffset({ ...process.env, PATH: `${dir}:/usr/bin:/bin` }, Date.now(), noFiles);
      await offset.pending(0);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(offset.ms).toBe(345 * MINUTE);
    });
  });
});
