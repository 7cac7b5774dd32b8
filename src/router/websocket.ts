/**
 * WebSockets through the router, as Heroku passes them (Dev Center: http-routing,
 * "WebSockets"): the router opens the dyno's WebSocket with the request's headers, and only
 * once the dyno has accepted does it accept the client's, with the subprotocol the dyno
 * chose; then messages flow both ways until either side closes. Messages the dyno sends
 * before the client's socket is open wait in order. Logged once, at the upgrade, status=101.
 * A tunnel with no message either way for the idle window (RT-3: 55 s) is closed on both
 * sides, as Heroku closes idle WebSockets. A tunnel counts as a request in flight on its
 * dyno (in-flight.ts) until either side closes it.
 */
import type { Server, ServerWebSocket, WebSocketHandler } from "bun";
import type { Exchange } from "./exchange.ts";
import { toDynoRequestHeaders, VIA } from "./headers.ts";
import type { InFlight } from "./in-flight.ts";
import type { WebDyno } from "./router.ts";

type Message = string | ArrayBuffer | Uint8Array;

export interface Tunnel {
  readonly upstream: WebSocket;
  client?: ServerWebSocket<Tunnel>;
  /** What the dyno sent before the client's socket opened. */
  readonly early: Message[];
  /** Set when the dyno closed before the client's socket opened. */
  closed?: { readonly code: number; readonly reason: string };
  /** Ends the tunnel's count in flight on its dyno. */
  readonly leave: () => void;
  /** A message went through: the idle window starts again. */
  readonly touch: () => void;
  /** The tunnel closed: no idle timer any more. */
  readonly stop: () => void;
}

/** Headers of the client's handshake that the router's own handshake with the dyno replaces. */
const HANDSHAKE = ["sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol"];

export function isWebSocketRequest(request: Request): boolean {
  return request.headers.get("upgrade")?.toLowerCase() === "websocket";
}

/**
 * Upgrades the client once the dyno's WebSocket is open: true when done (the fetch handler
 * then returns nothing), false when the dyno did not accept one.
 */
export async function openTunnel(exchange: Exchange, dyno: WebDyno, server: Server<Tunnel>, inFlight: InFlight): Promise<boolean> {
  const headers = toDynoRequestHeaders(new Headers(exchange.request.headers), exchange.forwarding);
  for (const name of HANDSHAKE) headers.delete(name);
  const protocols = exchange.request.headers.get("sec-websocket-protocol")?.split(",").map((p) => p.trim()).filter(Boolean);
  const sentAt = performance.now();
  const upstream = new WebSocket(`ws://127.0.0.1:${dyno.port}${exchange.path}`, { headers, protocols });
  const leave = inFlight.enter(dyno.port);
  upstream.binaryType = "arraybuffer";
  let idle: Timer | undefined;
  const stop = () => clearTimeout(idle);
  const touch = () => {
    stop();
    idle = setTimeout(() => {
      closeQuietly(upstream, 1000, "Idle connection");
      tunnel.client?.close(1001, "Idle connection");
    }, exchange.timeouts.idleMs);
  };
  const tunnel: Tunnel = { upstream, early: [], leave, touch, stop };
  upstream.onmessage = (event) => {
    touch();
    if (tunnel.client) tunnel.client.send(event.data);
    else tunnel.early.push(event.data);
  };
  const opened = await new Promise<boolean>((resolve) => {
    upstream.onopen = () => resolve(true);
    upstream.onerror = () => resolve(false);
    exchange.request.signal.addEventListener("abort", () => resolve(false), { once: true });
  });
  upstream.onclose = (event) => {
    stop();
    leave();
    if (tunnel.client) tunnel.client.close(event.code, event.reason);
    else tunnel.closed = { code: event.code, reason: event.reason };
  };
  const upgraded =
    opened && server.upgrade(exchange.request, { data: tunnel, headers: { via: VIA, ...(upstream.protocol ? { "sec-websocket-protocol": upstream.protocol } : {}) } });
  if (!upgraded) {
    leave();
    upstream.close();
    return false;
  }
  touch(); // also closes a tunnel whose client never opens its side
  exchange.log({ ...exchange.line, dyno: dyno.name, connectMs: 0, serviceMs: performance.now() - sentAt, status: 101 });
  return true;
}

export const tunnelHandlers: WebSocketHandler<Tunnel> = {
  open(client) {
    const tunnel = client.data;
    tunnel.client = client;
    for (const message of tunnel.early.splice(0)) client.send(message);
    if (tunnel.closed) client.close(tunnel.closed.code, tunnel.closed.reason);
  },
  message(client, message) {
    client.data.touch();
    client.data.upstream.send(message);
  },
  close(client, code, reason) {
    client.data.stop();
    client.data.leave();
    closeQuietly(client.data.upstream, code, reason);
  },
};

/** WebSocket.close accepts only 1000 and 3000-4999; other codes the client sent close plainly. */
function closeQuietly(socket: WebSocket, code: number, reason: string): void {
  try {
    socket.close(code, reason);
  } catch {
    socket.close();
  }
}
