/** The log pane: the rows that end at the viewport's bottom, with colored prefixes and search highlights. */
import { Box, Text } from "ink";
import { dynoColor } from "./colors.ts";
import type { Row } from "./log-view.ts";
import { plainText } from "./sanitize.ts";
import { splitMatches } from "./log-view.ts";

export interface LogPaneProps {
  readonly rows: readonly Row[];
  readonly height: number;
  readonly prefixWidth: number;
  readonly typeIndex: ReadonlyMap<string, number>;
  readonly query: string;
}

export function LogPane({ rows, height, prefixWidth, typeIndex, query }: LogPaneProps) {
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      {rows.map((row, i) => (
        <Box key={i} flexShrink={0} height={1}>
          <Box flexShrink={0} width={prefixWidth + 3}>
            <Text color={dynoColor(row.line.dyno, typeIndex)}>{`${row.first ? row.line.dyno.padEnd(prefixWidth) : " ".repeat(prefixWidth)} │ `}</Text>
          </Box>
          <Box flexGrow={1} flexShrink={1} overflow="hidden">
            <RowText row={row} query={query} />
          </Box>
        </Box>
      ))}
    </Box>
  );
}

function RowText({ row, query }: { row: Row; query: string }) {
  if (row.line.source === "heroku")
    return (
      <Text wrap="truncate" dimColor={!row.line.error} color={row.line.error ? "red" : undefined} italic>
        {row.text}
      </Text>
    );
  const plain = plainText(row.text);
  if (query === "" || !plain.toLowerCase().includes(query.toLowerCase())) return <Text wrap="truncate">{row.text}</Text>;
  return (
    <Text wrap="truncate">
      {splitMatches(plain, query).map((part, i) =>
        part.match ? (
          <Text key={i} backgroundColor="yellow" color="black">
            {part.text}
          </Text>
        ) : (
          part.text
        ),
      )}
    </Text>
  );
}
