/**
 * The router as a process of its own (`hoku __router`), started by the platform as Heroku's
 * routers run apart from its API: its requests get their own core and a heap of their own
 * (the platform's, with its log store and SQLite, made every request ~20 us dearer in garbage
 * collection), and its memory is the router's alone.
 *
 * It routes by the last table the platform sent (router-messages.ts), counts the requests in
 * flight per dyno for the platform's drains, and sends its log lines back in batches. It
 * starts with the table its options carry, and exits when the platform closes the IPC channel
 * or goes, SIGKILL included.
 */
import type { FromRouter, PublishedRoute, RouterProcessOptions, ToRouter } from "./router-messages.ts";
import { startRouter } from "./router.ts";

/** Router lines wait at most this long to go to the platform, in one message. */
const LINES_EVERY_MS = 20;

export function runRouterProcess(options: RouterProcessOptions): void {
  const send = (message: FromRouter) => process.send!(message);
  let routes = new Map((options.routes ?? []).map((route) => [route.app, route]));
  let pending: [string, number, string][] = [];
  const flushLines = () => {
    send({ kind: "lines", lines: pending });
    pending = [];
  };

  let router;
  try {
    router = startRouter<PublishedRoute>({
      port: options.port,
      timeouts: options.timeouts,
      log: (route, line) => {
        if (pending.push([route.id, Date.now(), line]) === 1) setTimeout(flushLines, LINES_EVERY_MS);
      },
      table: { lookup: (name) => routes.get(name), apps: () => [...routes.keys()] },
    });
  } catch (error) {
    const { code = "", message = String(error) } = error as { code?: string; message?: string };
    send({ kind: "failed", code, message });
    process.exit(1);
  }

  process.on("message", (message: ToRouter) => {
    if (message.kind === "table") {
      routes = new Map(message.routes.map((route) => [route.app, route]));
      send({ kind: "applied", seq: message.seq });
    } else if (message.kind === "drain") {
      void Promise.all(message.ports.map((port) => router.inFlight.drained(port))).then(() => send({ kind: "drained", id: message.id }));
    }
  });
  process.on("disconnect", () => process.exit(0));
  // Ctrl-C in `hoku platform`, or its terminal closing, reaches the whole process group: the
  // platform stops its dynos first (their requests may still finish), then closes the channel.
  process.on("SIGINT", () => {});
  process.on("SIGHUP", () => {});
  send({ kind: "ready", port: router.port });
}
