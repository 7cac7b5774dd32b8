/**
 * The plain printer: subscribes to the log bus and writes formatted events to a
 * file descriptor, batching writes (one write per burst, not per line).
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

export function attachPrinter(bus: LogBus, format: (event: AppEvent) => string, sink = Bun.stdout.writer()): Printer {
  let pending = "";
  let scheduled = false;
  const drain = () => {
    scheduled = false;
    if (pending === "") return;
    sink.write(pending);
    pending = "";
    sink.flush();
  };
  const unsubscribe = bus.subscribe((event) => {
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
      await sink.flush();
    },
    close: unsubscribe,
  };
}
