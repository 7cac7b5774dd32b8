/**
 * Runs the real binary (dist/hoku, built by `npm test`) against fixture apps made in
 * temp folders, and reads its output as it comes.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { isPortFree } from "../../src/runtime/port-probe.ts";

export const HOKU = process.env.HOKU_BIN ?? resolve(import.meta.dir, "../../dist/hoku");

function binary(): string {
  if (!existsSync(HOKU)) throw new Error(`${HOKU} is missing: run \`npm run build\` first (npm test does it for you)`);
  return HOKU;
}

const tempDirs: string[] = [];

/** A new temp folder, removed after the run (test/setup.ts's afterAll). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Removes every folder tempDir made. */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A temp app folder with the given files (paths may contain folders). */
export function makeApp(files: Record<string, string>): string {
  const dir = tempDir("hoku-test-");
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** An environment for hoku with its state in a temp folder, so tests never touch the user's. */
export function testEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("HOKU_") && k !== "PORT") env[k] = v;
  return { ...env, XDG_STATE_HOME: tempDir("hoku-state-"), NO_COLOR: "", FORCE_COLOR: "", ...extra };
}

let nextBase = 20000 + (process.pid % 200) * 50;
/** A base port whose first few dyno ports (base..+2, +100..+102, +200..+202) are free. */
export async function freeBase(): Promise<number> {
  for (;;) {
    const base = (nextBase += 1000) % 40000 + 20000;
    const ports = [0, 1, 2, 100, 101, 102, 200, 201, 202].map((d) => base + d);
    if (ports.every((port) => isPortFree(port))) return base;
  }
}

const running = new Set<Running>();

/** SIGKILLs every hoku a test left running (a failed assertion skips its stop()). */
export function killLeftovers(): void {
  for (const hoku of running) hoku.signal("SIGKILL");
  running.clear();
}

/** A running hoku whose merged output can be awaited line by line. */
export class Running {
  readonly proc: ReturnType<typeof Bun.spawn>;
  output = "";
  readonly #waiters = new Set<() => void>();
  readonly exited: Promise<number>;

  /** `command` runs instead of the binary itself (a wrapper that execs it). */
  /** `shared`: it outlives single tests (a platform for a test file), so afterEach does not kill it. */
  constructor(args: readonly string[], options: { cwd: string; env?: Record<string, string>; stdin?: "pipe" | "ignore"; command?: readonly string[]; shared?: boolean }) {
    this.proc = Bun.spawn([...(options.command ?? [binary()]), ...args], {
      cwd: options.cwd,
      env: options.env ?? testEnv(),
      stdin: options.stdin ?? "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    const pump = async (stream: ReadableStream<Uint8Array>) => {
      const decoder = new TextDecoder();
      for await (const chunk of stream) {
        this.output += decoder.decode(chunk, { stream: true });
        for (const wake of this.#waiters) wake();
      }
    };
    const pumps = Promise.all([pump(this.proc.stdout as ReadableStream<Uint8Array>), pump(this.proc.stderr as ReadableStream<Uint8Array>)]);
    if (!options.shared) running.add(this);
    this.exited = this.proc.exited.then(async (code) => {
      running.delete(this);
      await pumps;
      for (const wake of this.#waiters) wake();
      return code;
    });
  }

  get lines(): string[] {
    return this.output.split("\n");
  }

  /** Resolves once the output matches; rejects with the output so far after `timeoutMs`. */
  waitFor(pattern: RegExp | string, timeoutMs = 15000): Promise<RegExpMatchArray> {
    const regex = typeof pattern === "string" ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) : pattern;
    return new Promise((resolvePromise, reject) => {
      const check = () => {
        const match = this.output.match(regex);
        if (match) {
          cleanup();
          resolvePromise(match);
        } else if (this.proc.exitCode !== null || this.proc.signalCode !== null) {
          // Output is drained before waiters run at exit; give one last look, then fail.
          void this.exited.then(() => {
            const last = this.output.match(regex);
            cleanup();
            if (last) resolvePromise(last);
            else reject(new Error(`hoku exited before ${regex}; output:\n${this.output}`));
          });
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${regex}; output:\n${this.output}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  signal(signal: NodeJS.Signals): void {
    this.proc.kill(signal);
  }

  /** SIGTERM, then the exit code. */
  async stop(): Promise<number> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.signal("SIGTERM");
    return this.exited;
  }
}

/** Runs hoku to completion. */
export async function runHoku(args: readonly string[], options: { cwd: string; env?: Record<string, string>; stdin?: string }) {
  const proc = Bun.spawn([binary(), ...args], {
    cwd: options.cwd,
    env: options.env ?? testEnv(),
    stdin: options.stdin === undefined ? "ignore" : new TextEncoder().encode(options.stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

/** True while the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Polls until no pid is alive; returns the survivors after `timeoutMs`. */
export async function waitAllDead(pids: readonly number[], timeoutMs = 5000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = pids.filter(isAlive);
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await Bun.sleep(50);
  }
}

/** Pids written one per line to a file by a fixture. */
export function readPids(file: string): number[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").split(/\s+/).filter(Boolean).map(Number);
}
