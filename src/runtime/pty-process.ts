/**
 * Starting one dyno's command in its own pseudo-terminal, as `bash -c "<command>"` (joined to
 * its cgroup first when the containment has one).
 * Bun's PTY spawn calls setsid(), so each dyno is a session and a process group
 * whose id is its pid; the PTY hangup reaches the whole session if hoku dies.
 */

/** Linux signal numbers (node:os would cost startup time for this one table). */
const SIGNALS: Readonly<Record<string, number>> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8,
  SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15,
};

/** What the supervisor asks for. */
export interface SpawnRequest {
  /** The Procfile command, verbatim. */
  readonly command: string;
  /** What to run: `bash -c <command>`, wrapped by the containment (containment.ts). */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly cols: number;
  readonly rows: number;
  /** Receives the PTY's output as it comes. */
  readonly onData: (chunk: Uint8Array) => void;
}

/** A started process, as the supervisor sees it. */
export interface SpawnedProcess {
  /** Also the process group id and session id. */
  readonly pid: number;
  /** Resolves with Heroku's exit status (128 + signal number when killed), after all output was delivered. */
  readonly exited: Promise<number>;
  /** Writes to the dyno's PTY (its stdin). */
  write(data: string | Uint8Array): void;
  resize(cols: number, rows: number): void;
}

/** Starts processes; injected so the supervisor can be tested with scripted ones. */
export type Spawner = (request: SpawnRequest) => SpawnedProcess;

/** Heroku's `Process exited with status N`: the exit code, or 128 + the signal's number. */
export function exitStatus(exitCode: number | null, signal: string | number | null): number {
  if (exitCode !== null) return exitCode;
  const number = typeof signal === "number" ? signal : signal ? SIGNALS[signal] : undefined;
  return 128 + (number ?? 0);
}

export const spawnInPty: Spawner = (request) => {
  const proc = Bun.spawn([...request.argv], {
    cwd: request.cwd,
    env: { ...request.env },
    terminal: {
      cols: request.cols,
      rows: request.rows,
      name: request.env.TERM ?? "xterm-256color",
      data: (_terminal, chunk) => request.onData(chunk),
    },
  });
  const terminal = proc.terminal!;
  const exited = proc.exited.then(() => {
    const status = exitStatus(proc.exitCode, proc.signalCode);
    terminal.close();
    return status;
  });
  return {
    pid: proc.pid,
    exited,
    write: (data) => {
      if (!terminal.closed) terminal.write(data);
    },
    resize: (cols, rows) => {
      if (!terminal.closed) terminal.resize(cols, rows);
    },
  };
};
