/**
 * Deployed dynos as Heroku runs them (DY-1..DY-8, OP-2): the dyno's environment and sandbox,
 * a pristine slug on every start, ps:restart / ps:stop / ps:scale forms, R10 and R12, a
 * crashing dyno, run:detached, logs --tail across releases, apps:rename and git:remote, and
 * one build per app at a time. One platform for the file, with short timeouts for R10 and R12.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { commit, git, gitApp, push, startTestPlatform, type TestPlatform } from "../helpers/platform.ts";
import { HOKU } from "../helpers/hoku.ts";

/** Answers GET / with what the dyno sees; GET /write leaves a file in the slug copy. */
const SERVER = `import http.server, os, subprocess
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/write":
            open("written.txt", "w").write("x")
        seen = {
            "dyno": os.environ.get("DYNO"), "home": os.environ.get("HOME"), "cwd": os.getcwd(),
            "port": os.environ.get("PORT"), "profiled": os.environ.get("FROM_PROFILE_D"), "profile": os.environ.get("FROM_PROFILE"),
            "written": os.path.exists("written.txt"), "tmp": sorted(os.listdir("/tmp")),
            "pids": len([p for p in os.listdir("/proc") if p.isdigit()]),
            "tty": [os.isatty(0), os.isatty(1), os.isatty(2)],
        }
        body = (repr(seen) + "\\n").encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), H).serve_forever()
`;

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform(["--boot-timeout", "3s", "--shutdown-timeout", "2s"]);
});
afterAll(async () => {
  await platform?.stop();
});


const app = "dyno-app";
let dir = "";

describe("a deployed dyno", () => {
  test("its environment: no terminal, DYNO, PORT, HOME=/app with the slug there, .profile.d then .profile sourced, its own /tmp and PIDs (bubblewrap)", async () => {
    dir = gitApp(
      {
        Procfile: "web: python3 server.py\nworker: sleep 600\n",
        "server.py": SERVER,
        ".profile.d/hoku-test.sh": "export FROM_PROFILE_D=yes\nexport FROM_PROFILE=overridden-later\n",
        ".profile": "export FROM_PROFILE=yes\n",
      },
      platform.env,
    );
    expect((await platform.hoku(["apps:create", app], { cwd: dir })).code).toBe(0);
    expect((await push(dir, platform.env)).code).toBe(0);
    const body = await platform.served(app, /^200 /);
    expect(body).toContain("'dyno': 'web.1'");
    expect(body).toMatch(/'port': '\d+'/);
    expect(body).toContain("'profiled': 'yes'");
    expect(body).toContain("'profile': 'yes'");
    // A Heroku dyno's output goes to a pipe, not a terminal (npm draws no spinner, Node no colors); it has no stdin.
    expect(body).toContain("'tty': [False, False, False]");
    const status = (await platform.hoku(["platform:status"])).stdout;
    if (status.includes("bubblewrap")) {
      expect(body).toContain("'home': '/app'");
      expect(body).toContain("'cwd': '/app'");
      expect(body).toContain("'tmp': []");
      expect(Number(/'pids': (\d+)/.exec(body)![1])).toBeLessThan(10);
    } else {
      console.warn(`no bubblewrap sandbox here (${status.trim()}): HOME=/app, /tmp and PID checks skipped`);
    }
  }, 120_000);

  test("a write in the slug copy is gone after ps:restart (every start is a pristine copy of the slug)", async () => {
    expect(await platform.served(app, /'written': True/, { path: "/write" })).toContain("'written': True");
    const restarted = await platform.hoku(["ps:restart", "--process-type", "web", "-a", app]);
    expect(restarted.stderr).toContain(`Restarting all web dynos on ⬢ ${app}... done`);
    expect(restarted.code).toBe(0);
    await platform.served(app, /'written': False/);
  }, 60_000);

  test("a first push runs web=1 and the other types at 0 (as Heroku); ps:scale takes Heroku's forms (worker+2, web=1 worker=0) and prints the new formation", async () => {
    expect((await platform.hoku(["ps", "-a", app])).stdout).not.toContain("=== worker");
    const up = await platform.hoku(["ps:scale", "worker+2", "-a", app]);
    expect(up.stderr).toContain("Scaling dynos... done, now running worker at 2:Basic");
    const ps = await platform.hoku(["ps", "-a", app]);
    expect(ps.stdout).toContain("=== worker (Basic): sleep 600 (2)");
    // Types in name order, as the heroku CLI prints them.
    expect(ps.stdout).toContain("=== web (Basic)");
    expect(ps.stdout.indexOf("=== web")).toBeLessThan(ps.stdout.indexOf("=== worker"));
    const both = await platform.hoku(["ps:scale", "web=1", "worker=0", "-a", app]);
    expect(both.stderr).toMatch(/Scaling dynos\.\.\. done, now running (web at 1:Basic, worker at 0:Basic|worker at 0:Basic, web at 1:Basic)/);
    // Heroku's app[api] line for each scale.
    const logs = (await platform.hoku(["logs", "-n", "1500", "-s", "app", "-d", "api", "-a", app])).stdout;
    expect(logs).toMatch(/app\[api\]: Scaled to worker@2:Basic by user \S+\n/);
    expect(logs).toMatch(/app\[api\]: Scaled to (web@1:Basic worker@0:Basic|worker@0:Basic web@1:Basic) by user \S+\n/);
    const bad = await platform.hoku(["ps:scale", "nosuch=1", "-a", app]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("Couldn't find that process type (nosuch).");
  }, 60_000);

  test("while the only web dyno restarts (ps:restart web.1, ps:stop web.1), requests wait for it, as for a booting dyno: no H14", async () => {
    const statuses: number[] = [];
    let loading = true;
    const load = (async () => {
      while (loading) statuses.push(await platform.http(app).then((r) => r.text().then(() => r.status), () => 0));
    })();
    await Bun.sleep(300);
    expect((await platform.hoku(["ps:restart", "web.1", "-a", app])).code).toBe(0);
    await platform.logsUntil(app, /heroku\[web\.1\]: Restarting[^]*heroku\[web\.1\]: State changed from starting to up/);
    expect((await platform.hoku(["ps:stop", "web.1", "-a", app])).code).toBe(0);
    await Bun.sleep(2500);
    loading = false;
    await load;
    expect(statuses.length).toBeGreaterThan(5);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect((await platform.hoku(["logs", "-n", "1500", "-a", app])).stdout).not.toContain("code=H14");
  }, 60_000);

  test("ps:stop web.1: the dyno stops and, being in the formation, is started again", async () => {
    const before = await platform.logsUntil(app, /heroku\[web\.1\]: State changed from starting to up/);
    const ups = before.match(/heroku\[web\.1\]: State changed from starting to up/g)!.length;
    const stopped = await platform.hoku(["ps:stop", "web.1", "-a", app]);
    expect(stopped.stderr).toContain(`Stopping dyno web.1 on ⬢ ${app}... done`);
    await platform.logsUntil(app, new RegExp(`(heroku\\[web\\.1\\]: State changed from starting to up[\\s\\S]*){${ups + 1}}`));
    await platform.served(app, /^200 /);
  }, 60_000);

  test("run:detached: the output goes to the logs as run.N", async () => {
    const detached = await platform.hoku(["run:detached", "-a", app, "echo detached-hello"]);
    expect(detached.stderr).toMatch(/Running `echo detached-hello` on ⬢ dyno-app\.\.\. done, run\.\d+ \(Basic\)/);
    expect(detached.stdout).toMatch(/Run hoku logs --app dyno-app --dyno run\.\d+ to view the output\./);
    expect(detached.code).toBe(0);
    const logs = await platform.logsUntil(app, /app\[run\.\d+\]: detached-hello/);
    // As Heroku says a one-off's start (scheduler jobs: `by scheduler@addons.heroku.com`).
    expect(logs).toMatch(/heroku\[run\.\d+\]: Starting process with command `echo detached-hello` by user \S+@\S+/);
  }, 60_000);

  test("logs --tail keeps following across a release (config:set restarts the dynos), with Heroku's restart lines for web.1", async () => {
    const tail = Bun.spawn([HOKU, "logs", "--tail", "-n", "1", "-a", app], { env: platform.env, stdout: "pipe", stderr: "ignore" });
    let seen = "";
    const reading = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of tail.stdout) seen += decoder.decode(chunk);
    })();
    await Bun.sleep(500);
    expect((await platform.hoku(["config:set", "TAILED=1", "-a", app])).code).toBe(0);
    const deadline = Date.now() + 20_000;
    const followed = /Set TAILED config vars[\s\S]*heroku\[web\.1\]: State changed from starting to up/;
    while (!followed.test(seen) && Date.now() < deadline) await Bun.sleep(200);
    tail.kill();
    await reading.catch(() => {});
    expect(seen).toMatch(/app\[api\]: Set TAILED config vars by user/);
    expect(seen).toMatch(followed);
    // LG-3: Restarting, up to starting, the old process's stop, the new one's start, starting to up;
    // not the old dyno's moves to stopping and down, nor the new one's from down.
    const restart = seen.slice(seen.indexOf("Set TAILED config vars")).split("\n").filter((line) => line.includes("heroku[web.1]:")).map((line) => line.slice(line.indexOf("heroku[web.1]: ") + 15));
    // In Heroku's order, but for the old process's exit and the new one's start, which may come either way: the
    // new dyno starts as the old one is sent SIGTERM (Dev Center: dyno-shutdown-behavior).
    const texts = restart.map((text) => text.replace(/`.*`/, "`...`"));
    expect(texts.slice(0, 3)).toEqual(["Restarting", "State changed from up to starting", "Stopping all processes with SIGTERM"]);
    expect(texts.slice(3, 5).sort()).toEqual(["Process exited with status 143", "Starting process with command `...`"]);
    expect(texts.slice(5)).toEqual(["State changed from starting to up"]);
    expect(restart.filter((text) => text.startsWith("State changed"))).toEqual(["State changed from up to starting", "State changed from starting to up"]);
  }, 60_000);
});

describe("dynos that misbehave", () => {
  test("R10: a web dyno that never binds $PORT within the boot timeout is killed, with Heroku's lines", async () => {
    const d = gitApp({ Procfile: "web: echo not listening; sleep 600\n" }, platform.env);
    expect((await platform.hoku(["apps:create", "r10-app"], { cwd: d })).code).toBe(0);
    expect((await push(d, platform.env)).code).toBe(0);
    // The last of Heroku's three lines (the state change comes once the killed process is reaped).
    const logs = await platform.logsUntil("r10-app", /State changed from starting to crashed/);
    expect(logs).toMatch(/heroku\[web\.1\]: Error R10 \(Boot timeout\) -> Web process failed to bind to \$PORT within \d+ seconds? of launch\n.*heroku\[web\.1\]: Stopping process with SIGKILL\n[^]*heroku\[web\.1\]: State changed from starting to crashed/);
    expect((await platform.http("r10-app")).status).toBe(503);
  }, 60_000);

  test("R10: a web dyno bound to 127.0.0.1 only is never up, as Heroku's router reaches a dyno from outside it", async () => {
    const server = `import http.server, os\nhttp.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), http.server.SimpleHTTPRequestHandler).serve_forever()\n`;
    const d = gitApp({ Procfile: "web: python3 server.py\n", "server.py": server }, platform.env);
    expect((await platform.hoku(["apps:create", "loopback-app"], { cwd: d })).code).toBe(0);
    expect((await push(d, platform.env)).code).toBe(0);
    const logs = await platform.logsUntil("loopback-app", /State changed from starting to crashed/);
    expect(logs).toMatch(/heroku\[web\.1\]: Error R10 \(Boot timeout\) -> Web process failed to bind to \$PORT within \d+ seconds? of launch/);
    expect(logs).not.toContain("State changed from starting to up");
  }, 60_000);

  test("R12: a dyno that ignores SIGTERM is killed after the shutdown timeout on a restart", async () => {
    const d = gitApp({ Procfile: "worker: trap '' TERM; echo stubborn; while true; do sleep 1; done\n" }, platform.env);
    expect((await platform.hoku(["apps:create", "r12-app"], { cwd: d })).code).toBe(0);
    expect((await push(d, platform.env)).code).toBe(0);
    expect((await platform.hoku(["ps:scale", "worker=1", "-a", "r12-app"])).code).toBe(0);
    await platform.logsUntil("r12-app", /app\[worker\.1\]: stubborn/);
    expect((await platform.hoku(["ps:restart", "-a", "r12-app"])).code).toBe(0);
    const logs = await platform.logsUntil("r12-app", /Error R12/);
    expect(logs).toContain("heroku[worker.1]: Stopping all processes with SIGTERM");
    expect(logs).toMatch(/heroku\[worker\.1\]: Error R12 \(Exit timeout\) -> At least one process failed to exit within \d+ seconds of SIGTERM/);
    expect(logs).toContain("heroku[worker.1]: Stopping remaining processes with SIGKILL");
  }, 60_000);

  test("ps:scale to 0 answers at once, as Heroku's API does (202), not after the dyno's shutdown grace", async () => {
    // r12-app's worker ignores SIGTERM: it goes only with the R12 SIGKILL, 2 s after its SIGTERM here.
    await platform.logsUntil("r12-app", /app\[worker\.1\]: stubborn[^]*app\[worker\.1\]: stubborn/);
    expect((await platform.hoku(["ps:scale", "worker=0", "-a", "r12-app"])).code).toBe(0);
    const answeredAt = Date.now();
    // While it waits out its grace, ps says down, as its log line does: Heroku has no stopping state.
    const ps = (await platform.hoku(["ps", "-a", "r12-app"])).stdout;
    expect(ps).toMatch(/^worker\.1: down /m);
    const logs = await platform.logsUntil("r12-app", /Error R12[^]*Error R12/);
    const secondR12 = [...logs.matchAll(/^(\S+) heroku\[worker\.1\]: Error R12/gm)][1]![1]!;
    expect(answeredAt).toBeLessThan(Date.parse(secondR12));
  }, 60_000);

  test("a dyno that crashes is restarted, and ps shows it crashed meanwhile", async () => {
    const d = gitApp({ Procfile: "worker: echo crashing; exit 3\n" }, platform.env);
    expect((await platform.hoku(["apps:create", "crash-app"], { cwd: d })).code).toBe(0);
    expect((await push(d, platform.env)).code).toBe(0);
    expect((await platform.hoku(["ps:scale", "worker=1", "-a", "crash-app"])).code).toBe(0);
    const logs = await platform.logsUntil("crash-app", /(Process exited with status 3[\s\S]*){2}/);
    expect(logs).toContain("heroku[worker.1]: State changed from up to crashed");
    // Heroku's lines only: hoku start's `Crashed 2 times in a row; restarting in ...` is not one of them.
    expect(logs).not.toContain("times in a row");
    const ps = await platform.hoku(["ps", "-a", "crash-app"]);
    expect(ps.stdout).toMatch(/worker\.1: (crashed|starting|up) /);
  }, 60_000);
});

describe("apps and pushes", () => {
  test("app names are checked as Heroku checks them: 3 to 30 characters, a letter first, a letter or digit last", async () => {
    const tries = await Promise.all(["ab", "a".repeat(31), "ends-with-", "9lives", "Upper"].map((name) => platform.hoku(["apps:create", name])));
    expect(tries.map((t) => t.stderr.trim().split("\n").at(-1))).toEqual([
      "hoku: Name is too short (minimum is 3 characters)",
      "hoku: Name is too long (maximum is 30 characters)",
      ...Array(3).fill("hoku: Name must start with a letter, end with a letter or digit and can only contain lowercase letters, digits, and dashes."),
    ]);
    expect(tries.every((t) => t.code === 1)).toBe(true);
  }, 30_000);

  test("apps:rename keeps the app's releases and serves at the new name; git:remote points a repository at it", async () => {
    const renamed = await platform.hoku(["apps:rename", "dyno-app-renamed", "-a", app]);
    expect(renamed.stderr).toContain(`Renaming ⬢ ${app} to dyno-app-renamed... done`);
    expect(renamed.code).toBe(0);
    await platform.served("dyno-app-renamed", /^200 /);
    // The platform's own output names the app by its new name from then on (router lines included).
    await platform.proc.waitFor(/^dyno-app-renamed \S+ heroku\[router\]: at=info .*host=dyno-app-renamed\.localhost/m);
    expect((await platform.http(app)).status).toBe(404);
    expect((await platform.hoku(["releases", "-a", "dyno-app-renamed"])).stdout).toMatch(/Deploy \w+/);
    const remote = await platform.hoku(["git:remote", "-a", "dyno-app-renamed"], { cwd: dir });
    expect(remote.stdout).toContain(`set git remote hoku to http://127.0.0.1:${platform.port}/dyno-app-renamed.git`);
    commit(dir, platform.env, { "server.py": SERVER.replace('"dyno":', '"renamed": 1, "dyno":') });
    expect((await push(dir, platform.env)).code).toBe(0);
    await platform.served("dyno-app-renamed", /'renamed': 1/);
  }, 120_000);

  test("one build per app at a time: a second push while the first builds is refused with a clear message", async () => {
    const d = gitApp({ Procfile: "web: python3 -m http.server $PORT\n", "bin/slow": "x" }, platform.env);
    // A custom buildpack whose compile takes a few seconds: the second push arrives meanwhile.
    const bp = gitApp(
      {
        "bin/detect": "#!/bin/sh\necho Slow\n",
        "bin/compile": "#!/bin/sh\necho compiling slowly; sleep 4\n",
        "bin/release": "#!/bin/sh\necho '--- {}'\n",
      },
      platform.env,
    );
    expect((await platform.hoku(["apps:create", "busy-app"], { cwd: d })).code).toBe(0);
    expect((await platform.hoku(["buildpacks:set", bp, "-a", "busy-app"])).code).toBe(0);
    const clone = `${d}-clone`;
    git(d, platform.env, ["clone", "-q", d, clone]);
    git(clone, platform.env, ["remote", "add", "hoku", git(d, platform.env, ["remote", "get-url", "hoku"]).out.trim()]);
    for (const [k, v] of git(d, platform.env, ["config", "--local", "--get-regexp", "^credential"]).out.trim().split("\n").map((l) => [l.slice(0, l.indexOf(" ")), l.slice(l.indexOf(" ") + 1)]))
      git(clone, platform.env, ["config", "--local", "--add", k!, v!]);
    commit(clone, platform.env, { "other.txt": "y\n" });
    const first = push(d, platform.env);
    await Bun.sleep(1500);
    const second = await push(clone, platform.env);
    expect(second.code).not.toBe(0);
    expect(second.out).toContain("another push to busy-app is building");
    expect(second.out).toContain("wait for it to finish, then push again");
    const done = await first;
    expect(done.out).toContain("compiling slowly");
    expect(done.code).toBe(0);
  }, 120_000);
});
