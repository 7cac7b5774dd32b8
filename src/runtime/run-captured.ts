/** Runs a command to completion with its stderr captured (pg_dump, initdb), without blocking the event loop. */
export async function runCaptured(argv: readonly string[], options: { uid?: number; gid?: number; env?: Record<string, string | undefined> } = {}): Promise<{ code: number; stderr: string }> {
  const proc = Bun.spawn([...argv], { stdin: "ignore", stdout: "ignore", stderr: "pipe", ...options });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  return { code, stderr: stderr.trim() };
}
