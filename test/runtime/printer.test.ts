/** The plain printer: batches, formats at write time, and waits for `ready` (src/runtime/printer.ts). */
import { describe, expect, test } from "bun:test";
import type { AppEvent } from "../../src/runtime/events.ts";
import { LogBus } from "../../src/runtime/log-bus.ts";
import { attachPrinter } from "../../src/runtime/printer.ts";

function sink() {
  const written: string[] = [];
  return { written, sink: { write: (text: string) => written.push(text), flush: () => 0 } };
}

const line = (dyno: string, text: string): AppEvent => ({ kind: "output", dyno, lines: [text], at: new Date(0) });
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("attachPrinter", () => {
  test("one write per burst, in publish order", async () => {
    const bus = new LogBus();
    const { written, sink: out } = sink();
    attachPrinter(bus, (e) => (e.kind === "output" ? `${e.dyno}:${e.lines.join()}\n` : ""), () => {}, { sink: out });
    bus.publish(line("a", "1"));
    bus.publish(line("b", "2"));
    bus.publish(line("a", "3"));
    expect(written).toEqual([]);
    await tick();
    expect(written).toEqual(["a:1\nb:2\na:3\n"]);
  });

  test("events are formatted when written, so a batch waits for `ready` and sees what it settled", async () => {
    const bus = new LogBus();
    const { written, sink: out } = sink();
    let offset = "unknown";
    let answer!: () => void;
    let waiting: Promise<void> | undefined = new Promise<void>((resolve) => (answer = resolve));
    const printer = attachPrinter(bus, (e) => (e.kind === "output" ? `${offset} ${e.lines.join()}\n` : ""), () => {}, { sink: out, ready: () => waiting });
    bus.publish(line("a", "first"));
    await tick();
    bus.publish(line("a", "second"));
    await tick();
    expect(written).toEqual([]);
    offset = "+0530";
    waiting = undefined;
    answer();
    await printer.flush();
    expect(written).toEqual(["+0530 first\n+0530 second\n"]);
  });

  test("flush waits for a held batch", async () => {
    const bus = new LogBus();
    const { written, sink: out } = sink();
    let answer!: () => void;
    let waiting: Promise<void> | undefined = new Promise<void>((resolve) => (answer = resolve));
    const printer = attachPrinter(bus, (e) => (e.kind === "output" ? `${e.lines.join()}\n` : ""), () => {}, { sink: out, ready: () => waiting });
    bus.publish(line("a", "x"));
    await tick();
    const flushed = printer.flush();
    setTimeout(() => {
      waiting = undefined;
      answer();
    }, 20);
    await flushed;
    expect(written).toEqual(["x\n"]);
  });

  test("the last flush writes even when a new wait would start (nothing is lost at exit)", async () => {
    const bus = new LogBus();
    const { written, sink: out } = sink();
    const never = new Promise<void>(() => {});
    let waiting: Promise<void> | undefined;
    const printer = attachPrinter(bus, (e) => (e.kind === "output" ? `${e.lines.join()}\n` : ""), () => {}, { sink: out, ready: () => waiting });
    bus.publish(line("a", "before"));
    await tick();
    waiting = never; // e.g. a new quarter hour whose offset is still being asked
    bus.publish(line("a", "last"));
    await printer.flush();
    expect(written).toEqual(["before\n", "last\n"]);
  });

  test("a formatter that throws detaches the printer, and the bus keeps going", async () => {
    const bus = new LogBus();
    const { written, sink: out } = sink();
    attachPrinter(bus, () => {
      throw new Error("boom");
    }, () => {}, { sink: out });
    const seen: string[] = [];
    bus.subscribe((e) => e.kind === "output" && seen.push(...e.lines));
    bus.publish(line("a", "1"));
    await tick();
    bus.publish(line("a", "2"));
    await tick();
    expect(written).toEqual([]);
    expect(seen).toEqual(["1", "2"]);
  });

  test("a writer that fails (EPIPE) is reported once and nothing more is written", async () => {
    const bus = new LogBus();
    let broken = 0;
    let writes = 0;
    attachPrinter(bus, () => "x\n", () => broken++, {
      sink: {
        write: () => {
          writes++;
          throw new Error("EPIPE");
        },
        flush: () => 0,
      },
    });
    bus.publish(line("a", "1"));
    await tick();
    bus.publish(line("a", "2"));
    await tick();
    expect(broken).toBe(1);
    expect(writes).toBe(1);
  });
});
