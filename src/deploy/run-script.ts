/**
 * Runs one buildpack script (bin/detect, bin/compile, bin/release) in a process group of its
 * own, so a build that times out or is cancelled stops with everything it started (npm, pip,
 * their children). Its output is read as lines: streamed to the transcript for bin/compile,
 * kept for bin/detect and bin/release, whose stdout is an answer.
 */
import { signalGroup } from "../runtime/kill.ts";

export interface ScriptOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** When the build must be over (ms since the epoch): the group is killed then. */
  readonly deadline: number;
  /** Cancels the build: the group is killed. */
  readonly signal?: AbortSignal;
  /** Gets the process group as soon as it exists (a reaper can stop it if hoku dies). */
  readonly watch?: (pgid: number) => void;
  /** Each line of stdout and stderr together, in order (bin/compile); else both are kept. */
  readonly onLine?: (line: string) => void;
}

export interface ScriptResult {
  readonly code: number;
  /** stdout, when no onLine was given. */
  readonly stdout: string;
  /** stderr, when no onLine was given. */
  readonly stderr: string;
  /** Why the group was killed, if it was. */
  readonly killed?: "timeout" | "cancelled";
}

/** A progress bar redraws its line with `\r`: keep what a terminal would end up showing. */
function visible(line: string): string {
  const text = line.endsWith("\r") ? line.slice(0, -1) : line;
  const cr = text.lastIndexOf("\r");
  return cr < 0 ? text : text.slice(cr + 1);
}

async function streamLines(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of stream) {
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) onLine(visible(line));
  }
  pending += decoder.decode();
  if (pending !== "") onLine(visible(pending));
}

/**
 * Runs `argv`. With onLine, stderr joins stdout in one pipe (`2>&1` in a bash wrapper that
 * first sources `exports`, the earlier buildpacks' export files), so lines keep their order.
 */
export async function runScript(argv: readonly string[], options: ScriptOptions, exports: readonly string[] = []): Promise<ScriptResult> {
  const merged = options.onLine !== undefined;
  const command = merged ? ["bash", "-c", 'while [ "$1" != -- ]; do . "$1"; shift; done; shift; exec "$@" 2>&1', "bash", ...exports, "--", ...argv] : [...argv];
  const proc = Bun.spawn(command, { cwd: options.cwd, env: { ...options.env }, stdin: "ignore", stdout: "pipe", stderr: merged ? "ignore" : "pipe", detached: true });
  options.watch?.(proc.pid);

  let killed: ScriptResult["killed"];
  const kill = (why: NonNullable<ScriptResult["killed"]>) => {
    killed ??= why;
    signalGroup(proc.pid, "SIGTERM");
    setTimeout(() => signalGroup(proc.pid, "SIGKILL"), 3000).unref();
  };
  const timer = setTimeout(() => kill("timeout"), Math.max(0, options.deadline - Date.now()));
  const onAbort = () => kill("cancelled");
  options.signal?.addEventListener("abort", onAbort);
  if (options.signal?.aborted) onAbort();
  try {
    if (merged) {
      await streamLines(proc.stdout, options.onLine!);
      const code = await proc.exited;
      return { code, stdout: "", stderr: "", ...(killed && { killed }) };
    }
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr as ReadableStream).text(), proc.exited]);
    return { code, stdout, stderr, ...(killed && { killed }) };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
    // Whatever the script left running in its group (a daemon a build started) goes with it.
    signalGroup(proc.pid, "SIGKILL");
  }
}
