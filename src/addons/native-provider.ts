/**
 * The native provider: the service's own binaries found on PATH, run as hoku's children on 127.0.0.1 with
 * their data in hoku's state folder. Postgres refuses to run as root: as root, hoku
 * runs it as the `postgres` user with its data under /var/lib/hoku.
 * Each server runs in its own process group, handed to hoku's reaper, so it stops
 * with hoku even on SIGKILL (Postgres and Redis rewrite their environment with their
 * process title, so the env tag alone cannot find them).
 */
import { chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HokuError } from "../app/problem.ts";
import { runCaptured } from "../runtime/run-captured.ts";
import { signalGroup } from "../runtime/kill.ts";
import { anyFreePort } from "../runtime/port-probe.ts";
import { type LineBatch, LineSplitter, linesOf, lineText } from "../runtime/line-splitter.ts";
import { RingBuffer } from "../runtime/ring-buffer.ts";
import type { Addon } from "./addon.ts";
import type { Endpoint, Service } from "./catalog.ts";
import { fillTemplate } from "./custom-services.ts";
import type { Availability, Provider, RunningAddon, StartRequest } from "./provider.ts";
import { postgresTlsArgs, redisTlsArgs, selfSignedCertificate, wantsTls } from "./tls.ts";

const isRoot = () => process.getuid?.() === 0;

/** A Postgres binary on PATH (Debian keeps them in /usr/lib/postgresql/<v>/bin: add that to PATH). */
function postgresBinary(name: string): string | undefined {
  return Bun.which(name) ?? undefined;
}

function userId(name: string): { uid: number; gid: number } | undefined {
  const out = Bun.spawnSync(["id", "-u", name]);
  const group = Bun.spawnSync(["id", "-g", name]);
  return out.exitCode === 0 ? { uid: Number(out.stdout.toString()), gid: Number(group.stdout.toString()) } : undefined;
}

function pgDataDir(request: { appId: string; addon: Addon; dataDir: string }): string {
  return isRoot() ? join("/var/lib/hoku", request.appId, request.addon.name, "pgdata") : join(request.dataDir, "pgdata");
}

/** A started server in its own process group (handed to the reaper), with its last log lines. */
function spawnService(argv: string[], request: StartRequest, cwd: string, owner?: { uid: number; gid: number }) {
  const logs = new RingBuffer<string>(50);
  const proc = Bun.spawn(argv, {
    cwd,
    // Not tagged like a dyno: the supervisor's final sweep would SIGKILL it before its clean stop.
    env: { ...process.env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    detached: true,
    ...owner,
  });
  request.watch(proc.pid);
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

async function startPostgres(request: StartRequest): Promise<RunningAddon> {
  const initdb = postgresBinary("initdb")!;
  const postgres = postgresBinary("postgres")!;
  const data = pgDataDir(request);
  const owner = isRoot() ? userId("postgres") : undefined;
  if (isRoot() && !owner) throw new HokuError("native Postgres cannot run as root and there is no `postgres` user\n    hint: install Debian's postgresql package, or run with --addons docker|embedded");
  if (!existsSync(join(data, "PG_VERSION"))) {
    mkdirSync(join(data, ".."), { recursive: true, mode: 0o755 }); // traversable by the postgres user
    mkdirSync(data, { recursive: true, mode: 0o700 });
    const pwfile = join(data, "..", ".pwfile");
    writeFileSync(pwfile, `${request.addon.password}\n`, { mode: 0o600 });
    if (owner) for (const path of [join(data, ".."), data, pwfile]) chownSync(path, owner.uid, owner.gid);
    const init = await runCaptured([initdb, "-D", data, "-U", "hoku", `--pwfile=${pwfile}`, "--auth=scram-sha-256", "-E", "UTF8"], owner);
    rmSync(pwfile, { force: true });
    if (init.code !== 0) throw new HokuError(`initdb failed for ${request.addon.name}:\n${init.stderr}`);
  }
  // Beside the data folder, owned by the user postgres runs as (it refuses a key it does not own).
  const tls = await selfSignedCertificate(join(data, ".."), owner);
  const argv = [postgres, "-D", data, "-p", String(request.port), "-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${data}`, ...postgresTlsArgs(tls)];
  const child = spawnService(argv, request, data, owner);
  return running(child, endpointOf(request, "hoku", "postgres"), "SIGINT");
}

async function startRedis(request: StartRequest): Promise<RunningAddon> {
  mkdirSync(request.dataDir, { recursive: true });
  const tls = wantsTls(request.addon.options) ? await selfSignedCertificate(request.dataDir) : undefined;
  const tlsPort = tls ? anyFreePort() : undefined;
  const argv = [
    "redis-server", "--port", String(request.port), "--bind", "127.0.0.1", "--dir", request.dataDir,
    "--requirepass", request.addon.password, "--appendonly", "yes", "--daemonize", "no",
    ...(tls && tlsPort ? redisTlsArgs(tls, tlsPort) : []),
  ];
  return running(spawnService(argv, request, request.dataDir), endpointOf(request, "default", "0", tlsPort ? { tls: tlsPort } : {}), "SIGTERM");
}

function startMemcached(request: StartRequest): RunningAddon {
  const argv = ["memcached", "-p", String(request.port), "-l", "127.0.0.1", "-U", "0", ...(isRoot() ? ["-u", "root"] : [])];
  return running(spawnService(argv, request, request.dataDir), endpointOf(request, "hoku", "0"), "SIGTERM");
}

/** A hoku.json service's command, its templates filled, run by bash in the add-on's data folder. */
function startCommand(request: StartRequest, command: string): RunningAddon {
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
    rmSync(pgDataDir({ appId, addon, dataDir }), { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  },
};
