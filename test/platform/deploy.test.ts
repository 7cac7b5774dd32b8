/**
 * `git push hoku main` end to end: the real binary's platform, real git pushes of small fixture
 * apps, the build, releases, dynos behind the router, config, rollback, scaling, logs, one-off
 * dynos, a platform killed and restarted. One platform for the file.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { commit, git, gitApp, push, restartTestPlatform, startTestPlatform, type TestPlatform } from "../helpers/platform.ts";
import { withDescendants } from "../helpers/addons.ts";
import { HOKU, runHoku, waitAllDead } from "../helpers/hoku.ts";

/** A web dyno with nothing to install: python3's http.server is on every Debian. */
const SERVER = `import http.server, os
class Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"dyno={os.environ.get('DYNO')} greeting={os.environ.get('GREETING', 'unset')} home={os.environ.get('HOME')} rid={self.headers.get('X-Request-Id')}\\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        print("served", self.path, flush=True)
print("booting", flush=True)
http.server.ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), Hello).serve_forever()
`;

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => {
  if (process.env.HOKU_TEST_DEBUG) console.log(platform?.proc.output.slice(-4000));
  await platform?.stop();
});


describe("a Procfile-only app, from create to URL", () => {
  let dir: string;
  const app = "shell-app";

  test("apps:create in a repository adds the hoku remote; the first push builds, releases v3 and serves at <app>.localhost", async () => {
    dir = gitApp({ Procfile: "web: python3 server.py\n", "server.py": SERVER }, platform.env);
    const created = await platform.hoku(["apps:create", app], { cwd: dir });
    expect(created.code).toBe(0);
    expect(created.stderr).toContain(`Creating ⬢ ${app}... done`);
    expect(created.stdout).toContain(`http://${app}.localhost:${platform.routerPort}/ | http://127.0.0.1:${platform.port}/${app}.git`);
    expect(git(dir, platform.env, ["remote", "get-url", "hoku"]).out.trim()).toBe(`http://127.0.0.1:${platform.port}/${app}.git`);
    expect(git(dir, platform.env, ["config", "--global", "--get-regexp", "credential"]).out.trim()).toBe(""); // the repository's config only

    const pushed = await push(dir, platform.env);
    expect(pushed.out).toContain("remote: -----> Building on the Heroku-24 stack");
    expect(pushed.out).toMatch(/remote: -----> Discovering process types\s*\n\s*remote:\s+Procfile declares types\s+-> web/);
    expect(pushed.out).toContain("remote:        Released v3");
    expect(pushed.out).toContain(`remote:        http://${app}.localhost:${platform.routerPort}/ deployed to hoku`);
    expect(pushed.out).toContain("remote: Verifying deploy... done.");
    expect(pushed.code).toBe(0);
    expect(await platform.served(app, /^200 dyno=web\.1 greeting=unset/)).toMatch(/rid=[0-9a-f-]{36}/);
  }, 120_000);

  test("open (heroku open): the app's router URL with the path, printed where there is no browser", async () => {
    const env = { ...platform.env, DISPLAY: "", WAYLAND_DISPLAY: "" };
    const opened = await runHoku(["open", "/admin?x=1", "-a", app], { cwd: platform.env.HOME!, env });
    expect(opened.stdout).toBe(`Opening http://${app}.localhost:${platform.routerPort}/admin?x=1...\n`);
    expect(opened.code).toBe(0);
  });

  test("config:set is a release and a restart; releases lists Heroku's descriptions; rollback brings the old config back", async () => {
    const set = await platform.hoku(["config:set", "GREETING=hi there", "-a", app]);
    expect(set.stderr).toContain(`Setting GREETING and restarting ⬢ ${app}... done, v4`);
    expect(set.stdout).toBe("GREETING: hi there\n");
    expect(set.code).toBe(0);
    await platform.served(app, /greeting=hi there/);
    expect((await platform.hoku(["config:get", "GREETING", "-a", app])).stdout).toBe("hi there\n");

    const releases = await platform.hoku(["releases", "-a", app]);
    expect(releases.stdout).toContain(`=== ⬢ ${app} Releases - Current: v4`);
    const sha = git(dir, platform.env, ["rev-parse", "HEAD"]).out.trim().slice(0, 8);
    for (const line of [/v4\s+Set GREETING config vars/, new RegExp(`v3\\s+Deploy ${sha}`), /v2\s+Enable Logplex/, /v1\s+Initial release/]) expect(releases.stdout).toMatch(line);

    const rolled = await platform.hoku(["rollback", "v3", "-a", app]);
    expect(rolled.stderr).toContain(`Rolling back ⬢ ${app} to v3... done, v5`);
    await platform.served(app, /greeting=unset/);
    expect((await platform.hoku(["releases", "-a", app])).stdout).toMatch(/v5\s+Rollback to v3/);
  }, 60_000);

  test("ps:scale web=2: two web dynos, both get traffic through the router; ps lists them", async () => {
    const scaled = await platform.hoku(["ps:scale", "web=2", "-a", app]);
    expect(scaled.stderr).toContain("Scaling dynos... done, now running web at 2:Basic");
    const seen = new Set<string>();
    for (let i = 0; i < 60 && seen.size < 2; i++) {
      const body = await (await platform.http(app)).text().catch(() => "");
      const dyno = /dyno=(web\.\d)/.exec(body)?.[1];
      if (dyno) seen.add(dyno);
      await Bun.sleep(100);
    }
    expect([...seen].sort()).toEqual(["web.1", "web.2"]);
    const ps = await platform.hoku(["ps", "-a", app]);
    expect(ps.stdout).toContain("=== web (Basic): python3 server.py (2)");
    expect(ps.stdout).toMatch(/web\.1: up \d{4}\/\d\d\/\d\d/);
    expect((await platform.hoku(["ps:scale", "web=1", "-a", app])).code).toBe(0);
  }, 60_000);

  test("logs: dyno output, lifecycle, router and API lines, in Logplex's format; -s and -d filter", async () => {
    const logs = await platform.hoku(["logs", "-n", "1500", "-a", app]);
    const ts = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00`;
    expect(logs.stdout).toMatch(new RegExp(`^${ts} app\\[web\\.1\\]: booting$`, "m"));
    expect(logs.stdout).toMatch(new RegExp(`^${ts} heroku\\[web\\.1\\]: State changed from starting to up$`, "m"));
    expect(logs.stdout).toMatch(new RegExp(`^${ts} heroku\\[router\\]: at=info method=GET path="/" host=${app}\\.localhost`, "m"));
    expect(logs.stdout).toMatch(new RegExp(`^${ts} app\\[api\\]: Release v3 created by user \\S+@localhost$`, "m"));
    const heroku = await platform.hoku(["logs", "-n", "1500", "-s", "heroku", "-a", app]);
    expect(heroku.stdout).not.toContain(" app[");
    const web1 = await platform.hoku(["logs", "-n", "1500", "-d", "web.1", "-a", app]);
    expect(web1.stdout.split("\n").filter(Boolean).every((l) => l.includes("[web.1]"))).toBe(true);
  }, 30_000);

  test("logs --tail follows new lines", async () => {
    const tail = Bun.spawn([HOKU, "logs", "-t", "-n", "0", "-a", app], { env: platform.env, stdout: "pipe", stderr: "ignore" });
    await Bun.sleep(500);
    await platform.http(app, "/tailed");
    const reader = tail.stdout.getReader();
    let seen = "";
    const deadline = Date.now() + 15_000;
    while (!seen.includes('path="/tailed"') && Date.now() < deadline) seen += new TextDecoder().decode((await reader.read()).value ?? new Uint8Array());
    tail.kill();
    expect(seen).toContain('path="/tailed"');
  }, 30_000);

  test("run -a: a one-off dyno of the current release, its exit code propagated", async () => {
    const run = await platform.hoku(["run", "-a", app, 'echo "I am $DYNO in $HOME"; ls server.py; exit 3']);
    expect(run.stderr).toMatch(new RegExp(`Running \`echo "I am \\$DYNO in \\$HOME"; ls server.py; exit 3\` on ⬢ ${app}\\.\\.\\. up, run\\.\\d{4} \\(Basic\\)`));
    expect(run.stdout).toMatch(/I am run\.\d{4} in \//);
    expect(run.stdout).toContain("server.py");
    expect(run.code).toBe(3);
  }, 30_000);

  test("a push to another branch is accepted without a build", async () => {
    git(dir, platform.env, ["checkout", "-q", "-b", "feature"]);
    commit(dir, platform.env, { "note.txt": "x\n" });
    const pushed = await push(dir, platform.env, "feature");
    expect(pushed.out).toContain("remote: Pushed to non-main branch, skipping build.");
    expect(pushed.code).toBe(0);
    git(dir, platform.env, ["checkout", "-q", "main"]);
  }, 30_000);
});

describe("failures keep the old release", () => {
  test("a build that fails rejects the push, names the step, and makes no release", async () => {
    const dir = gitApp({ "README.md": "no Procfile, nothing to detect\n" }, platform.env);
    expect((await platform.hoku(["apps:create", "nothing-app"], { cwd: dir })).code).toBe(0);
    const pushed = await push(dir, platform.env);
    expect(pushed.code).not.toBe(0);
    expect(pushed.out).toContain("remote:  !     Push failed");
    expect(pushed.out).toContain("pre-receive hook declined");
    expect((await platform.hoku(["releases", "-a", "nothing-app"])).stdout).not.toContain("Deploy");
    // With no release to run, a one-off says how to make one, whichever remote the user pushes to.
    const run = await platform.hoku(["run", "-a", "nothing-app", "true"]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("nothing-app has no release to run yet: deploy it first (git push to its hoku or heroku remote, e.g. git push hoku main).");
  }, 60_000);

  test("a release phase that fails rejects the push and the previous release keeps serving", async () => {
    const dir = gitApp({ Procfile: "web: python3 server.py\nrelease: echo migrating; exit 0\n", "server.py": SERVER }, platform.env);
    expect((await platform.hoku(["apps:create", "release-app"], { cwd: dir })).code).toBe(0);
    const first = await push(dir, platform.env);
    expect(first.out).toContain("remote:  !     Release command declared: this new release will not be available until the command succeeds.");
    expect(first.out).toContain("remote: migrating");
    expect(first.out).toContain("remote: Waiting for release.... done.");
    expect(first.code).toBe(0);
    // Heroku's order: the release is named, the deploy verified, then the release command runs and is waited for.
    const order = ["Release command declared", "Released v3", "deployed to hoku", "Verifying deploy... done.", "Running release command...", "remote: migrating", "Waiting for release.... done."];
    const at = order.map((text) => first.out.indexOf(text));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    await platform.served("release-app", /^200 dyno=web\.1/);
    commit(dir, platform.env, { Procfile: "web: python3 server.py\nrelease: echo relation missing; exit 7\n", "server.py": SERVER.replace("dyno=", "v2dyno=") });
    const second = await push(dir, platform.env);
    expect(second.out).toContain("remote: relation missing");
    expect(second.out).toContain("remote: Waiting for release.... failed.");
    expect(second.code).not.toBe(0);
    expect(await platform.served("release-app", /^200 dyno=web\.1/)).not.toContain("v2dyno");
    const releases = await platform.hoku(["releases", "-a", "release-app"]);
    expect(releases.stdout).toContain("Current: v3");
    expect(releases.stdout).toMatch(/v4\s+Deploy \w+ release command failed /); // as the heroku CLI: the status after the description
    // The release's output_stream_url is signed, as Heroku's: heroku releases:output reads it with no credentials.
    const token = (await platform.hoku(["auth:token"])).stdout.trim();
    const v4 = (await (await fetch(`http://127.0.0.1:${platform.port}/apps/release-app/releases/4`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { output_stream_url: string };
    const output = await fetch(v4.output_stream_url, { tls: { rejectUnauthorized: false } });
    expect(await output.text()).toContain("relation missing");
    expect((await platform.hoku(["releases:output", "v4", "-a", "release-app"])).stdout).toBe("relation missing\n");
    const forged = v4.output_stream_url.replace(/signature=./, (s) => (s.endsWith("0") ? "signature=1" : "signature=0"));
    expect((await fetch(forged, { tls: { rejectUnauthorized: false } })).status).toBe(401);
    expect((await fetch(v4.output_stream_url.replace("/releases/4/", "/releases/3/"), { tls: { rejectUnauthorized: false } })).status).toBe(401);
    const later = v4.output_stream_url.replace(/expires=(\d+)/, (_, t) => `expires=${Number(t) + 60}`); // its expiry is signed too
    expect((await fetch(later, { tls: { rejectUnauthorized: false } })).status).toBe(401);
  }, 120_000);
});

describe("the platform", () => {
  test("a SIGKILL of the platform leaves no dyno behind; restarted, every app comes back at its current release", async () => {
    const dir = gitApp({ Procfile: "web: python3 server.py\n", "server.py": SERVER }, platform.env);
    expect((await platform.hoku(["apps:create", "survivor-app"], { cwd: dir })).code).toBe(0);
    expect((await push(dir, platform.env)).code).toBe(0);
    await platform.hoku(["config:set", "GREETING=kept", "-a", "survivor-app"]);
    await platform.served("survivor-app", /greeting=kept/);
    // Every process under this platform: its dynos (and their sandboxes), of every app.
    const pids = withDescendants([platform.proc.proc.pid]).filter((pid) => pid !== platform.proc.proc.pid);
    expect(pids.length).toBeGreaterThan(2);
    const tail = Bun.spawn([HOKU, "logs", "--tail", "-n", "1", "-a", "survivor-app"], { env: platform.env, stdout: "ignore", stderr: "pipe" });
    await Bun.sleep(500);
    platform.proc.signal("SIGKILL");
    await platform.proc.exited;
    expect(await waitAllDead(pids, 10_000)).toEqual([]);
    platform = await restartTestPlatform(platform);
    // A follower whose platform went away says so in a line, not with a stack trace.
    const tailStatus = await Promise.race([tail.exited, Bun.sleep(15_000).then(() => "still running")]);
    tail.kill();
    const said = await new Response(tail.stderr).text();
    expect(tailStatus).toBe(1);
    expect(said).toMatch(/^hoku: the platform (stopped|no longer has this log stream)/);
    expect(said).not.toContain("    at ");
    expect(await platform.served("survivor-app", /greeting=kept/)).toContain("dyno=web.1");
    expect((await platform.hoku(["releases", "-a", "survivor-app"])).stdout).toContain("Current: v4");
  }, 120_000);

  test("apps:destroy stops its dynos and forgets it, with its slugs, git repository and build cache", async () => {
    const token = (await platform.hoku(["auth:token"])).stdout.trim();
    const { id } = (await (await fetch(`http://127.0.0.1:${platform.port}/apps/survivor-app`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { id: string };
    const state = join(platform.env.XDG_STATE_HOME!, "hoku", "platform");
    const files = [join(state, "repos", `${id}.git`), join(state, "cache", id)];
    expect(files.filter((f) => existsSync(f))).toEqual(files);
    const slugs = readdirSync(join(state, "slugs")).length;
    // The app as a positional argument, as the heroku CLI also takes it.
    const destroyed = await platform.hoku(["apps:destroy", "survivor-app", "--confirm", "survivor-app"]);
    expect(destroyed.stderr).toContain("Destroying ⬢ survivor-app (including all add-ons)... done");
    expect((await platform.http("survivor-app")).status).toBe(404);
    expect((await platform.hoku(["apps"])).stdout).not.toContain("survivor-app");
    expect(files.filter((f) => existsSync(f))).toEqual([]);
    expect(readdirSync(join(state, "slugs")).length).toBe(slugs - 1);
  }, 60_000);
});
