/**
 * Process helpers for the benchmark: per-process CPU and peak RSS read from /proc
 * (the process itself, not its children), stopping a runner, and killing every
 * process left running in a scenario's temp dir (by pid, found through /proc/PID/cwd).
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { createServer } from "node:net";
import type { Subprocess } from "bun";

const CLK_TCK = (() => {
  const out = Bun.spawnSync(["getconf", "CLK_TCK"]).stdout.toString().trim();
  return Number(out) > 0 ? Number(out) : 100;
})();

export interface SelfStats {
  /** utime + stime of the process itself, in seconds (children excluded). */
  readonly cpuSec: number;
  /** VmHWM: the process's own peak resident set, in bytes. */
  readonly hwmBytes: number;
}

/** Reads /proc/PID/stat and /proc/PID/status; null once the process has exited. */
export function selfStats(pid: number): SelfStats | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name "(...)": state is field 3, utime 14, stime 15.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (rest[0] === "Z" || rest[0] === "X") return null; // exited: a zombie has no memory figures
    const cpuSec = (Number(rest[11]) + Number(rest[12])) / CLK_TCK;
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status);
    if (!hwm) return null;
    return { cpuSec, hwmBytes: Number(hwm[1]) * 1024 };
  } catch {
    return null;
  }
}

/** Waits for a process to exit, up to `ms`; true if it did. */
export async function exitedWithin(proc: Subprocess, ms: number): Promise<boolean> {
  if (proc.exitCode !== null || proc.signalCode !== null) return true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const done = await Promise.race([proc.exited.then(() => true as const), timeout]);
  clearTimeout(timer);
  return done;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/**
 * Stops a runner: SIGTERM (to its process group when it was started detached),
 * SIGKILL after `graceMs`. Resolves once it has exited.
 */
export async function stopRunner(proc: Subprocess, group: boolean, graceMs = 10_000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  signal(group ? -proc.pid : proc.pid, "SIGTERM");
  if (await exitedWithin(proc, graceMs)) return;
  signal(group ? -proc.pid : proc.pid, "SIGKILL");
  signal(proc.pid, "SIGKILL");
  await exitedWithin(proc, 5_000);
}

/** SIGKILLs every process (other than this one) whose working directory is inside `dir`. */
export function killLeftovers(dir: string): number {
  let killed = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      continue;
    }
    if (cwd === dir || cwd.startsWith(`${dir}/`)) {
      signal(pid, "SIGKILL");
      killed++;
    }
  }
  return killed;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A base port P such that P + 100*i is free on 127.0.0.1 for every i < types. */
export async function freeBasePort(types: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 300) * 100 + Math.floor(Math.random() * 50);
    let ok = true;
    for (let i = 0; i < types && ok; i++) ok = await portFree(base + 100 * i);
    if (ok) return base;
  }
  throw new Error("no free base port found");
}
