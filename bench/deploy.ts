/**
 * Deploy benchmark (issue 12): push-to-live of a Node app with ~50 dependencies, from a warm npm
 * cache, against that app's own `npm ci` plus boot (target: within 1.3x), and a re-push with no
 * dependency change (target: under 3 s, the build cache at work). Each figure is the median of
 * HOKU_BENCH_RUNS (default 5) runs; baseline and hoku take turns in each run.
 *
 *   node_modules/.bin/bun run bench/deploy.ts      (npm run bench runs it after building dist/hoku)
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { anyFreePort } from "../src/runtime/port-probe.ts";

const HOKU = resolve(import.meta.dir, "../dist/hoku");
const RUNS = Number(process.env.HOKU_BENCH_RUNS ?? 5);

/** ~50 packages in all: express and a few common middlewares. */
const PACKAGE = {
  name: "bench-app",
  version: "1.0.0",
  private: true,
  scripts: { start: "node server.js" },
  dependencies: { express: "^5.1.0", cors: "^2.8.5", morgan: "^1.10.0", helmet: "^8.1.0", compression: "^1.8.0", dayjs: "^1.11.13", uuid: "^11.1.0" },
};
const SERVER = `const express = require("express"); const app = express(); app.use(require("cors")()); app.use(require("compression")());
app.get("/", (q, s) => s.send("live " + (process.env.MARK || require("./mark.json").mark) + "\\n"));
app.listen(Number(process.env.PORT || 5006), () => console.log("listening"));`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sh = (cmd: string[], cwd: string, env: Record<string, string | undefined> = process.env) => {
  const r = Bun.spawnSync(cmd, { cwd, env, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")} failed: ${r.stderr.toString()}`);
  return r.stdout.toString();
};

async function until(check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await Bun.sleep(20);
  }
  throw new Error("timed out");
}

/** The app folder: package.json, lockfile, server; committed in a git repository. */
function makeApp(): string {
  const dir = mkdtempSync(join(tmpdir(), "hoku-bench-deploy-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify(PACKAGE, null, 2));
  writeFileSync(join(dir, "server.js"), SERVER);
  writeFileSync(join(dir, "mark.json"), JSON.stringify({ mark: "first" }));
  writeFileSync(join(dir, "Procfile"), "web: node server.js\n");
  sh(["npm", "install", "--package-lock-only", "--no-audit", "--no-fund"], dir);
  return dir;
}

/** Baseline: npm ci (warm cache) in a fresh copy, then the app booted until it answers. */
async function baseline(template: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "hoku-bench-base-"));
  cpSync(template, dir, { recursive: true });
  const port = anyFreePort();
  const started = performance.now();
  sh(["npm", "ci", "--no-audit", "--no-fund", "--omit=dev"], dir);
  const proc = Bun.spawn(["node", "server.js"], { cwd: dir, env: { ...process.env, PORT: String(port) }, stdout: "ignore", stderr: "ignore" });
  await until(async () => (await fetch(`http://127.0.0.1:${port}/`)).ok);
  const ms = performance.now() - started;
  proc.kill();
  await proc.exited;
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

/** hoku: a fresh app, the first push until the router serves it; then a push changing no dependency. */
async function hoku(template: string, env: Record<string, string>, routerPort: number, run: number): Promise<{ first: number; again: number }> {
  const dir = mkdtempSync(join(tmpdir(), "hoku-bench-push-"));
  cpSync(template, dir, { recursive: true });
  const git = (args: string[]) => sh(["git", ...args], dir, env);
  git(["init", "-q", "-b", "main"]);
  git(["add", "-A"]);
  git(["-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "first"]);
  const app = `bench-${run}-${Date.now() % 100000}`;
  sh([HOKU, "apps:create", app], dir, env);
  const get = () => fetch(`http://127.0.0.1:${routerPort}/`, { headers: { Host: `${app}.localhost:${routerPort}` } }).then(async (r) => (r.ok ? await r.text() : ""));
  let started = performance.now();
  sh(["git", "push", "-q", "hoku", "main"], dir, env);
  await until(async () => (await get()).includes("live first"));
  const first = performance.now() - started;
  writeFileSync(join(dir, "mark.json"), JSON.stringify({ mark: "second" }));
  git(["-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qam", "second"]);
  started = performance.now();
  sh(["git", "push", "-q", "hoku", "main"], dir, env);
  await until(async () => (await get()).includes("live second"));
  const again = performance.now() - started;
  sh([HOKU, "apps:destroy", "-a", app, "--confirm", app], dir, env);
  rmSync(dir, { recursive: true, force: true });
  return { first, again };
}

const template = makeApp();
// Warm npm's cache (the target is from a warm cache), for both runners.
await baseline(template);
const state = mkdtempSync(join(tmpdir(), "hoku-bench-state-"));
const home = mkdtempSync(join(tmpdir(), "hoku-bench-home-"));
const port = anyFreePort();
const routerPort = anyFreePort();
const env: Record<string, string> = {
  ...(process.env as Record<string, string>),
  XDG_STATE_HOME: state,
  HOME: home,
  npm_config_cache: join(homedir(), ".npm"),
  HOKU_PLATFORM_PORT: String(port),
  HOKU_ROUTER_PORT: String(routerPort),
  HOKU_PLATFORM_TLS_PORT: String(anyFreePort()),
  GIT_CONFIG_NOSYSTEM: "1",
};
sh([HOKU, "platform:start"], home, env);

const base: number[] = [];
const first: number[] = [];
const again: number[] = [];
try {
  for (let run = 0; run < RUNS; run++) {
    base.push(await baseline(template));
    const pushed = await hoku(template, env, routerPort, run);
    first.push(pushed.first);
    again.push(pushed.again);
    console.error(`run ${run + 1}: npm ci + boot ${base.at(-1)!.toFixed(0)} ms, push to live ${pushed.first.toFixed(0)} ms, re-push ${pushed.again.toFixed(0)} ms`);
  }
} finally {
  sh([HOKU, "platform:stop"], home, env);
  rmSync(state, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
  rmSync(template, { recursive: true, force: true });
}

const ratio = median(first) / median(base);
console.log(`\nDeploy benchmark: a Node app (express and middlewares), median of ${RUNS}`);
console.log(`| figure | median | min | max |`);
console.log(`|---|---:|---:|---:|`);
for (const [name, xs] of [["npm ci + boot (baseline), ms", base], ["git push to live, ms", first], ["re-push, no dependency change, ms", again]] as const)
  console.log(`| ${name} | ${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)} | ${Math.max(...xs).toFixed(0)} |`);
console.log(`\nTargets:`);
console.log(`${ratio <= 1.3 ? "PASS" : "FAIL"}  push to live ${median(first).toFixed(0)} ms <= 1.3 x npm ci + boot ${median(base).toFixed(0)} ms (${ratio.toFixed(2)}x)`);
console.log(`${median(again) < 3000 ? "PASS" : "FAIL"}  re-push ${median(again).toFixed(0)} ms < 3000 ms`);
