/**
 * hoku's runner benchmark (prints figures; not a test). Run with `npm run bench`.
 *
 * Four runners start the same Procfile commands:
 *   shell  a bash script starting them in the background (`bash -c CMD &`), output to a pipe / files
 *   pty    the same script under `script -qfc "bash run.sh" /dev/null`: one plain pseudo-terminal
 *   hoku   dist/hoku start --no-tui --color never -p <free base port>
 *   nf     node-foreman: nf start -j Procfile
 *
 * (a) startup: 4 types that each print one line then sleep; milliseconds from spawn until
 *     all 4 lines have reached the runner's stdout (a pipe).
 * (b) throughput: 2 types each printing HOKU_BENCH_LINES (200,000) numbered 80-character
 *     lines, then sleeping; output to a file, polled every 10 ms until both last lines are
 *     in it. Wall time, lines lost or broken, the runner's own CPU seconds and peak RSS.
 *
 * Each figure is the median of HOKU_BENCH_RUNS (5) runs; runners take turns within a run, so
 * ratios compare runners measured side by side. Targets for hoku: (a) the 4 first lines within
 * 50 ms; (b) wall within 1.25x the PTY baseline, 0 lines lost or broken and peak RSS under 80 MB
 * in every run.
 */
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import { freeBasePort, killLeftovers, type SelfStats, selfStats, stopRunner } from "./procs.ts";
import { LINE_WIDTH, PAD, verify } from "./verify.ts";

const ROOT = resolve(import.meta.dir, "..");
const HOKU = join(ROOT, "dist/hoku");
const NF = join(ROOT, "node_modules/.bin/nf");
const RUNS = positiveInt(process.env.HOKU_BENCH_RUNS, 5);
const LINES = Math.min(positiveInt(process.env.HOKU_BENCH_LINES, 200_000), 999_999);
const POLL_MS = 10;
/** Targets: (a) hoku's 4 first lines, (b) hoku's peak RSS under a flood, in every run. */
const STARTUP_LIMIT_MS = 50;
const RSS_LIMIT_MB = 80;
const STARTUP_TIMEOUT_MS = 20_000;
const THROUGHPUT_TIMEOUT_MS = 120_000 + LINES; // 1 ms per line on top: generous, still bounded

type Runner = "shell" | "pty" | "hoku" | "nf";
const RUNNERS: readonly Runner[] = ["shell", "pty", "hoku", "nf"];
const LABEL: Record<Runner, string> = {
  shell: "shell script (baseline)",
  pty: "script -qfc (PTY baseline)",
  hoku: "hoku start",
  nf: "node-foreman (nf start)",
};

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value && Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Where hoku keeps app state during the bench: a temp folder, not the user's. */
const STATE = mkdtempSync(join(tmpdir(), "hoku-bench-state-"));
/** The children's environment: the bench's own, without a PORT that would steer hoku. */
const childEnv: Record<string, string> = { XDG_STATE_HOME: STATE };
for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== "PORT" && k !== "FORCE_COLOR" && k !== "XDG_STATE_HOME") childEnv[k] = v;

// ---------------------------------------------------------------- cleanup on any exit

const activeProcs = new Set<{ proc: Subprocess; group: boolean }>();
const activeDirs = new Set<string>();

function emergencyCleanup(): void {
  for (const { proc, group } of activeProcs) {
    try {
      process.kill(group ? -proc.pid : proc.pid, "SIGKILL");
    } catch {}
  }
  for (const dir of activeDirs) {
    killLeftovers(dir);
    rmSync(dir, { recursive: true, force: true });
  }
  rmSync(STATE, { recursive: true, force: true });
}
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
  process.on(sig, () => {
    emergencyCleanup();
    process.exit(130);
  });

function makeDir(scenario: string): string {
  const dir = mkdtempSync(join(tmpdir(), `hoku-bench-${scenario}-`));
  activeDirs.add(dir);
  return dir;
}

async function removeDir(dir: string): Promise<void> {
  // Twice, in case a process was between fork and exec the first time.
  killLeftovers(dir);
  await Bun.sleep(20);
  killLeftovers(dir);
  rmSync(dir, { recursive: true, force: true });
  activeDirs.delete(dir);
}

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

interface Type {
  readonly name: string;
  readonly command: string;
}

function writeApp(dir: string, types: readonly Type[], shellRedirect?: (t: Type) => string): void {
  writeFileSync(join(dir, "Procfile"), types.map((t) => `${t.name}: ${t.command}\n`).join(""));
  const script = (redirect: boolean) =>
    `#!/bin/bash\n${types.map((t) => `bash -c ${sq(t.command)}${redirect && shellRedirect ? ` > ${shellRedirect(t)}` : ""} &\n`).join("")}wait\n`;
  writeFileSync(join(dir, "run.sh"), script(true));
  writeFileSync(join(dir, "run-pty.sh"), script(false));
}

interface Launch {
  readonly argv: string[];
  /** Started in its own session: stopped by signalling the process group. */
  readonly detached: boolean;
}

function launch(runner: Runner, port: number): Launch {
  switch (runner) {
    case "shell":
      return { argv: ["bash", "run.sh"], detached: true };
    case "pty":
      return { argv: ["script", "-qfc", "bash run-pty.sh", "/dev/null"], detached: false };
    case "hoku":
      return { argv: [HOKU, "start", "--no-tui", "--color", "never", "-p", String(port)], detached: false };
    case "nf":
      return { argv: [NF, "start", "-j", "Procfile"], detached: true };
  }
}

function tail(path: string, chars = 600): string {
  try {
    const text = readFileSync(path, "utf8");
    return text.slice(-chars);
  } catch {
    return "";
  }
}

// ---------------------------------------------------------------- (a) startup

const STARTUP_TYPES: readonly Type[] = ["a", "b", "c", "d"].map((n) => ({ name: n, command: `echo ready-${n}; exec sleep 30` }));
const READY = /(?:^|[ |])ready-([a-d])\r?$/;

async function startupOnce(runner: Runner): Promise<{ ms: number; rssMB: number }> {
  const dir = makeDir("startup");
  try {
    writeApp(dir, STARTUP_TYPES);
    const port = runner === "hoku" ? await freeBasePort(STARTUP_TYPES.length) : 0;
    const { argv, detached } = launch(runner, port);
    const errFd = openSync(join(dir, "stderr.txt"), "w");
    const t0 = performance.now();
    const proc = Bun.spawn(argv, { cwd: dir, env: childEnv, stdin: "ignore", stdout: "pipe", stderr: errFd, detached });
    closeSync(errFd);
    const handle = { proc, group: detached };
    activeProcs.add(handle);

    const seen = new Map<string, number>();
    let resolveAll!: (t: number) => void;
    const allSeen = new Promise<number>((r) => (resolveAll = r));
    let output = "";
    const reader = proc.stdout.getReader();
    const pump = (async () => {
      const decoder = new TextDecoder();
      let partial = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const now = performance.now();
        const text = partial + decoder.decode(value, { stream: true });
        if (output.length < 20_000) output += text;
        const lines = text.split("\n");
        partial = lines.pop()!;
        for (const line of lines) {
          const m = READY.exec(line);
          if (m && !seen.has(m[1]!)) {
            seen.set(m[1]!, now);
            if (seen.size === STARTUP_TYPES.length) resolveAll(now);
          }
        }
      }
    })();
    const timeout = Bun.sleep(STARTUP_TIMEOUT_MS).then(() => Number.NaN);
    const tAll = await Promise.race([allSeen, timeout]);
    const rssMB = (selfStats(proc.pid)?.hwmBytes ?? Number.NaN) / (1024 * 1024);

    await stopRunner(proc, detached);
    activeProcs.delete(handle);
    await Promise.race([pump, Bun.sleep(5_000)]);
    reader.cancel().catch(() => {});
    if (Number.isNaN(tAll)) {
      console.error(`  ! ${runner}: not all 4 ready lines within ${STARTUP_TIMEOUT_MS} ms (saw ${[...seen.keys()].join(",") || "none"})`);
      console.error(`    stdout: ${JSON.stringify(output.slice(-400))}\n    stderr: ${JSON.stringify(tail(join(dir, "stderr.txt"), 400))}`);
      return { ms: Number.POSITIVE_INFINITY, rssMB };
    }
    return { ms: tAll - t0, rssMB };
  } finally {
    await removeDir(dir);
  }
}

// ---------------------------------------------------------------- (b) throughput

const IDS = ["A", "B"] as const;
const GEN_AWK = `BEGIN{pad=sprintf("%${PAD}s",""); gsub(/ /,"x",pad); for(i=1;i<=n;i++) printf "%s-%06d-%s\\n", id, i, pad}\n`;
const THROUGHPUT_TYPES: readonly Type[] = IDS.map((id) => ({
  name: `gen${id.toLowerCase()}`,
  command: `awk -v id=${id} -v n=${LINES} -f gen.awk; exec sleep 1000`,
}));

/** Follows a growing file, looking for marker strings in the bytes appended since the last poll. */
class Follower {
  private readonly fd: number;
  private pos = 0;
  private carry = Buffer.alloc(0);
  private readonly buf = Buffer.allocUnsafe(1 << 20);
  constructor(path: string) {
    this.fd = openSync(path, "r");
  }
  poll(markers: Map<string, boolean>): void {
    for (;;) {
      const n = readSync(this.fd, this.buf, 0, this.buf.length, this.pos);
      if (n <= 0) return;
      this.pos += n;
      const view = Buffer.concat([this.carry, this.buf.subarray(0, n)]);
      for (const [marker, found] of markers) if (!found && view.includes(marker)) markers.set(marker, true);
      this.carry = Buffer.from(view.subarray(Math.max(0, view.length - 32)));
    }
  }
  close(): void {
    closeSync(this.fd);
  }
}

interface Throughput {
  readonly wallMs: number;
  readonly bad: number;
  readonly detail: string;
  readonly cpuSec: number;
  readonly rssMB: number;
}

async function throughputOnce(runner: Runner): Promise<Throughput> {
  const dir = makeDir("throughput");
  try {
    writeFileSync(join(dir, "gen.awk"), GEN_AWK);
    writeApp(dir, THROUGHPUT_TYPES, (t) => `out.${t.name}.txt`);
    // The shell baseline writes each process to its own file (two block-buffered writers on
    // one file would interleave mid-line); every other runner multiplexes into out.txt.
    const outs = runner === "shell" ? THROUGHPUT_TYPES.map((t) => join(dir, `out.${t.name}.txt`)) : [join(dir, "out.txt")];
    for (const out of outs) writeFileSync(out, "");
    const port = runner === "hoku" ? await freeBasePort(THROUGHPUT_TYPES.length) : 0;
    const { argv, detached } = launch(runner, port);
    const outFd = openSync(join(dir, "out.txt"), "w");
    const errFd = openSync(join(dir, "stderr.txt"), "w");
    const t0 = performance.now();
    const proc = Bun.spawn(argv, { cwd: dir, env: childEnv, stdin: "ignore", stdout: outFd, stderr: errFd, detached });
    closeSync(outFd);
    closeSync(errFd);
    const handle = { proc, group: detached };
    activeProcs.add(handle);

    const followers = outs.map((p) => new Follower(p));
    const last = String(LINES).padStart(6, "0");
    const markers = new Map(IDS.map((id) => [`${id}-${last}-`, false]));
    let sample: SelfStats | null = selfStats(proc.pid);
    let tEnd = Number.NaN;
    const deadline = t0 + THROUGHPUT_TIMEOUT_MS;
    while (performance.now() < deadline && proc.exitCode === null && proc.signalCode === null) {
      for (const f of followers) f.poll(markers);
      sample = selfStats(proc.pid) ?? sample;
      if ([...markers.values()].every(Boolean)) {
        tEnd = performance.now();
        break;
      }
      await Bun.sleep(POLL_MS);
    }
    for (const f of followers) f.close();

    // Stop, still sampling the runner's own CPU and peak RSS until it is gone.
    let stopped = false;
    const stopping = stopRunner(proc, detached).then(() => (stopped = true));
    while (!stopped) {
      sample = selfStats(proc.pid) ?? sample;
      await Promise.race([stopping, Bun.sleep(POLL_MS)]);
    }
    activeProcs.delete(handle);
    // Not proc.resourceUsage(): its cpuTime includes the reaped dynos (bash, awk), and its
    // maxRSS includes this bench's own RSS (the child was spawned vfork-style, and exec
    // records the old, shared address space's high-water mark). /proc is the process alone.
    const peak = sample?.hwmBytes ?? Number.NaN;

    const texts = await Promise.all(outs.map((p) => Bun.file(p).text()));
    const v = verify(texts, IDS, LINES);
    if (Number.isNaN(tEnd)) {
      console.error(`  ! ${runner}: both last lines not seen (exit ${proc.exitCode ?? proc.signalCode})`);
      console.error(`    out: ${JSON.stringify(texts.map((t) => t.slice(-300)))}\n    stderr: ${JSON.stringify(tail(join(dir, "stderr.txt"), 400))}`);
    }
    return {
      wallMs: Number.isNaN(tEnd) ? Number.POSITIVE_INFINITY : tEnd - t0,
      bad: v.bad,
      detail: `intact ${v.intact}, lost ${v.lost}, broken ${v.broken}, dup ${v.duplicated}, reordered ${v.reordered}`,
      cpuSec: sample?.cpuSec ?? Number.NaN,
      rssMB: peak / (1024 * 1024),
    };
  } finally {
    await removeDir(dir);
  }
}

// ---------------------------------------------------------------- statistics and report

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

type Figure = "startup_ms" | "startup_rss_mb" | "wall_ms" | "bad_lines" | "cpu_s" | "rss_mb" | "cpu_us_per_line";
const FIGURES: readonly { key: Figure; label: string; digits: number }[] = [
  { key: "startup_ms", label: "(a) 4 first lines, ms", digits: 1 },
  { key: "startup_rss_mb", label: "(a) runner peak RSS with 4 idle processes, MB", digits: 1 },
  { key: "wall_ms", label: "(b) wall, ms", digits: 0 },
  { key: "bad_lines", label: "(b) lines lost or broken", digits: 0 },
  { key: "cpu_s", label: "(b) runner CPU, s", digits: 2 },
  { key: "cpu_us_per_line", label: "(b) runner CPU per line, µs", digits: 2 },
  { key: "rss_mb", label: "(b) runner peak RSS, MB", digits: 1 },
];

const samples = new Map<Runner, Map<Figure, number[]>>(RUNNERS.map((r) => [r, new Map(FIGURES.map((f) => [f.key, []]))]));
const record = (r: Runner, f: Figure, v: number) => samples.get(r)!.get(f)!.push(v);
const med = (r: Runner, f: Figure) => median(samples.get(r)!.get(f)!);

function fmt(v: number, digits: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "n/a" : "timeout";
  return v.toFixed(digits);
}

function ratio(v: number, base: number): string {
  if (!Number.isFinite(v) || !Number.isFinite(base) || base <= 0) return "-";
  return `${(v / base).toFixed(2)}x`;
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

async function main(): Promise<void> {
  if (!existsSync(HOKU)) throw new Error(`${HOKU} is missing: run \`npm run build\` (npm run bench does)`);
  if (!existsSync(NF)) throw new Error(`${NF} is missing: node-foreman is a devDependency`);
  const cores = cpus().length;
  console.log(`hoku bench: ${RUNS} starts and ${RUNS} floods per runner, ${LINES} lines x 2 processes, ${cores} cores, ${cpus()[0]?.model ?? "?"}, bun ${Bun.version}, ${new Date().toISOString()}`);

  // Warm-up (not counted): page cache for the binaries, bash, script, node.
  for (const r of RUNNERS) await startupOnce(r);

  for (let i = 0; i < RUNS; i++) {
    for (const r of rotate(RUNNERS, i)) {
      const { ms, rssMB } = await startupOnce(r);
      record(r, "startup_ms", ms);
      record(r, "startup_rss_mb", rssMB);
      console.error(`  run ${i + 1}/${RUNS} (a) ${r.padEnd(5)} ${fmt(ms, 1)} ms, rss ${fmt(rssMB, 1)} MB`);
    }
  }
  for (let i = 0; i < RUNS; i++) {
    for (const r of rotate(RUNNERS, i)) {
      const t = await throughputOnce(r);
      record(r, "wall_ms", t.wallMs);
      record(r, "bad_lines", t.bad);
      record(r, "cpu_s", t.cpuSec);
      record(r, "cpu_us_per_line", (t.cpuSec * 1e6) / (2 * LINES));
      record(r, "rss_mb", t.rssMB);
      console.error(
        `  run ${i + 1}/${RUNS} (b) ${r.padEnd(5)} wall ${fmt(t.wallMs, 0)} ms, cpu ${fmt(t.cpuSec, 2)} s, rss ${fmt(t.rssMB, 1)} MB, ${t.detail}`,
      );
    }
  }

  console.log(`\nMedian of ${RUNS} runs; ratios are median / baseline median (CPU and RSS are each runner's own process, children excluded).\n`);
  console.log("| runner | figure | median | min | max | vs shell | vs PTY |");
  console.log("|---|---|---:|---:|---:|---:|---:|");
  for (const f of FIGURES) {
    for (const r of RUNNERS) {
      const values = samples.get(r)!.get(f.key)!;
      const m = median(values);
      console.log(
        `| ${LABEL[r]} | ${f.label} | ${fmt(m, f.digits)} | ${fmt(Math.min(...values), f.digits)} | ${fmt(Math.max(...values), f.digits)} | ${ratio(m, med("shell", f.key))} | ${ratio(m, med("pty", f.key))} |`,
      );
    }
  }

  const startup = med("hoku", "startup_ms");
  const wall = med("hoku", "wall_ms");
  const wallLimit = 1.25 * med("pty", "wall_ms");
  const worstBad = Math.max(...samples.get("hoku")!.get("bad_lines")!);
  const rss = med("hoku", "rss_mb");
  const worstRss = Math.max(...samples.get("hoku")!.get("rss_mb")!);
  const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");
  console.log("\nTargets (hoku):");
  console.log(`${verdict(startup <= STARTUP_LIMIT_MS)}  (a) 4 first lines ${fmt(startup, 1)} ms <= ${STARTUP_LIMIT_MS} ms (shell ${fmt(med("shell", "startup_ms"), 1)} ms, PTY ${fmt(med("pty", "startup_ms"), 1)} ms)`);
  console.log(`${verdict(wall <= wallLimit)}  (b) wall ${fmt(wall, 0)} ms <= 1.25 x PTY = ${fmt(wallLimit, 0)} ms (${ratio(wall, med("pty", "wall_ms"))} of PTY)`);
  console.log(`${verdict(worstBad === 0)}  (b) lines lost or broken: ${worstBad} in the worst run (must be 0)`);
  console.log(`${verdict(worstRss < RSS_LIMIT_MB)}  (b) peak RSS ${fmt(rss, 1)} MB median, ${fmt(worstRss, 1)} MB worst < ${RSS_LIMIT_MB} MB`);
  console.log(`\nEach line is ${LINE_WIDTH} characters plus the newline.`);
}

try {
  await main();
} finally {
  emergencyCleanup();
}
