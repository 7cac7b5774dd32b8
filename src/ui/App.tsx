/**
 * hoku start's dashboard: the dyno list, the log pane and the status bar, driven by
 * the keys in HelpOverlay. Reads the LogStore and the controller; owns no process.
 */
import { Box, Text, useInput, useStdin, useWindowSize } from "ink";
import { useEffect, useMemo, useState } from "react";
import type { TuiController } from "./controller.ts";
import type { MetricsSampler } from "./dyno-metrics.ts";
import { DynoList } from "./DynoList.tsx";
import { HelpOverlay } from "./HelpOverlay.tsx";
import type { LogStore } from "./log-store.ts";
import { clampBottom, endOf, findMatch, visibleRows } from "./log-view.ts";
import { LogPane } from "./LogPane.tsx";
import { StatusBar } from "./StatusBar.tsx";

export interface AppProps {
  readonly name: string;
  readonly store: LogStore;
  readonly controller: TuiController;
  readonly metrics: MetricsSampler;
  readonly typeIndex: ReadonlyMap<string, number>;
  /** Bumped by tui.tsx when something changed (throttled to ~30 frames a second). */
  readonly tick: number;
  readonly addons?: string;
  /** Emits `wheel` with lines to scroll (mouse.ts). */
  readonly wheel?: NodeJS.EventEmitter;
}

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 15;
const CTRL_RIGHT_BRACKET = "\x1d";

type Mode = "normal" | "input" | "search" | "help";

export function App({ name, store, controller, metrics, typeIndex, tick, addons, wheel }: AppProps) {
  const { columns, rows } = useWindowSize();
  const { internal_eventEmitter: events } = useStdin() as ReturnType<typeof useStdin> & { internal_eventEmitter: NodeJS.EventEmitter };
  const [selected, setSelected] = useState(0);
  const [filter, setFilter] = useState<string | undefined>(undefined);
  const [bottom, setBottom] = useState<number | undefined>(undefined);
  const [mode, setMode] = useState<Mode>("normal");
  const [query, setQuery] = useState("");
  const [draft, setDraft] = useState("");
  const [wrap, setWrap] = useState(false);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [quitting, setQuitting] = useState(false);
  const [matchAt, setMatchAt] = useState<number | undefined>(undefined);
  const [, setCleared] = useState(0);

  const dynos = controller.dynos();
  const current = dynos[Math.min(selected, dynos.length - 1)];
  const prefixWidth = Math.max(4, ...dynos.map((d) => d.name.length));
  const listHeight = Math.min(dynos.length, Math.max(3, Math.floor(rows / 3))) + 2;
  const paneHeight = Math.max(1, rows - listHeight - 1);
  const textWidth = Math.max(10, columns - prefixWidth - 3);
  const view = store.view(filter);
  const shownBottom = clampBottom(view, bottom, paneHeight);

  // Each dyno's PTY gets the log pane's size.
  useEffect(() => controller.resize(textWidth, paneHeight), [controller, textWidth, paneHeight]);

  // Input mode reads the raw key stream; the wheel comes from mouse.ts.
  useEffect(() => {
    const onRaw = (data: string) => {
      if (mode !== "input") return;
      const stop = data.indexOf(CTRL_RIGHT_BRACKET);
      if (stop !== 0 && current) controller.write(current.name, stop === -1 ? data : data.slice(0, stop));
      if (stop !== -1) setMode("normal");
    };
    const onWheel = (lines: number) => mode !== "input" && scroll(lines);
    events.on("input", onRaw);
    wheel?.on("wheel", onWheel);
    return () => {
      events.removeListener("input", onRaw);
      wheel?.removeListener("wheel", onWheel);
    };
  });

  const scroll = (lines: number) => {
    const end = endOf(view) - 1;
    const from = shownBottom ?? end;
    setBottom(clampBottom(view, Math.min(end, from + lines), paneHeight));
  };
  const jumpTo = (index: number | undefined) => {
    if (index === undefined) return setMessage(`no ${query ? `more "${query}" ` : ""}matches`);
    setMessage(undefined);
    setMatchAt(index);
    setBottom(clampBottom(view, Math.min(endOf(view) - 1, index + Math.floor(paneHeight / 2)), paneHeight));
  };
  /** n goes to older matches, N to newer ones, from the last match shown (else from the bottom). */
  const nextMatch = (direction: "older" | "newer") => findMatch(view, query, matchAt ?? endOf(view), direction);

  useInput(
    (input, key) => {
      if (mode === "input") return;
      if (key.ctrl && input === "c") {
        if (quitting) return controller.force();
        setQuitting(true);
        return controller.quit(true);
      }
      if (mode === "help") return (key.escape || input === "?" || input === "q") && setMode("normal");
      if (mode === "search") {
        if (key.escape) return setMode("normal");
        if (key.return) {
          setQuery(draft);
          setMode("normal");
          return jumpTo(findMatch(view, draft, shownBottom === undefined ? endOf(view) : shownBottom + 1, "older"));
        }
        if (key.backspace || key.delete) return setDraft((d) => d.slice(0, -1));
        if (!key.ctrl && !key.meta && input) setDraft((d) => d + input);
        return;
      }
      setMessage(undefined);
      // A held key (or keys typed fast) arrives as one chunk: `jjj` moves three rows.
      if (key.upArrow || /^k+$/.test(input)) return setSelected((s) => Math.max(0, s - Math.max(1, input.length)));
      if (key.downArrow || /^j+$/.test(input)) return setSelected((s) => Math.min(dynos.length - 1, s + Math.max(1, input.length)));
      if (key.return && current) {
        setBottom(undefined);
        return setFilter(current.name);
      }
      if (input === "a") {
        setBottom(undefined);
        return setFilter(undefined);
      }
      if (key.pageUp) return scroll(-paneHeight);
      if (key.pageDown) return scroll(paneHeight);
      if (key.home) return setBottom(clampBottom(view, view.dropped + paneHeight - 1, paneHeight));
      if (key.end || input === "f") {
        setMatchAt(undefined);
        return setBottom(undefined);
      }
      if (input.startsWith("/")) {
        setDraft(input.slice(1)); // keys typed fast arrive as one chunk
        return setMode("search");
      }
      if (input === "n") return jumpTo(nextMatch("older"));
      if (input === "N") return jumpTo(nextMatch("newer"));
      if (input === "?") return setMode("help");
      if (input === "w") return setWrap((w) => !w);
      if (input === "c") {
        store.clear();
        return setCleared((n) => n + 1);
      }
      if (input === "q") {
        setQuitting(true);
        return controller.quit(false);
      }
      if (!current || quitting) return;
      if (current.spec.oneOff && "rs+-".includes(input)) return setMessage(`${current.name} runs once (the release phase): it is not restarted, stopped or scaled`);
      if (input === "r") return controller.restart(current.name);
      if (input === "R") return controller.restartAll();
      if (input === "s") return controller.toggle(current.name);
      if (input === "+") return controller.scale(current.spec.type, 1);
      if (input === "-") {
        if (dynos.filter((d) => d.spec.type === current.spec.type).length <= 1) return setMessage(`${current.spec.type} is at 1: s stops ${current.name}`);
        return controller.scale(current.spec.type, -1);
      }
      if (input === "i") return current.process ? setMode("input") : setMessage(`${current.name} is not running`);
      if (input === "o") {
        const web = dynos.find((d) => d.spec.type === "web" && d.spec.port) ?? current;
        const url = `http://localhost:${web.spec.port}`;
        if (!web.spec.port) return setMessage("no dyno has a port");
        return setMessage(controller.open(url) ? `opened ${url}` : `open ${url} in your browser`);
      }
    },
    // Stays active in input mode: an inactive useInput turns raw mode off (keys would echo
    // and Ctrl-C would signal hoku); the raw stream above forwards the keys instead.
  );

  const formation = useMemo(() => {
    const counts = new Map<string, number>();
    for (const d of dynos) if (!d.spec.oneOff) counts.set(d.spec.type, (counts.get(d.spec.type) ?? 0) + 1);
    return [...counts].map(([type, n]) => `${type}=${n}`).join(",");
  }, [dynos, tick]);

  if (columns < MIN_COLUMNS || rows < MIN_ROWS)
    return (
      <Text color="yellow">
        Terminal too small ({columns}x{rows}): hoku needs at least {MIN_COLUMNS}x{MIN_ROWS}. Enlarge the window, or run `hoku start --no-tui`.
      </Text>
    );

  const listStart = Math.max(0, Math.min(selected - (listHeight - 3), dynos.length - (listHeight - 2)));
  const rowsShown = visibleRows(view, { bottom: shownBottom, height: paneHeight, width: textWidth, wrap });
  return (
    <Box flexDirection="column" width={columns} height={rows}>
      {mode === "help" ? (
        <HelpOverlay />
      ) : (
        <>
          <DynoList dynos={dynos.slice(listStart, listStart + listHeight - 2)} selected={selected - listStart} metrics={(n) => metrics.get(n)} typeIndex={typeIndex} now={new Date()} width={columns} />
          <LogPane rows={rowsShown} height={paneHeight} prefixWidth={prefixWidth} textWidth={textWidth} typeIndex={typeIndex} query={query} />
        </>
      )}
      <StatusBar
        app={name}
        formation={formation}
        view={filter ?? "all dynos"}
        following={shownBottom === undefined}
        wrap={wrap}
        mode={mode === "search" ? "search" : mode === "input" ? "input" : "normal"}
        target={current?.name}
        query={mode === "search" ? draft : query}
        message={quitting ? "stopping all dynos… (Ctrl-C again: kill at once)" : message}
        addons={addons}
      />
    </Box>
  );
}
