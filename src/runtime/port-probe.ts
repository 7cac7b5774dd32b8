/**
 * Port checks at the edge: is a port free before a dyno gets it, and has a web
 * dyno bound its `$PORT` yet (the moment Heroku logs `State changed from starting to up`).
 * Bun's own sockets: node:net would add to every command's startup.
 */
import { readFileSync } from "node:fs";
import { listensBeyondLoopback } from "./listening-sockets.ts";

/** True if nothing listens on the port (checked by binding it, on all interfaces by default, then releasing it). */
export function isPortFree(port: number, host = "0.0.0.0"): boolean {
  try {
    Bun.listen({ hostname: host, port, exclusive: true, socket: { data() {} } }).stop(true);
    return true;
  } catch {
    return false;
  }
}

/** A port the system says is free on 127.0.0.1 now. */
export function anyFreePort(): number {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = server.port;
  server.stop(true);
  return port;
}

/** True when a TCP connection to the port on 127.0.0.1 opens within `timeoutMs`; the connection is closed at once (a late one too). */
export async function accepts(port: number, timeoutMs = 1000): Promise<boolean> {
  let timer: Timer | undefined;
  const socket = Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } });
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([socket.then(() => true, () => false), late]);
  } finally {
    clearTimeout(timer);
    void socket.then((s) => s.end(), () => {});
  }
}

/**
 * Resolves true once the port accepts connections; false as soon as `stillWaiting()` turns false.
 * Tries after 25, then every 50 ms: a dyno is seen up (and gets requests) at most 50 ms after it
 * binds, for the cost of twenty connection attempts a second while it boots.
 */
export function waitForPort(port: number, stillWaiting: () => boolean): Promise<boolean> {
  return pollUntil(() => accepts(port), stillWaiting);
}

/**
 * As `waitForPort`, but the port must listen beyond loopback (0.0.0.0, ::): a deployed web dyno
 * bound to 127.0.0.1 alone is never up, as Heroku's router, outside the dyno, cannot reach it.
 */
export function waitForPublicPort(port: number, stillWaiting: () => boolean): Promise<boolean> {
  // The router connects on 127.0.0.1: the port must take that too (a server on one other address only would not).
  return pollUntil(async () => (await accepts(port)) && ["/proc/net/tcp", "/proc/net/tcp6"].some((file) => listensBeyondLoopback(readTable(file), port)), stillWaiting);
}

/** The loop of both waits: after 25, then every 50 ms, until `ready` or no longer `stillWaiting`. */
async function pollUntil(ready: () => Promise<boolean>, stillWaiting: () => boolean): Promise<boolean> {
  for (let delay = 25; stillWaiting(); delay = Math.min(delay * 2, 50)) {
    if (await ready()) return stillWaiting();
    await Bun.sleep(delay);
  }
  return false;
}

function readTable(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return ""; // no IPv6 here
  }
}
