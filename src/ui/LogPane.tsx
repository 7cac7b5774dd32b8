/**
 * The log pane: the rows that end at the viewport's bottom, with colored prefixes and search
 * highlights. It is drawn as one block of text, each row styled and cut to the pane's width
 * here: Ink lays out every element on every frame, and a box and two texts per row made the
 * log pane most of a frame's layout while a flood redraws it ~30 times a second (a key press
 * waits for the frame in progress). The pane clips only its height: rows are already cut to its
 * width, and a horizontal clip made Ink measure and re-cut every row of the block again.
 */
import { Box, Text } from "ink";
import chalk, { type ChalkInstance } from "chalk";
import cliTruncate from "cli-truncate";
import { dynoColor } from "./colors.ts";
import type { Row } from "./log-view.ts";
import { plainText } from "./sanitize.ts";
import { splitMatches } from "./log-view.ts";

export interface LogPaneProps {
  readonly rows: readonly Row[];
  readonly height: number;
  readonly prefixWidth: number;
  /** Columns for a row's text, after the prefix and " │ ". */
  readonly textWidth: number;
  readonly typeIndex: ReadonlyMap<string, number>;
  readonly query: string;
}

export function LogPane({ rows, height, prefixWidth, textWidth, typeIndex, query }: LogPaneProps) {
  // A color a line leaves open ends with its row (Ink would carry it on to the rows below).
  const text = rows.map((row) => withReset(prefixOf(row, prefixWidth, typeIndex) + rowText(row, textWidth, query))).join("\n");
  return (
    <Box flexDirection="column" height={height} overflowY="hidden">
      <Text>{text}</Text>
    </Box>
  );
}

function withReset(row: string): string {
  return row.includes("\x1b[") ? `${row}\x1b[0m` : row;
}

/** The dyno's name, cut to the prefix column (a dyno scaled away may have had a longer name). */
function prefixOf(row: Row, prefixWidth: number, typeIndex: ReadonlyMap<string, number>): string {
  const color = chalk[dynoColor(row.line.dyno, typeIndex) as keyof ChalkInstance] as ChalkInstance;
  return color(`${row.first ? cliTruncate(row.line.dyno, prefixWidth).padEnd(prefixWidth) : " ".repeat(prefixWidth)} │ `);
}

/** The row's text, cut to `width` with "…" as Ink's `wrap="truncate"` cuts it. */
function rowText(row: Row, width: number, query: string): string {
  const cut = cliTruncate(row.text, width);
  if (row.line.source === "heroku") return (row.line.error ? chalk.red.italic : chalk.dim.italic)(cut);
  const plain = plainText(cut);
  if (query === "" || !plain.toLowerCase().includes(query.toLowerCase())) return cut;
  return splitMatches(plain, query)
    .map((part) => (part.match ? chalk.bgYellow.black(part.text) : part.text))
    .join("");
}
