/**
 * Starting one dyno's command with its output on pipes, as a Heroku dyno's is: its stdout and
 * stderr are not a terminal (`isatty` is false, so npm draws no spinner and Node no colors),
 * and it has no stdin. The platform's dynos run so; `hoku start` keeps a pseudo-terminal per
 * process (pty-process.ts), as a developer's terminal is one.
 *
 * Each process is its own session and process group (`detached`: setsid), whose id is its
 * pid, as a PTY's is. stdout and stderr are two pipes; each is passed on in whole lines only,
 * so a line half-written on one is never joined to a line of the other (but for a partial line
 * past Logplex's length, passed on as it comes, to be cut into pieces). What is left unended
 * on a pipe when it closes is passed on as a line of its own.
 *
 * The dyno has exited when its command has, as with a PTY: a background child that still
 * holds the pipes gets a short grace for its last lines, then they are no longer read.
 */
import { MAX_LINE_BYTES } from "./line-splitter.ts";
import { exitStatus, type Spawner } from "./pty-process.ts";

const LF = 0x0a;
const NEWLINE = new Uint8Array([LF]);
/** How long output still read after the command exited may take to arrive. */
const PIPE_GRACE_MS = 200;

export const spawnWithPipes: Spawner = (request) => {
  const proc = Bun.spawn([...request.argv], {
    cwd: request.cwd,
    env: { ...request.env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    detached: true,
  });
  const pipes = [passLines(proc.stdout, request.onData), passLines(proc.stderr, request.onData)];
  const exited = proc.exited.then(async () => {
    await Promise.race([Promise.all(pipes.map((pipe) => pipe.done)), Bun.sleep(PIPE_GRACE_MS)]);
    for (const pipe of pipes) pipe.stop();
    return exitStatus(proc.exitCode, proc.signalCode);
  });
  return {
    pid: proc.pid,
    exited,
    write: () => {}, // no stdin, as a formation dyno has none
    resize: () => {},
  };
};

interface Pipe {
  /** Resolves once the pipe has closed and its last line was passed on. */
  readonly done: Promise<void>;
  /** Stops reading (at once if it is done) and passes on what is left. */
  stop(): void;
}

/** Passes `stream`'s bytes on up to its last newline, keeping the rest for the next read. */
function passLines(stream: ReadableStream<Uint8Array>, onData: (chunk: Uint8Array) => void): Pipe {
  const reader = stream.getReader();
  let rest: Uint8Array | undefined;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    if (rest) onData(Buffer.concat([rest, NEWLINE]));
    rest = undefined;
  };
  const done = (async () => {
    try {
      for (let chunk = await reader.read(); !chunk.done && !ended; chunk = await reader.read()) {
        const data = rest ? Buffer.concat([rest, chunk.value]) : chunk.value;
        const lineEnd = data.lastIndexOf(LF) + 1;
        // A partial line past the limit goes on now (the splitter cuts it), so memory stays bounded.
        const cut = data.length - lineEnd > MAX_LINE_BYTES ? data.length : lineEnd;
        if (cut > 0) onData(cut === data.length ? data : data.subarray(0, cut));
        rest = cut === data.length ? undefined : data.slice(cut);
      }
    } catch {
      // cancelled by stop()
    }
    end();
  })();
  return {
    done,
    stop: () => {
      end();
      void reader.cancel().catch(() => {});
    },
  };
}
