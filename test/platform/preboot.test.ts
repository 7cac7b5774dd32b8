/**
 * Zero-downtime deploys (issue 14), on a real platform with real dynos and the real router:
 * a request in flight on an old web dyno ends with that dyno's 200 before the dyno gets SIGTERM
 * (a release, a scale-down), with or without preboot; with `hoku features:enable preboot`, a
 * steady load through a config:set, a rollback and a scale-down has no failed request and
 * none waits for a booting dyno; without it (Heroku's default), requests in the restart's gap
 * wait for the new dyno, and any that fails is logged with its H code (never a cut request:
 * H13, H18). The app takes 1.5 s to bind $PORT, so the gap is there to see.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { gitApp, push, startTestPlatform, type TestPlatform } from "../helpers/platform.ts";

/** GET /?ms=N answers `<DYNO> <GREETING>` after N ms; the server binds $PORT BOOT_SECONDS after its start. */
const SERVER = `import http.server, os, time, urllib.parse
time.sleep(float(os.environ.get("BOOT_SECONDS", "0")))
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        time.sleep(int(query.get("ms", ["0"])[0]) / 1000)
        body = ("%s %s\\n" % (os.environ.get("DYNO"), os.environ.get("GREETING", ""))).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), H).serve_forever()
`;

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform(["--shutdown-timeout", "3s"]);
});
afterAll(async () => {
  await platform?.stop();
});

interface Outcome {
  readonly status: number;
  readonly body: string;
  readonly ms: number;
}

/** `clients` loops of GET /?ms=30 until stopped (at most `max` requests each); resolves every outcome. */
function load(app: string, clients = 2, max = 1500): { stop(): Promise<Outcome[]> } {
  let running = true;
  const outcomes: Outcome[] = [];
  const client = async () => {
    for (let i = 0; running && i < max; i++) {
      const started = performance.now();
      const outcome = await platform.http(app, "/?ms=30").then(
        async (r) => ({ status: r.status, body: await r.text() }),
        (error: unknown) => ({ status: 0, body: String(error) }),
      );
      outcomes.push({ ...outcome, ms: performance.now() - started });
    }
  };
  const loops = Array.from({ length: clients }, client);
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return outcomes;
    },
  };
}

async function hoku(...args: string[]): Promise<string> {
  const result = await platform.hoku(args);
  expect(`${args.join(" ")}: ${result.code}`).toBe(`${args.join(" ")}: 0`);
  return result.stdout + result.stderr;
}

/**
 * Deploys the app (with a `worker` type, if given) with GREETING=one and BOOT_SECONDS=1.5, scaled
 * as `scale` (web=2 by default); resolves once its last web dyno serves.
 */
async function deployed(app: string, options: { worker?: string; scale?: string } = {}): Promise<void> {
  const worker = options.worker ? `worker: ${options.worker}\n` : "";
  const dir = gitApp({ Procfile: `web: python3 server.py\n${worker}`, "server.py": SERVER }, platform.env);
  expect((await platform.hoku(["apps:create", app], { cwd: dir })).code).toBe(0);
  await hoku("config:set", "GREETING=one", "BOOT_SECONDS=1.5", "-a", app);
  expect((await push(dir, platform.env)).code).toBe(0);
  const scale = options.scale ?? "web=2";
  await hoku("ps:scale", scale, "-a", app);
  await platform.served(app, new RegExp(`^200 web\\.${/web=(\d+)/.exec(scale)?.[1] ?? 1} one`));
}

/** The router's error lines in the app's logs, by H code. */
async function routerErrors(app: string): Promise<string[]> {
  const logs = await hoku("logs", "-n", "1500", "-a", app);
  return [...logs.matchAll(/heroku\[router\]: at=(?:error|warning) code=(H\d+)/g)].map((m) => m[1]!);
}

/** A request that takes 2.5 s on an old dyno while `change` makes a release; resolves its outcome. */
async function slowRequestThrough(app: string, change: () => Promise<unknown>): Promise<Outcome> {
  const started = performance.now();
  const slow = platform.http(app, "/?ms=2500").then(async (r) => ({ status: r.status, body: await r.text(), ms: performance.now() - started }));
  await Bun.sleep(700);
  await change();
  return slow;
}

describe("features", () => {
  test("hoku features lists preboot; features:enable and features:disable turn it on and off, as the heroku CLI says it", async () => {
    await hoku("apps:create", "features-app");
    const list = await platform.hoku(["features", "-a", "features-app"]);
    expect(list.stdout).toBe("=== App Features features-app\n\n[ ] preboot  Provide seamless web dyno deploys\n");
    const enabled = await platform.hoku(["features:enable", "preboot", "-a", "features-app"]);
    expect(enabled.stderr).toContain("Enabling preboot for features-app... done");
    expect((await platform.hoku(["features", "-a", "features-app"])).stdout).toContain("[+] preboot  Provide seamless web dyno deploys\n");
    const again = await platform.hoku(["features:enable", "preboot", "-a", "features-app"]);
    expect(again.stderr).toContain("preboot is already enabled.");
    expect(again.code).toBe(1);
    const disabled = await platform.hoku(["features:disable", "preboot", "--app", "features-app"]);
    expect(disabled.stderr).toContain("Disabling preboot for features-app... done");
    const json = JSON.parse((await platform.hoku(["features", "--json", "-a", "features-app"])).stdout) as { name: string; enabled: boolean }[];
    expect(json).toMatchObject([{ name: "preboot", enabled: false }]);
  }, 60_000);
});

describe("with preboot", () => {
  const app = "preboot-on";

  test("a load through a config:set, a rollback and a scale-down: no failed request, none waits for a booting dyno; a slow request on an old dyno ends with its 200", async () => {
    await deployed(app);
    await hoku("features:enable", "preboot", "-a", app);
    const running = load(app);
    await Bun.sleep(500);
    const slow = await slowRequestThrough(app, () => hoku("config:set", "GREETING=two", "-a", app));
    expect(slow.status).toBe(200);
    expect(slow.body).toMatch(/^web\.\d one\n$/);
    expect((await platform.http(app)).status).toBe(200);
    expect(await (await platform.http(app)).text()).toMatch(/ two\n$/); // config:set returned once the router had moved
    await hoku("rollback", "-a", app);
    expect(await (await platform.http(app)).text()).toMatch(/ one\n$/);
    await Bun.sleep(500);
    await hoku("ps:scale", "web=1", "-a", app);
    await Bun.sleep(500);
    const outcomes = await running.stop();
    expect(outcomes.length).toBeGreaterThan(20);
    expect(outcomes.filter((o) => o.status !== 200)).toEqual([]);
    expect(outcomes.filter((o) => o.ms > 1400)).toEqual([]);
    expect(await routerErrors(app)).toEqual([]);
  }, 120_000);
});

describe("with preboot, releases one on another", () => {
  const app = "preboot-twice";

  test("a config:set while the last one's dynos boot: no failed request, the last release serves, and no old dyno is left running", async () => {
    await deployed(app);
    await hoku("ps:scale", "web=1", "-a", app);
    await hoku("features:enable", "preboot", "-a", app);
    const running = load(app);
    await Bun.sleep(300);
    // The first release's dynos take 3 s to boot; the second comes once the first is made, while they boot.
    const first = hoku("config:set", "GREETING=two", "BOOT_SECONDS=3", "-a", app);
    while (!(await hoku("releases", "-a", app)).includes("Set GREETING, BOOT_SECONDS config vars")) await Bun.sleep(50);
    await Promise.all([first, hoku("config:set", "GREETING=three", "-a", app)]);
    await platform.served(app, / three\n$/, { timeoutMs: 30_000 });
    await Bun.sleep(1500);
    const outcomes = await running.stop();
    expect(outcomes.filter((o) => o.status !== 200)).toEqual([]);
    expect(outcomes.filter((o) => o.ms > 1400)).toEqual([]);
    // Every old dyno exits (drained, then SIGTERM; a loaded machine takes its time): one web dyno is left.
    let webDynos = Number.NaN;
    for (const deadline = Date.now() + 15_000; webDynos !== 1 && Date.now() < deadline; await Bun.sleep(300)) {
      const logs = await hoku("logs", "-n", "1500", "-a", app);
      webDynos = (logs.match(/heroku\[web\.\d\]: Starting process/g)?.length ?? 0) - (logs.match(/heroku\[web\.\d\]: Process exited/g)?.length ?? 0);
    }
    expect(webDynos).toBe(1);
  }, 120_000);
});

describe("with preboot, a worker", () => {
  const app = "preboot-worker";

  test("restarts the standard way (Dev Center: preboot changes web dynos only): the old worker.1 gets SIGTERM as the new one starts, while the new web dyno still boots", async () => {
    await deployed(app, { worker: "echo worker $GREETING; exec sleep 600", scale: "worker=1" });
    await hoku("features:enable", "preboot", "-a", app);
    await hoku("config:set", "GREETING=two", "-a", app);
    const logs = await hoku("logs", "-n", "1500", "-a", app);
    const lines = logs.split("\n").filter((line) => line.includes("[worker.1]") || line.includes("heroku[web.1]: State changed from starting to up"));
    expect(lines.filter((line) => line.includes("app[worker.1]:")).map((line) => line.replace(/^.*: /, ""))).toEqual(["worker one", "worker two"]);
    const sigterm = lines.findIndex((line) => line.endsWith("heroku[worker.1]: Stopping all processes with SIGTERM"));
    const workerStart = lines.findLastIndex((line) => line.includes("heroku[worker.1]: Starting process"));
    const webUp = lines.findLastIndex((line) => line.includes("heroku[web.1]: State changed from starting to up"));
    expect(sigterm).toBeGreaterThan(-1);
    expect(sigterm).toBeLessThan(workerStart); // the old worker is told to stop as the new one starts...
    expect(workerStart).toBeLessThan(webUp); // ...not once the router has moved to the new web dyno
    expect(await (await platform.http(app)).text()).toMatch(/ two\n$/);
  }, 120_000);

  test("two releases while the old workers shut down: each old worker gets one SIGTERM, and each new one starts as it goes (the two overlap, Dev Center: dyno-shutdown-behavior)", async () => {
    const slowApp = "preboot-slow-worker";
    // The worker takes 2.5 s to shut down (the platform's shutdown timeout is 3 s); the web dyno boots in 1.5 s.
    const worker = "trap 'echo worker $GREETING got SIGTERM; sleep 2.5; echo worker $GREETING exits; exit 0' TERM; echo worker $GREETING; while :; do sleep 0.2; done";
    await deployed(slowApp, { worker, scale: "worker=1" });
    await hoku("features:enable", "preboot", "-a", slowApp);
    await hoku("config:set", "GREETING=two", "-a", slowApp); // returns once the router moved, while worker one still shuts down
    await hoku("config:set", "GREETING=three", "-a", slowApp);
    let lines: string[] = [];
    for (const deadline = Date.now() + 15_000; !lines.some((l) => l.endsWith("app[worker.1]: worker two exits")) && Date.now() < deadline; await Bun.sleep(200))
      lines = (await hoku("logs", "-n", "1500", "-a", slowApp)).split("\n").filter((line) => line.includes("[worker.1]"));
    // bash says "Terminated" for the loop's sleep that SIGTERM ended.
    const said = lines.filter((line) => line.includes("app[worker.1]:")).map((line) => line.replace(/^.*?\]: /, "")).filter((text) => text !== "Terminated");
    expect([...said].sort()).toEqual(["worker one", "worker one exits", "worker one got SIGTERM", "worker three", "worker two", "worker two exits", "worker two got SIGTERM"]);
    expect(said.indexOf("worker two")).toBeLessThan(said.indexOf("worker one exits"));
    expect(said.indexOf("worker three")).toBeLessThan(said.indexOf("worker two exits"));
    expect(lines.filter((line) => line.endsWith("heroku[worker.1]: Stopping all processes with SIGTERM"))).toHaveLength(2);
    expect(lines.filter((line) => line.includes("Error R12"))).toEqual([]);
    expect(await (await platform.http(slowApp)).text()).toMatch(/ three\n$/);
  }, 120_000);
});

describe("without preboot (Heroku's default)", () => {
  const app = "preboot-off";

  test("a slow request on an old dyno ends with its 200; requests in the restart's gap wait for the new dyno; any failure is logged with its H code, none is a cut request", async () => {
    await deployed(app);
    const running = load(app);
    await Bun.sleep(500);
    const slow = await slowRequestThrough(app, () => hoku("config:set", "GREETING=two", "-a", app));
    expect(slow.status).toBe(200);
    expect(slow.body).toMatch(/^web\.\d one\n$/);
    await platform.served(app, / two\n$/);
    await hoku("rollback", "-a", app);
    await platform.served(app, / one\n$/);
    await Bun.sleep(500);
    await hoku("ps:scale", "web=1", "-a", app);
    await Bun.sleep(500);
    const outcomes = await running.stop();
    const failed = outcomes.filter((o) => o.status !== 200);
    const errors = await routerErrors(app);
    expect(errors.length).toBeGreaterThanOrEqual(failed.length);
    expect(errors.filter((code) => code === "H13" || code === "H18" || code === "H21")).toEqual([]);
    expect(failed.every((o) => o.status === 503)).toBe(true);
    expect(outcomes.some((o) => o.ms > 1400)).toBe(true); // the gap: requests waited for a booting dyno
  }, 120_000);
});
