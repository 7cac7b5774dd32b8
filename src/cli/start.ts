/**
 * `hoku start [TYPE...]` (alias `hoku local`): every process type of the Procfile in
 * its own pseudo-terminal, with env files, app.json and `$PORT` per dyno, logs on
 * stdout, and a clean shutdown on Ctrl-C or SIGTERM.
 */
import { resolveFormation } from "../app/formation.ts";
import { assignPorts, chooseBasePort, isValidPort, peerPortVars } from "../app/ports.ts";
import { HokuError, type Problem } from "../app/problem.ts";
import type { ProcessType } from "../app/procfile.ts";
import { randomHex } from "../platform/random.ts";
import type { DynoSpec } from "../runtime/dyno.ts";
import { createFormatter, type LogFormat, RUNNER } from "../runtime/log-format.ts";
import { LogBus } from "../runtime/log-bus.ts";
import { isPortFree } from "../runtime/port-probe.ts";
import { attachPrinter } from "../runtime/printer.ts";
import { startReaper } from "../runtime/reaper.ts";
import { Supervisor } from "../runtime/supervisor.ts";
import { isTerminal } from "../runtime/terminal.ts";
import type { ProviderKind } from "../addons/provider.ts";
import { type AddonRun, applyAddonVars, runAddons } from "./addon-run.ts";
import { type AppFlags, appEnvironment, readApp, requireNoErrors, say } from "./load.ts";
import { durationFlag, useColor } from "./flags.ts";
import { onShutdownSignals } from "./signals.ts";

export interface StartFlags extends AppFlags {
  readonly port?: string;
  readonly formation?: string;
  readonly timeout: string;
  readonly backoff: string;
  readonly exitOnCrash?: boolean;
  readonly release?: boolean;
  readonly format: LogFormat;
  readonly color: "auto" | "always" | "never";
  readonly tui: boolean;
  readonly scrollback: string;
  readonly addons?: ProviderKind;
  readonly addonTimeout: string;
}

export async function start(types: readonly string[], flags: StartFlags): Promise<number> {
  const timeoutMs = durationFlag(flags.timeout, "--timeout", "s");
  const backoffMs = durationFlag(flags.backoff, "--backoff", "m");
  const addonTimeoutMs = durationFlag(flags.addonTimeout, "--addon-timeout", "s");
  const app = readApp(flags);
  requireNoErrors(app.problems, "hoku start");
  if (app.fallbackNote) say(app.fallbackNote);

  const formation = resolveFormation(app.types, {
    selected: types,
    spec: flags.formation,
    appJson: app.appJson.formation,
    release: flags.release,
    procfile: app.procfileName,
  });
  requireNoErrors(formation.problems, "hoku start");

  const base = chooseBasePort({ flag: flags.port, envFiles: app.fileEnv.get("PORT"), shell: process.env.PORT });
  if (!isValidPort(base.port)) throw new HokuError(`the base port ${base.port} (from ${base.from}) is not a port number: use 1-65535`);
  const slots = assignPorts(app.types, formation.value, base.port);
  if (slots.length === 0) throw new HokuError("nothing to start: the formation runs no dynos\n    hint: name a process type (hoku start web) or raise a count (-m web=1)");

  const { env, problems } = appEnvironment(app, flags);
  requireNoErrors(problems, "hoku start");
  requireFreePorts(slots.map((s) => ({ port: s.port, dyno: s.name })), base.from);
  const scrollback = Number(flags.scrollback);
  if (!Number.isInteger(scrollback) || scrollback < 1) throw new HokuError(`--scrollback ${flags.scrollback} is not a positive whole number of lines`);

  const runId = randomHex(6);
  const reaper = startReaper(runId);
  const notes: string[] = [];
  const note = (line: string) => {
    notes.push(line);
    say(line);
  };
  let addons: AddonRun;
  try {
    addons = await runAddons(app, { addons: flags.addons, readyTimeoutMs: addonTimeoutMs }, { runId, reaper }, note);
  } catch (error) {
    reaper.release();
    throw error;
  }
  applyAddonVars(env, addons.vars, app.fileEnv, note);

  const shared = { ...env, ...peerPortVars(slots), TERM: env.TERM || "xterm-256color" };
  const specOf = (type: ProcessType, instance: number, port: number): DynoSpec => {
    const name = `${type.name}.${instance}`;
    return { name, type: type.name, command: type.command, port, env: { ...shared, PORT: String(port), DYNO: name, PS: name } };
  };
  const specs = slots.map((slot) => specOf(slot.type, slot.instance, slot.port));
  /** A dyno added by scaling up gets the next port of its type, if that port is free. */
  const specFor = (typeName: string, instance: number) => {
    const type = app.types.find((t) => t.name === typeName);
    const port = type && base.port + 100 * type.index + instance - 1;
    return type && port && isPortFree(port) ? specOf(type, instance, port) : undefined;
  };

  const bus = new LogBus();
  const columns = isTerminal(1) ? process.stdout.columns : 120;
  const supervisor = new Supervisor(specs, {
    bus,
    cwd: app.dir,
    runId,
    exitOnCrash: flags.exitOnCrash,
    specFor,
    backoff: { baseMs: backoffMs, capMs: 24 * 3_600_000 },
    size: { cols: Math.max(40, columns - Math.max(...specs.map((s) => s.name.length)) - 12), rows: 40 },
  });

  let finished: (code: number) => void = () => {};
  const exitCode = new Promise<number>((resolve) => (finished = resolve));
  let stopping = false;
  const shutdown = async (code: number, reason: string) => {
    if (stopping) return;
    stopping = true;
    bus.publish({ kind: "status", dyno: RUNNER, text: reason, at: new Date() });
    await supervisor.stop(timeoutMs);
    finished(code);
  };
  const typeIndex = new Map(app.types.map((t) => [t.name, t.index]));
  /** The second Ctrl-C: kill the dynos now and leave; the reaper sweeps add-ons and stragglers as hoku exits. */
  const forceQuit = () => {
    supervisor.forceKill();
    process.exit(137);
  };
  const output = await attachOutput(flags, specs, typeIndex, {
    name: app.name,
    addons: addons.summary,
    bus,
    supervisor,
    timeoutMs,
    quit: (interrupted) => void shutdown(interrupted ? 130 : 0, interrupted ? "Ctrl-C: stopping all dynos" : "Quit: stopping all dynos"),
    force: forceQuit,
    onBrokenPipe: () => void shutdown(141, "stdout was closed: stopping all dynos"),
  });
  onShutdownSignals({
    graceful: (signal, code) => void shutdown(code, `${signal} received: stopping all dynos (Ctrl-C again to kill them at once)`),
    force: forceQuit,
  });
  supervisor.crashExit.then((status) => void shutdown(status, "A dyno exited and --exit-on-crash is set: stopping all dynos"));

  // The dashboard hides what was printed before it: its log pane starts with the add-on lines.
  if (output.dashboard) for (const text of notes) bus.publish({ kind: "status", dyno: RUNNER, text, at: new Date() });
  const summary = specs.map((s) => `${s.name} on port ${s.port}`).join(", ");
  bus.publish({ kind: "status", dyno: RUNNER, text: `Starting ${app.name}: ${summary}`, at: new Date() });
  supervisor.start();
  const code = await exitCode;
  await addons.stop();
  await output.close();
  reaper.release();
  return code;
}

/** The TUI on a terminal (unless --no-tui), else the plain printer. */
async function attachOutput(
  flags: StartFlags,
  specs: readonly DynoSpec[],
  typeIndex: ReadonlyMap<string, number>,
  run: {
    name: string;
    addons: string;
    bus: LogBus;
    supervisor: Supervisor;
    timeoutMs: number;
    quit: (interrupted: boolean) => void;
    force: () => void;
    onBrokenPipe: () => void;
  },
): Promise<{ dashboard: boolean; close(): Promise<void> }> {
  if (flags.tui && isTerminal(1)) {
    if (isTerminal(0)) {
      const scrollback = Number(flags.scrollback);
      const { startTui } = await import("../ui/tui.tsx");
      return { dashboard: true, ...startTui({ ...run, typeIndex, scrollback }) };
    }
    process.stderr.write("hoku: stdin is not a terminal (no raw mode for keys), so plain output; --no-tui silences this note\n");
  }
  const format = createFormatter({ format: flags.format, color: useColor(flags.color), names: specs.map((s) => s.name), typeIndex });
  const printer = attachPrinter(run.bus, format, run.onBrokenPipe);
  return { dashboard: false, close: () => printer.flush() };
}

/** Names every taken port before anything starts. */
function requireFreePorts(wanted: readonly { port: number; dyno: string }[], from: string): void {
  const taken: Problem[] = [];
  for (const { port, dyno } of wanted) {
    if (!isPortFree(port))
      taken.push({
        file: "port",
        message: `${port} for ${dyno} is already in use`,
        hint: `stop what listens on ${port}, or choose another base port with -p (the base came from ${from})`,
        severity: "error",
      });
  }
  if (taken.length > 0) requireNoErrors(taken, "hoku start");
}
