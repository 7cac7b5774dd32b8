/**
 * The router's log line (src/router/router-log.ts) against the shapes real Heroku lines
 * have, field for field; and the request id rule (src/router/request-id.ts).
 */
import { describe, expect, test } from "bun:test";
import { requestIdFor } from "../../src/router/request-id.ts";
import { ROUTER_ERRORS } from "../../src/router/router-error.ts";
import { formatRouterLine } from "../../src/router/router-log.ts";

const base = { method: "GET", path: "/", host: "demo.localhost:5000", requestId: "f9ed4675-f1c5-3513-c61a-3b3b4e25b4c0", fwd: "127.0.0.1" };

describe("formatRouterLine", () => {
  test("a served request: at=info, then every field in Heroku's order", () => {
    expect(formatRouterLine({ ...base, dyno: "web.1", connectMs: 0.4, serviceMs: 18.2, status: 200, bytes: 245 })).toBe(
      'at=info method=GET path="/" host=demo.localhost:5000 request_id=f9ed4675-f1c5-3513-c61a-3b3b4e25b4c0 fwd="127.0.0.1" dyno=web.1 connect=0ms service=18ms status=200 bytes=245 protocol=http',
    );
  });

  test("a router error: code and desc after at=, the fields it has no value for left empty", () => {
    expect(formatRouterLine({ ...base, error: ROUTER_ERRORS.H10, status: 503 })).toBe(
      'at=error code=H10 desc="App crashed" method=GET path="/" host=demo.localhost:5000 request_id=f9ed4675-f1c5-3513-c61a-3b3b4e25b4c0 fwd="127.0.0.1" dyno= connect= service= status=503 bytes= protocol=http',
    );
    expect(formatRouterLine({ ...base, error: ROUTER_ERRORS.H81, status: 502 })).toStartWith('at=info code=H81 desc="Blank app" method=GET');
  });

  test("H27 and H18 name the socket first, as Heroku does", () => {
    const line = formatRouterLine({ ...base, error: ROUTER_ERRORS.H27, dyno: "web.1", connectMs: 1, serviceMs: 0, status: 499, bytes: 0 });
    expect(line).toStartWith('sock=client at=warning code=H27 desc="Client Request Interrupted" method=GET');
    expect(line).toEndWith("dyno=web.1 connect=1ms service=0ms status=499 bytes=0 protocol=http");
    expect(formatRouterLine({ ...base, error: ROUTER_ERRORS.H18, status: 503 })).toStartWith('sock=backend at=error code=H18 desc="Server Request Interrupted"');
  });

  test("a double quote in the path cannot end the quoted value", () => {
    expect(formatRouterLine({ ...base, path: '/a"b' })).toContain('path="/a%22b"');
  });
});

describe("requestIdFor", () => {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  test("keeps 20 to 200 characters of letters, digits, + / = -", () => {
    for (const id of ["a".repeat(20), "A".repeat(200), "abc+/=-0123456789XYZ"]) expect(requestIdFor(id)).toBe(id);
  });

  test("replaces anything else, or nothing, with a new UUID", () => {
    for (const id of [null, "", "a".repeat(19), "a".repeat(201), "abcdefghij klmnopqrstu", "abcdefghij_klmnopqrstu", "abcdefghijklmnopqrstü"]) {
      expect(requestIdFor(id)).toMatch(uuid);
    }
    expect(requestIdFor(null)).not.toBe(requestIdFor(null));
  });
});
