/**
 * The native provider: the service's own binaries found on PATH, run as hoku's children on 127.0.0.1 with
 * their data in hoku's state folder. Postgres refuses to run as root: as root, hoku
 * runs it as the `postgres` user with its data under /var/lib/hoku.
 * Each server runs in its own process group, handed to hoku's reaper before the server itself
 * starts (a shell waits for hoku's go), so it stops with hoku even on SIGKILL at any moment
 * (Postgres and Redis rewrite their environment with their process title, so the env tag alone
 * cannot find them). Each writes `server.pid` (pid and start time) in its data folder: a later
 * start finds a server of its own add-on that outlived a hoku and stops it, and ignores a pid
 * now used by another process. Passwords go through files (0600), never a command line.
 */
import { chownSync, existsSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HokuError } from "../app/problem.ts";
import { runCaptured } from "../runtime/run-captured.ts";
import { signalGroup } from "../runtime/kill.ts";
import { anyFreePort } from "../runtime/port-probe.ts";
import { type LineBatch, LineSplitter, linesOf, lineText } from "../runtime/line-splitter.ts";
import { RingBuffer } from "../runtime/ring-buffer.ts";
import { processStartTime } from "../runtime/proc-stats.ts";
import type { Addon } from "./addon.ts";
import type { Endpoint, Service } from "./catalog.ts";
import { fillTemplate } from "./custom-services.ts";
import { ensureOwnedDir } from "../platform/state-dir.ts";
import type { Availability, Provider, RunningAddon, StartRequest } from "./provider.ts";
import { postgresTlsArgs, redisTlsArgs, selfSignedCertificate, wantsTls } from "./tls.ts";

const isRoot = () => process.getuid?.() === 0;

function rmdirIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {} // not empty, or gone
}

/** A Postgres binary on PATH (Debian keeps them in /usr/lib/postgresql/<v>/bin: add that to PATH). */
function postgresBinary(name: string): string | undefined {
  return Bun.which(name) ?? undefined;
}

function userId(name: string): { uid: number; gid: number } | undefined {
  const out = Bun.spawnSync(["id", "-u", name]);
  const group = Bun.spawnSync(["id", "-g", name]);
  return out.exitCode === 0 ? { uid: Number(out.stdout.toString()), gid: Number(group.stdout.toString()) } : undefined;
}

/** As root, Postgres's folder (data, certificate) is outside hoku's state, for the postgres user to reach. */
function rootPgDir(appId: string, addon: Addon): string {
  return join("/var/lib/hoku", appId, addon.name);
}

function pgDataDir(request: { appId: string; addon: Addon; dataDir: string }): string {
  return isRoot() ? join(rootPgDir(request.appId, request.addon), "pgdata") : join(request.dataDir, "pgdata");
}

/**
 * A server of this add-on left running by a hoku that was killed: its `server.pid` names a live
 * process with the same start time. The caller holds the app's add-on claim, so no live hoku
 * runs it; it is stopped (its process group, SIGTERM then SIGKILL). A stale file is removed.
 */
async function stopLeftover(dataDir: string): Promise<boolean> {
  const file = join(dataDir, "server.pid");
  if (!existsSync(file)) return false;
  const [pid, started] = readFileSync(file, "utf8").trim().split(" ");
  rmSync(file, { force: true });
  if (!pid || processStartTime(Number(pid)) !== started) return false;
  signalGroup(Number(pid), "SIGTERM");
  for (let i = 0; i < 100 && processStartTime(Number(pid)) === started; i++) await Bun.sleep(50);
  signalGroup(Number(pid), "SIGKILL");
  return true;
}

/** Postgres's own lock file, when its pid is gone or is not a postgres any more: it would refuse to start. */
function removeStalePostmasterPid(data: string): void {
  const file = join(data, "postmaster.pid");
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, "utf8").split("\n")[0]);
  let command = "";
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {}
  if (!command.includes("postgres")) rmSync(file, { force: true });
}

/**
 * A started server in its own process group, with its last log lines. It is spawned as a
 * shell that waits for a line on its stdin: hoku hands the group to the reaper and writes
 * server.pid first, then says go, and the shell becomes the server. If hoku dies before
 * that, the shell reads EOF and exits: no server can outlive hoku unwatched.
 */
function spawnService(argv: string[], request: StartRequest, cwd: string, owner?: { uid: number; gid: number }) {
  const logs = new RingBuffer<string>(50);
  const proc = Bun.spawn(["sh", "-c", 'read go || exit 0; exec "$@"', "hoku-addon", ...argv], {
    cwd,
    // Not tagged like a dyno: the supervisor's final sweep would SIGKILL it before its clean stop.
    env: { ...process.env },
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
    detached: true,
    ...owner,
  });
  request.watch(proc.pid);
  writeFileSync(join(request.dataDir, "server.pid"), `${proc.pid} ${processStartTime(proc.pid) ?? ""}\n`, { mode: 0o600 });
  proc.stdin.write("go\n");
  void proc.stdin.end();
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    const lines = new LineSplitter();
    const keep = (batch: LineBatch | undefined) => {
      if (batch) for (const line of linesOf(batch)) logs.push(lineText(line));
    };
    for await (const chunk of stream) keep(lines.push(chunk));
    keep(lines.flush());
  };
  void collect(proc.stdout);
  void collect(proc.stderr);
  return { proc, logs };
}

function endpointOf(request: StartRequest, user: string, database: string, extraPorts: Record<string, number> = {}): Endpoint {
  return { host: "127.0.0.1", port: request.port, user, password: request.addon.password, database, extraPorts };
}

/** `stopSignal` goes to the server, or to its whole process group when `group` (a shell command). */
function running(child: ReturnType<typeof spawnService>, endpoint: Endpoint, stopSignal: NodeJS.Signals, group = false): RunningAddon {
  return {
    endpoint,
    runner: `pid ${child.proc.pid}`,
    recentLogs: async () => child.logs.toArray(),
    hasExited: () => child.proc.exitCode !== null || child.proc.signalCode !== null,
    async stop() {
      if (group) signalGroup(child.proc.pid, stopSignal);
      else child.proc.kill(stopSignal);
      const exited = await Promise.race([child.proc.exited.then(() => true), Bun.sleep(15_000).then(() => false)]);
      if (!exited) signalGroup(child.proc.pid, "SIGKILL");
    },
  };
}

/**
 * A new cluster, made in `pgdata.init` and renamed to `pgdata` only once initdb succeeded: a
 * hoku killed during initdb leaves no half-made cluster (its initdb is in a group the reaper
 * stops), and the next start begins again. The password goes through a 0600 file.
 */
async function initPostgres(request: StartRequest, data: string, owner: { uid: number; gid: number } | undefined): Promise<void> {
  const parent = join(data, "..");
  const partial = `${data}.init`;
  const pwfile = join(parent, ".pwfile");
  rmSync(partial, { recursive: true, force: true });
  rmSync(pwfile, { force: true });
  mkdirSync(parent, { recursive: true, mode: 0o755 }); // traversable by the postgres user
  mkdirSync(partial, { mode: 0o700 });
  writeFileSync(pwfile, `${request.addon.password}\n`, { mode: 0o600 });
  if (owner) for (const path of [parent, partial, pwfile]) chownSync(path, owner.uid, owner.gid);
  const initdb = postgresBinary("initdb")!;
  const init = await runCaptured([initdb, "-D", partial, "-U", "hoku", `--pwfile=${pwfile}`, "--auth=scram-sha-256", "-E", "UTF8"], { ...owner, watch: request.watch });
  rmSync(pwfile, { force: true });
  if (init.code !== 0) {
    rmSync(partial, { recursive: true, force: true });
    throw new HokuError(`initdb failed for ${request.addon.name}:\n${init.stderr}`);
  }
  rmSync(data, { recursive: true, force: true }); // a folder without PG_VERSION is no cluster: a half-made one of an older hoku
  renameSync(partial, data);
}

async function startPostgres(request: StartRequest): Promise<RunningAddon> {
  const postgres = postgresBinary("postgres")!;
  const data = pgDataDir(request);
  const owner = isRoot() ? userId("postgres") : undefined;
  if (isRoot() && !owner) throw new HokuError("native Postgres cannot run as root and there is no `postgres` user\n    hint: install Debian's postgresql package, or run with --addons docker|embedded");
  if (isRoot()) {
    // Traversable by the postgres user, writable by root alone: checked like hoku's state folder.
    mkdirSync("/var/lib/hoku", { recursive: true, mode: 0o755 });
    ensureOwnedDir("/var/lib/hoku");
  }
  await stopLeftover(request.dataDir);
  if (!existsSync(join(data, "PG_VERSION"))) await initPostgres(request, data, owner);
  // Beside the data folder, owned by the user postgres runs as (it refuses a key it does not own).
  const tls = await selfSignedCertificate(join(data, ".."), owner);
  removeStalePostmasterPid(data);
  // No Unix socket: hoku and the app connect over TCP, and a socket path in a deep or oddly named
  // folder (a comma, a space, over 107 bytes) would stop the server.
  const argv = [postgres, "-D", data, "-p", String(request.port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", ...postgresTlsArgs(tls)];
  const child = spawnService(argv, request, data, owner);
  return running(child, endpointOf(request, "hoku", "postgres"), "SIGINT");
}

async function startRedis(request: StartRequest): Promise<RunningAddon> {
  mkdirSync(request.dataDir, { recursive: true });
  await stopLeftover(request.dataDir);
  const tls = wantsTls(request.addon.options) ? await selfSignedCertificate(request.dataDir) : undefined;
  const tlsPort = tls ? anyFreePort() : undefined;
  // The password is in a 0600 config file, not on the command line where `ps` shows it.
  const config = join(request.dataDir, "redis.conf");
  writeFileSync(config, `requirepass "${request.addon.password}"\n`, { mode: 0o600 });
  const argv = [
    "redis-server", config, "--port", String(request.port), "--bind", "127.0.0.1", "--dir", request.dataDir,
    "--appendonly", "yes", "--daemonize", "no",
    ...(tls && tlsPort ? redisTlsArgs(tls, tlsPort) : []),
  ];
  return running(spawnService(argv, request, request.dataDir), endpointOf(request, "default", "0", tlsPort ? { tls: tlsPort } : {}), "SIGTERM");
}

async function startMemcached(request: StartRequest): Promise<RunningAddon> {
  await stopLeftover(request.dataDir);
  const argv = ["memcached", "-p", String(request.port), "-l", "127.0.0.1", "-U", "0", ...(isRoot() ? ["-u", "root"] : [])];
  return running(spawnService(argv, request, request.dataDir), endpointOf(request, "hoku", "0"), "SIGTERM");
}

/** A hoku.json service's command, its templates filled, run by bash in the add-on's data folder. */
async function startCommand(request: StartRequest, command: string): Promise<RunningAddon> {
  await stopLeftover(request.dataDir);
  const endpoint = endpointOf(request, "hoku", "app");
  return running(spawnService(["bash", "-c", fillTemplate(command, endpoint)], request, request.dataDir), endpoint, "SIGTERM", true);
}

const BINARIES: Partial<Record<Service["kind"], () => string | undefined>> = {
  postgres: () => (postgresBinary("initdb") && postgresBinary("postgres") ? postgresBinary("postgres") : undefined),
  redis: () => Bun.which("redis-server") ?? undefined,
  memcached: () => Bun.which("memcached") ?? undefined,
};

export const nativeProvider: Provider = {
  kind: "native",

  async check(service: Service): Promise<Availability> {
    if (service.kind === "custom") return service.command ? { ok: true, why: "hoku.json gives it a command" } : { ok: false, why: `hoku.json gives ${service.name} no command` };
    const find = BINARIES[service.kind];
    if (!find) return { ok: false, why: `no native ${service.kind} support` };
    const binary = find();
    return binary ? { ok: true, why: `found ${binary}` } : { ok: false, why: `no ${service.kind === "postgres" ? "initdb/postgres" : service.kind === "redis" ? "redis-server" : "memcached"} on PATH` };
  },

  async start(request: StartRequest): Promise<RunningAddon> {
    mkdirSync(request.dataDir, { recursive: true });
    switch (request.service.kind) {
      case "postgres":
        return startPostgres(request);
      case "redis":
        return startRedis(request);
      case "memcached":
        return startMemcached(request);
      default:
        if (request.service.command) return startCommand(request, request.service.command);
        throw new HokuError(`no native provider for ${request.service.name}`);
    }
  },

  async destroy(addon: Addon, appId: string, dataDir: string): Promise<void> {
    await stopLeftover(dataDir);
    // As root: the add-on's whole folder under /var/lib/hoku (data, certificate, a password file left by a killed initdb).
    rmSync(isRoot() ? rootPgDir(appId, addon) : pgDataDir({ appId, addon, dataDir }), { recursive: true, force: true });
    if (isRoot()) rmdirIfEmpty(join("/var/lib/hoku", appId));
    rmSync(dataDir, { recursive: true, force: true });
  },
};
