/**
 * Running a child command in the foreground (a client, a one-off command without a
 * PTY): it shares hoku's terminal, so Ctrl-C's SIGINT (and SIGQUIT) reach it directly
 * and hoku ignores them while it runs; SIGTERM and SIGHUP sent to hoku are passed on.
 * Asynchronous, so an add-on served inside hoku (PGlite) keeps answering meanwhile.
 */
import { exitStatus } from "../runtime/pty-process.ts";

export async function runInForeground(argv: readonly string[], options: { cwd?: string; env?: Record<string, string>; stdin?: "inherit" | "ignore" } = {}): Promise<number> {
  const proc = Bun.spawn([...argv], { cwd: options.cwd, env: options.env, stdio: [options.stdin ?? "inherit", "inherit", "inherit"] });
  const ignore = () => {};
  const forward = (signal: NodeJS.Signals) => () => proc.kill(signal);
  const handlers = [
    ["SIGINT", ignore],
    ["SIGQUIT", ignore],
    ["SIGTERM", forward("SIGTERM")],
    ["SIGHUP", forward("SIGHUP")],
  ] as const;
  for (const [signal, handler] of handlers) process.on(signal, handler);
  try {
    await proc.exited;
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
  return exitStatus(proc.exitCode, proc.signalCode);
}
