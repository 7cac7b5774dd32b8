/**
 * Zero-downtime benchmark (issue 14): a steady load (2 clients, GET taking 30 ms on the dyno)
 * through 3 releases (a deploy, a config:set, a rollback) on an app with 2 web dynos that take
 * HOKU_BENCH_BOOT seconds (default 1.5) to bind $PORT, once with `preboot` enabled and once
 * without (Heroku's default). Prints, per mode, failed/total requests, the requests that waited
 * over a second (the restart's gap), the slowest, and the router's H codes from the app's logs.
 * Target: 0 failed with preboot, and none waiting for a booting dyno.
 *
 *   node_modules/.bin/bun run bench/preboot.ts       (after npm run build)
 *   HOKU_BENCH_SECONDS=8 node_modules/.bin/bun run bench/preboot.ts     (quick try; default 30)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { anyFreePort } from "../src/runtime/port-probe.ts";

const HOKU = resolve(import.meta.dir, "../dist/hoku");
const SECONDS = Number(process.env.HOKU_BENCH_SECONDS ?? 30);
const BOOT = process.env.HOKU_BENCH_BOOT ?? "1.5";
const CLIENTS = 2;
/** Each client stops after this many requests, whatever the time. */
const MAX_PER_CLIENT = 20_000;

const SERVER = `import http.server, os, time, urllib.parse
time.sleep(float(os.environ.get("BOOT_SECONDS", "0")))
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        time.sleep(int(query.get("ms", ["0"])[0]) / 1000)
        body = ("%s %s %s\\n" % (os.environ.get("DYNO"), os.environ.get("GREETING", ""), open("mark.txt").read().strip())).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), H).serve_forever()
`;

const sh = (cmd: string[], cwd: string, env: Record<string, string>) => {
  const r = Bun.spawnSync(cmd, { cwd, env, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")} failed: ${r.stderr.toString()}`);
  return r.stdout.toString() + r.stderr.toString();
};

/** The same without blocking the load's clients (a spawnSync would stall them and count as waiting). */
async function run(cmd: string[], cwd: string, env: Record<string, string>): Promise<void> {
  const proc = Bun.spawn(cmd, { cwd, env, stdout: "pipe", stderr: "pipe" });
  const [err, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`${cmd.join(" ")} failed: ${err}`);
}

interface Outcome {
  readonly status: number;
  readonly ms: number;
}

interface Result {
  readonly mode: string;
  readonly outcomes: readonly Outcome[];
  readonly codes: readonly string[];
}

async function served(get: () => Promise<string>, pattern: RegExp, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pattern.test(await get().catch(() => ""))) return;
    await Bun.sleep(100);
  }
  throw new Error(`never served ${pattern}`);
}

/** One app, deployed with web=2; the load runs SECONDS while a deploy, a config:set and a rollback happen. */
async function measure(preboot: boolean, env: Record<string, string>, routerPort: number): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), "hoku-bench-preboot-"));
  const hoku = (...args: string[]) => sh([HOKU, ...args], dir, env);
  const git = (...args: string[]) => sh(["git", "-c", "user.name=b", "-c", "user.email=b@b", ...args], dir, env);
  writeFileSync(join(dir, "Procfile"), "web: python3 server.py\n");
  writeFileSync(join(dir, "server.py"), SERVER);
  writeFileSync(join(dir, "mark.txt"), "first\n");
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-qm", "first");
  const app = `preboot-${preboot ? "on" : "off"}-${Date.now() % 100000}`;
  const url = `http://127.0.0.1:${routerPort}/?ms=30`;
  const get = () => fetch(url, { headers: { Host: `${app}.localhost:${routerPort}` } }).then((r) => r.text());
  hoku("apps:create", app);
  hoku("config:set", "GREETING=one", `BOOT_SECONDS=${BOOT}`, "-a", app);
  if (preboot) hoku("features:enable", "preboot", "-a", app);
  sh(["git", "push", "-q", "hoku", "main"], dir, env);
  hoku("ps:scale", "web=2", "-a", app);
  await served(get, /^web\.2 one first/);

  let running = true;
  const outcomes: Outcome[] = [];
  const client = async () => {
    for (let i = 0; running && i < MAX_PER_CLIENT; i++) {
      const started = performance.now();
      const status = await fetch(url, { headers: { Host: `${app}.localhost:${routerPort}` }, signal: AbortSignal.timeout(90_000) }).then(
        async (r) => (await r.arrayBuffer(), r.status),
        () => 0,
      );
      outcomes.push({ status, ms: performance.now() - started });
    }
  };
  const loops = Array.from({ length: CLIENTS }, client);
  const quarter = (SECONDS * 1000) / 4;
  writeFileSync(join(dir, "mark.txt"), "second\n");
  git("commit", "-qam", "second");
  const releases: [string, () => Promise<void>][] = [
    ["deploy", () => run(["git", "push", "-q", "hoku", "main"], dir, env)],
    ["config:set", () => run([HOKU, "config:set", "GREETING=two", "-a", app], dir, env)],
    ["rollback", () => run([HOKU, "rollback", "-a", app], dir, env)],
  ];
  for (const [name, release] of releases) {
    await Bun.sleep(quarter);
    const started = performance.now();
    await release();
    console.error(`  ${preboot ? "preboot" : "default"}: ${name} took ${(performance.now() - started).toFixed(0)} ms`);
  }
  await Bun.sleep(quarter);
  running = false;
  await Promise.all(loops);
  const logs = hoku("logs", "-n", "1500", "-a", app);
  const codes = [...logs.matchAll(/heroku\[router\]: at=(?:error|warning) code=(H\d+)/g)].map((m) => m[1]!);
  hoku("apps:destroy", "-a", app, "--confirm", app);
  rmSync(dir, { recursive: true, force: true });
  return { mode: preboot ? "preboot on" : "preboot off (Heroku's default)", outcomes, codes };
}

const state = mkdtempSync(join(tmpdir(), "hoku-bench-state-"));
const home = mkdtempSync(join(tmpdir(), "hoku-bench-home-"));
const routerPort = anyFreePort();
const env: Record<string, string> = {
  ...(process.env as Record<string, string>),
  XDG_STATE_HOME: state,
  HOME: home,
  HOKU_PLATFORM_PORT: String(anyFreePort()),
  HOKU_ROUTER_PORT: String(routerPort),
  HOKU_PLATFORM_TLS_PORT: String(anyFreePort()),
  GIT_CONFIG_NOSYSTEM: "1",
};
sh([HOKU, "platform:start"], home, env);
const results: Result[] = [];
try {
  for (const preboot of [true, false]) results.push(await measure(preboot, env, routerPort));
} finally {
  sh([HOKU, "platform:stop"], home, env);
  rmSync(state, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
}

console.log(`\nZero-downtime benchmark: ${CLIENTS} clients for ${SECONDS} s through a deploy, a config:set and a rollback; web=2, boot ${BOOT} s`);
console.log("| mode | failed/total | waited > 1 s | slowest, ms | router H codes |");
console.log("|---|---:|---:|---:|---|");
for (const { mode, outcomes, codes } of results) {
  const failed = outcomes.filter((o) => o.status !== 200).length;
  const waited = outcomes.filter((o) => o.ms > 1000).length;
  const slowest = Math.max(0, ...outcomes.map((o) => o.ms));
  const counted = Object.entries(Object.groupBy(codes, (c) => c)).map(([code, list]) => `${code} x${list!.length}`);
  console.log(`| ${mode} | ${failed}/${outcomes.length} | ${waited} | ${slowest.toFixed(0)} | ${counted.join(", ") || "none"} |`);
}
const on = results[0]!;
const ok = on.outcomes.every((o) => o.status === 200) && on.outcomes.every((o) => o.ms <= 1000);
console.log(`\n${ok ? "PASS" : "FAIL"}  preboot: 0 failed requests and none waiting for a booting dyno`);
process.exitCode = ok ? 0 : 1;
