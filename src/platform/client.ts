/**
 * hoku's own commands as clients of the Platform API: where the platform listens
 * (`platform.json`), its token, and requests that turn API errors into HokuErrors. A command
 * that needs the platform starts it in the background when it is not running, and says so.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { HokuError } from "../app/problem.ts";
import { platformDir } from "./platform-db.ts";
import { type PlatformInfo, platformToken, readPlatformInfo } from "./server.ts";

export const DEFAULT_PLATFORM_PORT = 7700;
export const DEFAULT_ROUTER_PORT = 7780;
/** The API and git over TLS, for the heroku CLI (its git speaks only https). */
export const DEFAULT_TLS_PORT = 7743;

/** The command line that runs this hoku again (the compiled binary, or bun and the entry file). */
export function hokuCommand(): string[] {
  return Bun.main.startsWith("/$bunfs/") || Bun.main === process.execPath ? [process.execPath] : [process.execPath, Bun.main];
}

/** The platform's info if it is running and answers, else undefined. */
export async function runningPlatform(): Promise<PlatformInfo | undefined> {
  const info = readPlatformInfo();
  if (!info) return undefined;
  try {
    process.kill(info.pid, 0);
    const answer = await fetch(`http://127.0.0.1:${info.port}/account`, { headers: { Authorization: `Bearer ${platformToken()}` }, signal: AbortSignal.timeout(2000) });
    return answer.ok ? info : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the platform in the background (idempotent); resolves once it answers. */
export async function startInBackground(flags: { port?: string; tlsPort?: string; routerPort?: string; extra?: readonly string[] } = {}): Promise<PlatformInfo> {
  const running = await runningPlatform();
  if (running) return running;
  const dir = platformDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const logFile = join(dir, "platform.log");
  const log = openSync(logFile, "a", 0o600);
  const from = fstatSync(log).size;
  const args = ["platform", ...(flags.port ? ["--port", flags.port] : []), ...(flags.tlsPort ? ["--tls-port", flags.tlsPort] : []), ...(flags.routerPort ? ["--router-port", flags.routerPort] : []), ...(flags.extra ?? [])];
  const proc = Bun.spawn([...hokuCommand(), ...args], { stdin: "ignore", stdout: log, stderr: log, detached: true, env: { ...process.env, HOKU_PLATFORM_BACKGROUND: "1" } });
  proc.unref();
  closeSync(log);
  for (let i = 0; i < 300; i++) {
    await Bun.sleep(100);
    const info = await runningPlatform();
    if (info && info.pid === proc.pid) return info;
    if (proc.exitCode !== null) break;
  }
  // Why, as the platform said it in this start's part of its log (a port taken, ...).
  const said = sinceStart(logFile, from)
    .split("\n")
    .filter((line) => line.startsWith("hoku: ") || line.startsWith("    hint: "))
    .map((line) => line.replace(/^hoku: /, "").trimStart());
  throw new HokuError(`the platform did not start${said.length ? `: ${said.join("\n    ")}` : ""}\n    hint: its log is ${logFile}; hoku platform runs it in the foreground`);
}

export class PlatformClient {
  constructor(
    readonly info: PlatformInfo,
    readonly token: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.info.port}`;
  }

  /** The running platform's client; starts it in the background first (saying so) when it is not running. */
  static async connect(say: (line: string) => void): Promise<PlatformClient> {
    let info = await runningPlatform();
    if (!info) {
      say("starting the platform in the background (hoku platform:stop stops it)");
      info = await startInBackground();
    }
    return new PlatformClient(info, platformToken());
  }

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const response = await this.raw(method, path, body, headers);
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {}
      throw new HokuError(message.trim() || `the platform answered ${response.status}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  raw(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, Accept: "application/vnd.heroku+json; version=3", ...(body !== undefined && { "Content-Type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
}

/** What a log got from byte `from` on, at most its first 64 KB (a failed start writes a few lines). */
function sinceStart(file: string, from: number): string {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(Math.min(64 * 1024, Math.max(0, fstatSync(fd).size - from)));
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, from)).toString("utf8");
  } finally {
    closeSync(fd);
  }
}
