/**
 * Helpers for the add-on tests (test/addons): the fixture app in a temp folder, the
 * app's add-on id and state, HTTP to its web dyno, and cleanup of what its add-ons
 * left behind (containers, volumes, native server processes and data).
 */
import { Database } from "bun:sqlite";
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { appStateDir } from "../../src/platform/state-dir.ts";
import { isAlive, makeApp, Running, tempDir, waitAllDead } from "./hoku.ts";

export const FIXTURE = resolve(import.meta.dir, "../fixtures/addons-app");
export const PG_IMAGE = "hoku-test/postgres:15";
export const REDIS_IMAGE = "hoku-test/redis:7";
export const LOCAL_IMAGES = { "heroku-postgresql": PG_IMAGE, "heroku-redis": REDIS_IMAGE };

/** The test runner's bun: the fixture's web dyno runs with it. */
export const BUN = process.execPath;

export interface AddonsAppOptions {
  /** app.json `addons`. */
  readonly addons: readonly unknown[];
  /** hoku.json; default: the local test images. */
  readonly hokuJson?: unknown;
  /** More files (`.env`, ...). */
  readonly files?: Record<string, string>;
  readonly name?: string;
}

/** A temp copy of the fixture app with these add-ons. */
export function makeAddonsApp(options: AddonsAppOptions): string {
  return makeApp({
    "server.ts": readFileSync(join(FIXTURE, "server.ts"), "utf8"),
    Procfile: `web: exec ${BUN} server.ts\n`,
    "app.json": JSON.stringify({ ...(options.name && { name: options.name }), addons: options.addons }, null, 2),
    "hoku.json": JSON.stringify(options.hokuJson ?? { images: LOCAL_IMAGES }, null, 2),
    ...options.files,
  });
}

/** The app's state folder and add-on id (what labels its containers and names its volumes). */
export function appIdentity(dir: string, env: Record<string, string>): { stateDir: string; appId: string } {
  const stateDir = appStateDir(dir, env);
  return { stateDir, appId: basename(stateDir) };
}

export interface AddonRecord {
  id: string;
  name: string;
  service: string;
  as?: string;
  color?: string;
}

/** The state database that holds an app's records: `hoku.db` two folders above its state folder. */
function stateDbOf(stateDir: string, readonly: boolean): Database | undefined {
  const file = join(dirname(dirname(stateDir)), "hoku.db");
  return existsSync(file) ? new Database(file, { readonly }) : undefined;
}

/** The add-on records hoku keeps for the app (its row of hoku.db), in order. */
export function addonRecords(stateDir: string): AddonRecord[] {
  const db = stateDbOf(stateDir, true);
  const row = db?.query<{ state: string }, [string]>("SELECT state FROM addon_states WHERE app_id = ?").get(basename(stateDir));
  db?.close();
  return row ? (JSON.parse(row.state) as { addons: AddonRecord[] }).addons : [];
}

/** Rewrites the app's stored add-on state (as a bad edit or a bug would). */
export function editAddonState(stateDir: string, edit: (state: { addons: (AddonRecord & { password: string })[] }) => unknown): void {
  const db = stateDbOf(stateDir, false)!;
  const row = db.query<{ state: string }, [string]>("SELECT state FROM addon_states WHERE app_id = ?").get(basename(stateDir))!;
  db.query("UPDATE addon_states SET state = ? WHERE app_id = ?").run(JSON.stringify(edit(JSON.parse(row.state))), basename(stateDir));
  db.close();
}

// ---- HTTP to the web dyno ----

export async function http(port: number, method: "GET" | "POST", path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, signal: AbortSignal.timeout(20_000) });
  return { status: res.status, body: await res.text() };
}

export async function envOf(port: number): Promise<Record<string, string>> {
  const { status, body } = await http(port, "GET", "/env");
  if (status !== 200) throw new Error(`/env answered ${status}: ${body}`);
  return JSON.parse(body) as Record<string, string>;
}

/** The line the fixture prints once it listens. */
export const LISTENING = /web\.1 +\| addons-app listening on/;

// ---- docker ----

function docker(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = Bun.spawnSync(["docker", ...args], { stdout: "pipe", stderr: "pipe" });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

export interface ContainerInfo {
  id: string;
  addon: string;
  run: string;
  state: string;
  image: string;
}

/** Every container (any state) labelled with the app's id. */
export function containersOf(appId: string): ContainerInfo[] {
  const r = docker(["ps", "-a", "--filter", `label=hoku.app=${appId}`, "--format", '{{.ID}}\t{{.Label "hoku.addon"}}\t{{.Label "hoku.run"}}\t{{.State}}\t{{.Image}}']);
  if (r.code !== 0) throw new Error(`docker ps failed: ${r.stderr}`);
  return r.stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [id, addon, run, state, image] = line.split("\t") as [string, string, string, string, string];
      return { id, addon, run, state, image };
    });
}

/** The app's named volumes (`hoku-<appId>-<addon>`). */
export function volumesOf(appId: string): string[] {
  const r = docker(["volume", "ls", "-q", "--filter", `name=hoku-${appId}-`]);
  return r.stdout.split("\n").filter((v) => v.startsWith(`hoku-${appId}-`));
}

/** Polls until the app has no containers (the reaper removes them after a SIGKILL); returns those left. */
export async function waitNoContainers(appId: string, timeoutMs = 20_000): Promise<ContainerInfo[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = containersOf(appId);
    if (left.length === 0 || Date.now() > deadline) return left;
    await Bun.sleep(200);
  }
}

/** Removes the app's containers and volumes. */
export function cleanupDocker(appId: string): void {
  const ids = containersOf(appId).map((c) => c.id);
  if (ids.length > 0) docker(["rm", "-f", "-v", ...ids]);
  const volumes = volumesOf(appId);
  if (volumes.length > 0) docker(["volume", "rm", "-f", ...volumes]);
}

// ---- native processes ----

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

function parentOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return -1;
  }
}

function allPids(): number[] {
  return readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number);
}

function cwdOf(pid: number): string {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return "";
  }
}

/**
 * Live processes of the app's native add-ons: those whose command line or working
 * directory names the app's id (postgres -D .../<appId>/...; redis-server renames
 * itself but runs in its data folder), and their descendants (postgres' workers).
 */
export function nativeProcesses(appId: string): { pid: number; cmd: string }[] {
  const pids = allPids();
  const roots = new Set(pids.filter((p) => p !== process.pid && (cmdline(p).includes(appId) || cwdOf(p).includes(`/${appId}/`)) && isAlive(p)));
  const parents = new Map(pids.map((p) => [p, parentOf(p)]));
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, parent] of parents) if (!roots.has(pid) && roots.has(parent) && isAlive(pid)) (roots.add(pid), (grew = true));
  }
  return [...roots].map((pid) => ({ pid, cmd: cmdline(pid) }));
}

/** SIGKILLs the app's native add-on processes and removes the data native Postgres keeps outside the state folder (as root). */
export async function cleanupNative(appId: string): Promise<void> {
  const found = nativeProcesses(appId).map((p) => p.pid);
  for (const pid of found) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
  }
  await waitAllDead(found, 5000);
  rmSync(join("/var/lib/hoku", appId), { recursive: true, force: true });
}

// ---- a restricted PATH ----

/** A temp folder of symlinks to just these tools (found on the normal PATH), for a PATH without docker, postgres or redis-server. */
export function restrictedPath(tools: readonly string[]): string {
  const dir = tempDir("hoku-path-");
  mkdirSync(dir, { recursive: true });
  for (const tool of tools) {
    const found = Bun.which(tool);
    if (found) symlinkSync(found, join(dir, tool));
  }
  return dir;
}

// ---- hoku without a container engine ----

/**
 * A wrapper that runs the hoku binary in a private mount namespace where the engine's
 * socket (/run/docker.sock, which Testcontainers falls back to whatever DOCKER_HOST
 * says) is /dev/null: no engine answers. Needs root (the tests run as root).
 */
export function noEngineWrapper(hoku: string): string {
  const dir = tempDir("hoku-noengine-");
  const file = join(dir, "hoku");
  const script = [
    "#!/bin/sh",
    `exec /usr/bin/unshare --mount --propagation private /bin/sh -c 'for s in /run/docker.sock /var/run/docker.sock; do [ -e "$s" ] && /usr/bin/mount --bind /dev/null "$s"; done; exec "$0" "$@"' ${JSON.stringify(hoku)} "$@"`,
    "",
  ].join("\n");
  writeFileSync(file, script, { mode: 0o755 });
  return file;
}

/** Runs `command args` to completion (or `timeoutMs`, then SIGKILL), with its merged output. */
export async function complete(command: readonly string[], args: readonly string[], options: { cwd: string; env: Record<string, string> }, timeoutMs = 90_000) {
  const run = new Running(args, { ...options, command });
  const timer = setTimeout(() => run.signal("SIGKILL"), timeoutMs);
  const code = await run.exited;
  clearTimeout(timer);
  return { code, output: run.output };
}

/** Pids whose environment tags them as the named add-on's server (`HOKU_DYNO_TAG=<run>/addon/<name>`). */
export function taggedAddonPids(names: readonly string[]): number[] {
  const suffixes = names.map((n) => `/addon/${n}`);
  return allPids().filter((pid) => {
    try {
      const tag = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").find((e) => e.startsWith("HOKU_DYNO_TAG="));
      return tag !== undefined && suffixes.some((s) => tag.endsWith(s)) && isAlive(pid);
    } catch {
      return false;
    }
  });
}

/** These pids and all their live descendants. */
export function withDescendants(pids: readonly number[]): number[] {
  const found = new Set(pids.filter(isAlive));
  const parents = new Map(allPids().map((p) => [p, parentOf(p)]));
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, parent] of parents) if (!found.has(pid) && found.has(parent) && isAlive(pid)) (found.add(pid), (grew = true));
  }
  return [...found];
}

/** The pids hoku names in its `... ready in N s on 127.0.0.1:P (pid N)` lines. */
export function readyPids(output: string): number[] {
  return [...output.matchAll(/ready in [\d.]+ s on 127\.0\.0\.1:\d+ \(pid (\d+)\)/g)].map((m) => Number(m[1]));
}

export function commandOf(pid: number): string {
  return cmdline(pid);
}

/** Polls until none of the pids exists in /proc at all (zombies included: a zombie postmaster still holds its pid); returns those left. */
export async function waitGone(pids: readonly number[], timeoutMs = 10_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = pids.filter((pid) => existsSync(`/proc/${pid}`));
    if (left.length === 0 || Date.now() > deadline) return left;
    await Bun.sleep(50);
  }
}

/** Where native Postgres keeps an add-on's data: /var/lib/hoku/<appId>/<name>/pgdata as root, else in the state folder. */
export function nativePgData(appId: string, stateDir: string, name: string): string {
  return process.getuid?.() === 0 ? join("/var/lib/hoku", appId, name, "pgdata") : join(stateDir, "addons", name, "pgdata");
}
