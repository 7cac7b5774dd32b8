/**
 * The router's Heroku contract through a real platform (RT-3, RT-7, OP-4): `hoku platform
 * --router-timeout` shortens H12 and HOKU_ROUTER_IDLE_TIMEOUT shortens H15, both landing in
 * the app's log; `hoku maintenance:on` turns the app's answers into the maintenance page (503,
 * H80) while its dyno keeps running, MAINTENANCE_PAGE_URL and ERROR_PAGE_URL frame the app's
 * own pages, and `maintenance:off` brings the app back.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { gitApp, push, startTestPlatform, type TestPlatform } from "../helpers/platform.ts";

/** GET / answers at once; /slow after 4 s; /stall sends a first chunk, then nothing for 4 s. */
const SERVER = `import http.server, os, time
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/slow":
            time.sleep(4)
        self.send_response(200); self.send_header("Content-Type", "text/plain"); self.end_headers()
        self.wfile.write(b"hello from the dyno\\n"); self.wfile.flush()
        if self.path == "/stall":
            time.sleep(4)
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), H).serve_forever()
`;

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform(["--router-timeout", "1s"], { HOKU_ROUTER_IDLE_TIMEOUT: "1s" });
});
afterAll(async () => {
  await platform?.stop();
});

const app = "contract-app";

describe("the router's contract on a deployed app", () => {
  test("--router-timeout: a dyno that has not answered within it is H12, 503", async () => {
    const dir = gitApp({ Procfile: "web: python3 server.py\n", "server.py": SERVER }, platform.env);
    expect((await platform.hoku(["apps:create", app], { cwd: dir })).code).toBe(0);
    expect((await push(dir, platform.env)).code).toBe(0);
    await platform.served(app, /^200 hello from the dyno/);
    const started = performance.now();
    const response = await platform.http(app, "/slow");
    expect(response.status).toBe(503);
    expect(performance.now() - started).toBeLessThan(3500);
    await platform.logsUntil(app, /heroku\[router\]: at=error code=H12 desc="Request timeout" method=GET path="\/slow" .* dyno=web\.1 .* status=503/);
  }, 120_000);

  test("HOKU_ROUTER_IDLE_TIMEOUT: a response silent for it is H15", async () => {
    const response = await platform.http(app, "/stall");
    expect(response.status).toBe(200);
    await response.text().catch(() => "");
    await platform.logsUntil(app, /heroku\[router\]: at=error code=H15 desc="Idle connection" method=GET path="\/stall" .* dyno=web\.1 /);
  }, 60_000);

  test("maintenance:on serves the maintenance page with H80, the dyno keeps running; maintenance:off brings the app back", async () => {
    const on = await platform.hoku(["maintenance:on", "-a", app]);
    expect(on.stderr).toContain(`Enabling maintenance mode for ⬢ ${app}... done\n`);
    expect(on.stdout).toBe("");
    expect((await platform.hoku(["maintenance", "-a", app])).stdout).toBe("on\n");
    const response = await platform.http(app);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("Offline for Maintenance");
    await platform.logsUntil(app, /heroku\[router\]: at=info code=H80 desc="Maintenance mode" method=GET path="\/" .* dyno= connect= service= status=503 bytes=/);
    expect((await platform.hoku(["ps", "-a", app])).stdout).toMatch(/web\.1: up/);

    expect((await platform.hoku(["config:set", "MAINTENANCE_PAGE_URL=https://example.com/maintenance.html", "-a", app])).code).toBe(0);
    expect(await platform.served(app, /example\.com\/maintenance\.html/)).toMatch(/^503 .*<iframe src="https:\/\/example\.com\/maintenance\.html"><\/iframe>/s);

    const off = await platform.hoku(["maintenance:off", "-a", app]);
    expect(off.stderr).toContain(`Disabling maintenance mode for ⬢ ${app}... done\n`);
    expect(off.stdout).toBe("");
    expect((await platform.hoku(["maintenance", "-a", app])).stdout).toBe("off\n");
    await platform.served(app, /^200 hello from the dyno/);
  }, 60_000);

  test("ERROR_PAGE_URL frames the app's error page for router errors", async () => {
    expect((await platform.hoku(["config:set", "ERROR_PAGE_URL=https://example.com/oops.html", "-a", app])).code).toBe(0);
    await platform.served(app, /^200 hello from the dyno/);
    const response = await platform.http(app, "/slow");
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('<iframe src="https://example.com/oops.html"></iframe>');
  }, 60_000);
});
