/**
 * A real platform for a test file: the binary's `hoku platform` in its own state folder on free
 * ports, with lab timers, and helpers to drive it as a user would (hoku commands, git pushes of
 * fixture apps, HTTP through the router). One per test file, stopped in afterAll.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { anyFreePort } from "../../src/runtime/port-probe.ts";
import { HOKU, Running, runHoku, tempDir, testEnv } from "./hoku.ts";

export interface TestPlatform {
  readonly env: Record<string, string>;
  readonly port: number;
  readonly tlsPort: number;
  readonly routerPort: number;
  /** The platform's flags beyond the test defaults. */
  readonly extra: readonly string[];
  readonly proc: Running;
  /** Runs a hoku command against this platform. */
  hoku(args: readonly string[], options?: { cwd?: string; stdin?: string }): Promise<{ code: number; stdout: string; stderr: string }>;
  /** GET (or any method) through the router, as a browser would reach `<app>.localhost`. */
  http(app: string, path?: string, init?: RequestInit): Promise<Response>;
  /** Polls the router until `app` answers `"<status> <body>"` matching `pattern` (dynos restart on a release); returns it. */
  served(app: string, pattern: RegExp, options?: { path?: string; timeoutMs?: number }): Promise<string>;
  /** Polls `hoku logs -n 1500` until the app's logs match `until` (a pattern, or a test of the whole text); returns them. */
  logsUntil(app: string, until: RegExp | ((logs: string) => boolean), timeoutMs?: number): Promise<string>;
  stop(): Promise<number>;
}

export async function startTestPlatform(extra: readonly string[] = [], env: Record<string, string> = {}): Promise<TestPlatform> {
  const state = tempDir("hoku-platform-state-");
  const home = tempDir("hoku-platform-home-");
  const port = anyFreePort();
  const ports = new Set([port]);
  const another = () => {
    let next = anyFreePort();
    while (ports.has(next)) next = anyFreePort();
    ports.add(next);
    return next;
  };
  // HOME is a temp folder (heroku and git write their global config there): pip keeps the user's own configuration (its index).
  const pipConfig = join(homedir(), ".config", "pip", "pip.conf");
  const pip: Record<string, string> = existsSync(pipConfig) && !process.env.PIP_CONFIG_FILE ? { PIP_CONFIG_FILE: pipConfig } : {};
  const fullEnv = testEnv({ XDG_STATE_HOME: state, HOME: home, GIT_CONFIG_NOSYSTEM: "1", GIT_TERMINAL_PROMPT: "0", ...pip, ...env });
  return launch(fullEnv, { port, routerPort: another(), tlsPort: another() }, extra);
}

/** The same platform (state, ports, flags) started again after it was killed. */
export function restartTestPlatform(previous: TestPlatform): Promise<TestPlatform> {
  return launch(previous.env, previous, previous.extra);
}

async function launch(fullEnv: Record<string, string>, ports: { readonly port: number; readonly tlsPort: number; readonly routerPort: number }, extra: readonly string[]): Promise<TestPlatform> {
  const { port, tlsPort, routerPort } = ports;
  const home = fullEnv.HOME!;
  const proc = new Running(["platform", "--port", String(port), "--tls-port", String(tlsPort), "--router-port", String(routerPort), "--shutdown-timeout", "3s", "--boot-timeout", "20s", "--backoff", "2s", ...extra], {
    cwd: home,
    env: fullEnv,
    shared: true,
  });
  await proc.waitFor("platform up:", 30_000);
  const http: TestPlatform["http"] = (app, path = "/", init = {}) => fetch(`http://127.0.0.1:${routerPort}${path}`, { ...init, headers: { Host: `${app}.localhost:${routerPort}`, ...(init.headers as Record<string, string>) }, signal: init.signal ?? AbortSignal.timeout(20_000) });
  return {
    env: fullEnv,
    port,
    tlsPort,
    routerPort,
    extra,
    proc,
    hoku: (args, options = {}) => runHoku(args, { cwd: options.cwd ?? home, env: fullEnv, stdin: options.stdin }),
    http,
    async served(app, pattern, { path = "/", timeoutMs = 60_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      let last = "";
      while (Date.now() < deadline) {
        last = await http(app, path).then(async (r: Response) => `${r.status} ${await r.text()}`, String);
        if (pattern.test(last)) return last;
        await Bun.sleep(250);
      }
      throw new Error(`${app} never served ${pattern}; last: ${last}`);
    },
    async logsUntil(app, until, timeoutMs = 20_000) {
      const done = typeof until === "function" ? until : (text: string) => until.test(text);
      const deadline = Date.now() + timeoutMs;
      let text = "";
      while (Date.now() < deadline) {
        text = (await runHoku(["logs", "-n", "1500", "-a", app], { cwd: home, env: fullEnv })).stdout;
        if (done(text)) return text;
        await Bun.sleep(250);
      }
      throw new Error(`the logs of ${app} never showed ${until}:\n${text}`);
    },
    async stop() {
      proc.signal("SIGTERM");
      return proc.exited;
    },
  };
}

/** A git repository with these files committed on main. */
export function gitApp(files: Record<string, string>, env: Record<string, string>): string {
  const dir = tempDir("hoku-push-");
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text, { mode: name.startsWith("bin/") ? 0o755 : 0o644 });
  }
  git(dir, env, ["init", "-q", "-b", "main"]);
  git(dir, env, ["add", "-A"]);
  git(dir, env, ["-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "first"]);
  return dir;
}

export function git(cwd: string, env: Record<string, string>, args: readonly string[]): { code: number; out: string } {
  const run = Bun.spawnSync(["git", ...args], { cwd, env, stdout: "pipe", stderr: "pipe" });
  return { code: run.exitCode, out: run.stdout.toString() + run.stderr.toString() };
}

/** `git push hoku main` with the output git shows the user (remote: lines). */
export async function push(cwd: string, env: Record<string, string>, ref = "main"): Promise<{ code: number; out: string }> {
  const proc = Bun.spawn(["git", "push", "hoku", ref], { cwd, env, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, out: out + err };
}

/** Commits a change (files written) and returns the new commit's short sha. */
export function commit(cwd: string, env: Record<string, string>, files: Record<string, string>, message = "change"): string {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(cwd, name)), { recursive: true });
    writeFileSync(join(cwd, name), text);
  }
  git(cwd, env, ["add", "-A"]);
  git(cwd, env, ["-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", message]);
  return git(cwd, env, ["rev-parse", "HEAD"]).out.trim();
}

export { HOKU };
