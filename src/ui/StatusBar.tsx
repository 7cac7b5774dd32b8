/** The status bar: app, formation, view, follow state, search and key hints, or a transient message. */
import { Box, Text } from "ink";

export interface StatusBarProps {
  readonly app: string;
  readonly formation: string;
  readonly view: string;
  readonly following: boolean;
  readonly wrap: boolean;
  readonly mode: "normal" | "input" | "search" | "help";
  readonly query: string;
  readonly message?: string;
  readonly addons?: string;
  /** The dyno input mode types into. */
  readonly target?: string;
}

export function StatusBar(props: StatusBarProps) {
  if (props.mode === "search")
    return (
      <Box>
        <Text color="yellow">/</Text>
        <Text>{props.query}</Text>
        <Text inverse> </Text>
        <Text dimColor>  Enter search · Esc cancel</Text>
      </Box>
    );
  if (props.mode === "input")
    return (
      <Box>
        <Text backgroundColor="red" color="white" bold>
          {" INPUT "}
        </Text>
        <Text> keys go to {props.target}; Ctrl-] leaves input mode</Text>
      </Box>
    );
  // One line of text, cut at its end when the terminal is narrow: pieces laid out side by side
  // would each be squeezed and cut in their middle.
  const pieces = [
    <Text key="app" bold color="magenta">
      ⬢ {props.app}
    </Text>,
    // A message (quitting, a scale refused) right after the app: the line is cut at its end.
    props.message !== undefined && (
      <Text key="message" dimColor>
        {props.message}
      </Text>
    ),
    <Text key="formation">{props.formation}</Text>,
    <Text key="dot" dimColor>
      ·
    </Text>,
    <Text key="view">{props.view}</Text>,
    <Text key="follow" color={props.following ? "green" : "yellow"}>
      {props.following ? "following" : "paused (f: follow)"}
    </Text>,
    props.wrap && (
      <Text key="wrap" dimColor>
        wrap
      </Text>
    ),
    props.query !== "" && (
      <Text key="query" color="yellow">
        /{props.query}
      </Text>
    ),
    props.addons && (
      <Text key="addons" dimColor>
        · {props.addons}
      </Text>
    ),
    props.message === undefined && (
      <Text key="hint" dimColor>
        ? help · q quit
      </Text>
    ),
  ].filter(Boolean);
  return (
    <Box height={1}>
      <Text wrap="truncate-end">{pieces.flatMap((piece, i) => (i === 0 ? [piece] : [" ", piece]))}</Text>
    </Box>
  );
}
