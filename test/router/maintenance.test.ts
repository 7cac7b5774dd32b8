/**
 * Maintenance mode (OP-4) and the app's own pages (RT-7): an app in maintenance gets
 * Heroku's maintenance page, 503, logged H80 at=info, and no dyno is asked; the app's
 * MAINTENANCE_PAGE_URL and ERROR_PAGE_URL replace the router's pages with one framing them;
 * the app's own errors still pass through untouched.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { startDyno, startRouted, stopAll, web } from "./fixture.ts";

afterEach(stopAll);

describe("maintenance mode", () => {
  test("H80: the maintenance page, 503, at=info; the dyno is not asked; off again, the dyno answers", async () => {
    let asked = 0;
    const dyno = startDyno(() => new Response(`answer ${++asked}`));
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno)], maintenance: true } });
    const response = await fetch(routed.url("demo"));
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const page = await response.text();
    expect(page).toContain("<title>Offline for Maintenance</title>");
    expect(page).toContain("This app is undergoing maintenance right now.");
    const [line] = await routed.linesAfter(1);
    expect(line).toMatch(/^at=info code=H80 desc="Maintenance mode" method=GET path="\/" host=demo\.localhost:\d+ request_id=[0-9a-f-]{36} fwd="127\.0\.0\.1" dyno= connect= service= status=503 bytes= protocol=http$/);
    expect(asked).toBe(0);

    routed.table.set("demo", { app: "demo", released: true, webDynos: [web("web.1", dyno)], maintenance: false });
    expect(await (await fetch(routed.url("demo"))).text()).toBe("answer 1");
  });

  test("MAINTENANCE_PAGE_URL: the router's page frames the app's own", async () => {
    const routed = startRouted({ demo: { released: true, webDynos: [], maintenance: true, maintenancePageUrl: "https://example.com/maint?a=1&b=2" } });
    const response = await fetch(routed.url("demo"));
    expect(response.status).toBe(503);
    const page = await response.text();
    expect(page).toContain('<iframe src="https://example.com/maint?a=1&amp;b=2"></iframe>');
    expect(page).not.toContain("undergoing maintenance");
  });
});

describe("ERROR_PAGE_URL", () => {
  test("replaces the router's error page for every router error (H14 here)", async () => {
    const routed = startRouted({ demo: { released: true, webDynos: [], errorPageUrl: "https://example.com/oops.html" } });
    const response = await fetch(routed.url("demo"));
    expect(response.status).toBe(503);
    const page = await response.text();
    expect(page).toContain('<iframe src="https://example.com/oops.html"></iframe>');
    expect(page).not.toContain("An error occurred in the application");
  });

  test("the app's own 500 passes through untouched", async () => {
    const dyno = startDyno(() => new Response("my own error", { status: 500 }));
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno)], errorPageUrl: "https://example.com/oops.html" } });
    const response = await fetch(routed.url("demo"));
    expect(response.status).toBe(500);
    expect(await response.text()).toBe("my own error");
  });
});
