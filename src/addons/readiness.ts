/**
 * Readiness is a protocol check, not a log line: Postgres answers `select 1`, Redis
 * answers PING with +PONG, anything else accepts a TCP connection. Polled until ready
 * or the deadline.
 */
import type { Endpoint, Service } from "./catalog.ts";

async function tcp(endpoint: Endpoint, send?: string, expect?: string): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = "";
    let settled = false;
    // The first verdict wins: ending the socket runs its close handler at once.
    const done = (ok: boolean, socket?: { end(): void }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(ok);
      socket?.end();
    };
    const timer = setTimeout(() => done(false), 2000);
    Bun.connect({
      hostname: endpoint.host,
      port: endpoint.port,
      socket: {
        open(socket) {
          if (send === undefined) return done(true, socket);
          socket.write(send);
        },
        data(socket, data) {
          answer += data.toString();
          if (expect !== undefined && answer.includes(expect)) done(true, socket);
          else if (answer.includes("\r\n") && !answer.startsWith("+OK")) done(false, socket);
        },
        error: () => done(false),
        close: () => done(false),
        connectError: () => done(false),
      },
    }).catch(() => done(false));
  });
}

function redisCommand(...args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`;
}

async function postgres(endpoint: Endpoint): Promise<boolean> {
  const url = `postgres://${encodeURIComponent(endpoint.user)}:${encodeURIComponent(endpoint.password)}@${endpoint.host}:${endpoint.port}/${endpoint.database}`;
  // Unnamed statements: embedded PGlite shares one session between connections, so a
  // named one would outlive the probe and collide with the app's first statement.
  const sql = new Bun.SQL(url, { max: 1, idleTimeout: 1, connectionTimeout: 2, tls: false, prepare: false });
  try {
    const rows = await sql`select 1 as ready`;
    return rows[0]?.ready === 1;
  } catch {
    return false;
  } finally {
    await sql.close().catch(() => {});
  }
}

/** One check of the service's protocol. */
export function isReady(service: Service, endpoint: Endpoint): Promise<boolean> {
  switch (service.readiness) {
    case "postgres":
      return postgres(endpoint);
    case "redis":
      return tcp(endpoint, redisCommand("AUTH", endpoint.password) + redisCommand("PING"), "+PONG");
    case "tcp":
      return tcp(endpoint);
  }
}

/** Polls until ready; false at the deadline or when `stillWanted()` turns false. */
export async function waitReady(service: Service, endpoint: Endpoint, timeoutMs: number, stillWanted: () => boolean = () => true): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; Date.now() < deadline && stillWanted(); delay = Math.min(delay * 2, 500)) {
    if (await isReady(service, endpoint)) return true;
    await Bun.sleep(delay);
  }
  return false;
}
