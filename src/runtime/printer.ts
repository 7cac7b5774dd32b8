/**
 * The plain printer: subscribes to the log bus and writes formatted events to stdout,
 * batching writes (one write per burst, not per line). Events are formatted when a batch
 * is written, not when published, so a batch can wait for what its format needs (`ready`:
 * the local UTC offset, asked of `date` while the dynos are being spawned).
 * When the reader goes away (EPIPE: `hoku start | head`), it stops writing and tells
 * its owner once.
 */
import type { AppEvent } from "./events.ts";
import type { LogBus } from "./log-bus.ts";

export interface Printer {
  /** Writes out everything still buffered. */
  flush(): Promise<void>;
  /** Stops listening. */
  close(): void;
}

const HIGH_WATER = 64 * 1024;

/** Where the text goes: stdout's FileSink (a flush may return a promise that rejects on EPIPE). */
export interface TextSink {
  write(text: string): unknown;
  flush(): unknown;
}

/**
 * `ready`, if given, is asked before each batch is formatted: a promise it returns holds the
 * batch until it settles (the plain format waits for the local UTC offset).
 */
export function attachPrinter(
  bus: LogBus,
  format: (event: AppEvent) => string,
  onBrokenPipe: () => void,
  { sink = Bun.stdout.writer(), ready }: { sink?: TextSink; ready?: () => Promise<void> | undefined } = {},
): Printer {
  let pending: AppEvent[] = [];
  /** Characters of dyno output in `pending`, to write a flood in bounded batches. */
  let pendingChars = 0;
  let scheduled = false;
  let broken = false;
  const fail = () => {
    if (broken) return;
    broken = true;
    pending = [];
    onBrokenPipe();
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
    let text = "";
    try {
      for (const event of pending) text += format(event);
    } catch (error) {
      // As the bus does for a subscriber that throws: detach, say so, keep the dynos running.
      unsubscribe();
      pending = [];
      process.stderr.write(`hoku: the log printer failed and was detached: ${String(error)}\n`);
      return;
    }
    pending = [];
    pendingChars = 0;
    try {
      sink.write(text);
      const flushed = sink.flush();
      if (flushed instanceof Promise) flushed.catch(fail);
    } catch {
      fail();
    }
  };
  const unsubscribe = bus.subscribe((event) => {
    if (broken) return;
    pending.push(event);
    if (event.kind === "output") for (const line of event.lines) pendingChars += line.length;
    if (pendingChars >= HIGH_WATER) drain();
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
