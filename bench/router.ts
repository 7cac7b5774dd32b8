/**
 * Router benchmark (issue 14): a small web app answering a 1 KB body, measured with wrk
 * (Debian's package) on 127.0.0.1 in four ways taking turns in each run:
 *
 *   direct  wrk to one dyno's port
 *   hoku    wrk through hoku's router (`dist/hoku platform`, Host: <app>.localhost)
 *   nginx   wrk through nginx (Debian's package): one worker, upstream keepalive, HTTP/1.1,
 *           to the same dyno(s), an access log line per request as hoku logs a router line
 *   naive   wrk through a bare Bun.serve + fetch passthrough (the reference the issue names)
 *
 * with 1 and then 4 web dynos (the app is scaled with `hoku ps:scale`). Each figure is the median
 * of HOKU_BENCH_RUNS (5) runs of HOKU_BENCH_SECONDS (3) s, wrk -t1 -c50 --latency, each followed
 * by 2 s at one connection (-c1) for the latency a hop adds without queueing. CPU per
 * request is the proxy's own utime+stime over the run divided by its requests (for hoku, the
 * router process and the platform process, which files the router's lines). Then router
 * memory at 1,000 concurrent connections (wrk -c1000): the router process's VmRSS (sampled
 * during the run, highest) and VmHWM, and the platform process's beside it.
 *
 * Targets: hoku >= 0.8x nginx's requests/s (one worker each), added p99 < 1 ms over direct,
 * router RSS < 100 MB at 1,000 connections.
 *
 *   node_modules/.bin/bun run bench/router.ts     (npm run bench runs it after building dist/hoku)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import { anyFreePort } from "../src/runtime/port-probe.ts";
import { selfStats, stopRunner } from "./procs.ts";

const HOKU = resolve(import.meta.dir, "../dist/hoku");
const RUNS = Number(process.env.HOKU_BENCH_RUNS ?? 5);
const SECONDS = Number(process.env.HOKU_BENCH_SECONDS ?? 3);
const CONNECTIONS = 50;
const ONE_SECONDS = 2;
const RSS_CONNECTIONS = 1000;
const APP = "bench-router";
const BUN = process.execPath;

/** The dyno: Bun.serve answering 1 KB; /port says which dyno answered. */
const SERVER = `const body = "x".repeat(1023) + "\\n";
Bun.serve({ hostname: "0.0.0.0", port: Number(process.env.PORT), fetch: (req) =>
  new URL(req.url).pathname === "/port" ? new Response(process.env.PORT) : new Response(body, { headers: { "content-type": "text/plain" } }) });
console.log("listening on " + process.env.PORT);`;

/** The naive passthrough: Bun.serve + fetch, nothing else. */
const NAIVE = `const target = "http://127.0.0.1:" + process.env.TARGET_PORT;
Bun.serve({ hostname: "127.0.0.1", port: Number(process.env.PORT), idleTimeout: 0, fetch: (req) => {
  const url = req.url; const path = url.slice(url.indexOf("/", url.indexOf("//") + 2));
  return fetch(target + path, { method: req.method, headers: req.headers, body: req.body, redirect: "manual", decompress: false });
} });`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const temp = mkdtempSync(join(tmpdir(), "hoku-bench-router-"));
const KEEP = process.env.HOKU_BENCH_KEEP === "1";
const procs = new Set<Subprocess>();

function sh(cmd: string[], cwd: string, env: Record<string, string | undefined> = process.env): string {
  const r = Bun.spawnSync(cmd, { cwd, env, stdout: "pipe", stderr: "pipe", timeout: 180_000 });
  if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")} failed (${r.exitCode}): ${r.stderr.toString()}${r.stdout.toString()}`);
  return r.stdout.toString();
}

function spawn(cmd: string[], options: { cwd: string; env?: Record<string, string | undefined>; log: string }): Subprocess {
  const proc = Bun.spawn(cmd, { cwd: options.cwd, env: options.env ?? process.env, stdin: "ignore", stdout: Bun.file(options.log), stderr: Bun.file(`${options.log}.err`) });
  procs.add(proc);
  return proc;
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    await Bun.sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function cleanup(): Promise<void> {
  for (const proc of procs) await stopRunner(proc, false, 10_000);
  procs.clear();
  if (KEEP) console.error(`kept ${temp}`);
  else rmSync(temp, { recursive: true, force: true });
}
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
  process.on(sig, () => {
    for (const proc of procs) proc.kill("SIGKILL");
    rmSync(temp, { recursive: true, force: true });
    process.exit(130);
  });

// ---------------------------------------------------------------- wrk

interface WrkResult {
  readonly rps: number;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

function toMs(value: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(value.trim());
  if (!m) throw new Error(`wrk latency ${value}?`);
  const n = Number(m[1]);
  return m[2] === "us" ? n / 1000 : m[2] === "ms" ? n : m[2] === "s" ? n * 1000 : n * 60_000;
}

async function wrk(port: number, host: string | undefined, connections: number, seconds: number): Promise<WrkResult> {
  const args = ["wrk", "-t1", `-c${connections}`, `-d${seconds}s`, "--timeout", "5s", "--latency"];
  if (host) args.push("-H", `Host: ${host}`);
  args.push(`http://127.0.0.1:${port}/`);
  const proc = Bun.spawn(args, { stdout: "pipe", stderr: "pipe", timeout: (seconds + 30) * 1000 });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`wrk failed (${code}): ${err}${out}`);
  const field = (re: RegExp) => {
    const m = re.exec(out);
    if (!m) throw new Error(`wrk output without ${re}:\n${out}`);
    return m[1]!;
  };
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const errors = (socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0);
  return {
    rps: Number(field(/Requests\/sec:\s+([\d.]+)/)),
    requests: Number(field(/(\d+) requests in/)),
    p50Ms: toMs(field(/^\s+50%\s+(\S+)/m)),
    p99Ms: toMs(field(/^\s+99%\s+(\S+)/m)),
    errors,
  };
}

// ---------------------------------------------------------------- the platform and the app

const state = join(temp, "state");
const home = join(temp, "home");
const appDir = join(temp, "app");
for (const dir of [state, home, appDir]) sh(["mkdir", "-p", dir], temp);
const apiPort = anyFreePort();
const routerPort = anyFreePort();
const env: Record<string, string> = {
  ...(process.env as Record<string, string>),
  XDG_STATE_HOME: state,
  HOME: home,
  HOKU_PLATFORM_PORT: String(apiPort),
  HOKU_ROUTER_PORT: String(routerPort),
  HOKU_PLATFORM_TLS_PORT: String(anyFreePort()),
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_TERMINAL_PROMPT: "0",
};
delete env.PORT;
const hokuHost = `${APP}.localhost:${routerPort}`;

/** The proxies' processes, for CPU per request; set once each is up. */
let platformPid = 0;
let nginxPids: number[] = [];
let naivePid = 0;

function cpuSec(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + (selfStats(pid)?.cpuSec ?? 0), 0);
}

/** The platform's router process (`hoku __router`), a child of the platform. */
function routerPid(): number {
  const children = readdirSync(`/proc/${platformPid}/task`).flatMap((tid) => readFileSync(`/proc/${platformPid}/task/${tid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number));
  const pid = children.find((child) => readFileSync(`/proc/${child}/cmdline`, "utf8").split("\0").includes("__router"));
  if (!pid) throw new Error("the platform has no router process");
  return pid;
}

function vm(pid: number, field: "VmRSS" | "VmHWM"): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The dynos' ports, asking through the router until `count` different ones answered. */
async function dynoPorts(count: number): Promise<number[]> {
  const seen = new Set<number>();
  await until(`${count} web dynos`, async () => {
    for (let i = 0; i < 40; i++) {
      const r = await fetch(`http://127.0.0.1:${routerPort}/port`, { headers: { Host: hokuHost } });
      if (r.ok) seen.add(Number(await r.text()));
    }
    return seen.size >= count ? true : undefined;
  }, 120_000);
  return [...seen].sort();
}

function startNginx(ports: readonly number[]): { proc: Subprocess; port: number } {
  const port = anyFreePort();
  const dir = mkdtempSync(join(temp, "nginx-"));
  const conf = join(dir, "nginx.conf");
  writeFileSync(
    conf,
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream dynos { ${ports.map((p) => `server 127.0.0.1:${p};`).join(" ")} keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    keepalive_requests 100000;
    location / {
      proxy_pass http://dynos;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto http;
      proxy_set_header X-Forwarded-Port ${port};
      proxy_set_header X-Request-Id $request_id;
      proxy_set_header X-Request-Start $msec;
      proxy_set_header Via "1.1 vegur";
      add_header Via "1.1 vegur";
    }
  }
}
`,
  );
  const proc = spawn(["nginx", "-p", dir, "-c", conf], { cwd: dir, log: join(dir, "stdout.log") });
  return { proc, port };
}

/** nginx's master and its worker (the worker does the proxying). */
function nginxFamily(master: number): number[] {
  const children = readFileSync(`/proc/${master}/task/${master}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  return [master, ...children];
}

type Target = "direct" | "hoku" | "nginx" | "naive";
/** The router process's share of hoku's CPU per request, per run of the current scenario. */
const routerCpu: number[] = [];
const TARGETS: readonly Target[] = ["direct", "hoku", "nginx", "naive"];
interface Sample extends WrkResult {
  readonly cpuUsPerRequest: number;
  /** p99 with one connection (wrk -c1): a hop's own latency, without the queueing of -c50. */
  readonly p99OneMs: number;
}

async function scenario(dynos: number): Promise<Record<Target, Sample[]>> {
  sh([HOKU, "ps:scale", `web=${dynos}`, "-a", APP], appDir, env);
  const ports = await dynoPorts(dynos);
  const nginx = startNginx(ports);
  const naivePort = anyFreePort();
  const naive = spawn([BUN, join(temp, "naive.js")], { cwd: temp, env: { ...process.env, PORT: String(naivePort), TARGET_PORT: String(ports[0]) }, log: join(temp, "naive.log") });
  await until("nginx", async () => ((await fetch(`http://127.0.0.1:${nginx.port}/`)).ok ? true : undefined), 20_000);
  await until("naive passthrough", async () => ((await fetch(`http://127.0.0.1:${naivePort}/`)).ok ? true : undefined), 20_000);
  nginxPids = nginxFamily(nginx.proc.pid);
  naivePid = naive.pid;
  const where: Record<Target, { port: number; host?: string; pids: number[] }> = {
    direct: { port: ports[0]!, pids: [] },
    hoku: { port: routerPort, host: hokuHost, pids: [routerPid(), platformPid] },
    nginx: { port: nginx.port, pids: nginxPids },
    naive: { port: naivePort, pids: [naivePid] },
  };
  // Warm-up: the JITs and connection pools.
  for (const target of TARGETS) await wrk(where[target].port, where[target].host, CONNECTIONS, 1);
  const samples: Record<Target, Sample[]> = { direct: [], hoku: [], nginx: [], naive: [] };
  routerCpu.length = 0;
  for (let run = 0; run < RUNS; run++) {
    // Turns rotate so no target is always first (or last) after another's load.
    const order = TARGETS.map((_, i) => TARGETS[(i + run) % TARGETS.length]!);
    const line: string[] = [];
    for (const target of order) {
      const { port, host, pids } = where[target];
      const cpuBefore = cpuSec(pids);
      const routerBefore = target === "hoku" ? (selfStats(pids[0]!)?.cpuSec ?? 0) : 0;
      const result = await wrk(port, host, CONNECTIONS, SECONDS);
      const cpu = cpuSec(pids) - cpuBefore;
      if (target === "hoku") routerCpu.push((((selfStats(pids[0]!)?.cpuSec ?? 0) - routerBefore) * 1e6) / result.requests);
      const one = await wrk(port, host, 1, ONE_SECONDS);
      samples[target].push({ ...result, cpuUsPerRequest: pids.length ? (cpu * 1e6) / result.requests : NaN, p99OneMs: one.p99Ms });
      line.push(`${target} ${result.rps.toFixed(0)} rps p99 ${result.p99Ms.toFixed(2)} ms${result.errors ? ` (${result.errors} errors)` : ""}`);
    }
    console.error(`  ${dynos} dyno(s), run ${run + 1}: ${line.join(", ")}`);
  }
  await stopRunner(naive, false);
  await stopRunner(nginx.proc, false);
  procs.delete(naive);
  procs.delete(nginx.proc);
  return samples;
}

function report(dynos: number, samples: Record<Target, Sample[]>): { ratio: number; addedP99: number; addedOne: number } {
  const m = (t: Target, k: keyof Sample) => median(samples[t].map((s) => s[k]));
  console.log(`\n${dynos} web dyno${dynos > 1 ? "s" : ""}: wrk -t1 -c${CONNECTIONS} -d${SECONDS}s, median of ${RUNS}`);
  console.log(`| target | requests/s | p50 ms | p99 ms | p99 ms at -c1 | proxy CPU us/request | x nginx rps |`);
  console.log(`|---|---:|---:|---:|---:|---:|---:|`);
  for (const t of TARGETS) {
    const cpu = m(t, "cpuUsPerRequest");
    console.log(`| ${t} | ${m(t, "rps").toFixed(0)} | ${m(t, "p50Ms").toFixed(2)} | ${m(t, "p99Ms").toFixed(2)} | ${m(t, "p99OneMs").toFixed(2)} | ${Number.isNaN(cpu) ? "-" : cpu.toFixed(1)} | ${(m(t, "rps") / m("nginx", "rps")).toFixed(2)} |`);
  }
  const errors = TARGETS.reduce((sum, t) => sum + samples[t].reduce((s, x) => s + x.errors, 0), 0);
  if (errors) console.log(`(${errors} socket errors or non-2xx responses in all)`);
  // Per-run ratios, then their median: each run's figures were measured side by side.
  const ratio = median(samples.hoku.map((s, i) => s.rps / samples.nginx[i]!.rps));
  const addedP99 = median(samples.hoku.map((s, i) => s.p99Ms - samples.direct[i]!.p99Ms));
  const nginxAdded = median(samples.nginx.map((s, i) => s.p99Ms - samples.direct[i]!.p99Ms));
  const addedOne = median(samples.hoku.map((s, i) => s.p99OneMs - samples.direct[i]!.p99OneMs));
  const nginxOne = median(samples.nginx.map((s, i) => s.p99OneMs - samples.direct[i]!.p99OneMs));
  console.log(`hoku's CPU per request: ${median(routerCpu).toFixed(1)} us in the router process, the rest in the platform process (filing the router's lines)`);
  console.log(`hoku/nginx requests/s ${ratio.toFixed(2)}x (median of per-run ratios)`);
  console.log(`p99 added over direct (median of per-run differences): at -c${CONNECTIONS} hoku ${addedP99.toFixed(2)} ms, nginx ${nginxAdded.toFixed(2)} ms; at -c1 hoku ${addedOne.toFixed(2)} ms, nginx ${nginxOne.toFixed(2)} ms`);
  return { ratio, addedP99, addedOne };
}

try {
  writeFileSync(join(appDir, "server.js"), SERVER);
  writeFileSync(join(appDir, "Procfile"), `web: ${BUN} server.js\n`);
  writeFileSync(join(temp, "naive.js"), NAIVE);
  const git = (args: string[]) => sh(["git", ...args], appDir, env);
  git(["init", "-q", "-b", "main"]);
  git(["add", "-A"]);
  git(["-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "bench"]);

  // The platform as `hoku platform:start` runs it: in the background, its output (every router line) to a file.
  const platformLog = join(state, "platform-stdout.log");
  const platform = spawn([HOKU, "platform"], { cwd: home, env, log: platformLog });
  await until("the platform", async () => (readFileSync(`${platformLog}.err`, "utf8").includes("platform up:") ? true : undefined), 60_000);
  platformPid = platform.pid;
  sh([HOKU, "apps:create", APP], appDir, env);
  sh(["git", "push", "-q", "hoku", "main"], appDir, env);

  const one = report(1, await scenario(1));
  const four = report(4, await scenario(4));

  // Memory at 1,000 connections, through the router to the 4 dynos.
  const router = routerPid();
  const rssBefore = vm(router, "VmRSS");
  const platformBefore = vm(platformPid, "VmRSS");
  let rssPeak = 0;
  let platformPeak = 0;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, vm(router, "VmRSS"));
    platformPeak = Math.max(platformPeak, vm(platformPid, "VmRSS"));
  }, 100);
  const busy = await wrk(routerPort, hokuHost, RSS_CONNECTIONS, 5).finally(() => clearInterval(sampler));
  const hwm = vm(router, "VmHWM");
  console.log(`\nRouter memory, wrk -t1 -c${RSS_CONNECTIONS} -d5s through hoku (${busy.rps.toFixed(0)} rps, p99 ${busy.p99Ms.toFixed(1)} ms${busy.errors ? `, ${busy.errors} errors` : ""}):`);
  console.log(`router process: VmRSS ${rssBefore.toFixed(0)} MB before, ${rssPeak.toFixed(0)} MB highest during; VmHWM ${hwm.toFixed(0)} MB`);
  console.log(`platform process (beside it, filing the router's lines): VmRSS ${platformBefore.toFixed(0)} MB before, ${platformPeak.toFixed(0)} MB highest during`);

  console.log(`\nTargets:`);
  for (const [dynos, r] of [[1, one], [4, four]] as const) {
    console.log(`${r.ratio >= 0.8 ? "PASS" : "FAIL"}  ${dynos} dyno(s): hoku ${r.ratio.toFixed(2)}x nginx's requests/s (>= 0.8x)`);
    console.log(`${r.addedP99 < 1 ? "PASS" : "FAIL"}  ${dynos} dyno(s): hoku adds ${r.addedP99.toFixed(2)} ms p99 over direct at -c${CONNECTIONS} (< 1 ms)`);
    console.log(`${r.addedOne < 1 ? "PASS" : "FAIL"}  ${dynos} dyno(s): hoku adds ${r.addedOne.toFixed(2)} ms p99 over direct at -c1 (< 1 ms)`);
  }
  console.log(`${rssPeak < 100 ? "PASS" : "FAIL"}  router RSS ${rssPeak.toFixed(0)} MB at ${RSS_CONNECTIONS} connections (< 100 MB)`);
} finally {
  await cleanup();
}
