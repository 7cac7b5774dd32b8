/** The plain printer: batches, one flush per burst, bytes as they came (src/runtime/printer.ts). */
import { describe, expect, test } from "bun:test";
import type { AppEvent } from "../../src/runtime/events.ts";
import { LogBus } from "../../src/runtime/log-bus.ts";
import { linesOf, lineText } from "../../src/runtime/line-splitter.ts";
import { createFormatter, type LogWriter } from "../../src/runtime/log-format.ts";
import { attachPrinter } from "../../src/runtime/printer.ts";
import { outputOf } from "../helpers/lines.ts";

/**
 * A sink like stdout's FileSink: it copies each write into a buffer, which a flush sends on;
 * `written` holds what each flush sent, decoded.
 */
function sink() {
  const written: string[] = [];
  let buffered = "";
  const decoder = new TextDecoder();
  return {
    written,
    sink: {
      write: (data: string | Uint8Array) => (buffered += typeof data === "string" ? data : decoder.decode(data)),
      flush: () => {
        if (buffered) written.push(buffered);
        buffered = "";
        return 0;
      },
    },
  };
}

const line = (dyno: string, text: string): AppEvent => outputOf(dyno, [text]);
const joined = (event: AppEvent) => (event.kind === "output" ? linesOf(event).map(lineText).join() : "");
/** A formatter from a function of the event to text. */
const as = (text: (event: AppEvent) => string) => (event: AppEvent, out: LogWriter) => out.text(text(event));
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("attachPrinter", () => {
  test("one flush per burst, in publish order", async () => {
    const bus = new LogBus();
    const { written, sink: out } = sink();
    attachPrinter(bus, as((e) => `${e.dyno}:${joined(e)}\n`), () => {}, { sink: out });
    bus.publish(line("a", "1"));
    bus.publish(line("b", "2"));
    bus.publish(line("a", "3"));
    expect(written).toEqual([]);
    await tick();
    expect(written).toEqual(["a:1\nb:2\na:3\n"]);
  });

  test("a formatter that throws detaches the printer, and the bus keeps going", async () => {
    const bus = new LogBus();
    const { written, sink: out } = sink();
    attachPrinter(bus, () => {
      throw new Error("boom");
    }, () => {}, { sink: out });
    const seen: string[] = [];
    bus.subscribe((e) => e.kind === "output" && seen.push(joined(e)));
    bus.publish(line("a", "1"));
    await tick();
    bus.publish(line("a", "2"));
    await tick();
    expect(written).toEqual([]);
    expect(seen).toEqual(["1", "2"]);
  });

  test("a write that fails (EPIPE) is reported once and nothing more is written", async () => {
    const bus = new LogBus();
    let broken = 0;
    let writes = 0;
    attachPrinter(bus, as(() => "x\n"), () => broken++, {
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

  test("a flood is written in batches of about 64 KiB, each the bytes of whole lines", async () => {
    const bus = new LogBus();
    const { written, sink: out } = sink();
    attachPrinter(bus, as((e) => `${joined(e)}\n`), () => {}, { sink: out });
    const text = "x".repeat(79);
    for (let i = 0; i < 2000; i++) bus.publish(line("a", text));
    await tick();
    expect(written.length).toBeGreaterThan(1);
    // The printer counts the bytes of the reads the lines came in (outputOf: 1 stray byte, the
    // line, CRLF), and writes a batch once they reach 64 KiB.
    const linesPerBatch = Math.ceil((64 * 1024) / (1 + 79 + 2));
    for (const batch of written.slice(0, -1)) expect(batch.length).toBe(linesPerBatch * 80);
    expect(written.join("")).toBe(`${text}\n`.repeat(2000));
  });

  test("a flush that rejects (EPIPE found later) is reported once and nothing more is written", async () => {
    const bus = new LogBus();
    let broken = 0;
    let writes = 0;
    attachPrinter(bus, as(() => "x\n"), () => broken++, {
      sink: { write: () => writes++, flush: () => Promise.reject(new Error("EPIPE")) },
    });
    bus.publish(line("a", "1"));
    await tick();
    await tick();
    bus.publish(line("a", "2"));
    await tick();
    expect(broken).toBe(1);
    expect(writes).toBe(1);
  });

  test("dyno lines reach the sink as the bytes they came as, after the formatter's prefix", async () => {
    const bus = new LogBus();
    const chunks: Uint8Array[] = [];
    const formatter = createFormatter({ format: "plain", color: false, names: ["web.1"], typeIndex: new Map([["web", 0]]) });
    const printer = attachPrinter(bus, formatter, () => {}, {
      sink: { write: (data: string | Uint8Array) => chunks.push(typeof data === "string" ? new TextEncoder().encode(data) : data.slice()), flush: () => 0 },
    });
    const raw = Uint8Array.of(0x68, 0x69, 0xff, 0xe2, 0x82, 0xac); // "hi", a byte that is not UTF-8, "€"
    bus.publish(outputOf("web.1", [raw, new Uint8Array(0)], new Date(2026, 10, 22, 1, 2, 3)));
    await printer.flush();
    const head = [...new TextEncoder().encode("01:02:03 web.1 | ")];
    expect([...new Uint8Array(Bun.concatArrayBuffers(chunks))]).toEqual([...head, ...raw, 0x0a, ...head, 0x0a]);
  });

  test("batches of every size are laid out whole, one after another, in the buffer the printer reuses", async () => {
    const bus = new LogBus();
    const { written, sink: out } = sink();
    const formatter = createFormatter({ format: "plain", color: false, names: ["web.1", "worker.1"], typeIndex: new Map([["web", 0], ["worker", 1]]) });
    const printer = attachPrinter(bus, formatter, () => {}, { sink: out });
    const at = new Date(2026, 10, 22, 1, 2, 3);
    const big = Array.from({ length: 3000 }, (_, i) => `${String(i).padStart(4, "0")}-${"é".repeat(40)}`);
    bus.publish(outputOf("web.1", big, at));
    bus.publish(outputOf("worker.1", ["short", "", "€ last"], at));
    bus.publish(outputOf("web.1", ["after"], at));
    await printer.flush();
    const want = [
      ...big.map((text) => `01:02:03 web.1    | ${text}\n`),
      "01:02:03 worker.1 | short\n01:02:03 worker.1 | \n01:02:03 worker.1 | € last\n",
      "01:02:03 web.1    | after\n",
    ].join("");
    expect(written.join("")).toBe(want);
  });

  test("a line longer than the layout's window is written as it is, between windows of short ones", async () => {
    const bus = new LogBus();
    const { written, sink: out } = sink();
    const formatter = createFormatter({ format: "plain", color: false, names: ["web.1"], typeIndex: new Map([["web", 0]]) });
    const printer = attachPrinter(bus, formatter, () => {}, { sink: out });
    const long = "L".repeat(70 * 1024);
    bus.publish(outputOf("web.1", ["before", long, "after"], new Date(2026, 10, 22, 1, 2, 3)));
    await printer.flush();
    expect(written.join("")).toBe(["before", long, "after"].map((text) => `01:02:03 web.1 | ${text}\n`).join(""));
  });
});
