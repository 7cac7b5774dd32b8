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

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)}M`;

export function DynoList({ dynos, selected, metrics, typeIndex, now, width }: DynoListProps) {
  const nameWidth = Math.max(4, ...dynos.map((d) => d.name.length));
  const sparkWidth = width >= 110 ? 10 : 0;
  const wide = width >= 96; // room for port and uptime
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="gray" paddingX={1}>
      {dynos.map((dyno, i) => {
        const m = metrics(dyno.name);
        const up = dyno.state === "up" && dyno.startedAt ? formatDuration(Math.floor((now.getTime() - dyno.startedAt.getTime()) / 1000) * 1000) : "-";
        return (
          <Box key={dyno.name} gap={1} height={1} overflow="hidden">
            <Text inverse={i === selected}>{i === selected ? "▸" : " "}</Text>
            <Text color={dynoColor(dyno.name, typeIndex)} bold={i === selected}>
              {dyno.name.padEnd(nameWidth)}
            </Text>
            <Text color={STATE_COLORS[dyno.state]}>{dyno.state.padEnd(8)}</Text>
            <Text dimColor>↻</Text>
            <Text>{String(dyno.restarts).padStart(2)}</Text>
            <Text dimColor>exit</Text>
            <Text color={dyno.lastExitStatus ? "red" : undefined}>{String(dyno.lastExitStatus ?? "-").padStart(3)}</Text>
            {wide && <Text dimColor>port</Text>}
            {wide && <Text>{String(dyno.spec.port ?? "-").padEnd(5)}</Text>}
            {wide && <Text dimColor>up</Text>}
            {wide && <Text>{up.padEnd(7)}</Text>}
            <Text dimColor>cpu</Text>
            <Text>{`${(m?.cpu ?? 0).toFixed(1)}%`.padStart(6)}</Text>
            {sparkWidth > 0 && <Text color="cyan">{sparkline(m?.cpuHistory ?? [], sparkWidth, 100)}</Text>}
            <Text dimColor>rss</Text>
            <Text>{mb(m?.rssBytes ?? 0).padStart(5)}</Text>
            {sparkWidth > 0 && <Text color="magenta">{sparkline(m?.rssHistory ?? [], sparkWidth)}</Text>}
          </Box>
        );
      })}
    </Box>
  );
}
