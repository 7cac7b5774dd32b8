/**
 * Per-dyno CPU % and RSS history for the dyno list, sampled once a second from
 * /proc by session (a dyno's pid is its session id, so grandchildren count too).
 */
import type { Dyno } from "../runtime/dyno.ts";
import { cpuPercent, readSessionUsage } from "../runtime/proc-stats.ts";

const HISTORY = 30;

/** What the dyno list shows for one dyno. */
export interface DynoMetrics {
  readonly cpu: number;
  readonly rssBytes: number;
  readonly cpuHistory: readonly number[];
  readonly rssHistory: readonly number[];
}

export class MetricsSampler {
  readonly #last = new Map<string, { pid: number; ticks: number; at: number }>();
  readonly #metrics = new Map<string, DynoMetrics>();

  get(name: string): DynoMetrics | undefined {
    return this.#metrics.get(name);
  }

  /** Takes one sample of every running dyno. */
  sample(dynos: readonly Dyno[], now = performance.now()): void {
    const running = dynos.filter((d) => d.process);
    const usage = readSessionUsage(new Set(running.map((d) => d.process!.pid)));
    for (const dyno of dynos) {
      const pid = dyno.process?.pid;
      const used = pid === undefined ? undefined : usage.get(pid);
      const previous = this.#metrics.get(dyno.name);
      const last = this.#last.get(dyno.name);
      const cpu = used && last && last.pid === pid ? cpuPercent(last.ticks, used.ticks, now - last.at) : 0;
      const rssBytes = used?.rssBytes ?? 0;
      if (used && pid !== undefined) this.#last.set(dyno.name, { pid, ticks: used.ticks, at: now });
      this.#metrics.set(dyno.name, {
        cpu,
        rssBytes,
        cpuHistory: [...(previous?.cpuHistory ?? []), cpu].slice(-HISTORY),
        rssHistory: [...(previous?.rssHistory ?? []), rssBytes].slice(-HISTORY),
      });
    }
  }
}
