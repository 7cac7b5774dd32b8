/**
 * Heroku's HTTP restrictions (RT-4), through the router: requests it will not carry never
 * reach a dyno (CONNECT 405, an Expect other than 100-continue 417 with H26, a request line
 * past 8192 bytes 414, a header name past 1000 bytes or a header line past 8192 bytes 400),
 * and a dyno's response head past the limits becomes 502 with H25. Each is one log line.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { fieldsOf, startDyno, startRouted, stopAll, web } from "./fixture.ts";

afterEach(stopAll);

/** A request written by hand (fetch sends no CONNECT); the status line of the answer. */
function rawStatus(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(head));
    let answer = "";
    socket.on("data", (data) => {
      answer += data;
      if (answer.includes("\r\n")) {
        socket.destroy();
        resolve(answer.slice(0, answer.indexOf("\r\n")));
      }
    });
    socket.on("error", reject);
  });
}

function counted() {
  const seen: string[] = [];
  const dyno = startDyno((request) => {
    seen.push(request.method);
    return new Response("dyno", { headers: { "x-from": "dyno" } });
  });
  const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno)] } });
  return { seen, routed };
}

describe("requests the router will not carry", () => {
  test("CONNECT: 405, no dyno asked", async () => {
    const { seen, routed } = counted();
    const status = await rawStatus(routed.port, `CONNECT demo.localhost:${routed.port} HTTP/1.1\r\nHost: demo.localhost:${routed.port}\r\n\r\n`);
    expect(status).toBe("HTTP/1.1 405 Method Not Allowed");
    expect(fieldsOf((await routed.linesAfter(1))[0]!)).toMatchObject({ at: "info", method: "CONNECT", dyno: "", status: "405" });
    expect(seen).toEqual([]);
  });

  test("Expect other than 100-continue: 417 and H26; 100-continue goes through", async () => {
    const { seen, routed } = counted();
    const refused = await fetch(routed.url("demo"), { headers: { expect: "something-else" } });
    expect(refused.status).toBe(417);
    const [line] = await routed.linesAfter(1);
    expect(line).toMatch(/^at=error code=H26 desc="Request Error" method=GET path="\/" .* dyno= connect= service= status=417 bytes= protocol=http$/);
    expect(seen).toEqual([]);
    const passed = await rawStatus(routed.port, `POST / HTTP/1.1\r\nHost: demo.localhost:${routed.port}\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi`);
    expect(passed).toMatch(/^HTTP\/1\.1 (100 Continue|200 OK)$/);
  });

  test("a request line over 8192 bytes: 414", async () => {
    const { seen, routed } = counted();
    const response = await fetch(routed.url("demo", `/${"a".repeat(8200)}`));
    expect(response.status).toBe(414);
    expect(fieldsOf((await routed.linesAfter(1))[0]!)).toMatchObject({ status: "414", dyno: "" });
    expect((await fetch(routed.url("demo", `/${"a".repeat(8000)}`))).status).toBe(200);
    expect(seen).toEqual(["GET"]);
  });

  test("a header name over 1000 bytes, or a header line over 8192 bytes: 400", async () => {
    const { seen, routed } = counted();
    expect((await fetch(routed.url("demo"), { headers: { ["x".repeat(1001)]: "v" } })).status).toBe(400);
    expect((await fetch(routed.url("demo"), { headers: { "x-long": "v".repeat(8200) } })).status).toBe(400);
    expect((await routed.linesAfter(2)).map((line) => fieldsOf(line).status)).toEqual(["400", "400"]);
    expect((await fetch(routed.url("demo"), { headers: { ["x".repeat(1000)]: "v".repeat(7000) } })).status).toBe(200);
    expect(seen).toEqual(["GET"]);
  });
});

describe("response heads past the limits", () => {
  test("a Set-Cookie over 8192 bytes: 502 and H25; one of 8192 passes", async () => {
    const dyno = startDyno((request) => new Response("with cookie", { headers: { "set-cookie": `a=${"x".repeat(request.url.endsWith("/big") ? 8200 : 8190)}` } }));
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno)] } });
    const big = await fetch(routed.url("demo", "/big"));
    expect(big.status).toBe(502);
    expect(big.headers.get("set-cookie")).toBeNull();
    expect(await big.text()).toContain("Application Error");
    const [line] = await routed.linesAfter(1);
    expect(line).toMatch(/^at=error code=H25 desc="HTTP Restriction" method=GET path="\/big" .* dyno=web\.1 connect=\d+ms service=\d+ms status=502 bytes= protocol=http$/);
    const fits = await fetch(routed.url("demo", "/fits"));
    expect(fits.status).toBe(200);
    expect(fits.headers.get("set-cookie")!.length).toBe(8192);
  });

  test("a header line over 512 KiB: 502 and H25", async () => {
    const dyno = startDyno(() => new Response("huge header", { headers: { "x-huge": "y".repeat(600 * 1024) } }));
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno)] } });
    expect((await fetch(routed.url("demo"))).status).toBe(502);
    expect(fieldsOf((await routed.linesAfter(1))[0]!)).toMatchObject({ code: "H25", status: "502" });
  });
});
