/**
 * The platform's router process (src/platform/router-process.ts) with the real binary: it routes
 * by the table it starts with, a publish is applied before it resolves, a drain waits for the
 * requests in flight, and a router that exits comes back, retrying with a backoff (said once)
 * while its port is taken.
 */
import { afterAll, expect, test } from "bun:test";
import type { Server } from "bun";
import { RouterProcess } from "../../src/platform/router-process.ts";
import type { PublishedRoute } from "../../src/router/router-messages.ts";
import { anyFreePort } from "../../src/runtime/port-probe.ts";
import { HOKU } from "../helpers/hoku.ts";

let release: (() => void) | undefined;
const dyno = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch: async (request) => {
    if (new URL(request.url).pathname === "/slow") await new Promise<void>((resolve) => (release = resolve));
    return new Response("from the dyno");
  },
});
const route = (extra: Partial<PublishedRoute> = {}): PublishedRoute => ({ app: "demo", id: "app-id", released: true, webDynos: [{ name: "web.1", port: dyno.port!, state: "up" }], ...extra });
const said: string[] = [];
const lines: string[] = [];
const port = anyFreePort();
const router = await RouterProcess.start({ hoku: [HOKU], runId: "router-process-test", onLine: (_, __, line) => lines.push(line), say: (line) => said.push(line) }, { port, routes: [route()] });
const get = (path = "/") => fetch(`http://127.0.0.1:${port}${path}`, { headers: { Host: `demo.localhost:${port}` }, signal: AbortSignal.timeout(10_000) });

afterAll(async () => {
  release?.();
  await router.stop();
  dyno.stop(true);
});

test("it routes by the table it started with from the first request; a publish is applied when it resolves; its lines come back", async () => {
  expect(await (await get()).text()).toBe("from the dyno");
  await router.publish([route({ maintenance: true })]);
  expect((await get()).status).toBe(503);
  await router.publish([route()]);
  expect((await get()).status).toBe(200);
  for (let i = 0; i < 50 && !lines.some((line) => line.includes("code=H80")); i++) await Bun.sleep(20);
  expect(lines.some((line) => line.includes("code=H80") && line.includes("status=503"))).toBe(true);
}, 30_000);

test("a drain resolves only once the dyno's request in flight has its answer", async () => {
  const slow = get("/slow");
  for (let i = 0; i < 100 && !release; i++) await Bun.sleep(10);
  let drained = false;
  const draining = router.drained([dyno.port!]).then(() => (drained = true));
  await Bun.sleep(300);
  expect(drained).toBe(false);
  release!();
  expect(await (await slow).text()).toBe("from the dyno");
  await draining;
  expect(drained).toBe(true);
}, 30_000);

test("a router that exits is started again; while its port is taken it retries with a backoff, said once, and comes back when the port frees", async () => {
  const first = router.pid!;
  said.length = 0;
  process.kill(first, "SIGKILL");
  // Take the port before the platform side hears of the exit (no await until it is ours).
  let taken: Server<unknown> | undefined;
  const deadline = Date.now() + 5_000;
  while (!taken && Date.now() < deadline) {
    try {
      taken = Bun.serve({ hostname: "127.0.0.1", port, fetch: () => new Response("someone else") });
    } catch {
      // the killed router still holds it
    }
  }
  expect(taken).toBeDefined();
  await Bun.sleep(3_500);
  // One line for the exit, one for the failed restart: not one per retry (1 s, then 2 s).
  expect(said).toHaveLength(2);
  expect(said[0]).toBe("the router exited (SIGKILL): starting it again");
  expect(said[1]).toContain("the router did not start again");
  expect(said[1]).toContain(`Is port ${port} in use?`);
  taken!.stop(true);
  for (let i = 0; i < 100 && said.length < 3; i++) await Bun.sleep(100);
  expect(said[2]).toBe("the router listens again");
  expect(router.pid).not.toBe(first);
  // It came back with the last table.
  expect(await (await get()).text()).toBe("from the dyno");
}, 30_000);
