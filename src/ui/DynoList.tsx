/** The dyno list: state, restarts, last exit, port, uptime, CPU and RSS with sparklines. */
import { Box, Text } from "ink";
import { formatDuration } from "../app/duration.ts";
import { dynoColor, STATE_COLORS } from "./colors.ts";
import type { DynoView } from "./controller.ts";
import type { DynoMetrics } from "./dyno-metrics.ts";
import { sparkline } from "./sparkline.ts";

export interface DynoListProps {
  readonly dynos: readonly DynoView[];
  readonly selected: number;
  readonly metrics: (name: string) => DynoMetrics | undefined;
  readonly typeIndex: ReadonlyMap<string, number>;
  readonly now: Date;
  readonly width: number;
}

const SPARK_WIDTH = 10;
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)}M`;
/**
 * Uptime to the minute, "<1m" in the first one: in seconds, it redrew the whole screen every
 * second (an Ink frame costs ~30 ms of CPU in hoku's first minute, before the JIT has warmed up).
 */
const uptime = (ms: number) => (ms < 60_000 ? "<1m" : formatDuration(ms));
/** A history shorter than the sparkline, drawn as if its first value had held before it: a new dyno's sparkline does not grow (and redraw) bar by bar. */
const filled = (values: readonly number[]) => (values.length >= SPARK_WIDTH ? values : [...Array<number>(SPARK_WIDTH - values.length).fill(values[0] ?? 0), ...values]);

/** The text of each figure a dyno's row shows (sparklines at their widest). */
export function dynoFigures(dyno: DynoView, m: DynoMetrics | undefined, now: Date) {
  return {
    state: dyno.state.padEnd(8),
    restarts: String(dyno.restarts).padStart(2),
    exit: String(dyno.lastExitStatus ?? "-").padStart(3),
    port: String(dyno.spec.port ?? "-").padEnd(5),
    up: (dyno.state === "up" && dyno.startedAt ? uptime(now.getTime() - dyno.startedAt.getTime()) : "-").padEnd(7),
    cpu: `${(m?.cpu ?? 0).toFixed(1)}%`.padStart(6),
    cpuHistory: sparkline(filled(m?.cpuHistory ?? []), SPARK_WIDTH, 100),
    rss: mb(m?.rssBytes ?? 0).padStart(5),
    rssHistory: sparkline(filled(m?.rssHistory ?? []), SPARK_WIDTH),
  };
}

/** Everything the dyno list shows, as one string: it needs a redraw only when this changes. */
export function dynoListText(dynos: readonly DynoView[], metrics: (name: string) => DynoMetrics | undefined, now: Date): string {
  return dynos.map((d) => `${d.name} ${Object.values(dynoFigures(d, metrics(d.name), now)).join(" ")}`).join("\n");
}

export function DynoList({ dynos, selected, metrics, typeIndex, now, width }: DynoListProps) {
  const nameWidth = Math.max(4, ...dynos.map((d) => d.name.length));
  const sparks = width >= 110;
  const wide = width >= 96; // room for port and uptime
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="gray" paddingX={1}>
      {dynos.map((dyno, i) => {
        const f = dynoFigures(dyno, metrics(dyno.name), now);
        return (
          <Box key={dyno.name} gap={1} height={1} overflow="hidden">
            <Text inverse={i === selected}>{i === selected ? "▸" : " "}</Text>
            <Text color={dynoColor(dyno.name, typeIndex)} bold={i === selected}>
              {dyno.name.padEnd(nameWidth)}
            </Text>
            <Text color={STATE_COLORS[dyno.state]}>{f.state}</Text>
            <Text dimColor>↻</Text>
            <Text>{f.restarts}</Text>
            <Text dimColor>exit</Text>
            <Text color={dyno.lastExitStatus ? "red" : undefined}>{f.exit}</Text>
            {wide && <Text dimColor>port</Text>}
            {wide && <Text>{f.port}</Text>}
            {wide && <Text dimColor>up</Text>}
            {wide && <Text>{f.up}</Text>}
            <Text dimColor>cpu</Text>
            <Text>{f.cpu}</Text>
            {sparks && <Text color="cyan">{f.cpuHistory}</Text>}
            <Text dimColor>rss</Text>
            <Text>{f.rss}</Text>
            {sparks && <Text color="magenta">{f.rssHistory}</Text>}
          </Box>
        );
      })}
    </Box>
  );
}
