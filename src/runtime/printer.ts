/**
 * The plain printer: subscribes to the log bus and writes formatted events to stdout's
 * FileSink, which copies what it is given into its own buffer and writes that out in large
 * pieces; the printer flushes once per burst, not per line. Dyno lines go out as the bytes
 * they came as, each after its prefix: they are laid out in one reused buffer and written
 * with one call per PTY read, so a flood makes no object per line and little garbage.
 * Events are formatted when a batch is written, not when published, so a batch can wait for
 * what its format needs (`ready`: the local UTC offset, when it has to be asked of `date`).
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

/** Where the bytes go: stdout's FileSink (it copies; a flush may return a promise that rejects on EPIPE). */
export interface ByteSink {
  write(data: string | Uint8Array): unknown;
  flush(): unknown;
}

/**
 * `ready`, if given, is asked before each batch is formatted: a promise it returns holds the
 * batch until it settles (the plain format waits for the local UTC offset).
 */
export function attachPrinter(
  bus: LogBus,
  format: Formatter,
  onBrokenPipe: () => void,
  { sink = Bun.stdout.writer(), ready }: { sink?: ByteSink; ready?: () => Promise<void> | undefined } = {},
): Printer {
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
  /** Where a batch's lines are laid out with their prefixes; kept for the next batch (the sink copies). */
  let layout = new Uint8Array(0);
  /** What the formatter writes into; a write that throws (EPIPE) ends the printing, not the formatting. */
  const out: LogWriter = {
    text: write,
    lines(head, { data, spans }) {
      if (broken) return;
      // The lines and their prefixes fit in `room` bytes; the batch's data is copied in after
      // that, and each line is moved down from there: no view and no call into the sink per line.
      const room = data.length + (spans.length / 2) * (head.length + 1);
      if (layout.length < room + data.length) layout = new Uint8Array(Math.max(room + data.length, layout.length * 2));
      layout.set(data, room);
      let at = 0;
      for (let i = 0; i < spans.length; i += 2) {
        layout.set(head, at);
        at += head.length;
        layout.copyWithin(at, room + spans[i]!, room + spans[i + 1]!);
        at += spans[i + 1]! - spans[i]!;
        layout[at++] = LF;
      }
      write(layout.subarray(0, at));
    },
  };
  /** Set while a batch waits for `ready`. */
  let held: Promise<void> | undefined;
  /** Writes what is pending; `now` skips `ready` (the last flush before exit writes with what is known). */
  const drain = (now = false) => {
    scheduled = false;
    if (pending.length === 0 || broken || held) return;
    const wait = now ? undefined : ready?.();
    if (wait) {
      const resume = () => {
        held = undefined;
        drain();
      };
      held = wait.then(resume, resume);
      return;
    }
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
      while (held) await held;
      drain(true);
      if (!broken) await Promise.resolve(sink.flush()).catch(fail);
    },
    close: unsubscribe,
  };
}
