/**
 * The platform in the background: platform:start (idempotent), platform:status, platform:stop,
 * a command that needs it starting it with a one-line note, the token every request needs, and
 * the state folder's modes. The real binary with its own state folder and ports.
 */
import { afterAll, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { anyFreePort } from "../../src/runtime/port-probe.ts";
import { isAlive, runHoku, tempDir, testEnv } from "../helpers/hoku.ts";

const state = tempDir("hoku-bg-state-");
const env = testEnv({ XDG_STATE_HOME: state, HOME: tempDir("hoku-bg-home-"), HOKU_PLATFORM_PORT: String(anyFreePort()), HOKU_PLATFORM_TLS_PORT: String(anyFreePort()), HOKU_ROUTER_PORT: String(anyFreePort()) });
const hoku = (...args: string[]) => runHoku(args, { cwd: env.HOME!, env });

afterAll(async () => {
  await hoku("platform:stop");
});

test("a command that needs the platform starts it in the background with a note; platform:start is idempotent; status and stop say what they do", async () => {
  const first = await hoku("apps");
  expect(first.stderr).toContain("hoku: starting the platform in the background (hoku platform:stop stops it)");
  expect(first.stdout).toContain("You have no apps.");
  expect(first.code).toBe(0);

  const again = await hoku("platform:start");
  expect(again.stderr).toContain("the platform was already running");
  const status = await hoku("platform:status");
  expect(status.stdout).toContain(`API and git: http://127.0.0.1:${env.HOKU_PLATFORM_PORT}, https://127.0.0.1:${env.HOKU_PLATFORM_TLS_PORT}`);
  expect(status.stdout).toContain(`Router:      http://<app>.localhost:${env.HOKU_ROUTER_PORT}/`);
  expect(status.code).toBe(0);

  const platformDir = join(state, "hoku", "platform");
  expect(statSync(platformDir).mode & 0o777).toBe(0o700);
  for (const file of ["platform.db", "token", "platform.json", "tls/ca.key", "tls/server.key"]) expect(statSync(join(platformDir, file)).mode & 0o777).toBe(0o600);
  expect(statSync(join(platformDir, "tls")).mode & 0o777).toBe(0o700);

  const stopped = await hoku("platform:stop");
  expect(stopped.stderr).toMatch(/platform stopped \(pid \d+\)/);
  expect((await hoku("platform:status")).code).toBe(1);
}, 60_000);

test("every API request needs the token: none, or a wrong one, is 401 with Heroku's error body", async () => {
  expect((await hoku("platform:start")).code).toBe(0);
  const url = `http://127.0.0.1:${env.HOKU_PLATFORM_PORT}`;
  const token = (await hoku("auth:token")).stdout.trim();
  expect(token).toMatch(/^[0-9a-f]{64}$/);
  const none = await fetch(`${url}/apps`);
  expect(none.status).toBe(401);
  expect(await none.json()).toEqual({ id: "unauthorized", message: "Invalid credentials provided." });
  expect((await fetch(`${url}/apps`, { headers: { Authorization: "Bearer nope" } })).status).toBe(401);
  expect((await fetch(`${url}/apps`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
  // heroku-client's form: Basic base64(":" + token)
  expect((await fetch(`${url}/apps`, { headers: { Authorization: `Basic ${btoa(`:${token}`)}` } })).status).toBe(200);
  const missing = await fetch(`${url}/apps/nope`, { headers: { Authorization: `Bearer ${token}` } });
  expect(missing.status).toBe(404);
  expect(await missing.json()).toEqual({ id: "not_found", message: "Couldn't find that app." });
}, 60_000);

test("Range paging: max=2 gives 206 and a Next-Range that a second request follows; releases newest first with order=desc", async () => {
  expect((await hoku("platform:start")).code).toBe(0);
  const url = `http://127.0.0.1:${env.HOKU_PLATFORM_PORT}`;
  const headers = { Authorization: `Bearer ${(await hoku("auth:token")).stdout.trim()}` };
  for (const name of ["page-a", "page-b", "page-c"]) expect((await hoku("apps:create", name)).code).toBe(0);
  const first = await fetch(`${url}/apps`, { headers: { ...headers, Range: "name ..; max=2" } });
  expect(first.status).toBe(206);
  expect(((await first.json()) as { name: string }[]).map((a) => a.name)).toEqual(["page-a", "page-b"]);
  const next = first.headers.get("next-range")!;
  expect(next).toBe("name ]page-b..; max=2, order=asc");
  const rest = await fetch(`${url}/apps`, { headers: { ...headers, Range: next } });
  expect(rest.status).toBe(200);
  expect(((await rest.json()) as { name: string }[]).map((a) => a.name)).toEqual(["page-c"]);
  const releases = await fetch(`${url}/apps/page-a/releases`, { headers: { ...headers, Range: "version ..; max=1, order=desc" } });
  expect(((await releases.json()) as { version: number; description: string }[]).map((r) => [r.version, r.description])).toEqual([[2, "Enable Logplex"]]);
}, 60_000);

test("hoku apps lists the apps by name, as the heroku CLI sorts them (not in the order they were made)", async () => {
  for (const name of ["zeta-order", "alpha-order"]) expect((await hoku("apps:create", name)).code).toBe(0);
  const listed = (await hoku("apps")).stdout.split("\n").filter((line) => line.endsWith("-order"));
  expect(listed).toEqual(["alpha-order", "zeta-order"]);
}, 60_000);

/** The platform's `hoku __router` child, found through /proc. */
function routerPid(platformPid: number): number | undefined {
  for (const tid of readdirSync(`/proc/${platformPid}/task`))
    for (const child of readFileSync(`/proc/${platformPid}/task/${tid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number))
      if (readFileSync(`/proc/${child}/cmdline`, "utf8").split("\0").includes("__router")) return child;
  return undefined;
}

async function routerAnswers(): Promise<boolean> {
  return fetch(`http://127.0.0.1:${env.HOKU_ROUTER_PORT}/`).then(
    (response) => response.status === 200,
    () => false,
  );
}

test("the router runs as a process of its own: one that exits is started again on the same port, and it goes when the platform is SIGKILLed", async () => {
  expect((await hoku("platform:start")).code).toBe(0);
  const platform = JSON.parse(readFileSync(join(state, "hoku", "platform", "platform.json"), "utf8")).pid as number;
  const first = routerPid(platform)!;
  expect(first).toBeGreaterThan(0);
  expect(await routerAnswers()).toBe(true);

  process.kill(first, "SIGKILL");
  let second: number | undefined;
  for (let i = 0; i < 100 && !(second && second !== first && (await routerAnswers())); i++) {
    await Bun.sleep(100);
    second = routerPid(platform);
  }
  expect(second).not.toBe(first);
  expect(await routerAnswers()).toBe(true);

  process.kill(platform, "SIGKILL");
  for (let i = 0; i < 50 && isAlive(second!); i++) await Bun.sleep(100);
  expect(isAlive(second!)).toBe(false);
  expect(await routerAnswers()).toBe(false);
}, 60_000);

test("a router port in use (even by a listener that allows sharing it, as another platform's router) stops the platform at its start with the fix, and leaves no router behind", async () => {
  const taken = Bun.serve({ hostname: "127.0.0.1", port: 0, reusePort: true, fetch: () => new Response("someone else") });
  try {
    const otherState = tempDir("hoku-bg-taken-");
    const result = await runHoku(["platform"], { cwd: env.HOME!, env: { ...env, XDG_STATE_HOME: otherState, HOKU_PLATFORM_PORT: String(anyFreePort()), HOKU_PLATFORM_TLS_PORT: String(anyFreePort()), HOKU_ROUTER_PORT: String(taken.port) } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`hoku: a port of the platform is taken (${taken.port})`);
    // In the background, the terminal gets the reason too (not only the log).
    const background = await runHoku(["platform:start"], { cwd: env.HOME!, env: { ...env, XDG_STATE_HOME: otherState, HOKU_PLATFORM_PORT: String(anyFreePort()), HOKU_PLATFORM_TLS_PORT: String(anyFreePort()), HOKU_ROUTER_PORT: String(taken.port) } });
    expect(background.code).toBe(1);
    expect(background.stderr).toContain(`hoku: the platform did not start: a port of the platform is taken (${taken.port})\n    hint: choose others with --port`);
    expect(result.stderr).toContain("hint: choose others with --port, --tls-port and --router-port");
    const routers = readdirSync("/proc").filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("__router") && readFileSync(`/proc/${pid}/environ`, "utf8").includes(otherState);
      } catch {
        return false;
      }
    });
    expect(routers).toEqual([]);
  } finally {
    taken.stop(true);
  }
}, 60_000);
