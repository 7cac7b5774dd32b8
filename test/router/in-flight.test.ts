/**
 * The router counts each request in flight on its dyno (by port) from before it is sent until
 * it ends, whichever way it ends: answered whole, streamed to its end, the client leaving
 * mid-stream, the dyno refusing or closing, a WebSocket tunnel closed by the client. Each
 * leaves exactly once: another request's count on the same dyno is never taken with it.
 * `drained(port)` resolves once the dyno has none (what the dyno manager waits for before SIGTERM).
 */
import { afterEach, describe, expect, test } from "bun:test";
import { startDyno, startRouted, stopAll, web } from "./fixture.ts";
import { InFlight } from "../../src/router/in-flight.ts";
import { anyFreePort } from "../../src/runtime/port-probe.ts";

afterEach(stopAll);

const encoder = new TextEncoder();

function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** Resolves once `check` holds, failing after `ms`. */
async function until(check: () => boolean, what: string, ms = 3000): Promise<void> {
  for (let waited = 0; !check(); waited += 10) {
    if (waited >= ms) throw new Error(`${what} did not happen within ${ms} ms`);
    await Bun.sleep(10);
  }
}

function routedTo(fetch: Parameters<typeof startDyno>[0], websocket?: Parameters<typeof startDyno>[1]) {
  const dyno = startDyno(fetch, websocket);
  const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno)] } });
  return { routed, port: dyno.port! };
}

describe("InFlight", () => {
  test("enter counts, leave uncounts once however often called; drained waits for the last", async () => {
    const inFlight = new InFlight();
    await inFlight.drained(5000);
    const first = inFlight.enter(5000);
    const second = inFlight.enter(5000);
    let drained = false;
    void inFlight.drained(5000).then(() => (drained = true));
    first();
    first();
    await Bun.sleep(1);
    expect(inFlight.count(5000)).toBe(1);
    expect(drained).toBe(false);
    second();
    await Bun.sleep(1);
    expect(inFlight.count(5000)).toBe(0);
    expect(drained).toBe(true);
  });
});

describe("the router's requests in flight", () => {
  test("a slow answer is in flight until it has gone; then the dyno is drained", async () => {
    const answer = gate();
    const { routed, port } = routedTo(async () => {
      await answer.opened;
      return new Response("done");
    });
    const response = fetch(routed.url("demo"));
    await until(() => routed.inFlight.count(port) === 1, "the request counted");
    let drained = false;
    void routed.inFlight.drained(port).then(() => (drained = true));
    await Bun.sleep(50);
    expect(drained).toBe(false);
    answer.open();
    expect(await (await response).text()).toBe("done");
    await until(() => drained, "drained");
    expect(routed.inFlight.count(port)).toBe(0);
  });

  test("a streamed body is in flight until its last byte; a client that leaves mid-stream leaves once, sparing another request's count", async () => {
    const last = gate();
    const { routed, port } = routedTo((request) => {
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(encoder.encode("first "));
          if (request.url.endsWith("/forever")) return; // never ends
          await last.opened;
          controller.enqueue(encoder.encode("last"));
          controller.close();
        },
      });
      return new Response(body);
    });
    const streamed = await fetch(routed.url("demo", "/stream"));
    const reader = streamed.body!.getReader();
    await reader.read();
    const leaving = new AbortController();
    const forever = await fetch(routed.url("demo", "/forever"), { signal: leaving.signal });
    await forever.body!.getReader().read();
    expect(routed.inFlight.count(port)).toBe(2);
    leaving.abort();
    await until(() => routed.inFlight.count(port) === 1, "the client that left uncounted");
    await Bun.sleep(100);
    expect(routed.inFlight.count(port)).toBe(1);
    last.open();
    while (!(await reader.read()).done);
    await until(() => routed.inFlight.count(port) === 0, "the stream's end uncounted");
  });

  test("a dyno that refuses (H21) or closes without answering (H13) leaves no count", async () => {
    const refused = anyFreePort();
    const closing = startDyno(async (_request, server) => {
      server.stop(true);
      await Bun.sleep(1000);
      return new Response("never");
    });
    const routed = startRouted({ gone: { released: true, webDynos: [web("web.1", refused)] }, closing: { released: true, webDynos: [web("web.1", closing)] } });
    expect((await fetch(routed.url("gone"))).status).toBe(503);
    expect((await fetch(routed.url("closing"))).status).toBe(503);
    expect(routed.inFlight.count(refused)).toBe(0);
    expect(routed.inFlight.count(closing.port!)).toBe(0);
  });

  test("a WebSocket tunnel is in flight until the client closes it", async () => {
    const { routed, port } = routedTo(
      (request, server) => (server.upgrade(request, { data: undefined }) ? undefined : new Response("no", { status: 426 })),
      { message: (socket, message) => void socket.send(message) },
    );
    const socket = new WebSocket(routed.url("demo").replace("http", "ws"));
    await new Promise((resolve) => (socket.onopen = resolve));
    expect(routed.inFlight.count(port)).toBe(1);
    socket.close();
    await until(() => routed.inFlight.count(port) === 0, "the closed tunnel uncounted");
  });
});
