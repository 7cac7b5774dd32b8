/**
 * Runs a command to completion with its stderr captured (pg_dump, initdb), without blocking the
 * event loop. `watch`, if given, gets the command's process group (it runs in one of its own)
 * as soon as it exists: hoku's reaper then stops it if hoku dies first.
 */
export async function runCaptured(
  argv: readonly string[],
  { watch, ...options }: { uid?: number; gid?: number; env?: Record<string, string | undefined>; watch?: (pgid: number) => void } = {},
): Promise<{ code: number; stderr: string }> {
  const proc = Bun.spawn([...argv], { stdin: "ignore", stdout: "ignore", stderr: "pipe", ...options, ...(watch && { detached: true }) });
  watch?.(proc.pid);
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  return { code, stderr: stderr.trim() };
}
