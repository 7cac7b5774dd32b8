/**
 * Output lines (/work/shared/procfile-dotenv-cases.md, "Lifecycle" rules 1 and 5):
 * plain `HH:MM:SS web.1  | text` padded to the longest name, one stable color per type,
 * ANSI kept only with color; `--format heroku` prints Logplex lines.
 *
 * clockTime uses local time: plain-format Dates are built from local fields
 * (`new Date(y, m, d, h, min, s)`), heroku-format Dates from UTC fields, so the
 * expectations hold in any time zone; the zone itself is checked in child processes
 * started with TZ set, as hoku is.
 */
import { describe, test, expect } from "bun:test";
import { clockTime, colorOf, createFormatter, logplexTime, stripAnsi, RUNNER, type FormatOptions, type Formatter } from "../../src/runtime/log-format.ts";
import type { AppEvent } from "../../src/runtime/events.ts";
import { linesOf } from "../../src/runtime/line-splitter.ts";
import { outputOf } from "../helpers/lines.ts";

/** 2026-11-21 09:05:07 local time. */
const LOCAL = new Date(2026, 10, 21, 9, 5, 7);
/** 2026-11-21T10:00:00.000Z. */
const UTC = new Date(Date.UTC(2026, 10, 21, 10, 0, 0));
const TS = "2026-11-21T10:00:00.000000+00:00";

const TYPE_INDEX = new Map([["web", 0], ["worker", 1], ["clock", 2]]);
const NAMES = ["web.1", "web.2", "worker.1", RUNNER];

const utf8 = (text: string) => new TextEncoder().encode(text);

/** The bytes a formatter writes for one event. */
function writtenBytes(formatter: Formatter, event: AppEvent): Uint8Array {
  const parts: Uint8Array[] = [];
  formatter(event, {
    text: (text) => parts.push(utf8(text)),
    lines: (head, batch) => {
      for (const line of linesOf(batch)) parts.push(head, line, utf8("\n"));
    },
  });
  return new Uint8Array(Bun.concatArrayBuffers(parts));
}

/** What a formatter writes for one event, decoded. */
function written(formatter: Formatter, event: AppEvent): string {
  return new TextDecoder().decode(writtenBytes(formatter, event));
}

function format(event: AppEvent, options: Partial<FormatOptions> = {}): string {
  return written(createFormatter({ format: "plain", color: false, names: NAMES, typeIndex: TYPE_INDEX, ...options }), event);
}

const output = (dyno: string, lines: readonly (string | Uint8Array)[], at = LOCAL): AppEvent => outputOf(dyno, lines, at);
const RED = "\x1b[31mred\x1b[0m";

/** The SGR code that opens a colored prefix. */
function prefixColor(text: string): string | undefined {
  return /^\d\d:\d\d:\d\d \x1b\[(\d+)m/.exec(text)?.[1];
}

describe("timestamps", () => {
  test.each([
    [new Date(2026, 10, 21, 9, 5, 7), "09:05:07"],
    [new Date(2026, 0, 1, 0, 0, 0), "00:00:00"],
    [new Date(2026, 11, 31, 23, 59, 59, 999), "23:59:59"],
    [new Date(2026, 5, 15, 12, 30, 0), "12:30:00"],
  ])("clockTime(%p) is local %p", (at, text) => {
    expect(clockTime(at)).toBe(text);
  });

  /** 10:00:00 UTC in winter and in summer, as clockTime shows them in a process whose TZ is `tz`. */
  function clockTimesUnder(tz: string): string[] {
    const module = new URL("../../src/runtime/log-format.ts", import.meta.url).pathname;
    const script = `import { clockTime } from ${JSON.stringify(module)};
      for (const month of [0, 6]) console.log(clockTime(new Date(Date.UTC(2026, month, 15, 10, 0, 0))));`;
    const child = Bun.spawnSync([process.execPath, "-e", script], { env: { ...process.env, TZ: tz } });
    expect(child.exitCode).toBe(0);
    return child.stdout.toString().trim().split("\n");
  }

  test.each([
    ["UTC", ["10:00:00", "10:00:00"]],
    ["", ["10:00:00", "10:00:00"]], // empty TZ: UTC
    ["Asia/Kolkata", ["15:30:00", "15:30:00"]],
    ["America/St_Johns", ["06:30:00", "07:30:00"]], // -03:30, and -02:30 in summer
    ["Europe/Berlin", ["11:00:00", "12:00:00"]],
    ["Pacific/Pago_Pago", ["23:00:00", "23:00:00"]], // the day before
    ["Pacific/Kiritimati", ["00:00:00", "00:00:00"]], // the day after
  ] as const)("clockTime is local time in the process's TZ (%p): %p", (tz, want) => {
    expect(clockTimesUnder(tz)).toEqual([...want]);
  });

  test.each([
    [UTC, TS],
    [new Date(Date.UTC(2026, 10, 21, 10, 0, 0, 123)), "2026-11-21T10:00:00.123000+00:00"],
    [new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), "2026-01-02T03:04:05.006000+00:00"],
    [new Date(Date.UTC(2026, 11, 31, 23, 59, 59, 999)), "2026-12-31T23:59:59.999000+00:00"],
  ])("logplexTime(%p) is UTC with 6 fractional digits: %p", (at, text) => {
    expect(logplexTime(at)).toBe(text);
  });
});

describe("plain format: `HH:MM:SS web.1  | text`, padded to the longest name", () => {
  test.each([
    ["padded to worker.1", NAMES, "web.1", "09:05:07 web.1    | hello\n"],
    ["the longest name is not padded", NAMES, "worker.1", "09:05:07 worker.1 | hello\n"],
    ["hoku counts for the width", ["a.1"], "a.1", "09:05:07 a.1  | hello\n"],
    ["hoku counts even when not listed", ["web.1"], "web.1", "09:05:07 web.1 | hello\n"],
    ["a long name widens everything", ["web.1", "very-long-worker.10"], "web.1", "09:05:07 web.1               | hello\n"],
  ] as const)("%s", (_name, names, dyno, want) => {
    expect(format(output(dyno, ["hello"]), { names })).toBe(want);
  });

  test("each line of an event gets its own prefix", () => {
    expect(format(output("web.2", ["one", "", "three"]))).toBe(
      "09:05:07 web.2    | one\n09:05:07 web.2    | \n09:05:07 web.2    | three\n",
    );
  });

  test("an event without lines prints nothing", () => {
    expect(format(output("web.1", []))).toBe("");
  });

  test.each([
    ["state", { kind: "state", dyno: "web.1", from: "starting", to: "up", at: LOCAL }, "09:05:07 hoku     | web.1 State changed from starting to up\n"],
    ["crash state", { kind: "state", dyno: "worker.1", from: "up", to: "crashed", at: LOCAL }, "09:05:07 hoku     | worker.1 State changed from up to crashed\n"],
    ["status about a dyno", { kind: "status", dyno: "web.1", text: "Process exited with status 1", at: LOCAL }, "09:05:07 hoku     | web.1 Process exited with status 1\n"],
    ["status from hoku itself", { kind: "status", dyno: RUNNER, text: "Stopping all processes", at: LOCAL }, "09:05:07 hoku     | Stopping all processes\n"],
    ["error status without color", { kind: "status", dyno: "web.1", text: "Error R10", error: true, at: LOCAL }, "09:05:07 hoku     | web.1 Error R10\n"],
  ] as const)("hoku's own lines: %s", (_name, event, want) => {
    expect(format(event)).toBe(want);
  });
});

describe("plain format: colors", () => {
  test.each([
    ["output", output("web.1", [`a ${RED}`])],
    ["state", { kind: "state", dyno: "web.1", from: "starting", to: "up", at: LOCAL } as const],
    ["error status", { kind: "status", dyno: "web.1", text: "Error R10", error: true, at: LOCAL } as const],
  ] as const)("no escape sequences at all with color: false (%s)", (_name, event) => {
    expect(format(event, { color: false })).not.toContain("\x1b");
  });

  test("with color: true the prefix is colored and the text follows", () => {
    expect(format(output("web.1", ["hello"]), { color: true })).toBe("09:05:07 \x1b[36mweb.1    |\x1b[0m hello\n");
  });

  test("hoku's prefix is dim and an error status is red", () => {
    const event: AppEvent = { kind: "status", dyno: "web.1", text: "Error R10", error: true, at: LOCAL };
    expect(format(event, { color: true })).toBe("09:05:07 \x1b[2mhoku     |\x1b[0m web.1 \x1b[31mError R10\x1b[0m\n");
  });

  test("one color per type: web.1 and web.2 match, worker.1 differs", () => {
    const [web1, web2, worker1] = ["web.1", "web.2", "worker.1"].map((d) => prefixColor(format(output(d, ["x"]), { color: true })));
    expect(web1).toBeDefined();
    expect(web2).toBe(web1!);
    expect(worker1).toBeDefined();
    expect(worker1).not.toBe(web1!);
  });

  test.each([
    ["web.1", "web.7"],
    ["worker.1", "worker.12"],
    ["my.type.1", "my.type.2"],
  ])("colorOf(%p) equals colorOf(%p)", (a, b) => {
    const typeIndex = new Map([["web", 0], ["worker", 1], ["my.type", 2]]);
    expect(colorOf(a, typeIndex)).toBe(colorOf(b, typeIndex));
  });

  test("colors come from the Procfile position, so they are stable across runs", () => {
    const codes = ["web.1", "worker.1", "clock.1"].map((d) => colorOf(d, TYPE_INDEX));
    expect(new Set(codes).size).toBe(3);
    expect(["web.1", "worker.1", "clock.1"].map((d) => colorOf(d, new Map(TYPE_INDEX)))).toEqual(codes);
  });
});

describe("ANSI in dyno output: stripped without color, kept with it", () => {
  test.each([
    ["SGR color", RED, "red"],
    ["bold and reset", "\x1b[1mbold\x1b[22m", "bold"],
    ["256-color", "\x1b[38;5;208morange\x1b[0m", "orange"],
    ["cursor movement and erase", "\x1b[2K\x1b[1Gprogress", "progress"],
    ["OSC 8 hyperlink (BEL)", "\x1b]8;;http://x\x07link\x1b]8;;\x07", "link"],
    ["OSC title (ST)", "\x1b]0;title\x1b\\text", "text"],
    ["no escapes", "plain [31m text", "plain [31m text"],
  ])("%s", (_name, line, stripped) => {
    expect(stripAnsi(line)).toBe(stripped);
    expect(format(output("web.1", [line]), { color: false })).toBe(`09:05:07 web.1    | ${stripped}\n`);
    expect(format(output("web.1", [line]), { color: true })).toBe(`09:05:07 \x1b[36mweb.1    |\x1b[0m ${line}\n`);
  });
});

describe("heroku format: Logplex lines", () => {
  const heroku = (event: AppEvent, color = false) => format(event, { format: "heroku", color });

  test.each([
    ["app output", output("web.1", ["hello"], UTC), `${TS} app[web.1]: hello\n`],
    ["no padding for short names", output("worker.1", ["x"], UTC), `${TS} app[worker.1]: x\n`],
    ["one line per output line", output("web.2", ["a", "b"], UTC), `${TS} app[web.2]: a\n${TS} app[web.2]: b\n`],
    ["ANSI stripped without color", output("web.1", [`a ${RED}`], UTC), `${TS} app[web.1]: a red\n`],
    ["state line", { kind: "state", dyno: "web.1", from: "starting", to: "up", at: UTC } as const, `${TS} heroku[web.1]: State changed from starting to up\n`],
    ["crash state line", { kind: "state", dyno: "worker.1", from: "up", to: "crashed", at: UTC } as const, `${TS} heroku[worker.1]: State changed from up to crashed\n`],
    ["status line", { kind: "status", dyno: "web.1", text: "Starting process with command `npm start`", at: UTC } as const, `${TS} heroku[web.1]: Starting process with command \`npm start\`\n`],
    ["error status is not colored", { kind: "status", dyno: "web.1", text: "Error R10 (Boot timeout)", error: true, at: UTC } as const, `${TS} heroku[web.1]: Error R10 (Boot timeout)\n`],
  ] as const)("%s", (_name, event, want) => {
    expect(heroku(event)).toBe(want);
  });

  test("with color, dyno output keeps its ANSI and nothing else is added", () => {
    expect(heroku(output("web.1", [RED], UTC), true)).toBe(`${TS} app[web.1]: ${RED}\n`);
  });

  test("the timestamp is UTC whatever the local clock", () => {
    const at = new Date(Date.UTC(2026, 10, 21, 23, 30, 0, 250));
    expect(heroku(output("web.1", ["x"], at))).toBe("2026-11-21T23:30:00.250000+00:00 app[web.1]: x\n");
  });
});

describe("dyno output is written as the bytes it came as", () => {
  const bytesOf = (formatter: Formatter, event: AppEvent) => [...writtenBytes(formatter, event)];
  const raw = Uint8Array.of(0x61, 0xff, 0xc3, 0x62); // "a", two bytes that are not UTF-8, "b"

  test.each([
    ["plain", "09:05:07 web.1    | "],
    ["heroku", "2026-11-21T10:00:00.000000+00:00 app[web.1]: "],
  ] as const)("%s: bytes that are not UTF-8 are copied, not replaced", (kind, head) => {
    const formatter = createFormatter({ format: kind, color: false, names: NAMES, typeIndex: TYPE_INDEX });
    const at = kind === "plain" ? LOCAL : UTC;
    expect(bytesOf(formatter, output("web.1", [raw], at))).toEqual([...utf8(head), ...raw, 0x0a]);
  });

  test("multi-byte characters are kept, also in a line whose escapes are stripped", () => {
    expect(format(output("web.1", ["café €5 🎉", `\x1b[1mnaïve\x1b[0m 🎉`]))).toBe("09:05:07 web.1    | café €5 🎉\n09:05:07 web.1    | naïve 🎉\n");
  });
});
