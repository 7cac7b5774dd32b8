/**
 * Runs the dashboard for `hoku start` on a terminal: an Ink app on the alternate
 * screen, fed by the log bus, throttled to ~30 frames a second, with each dyno's
 * CPU and memory sampled once a second. The terminal (raw mode, cursor, mouse,
 * alternate screen) is restored on every exit path.
 */
import { render } from "ink";
import { useEffect, useState } from "react";
import type { LogBus } from "../runtime/log-bus.ts";
import type { Supervisor } from "../runtime/supervisor.ts";
import { App } from "./App.tsx";
import type { TuiController } from "./controller.ts";
import { MetricsSampler } from "./dyno-metrics.ts";
import { dynoListText } from "./DynoList.tsx";
import { LogStore } from "./log-store.ts";
import { filterMouse, MOUSE_OFF, MOUSE_ON } from "./mouse.ts";

export interface TuiOptions {
  readonly name: string;
  readonly bus: LogBus;
  readonly supervisor: Supervisor;
  readonly typeIndex: ReadonlyMap<string, number>;
  /** Lines kept per dyno. */
  readonly scrollback: number;
  readonly timeoutMs: number;
  readonly quit: (interrupted: boolean) => void;
  /** Add-ons and where they answer, for the status bar. */
  readonly addons?: string;
  readonly force: () => void;
}

export interface Tui {
  /** Leaves the dashboard and restores the terminal; prints the last lifecycle lines. */
  close(): Promise<void>;
}

/** Log output redraws the screen at most once per FRAME_MS (see Root). */
const FRAME_MS = 33;
/**
 * Ink's own limit on frames a second, set out of the way (1000 makes it 1 ms). Log frames are
 * already limited by FRAME_MS before React renders; Ink's default (30) on top held the frame of
 * a key press until 33 ms after the last log frame, and under a log flood, on a busy machine, the
 * timer that draws it came later still. Now a key press is drawn as soon as React has it.
 */
const INK_MAX_FPS = 1000;
const RESTORE = `${MOUSE_OFF}\x1b[?25h\x1b[?1049l`;

export function startTui(options: TuiOptions): Tui {
  const { bus, supervisor } = options;
  const store = new LogStore(options.scrollback, supervisor.dynos().length);
  const metrics = new MetricsSampler();
  const unsubscribe = bus.subscribe((event) => store.add(event));
  const controller = supervisorController(supervisor, options);

  const restore = () => {
    process.stdout.write(RESTORE);
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
  };
  process.once("exit", restore);
  process.stdout.write(MOUSE_ON);
  const input = filterMouse(process.stdin);

  function Root() {
    const [tick, setTick] = useState(0);
    useEffect(() => {
      let seen = store.version;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const frame = () => {
        timer = undefined;
        seen = store.version;
        setTick((t) => t + 1);
      };
      const unsub = bus.subscribe(() => {
        if (timer === undefined && store.version !== seen) timer = setTimeout(frame, FRAME_MS);
      });
      // The dyno list's figures are sampled once a second, and drawn only when what the list
      // shows changed: an Ink frame redraws the whole screen, which an idle dashboard did
      // every second for the same text.
      let shown = "";
      const sampler = setInterval(() => {
        metrics.sample(supervisor.dynos());
        const text = dynoListText(supervisor.dynos(), (name) => metrics.get(name), new Date());
        if (text === shown) return;
        shown = text;
        setTick((t) => t + 1);
      }, 1000);
      return () => {
        unsub();
        clearInterval(sampler);
        if (timer) clearTimeout(timer);
      };
    }, []);
    return <App name={options.name} store={store} controller={controller} metrics={metrics} typeIndex={options.typeIndex} tick={tick} wheel={input.wheel} addons={options.addons} />;
  }

  // interactive: Ink would go non-interactive when CI is set; hoku only gets here on a terminal.
  const ink = render(<Root />, { stdin: input.stdin, interactive: true, alternateScreen: true, exitOnCtrlC: false, patchConsole: false, maxFps: INK_MAX_FPS, incrementalRendering: true });
  let closing: Promise<void> | undefined;
  return {
    // Once: the second Ctrl-C closes it while the first one's stop may be closing it too.
    close: () => (closing ??= closeDashboard()),
  };

  async function closeDashboard(): Promise<void> {
    ink.unmount();
    await ink.waitUntilExit().catch(() => {});
    unsubscribe();
    input.detach();
    restore();
    process.off("exit", restore);
    const last = [];
    const all = store.view();
    for (let i = Math.max(0, all.length - 200); i < all.length; i++) {
      const line = all.at(i)!;
      if (line.source === "heroku") last.push(`${line.dyno} ${line.text}`);
    }
    process.stdout.write(`${last.slice(-8).join("\n")}\n`);
    // For bench/tui.ts: how much of the output reached the scrollback.
    const report = process.env.HOKU_TUI_REPORT;
    if (report) await Bun.write(report, JSON.stringify({ received: store.received, kept: all.length, dropped: all.dropped, lastOutputAt: store.lastOutputAt }));
  }
}

function supervisorController(supervisor: Supervisor, options: TuiOptions): TuiController {
  const timeout = options.timeoutMs;
  return {
    dynos: () => supervisor.dynos(),
    restart: (name) => void supervisor.restart(name, timeout),
    restartAll: () => {
      for (const dyno of supervisor.dynos()) void supervisor.restart(dyno.name, timeout);
    },
    toggle: (name) => {
      const dyno = supervisor.dynos().find((d) => d.name === name);
      // A crashed dyno waiting out its backoff is kept down too, its restart called off.
      if (dyno?.process || dyno?.restartAt) void supervisor.stopDyno(name, timeout);
      else supervisor.startDyno(name);
    },
    scale: (type, delta) => {
      const count = supervisor.dynos().filter((d) => d.spec.type === type).length;
      void supervisor.scale(type, Math.max(1, count + delta), timeout); // `s` stops the last one
    },
    write: (name, data) => supervisor.write(name, data),
    resize: (cols, rows) => supervisor.resize(cols, rows),
    open: (url) => {
      const opener = Bun.which("xdg-open") ?? Bun.which("open");
      if (!opener) return false;
      Bun.spawn([opener, url], { stdio: ["ignore", "ignore", "ignore"], detached: true }).unref();
      return true;
    },
    quit: options.quit,
    force: options.force,
  };
}
