/**
 * The process of an attached one-off dyno, as its rendezvous client talks to it: in a
 * pseudo-terminal by default (the client's keys as typed, echo, the window size it sent), or
 * on plain pipes when the client asked for no terminal (`heroku run --no-tty`, the API's
 * `force_no_tty`): stdout and stderr reach the client unechoed and untranslated, and the
 * client's end of input (^D, which heroku run writes once its piped stdin ends) closes the
 * dyno's stdin. Either way the process is a session of its own, so its group can be signalled.
 */
import { exitStatus } from "../runtime/pty-process.ts";

export interface AttachedProcess {
  readonly pid: number;
  /** Resolves with Heroku's exit status once it has exited and its output was handed on. */
  readonly exited: Promise<number>;
  /** What the client sent: keys for the terminal, or stdin. */
  write(data: Uint8Array): void;
  /** The client went away: SIGHUP, as a closed terminal sends. */
  hangup(): void;
}

export interface AttachOptions {
  readonly cwd: string;
  readonly env: Record<string, string>;
  /** A terminal of this size, or none (pipes). */
  readonly terminal?: { readonly cols: number; readonly rows: number };
  /** Receives the dyno's output as it comes. */
  readonly output: (data: Uint8Array) => void;
}

/** After the process exits, how long a pipe held open by something it left behind may still deliver output. */
const DRAIN_MS = 2_000;

/** ASCII end of transmission (^D): the heroku CLI's end of piped input. */
const EOT = 0x04;

export function spawnAttached(argv: readonly string[], options: AttachOptions): AttachedProcess {
  return options.terminal ? inTerminal(argv, options, options.terminal) : onPipes(argv, options);
}

function inTerminal(argv: readonly string[], options: AttachOptions, size: { cols: number; rows: number }): AttachedProcess {
  const proc = Bun.spawn([...argv], {
    cwd: options.cwd,
    env: options.env,
    terminal: { ...size, name: options.env.TERM ?? "xterm-256color", data: (_t, data) => options.output(data) },
  });
  const terminal = proc.terminal!;
  return {
    pid: proc.pid,
    exited: proc.exited.then(() => {
      terminal.close();
      return exitStatus(proc.exitCode, proc.signalCode);
    }),
    write: (data) => void (terminal.closed || terminal.write(data)),
    hangup: () => proc.kill("SIGHUP"),
  };
}

function onPipes(argv: readonly string[], options: AttachOptions): AttachedProcess {
  const proc = Bun.spawn([...argv], { cwd: options.cwd, env: options.env, stdin: "pipe", stdout: "pipe", stderr: "pipe", detached: true });
  let inputOpen = true;
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) options.output(chunk);
  };
  const pumped = Promise.all([pump(proc.stdout), pump(proc.stderr)]).catch(() => {});
  const exited = proc.exited.then(async () => {
    await Promise.race([pumped, Bun.sleep(DRAIN_MS)]);
    return exitStatus(proc.exitCode, proc.signalCode);
  });
  const endInput = () => {
    inputOpen = false;
    void Promise.resolve(proc.stdin.end()).catch(() => {});
  };
  return {
    pid: proc.pid,
    exited,
    write(data) {
      if (!inputOpen) return;
      const eot = data.indexOf(EOT);
      const part = eot < 0 ? data : data.subarray(0, eot);
      try {
        if (part.length > 0) proc.stdin.write(part);
        if (eot >= 0) endInput();
        else void proc.stdin.flush();
      } catch {
        inputOpen = false; // it exited or closed its stdin
      }
    },
    hangup: () => proc.kill("SIGHUP"),
  };
}
