/**
 * The local UTC offset for plain timestamps, asked of `date +%z` (src/runtime/utc-offset.ts).
 * The oracle for a zone's offset is ICU, through Intl.
 */
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseUtcOffset, UtcOffset } from "../../src/runtime/utc-offset.ts";
import { tempDir } from "../helpers/hoku.ts";
import { icuOffsetMinutes } from "../helpers/zone.ts";

const MINUTE = 60_000;
const QUARTER = 15 * MINUTE;

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

describe("UtcOffset", () => {
  test.each(["UTC", "Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns", "Europe/Paris", "Pacific/Chatham"])(
    "TZ=%s: the offset date gives matches ICU's",
    async (zone) => {
      const offset = new UtcOffset({ ...process.env, TZ: zone });
      await offset.pending(0); // a quarter hour long past: waits for an answer
      expect(offset.ms).toBe(icuOffsetMinutes(zone) * MINUTE);
    },
  );

  test("a POSIX TZ string is read the way libc reads it", async () => {
    const offset = new UtcOffset({ ...process.env, TZ: "ABC-3DEF-4,J1/0,J365/24" }); // DST all year: +4
    await offset.pending(0);
    expect(offset.ms).toBe(4 * 60 * MINUTE);
  });

  test("known for the quarter hour it was asked in; asked anew in the next one", async () => {
    const start = Math.floor(Date.now() / QUARTER) * QUARTER;
    const offset = new UtcOffset({ ...process.env, TZ: "Asia/Kolkata" }, start);
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
      const offset = new UtcOffset({ ...process.env, PATH: tempDir("hoku-nodate-") });
      await offset.pending(0);
      expect(offset.ms).toBe(330 * MINUTE);
    });
  });

  test("a `date` that never answers is stopped after a second, and JavaScriptCore's offset is used", async () => {
    const dir = tempDir("hoku-slowdate-");
    writeFileSync(join(dir, "date"), "#!/bin/sh\nexec sleep 30\n", { mode: 0o755 });
    await withOwnZone("Asia/Kathmandu", async () => {
      const started = Date.now();
      const offset = new UtcOffset({ ...process.env, PATH: `${dir}:/usr/bin:/bin` });
      await offset.pending(0);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(offset.ms).toBe(345 * MINUTE);
    });
  });
});
