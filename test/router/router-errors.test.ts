/**
 * When no dyno can answer (RT-6, RT-7): H81 before the first release, H14 with no web
 * dynos, H10 when none is up or starting, H20 when starting ones do not come up in time,
 * H21 when every dyno refuses, H11 past the backlog; each with Heroku's page, status and log line. The app's own
 * errors pass through untouched. Unknown hosts and bare localhost get the router's pages.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { anyFreePort } from "../../src/runtime/port-probe.ts";
import { fieldsOf, startDyno, startRouted, stopAll, web } from "./fixture.ts";

afterEach(stopAll);

const ERROR_LINE = (code: string, desc: string, status: number, at = "error") =>
  new RegExp(`^at=${at} code=${code} desc="${desc}" method=GET path="/" host=demo\\.localhost:\\d+ request_id=[0-9a-f-]{36} fwd="127\\.0\\.0\\.1" dyno= connect= service= status=${status} bytes= protocol=http$`);

describe("router errors", () => {
  test("H81: an app with no release yet gets the blank-app page, 502, logged at=info", async () => {
    const routed = startRouted({ demo: { released: false, webDynos: [] } });
    const response = await fetch(routed.url("demo"));
    expect(response.status).toBe(502);
    expect(await response.text()).toContain("Welcome to your new app!");
    expect(await routed.linesAfter(1)).toEqual([expect.stringMatching(ERROR_LINE("H81", "Blank app", 502, "info"))]);
  });

  test("H14: no web dynos (web=0 or no web type) is Heroku's application error page, 503", async () => {
    const routed = startRouted({ demo: { released: true, webDynos: [] } });
    const response = await fetch(routed.url("demo"));
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache, no-store");
    const page = await response.text();
    expect(page).toContain("<title>Application Error</title>");
    expect(page).toContain("An error occurred in the application and your page could not be served.");
    expect(await routed.linesAfter(1)).toEqual([expect.stringMatching(ERROR_LINE("H14", "No web processes running", 503))]);
  });

  test("H10: web dynos and none up or starting (crashed, stopping, down)", async () => {
    const dyno = startDyno(() => new Response("never"));
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno, "crashed"), web("web.2", dyno, "stopping"), web("web.3", dyno, "down")] } });
    const response = await fetch(routed.url("demo"));
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("Application Error");
    expect(await routed.linesAfter(1)).toEqual([expect.stringMatching(ERROR_LINE("H10", "App crashed", 503))]);
  });

  test("a request waits for a starting dyno and is served once it is up", async () => {
    const dyno = startDyno(() => new Response("booted"));
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno, "starting")] } }, 5000);
    setTimeout(() => routed.table.set("demo", { app: "demo", released: true, webDynos: [web("web.1", dyno, "up")] }), 150);
    const response = await fetch(routed.url("demo"));
    expect(await response.text()).toBe("booted");
    expect(fieldsOf((await routed.linesAfter(1))[0]!)).toMatchObject({ at: "info", dyno: "web.1", status: "200" });
  });

  test("H20: no starting dyno comes up within the boot wait", async () => {
    const dyno = startDyno(() => new Response("never"));
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno, "starting")] } }, 200);
    const started = performance.now();
    const response = await fetch(routed.url("demo"));
    expect(response.status).toBe(503);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(await routed.linesAfter(1)).toEqual([expect.stringMatching(ERROR_LINE("H20", "App boot timeout", 503))]);
  });

  test("H11: past the backlog of requests in flight per up web dyno (Heroku: 200), the next request is refused", async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const dyno = startDyno(async () => {
      await held;
      return new Response("done");
    });
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno)] } }, undefined, undefined, 2);
    const waiting = [fetch(routed.url("demo")), fetch(routed.url("demo"))];
    await Bun.sleep(200);
    const refused = await fetch(routed.url("demo"));
    expect(refused.status).toBe(503);
    expect(await routed.linesAfter(1)).toEqual([expect.stringMatching(ERROR_LINE("H11", "Backlog too deep", 503))]);
    release();
    for (const response of await Promise.all(waiting)) expect(await response.text()).toBe("done");
    expect(await (await fetch(routed.url("demo"))).text()).toBe("done"); // the backlog drained
  });

  test("H21: every up dyno refuses the connection", async () => {
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", anyFreePort()), web("web.2", anyFreePort())] } });
    const response = await fetch(routed.url("demo"));
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("Application Error");
    const [line] = await routed.linesAfter(1);
    expect(line).toMatch(/^at=error code=H21 desc="Backend connection refused" method=GET .* dyno=web\.[12] connect=\d+ms service= status=503 bytes= protocol=http$/);
  });

  test("the app's own 500 passes through untouched, logged as its status", async () => {
    const dyno = startDyno(() => new Response("my own error page", { status: 500, headers: { "x-app-error": "1" } }));
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno)] } });
    const response = await fetch(routed.url("demo"));
    expect(response.status).toBe(500);
    expect(response.headers.get("x-app-error")).toBe("1");
    expect(await response.text()).toBe("my own error page");
    const [line] = await routed.linesAfter(1);
    expect(line).toMatch(/^at=info method=GET path="\/" host=demo\.localhost:\d+ request_id=[0-9a-f-]{36} fwd="127\.0\.0\.1" dyno=web\.1 connect=\d+ms service=\d+ms status=500 bytes=\d+ protocol=http$/);
  });

  test("H13: a dyno that closes the connection without answering", async () => {
    const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data: (socket) => void socket.end() } });
    try {
      const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", listener.port)] } });
      const response = await fetch(routed.url("demo"));
      expect(response.status).toBe(503);
      const [line] = await routed.linesAfter(1);
      expect(line).toMatch(/^at=error code=H13 desc="Connection closed without response" .* dyno=web\.1 connect=\d+ms service=\d+ms status=503 bytes=0 protocol=http$/);
    } finally {
      listener.stop(true);
    }
  });

  test("H18: a dyno that stops mid-response breaks the client's transfer too, logged sock=backend", async () => {
    // A raw dyno: the head of a 100 kB response, 10 bytes of it, then the socket closes.
    const listener = Bun.listen({
      hostname: "127.0.0.1",
      port: 0,
      socket: { data: (socket) => void socket.end("HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n0123456789") },
    });
    try {
      const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", listener.port)] } });
      const outcome = await fetch(routed.url("demo")).then((response) => response.text()).then(() => "whole", () => "broken");
      expect(outcome).toBe("broken");
      const [line] = await routed.linesAfter(1);
      expect(line).toMatch(/^sock=backend at=error code=H18 desc="Server Request Interrupted" method=GET .* dyno=web\.1 connect=\d+ms service=\d+ms status=503 bytes=\d+ protocol=http$/);
    } finally {
      listener.stop(true);
    }
  });
});

describe("the router's own pages", () => {
  test("a host that names no app gets Heroku's no-such-app page, 404, and no log line", async () => {
    const routed = startRouted({});
    for (const host of ["nope.localhost", "example.com"]) {
      const response = await fetch(`http://127.0.0.1:${routed.port}/`, { headers: { host } });
      expect(response.status).toBe(404);
      expect(await response.text()).toContain("There's nothing here, yet.");
    }
    expect(routed.lines).toEqual([]);
  });

  test("bare localhost lists how to reach each app", async () => {
    const routed = startRouted({ demo: { released: false, webDynos: [] }, shop: { released: false, webDynos: [] } });
    const response = await fetch(`http://localhost:${routed.port}/`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain(`http://demo.localhost:${routed.port}/`);
    expect(page).toContain(`http://shop.localhost:${routed.port}/`);
  });
});
