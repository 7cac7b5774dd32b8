/**
 * WebSockets through the router: the dyno's handshake carries Heroku's headers and the
 * client's subprotocol, text and binary messages flow both ways, a close on either side
 * closes the other, an idle tunnel is closed, and a dyno that answers no WebSocket gets its
 * plain HTTP answer through.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { fieldsOf, startDyno, startRouted, stopAll, web } from "./fixture.ts";

afterEach(stopAll);

interface Upgrade {
  readonly headers: Record<string, string>;
}

function echoDyno(onClose?: (code: number) => void) {
  const seen: Upgrade[] = [];
  const server = startDyno(
    (request, server) => {
      if (server.upgrade(request, { data: undefined, headers: request.headers.get("sec-websocket-protocol") ? { "sec-websocket-protocol": "chat" } : {} })) {
        seen.push({ headers: Object.fromEntries(request.headers) });
        return undefined;
      }
      return new Response("plain http", { status: 426 });
    },
    {
      open: (socket) => void socket.send("hello from web.1"),
      message: (socket, message) => (message === "close, please" ? socket.close(4002, "done") : void socket.send(typeof message === "string" ? `echo:${message}` : message)),
      close: (_socket, code) => onClose?.(code),
    },
  );
  return { server, seen };
}

function opened(socket: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.onopen = () => resolve();
    socket.onerror = () => reject(new Error("the WebSocket did not open"));
  });
}

function nextMessage(socket: WebSocket): Promise<unknown> {
  return new Promise((resolve) => socket.addEventListener("message", (event) => resolve(event.data), { once: true }));
}

describe("WebSockets", () => {
  test("messages flow both ways, with Heroku's headers and the subprotocol on the dyno's handshake", async () => {
    const dyno = echoDyno();
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno.server)] } });
    const socket = new WebSocket(`ws://demo.localhost:${routed.port}/live`, ["chat", "superchat"]);
    socket.binaryType = "arraybuffer";
    const greeting = nextMessage(socket);
    await opened(socket);
    expect(socket.protocol).toBe("chat");
    expect(await greeting).toBe("hello from web.1");
    socket.send("ping");
    expect(await nextMessage(socket)).toBe("echo:ping");
    socket.send(new Uint8Array([1, 2, 3]));
    expect(new Uint8Array((await nextMessage(socket)) as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 3]));
    socket.close();

    const [upgrade] = dyno.seen;
    expect(upgrade!.headers).toMatchObject({ "x-forwarded-for": "127.0.0.1", "x-forwarded-proto": "http", "x-forwarded-port": String(routed.port), via: "1.1 vegur" });
    expect(upgrade!.headers["x-request-id"]).toHaveLength(36);
    expect(upgrade!.headers.host).toBe(`demo.localhost:${routed.port}`);
    const [line] = await routed.linesAfter(1);
    expect(fieldsOf(line!)).toMatchObject({ at: "info", path: "/live", dyno: "web.1", status: "101", request_id: upgrade!.headers["x-request-id"] });
  });

  test("a client that closes closes the dyno's socket", async () => {
    let closedWith: number | undefined;
    const dyno = echoDyno((code) => (closedWith = code));
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno.server)] } });
    const socket = new WebSocket(`ws://demo.localhost:${routed.port}/`);
    await opened(socket);
    socket.close(4001, "bye");
    for (let waited = 0; closedWith === undefined && waited < 3000; waited += 10) await Bun.sleep(10);
    expect(closedWith).toBe(4001);
  });

  test("a dyno that closes closes the client's socket, with its code", async () => {
    const dyno = echoDyno();
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno.server)] } });
    const socket = new WebSocket(`ws://demo.localhost:${routed.port}/`);
    const closed = new Promise<number>((resolve) => (socket.onclose = (event) => resolve(event.code)));
    await opened(socket);
    socket.send("close, please");
    expect(await closed).toBe(4002);
  });

  test("a dyno that answers no WebSocket: the client gets the dyno's plain HTTP answer", async () => {
    const dyno = startDyno(() => new Response("no websockets here", { status: 404 }));
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno)] } });
    const response = await fetch(routed.url("demo", "/live"), { headers: { upgrade: "websocket", connection: "Upgrade", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==" } });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("no websockets here");
  });
  test("a tunnel with no message either way for the idle window is closed on both sides; messages keep it open", async () => {
    let dynoClosed = false;
    const { server } = echoDyno(() => (dynoClosed = true));
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", server)] } }, undefined, { idleMs: 400 });
    const url = routed.url("demo").replace("http", "ws");

    const busy = new WebSocket(url);
    await opened(busy);
    for (let i = 0; i < 8; i++) {
      await Bun.sleep(100);
      busy.send(`ping ${i}`);
    }
    expect(busy.readyState).toBe(WebSocket.OPEN); // 800 ms, twice the window, with a message every 100 ms
    busy.close();

    const quiet = new WebSocket(url);
    await opened(quiet);
    const closed = await new Promise<number>((resolve) => (quiet.onclose = (event) => resolve(event.code)));
    expect(closed).toBe(1001);
    for (let i = 0; i < 50 && !dynoClosed; i++) await Bun.sleep(20);
    expect(dynoClosed).toBe(true);
  });
});
