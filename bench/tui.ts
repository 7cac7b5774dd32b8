/**
 * Benchmark of hoku start's terminal UI, in a real terminal (tmux), per the TUI issue:
 *  (c) two dynos printing N lines each (default 200,000): wall time in TUI mode vs plain
 *      mode in the same terminal (target: within 1.5x), and no line lost from the
 *      scrollback (run with --scrollback large enough to hold everything);
 *  (d) key press to screen update while flooding (target: under 100 ms);
 *  (e) hoku's idle CPU with 5 idle dynos over 10 s (target: under 1% of one core).
 * Medians of HOKU_BENCH_RUNS (default 3). Wall time is measured the same way in both
 * modes: until each generator has written its last line into its PTY and touched a file.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freeBasePort, killLeftovers, selfStats } from "./procs.ts";

const HOKU = process.env.HOKU_BENCH_BIN ?? resolve(import.meta.dir, "../dist/hoku");
const RUNS = Number(process.env.HOKU_BENCH_RUNS) || 3;
const LINES = Number(process.env.HOKU_BENCH_LINES) || 200_000;
const SOCKET = `hoku-bench-${process.pid}`;
/** Where hoku keeps app state during the bench: a temp folder, not the user's (tmux passes it on). */
const STATE = mkdtempSync(join(tmpdir(), "hoku-bench-state-"));

function tmux(...args: string[]): string {
  const out = Bun.spawnSync(["tmux", "-L", SOCKET, ...args], { stderr: "pipe", env: { ...process.env, XDG_STATE_HOME: STATE } });
  return out.stdout.toString();
}

/**
 * hoku's own pid. Its command line starts with the binary; the tmux server's and the pane
 * shell's command lines hold the same text further on, so an unanchored pattern found them.
 */
function hokuPid(port: number): number | undefined {
  const binary = HOKU.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const out = Bun.spawnSync(["pgrep", "-f", `^${binary} start -p ${port}( |$)`]).stdout.toString().trim();
  return out ? Number(out.split("\n")[0]) : undefined;
}

async function until(check: () => boolean, timeoutMs: number, stepMs = 5): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (check()) return true;
    await Bun.sleep(stepMs);
  }
  return check();
}

function app(types: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "hoku-bench-tui-"));
  writeFileSync(join(dir, "Procfile"), Object.entries(types).map(([t, c]) => `${t}: ${c}`).join("\n") + "\n");
  writeFileSync(join(dir, "app.json"), JSON.stringify({ name: "bench" }));
  return dir;
}

const generator = (id: string) =>
  `awk 'BEGIN{for(i=1;i<=${LINES};i++) printf "${id}-%06d-%s\\n", i, "${"x".repeat(71)}"}'; touch done-${id}; exec sleep 1000`;

function startSession(dir: string, command: string): void {
  tmux("kill-server");
  tmux("new-session", "-d", "-x", "160", "-y", "40", "-c", dir, command);
}

/** One flood run; returns wall ms, key latencies (TUI only) and the scrollback report. */
async function flood(mode: "tui" | "plain") {
  const dir = app({ a: generator("A"), b: generator("B") });
  const port = await freeBasePort(2);
  const report = join(dir, "report.json");
  const flags = mode === "tui" ? `--scrollback ${LINES + 100}` : "--no-tui";
  const started = performance.now();
  startSession(dir, `HOKU_TUI_REPORT=${report} ${HOKU} start -p ${port} ${flags}; sleep 5`);
  const latencies: number[] = [];
  const done = () => existsSync(join(dir, "done-A")) && existsSync(join(dir, "done-B"));
  if (mode === "tui") {
    await until(() => tmux("capture-pane", "-p").includes("⬢ bench"), 10_000);
    for (let i = 0; i < 3 && !done(); i++) {
      const pressed = performance.now();
      tmux("send-keys", "?");
      if (await until(() => tmux("capture-pane", "-p").includes("hoku keys"), 5_000, 2)) latencies.push(performance.now() - pressed);
      tmux("send-keys", "Escape");
      await until(() => !tmux("capture-pane", "-p").includes("hoku keys"), 5_000, 2);
    }
  }
  await until(done, 120_000, 10);
  const wall = performance.now() - started;
  const pid = hokuPid(port);
  if (mode === "tui") tmux("send-keys", "q");
  else if (pid) process.kill(pid, "SIGTERM");
  await until(() => hokuPid(port) === undefined, 15_000, 20);
  const scrollback = existsSync(report) ? (JSON.parse(readFileSync(report, "utf8")) as { received: number; kept: number; dropped: number }) : undefined;
  tmux("kill-server");
  killLeftovers(dir);
  rmSync(dir, { recursive: true, force: true });
  return { wall, latencies, scrollback };
}

async function idleCpu(): Promise<number> {
  const types = Object.fromEntries(["a", "b", "c", "d", "e"].map((t) => [t, "exec sleep 1000"]));
  const dir = app(types);
  const port = await freeBasePort(5);
  startSession(dir, `${HOKU} start -p ${port}; sleep 5`);
  await until(() => hokuPid(port) !== undefined, 10_000, 20);
  const pid = hokuPid(port)!;
  await Bun.sleep(2000); // let start-up settle
  const before = selfStats(pid)!;
  const t0 = performance.now();
  await Bun.sleep(10_000);
  const after = selfStats(pid)!;
  const percent = ((after.cpuSec - before.cpuSec) / ((performance.now() - t0) / 1000)) * 100;
  tmux("send-keys", "q");
  await until(() => hokuPid(port) === undefined, 15_000, 20);
  tmux("kill-server");
  killLeftovers(dir);
  rmSync(dir, { recursive: true, force: true });
  return percent;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)]!;
};

async function main() {
  if (!existsSync(HOKU)) throw new Error("dist/hoku is missing: run npm run build");
  if (!Bun.which("tmux")) throw new Error("tmux is needed for the TUI benchmark (apt-get install tmux)");
  process.on("exit", () => {
    tmux("kill-server");
    rmSync(STATE, { recursive: true, force: true });
  });
  const plain: number[] = [];
  const tui: number[] = [];
  const keys: number[] = [];
  let lost = 0;
  for (let run = 0; run < RUNS; run++) {
    plain.push((await flood("plain")).wall);
    const result = await flood("tui");
    tui.push(result.wall);
    keys.push(...result.latencies);
    const s = result.scrollback;
    // Every received line must still be in the scrollback (nothing dropped, all kept).
    lost += s ? s.received - s.kept + s.dropped : LINES * 2;
  }
  const idle = await idleCpu();
  const ratio = median(tui) / median(plain);
  const keyMedian = median(keys);
  const keyWorst = Math.max(...keys);
  console.log(`\nTUI benchmark: 2 dynos x ${LINES} lines in tmux 160x40, median of ${RUNS}\n`);
  console.log("| figure | value |\n|---|---:|");
  console.log(`| (c) wall, plain mode in the terminal | ${median(plain).toFixed(0)} ms |`);
  console.log(`| (c) wall, TUI mode | ${median(tui).toFixed(0)} ms (${ratio.toFixed(2)}x plain) |`);
  console.log(`| (c) lines lost from the scrollback, all runs | ${lost} |`);
  console.log(`| (d) key press to screen update while flooding | median ${keyMedian.toFixed(0)} ms, worst ${keyWorst.toFixed(0)} ms (${keys.length} presses) |`);
  console.log(`| (e) idle CPU, 5 idle dynos, 10 s | ${idle.toFixed(2)} % of one core |`);
  console.log("\nTargets (TUI):");
  console.log(`${ratio <= 1.5 ? "PASS" : "FAIL"}  (c) TUI wall ${ratio.toFixed(2)}x plain <= 1.5x`);
  console.log(`${lost === 0 ? "PASS" : "FAIL"}  (c) no line lost from the scrollback (${lost})`);
  console.log(`${keyWorst < 100 ? "PASS" : "FAIL"}  (d) key press to update < 100 ms (worst ${keyWorst.toFixed(0)} ms)`);
  console.log(`${idle < 1 ? "PASS" : "FAIL"}  (e) idle CPU ${idle.toFixed(2)} % < 1 %`);
}

await main();
