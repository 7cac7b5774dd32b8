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
  return (
    <Box gap={1} height={1} overflow="hidden">
      <Text bold color="magenta">
        ⬢ {props.app}
      </Text>
      <Text>{props.formation}</Text>
      <Text dimColor>·</Text>
      <Text>{props.view}</Text>
      <Text color={props.following ? "green" : "yellow"}>{props.following ? "following" : "paused (f: follow)"}</Text>
      {props.wrap && <Text dimColor>wrap</Text>}
      {props.query !== "" && <Text color="yellow">/{props.query}</Text>}
      {props.addons && <Text dimColor>{props.addons}</Text>}
      <Text dimColor>{props.message ?? "? help · q quit"}</Text>
    </Box>
  );
}
