/**
 * Releases one at a time, and none half made: a config:set during a push's release phase, a
 * release phase that fails on a config change, a platform killed in the middle of a release,
 * a pusher who leaves (Ctrl-C) while the build runs. The real binary's platform and real pushes.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { commit, gitApp, push, restartTestPlatform, startTestPlatform, type TestPlatform } from "../helpers/platform.ts";

/** python3's http.server, naming the code version and GREETING. */
const server = (version: string) => `import http.server, os
class Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"${version} greeting={os.environ.get('GREETING', 'unset')}\\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
http.server.ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), Hello).serve_forever()
`;

/** A release phase that takes its time when the slug holds a file `slow` or SLOW is set, and fails when BREAK=yes. */
const PROCFILE = `web: python3 server.py
release: echo release-phase-started; if [ -e slow ] || [ -n "$SLOW" ]; then sleep 60; fi; test "$BREAK" != yes
`;

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

async function api<T>(path: string): Promise<T> {
  const token = (await platform.hoku(["auth:token"])).stdout.trim();
  const response = await fetch(`http://127.0.0.1:${platform.port}${path}`, { headers: { Authorization: `Bearer ${token}`, Accept: "application/vnd.heroku+json; version=3" } });
  return (await response.json()) as T;
}

type Release = { version: number; description: string; status: string; slug: { id: string } | null };

test("a config:set during a push's release phase waits for it, and is released on the pushed slug", async () => {
  const dir = gitApp({ Procfile: PROCFILE.replace("sleep 60", "sleep 4"), "server.py": server("v1"), slow: "" }, platform.env);
  expect((await platform.hoku(["apps:create", "order-app"], { cwd: dir })).code).toBe(0);
  const pushing = push(dir, platform.env);
  await platform.proc.waitFor(/release-phase-started/, 60_000);
  // ps lists the release dyno while it runs, as Heroku's does (Dev Center: release-phase).
  expect((await platform.hoku(["ps", "-a", "order-app"])).stdout).toMatch(/^release\.\d{4}( \(Basic\))?: up /m);
  const set = await platform.hoku(["config:set", "GREETING=hi", "-a", "order-app"]);
  expect(set.code).toBe(0);
  expect((await pushing).code).toBe(0);
  expect(await platform.served("order-app", /greeting=hi/)).toBe("200 v1 greeting=hi\n");
  const releases = await api<Release[]>("/apps/order-app/releases");
  const [deploy, config] = releases.slice(-2);
  expect([deploy!.description, config!.description]).toEqual([expect.stringMatching(/^Deploy /), "Set GREETING config vars"]);
  expect(config!.status).toBe("succeeded");
  expect(config!.slug?.id).toBe(deploy!.slug!.id);
}, 120_000);

test("a release phase that fails on a config:set keeps the old config vars, and the old release serving", async () => {
  const dir = gitApp({ Procfile: PROCFILE, "server.py": server("v1") }, platform.env);
  expect((await platform.hoku(["apps:create", "revert-app"], { cwd: dir })).code).toBe(0);
  expect((await push(dir, platform.env)).code).toBe(0);
  const set = await platform.hoku(["config:set", "BREAK=yes", "GREETING=broken", "-a", "revert-app"]);
  expect(set.code).not.toBe(0);
  expect(set.stderr).toContain("Release command failed");
  expect((await platform.hoku(["config:get", "BREAK", "-a", "revert-app"])).stdout.trim()).toBe("");
  expect(await platform.served("revert-app", /greeting=/)).toBe("200 v1 greeting=unset\n");
  // The next change is made from the config as it was, not from the failed one's.
  expect((await platform.hoku(["config:set", "GREETING=fine", "-a", "revert-app"])).code).toBe(0);
  await platform.served("revert-app", /greeting=fine/);
}, 120_000);

test("a push whose hook goes during the release phase (the pusher left): the deploy still finishes, is released, and its build is recorded", async () => {
  const dir = gitApp({ Procfile: "web: python3 server.py\n", "server.py": server("v1") }, platform.env);
  expect((await platform.hoku(["apps:create", "leaver-app"], { cwd: dir })).code).toBe(0);
  expect((await push(dir, platform.env)).code).toBe(0);
  commit(dir, platform.env, { Procfile: `web: python3 server.py\nrelease: echo leaver-release; sleep 3\n`, "server.py": server("v2") });
  const pushing = push(dir, platform.env);
  await platform.proc.waitFor(/leaver-release/, 60_000);
  // The push's hook, which carries the deploy's lines to the pusher, goes (as when git's connection drops).
  const { id } = await api<{ id: string }>("/apps/leaver-app");
  const hooks = Bun.spawnSync(["pgrep", "-f", `__git-hook ${id}`]).stdout.toString().trim().split("\n").filter(Boolean);
  expect(hooks.length).toBeGreaterThan(0);
  for (const pid of hooks) process.kill(Number(pid), "SIGKILL");
  expect((await pushing).code).not.toBe(0);
  expect(await platform.served("leaver-app", /^200 v2/)).toBe("200 v2 greeting=unset\n");
  const builds = await api<{ status: string }[]>("/apps/leaver-app/builds");
  expect(builds.map((b) => b.status)).toEqual(["succeeded", "succeeded"]);
}, 120_000);

test("a SIGKILL of the platform during a release phase: restarted, the build and release are failed and the config vars are the current release's", async () => {
  const dir = gitApp({ Procfile: PROCFILE, "server.py": server("v1") }, platform.env);
  expect((await platform.hoku(["apps:create", "killed-app"], { cwd: dir })).code).toBe(0);
  expect((await push(dir, platform.env)).code).toBe(0);

  // A config change whose release phase never ends...
  const before = platform.proc.output.length;
  const setting = platform.hoku(["config:set", "SLOW=1", "-a", "killed-app"]);
  await platform.proc.waitFor(new RegExp(`[^]{${before}}[^]*release-phase-started`), 60_000);
  platform.proc.signal("SIGKILL");
  await platform.proc.exited;
  await setting;
  platform = await restartTestPlatform(platform);
  expect((await platform.hoku(["config:get", "SLOW", "-a", "killed-app"])).stdout.trim()).toBe("");
  let releases = await api<Release[]>("/apps/killed-app/releases");
  expect(releases.at(-1)!.description).toBe("Set SLOW config vars");
  expect(releases.at(-1)!.status).toBe("failed");
  expect(await platform.served("killed-app", /^200/)).toBe("200 v1 greeting=unset\n");

  // ...and a push whose release phase never ends.
  commit(dir, platform.env, { slow: "", "server.py": server("v2") });
  const pushing = push(dir, platform.env);
  const mark = platform.proc.output.length;
  await platform.proc.waitFor(new RegExp(`[^]{${mark}}[^]*release-phase-started`), 60_000);
  platform.proc.signal("SIGKILL");
  await platform.proc.exited;
  expect((await pushing).code).not.toBe(0);
  platform = await restartTestPlatform(platform);
  const builds = await api<{ status: string }[]>("/apps/killed-app/builds");
  expect(builds.map((b) => b.status)).toEqual(["succeeded", "failed"]);
  releases = await api<Release[]>("/apps/killed-app/releases");
  expect(releases.at(-1)!.description).toMatch(/^Deploy /);
  expect(releases.at(-1)!.status).toBe("failed");
  expect(await platform.served("killed-app", /^200/)).toBe("200 v1 greeting=unset\n");
}, 180_000);

test("a failed config:set puts back the config vars as they were, add-on vars whose own release failed included", async () => {
  const procfile = `web: python3 server.py\nrelease: test -z "$REDIS_URL" -o -e allow-redis && test "$BREAK" != yes\n`;
  const dir = gitApp({ Procfile: procfile, "server.py": server("v1") }, platform.env);
  expect((await platform.hoku(["apps:create", "addon-revert-app"], { cwd: dir })).code).toBe(0);
  expect((await push(dir, platform.env)).code).toBe(0);
  // The add-on's Attach release fails its release phase: the add-on and its REDIS_URL stay, the release does not.
  const created = await platform.hoku(["addons:create", "heroku-redis", "-a", "addon-revert-app"]);
  expect(created.stderr).toContain("Release command failed");
  const url = (await platform.hoku(["config:get", "REDIS_URL", "-a", "addon-revert-app"])).stdout.trim();
  expect(url).toMatch(/^redis:\/\//);
  const set = await platform.hoku(["config:set", "BREAK=yes", "-a", "addon-revert-app"]);
  expect(set.code).not.toBe(0);
  expect((await platform.hoku(["config:get", "REDIS_URL", "-a", "addon-revert-app"])).stdout.trim()).toBe(url);
  expect((await platform.hoku(["config:get", "BREAK", "-a", "addon-revert-app"])).stdout.trim()).toBe("");
}, 120_000);

describe("a release command past --release-timeout (Heroku: 1 hour)", () => {
  let limited: TestPlatform;
  beforeAll(async () => {
    limited = await startTestPlatform(["--release-timeout", "2s"]);
  });
  afterAll(async () => {
    await limited?.stop();
  });

  test("is stopped and its release fails; the previous release keeps serving and the app takes the next release", async () => {
    const dir = gitApp({ Procfile: PROCFILE, "server.py": server("v1") }, limited.env);
    expect((await limited.hoku(["apps:create", "timeout-app"], { cwd: dir })).code).toBe(0);
    expect((await push(dir, limited.env)).code).toBe(0);
    const set = await limited.hoku(["config:set", "SLOW=1", "-a", "timeout-app"]);
    expect(set.code).not.toBe(0);
    expect(set.stderr).toContain("Release command failed");
    const logs = await limited.hoku(["logs", "-a", "timeout-app", "-n", "200"]);
    expect(logs.stdout).toMatch(/Release command timed out after 2 seconds: stopping release\.\d+/);
    expect((await limited.hoku(["config:get", "SLOW", "-a", "timeout-app"])).stdout.trim()).toBe("");
    expect(await limited.served("timeout-app", /^200/)).toBe("200 v1 greeting=unset\n");
    expect((await limited.hoku(["config:set", "GREETING=after", "-a", "timeout-app"])).code).toBe(0);
    await limited.served("timeout-app", /greeting=after/);
  }, 120_000);
});
