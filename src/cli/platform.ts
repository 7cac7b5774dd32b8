/**
 * `hoku platform` (the local platform in the foreground: every app's log lines, Ctrl-C stops it
 * all), `platform:start` (in the background, idempotent), `platform:stop`, `platform:status`,
 * `auth:token`, and the hidden `__git-hook` that git runs before accepting a push (the hidden
 * `__router`, the platform's router process, is src/cli/router.ts).
 */
import { HokuError } from "../app/problem.ts";
import { gitHook } from "../deploy/git-hook.ts";
import { DEFAULT_PLATFORM_PORT, DEFAULT_ROUTER_PORT, DEFAULT_TLS_PORT, hokuCommand, runningPlatform, startInBackground } from "../platform/client.ts";
import { HEROKU_TIMERS } from "../platform/dyno-manager.ts";
import { formatLogLine } from "../platform/log-store.ts";
import { platformToken, readPlatformInfo, startPlatform } from "../platform/server.ts";
import { durationFlag } from "./flags.ts";
import { say } from "./load.ts";
import { onShutdownSignals } from "./signals.ts";

export interface PlatformFlags {
  readonly port?: string;
  readonly tlsPort?: string;
  readonly routerPort?: string;
  readonly shutdownTimeout: string;
  readonly bootTimeout: string;
  readonly releaseTimeout: string;
  readonly backoff: string;
  readonly cycle: string;
  readonly schedulerSpeed: string;
  readonly memoryQuota: string;
  readonly logIdleTimeout?: string;
  readonly routerTimeout?: string;
  readonly routerIdleTimeout?: string;
}

function port(text: string | undefined, fallback: number, what: string): number {
  const value = Number(text ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new HokuError(`${what} ${text} is not a port number: use 1-65535`);
  return value;
}

/** --router-timeout (H12) and --router-idle-timeout (H15, H28), else HOKU_ROUTER_TIMEOUT and HOKU_ROUTER_IDLE_TIMEOUT, else Heroku's. */
function routerTimeouts(flags: Pick<PlatformFlags, "routerTimeout" | "routerIdleTimeout">): { requestMs?: number; idleMs?: number } {
  const request = flags.routerTimeout ?? process.env.HOKU_ROUTER_TIMEOUT;
  const idle = flags.routerIdleTimeout ?? process.env.HOKU_ROUTER_IDLE_TIMEOUT;
  return {
    ...(request ? { requestMs: durationFlag(request, flags.routerTimeout ? "--router-timeout" : "HOKU_ROUTER_TIMEOUT", "s") } : {}),
    ...(idle ? { idleMs: durationFlag(idle, flags.routerIdleTimeout ? "--router-idle-timeout" : "HOKU_ROUTER_IDLE_TIMEOUT", "s") } : {}),
  };
}

/** A whole number of megabytes, at least 1. */
function megabytesFlag(text: string, flag: string): number {
  const mb = Number(text);
  if (!Number.isInteger(mb) || mb < 1) throw new HokuError(`${flag} ${text} is not a number of megabytes\n    hint: give a whole number, e.g. ${flag} 512 (Heroku's Basic dyno)`);
  return mb * 2 ** 20;
}

/** --cycle: at least a second (a dyno must get to run), at most 480 hours (a timer's reach, with the 15 % on top). */
function cycleFlag(text: string): number {
  const ms = durationFlag(text, "--cycle", "h");
  if (ms < 1000 || ms > 480 * 3_600_000) throw new HokuError(`--cycle ${text} is out of range\n    hint: give 1s to 480h (Heroku cycles dynos daily: 24h)`);
  return ms;
}

/** --scheduler-speed: how many times as fast as the wall clock the scheduler's clock runs, 1 to 100000. */
function speedFlag(text: string): number {
  const speed = Number(text);
  if (!Number.isFinite(speed) || speed < 1 || speed > 100_000) throw new HokuError(`--scheduler-speed ${text} is not a speed-up\n    hint: give 1 (Heroku's clock) to 100000, e.g. 60 for a scheduler minute each second`);
  return speed;
}

export async function platform(flags: PlatformFlags): Promise<number> {
  const timers = {
    shutdownMs: durationFlag(flags.shutdownTimeout, "--shutdown-timeout", "s"),
    bootMs: durationFlag(flags.bootTimeout, "--boot-timeout", "s"),
    releaseMs: durationFlag(flags.releaseTimeout, "--release-timeout", "s"),
    backoff: { baseMs: durationFlag(flags.backoff, "--backoff", "m"), capMs: HEROKU_TIMERS.backoff.capMs },
    cycleMs: cycleFlag(flags.cycle),
  };
  const memoryQuotaBytes = megabytesFlag(flags.memoryQuota, "--memory-quota");
  const schedulerSpeed = speedFlag(flags.schedulerSpeed);
  const running = await runningPlatform();
  if (running) throw new HokuError(`the platform is already running (pid ${running.pid}, API on 127.0.0.1:${running.port})\n    hint: hoku platform:stop stops it`);
  const started = await startPlatform({
    port: port(flags.port ?? process.env.HOKU_PLATFORM_PORT, DEFAULT_PLATFORM_PORT, "--port"),
    tlsPort: port(flags.tlsPort ?? process.env.HOKU_PLATFORM_TLS_PORT, DEFAULT_TLS_PORT, "--tls-port"),
    routerPort: port(flags.routerPort ?? process.env.HOKU_ROUTER_PORT, DEFAULT_ROUTER_PORT, "--router-port"),
    timers,
    logIdleMs: flags.logIdleTimeout === undefined ? undefined : durationFlag(flags.logIdleTimeout, "--log-idle-timeout", "s"),
    routerTimeouts: routerTimeouts(flags),
    memoryQuotaBytes,
    schedulerSpeed,
    hoku: hokuCommand(),
  }).catch((error: unknown) => {
    if ((error as { code?: string }).code === "EADDRINUSE") {
      const port = /port (\d+)/.exec((error as Error).message)?.[1];
      throw new HokuError(`a port of the platform is taken${port ? ` (${port})` : ""}\n    hint: choose others with --port, --tls-port and --router-port (or HOKU_PLATFORM_PORT, HOKU_PLATFORM_TLS_PORT, HOKU_ROUTER_PORT)`);
    }
    throw error;
  });
  const { info } = started;
  say(`platform up: API and git on http://127.0.0.1:${info.port} and https://127.0.0.1:${info.tlsPort}, apps on http://<app>.localhost:${info.routerPort}/; dynos in a ${info.sandbox.kind} (${info.sandbox.why})`);
  // The lines of one turn of the event loop (a batch of router lines) go out in one write.
  let out = "";
  started.platform.logs.followAll((appId, line) => {
    if (out === "")
      setImmediate(() => {
        process.stdout.write(out);
        out = "";
      });
    out += `${started.platform.appName(appId) ?? appId} ${formatLogLine(line)}\n`;
  });
  return new Promise((resolve) => {
    onShutdownSignals({
      graceful: (signal, code) => {
        say(`${signal} received: stopping every app's dynos`);
        void started.stop().then(() => resolve(code));
      },
      force: () => process.exit(137),
    });
  });
}

export async function platformStart(flags: Pick<PlatformFlags, "port" | "tlsPort" | "routerPort" | "routerTimeout" | "routerIdleTimeout">): Promise<number> {
  routerTimeouts(flags); // a bad duration fails here, not in the background
  const already = await runningPlatform();
  const extra = [...(flags.routerTimeout ? ["--router-timeout", flags.routerTimeout] : []), ...(flags.routerIdleTimeout ? ["--router-idle-timeout", flags.routerIdleTimeout] : [])];
  const info = already ?? (await startInBackground({ ...flags, extra }));
  say(`${already ? "the platform was already running" : "platform started"}: pid ${info.pid}, API and git on http://127.0.0.1:${info.port}, apps on http://<app>.localhost:${info.routerPort}/`);
  return 0;
}

export async function platformStop(): Promise<number> {
  const info = readPlatformInfo();
  if (!info || !(await runningPlatform())) {
    say("the platform is not running");
    return 0;
  }
  process.kill(info.pid, "SIGTERM");
  for (let i = 0; i < 600; i++) {
    try {
      process.kill(info.pid, 0);
    } catch {
      say(`platform stopped (pid ${info.pid})`);
      return 0;
    }
    await Bun.sleep(100);
  }
  throw new HokuError(`the platform (pid ${info.pid}) did not stop within 60 s\n    hint: kill -9 ${info.pid}; its dynos die with it`);
}

export async function platformStatus(): Promise<number> {
  const info = await runningPlatform();
  if (!info) {
    console.log("The platform is not running (hoku platform:start starts it).");
    return 1;
  }
  console.log(`=== hoku platform (pid ${info.pid}, up since ${info.startedAt})`);
  console.log(`API and git: http://127.0.0.1:${info.port}, https://127.0.0.1:${info.tlsPort} (the heroku CLI's: hoku heroku:env)`);
  console.log(`Router:      http://<app>.localhost:${info.routerPort}/`);
  console.log(`Dynos:       ${info.sandbox.kind === "bubblewrap" ? "in bubblewrap, at /app" : "in a folder per dyno"} (${info.sandbox.why})`);
  return 0;
}

export async function authToken(): Promise<number> {
  console.log(platformToken());
  return 0;
}

export async function gitHookCommand(appId: string): Promise<number> {
  return gitHook(appId, await Bun.stdin.text(), process.env);
}
