/**
 * Starting one dyno's command with its output on pipes, as a Heroku dyno's is: its stdout and
 * stderr are not a terminal (`isatty` is false, so npm draws no spinner and Node no colors),
 * and it has no stdin. The platform's dynos run so; `hoku start` keeps a pseudo-terminal per
 * process (pty-process.ts), as a developer's terminal is one.
 *
 * Each process is its own session and process group (`detached`: setsid), whose id is its
 * pid, as a PTY's is. stdout and stderr are two pipes; each is passed on in whole lines only,
 * so a line half-written on one is never joined to a line of the other (but for a line past
 * Logplex's length, passed on as it comes, to be cut into pieces). What is left unended on a
 * pipe when it closes is passed on as a line of its own.
 */
import { MAX_LINE_BYTES } from "./line-splitter.ts";
import { exitStatus, type Spawner } from "./pty-process.ts";

const LF = 0x0a;
const NEWLINE = new Uint8Array([LF]);

export const spawnWithPipes: Spawner = (request) => {
  const proc = Bun.spawn([...request.argv], {
    cwd: request.cwd,
    env: { ...request.env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    detached: true,
  });
  const drained = Promise.all([passLines(proc.stdout, request.onData), passLines(proc.stderr, request.onData)]);
  const exited = Promise.all([proc.exited, drained]).then(() => exitStatus(proc.exitCode, proc.signalCode));
  return {
    pid: proc.pid,
    exited,
    write: () => {}, // no stdin, as a formation dyno has none
    resize: () => {},
  };
};

/** Passes `stream`'s bytes on up to its last newline, keeping the rest for the next read. */
async function passLines(stream: ReadableStream<Uint8Array>, onData: (chunk: Uint8Array) => void): Promise<void> {
  let rest: Uint8Array | undefined;
  for await (const chunk of stream) {
    const data = rest ? Buffer.concat([rest, chunk]) : chunk;
    const end = data.length > MAX_LINE_BYTES ? data.length : data.lastIndexOf(LF) + 1;
    if (end > 0) onData(end === data.length ? data : data.subarray(0, end));
    rest = end === data.length ? undefined : data.slice(end);
  }
  if (rest) onData(Buffer.concat([rest, NEWLINE]));
}
