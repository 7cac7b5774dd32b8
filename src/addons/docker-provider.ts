/**
 * The Docker provider: each add-on is a container started through Testcontainers,
 * published on 127.0.0.1 at the add-on's port, its data in a named volume per app and
 * add-on, labelled with hoku's labels. Ryuk (Testcontainers' reaper) cannot be relied
 * on offline, so hoku removes its own containers: on stop, at the next start (by
 * label), and through the reaper when hoku is killed.
 */
import { readFileSync } from "node:fs";
import { HokuError } from "../app/problem.ts";
import { anyFreePort } from "../runtime/port-probe.ts";
import type { Addon } from "./addon.ts";
import type { Service } from "./catalog.ts";
import { ensureImage } from "./docker-image.ts";
import type { Availability, CheckContext, Provider, RunningAddon, StartRequest } from "./provider.ts";
import { CONTAINER_TLS, postgresTlsArgs, redisTlsArgs, selfSignedCertificate, type TlsFiles, wantsTls } from "./tls.ts";

type Testcontainers = typeof import("testcontainers");
type Client = Awaited<ReturnType<Testcontainers["getContainerRuntimeClient"]>>;

export const LABEL_APP = "hoku.app";
export const LABEL_ADDON = "hoku.addon";
export const LABEL_RUN = "hoku.run";
const ENGINE_TIMEOUT_MS = 5000;
/** redis-server's TLS port inside the container, beside 6379. */
const REDIS_TLS_PORT = 6380;

/** How a kind gets TLS: when, the OS user its server runs as in the image, a TLS port of its own. */
interface TlsSetup {
  readonly when: (r: StartRequest) => boolean;
  readonly osUser: string;
  readonly port?: number;
}

/** Where each kind keeps its data, and what it needs to start with the add-on's credentials. */
const SETUP: Partial<Record<Service["kind"], { data?: string; env?: (r: StartRequest) => Record<string, string>; command?: (r: StartRequest) => string[]; tls?: TlsSetup; user?: string; database?: string }>> = {
  postgres: {
    data: "/var/lib/postgresql/data",
    env: (r) => ({ POSTGRES_USER: "hoku", POSTGRES_PASSWORD: r.addon.password, POSTGRES_DB: "app" }),
    command: () => ["postgres", ...postgresTlsArgs(CONTAINER_TLS)],
    tls: { when: () => true, osUser: "postgres" },
    user: "hoku",
    database: "app",
  },
  redis: {
    data: "/data",
    command: (r) => ["--requirepass", r.addon.password, "--appendonly", "yes", ...(wantsTls(r.addon.options) ? redisTlsArgs(CONTAINER_TLS, REDIS_TLS_PORT) : [])],
    tls: { when: (r) => wantsTls(r.addon.options), osUser: "redis", port: REDIS_TLS_PORT },
    user: "default",
  },
  rabbitmq: { data: "/var/lib/rabbitmq", env: (r) => ({ RABBITMQ_DEFAULT_USER: "hoku", RABBITMQ_DEFAULT_PASS: r.addon.password }), user: "hoku" },
  smtp: { env: () => ({ MP_SMTP_AUTH_ACCEPT_ANY: "1", MP_SMTP_AUTH_ALLOW_INSECURE: "1" }), user: "hoku" },
  s3: { data: "/data", env: (r) => ({ MINIO_ROOT_USER: "hoku-access-key", MINIO_ROOT_PASSWORD: r.addon.password }), command: () => ["server", "/data"], user: "hoku-access-key", database: "app" },
};

let engine: Promise<{ client: Client; version: string } | Error> | undefined;

async function testcontainers(): Promise<Testcontainers> {
  // Testcontainers' reaper image cannot be pulled offline; hoku cleans up after itself.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= "true";
  return import("testcontainers");
}

/** The engine, looked up once (Testcontainers' own discovery: DOCKER_HOST, ~/.testcontainers.properties, the socket). */
function connect(): Promise<{ client: Client; version: string } | Error> {
  engine ??= (async () => {
    try {
      const named = await namedEngineAnswers();
      if (named instanceof Error) return named;
      const { getContainerRuntimeClient } = await testcontainers();
      const timeout = Bun.sleep(ENGINE_TIMEOUT_MS).then(() => new Error(`no answer within ${ENGINE_TIMEOUT_MS / 1000} s`));
      const client = await Promise.race([getContainerRuntimeClient(), timeout]);
      if (client instanceof Error) return client;
      return { client, version: String(client.info.containerRuntime.serverVersion) };
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  })();
  return engine;
}

/**
 * DOCKER_HOST, when set, is the engine: Testcontainers would fall back to the default
 * socket when it does not answer, where the docker CLI would report it.
 */
async function namedEngineAnswers(): Promise<true | Error> {
  const host = process.env.DOCKER_HOST;
  if (!host) return true;
  const ping = host.startsWith("unix://")
    ? fetch("http://docker/_ping", { unix: host.slice("unix://".length), signal: AbortSignal.timeout(ENGINE_TIMEOUT_MS) })
    : host.startsWith("tcp://")
      ? fetch(`http://${host.slice("tcp://".length)}/_ping`, { signal: AbortSignal.timeout(ENGINE_TIMEOUT_MS) })
      : undefined;
  if (!ping) return true; // ssh:// and others: Testcontainers' own discovery decides
  const ok = await ping.then((r) => r.ok).catch(() => false);
  return ok ? true : new Error(`DOCKER_HOST=${host} does not answer`);
}

export function volumeName(appId: string, addon: Addon): string {
  return `hoku-${appId}-${addon.name}`;
}

/** The add-on's containers in any state (Testcontainers' own list shows running ones only). */
function containersOf(client: Client, addon: Addon) {
  return client.container.dockerode.listContainers({ all: true, filters: { label: [`${LABEL_ADDON}=${addon.id}`] } }).catch(() => []);
}

/** The last log lines of a container that died at start (then removed), if there is one. */
async function leftoverLogs(client: Client, addon: Addon): Promise<string[]> {
  const info = (await containersOf(client, addon)).find((c) => c.State !== "running");
  if (!info) return [];
  const container = client.container.dockerode.getContainer(info.Id);
  const raw = await container.logs({ stdout: true, stderr: true, tail: 10 }).catch(() => undefined);
  await container.remove({ force: true }).catch(() => {});
  // Docker multiplexes stdout/stderr with an 8-byte header per frame.
  const text = raw ? Buffer.from(raw as unknown as Uint8Array).toString("utf8").replace(/[\x00-\x08]/g, "") : "";
  return text.split("\n").map((l) => l.trim()).filter(Boolean).slice(-10);
}

/**
 * Removes containers a killed hoku left for this add-on, running or exited. The killed hoku's
 * reaper may be removing them at the same moment (Docker then answers 409 to this removal),
 * so it tries again until none is left, for up to 10 s: the new container takes the same name.
 */
async function removeLeftovers(client: Client, addon: Addon): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const left = await containersOf(client, addon);
    if (left.length === 0) return;
    if (Date.now() > deadline)
      throw new HokuError(`a container of ${addon.name} left by an earlier run could not be removed: ${left.map((c) => c.Names?.[0] ?? c.Id).join(", ")}\n    hint: docker rm -f ${left.map((c) => c.Id.slice(0, 12)).join(" ")}`);
    for (const info of left) await client.container.dockerode.getContainer(info.Id).remove({ force: true }).catch(() => {});
    await Bun.sleep(100);
  }
}

/**
 * The add-on's certificate and key copied into the container through the engine's API (a
 * remote engine works too; hoku's key stays 0600), then handed to the server's OS user by a
 * wrapper that runs the image's own entrypoint: Postgres refuses a key its user does not own.
 * The official images and hoku-test/* both start as root with docker-entrypoint.sh.
 */
function withTls<C extends InstanceType<Testcontainers["GenericContainer"]>>(container: C, files: TlsFiles, osUser: string): C {
  return container
    .withCopyContentToContainer([
      { content: readFileSync(files.cert), target: CONTAINER_TLS.cert, mode: 0o644 },
      { content: readFileSync(files.key), target: CONTAINER_TLS.key, mode: 0o600 },
    ])
    .withEntrypoint(["sh", "-c", `chown ${osUser} ${CONTAINER_TLS.cert} ${CONTAINER_TLS.key} && exec docker-entrypoint.sh "$@"`, "hoku-tls"]);
}

export const dockerProvider: Provider = {
  kind: "docker",

  async check(service: Service, image: string | undefined, context: CheckContext): Promise<Availability> {
    if (!image) return { ok: false, why: `hoku.json gives ${service.name} no image` };
    const found = await connect();
    if (found instanceof Error) return { ok: false, why: `no Docker engine answered (${found.message.split("\n")[0]})` };
    const engine = `Docker engine ${found.version} answered`;
    const missing = await ensureImage(found.client, image, context);
    if (missing)
      return {
        ok: false,
        why: `${engine}, but ${missing}`,
        hint: `docker pull ${image} (or docker load) where it can be had, or point ${service.name} at an image that is here in hoku.json: {"images": {"${service.name}": "<image>"}}`,
      };
    return { ok: true, why: engine };
  },

  async start(request: StartRequest): Promise<RunningAddon> {
    const found = await connect();
    if (found instanceof Error) throw new HokuError(`no Docker engine: ${found.message}\n    hint: start Docker (or set DOCKER_HOST), or run with --addons native|embedded`);
    const { addon, service, image } = request;
    if (!image) throw new HokuError(`${addon.name} has no image to run (${service.name} in hoku.json)`);
    const { GenericContainer } = await testcontainers();
    const { client } = found;
    await removeLeftovers(client, addon);
    const setup = SETUP[service.kind] ?? {};
    const extraPorts: Record<string, number> = {};
    const containerPorts: Record<string, number> = { ...service.extraContainerPorts };
    const tls = setup.tls?.when(request) ? setup.tls : undefined;
    if (tls?.port) containerPorts.tls = tls.port;
    for (const name of Object.keys(containerPorts)) extraPorts[name] = anyFreePort();

    class LoopbackContainer extends GenericContainer {
      /** Testcontainers publishes on every interface; hoku's add-ons answer on 127.0.0.1 only. */
      onLoopback(): this {
        for (const bindings of Object.values(this.hostConfig.PortBindings ?? {}) as { HostIp?: string }[][]) for (const b of bindings) b.HostIp = "127.0.0.1";
        return this;
      }
    }
    let container = new LoopbackContainer(image)
      .withName(volumeName(request.appId, addon))
      .withLabels({ [LABEL_APP]: request.appId, [LABEL_ADDON]: addon.id, [LABEL_RUN]: request.runId })
      .withEnvironment(setup.env?.(request) ?? {})
      .withExposedPorts(
        { container: service.containerPort, host: request.port },
        ...Object.entries(containerPorts).map(([name, port]) => ({ container: port, host: extraPorts[name]! })),
      )
      .withWaitStrategy(NO_WAIT)
      .onLoopback();
    if (setup.command) container = container.withCommand(setup.command(request));
    if (setup.data) container = container.withBindMounts([{ source: volumeName(request.appId, addon), target: setup.data }]);
    if (tls) container = withTls(container, await selfSignedCertificate(request.dataDir), tls.osUser);

    let started: Awaited<ReturnType<typeof container.start>>;
    try {
      started = await container.start();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const logs = await leftoverLogs(client, addon);
      if (logs.length > 0) throw new HokuError(`${addon.name} (${image}) exited at start; its last lines:\n${logs.map((l) => `    ${l}`).join("\n")}`);
      if (/pull|not found|No such image|manifest|registry|no such host|dial tcp/i.test(message))
        throw new HokuError(`the image ${image} for ${addon.name} is not here and could not be pulled (${message.split("\n")[0]})\n    hint: pull or build it, or point ${service.name} at another image in hoku.json: {"images": {"${service.name}": "<image>"}}`);
      throw new HokuError(`could not start ${addon.name} (${image}): ${message.split("\n")[0]}`);
    }
    let exited = false;
    void client.container.dockerode.getContainer(started.getId()).wait().then(() => (exited = true), () => {});
    return {
      hasExited: () => exited,
      endpoint: { host: "127.0.0.1", port: request.port, user: setup.user ?? "hoku", password: addon.password, database: setup.database ?? "app", extraPorts },
      runner: `container ${started.getId().slice(0, 12)}`,
      async recentLogs() {
        const stream = await started.logs({ tail: 20 });
        const chunks: Buffer[] = [];
        await new Promise<void>((resolve) => {
          stream.on("data", (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
          stream.on("end", () => resolve());
          setTimeout(resolve, 1000);
        });
        return Buffer.concat(chunks).toString("utf8").split("\n").filter(Boolean).slice(-20);
      },
      async stop() {
        await started.stop({ timeout: 10_000, remove: true, removeVolumes: false });
      },
    };
  },

  async destroy(addon: Addon, appId: string): Promise<void> {
    const found = await connect();
    if (found instanceof Error) throw new HokuError(`no Docker engine to remove ${addon.name}'s volume: ${found.message}`);
    await removeLeftovers(found.client, addon);
    await found.client.container.dockerode.getVolume(volumeName(appId, addon)).remove().catch(() => {});
  },
};

/** hoku checks readiness itself, with the service's protocol. */
const NO_WAIT = {
  timeout: 60_000,
  async waitUntilReady() {},
  withStartupTimeout(ms: number) {
    this.timeout = ms;
    return this;
  },
  isStartupTimeoutSet() {
    return true;
  },
  getStartupTimeout() {
    return this.timeout;
  },
};
