/**
 * startAddons and --addon-timeout (src/addons/start-addons.ts), with providers written
 * for the test: one deadline bounds each add-on's whole start, the provider's own start
 * included. A start that hangs fails at the deadline, the add-ons already up are
 * stopped, and the hung start is stopped when it returns at last.
 */
import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Addon } from "../../src/addons/addon.ts";
import type { Service } from "../../src/addons/catalog.ts";
import type { Provider, RunningAddon, StartRequest } from "../../src/addons/provider.ts";
import { startAddons } from "../../src/addons/start-addons.ts";
import { anyFreePort } from "../../src/runtime/port-probe.ts";

const dirs: string[] = [];
const listeners: { stop(closeActive?: boolean): void }[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  for (const listener of listeners.splice(0)) listener.stop(true);
});

const SERVICE: Service = { name: "thing", kind: "custom", defaultPlan: "local", containerPort: 0, attachment: "THING", vars: () => ({}), readiness: "tcp" };

function addon(name: string): Addon {
  return { id: name, name, service: "thing", plan: "local", options: {}, password: "pw", port: anyFreePort(), source: "app.json", key: name, createdAt: "" };
}

/** A running add-on on the request's port (answering TCP unless `silent`) that records its stops. */
function listening(request: StartRequest, stops: string[], silent = false): RunningAddon {
  if (!silent) listeners.push(Bun.listen({ hostname: "127.0.0.1", port: request.port, socket: { data() {} } }));
  return {
    endpoint: { host: "127.0.0.1", port: request.port, user: "u", password: "pw", database: "d", extraPorts: {} },
    runner: "test",
    recentLogs: async () => ["last line"],
    stop: async () => void stops.push(request.addon.name),
  };
}

function provider(start: (request: StartRequest) => Promise<RunningAddon>): Provider {
  return { kind: "native", check: async () => ({ ok: true, why: "test" }), start, destroy: async () => {} };
}

function context(timeoutMs: number, lines: string[]) {
  const stateDir = mkdtempSync(join(tmpdir(), "hoku-start-"));
  dirs.push(stateDir);
  return { appId: "app", runId: "run", stateDir, deadline: Date.now() + timeoutMs, timeoutMs, say: (l: string) => void lines.push(l), watch: () => {} };
}

test("a provider start that hangs ends at the deadline with a clear error; the add-on already up is stopped; the hung one is stopped when it returns", async () => {
  const stops: string[] = [];
  let release: (() => void) | undefined;
  const quick = provider(async (request) => listening(request, stops));
  const hung = provider((request) => new Promise((resolve) => (release = () => resolve(listening(request, stops)))));
  const lines: string[] = [];
  const began = Date.now();
  const starting = startAddons(
    [
      { addon: addon("quick-1"), service: SERVICE, choice: { provider: quick, why: "" } },
      { addon: addon("hung-1"), service: SERVICE, choice: { provider: hung, why: "" } },
    ],
    context(600, lines),
  );
  const error = await starting.then(() => undefined, (e: Error) => e);
  expect(Date.now() - began).toBeLessThan(2000);
  expect(error?.message).toBe("an add-on did not start; the others were stopped:\nhung-1 (thing via native) did not start within 0.6 s: its provider was still starting it\n    hint: raise --addon-timeout (a first start may create its data)");
  expect(lines.some((l) => l.startsWith("thing quick-1 ready in"))).toBe(true);
  expect(stops).toEqual(["quick-1"]);

  release!();
  await Bun.sleep(50);
  expect(stops).toEqual(["quick-1", "hung-1"]);
});

test("the provider's start and readiness share the deadline: a slow start leaves readiness only the rest of it", async () => {
  const stops: string[] = [];
  // Starts in 300 ms, then never answers: with 500 ms in all, it fails ~500 ms after the start, not 800.
  const slow = provider(async (request) => {
    await Bun.sleep(300);
    return listening(request, stops, true);
  });
  const began = Date.now();
  const error = await startAddons([{ addon: addon("slow-1"), service: SERVICE, choice: { provider: slow, why: "" } }], context(500, [])).then(() => undefined, (e: Error) => e);
  expect(Date.now() - began).toBeLessThan(750);
  expect(error?.message).toContain("slow-1 (thing via native) was not ready after 0.5 s; its last lines:\n    last line");
  expect(stops).toEqual(["slow-1"]);
});

test("add-ons that start and answer in time are attached, each said ready once", async () => {
  const stops: string[] = [];
  const quick = provider(async (request) => listening(request, stops));
  const lines: string[] = [];
  const started = await startAddons(
    ["a-1", "b-1"].map((name) => ({ addon: addon(name), service: SERVICE, choice: { provider: quick, why: "" } })),
    context(5000, lines),
  );
  expect(started.attached.map((a) => a.addon.name)).toEqual(["a-1", "b-1"]);
  expect(lines.filter((l) => / ready in /.test(l))).toHaveLength(2);
  await started.stop();
  expect(stops.sort()).toEqual(["a-1", "b-1"]);
});
