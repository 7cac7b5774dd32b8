/**
 * The plain printer: subscribes to the log bus and writes formatted events to stdout's
 * FileSink, which copies what it is given into its own buffer and writes that out in large
 * pieces; the printer flushes once per burst, not per line. Dyno lines go out as the bytes
 * they came as, each after its prefix: they are laid out in one reused buffer and written
 * with one call per PTY read, so a flood makes no object per line and little garbage.
 * When the reader goes away (EPIPE: `hoku start | head`), it stops writing and tells
 * its owner once.
 */
import type { AppEvent } from "./events.ts";
import type { Formatter, LogWriter } from "./log-format.ts";
import type { LogBus } from "./log-bus.ts";

export interface Printer {
  /** Writes out everything still buffered. */
  flush(): Promise<void>;
  /** Stops listening. */
  close(): void;
}

/** Bytes of dyno output held before a batch is written at once, without waiting for the next turn. */
const HIGH_WATER = 64 * 1024;
const LF = 0x0a;
/** Half the layout buffer: the most bytes of lines, prefixes and newlines written at once. */
const LAYOUT_HALF = 64 * 1024;

/** Where the bytes go: stdout's FileSink (it copies; a flush may return a promise that rejects on EPIPE). */
export interface ByteSink {
  write(data: string | Uint8Array): unknown;
  flush(): unknown;
}

export function attachPrinter(bus: LogBus, format: Formatter, onBrokenPipe: () => void, { sink = Bun.stdout.writer() }: { sink?: ByteSink } = {}): Printer {
  let pending: AppEvent[] = [];
  /** Bytes of dyno output in `pending`, to write a flood in bounded batches. */
  let pendingBytes = 0;
  let scheduled = false;
  let broken = false;
  const fail = () => {
    if (broken) return;
    broken = true;
    pending = [];
    onBrokenPipe();
  };
  const write = (data: string | Uint8Array) => {
    if (broken) return;
    try {
      sink.write(data);
    } catch {
      fail();
    }
  };
  /**
   * Where lines are laid out with their prefixes before they go to the sink (which copies them),
   * reused: a window of a batch's bytes is copied into its upper half, and each line is moved
   * from there into the lower half after its prefix. No view and no sink call per line, and a
   * fixed size: one buffer for a whole read grew with it (~3 MB for a read of empty lines with
   * Logplex prefixes) and was kept for the run.
   */
  let layout: Uint8Array | undefined;
  /** What the formatter writes into; a write that throws (EPIPE) ends the printing, not the formatting. */
  const out: LogWriter = {
    text: write,
    lines(head, { data, spans }) {
      layout ??= new Uint8Array(2 * LAYOUT_HALF);
      const perLine = head.length + 1;
      for (let first = 0; first < spans.length && !broken; ) {
        const from = spans[first]!;
        // The window: as many lines as fit in the lower half with their prefixes and newlines.
        let end = first + 2;
        while (end < spans.length && spans[end + 1]! - from + ((end - first) / 2 + 1) * perLine <= LAYOUT_HALF) end += 2;
        const to = spans[end - 1]!;
        if (to - from + perLine > LAYOUT_HALF) {
          // One line too long for the window (the splitter's are at most 10000 bytes): as it is.
          write(head);
          write(data.subarray(from, to));
          write("\n");
        } else {
          layout.set(data.subarray(from, to), LAYOUT_HALF);
          let at = 0;
          for (let i = first; i < end; i += 2) {
            layout.set(head, at);
            at += head.length;
            layout.copyWithin(at, LAYOUT_HALF + spans[i]! - from, LAYOUT_HALF + spans[i + 1]! - from);
            at += spans[i + 1]! - spans[i]!;
            layout[at++] = LF;
          }
          write(layout.subarray(0, at));
        }
        first = end;
      }
    },
  };
  /** Formats and writes what is pending, then flushes the sink once. */
  const drain = () => {
    scheduled = false;
    if (pending.length === 0 || broken) return;
    const batch = pending;
    pending = [];
    pendingBytes = 0;
    try {
      for (const event of batch) format(event, out);
    } catch (error) {
      // As the bus does for a subscriber that throws: detach, say so, keep the dynos running.
      unsubscribe();
      process.stderr.write(`hoku: the log printer failed and was detached: ${String(error)}\n`);
      return;
    }
    if (broken) return;
    try {
      const flushed = sink.flush();
      if (flushed instanceof Promise) flushed.catch(fail);
    } catch {
      fail();
    }
  };
  const unsubscribe = bus.subscribe((event) => {
    if (broken) return;
    pending.push(event);
    if (event.kind === "output") pendingBytes += event.data.length;
    if (pendingBytes >= HIGH_WATER) drain();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(drain);
    }
  });
  return {
    async flush() {
      drain();
      if (!broken) await Promise.resolve(sink.flush()).catch(fail);
    },
    close: unsubscribe,
  };
}
