/** Which app a Host header names (src/router/host.ts). */
import { describe, expect, test } from "bun:test";
import { parseHost } from "../../src/router/host.ts";

describe("parseHost", () => {
  test("<app>.localhost with or without a port names the app, case-insensitively", () => {
    expect(parseHost("demo.localhost:5000")).toEqual({ kind: "app", app: "demo" });
    expect(parseHost("demo.localhost")).toEqual({ kind: "app", app: "demo" });
    expect(parseHost("My-App2.LocalHost:80")).toEqual({ kind: "app", app: "my-app2" });
    expect(parseHost("demo.localhost.:5000")).toEqual({ kind: "app", app: "demo" });
  });

  test("bare localhost, a loopback address or no Host at all is the index page", () => {
    for (const host of ["localhost", "localhost:5000", "127.0.0.1:5000", "[::1]:5000", "[::1]", "", null]) expect(parseHost(host)).toEqual({ kind: "index" });
  });

  test("any other name is an app hoku does not know", () => {
    for (const host of ["example.com", "www.demo.localhost:5000", "-demo.localhost", "de_mo.localhost", ".localhost", "demo.localhostx", "demo.local"]) {
      expect(parseHost(host)).toEqual({ kind: "unknown" });
    }
  });
});
