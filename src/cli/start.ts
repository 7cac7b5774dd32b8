/**
 * `hoku start [web=2,worker...]` (aliases `hoku local`, `local:start`): every process type of
 * the Procfile in its own pseudo-terminal, with the env files and `$PORT` per dyno, as
 * `heroku local` runs the working tree (no `DYNO`, no app.json `env`), the release type
 * first when asked for, logs on stdout, and a clean shutdown on Ctrl-C or SIGTERM.
 */
import { resolveFormation } from "../app/formation.ts";
import { assignPorts, isValidPort, MAX_INSTANCES, peerPortVars, portOf, portPositions } from "../app/ports.ts";
import { HokuError, type Problem } from "../app/problem.ts";
import type { ProcessType } from "../app/procfile.ts";
import { randomHex } from "../platform/random.ts";
import type { DynoSpec } from "../runtime/dyno.ts";
import { AppRun } from "../runtime/app-run.ts";
import { createFormatter, type LogFormat, RUNNER } from "../runtime/log-format.ts";
import type { LogBus } from "../runtime/log-bus.ts";
import { isPortFree } from "../runtime/port-probe.ts";
import { attachPrinter } from "../runtime/printer.ts";
import { lineText, linesOf } from "../runtime/line-splitter.ts";
import { RingBuffer } from "../runtime/ring-buffer.ts";
import { startReaper } from "../runtime/reaper.ts";
import { openContainment } from "../runtime/containment.ts";
import { noteOnce } from "../platform/note-once.ts";
import type { Supervisor } from "../runtime/supervisor.ts";
import { isTerminal } from "../runtime/terminal.ts";
import type { ProviderKind } from "../addons/provider.ts";
import { type AddonRun, applyAddonVars, runAddons, sharedAddons, watchOwner } from "../addons/addon-run.ts";
import { addonsAppId } from "../platform/app-addons.ts";
import { basePort, localEnvironment, requiredVarsNote } from "../platform/local-env.ts";
import { type AppFlags, readApp, requireNoErrors, say } from "./load.ts";
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
  /** heroku local's hidden `-c` / `-r`, which it refuses: named here to point at hoku's form. */
  readonly concurrency?: string;
  readonly restart?: boolean;
}

export async function start(positional: readonly string[], flags: StartFlags): Promise<number> {
  if (flags.concurrency !== undefined)
    throw new HokuError(`-c/--concurrency is not a flag of hoku start (heroku local dropped it too)\n    hint: give the formation as an argument, hoku start ${flags.concurrency.includes("=") ? flags.concurrency : "web=2,worker=1"}, or with -m`);
  if (flags.restart) say("-r/--restart is not needed: hoku always restarts a crashed dyno (Heroku's crash policy); --exit-on-crash stops everything instead");
  const timeoutMs = durationFlag(flags.timeout, "--timeout", "s");
  const backoffMs = durationFlag(flags.backoff, "--backoff", "m");
  const addonTimeoutMs = durationFlag(flags.addonTimeout, "--addon-timeout", "s");
  const app = readApp(flags);
  // What is said before the dashboard opens is said again in its log pane, which hides the screen.
  const notes: string[] = [];
  const note = (line: string) => {
    notes.push(line);
    say(line);
  };
  for (const text of app.notes) note(text);
  requireNoErrors(app.problems, "start", note);

  const formation = resolveFormation(app.types, { positional, spec: flags.formation, release: flags.release, procfile: app.procfileName });
  requireNoErrors(formation.problems, "start");
  const releaseType = formation.value.get("release") ? app.types.find((t) => t.name === "release") : undefined;

  const base = basePort(app, flags.port);
  if (base.problem) requireNoErrors([base.problem], "start");
  const slots = assignPorts(app.types, formation.value, base.port);
  if (slots.length === 0 && !releaseType)
    throw new HokuError("nothing to start: the formation runs no dynos\n    hint: name a process type (hoku start web), or raise a count; -m runs only the types it names, so -m all=1,worker=0 runs all but worker");
  const beyond = slots.find((s) => !isValidPort(s.port));
  if (beyond) throw new HokuError(`${beyond.name} would get port ${beyond.port}, past 65535 (base ${base.port}, from ${base.from})\n    hint: choose a lower base port with -p, or run fewer dynos`);
  requireFreePorts(slots.map((s) => ({ port: s.port, dyno: s.name })), base.from);
  const scrollback = Number(flags.scrollback);
  if (!Number.isInteger(scrollback) || scrollback < 1) throw new HokuError(`--scrollback ${flags.scrollback} is not a positive whole number of lines`);

  const runId = randomHex(6);
  const reaper = startReaper(runId);
  const addonsId = addonsAppId(app);
  let addons: AddonRun;
  try {
    const flagsForAddons = { addons: flags.addons, readyTimeoutMs: addonTimeoutMs, shares: true };
    addons =
      (await sharedAddons(addonsId, app.name, { forced: flags.addons, deadline: Date.now() + addonTimeoutMs }, note)) ?? (await runAddons(app, flagsForAddons, { runId, reaper }, note));
  } catch (error) {
    reaper.release();
    throw error;
  }
  const local = localEnvironment(app, flags, addons.vars);
  try {
    requireNoErrors(local.problems, "start", note);
  } catch (error) {
    await addons.stop();
    reaper.release();
    throw error;
  }
  const env = local.env;
  applyAddonVars(env, addons.vars, local.files, note);
  const required = requiredVarsNote(app, env);
  if (required) note(required);

  // What heroku local's foreman sets (PORT, FOREMAN_WORKER_NAME) and ruby foreman's PS; never
  // DYNO: apps read it as "running on Heroku" and switch to production settings.
  const shared = { ...env, ...peerPortVars(slots), TERM: env.TERM || "xterm-256color" };
  const dynoEnv = (name: string, port?: number) => ({ ...shared, ...(port !== undefined && { PORT: String(port) }), PS: name, FOREMAN_WORKER_NAME: name });
  const specOf = (type: ProcessType, instance: number, port: number): DynoSpec => {
    const name = `${type.name}.${instance}`;
    return { name, type: type.name, command: type.command, port, env: dynoEnv(name, port) };
  };
  const specs = slots.map((slot) => specOf(slot.type, slot.instance, slot.port));
  const releaseSpec: DynoSpec | undefined = releaseType && { name: "release.1", type: "release", command: releaseType.command, env: dynoEnv("release.1") };
  const positions = portPositions(app.types);
  /** A dyno added by scaling up gets the next port of its type, if that port is free. */
  const specFor = (typeName: string, instance: number) => {
    const type = app.types.find((t) => t.name === typeName);
    const position = positions.get(typeName);
    const port = position !== undefined && instance <= MAX_INSTANCES ? portOf(base.port, positions.size, position, instance) : undefined;
    return type && port && isValidPort(port) && isPortFree(port) ? specOf(type, instance, port) : undefined;
  };

  const { containment, fallback } = openContainment(runId);
  if (containment.cgroupDir) reaper.cgroup(containment.cgroupDir);
  if (fallback)
    noteOnce("containment", `dynos are tracked by session and HOKU_DYNO_TAG, not a cgroup (${fallback}); a process that leaves its session and clears its environment (setsid env -i cmd &) can outlive hoku`, note);
  const names = [...(releaseSpec ? [releaseSpec.name] : []), ...specs.map((s) => s.name)];
  const columns = isTerminal(1) ? process.stdout.columns : 120;
  const run = new AppRun({
    name: app.name,
    cwd: app.dir,
    runId,
    containment,
    specs,
    release: releaseSpec,
    specFor,
    timeoutMs,
    backoff: { baseMs: backoffMs, capMs: 24 * 3_600_000 },
    exitOnCrash: flags.exitOnCrash,
    size: { cols: Math.max(40, columns - Math.max(...names.map((n) => n.length)) - 12), rows: 40 },
    describe: (spec) => `${spec.name} on port ${spec.port}`,
    // Heroku's boot timeout, as a note: heroku local kills nothing that is slow to bind.
    slowBootNoteMs: 60_000,
  });
  const { bus, supervisor } = run;

  const typeIndex = new Map(app.types.map((t) => [t.name, t.index]));
  let output: Awaited<ReturnType<typeof attachOutput>> | undefined;
  /**
   * The second Ctrl-C: kill the dynos now and leave; the reaper sweeps add-ons and stragglers as
   * hoku exits. The dashboard goes first (its screen would stay, and hide this line), for at most
   * half a second.
   */
  const forceQuit = () => {
    run.forceKill();
    void Promise.race([output?.close(), Bun.sleep(500)]).finally(() => {
      const theirs = addons.summary === "" ? "" : addons.servedBy === undefined ? "; the add-ons stop as hoku exits (their data stays)" : `; the add-ons stay with hoku pid ${addons.servedBy}`;
      process.stderr.write(`hoku: killed every dyno with SIGKILL (second interrupt)${theirs}\n`);
      process.exit(run.stopCode ?? 130);
    });
  };
  output = await attachOutput(flags, names, typeIndex, {
    name: app.name,
    addons: addons.summary,
    bus,
    supervisor,
    timeoutMs,
    quit: (interrupted) => void run.stop(interrupted ? 130 : 0, interrupted ? "Ctrl-C: stopping all dynos" : "Quit: stopping all dynos"),
    force: forceQuit,
    onBrokenPipe: () => void run.stop(141, "stdout was closed: stopping all dynos"),
  });
  onShutdownSignals({
    graceful: (signal, code) => void run.stop(code, `${signal} received: stopping all dynos (Ctrl-C again to kill them at once)`),
    force: forceQuit,
  });

  // The dashboard hides what was printed before it: its log pane starts with the add-on lines.
  if (output.dashboard) for (const text of notes) bus.publish({ kind: "status", dyno: RUNNER, text, at: new Date() });
  // Another hoku start's add-ons go when it stops: said once, in the log, where the dynos' failures will show.
  const stopWatching =
    addons.servedBy === undefined
      ? () => {}
      : watchOwner(addonsId, addons.servedBy, () => {
          const text = `hoku pid ${addons.servedBy}, which served the add-ons of ${app.name}, has stopped, and its add-ons with it: stop this hoku and start it again to serve them here`;
          bus.publish({ kind: "status", dyno: RUNNER, text, error: true, at: new Date() });
        });
  // The dashboard's log pane goes when it closes: a failed release command's last lines are printed after it.
  const releaseLines = new RingBuffer<string>(40);
  if (releaseSpec && output.dashboard)
    bus.subscribe((event) => event.kind === "output" && event.dyno === releaseSpec.name && linesOf(event).forEach((line) => releaseLines.push(lineText(line))));
  void run.start();
  const code = await run.done;
  stopWatching();
  await addons.stop();
  await output.close();
  reaper.release();
  if (run.releaseFailed && releaseLines.toArray().length > 0) process.stderr.write(`hoku: the release command's last lines:\n${releaseLines.toArray().map((l) => `    ${l}\n`).join("")}`);
  return code;
}

/** The TUI on a terminal (unless --no-tui), else the plain printer. */
async function attachOutput(
  flags: StartFlags,
  names: readonly string[],
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
  const format = createFormatter({ format: flags.format, color: useColor(flags.color), names, typeIndex });
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
  if (taken.length > 0) requireNoErrors(taken, "start");
}
