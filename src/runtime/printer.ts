/**
 * The plain printer: subscribes to the log bus and writes formatted events to stdout's
 * FileSink, which copies what it is given into its own buffer and writes that out in large
 * pieces; the printer flushes once per burst, not per line. Dyno lines go out as the bytes
 * they came as: no decoding, no string per line, and so less garbage under a flood.
 * Events are formatted when a batch is written, not when published, so a batch can wait for
 * what its format needs (`ready`: the local UTC offset, asked of `date` while the dynos are
 * being spawned).
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
const NEWLINE = Uint8Array.of(0x0a);

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
  /** What the formatter writes into; a write that throws (EPIPE) ends the printing, not the formatting. */
  const out: LogWriter = {
    text(text) {
      if (broken) return;
      try {
        sink.write(text);
      } catch {
        fail();
      }
    },
    line(head, body) {
      if (broken) return;
      try {
        sink.write(head);
        sink.write(body);
        sink.write(NEWLINE);
      } catch {
        fail();
      }
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
    if (event.kind === "output") for (const line of event.lines) pendingBytes += line.length;
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
