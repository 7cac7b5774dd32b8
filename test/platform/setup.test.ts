/**
 * apps:setup from an app.json (as a Heroku Button), add-ons of a deployed app, and dynos in a
 * plain folder (no bubblewrap): a platform started with HOKU_SANDBOX=folder.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { commit, gitApp, push, startTestPlatform, type TestPlatform } from "../helpers/platform.ts";

const SERVER = `import http.server, os
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        keys = ["DYNO", "API_KEY", "SECRET_KEY", "DATABASE_URL", "SEEDED"]
        body = ("home=" + os.environ["HOME"] + " cwd=" + os.getcwd() + " " + " ".join(k + "=" + os.environ.get(k, "-") for k in keys) + "\\n").encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
http.server.ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), H).serve_forever()
`;

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform([], { HOKU_SANDBOX: "folder" });
});
afterAll(async () => {
  await platform?.stop();
});


describe("apps:setup (a Heroku Button's app.json)", () => {
  const appJson = {
    name: "button-app",
    env: { API_KEY: { description: "an API key", required: true }, SECRET_KEY: { generator: "secret" }, DEFAULTED: "yes" },
    formation: { web: { quantity: 1 }, worker: { quantity: 0 } },
    scripts: { postdeploy: "echo seeding with $API_KEY; touch /tmp/never-here-$DYNO" },
    addons: ["heroku-postgresql"],
  };

  test("a required var without a value: setup fails listing it, and creates nothing", async () => {
    const dir = gitApp({ "app.json": JSON.stringify(appJson), Procfile: "web: python3 server.py\n", "server.py": SERVER }, platform.env);
    const { code, stderr } = await platform.hoku(["apps:setup", dir, "--name", "button-app"]);
    expect(code).toBe(1);
    expect(stderr).toContain("app setup failed: invalid app.json, nothing was created");
    expect(stderr).toContain("app.json /env/API_KEY: required config var API_KEY has no value (an API key)");
    expect((await platform.hoku(["apps"])).stdout).not.toContain("button-app");
  }, 30_000);

  test("config vars (given, generated, defaults), an add-on, formation, the first build, then postdeploy once", async () => {
    const dir = gitApp({ "app.json": JSON.stringify(appJson), Procfile: "web: python3 server.py\nworker: sleep 1000\n", "server.py": SERVER }, platform.env);
    const setup = await platform.hoku(["apps:setup", dir, "--name", "button-app", "--env", "API_KEY=k-123"]);
    expect(setup.stderr).toContain("Creating app from");
    expect(setup.stderr).toContain("Creating heroku-postgresql... done");
    expect(setup.stdout).toContain("Released v");
    expect(setup.stdout).toContain("Running postdeploy script...");
    expect(setup.stdout).toContain("seeding with k-123");
    expect(setup.code).toBe(0);
    const config = (await platform.hoku(["config", "--json", "-a", "button-app"])).stdout;
    const vars = JSON.parse(config) as Record<string, string>;
    expect(vars.API_KEY).toBe("k-123");
    expect(vars.SECRET_KEY).toMatch(/^[0-9a-f]{64}$/);
    expect(vars.DEFAULTED).toBe("yes");
    expect(vars.DATABASE_URL).toMatch(/^postgres:\/\//);
    const body = await platform.served("button-app", /^200 /);
    expect(body).toContain("API_KEY=k-123");
    expect(body).toMatch(/DATABASE_URL=postgres:\/\//);
    const ps = (await platform.hoku(["ps:scale", "-a", "button-app"])).stdout;
    expect(ps).toContain("web=1:");
    expect(ps).toContain("worker=0:");
    // app.json is read at setup only (AJ-8): a later push builds without postdeploy.
    commit(dir, platform.env, { "note.txt": "later\n" });
    const later = await push(dir, platform.env);
    expect(later.code).toBe(0);
    expect(later.out).not.toContain("seeding");
  }, 240_000);
});

describe("add-ons of a deployed app", () => {
  test("addons:create -a: its vars become config vars in an Attach release and the dynos restart with them; pg:psql, pg:backups and redis:cli reach it; addons:destroy detaches", async () => {
    const dir = gitApp({ Procfile: "web: python3 server.py\n", "server.py": SERVER }, platform.env);
    expect((await platform.hoku(["apps:create", "addon-app"], { cwd: dir })).code).toBe(0);
    expect((await push(dir, platform.env)).code).toBe(0);
    await platform.served("addon-app", /DATABASE_URL=-/);
    const created = await platform.hoku(["addons:create", "heroku-postgresql", "-a", "addon-app"]);
    expect(created.stderr).toContain("Creating heroku-postgresql on ⬢ addon-app... done");
    expect(created.stdout).toMatch(/Created postgresql-\S+ as .*DATABASE_URL/);
    expect(created.code).toBe(0);
    await platform.served("addon-app", /DATABASE_URL=postgres:\/\//);
    expect((await platform.hoku(["releases", "-a", "addon-app"])).stdout).toMatch(/Attach DATABASE/);
    const listed = await platform.hoku(["addons", "-a", "addon-app"]);
    expect(listed.stdout).toMatch(/heroku-postgresql \(postgresql-\S+\)/);
    const name = /\((postgresql-\S+)\)/.exec(listed.stdout)![1]!;

    // pg:* of a deployed app: its DATABASE_URL, in the repository by its hoku remote (said in one line) or with -a.
    const psql = await platform.hoku(["pg:psql"], { cwd: dir, stdin: "create table kept (v text); insert into kept values ('before');\n" });
    expect(psql.stderr).toContain("acting on the deployed app addon-app (the repository's hoku remote)");
    expect(psql.code).toBe(0);
    const capture = await platform.hoku(["pg:backups:capture", "-a", "addon-app"]);
    expect(capture.stderr).toContain(`Starting backup of ${name}... done`);
    expect(capture.stderr).toContain("Backing up to b001... done");
    expect(capture.stdout).toContain("DATABASE ---backup---> b001");
    expect(capture.code).toBe(0);
    expect((await platform.hoku(["pg:psql", name, "-a", "addon-app"], { stdin: "update kept set v = 'after';\n" })).code).toBe(0);
    const refused = await platform.hoku(["pg:backups:restore", "b001", "-a", "addon-app"]);
    expect(refused.stderr).toContain("--confirm addon-app");
    expect(refused.code).toBe(1);
    expect((await platform.hoku(["pg:backups:restore", "b001", "DATABASE_URL", "-a", "addon-app", "--confirm", "addon-app"])).code).toBe(0);
    const after = await platform.hoku(["pg:psql", "-a", "addon-app"], { stdin: "select 'got:' || v from kept;\n" });
    expect(after.stdout).toContain("got:before");
    const missing = await platform.hoku(["redis:cli", "-a", "addon-app"]);
    expect(missing.stderr).toContain("addon-app has no heroku-redis add-on");
    expect(missing.code).toBe(1);
    expect((await platform.hoku(["addons:create", "heroku-redis", "-a", "addon-app"])).code).toBe(0);
    const redis = await platform.hoku(["redis:cli", "-a", "addon-app"], { stdin: "SET seen yes\nGET seen\n" });
    expect(redis.stdout).toContain("yes");
    expect(redis.code).toBe(0);
    expect((await platform.hoku(["pg:psql", "-r", "nosuch"], { cwd: dir })).stderr).toContain("the git remote nosuch does not name a hoku app here");
    const destroyed = await platform.hoku(["addons:destroy", name, "-a", "addon-app", "--confirm", "addon-app"]);
    expect(destroyed.code).toBe(0);
    await platform.served("addon-app", /DATABASE_URL=-/);
  }, 240_000);
});

describe("dynos in a plain folder (no bubblewrap)", () => {
  test("each dyno runs in its own copy of the slug, which is its HOME; platform:status says why", async () => {
    const body = await platform.served("addon-app", /^200 /);
    const home = /home=(\S+)/.exec(body)![1]!;
    expect(home).not.toBe("/app");
    expect(body).toContain(`cwd=${home}`);
    expect(home).toContain("/platform/dynos/");
    const status = await platform.hoku(["platform:status"]);
    expect(status.stdout).toContain("in a folder per dyno (HOKU_SANDBOX=folder)");
  }, 30_000);
});
