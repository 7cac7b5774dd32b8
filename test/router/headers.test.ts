/**
 * What a dyno sees of a request through the router, and what the client sees of the
 * dyno's response (RT-2): Heroku's added headers, X-Forwarded-For appended, the request id
 * kept or replaced, Host as sent, hop-by-hop headers dropped both ways.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { fieldsOf, startDyno, startRouted, stopAll, web } from "./fixture.ts";

afterEach(stopAll);

/** A router before one dyno that answers with the headers it got, as JSON. */
function echoing() {
  const dyno = startDyno((request) => Response.json(Object.fromEntries(request.headers)));
  return startRouted({ demo: { released: true, webDynos: [web("web.1", dyno)] } });
}

async function seenByDyno(url: string, headers: Record<string, string> = {}): Promise<Record<string, string>> {
  const response = await fetch(url, { headers });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, string>;
}

describe("headers to the dyno", () => {
  test("X-Forwarded-For/Proto/Port, X-Request-Start in Unix ms, a new X-Request-Id, Via, and Host as sent", async () => {
    const routed = echoing();
    const before = Date.now();
    const seen = await seenByDyno(routed.url("demo", "/path?q=1"));
    expect(seen["x-forwarded-for"]).toBe("127.0.0.1");
    expect(seen["x-forwarded-proto"]).toBe("http");
    expect(seen["x-forwarded-port"]).toBe(String(routed.port));
    expect(Number(seen["x-request-start"])).toBeGreaterThanOrEqual(before);
    expect(Number(seen["x-request-start"])).toBeLessThanOrEqual(Date.now());
    expect(seen["x-request-id"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(seen.via).toBe("1.1 vegur");
    expect(seen.host).toBe(`demo.localhost:${routed.port}`);
    const [line] = await routed.linesAfter(1);
    expect(fieldsOf(line!)).toMatchObject({ request_id: seen["x-request-id"], fwd: "127.0.0.1", path: "/path?q=1", host: `demo.localhost:${routed.port}` });
  });

  test("the client's address is appended to the X-Forwarded-For it sent, and the log's fwd says the same", async () => {
    const routed = echoing();
    const seen = await seenByDyno(routed.url("demo"), { "x-forwarded-for": "203.0.113.7, 10.0.0.1" });
    expect(seen["x-forwarded-for"]).toBe("203.0.113.7, 10.0.0.1, 127.0.0.1");
    expect(fieldsOf((await routed.linesAfter(1))[0]!).fwd).toBe("203.0.113.7, 10.0.0.1, 127.0.0.1");
  });

  test("a valid X-Request-Id is kept; one too short or with other characters is replaced", async () => {
    const routed = echoing();
    const valid = "req-0123456789+/=abcdef";
    expect((await seenByDyno(routed.url("demo"), { "x-request-id": valid }))["x-request-id"]).toBe(valid);
    for (const invalid of ["too-short-id", "has spaces in it, 20+ chars"]) {
      const replaced = (await seenByDyno(routed.url("demo"), { "x-request-id": invalid }))["x-request-id"];
      expect(replaced).not.toBe(invalid);
      expect(replaced).toHaveLength(36);
    }
    const lines = await routed.linesAfter(3);
    expect(fieldsOf(lines[0]!).request_id).toBe(valid);
  });

  test("hop-by-hop headers, and those Connection names, do not reach the dyno; end-to-end ones do", async () => {
    const routed = echoing();
    const seen = await seenByDyno(routed.url("demo"), {
      connection: "keep-alive, x-hop-only",
      "x-hop-only": "1",
      "keep-alive": "timeout=5",
      te: "trailers",
      "proxy-authorization": "Basic eDp5",
      "x-end-to-end": "kept",
      via: "1.0 upstream-proxy",
    });
    for (const name of ["x-hop-only", "keep-alive", "te", "proxy-authorization"]) expect(seen[name]).toBeUndefined();
    expect(seen["x-end-to-end"]).toBe("kept");
    expect(seen.via).toBe("1.0 upstream-proxy, 1.1 vegur");
  });
});

describe("headers to the client", () => {
  test("the dyno's headers pass, repeated Set-Cookie kept apart, hop-by-hop ones dropped, Via added, no X-Request-Id added", async () => {
    const dyno = startDyno(() => {
      const headers = new Headers({ "x-app": "yes", "keep-alive": "timeout=99", "cache-control": "private" });
      headers.append("set-cookie", "a=1; Path=/");
      headers.append("set-cookie", "b=2; Path=/");
      return new Response("hi", { headers });
    });
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno)] } });
    expect((await fetch(`http://127.0.0.1:${dyno.port}/`)).headers.get("keep-alive")).toBe("timeout=99"); // the dyno does send it
    const response = await fetch(routed.url("demo"));
    expect(await response.text()).toBe("hi");
    expect(response.headers.get("x-app")).toBe("yes");
    expect(response.headers.get("cache-control")).toBe("private");
    expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    expect(response.headers.get("keep-alive")).toBeNull();
    expect(response.headers.get("via")).toBe("1.1 vegur");
    expect(response.headers.get("x-request-id")).toBeNull();
    expect(response.headers.get("content-length")).toBe("2");
  });

  test("a response without a Content-Type gets none added: the body passes with its length only", async () => {
    // A raw dyno (Bun.serve would add a Content-Type itself), as Python's http.server answers.
    const dyno = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data: (socket) => void socket.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello") } });
    try {
      const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno.port)] } });
      const response = await fetch(routed.url("demo"));
      expect(await response.text()).toBe("hello");
      expect(response.headers.get("content-type")).toBeNull();
      expect(response.headers.get("content-length")).toBe("5");
    } finally {
      dyno.stop(true);
    }
  });

  test("a redirect is passed to the client, not followed", async () => {
    const dyno = startDyno(() => new Response(null, { status: 302, headers: { location: "/elsewhere" } }));
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno)] } });
    const response = await fetch(routed.url("demo"), { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/elsewhere");
  });
});
