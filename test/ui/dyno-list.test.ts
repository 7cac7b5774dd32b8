/** The dyno list's figures (src/ui/DynoList.tsx) and the text tui.tsx compares before a redraw. */
import { describe, expect, test } from "bun:test";
import type { DynoView } from "../../src/ui/controller.ts";
import type { DynoMetrics } from "../../src/ui/dyno-metrics.ts";
import { dynoFigures, dynoListText } from "../../src/ui/DynoList.tsx";

const NOW = new Date("2026-01-01T10:00:00Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);

function dyno(extra: Partial<DynoView> = {}): DynoView {
  return { name: "web.1", spec: { type: "web", port: 5000 }, state: "up", restarts: 0, lastExitStatus: undefined, startedAt: ago(5000), process: { pid: 42 }, ...extra };
}

const metrics = (cpu: number[], rss: number[]): DynoMetrics => ({ cpu: cpu.at(-1)!, rssBytes: rss.at(-1)!, cpuHistory: cpu, rssHistory: rss });

describe("dynoFigures", () => {
  test.each([
    [0, "<1m"],
    [5_000, "<1m"],
    [59_999, "<1m"],
    [60_000, "1m"],
    [3 * 60_000 + 10_000, "3m"],
    [2 * 3_600_000 + 5 * 60_000, "2h 5m"],
  ])("up %i ms shows %p (to the minute: no redraw every second)", (ms, text) => {
    expect(dynoFigures(dyno({ startedAt: ago(ms) }), undefined, NOW).up.trim()).toBe(text);
  });

  test("a dyno that is not up shows no uptime", () => {
    expect(dynoFigures(dyno({ state: "crashed" }), undefined, NOW).up.trim()).toBe("-");
  });

  test("a short history fills the sparkline with its first value", () => {
    const f = dynoFigures(dyno(), metrics([0, 100], [5, 5]), NOW);
    expect(f.cpuHistory).toBe("▁▁▁▁▁▁▁▁▁█");
    expect(f.rssHistory).toBe("██████████");
  });
});

describe("dynoListText", () => {
  const list = (m: DynoMetrics, now = NOW) => dynoListText([dyno()], () => m, now);

  test("is the same a second later when the figures shown are the same", () => {
    expect(list(metrics([0, 0], [2e6, 2e6]), new Date(NOW.getTime() + 1000))).toBe(list(metrics([0, 0, 0], [2e6, 2e6, 2e6])));
  });

  test("changes with the CPU shown, and with a bar of a sparkline", () => {
    expect(list(metrics([0, 0.5], [2e6, 2e6]))).not.toBe(list(metrics([0, 0], [2e6, 2e6])));
    // RSS shown as 2M both times; the RSS sparkline's last bar is lower
    expect(list(metrics([0, 0], [2.4e6, 1.7e6]))).not.toBe(list(metrics([0, 0], [2.4e6, 2.4e6])));
  });
});
