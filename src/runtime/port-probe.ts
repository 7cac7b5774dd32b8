/**
 * Port checks at the edge: is a port free before a dyno gets it, and has a web
 * dyno bound its `$PORT` yet (the moment Heroku logs `State changed from starting to up`).
 */
import { createConnection, createServer } from "node:net";

/** True if nothing listens on the port (checked by binding it on all interfaces, then releasing it). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "0.0.0.0", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.setTimeout(1000, () => done(false));
  });
}

/** Resolves true once the port accepts connections; false as soon as `stillWaiting()` turns false. */
export async function waitForPort(port: number, stillWaiting: () => boolean): Promise<boolean> {
  for (let delay = 25; stillWaiting(); delay = Math.min(delay * 2, 500)) {
    if (await accepts(port)) return stillWaiting();
    await Bun.sleep(delay);
  }
  return false;
}
