/**
 * `hoku run CMD...` (alias `hoku local:run`): a one-off process, `run.N`, with the app's
 * local environment as `heroku local:run` gives it: the env files and the add-ons' vars, no
 * `DYNO`, and `PORT` only when `-p` asks for one. Arguments are joined as `heroku run` joins
 * them. On a terminal it gets its own PTY, with raw-mode passthrough and the window size;
 * otherwise (or with --no-tty) plain pipes. Its exit code is hoku's; the terminal is restored on every exit path.
 */
import { isValidPort } from "../app/ports.ts";
import { HokuError } from "../app/problem.ts";
import { runCommand, setVars } from "../app/run-command.ts";
import { TAG_VAR } from "../runtime/kill.ts";
import { exitStatus } from "../runtime/pty-process.ts";
import { randomHex, randomInt } from "../platform/random.ts";
import { startReaper } from "../runtime/reaper.ts";
import type { ProviderKind } from "../addons/provider.ts";
import { applyAddonVars } from "../addons/addon-run.ts";
import { openAddons } from "../addons/addon-session.ts";
import { runInForeground } from "./foreground.ts";
import { localEnvironment } from "../platform/local-env.ts";
import { type AppFlags, readApp, requireNoErrors, say } from "./load.ts";

export interface RunFlags extends AppFlags {
  readonly port?: string;
  readonly addons?: ProviderKind;
  /** false with --no-tty: plain pipes even on a terminal. */
  readonly tty?: boolean;
  /** `--set KEY=value;KEY2=value2`: vars for this command, over every other. */
  readonly set?: string;
  /** `--detach`: a deployed app's only. */
  readonly detach?: boolean;
}

export async function run(argv: readonly string[], flags: RunFlags): Promise<number> {
  if (flags.detach)
    throw new HokuError("run:detached (--detach) runs a one-off dyno of a deployed app, its output in hoku logs\n    hint: name the app with -a APP (or run it in a folder with a hoku git remote); for the working tree, leave --detach out");
  const extra = setVars(flags.set);
  const app = readApp(flags);
  for (const note of app.notes) say(note);
  // A one-off dyno does not need the Procfile: its problems do not stop `run`.
  requireNoErrors(app.problems.filter((p) => p.file !== app.procfileName), "run");
  const port = flags.port === undefined ? undefined : Number(flags.port);
  if (port !== undefined && !isValidPort(port)) throw new HokuError(`-p ${flags.port} is not a port number: use 1-65535`);

  // One reaper for the one-off dyno and any add-on started for it.
  const runId = randomHex(6);
  const reaper = startReaper(runId);
  let session: Awaited<ReturnType<typeof openAddons>>;
  try {
    session = await openAddons(app, { addons: flags.addons, readyTimeoutMs: 60_000 }, say, { runId, reaper });
  } catch (error) {
    reaper.release();
    throw error;
  }
  try {
    const local = localEnvironment(app, flags, session.vars);
    requireNoErrors(local.problems, "run");
    const env = local.env;
    // A var given with --set wins over them all: no note that its add-on overrides it.
    applyAddonVars(env, session.vars, new Map([...local.files].filter(([key]) => !Object.hasOwn(extra, key))), say);
    const dyno = `run.${randomInt(1000, 10000)}`;
    const dynoEnv = { ...env, ...(port !== undefined && { PORT: String(port) }), PS: dyno, ...extra, [TAG_VAR]: `${runId}/${dyno}/1` };
    const command = runCommand(argv);
    return flags.tty !== false && process.stdin.isTTY && process.stdout.isTTY
      ? await runInTerminal(command, dynoEnv, app.dir)
      : await runWithPipes(command, dynoEnv, app.dir);
  } finally {
    await session.close();
    reaper.release();
  }
}

function runWithPipes(command: string, env: Record<string, string>, cwd: string): Promise<number> {
  return runInForeground(["bash", "-c", command], { cwd, env });
}

async function runInTerminal(command: string, env: Record<string, string>, cwd: string): Promise<number> {
  const stdin = process.stdin;
  const size = () => ({ cols: process.stdout.columns || 80, rows: process.stdout.rows || 24 });
  const proc = Bun.spawn(["bash", "-c", command], {
    cwd,
    env: { ...env, COLUMNS: String(size().cols), LINES: String(size().rows) },
    terminal: { ...size(), name: env.TERM || "xterm-256color", data: (_t, chunk) => process.stdout.write(chunk) },
  });
  const terminal = proc.terminal!;
  const input = (chunk: Buffer) => terminal.closed || terminal.write(chunk);
  const resize = () => terminal.closed || terminal.resize(size().cols, size().rows);
  const hangup = () => proc.kill("SIGHUP");
  const restore = () => {
    stdin.off("data", input);
    process.stdout.off("resize", resize);
    process.off("SIGTERM", hangup);
    process.off("SIGHUP", hangup);
    if (stdin.isTTY) stdin.setRawMode(false);
    stdin.pause();
  };
  process.once("exit", restore);
  try {
    stdin.setRawMode(true);
    stdin.on("data", input);
    stdin.resume();
    process.stdout.on("resize", resize);
    process.on("SIGTERM", hangup);
    process.on("SIGHUP", hangup);
    await proc.exited;
  } finally {
    restore();
    process.off("exit", restore);
    terminal.close();
  }
  return exitStatus(proc.exitCode, proc.signalCode);
}
