/**
 * The user story with the real heroku CLI: eval "$(hoku heroku:env)", then apps:create
 * in a git repository, git push heroku main (https, the local CA), config:set, releases,
 * ps:scale, logs, run. One platform for the file.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { git, gitApp, startTestPlatform, type TestPlatform } from "../helpers/platform.ts";
import { type HerokuCli, herokuCliFor } from "../helpers/heroku-cli.ts";

const SERVER = `import http.server, os
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"dyno={os.environ.get('DYNO')} foo={os.environ.get('FOO', 'unset')}\\n".encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), H).serve_forever()
`;

let platform: TestPlatform;
let cli: HerokuCli;
beforeAll(async () => {
  platform = await startTestPlatform();
  cli = await herokuCliFor(platform);
});
afterAll(async () => {
  await platform?.stop();
});

describe("the heroku CLI against hoku", () => {
  let dir = "";

  test("hoku heroku:env prints what the CLI needs, and touches no file of the user's", async () => {
    const printed = await platform.hoku(["heroku:env"]);
    expect(printed.stdout).toContain(`export HEROKU_HOST='https://127.0.0.1:${platform.tlsPort}'`);
    expect(printed.stdout).toContain(`export HEROKU_PARTICLEBOARD_URL='https://127.0.0.1:${platform.tlsPort}'`);
    expect(printed.stdout).toContain("export HEROKU_DATA_HOST='127.0.0.1'");
    expect(printed.stdout).toMatch(/export HEROKU_API_KEY='[0-9a-f]{64}'/);
    expect(printed.stdout).toContain("export DISABLE_TELEMETRY='true'");
    expect(printed.stdout).toContain("export HEROKU_DISABLE_AUTOUPDATE='1'");
    expect(printed.stdout).toMatch(/export NODE_EXTRA_CA_CERTS='[^']+\.pem'/);
    expect(printed.stdout).toContain(`export GIT_CONFIG_KEY_0='http.https://127.0.0.1:${platform.tlsPort}/.sslCAInfo'`);
    const fish = await platform.hoku(["heroku:env", "--shell", "fish"]);
    expect(fish.stdout).toContain(`set -gx HEROKU_HOST 'https://127.0.0.1:${platform.tlsPort}';`);
    const ps = await platform.hoku(["heroku:env", "--shell", "powershell"]);
    expect(ps.stdout).toContain(`$env:HEROKU_HOST = 'https://127.0.0.1:${platform.tlsPort}'`);
  });

  test("heroku apps:create in a git repository adds the heroku remote (https)", async () => {
    dir = gitApp({ Procfile: "web: python3 server.py\n", "server.py": SERVER }, cli.env);
    const created = await cli.heroku(["apps:create", "cli-demo"], { cwd: dir });
    expect(created.stderr).toContain("Creating cli-demo... done");
    expect(created.stdout).toContain(`http://cli-demo.localhost:${platform.routerPort}/ | https://127.0.0.1:${platform.tlsPort}/cli-demo.git`);
    expect(created.code).toBe(0);
    expect(git(dir, cli.env, ["remote", "get-url", "heroku"]).out.trim()).toBe(`https://127.0.0.1:${platform.tlsPort}/cli-demo.git`);
    // Offline: no background `heroku update` was claimed (it would go to the network later).
    expect(existsSync(join(cli.env.HOME!, ".cache", "heroku", "autoupdate"))).toBe(false);
  }, 60_000);

  test("git push heroku main builds and releases over https, with the CLI's credential helper", async () => {
    const proc = Bun.spawn(["git", "push", "heroku", "main"], { cwd: dir, env: cli.env, stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect(out + err).toContain("remote:        Released v3");
    expect(code).toBe(0);
    await platform.served("cli-demo", /^200 dyno=web\.1 foo=unset/);
  }, 120_000);

  test("config:set prints done, vN and restarts; releases lists it; config and config:get read it", async () => {
    const set = await cli.heroku(["config:set", "FOO=bar", "-a", "cli-demo"]);
    expect(set.stderr).toMatch(/Setting FOO and restarting .*cli-demo\.\.\. done, v4/);
    expect(set.stdout).toContain("FOO: bar");
    expect(set.code).toBe(0);
    await platform.served("cli-demo", /foo=bar/);
    expect((await cli.heroku(["config:get", "FOO", "-a", "cli-demo"])).stdout).toBe("bar\n");
    const releases = await cli.heroku(["releases", "-a", "cli-demo"]);
    expect(releases.stdout).toContain("Releases - Current: v4");
    expect(releases.stdout).toMatch(/v4\s+Set FOO config vars/);
    expect(releases.stdout).toMatch(/v3\s+Deploy [0-9a-f]{8}/);
  }, 60_000);

  test("ps:scale web=2 and ps", async () => {
    const scaled = await cli.heroku(["ps:scale", "web=2", "-a", "cli-demo"]);
    expect(scaled.stderr).toContain("Scaling dynos... done, now running web at 2:Basic");
    const deadline = Date.now() + 20_000;
    let ps = "";
    while (!/web\.2: up/.test(ps) && Date.now() < deadline) ps = (await cli.heroku(["ps", "-a", "cli-demo"])).stdout;
    expect(ps).toContain("=== web (Basic): python3 server.py (2)");
    expect(ps).toMatch(/web\.1: up /);
    expect(ps).toMatch(/web\.2: up /);
  }, 60_000);

  test("logs -n and --source / --dyno filters", async () => {
    const logs = await cli.heroku(["logs", "-n", "200", "-a", "cli-demo"]);
    expect(logs.stdout).toMatch(/app\[api\]: Release v4 created by user /);
    expect(logs.stdout).toMatch(/heroku\[web\.2\]: State changed from starting to up/);
    const web2 = await cli.heroku(["logs", "-n", "200", "-d", "web.2", "-a", "cli-demo"]);
    expect(web2.stdout.trim().split("\n").every((l) => l.includes("[web.2]"))).toBe(true);
    expect(logs.code).toBe(0);
  }, 60_000);

  test("run: a one-off dyno over the TLS rendezvous; --exit-code propagates its status", async () => {
    // `(exit 3)`, not `exit 3`: the CLI appends its status marker to the command, which an exit would skip (as on Heroku).
    const run = await cli.heroku(["run", "--exit-code", "-a", "cli-demo", "echo I am $DYNO; (exit 3)"]);
    expect(run.stdout).toMatch(/I am run\.\d+/);
    expect(run.stderr).toMatch(/Running echo I am \$DYNO; \(exit 3\) on .*cli-demo\.\.\. up, run\.\d+/);
    expect(run.stderr).toContain("Process exited with code 3");
    expect(run.code).toBe(3);
  }, 60_000);

  test("apps:info shows the https git URL and the router URL; pipeline couplings are absent", async () => {
    const info = await cli.heroku(["apps:info", "-a", "cli-demo"]);
    expect(info.stdout).toContain(`Git URL:        https://127.0.0.1:${platform.tlsPort}/cli-demo.git`);
    expect(info.stdout).toContain(`Web URL:        http://cli-demo.localhost:${platform.routerPort}/`);
    expect(info.code).toBe(0);
  }, 60_000);
});
