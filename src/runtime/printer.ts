/**
 * The plain printer: subscribes to the log bus and writes formatted events to stdout,
 * batching writes (one write per burst, not per line). When the reader goes away
 * (EPIPE: `hoku start | head`), it stops writing and tells its owner once.
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

export function attachPrinter(
  bus: LogBus,
  format: (event: AppEvent) => string,
  onBrokenPipe: () => void,
  sink = Bun.stdout.writer(),
): Printer {
  let pending = "";
  let scheduled = false;
  let broken = false;
  const fail = () => {
    if (broken) return;
    broken = true;
    pending = "";
    onBrokenPipe();
  };
  const drain = () => {
    scheduled = false;
    if (pending === "" || broken) return;
    try {
      sink.write(pending);
      pending = "";
      const flushed = sink.flush();
      if (flushed instanceof Promise) flushed.catch(fail);
    } catch {
      fail();
    }
  };
  const unsubscribe = bus.subscribe((event) => {
    if (broken) return;
    pending += format(event);
    if (pending.length >= HIGH_WATER) drain();
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
