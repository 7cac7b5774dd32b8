/**
 * A dyno's memory as Heroku counts it against the quota (DY-9): each page once. A parent that
 * holds 64 MB and forks three workers (puma, gunicorn, a Node cluster) uses ~64 MB, not 4 x 64.
 */
import { afterEach, expect, test } from "bun:test";
import { treeMemoryBytes } from "../../src/runtime/proc-stats.ts";

const MB = 2 ** 20;
let proc: Bun.Subprocess<"ignore", "pipe", "inherit"> | undefined;
afterEach(() => {
  if (proc) process.kill(-proc.pid, "SIGKILL");
  proc = undefined;
});

test.skipIf(process.platform !== "linux")("pages shared by forked workers count once; a worker's own pages count too", async () => {
  const script = [
    "import os, sys, time",
    'held = bytearray(b"x") * (64 * 2**20)',
    "for n in range(3):",
    "    if os.fork() == 0:",
    "        mine = bytearray(b'y') * ((8 if n == 0 else 0) * 2**20)",
    '        print("worker", flush=True); time.sleep(60); os._exit(0)',
    "time.sleep(60)",
  ].join("\n");
  proc = Bun.spawn(["python3", "-c", script], { stdin: "ignore", stdout: "pipe", stderr: "inherit", detached: true });
  const reader = proc.stdout.getReader();
  let seen = "";
  while ((seen.match(/worker/g) ?? []).length < 3) seen += new TextDecoder().decode((await reader.read()).value);
  await Bun.sleep(200);
  const bytes = treeMemoryBytes(proc.pid);
  expect(bytes).toBeGreaterThan(70 * MB); // the 64 MB once, the first worker's own 8 MB, the interpreters
  expect(bytes).toBeLessThan(110 * MB); // summing each process's resident size would give over 4 x 64 MB
});
