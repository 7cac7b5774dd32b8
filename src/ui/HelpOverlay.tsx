/** `?`: every key, one line each. */
import { Box, Text } from "ink";

export const KEYS: readonly (readonly [string, string])[] = [
  ["↑/↓ j/k", "select a dyno"],
  ["Enter / a", "logs of the selected dyno / of all dynos"],
  ["/  n  N", "search; next older match; next newer match"],
  ["PgUp PgDn Home End, wheel", "scroll (pauses follow)"],
  ["f or End", "follow the tail again"],
  ["r / R", "restart the selected dyno / all dynos"],
  ["s", "stop or start the selected dyno"],
  ["+ / -", "scale the selected dyno's process type"],
  ["i", "input mode: keys go to the dyno's terminal until Ctrl-]"],
  ["o", "open the web URL"],
  ["w / c", "wrap long lines / clear the logs"],
  ["q or Ctrl-C", "stop all dynos and quit (Ctrl-C again: kill at once)"],
];

export function HelpOverlay() {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1}>
      <Text bold>hoku keys (? or Esc closes)</Text>
      {KEYS.map(([keys, what]) => (
        <Box key={keys} gap={2}>
          <Text color="cyan">{keys.padEnd(26)}</Text>
          <Text>{what}</Text>
        </Box>
      ))}
    </Box>
  );
}
