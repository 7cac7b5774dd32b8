import { describe, expect, test } from "bun:test";
import type { AppEvent } from "../../src/runtime/events.ts";
import { RUNNER } from "../../src/runtime/log-format.ts";
import { LogStore, type LogLine } from "../../src/ui/log-store.ts";
import type { RingBuffer } from "../../src/runtime/ring-buffer.ts";
import { outputOf } from "../helpers/lines.ts";

const AT = new Date("2026-01-01T10:00:00Z");
const output = (dyno: string, ...lines: string[]): AppEvent => outputOf(dyno, lines, AT);
const lines = (ring: RingBuffer<LogLine>): LogLine[] => Array.from({ length: ring.length }, (_, i) => ring.at(i)!);
const textsOf = (ring: RingBuffer<LogLine>) => lines(ring).map((l) => l.text);

describe("LogStore.add", () => {
  test.each<[string, AppEvent, Omit<LogLine, "at">[]]>([
    [
      "output: one line per entry, source app",
      output("web.1", "hello", "world"),
      [
        { dyno: "web.1", text: "hello", source: "app" },
        { dyno: "web.1", text: "world", source: "app" },
      ],
    ],
    [
      "output: lines are sanitized (SGR kept, cursor moves dropped, \\r progress, tabs)",
      output("web.1", "\x1b[2J\x1b[31mred\x1b[0m", "10%\r20%\r30%", "a\tb"),
      [
        { dyno: "web.1", text: "\x1b[31mred\x1b[0m", source: "app" },
        { dyno: "web.1", text: "30%", source: "app" },
        { dyno: "web.1", text: "a    b", source: "app" },
      ],
    ],
    ["output: an empty chunk adds nothing", output("web.1"), []],
    [
      "state: a heroku line",
      { kind: "state", dyno: "worker.1", from: "starting", to: "up", pid: 42, at: AT },
      [{ dyno: "worker.1", text: "State changed from starting to up", source: "heroku" }],
    ],
    [
      "status: a heroku line",
      { kind: "status", dyno: "web.1", text: "Starting process with command `node server.js`", at: AT },
      [{ dyno: "web.1", text: "Starting process with command `node server.js`", source: "heroku" }],
    ],
    [
      "status with error flag",
      { kind: "status", dyno: "web.1", text: "Process exited with status 1", error: true, at: AT },
      [{ dyno: "web.1", text: "Process exited with status 1", source: "heroku", error: true }],
    ],
  ])("%s", (_name, event, expected) => {
    const store = new LogStore(100, 2);
    store.add(event);
    const all = lines(store.view());
    expect(all).toHaveLength(expected.length);
    all.forEach((l, i) => {
      expect(l).toMatchObject(expected[i]!);
      expect(l.at).toBe(AT);
    });
    expect(lines(store.view(event.dyno))).toEqual(all);
  });

  test("a status without error is not flagged", () => {
    const store = new LogStore(10, 1);
    store.add({ kind: "status", dyno: "web.1", text: "ok", at: AT });
    expect(store.view().at(0)!.error).toBeFalsy();
  });
});

describe("views", () => {
  test("per-dyno views hold only that dyno's lines, the all view holds every line in order", () => {
    const store = new LogStore(100, 3);
    store.add(output("web.1", "w1"));
    store.add(output("worker.1", "k1"));
    store.add({ kind: "state", dyno: "web.1", from: "starting", to: "up", at: AT });
    store.add(output("web.2", "w2"));
    store.add(output("worker.1", "k2"));
    expect(textsOf(store.view())).toEqual(["w1", "k1", "State changed from starting to up", "w2", "k2"]);
    expect(textsOf(store.view("web.1"))).toEqual(["w1", "State changed from starting to up"]);
    expect(textsOf(store.view("worker.1"))).toEqual(["k1", "k2"]);
    expect(textsOf(store.view("web.2"))).toEqual(["w2"]);
  });

  test("a dyno without lines has an empty view", () => {
    const store = new LogStore(100, 1);
    store.add(output("web.1", "x"));
    expect(store.view("clock.1").length).toBe(0);
  });

  test("the same dyno always gets the same ring", () => {
    const store = new LogStore(10, 1);
    const before = store.view("web.1");
    store.add(output("web.1", "x"));
    expect(store.view("web.1")).toBe(before);
    expect(before.length).toBe(1);
  });

  test.each([
    ["status", { kind: "status", dyno: RUNNER, text: "Shutting down", at: AT }],
    ["output", output(RUNNER, "runner says hi")],
  ] as const)("hoku runner lines (%s) are in the all view only", (_kind, event) => {
    expect(RUNNER).toBe("hoku");
    const store = new LogStore(10, 1);
    store.add(output("web.1", "dyno line"));
    store.add(event as AppEvent);
    expect(textsOf(store.view())).toHaveLength(2);
    expect(store.view().at(1)!.dyno).toBe("hoku");
    expect(store.view(RUNNER).length).toBe(0);
    expect(textsOf(store.view("web.1"))).toEqual(["dyno line"]);
  });
});

describe("capacity", () => {
  test.each([
    // perDyno, dynos, all-view capacity
    [5, 1, 5],
    [5, 3, 15],
    [100, 4, 400],
    [5, 0, 5], // at least one dyno's worth
  ])("perDyno %i x %i dynos -> all view capacity %i", (perDyno, dynos, expected) => {
    const store = new LogStore(perDyno, dynos);
    expect(store.view().capacity).toBe(expected);
    expect(store.view("web.1").capacity).toBe(perDyno);
  });

  test("each dyno keeps only its newest perDyno lines", () => {
    const store = new LogStore(3, 2);
    for (let i = 0; i < 10; i++) store.add(output("web.1", `w${i}`));
    store.add(output("worker.1", "k0"));
    expect(textsOf(store.view("web.1"))).toEqual(["w7", "w8", "w9"]);
    expect(store.view("web.1").dropped).toBe(7);
    expect(textsOf(store.view("worker.1"))).toEqual(["k0"]);
    // all view: 3 x 2 = 6 lines
    expect(textsOf(store.view())).toEqual(["w5", "w6", "w7", "w8", "w9", "k0"]);
    expect(store.view().dropped).toBe(5);
  });

  test("a chatty dyno does not push a quiet one's lines out of its own view", () => {
    const store = new LogStore(2, 2);
    store.add(output("worker.1", "quiet"));
    for (let i = 0; i < 50; i++) store.add(output("web.1", `noise ${i}`));
    expect(textsOf(store.view("worker.1"))).toEqual(["quiet"]);
    expect(textsOf(store.view())).not.toContain("quiet");
  });
});

describe("counters", () => {
  test("received counts every line, including dropped ones and runner lines", () => {
    const store = new LogStore(2, 1);
    store.add(output("web.1", "a", "b", "c"));
    store.add({ kind: "state", dyno: "web.1", from: "up", to: "crashed", at: AT });
    store.add({ kind: "status", dyno: RUNNER, text: "hoku line", at: AT });
    store.add(output("web.1"));
    expect(store.received).toBe(5);
    expect(store.view().length).toBe(2);
  });

  test("version moves on every line and on clear", () => {
    const store = new LogStore(10, 1);
    expect(store.version).toBe(0);
    store.add(output("web.1", "a"));
    const afterOne = store.version;
    expect(afterOne).toBeGreaterThan(0);
    store.add(output("web.1", "b", "c"));
    expect(store.version).toBeGreaterThan(afterOne);
    const beforeClear = store.version;
    store.clear();
    expect(store.version).toBeGreaterThan(beforeClear);
  });

  test("an empty output chunk does not move version or received", () => {
    const store = new LogStore(10, 1);
    store.add(output("web.1"));
    expect(store.version).toBe(0);
    expect(store.received).toBe(0);
  });
});

describe("clear", () => {
  test("empties the all view and every dyno view, and lines can come again", () => {
    const store = new LogStore(10, 2);
    store.add(output("web.1", "a"));
    store.add(output("worker.1", "b"));
    store.add({ kind: "status", dyno: RUNNER, text: "r", at: AT });
    store.clear();
    expect(store.view().length).toBe(0);
    expect(store.view("web.1").length).toBe(0);
    expect(store.view("worker.1").length).toBe(0);
    store.add(output("web.1", "again"));
    expect(textsOf(store.view())).toEqual(["again"]);
    expect(textsOf(store.view("web.1"))).toEqual(["again"]);
    expect(store.view("worker.1").length).toBe(0);
  });

  test("does not reset received (lines ever received)", () => {
    const store = new LogStore(10, 1);
    store.add(output("web.1", "a", "b"));
    store.clear();
    expect(store.received).toBe(2);
  });
});
